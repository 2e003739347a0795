"""Files that are not text, named by their first bytes: Office and WPS files, OpenDocument,
archives, PDF, pictures, SQLite; each with what to do instead (save as CSV, export, extract).
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO

from contact_notify.errors import InputDataError
from contact_notify.i18n import N_, _
from contact_notify.readers.encoding import printable

# How much of a file's start is looked at for its format.
HEAD_SIZE = 4096

_SAVE_AS_CSV = N_("open it in Excel or WPS and save as CSV (UTF-8), then import the .csv file")
_EXPORT = N_(
    "export the contact list from the phone or mail program as vCard (.vcf) or CSV, "
    "and import that file"
)
# _EXPORT, and what to do with a document holding a table.
_EXPORT_OR_TABLE = N_(
    "export the contact list from the phone or mail program as vCard (.vcf) or CSV, "
    "and import that file; if it holds a table of contacts, copy the table into Excel or WPS "
    "and save as CSV (UTF-8)"
)
_EXTRACT = N_("extract it first, then import the .vcf or .csv file inside")
_PICTURE = N_(
    "a picture of a contact list cannot be read: export the contact list from the phone or "
    "mail program as vCard (.vcf) or CSV, and import that file"
)

# (what starts the file, offset, what it is, what to do); for a picture, the format's name.
_MAGIC: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, N_("a PDF document"), _EXPORT_OR_TABLE),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG", _PICTURE),
    (b"\xff\xd8\xff", 0, "JPEG", _PICTURE),
    (b"GIF87a", 0, "GIF", _PICTURE),
    (b"GIF89a", 0, "GIF", _PICTURE),
    (b"II*\x00", 0, "TIFF", _PICTURE),
    (b"MM\x00*", 0, "TIFF", _PICTURE),
    (b"SQLite format 3\x00", 0, N_("an SQLite database"), _EXPORT),
    (b"\x1f\x8b", 0, N_("a gzip archive"), _EXTRACT),
    (b"7z\xbc\xaf'\x1c", 0, N_("a 7-Zip archive"), _EXTRACT),
    (b"Rar!\x1a\x07", 0, N_("a RAR archive"), _EXTRACT),
    (b"\xfd7zXZ\x00", 0, N_("an xz archive"), _EXTRACT),
)
# ISO media brands (bytes 8-12 after "ftyp") that are still pictures: HEIC/HEIF and AVIF.
_PICTURE_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OPEN_DOCUMENT = {
    b"spreadsheet": (
        N_("an OpenDocument spreadsheet (.ods)"),
        N_(
            "open it in LibreOffice, WPS or Excel and save as CSV (UTF-8), "
            "then import the .csv file"
        ),
    ),
    b"text": (N_("an OpenDocument text document (.odt)"), _EXPORT_OR_TABLE),
    b"presentation": (N_("an OpenDocument presentation (.odp)"), _EXPORT),
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
            _("{source}: this is {what}, not a vCard or CSV contact list").format(
                source=source, what=what
            ),
            hint=hint,
        )


def binary_format(head: bytes, name: str, probe: BinaryIO | None = None) -> tuple[str, str] | None:
    """What a file is and what to do with it, in the interface language, when its first
    bytes say it is not text."""
    for magic, offset, what, hint in _MAGIC:
        if head[offset:].startswith(magic):
            return _picture(what) if hint == _PICTURE else (_(what), _(hint))
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _picture("WebP")
    if head[4:8] == b"ftyp":
        if head[8:12] in _PICTURE_BRANDS:
            return _picture("HEIC")
        return _("a video or sound file"), _(_EXPORT)
    if head.startswith(_ZIP):
        return _zip_format(head, name, probe)
    if head.startswith(_OLE2):
        return _office97_format(head, name, probe)
    return None


def _picture(image_format: str) -> tuple[str, str]:
    """A picture (PNG, JPEG …): it cannot be read."""
    return _("an image ({format})").format(format=image_format), _(_PICTURE)


def _zip_format(head: bytes, name: str, probe: BinaryIO | None) -> tuple[str, str]:
    """Tell an OpenDocument or Office file from a plain zip archive by its members."""
    # OpenDocument stores "mimetype" first and uncompressed: its content is in the head.
    if head[30:38] == b"mimetype":
        kind = head[38:120].removeprefix(b"application/vnd.oasis.opendocument.")
        for word, (what, hint) in _OPEN_DOCUMENT.items():
            if kind.startswith(word):
                return _(what), _(hint)
    members = _zip_members(probe) or _local_names(head)
    tops = {member.split("/", 1)[0] for member in members}
    if "xl" in tops:
        return _("an Excel workbook (.xlsx)"), _(_SAVE_AS_CSV)
    if "word" in tops:
        return _("a Word document (.docx)"), _(_EXPORT_OR_TABLE)
    if "ppt" in tops:
        return _("a PowerPoint presentation (.pptx)"), _(_EXPORT)
    if name.lower().endswith(".numbers"):
        return (
            _("an Apple Numbers spreadsheet"),
            _("export it from Numbers as CSV, then import the .csv file"),
        )
    inside = [m for m in members if m.lower().endswith((".vcf", ".vcard", ".csv"))]
    if inside:
        listed = ", ".join(printable(m, 60) for m in inside[:3]) + (
            ", …" if len(inside) > 3 else ""
        )
        return _("a zip archive"), _(
            "extract it first, then import the .vcf or .csv file inside (it holds {files})"
        ).format(files=listed)
    return _("a zip archive"), _(_EXTRACT)


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
    ("Workbook".encode("utf-16-le"), N_("an Excel 97-2003 workbook (.xls)"), _SAVE_AS_CSV),
    ("Book".encode("utf-16-le"), N_("an Excel 5 workbook (.xls)"), _SAVE_AS_CSV),
    (
        "WordDocument".encode("utf-16-le"),
        N_("a Word 97-2003 document (.doc)"),
        _EXPORT_OR_TABLE,
    ),
    (
        "PowerPoint Document".encode("utf-16-le"),
        N_("a PowerPoint 97-2003 presentation (.ppt)"),
        _EXPORT,
    ),
)
_OLE_SUFFIXES = {
    ".xls": (N_("an Excel 97-2003 workbook (.xls)"), _SAVE_AS_CSV),
    ".et": (N_("a WPS spreadsheet (.et)"), _SAVE_AS_CSV),
    ".ett": (N_("a WPS spreadsheet template (.ett)"), _SAVE_AS_CSV),
    ".doc": (N_("a Word 97-2003 document (.doc)"), _EXPORT_OR_TABLE),
    ".wps": (N_("a WPS document (.wps)"), _EXPORT_OR_TABLE),
    ".ppt": (N_("a PowerPoint 97-2003 presentation (.ppt)"), _EXPORT),
    ".dps": (N_("a WPS presentation (.dps)"), _EXPORT),
}


def _office97_format(head: bytes, name: str, probe: BinaryIO | None) -> tuple[str, str]:
    """Tell an old Excel, Word or PowerPoint file (or WPS's) apart by its name or its streams."""
    suffix = name.lower()[name.rfind(".") :] if "." in name else ""
    if suffix in _OLE_SUFFIXES:
        what, hint = _OLE_SUFFIXES[suffix]
        return _(what), _(hint)
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
            return _(what), _(hint)
    return (
        _("a Microsoft Office 97-2003 or WPS file"),
        _(
            "if it is a spreadsheet, open it in Excel or WPS and save as CSV (UTF-8), then "
            "import the .csv file; otherwise export the contact list from the phone or mail "
            "program as vCard (.vcf) or CSV, and import that file"
        ),
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
