"""Files that are not text, named by their first bytes: Office and WPS files, OpenDocument,
archives, PDF, pictures, SQLite; each with what to do instead (save as CSV, export, extract).
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

from contact_notify.errors import InputDataError
from contact_notify.readers.encoding import printable

# How much of a file's start is looked at for its format.
HEAD_SIZE = 4096

_SAVE_AS_CSV = "open it in Excel or WPS and save as CSV (UTF-8), then import the .csv file"
_EXPORT = (
    "export the contact list from the phone or mail program as vCard (.vcf) or CSV, "
    "and import that file"
)
_TABLE = (
    "; if it holds a table of contacts, copy the table into Excel or WPS and save as CSV (UTF-8)"
)
_EXTRACT = "extract it first, then import the .vcf or .csv file inside"
_PICTURE = "a picture of a contact list cannot be read: " + _EXPORT

# (what starts the file, offset, what it is, what to do)
_MAGIC: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, "a PDF document", _EXPORT + _TABLE),
    (b"\x89PNG\r\n\x1a\n", 0, "an image (PNG)", _PICTURE),
    (b"\xff\xd8\xff", 0, "an image (JPEG)", _PICTURE),
    (b"GIF87a", 0, "an image (GIF)", _PICTURE),
    (b"GIF89a", 0, "an image (GIF)", _PICTURE),
    (b"II*\x00", 0, "an image (TIFF)", _PICTURE),
    (b"MM\x00*", 0, "an image (TIFF)", _PICTURE),
    (b"SQLite format 3\x00", 0, "an SQLite database", _EXPORT),
    (b"\x1f\x8b", 0, "a gzip archive", _EXTRACT),
    (b"7z\xbc\xaf'\x1c", 0, "a 7-Zip archive", _EXTRACT),
    (b"Rar!\x1a\x07", 0, "a RAR archive", _EXTRACT),
    (b"\xfd7zXZ\x00", 0, "an xz archive", _EXTRACT),
)
# ISO media brands (bytes 8-12 after "ftyp") that are still pictures: HEIC/HEIF and AVIF.
_PICTURE_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OPEN_DOCUMENT = {
    b"spreadsheet": (
        "an OpenDocument spreadsheet (.ods)",
        "open it in LibreOffice, WPS or Excel and save as CSV (UTF-8), then import the .csv file",
    ),
    b"text": ("an OpenDocument text document (.odt)", _EXPORT + _TABLE),
    b"presentation": ("an OpenDocument presentation (.odp)", _EXPORT),
}


def check_not_binary(head: bytes, source: str, probe: BinaryIO | None = None) -> None:
    """Raise InputDataError when a file's first bytes say it is not text.

    Recognised by their magic bytes: Office files (xlsx, docx, pptx; xls, doc, ppt and
    WPS's et/wps/dps), OpenDocument, zip, PDF, PNG, JPEG, GIF, WebP, TIFF, HEIC/AVIF,
    SQLite, gzip, 7z, RAR and xz.  A seekable ``probe`` lets a zip archive be told
    apart by its members (xlsx from docx, an archive holding a .vcf); it is left at
    the position it had.
    """
    found = binary_format(head, source, probe)
    if found is not None:
        what, hint = found
        raise InputDataError(
            f"{source}: this is {what}, not a vCard or CSV contact list", hint=hint
        )


def binary_format(head: bytes, name: str, probe: BinaryIO | None = None) -> tuple[str, str] | None:
    """What a file is and what to do with it, when its first bytes say it is not text."""
    for magic, offset, what, hint in _MAGIC:
        if head[offset:].startswith(magic):
            return what, hint
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "an image (WebP)", _PICTURE
    if head[4:8] == b"ftyp":
        if head[8:12] in _PICTURE_BRANDS:
            return "an image (HEIC)", _PICTURE
        return "a video or sound file", _EXPORT
    if head.startswith(_ZIP):
        return _zip_format(head, name, probe)
    if head.startswith(_OLE2):
        return _office97_format(head, name, probe)
    return None


def _zip_format(head: bytes, name: str, probe: BinaryIO | None) -> tuple[str, str]:
    """Tell an OpenDocument or Office file from a plain zip archive by its members."""
    # OpenDocument stores "mimetype" first and uncompressed: its content is in the head.
    if head[30:38] == b"mimetype":
        kind = head[38:120].removeprefix(b"application/vnd.oasis.opendocument.")
        for word, found in _OPEN_DOCUMENT.items():
            if kind.startswith(word):
                return found
    members = _zip_members(probe) or _local_names(head)
    tops = {member.split("/", 1)[0] for member in members}
    if "xl" in tops:
        return "an Excel workbook (.xlsx)", _SAVE_AS_CSV
    if "word" in tops:
        return "a Word document (.docx)", _EXPORT + _TABLE
    if "ppt" in tops:
        return "a PowerPoint presentation (.pptx)", _EXPORT
    if name.lower().endswith(".numbers"):
        return (
            "an Apple Numbers spreadsheet",
            "export it from Numbers as CSV, then import the .csv file",
        )
    inside = [m for m in members if m.lower().endswith((".vcf", ".vcard", ".csv"))]
    if inside:
        listed = ", ".join(printable(m, 60) for m in inside[:3]) + (
            ", …" if len(inside) > 3 else ""
        )
        return "a zip archive", f"{_EXTRACT} (it holds {listed})"
    return "a zip archive", _EXTRACT


def _zip_members(probe: BinaryIO | None) -> list[str]:
    """The member names of a zip archive, read from its directory; empty when they cannot be."""
    if probe is None or not probe.seekable():
        return []
    position = probe.tell()
    try:
        with zipfile.ZipFile(probe) as archive:
            return archive.namelist()[:10_000]
    except Exception:  # a damaged archive: its members are unknown, it is still a zip
        return []
    finally:
        probe.seek(position)


def _local_names(head: bytes) -> list[str]:
    """Member names in the zip local headers found in the head (when the directory is out of reach)."""
    names = []
    at = 0
    while head[at : at + 4] == b"PK\x03\x04" and at + 30 <= len(head):
        (size,) = struct.unpack_from("<I", head, at + 18)
        length, extra = struct.unpack_from("<HH", head, at + 26)
        names.append(head[at + 30 : at + 30 + length].decode("utf-8", errors="replace"))
        at += 30 + length + extra + size
    return names


# Office 97-2003 files are OLE2 compound files; their main stream names the program.
_OLE_STREAMS = (
    ("Workbook".encode("utf-16-le"), "an Excel 97-2003 workbook (.xls)", _SAVE_AS_CSV),
    ("Book".encode("utf-16-le"), "an Excel 5 workbook (.xls)", _SAVE_AS_CSV),
    ("WordDocument".encode("utf-16-le"), "a Word 97-2003 document (.doc)", _EXPORT + _TABLE),
    (
        "PowerPoint Document".encode("utf-16-le"),
        "a PowerPoint 97-2003 presentation (.ppt)",
        _EXPORT,
    ),
)
_OLE_SUFFIXES = {
    ".xls": ("an Excel 97-2003 workbook (.xls)", _SAVE_AS_CSV),
    ".et": ("a WPS spreadsheet (.et)", _SAVE_AS_CSV),
    ".ett": ("a WPS spreadsheet template (.ett)", _SAVE_AS_CSV),
    ".doc": ("a Word 97-2003 document (.doc)", _EXPORT + _TABLE),
    ".wps": ("a WPS document (.wps)", _EXPORT + _TABLE),
    ".ppt": ("a PowerPoint 97-2003 presentation (.ppt)", _EXPORT),
    ".dps": ("a WPS presentation (.dps)", _EXPORT),
}


def _office97_format(head: bytes, name: str, probe: BinaryIO | None) -> tuple[str, str]:
    """Tell an old Excel, Word or PowerPoint file (or WPS's) apart by its name or its streams."""
    suffix = name.lower()[name.rfind(".") :] if "." in name else ""
    if suffix in _OLE_SUFFIXES:
        return _OLE_SUFFIXES[suffix]
    directory = head
    if probe is not None and probe.seekable() and len(head) >= 0x34:
        # The first sectors of the directory, where the main stream's entry usually is.
        (shift,) = struct.unpack_from("<H", head, 0x1E)
        (first,) = struct.unpack_from("<I", head, 0x30)
        if 7 <= shift <= 12 and first < 1 << 24:
            position = probe.tell()
            try:
                probe.seek((first + 1) << shift)
                directory = probe.read(4 << shift)
            except OSError:
                directory = head
            finally:
                probe.seek(position)
    for stream_name, what, hint in _OLE_STREAMS:
        if stream_name in directory:
            return what, hint
    return (
        "a Microsoft Office 97-2003 or WPS file",
        "if it is a spreadsheet, " + _SAVE_AS_CSV + "; otherwise " + _EXPORT,
    )


def stream_head(stream: BinaryIO) -> bytes:
    """The first bytes of a stream without consuming them, when it can be peeked or rewound."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(HEAD_SIZE)[:HEAD_SIZE])
    if stream.seekable():
        position = stream.tell()
        try:
            return stream.read(HEAD_SIZE)
        finally:
            stream.seek(position)
    return b""
