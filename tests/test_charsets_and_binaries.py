"""Issue 10: legacy CJK charsets are told apart by how plausible their text is, and binary files
(spreadsheets, documents, archives, pictures, databases) are named for what they are."""

from __future__ import annotations

import gzip
import io
import re
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from contact_notify.errors import ExitCode, InputDataError

from conftest import Run
from readers_helpers import DATA, read_bytes, summary

# --- Defect 4: which legacy charset -----------------------------------------------------------

JAPANESE = [
    ("山田 太郎", ["090-1234-5678", "03-1234-5678"]),
    ("佐藤 花子", ["080-2345-6789"]),
    ("鈴木 一郎", ["070-3456-7890", "06-6123-4567"]),
    ("高橋 さくら", ["090-8765-4321"]),
    ("渡辺 健太", ["080-1111-2222", "045-123-4567"]),
]
KOREAN = [
    ("김민준", ["010-1234-5678", "02-123-4567"]),
    ("이서연", ["010-2345-6789"]),
    ("박지훈", ["010-3456-7890", "031-987-6543"]),
    ("최수빈", ["010-4567-8901"]),
    ("정하은", ["010-5678-9012"]),
]
TAIWANESE = [
    ("陳美玲", ["0912 345 678"]),
    ("黃志明", ["0922-333-444"]),
    ("林淑芬", ["0933111222"]),
]
# Each fixture, the charset it is in (as reported), and what it holds.
CJK_FIXTURES = [
    ("shift_jis_japan.csv", "shift_jis", JAPANESE),
    ("euc_kr_korea.csv", "cp949", KOREAN),
    ("big5_taiwan.csv", "big5", TAIWANESE),
    ("utf16le_nobom.csv", "utf-16-le", None),
    ("gbk_wps.csv", "gb18030", [("黄丽", ["13512340001"]), ("孙丽娟", ["152 3456 7890"])]),
    (
        "outlook_zh_gb2312.csv",
        "gb18030",
        [
            ("李建国", ["010-62345678", "13912345678"]),
            ("王秀英", ["021-55556666", "138 0013 8000"]),
        ],
    ),
    (
        "raw_gbk_no_charset.vcf",
        "gb18030",
        [("谢婷", ["15555557777"]), ("韩梅", ["13966667777"])],
    ),
]
UTF16_NAMES = ["王秀英", "李建国", "张伟", "刘芳"]
# The legacy charset of each region whose bias the detection must not follow blindly.
REGIONS = {"CN": "gb18030", "TW": "big5", "JP": "shift_jis", "KR": "cp949"}


@pytest.mark.parametrize("region", sorted(REGIONS))
@pytest.mark.parametrize(("name", "charset", "expected"), CJK_FIXTURES)
def test_cjk_file_reads_in_its_own_charset_in_every_region(
    name: str, charset: str, expected: list[tuple[str, list[str]]] | None, region: str
) -> None:
    """Shift_JIS, EUC-KR, Big5, GBK and BOM-less UTF-16 files read right whatever the region."""
    kind = "vcard" if name.endswith(".vcf") else "csv"
    data = (DATA / name).read_bytes()
    contacts, result = read_bytes(data, name, kind, region_fallback=REGIONS[region])
    if expected is None:
        assert [c.name for c in contacts] == UTF16_NAMES
    else:
        assert summary(contacts) == expected
    assert result.encoding == charset
    assert [str(i) for i in result.issues] == []


def test_japanese_and_korean_columns_are_recognised() -> None:
    """The Japanese and Korean sheets' e-mail, group and company columns reach the contacts."""
    japanese, _ = read_bytes((DATA / "shift_jis_japan.csv").read_bytes(), "ja.csv", "csv")
    assert [(c.emails, c.groups) for c in japanese[:2]] == [
        (["taro.yamada@example.jp"], ["家族"]),
        (["hanako.sato@example.jp"], ["友人"]),
    ]
    assert [p.label for p in japanese[0].phones] == ["mobile", ""]
    korean, _ = read_bytes((DATA / "euc_kr_korea.csv").read_bytes(), "ko.csv", "csv")
    assert [(c.emails, c.groups, c.org) for c in korean[1:3]] == [
        (["seoyeon.lee@example.kr"], ["친구"], ""),
        ([], ["회사"], "한빛전자"),
    ]


def test_utf16le_vcard_without_bom_is_read() -> None:
    """A CJK-heavy vCard in UTF-16-LE without a BOM (few NUL bytes) decodes as UTF-16."""
    address = "北京市朝阳区建国路八十八号院三号楼二单元十二层一二零三室，华信科技有限公司"
    cards = "".join(
        f"BEGIN:VCARD\nFN:{name}\nORG:{address}\nNOTE:{address}\nTEL:1380013800{n}\nEND:VCARD\n"
        for n, name in enumerate(UTF16_NAMES)
    )
    data = cards.encode("utf-16-le")
    assert data[1::2].count(0) < len(data) // 4  # fewer NULs than mostly-ASCII text has
    contacts, result = read_bytes(data, "u.vcf", "vcard")
    assert [c.name for c in contacts] == UTF16_NAMES
    assert result.encoding == "utf-16-le"


# GB2312 bytes that read as common characters in Big5 as well: 陈丹 is 麻竣, 曹斌 is 羚棄.
AMBIGUOUS = "name,phone\n陈丹,13800138000\n曹斌,13912345678\n".encode("gb18030")
AMBIGUOUS_WARNING = (
    "amb.csv:1: warning: the encoding is a guess: several encodings read this file as text "
    "(common characters: gb18030 100%, big5 100%); read as gb18030. If names look wrong, "
    "give the right one with --encoding (for example --encoding big5)"
)


def test_unsure_detection_is_shown_by_inspect(cli: Run, tmp_path: Path) -> None:
    """When two charsets read a file as plausible text, inspect names both and --encoding."""
    (tmp_path / "amb.csv").write_bytes(AMBIGUOUS)
    result = cli("inspect", "amb.csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "line  name  number          label  groups\n"
        "----  ----  --------------  -----  ------\n"
        "2     陈丹  +8613800138000\n"
        "3     曹斌  +8613912345678\n"
        f"{AMBIGUOUS_WARNING}\n"
        "amb.csv: 2 rows, 2 contacts, encoding: gb18030\n"
    )


def test_unsure_detection_is_shown_by_import(cli: Run, tmp_path: Path) -> None:
    """The import prints the unsure detection as a warning on stderr, then its usual summary."""
    (tmp_path / "amb.csv").write_bytes(AMBIGUOUS)
    result = cli("import", "amb.csv")
    assert result.exit_code == 0
    assert result.stderr == f"{AMBIGUOUS_WARNING}\n"
    assert result.stdout == (
        "amb.csv: 2 rows read (encoding: gb18030)\n"
        "contacts added: 2, merged: 0, already in the case: 0, skipped: 0, numbers not valid: 0\n"
    )


def test_unsure_detection_of_a_vcard_is_reported() -> None:
    """A vCard whose bytes read as text in two charsets gets the same warning, on line 1."""
    cards = "BEGIN:VCARD\nFN:陈丹\nEND:VCARD\nBEGIN:VCARD\nFN:曹斌\nEND:VCARD\n".encode("gb18030")
    contacts, result = read_bytes(cards, "amb.vcf", "vcard", region_fallback="big5")
    assert [c.name for c in contacts] == ["麻竣", "羚棄"]  # the region's charset, as the tie goes
    assert [str(i) for i in result.issues] == [
        "amb.vcf:1: warning: the encoding is a guess: several encodings read this file as text "
        "(common characters: big5 100%, gb18030 100%); read as big5. If names look wrong, "
        "give the right one with --encoding (for example --encoding gb18030)"
    ]


def test_no_plausible_reading_is_reported_with_the_candidates() -> None:
    """A file no charset reads as common text keeps the region's charset and says it is a guess."""
    rows = ["姓名,手机"]
    for n in range(20):  # names of three rare characters each (GB2312 level 2)
        name = bytes(
            b for k in range(3) for b in (0xD8 + (7 * n + k) % 32, 0xA1 + (13 * n + 5 * k) % 94)
        )
        rows.append(f"{name.decode('gb18030')},139{n:08d}")
    data = "\n".join(rows).encode("gb18030")
    contacts, result = read_bytes(data, "rare.csv", "csv")
    assert len(contacts) == 20
    assert result.encoding == "gb18030"
    (issue,) = result.issues
    assert (issue.source.line, issue.skipped) == (1, False)
    found = re.fullmatch(
        r"the encoding is a guess: no encoding reads this file as common text "
        r"\(common characters: (.*)\); read as gb18030\. If names look wrong, "
        r"give the right one with --encoding \(for example --encoding (\w+)\)",
        issue.reason,
    )
    assert found is not None, issue.reason
    scores = [tuple(pair.split(" ")) for pair in found.group(1).split(", ")]
    assert sorted(name for name, _ in scores) == ["big5", "cp949", "gb18030", "shift_jis"]
    percents = [int(share.rstrip("%")) for _, share in scores]
    assert percents == sorted(percents, reverse=True)
    assert max(percents) < 60  # none is plausible
    assert found.group(2) == next(name for name, _ in scores if name != "gb18030")


def test_files_of_one_import_do_not_share_a_detected_charset(cli: Run, tmp_path: Path) -> None:
    """A GBK vCard detected as GB18030 does not make the next, UTF-8, file read as GB18030."""
    (tmp_path / "a.vcf").write_bytes((DATA / "raw_gbk_no_charset.vcf").read_bytes())
    (tmp_path / "b.vcf").write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:张伟\nTEL:13500001111\nEND:VCARD\n", encoding="utf-8"
    )
    result = cli("import", "a.vcf", "b.vcf")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "a.vcf: 2 cards read (encoding: gb18030)",
        "b.vcf: 1 cards read (encoding: utf-8)",
    ]
    listing = cli("contacts", "--format", "csv")
    assert sorted(line.split(",")[1] for line in listing.stdout.splitlines()[1:]) == sorted(
        ["谢婷", "韩梅", "张伟"]
    )


# --- Defect 5: files that are not text -----------------------------------------------------------

SAVE_AS_CSV = "open it in Excel or WPS and save as CSV (UTF-8), then import the .csv file"
EXPORT = (
    "export the contact list from the phone or mail program as vCard (.vcf) or CSV, "
    "and import that file"
)
TABLE = (
    "; if it holds a table of contacts, copy the table into Excel or WPS and save as CSV (UTF-8)"
)
PICTURE = "a picture of a contact list cannot be read: " + EXPORT
EXTRACT = "extract it first, then import the .vcf or .csv file inside"
VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Wang\r\nTEL:13800138000\r\nEND:VCARD\r\n"


STAMP = (2026, 11, 1, 9, 30, 0)  # a fixed member time: the archive does not depend on the clock


def _zip(*members: str, mimetype: bytes | None = None) -> bytes:
    """A zip archive with these members (and an OpenDocument mimetype first, stored)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo("mimetype", date_time=STAMP), mimetype)
        for member in members:
            info = zipfile.ZipInfo(member, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, b"<?xml version='1.0'?><x/>" * 40)
    return buffer.getvalue()


def _ole2(*streams: str) -> bytes:
    """An OLE2 compound file header and a directory sector naming these streams."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HH", header, 0x1A, 3, 0xFFFE)  # version, byte order
    struct.pack_into("<H", header, 0x1E, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 0x30, 0)  # the directory starts at sector 0
    directory = bytearray(512)
    for n, name in enumerate(("Root Entry", *streams)):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[n * 128 : n * 128 + len(encoded)] = encoded
        struct.pack_into("<H", directory, n * 128 + 64, len(encoded))
    return bytes(header + directory + bytes(1024))


def _sqlite(tmp_path: Path) -> bytes:
    """A real SQLite database file."""
    path = tmp_path / "contacts2.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE raw_contacts (name TEXT, number TEXT)")
        db.execute("INSERT INTO raw_contacts VALUES ('王秀英', '13800138000')")
    db.close()
    return path.read_bytes()


BINARIES = [
    ("contacts.xlsx", lambda _: _zip("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), "an Excel workbook (.xlsx)", SAVE_AS_CSV),
    ("contacts.csv", lambda _: _zip("[Content_Types].xml", "word/document.xml"), "a Word document (.docx)", EXPORT + TABLE),
    ("slides.pptx", lambda _: _zip("[Content_Types].xml", "ppt/presentation.xml"), "a PowerPoint presentation (.pptx)", EXPORT),
    ("contacts.ods", lambda _: _zip("content.xml", mimetype=b"application/vnd.oasis.opendocument.spreadsheet"), "an OpenDocument spreadsheet (.ods)", "open it in LibreOffice, WPS or Excel and save as CSV (UTF-8), then import the .csv file"),
    ("letter.odt", lambda _: _zip("content.xml", mimetype=b"application/vnd.oasis.opendocument.text"), "an OpenDocument text document (.odt)", EXPORT + TABLE),
    ("backup.vcf", lambda _: _zip("contacts/00001.vcf", "contacts/00002.vcf"), "a zip archive", EXTRACT + " (it holds contacts/00001.vcf, contacts/00002.vcf)"),
    ("photos.zip", lambda _: _zip("IMG_0001.txt"), "a zip archive", EXTRACT),
    ("contacts.csv", lambda _: _ole2("Workbook", "\x05SummaryInformation"), "an Excel 97-2003 workbook (.xls)", SAVE_AS_CSV),
    ("contacts", lambda _: _ole2("WordDocument", "1Table"), "a Word 97-2003 document (.doc)", EXPORT + TABLE),
    ("通讯录.et", lambda _: _ole2("Workbook"), "a WPS spreadsheet (.et)", SAVE_AS_CSV),
    ("contacts.xls", lambda _: _ole2("Unknown"), "an Excel 97-2003 workbook (.xls)", SAVE_AS_CSV),
    ("contacts.pdf", lambda _: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document", EXPORT + TABLE),
    ("screenshot.csv", lambda _: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x38\x00\x00\x09\x60\x08\x06", "an image (PNG)", PICTURE),
    ("IMG_2041.JPG", lambda _: b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00MM\x00*", "an image (JPEG)", PICTURE),
    ("list.gif", lambda _: b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "an image (GIF)", PICTURE),
    ("list.webp", lambda _: b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00", "an image (WebP)", PICTURE),
    ("IMG_2042.HEIC", lambda _: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "an image (HEIC)", PICTURE),
    ("contacts2.db", _sqlite, "an SQLite database", EXPORT),
    ("contacts.vcf.gz", lambda _: gzip.compress(VCARD, mtime=0), "a gzip archive", EXTRACT),
    ("contacts.7z", lambda _: b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24), "a 7-Zip archive", EXTRACT),
    ("contacts.rar", lambda _: b"Rar!\x1a\x07\x01\x00" + bytes(24), "a RAR archive", EXTRACT),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "what", "hint"), BINARIES)
@pytest.mark.parametrize("kind", ["csv", "vcard"])
def test_binary_file_is_named_for_what_it_is(
    name: str, make: Callable[[Path], bytes], what: str, hint: str, kind: str, tmp_path: Path
) -> None:
    """Each binary format raises one error naming the file and the format, and what to do."""
    data = make(tmp_path)
    with pytest.raises(InputDataError) as caught:
        read_bytes(data, name, kind)
    assert (caught.value.message, caught.value.hint) == (
        f"{name}: this is {what}, not a vCard or CSV contact list",
        hint,
    )


XLSX_ERROR = (
    "error: xlsx_named_csv.csv: this is an Excel workbook (.xlsx), not a vCard or CSV contact "
    "list\nhint: open it in Excel or WPS and save as CSV (UTF-8), then import the .csv file\n"
)
ZIP_ERROR = (
    "error: zip_named_vcf.vcf: this is a zip archive, not a vCard or CSV contact list\n"
    "hint: extract it first, then import the .vcf or .csv file inside "
    "(it holds 通讯录/contacts.vcf)\n"
)


@pytest.mark.parametrize("command", ["import", "inspect"])
@pytest.mark.parametrize(
    ("name", "stderr"), [("xlsx_named_csv.csv", XLSX_ERROR), ("zip_named_vcf.vcf", ZIP_ERROR)]
)
def test_cli_names_a_binary_file_whatever_its_extension(
    cli: Run, tmp_path: Path, command: str, name: str, stderr: str
) -> None:
    """import and inspect of an xlsx called .csv, or a zip called .vcf, exit 3 with one message."""
    (tmp_path / name).write_bytes((DATA / name).read_bytes())
    result = cli(command, name)
    assert result.exit_code == ExitCode.INPUT
    assert result.stderr == stderr
    assert result.stdout == ""


def _blob() -> bytes:
    """Binary data of no known format: control characters, ESC sequences, NUL, high bytes."""
    junk = b"\x00\x01\x07\x08\x1b[31m\x7f\x80\x9b\xad\xe2\x80\xae\xff"
    body = bytes(junk[(n * n + 3 * n) % len(junk)] for n in range(6000))
    return b"\x1b]0;owned\x07" + body + b",\x1b[2J" + body[::-1] + b"\n" + body


def test_unknown_binary_file_is_called_binary() -> None:
    """A binary file of no known format is called binary data, not a CSV with odd headers."""
    with pytest.raises(InputDataError) as caught:
        read_bytes(_blob(), "blob.csv", "csv")
    assert (caught.value.message, caught.value.hint) == (
        "blob.csv: this is not a vCard or CSV contact list: it holds binary data, not text",
        EXPORT,
    )


def test_column_hint_quotes_binary_cells_escaped_and_short() -> None:
    """The --column error lists a binary file's cells escaped and cut short, never as raw bytes."""
    with pytest.raises(InputDataError) as caught:
        read_bytes(_blob(), "blob.csv", "csv", columns=[("phone", "Mobile")])
    hint = caught.value.hint or ""
    assert hint.startswith("columns in the file: '\\x1b]0;owned\\x07\\x00\\x1b")
    assert hint.isprintable()
    assert len(hint) < 500


def test_undecodable_header_hint_blames_no_encoding_never_given() -> None:
    """A header that does not decode suggests --encoding, not leaving out one the user never gave."""
    data = b"\xff\xa1\xff\xa1\xff\xa1,\xff\xa2\xff\xa2\n1,2\n"
    with pytest.raises(InputDataError) as caught:
        read_bytes(data, "x.csv", "csv")
    assert (caught.value.message, caught.value.hint) == (
        "x.csv: the header row does not read as gb18030 (columns: '\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd', "
        "'\ufffd\ufffd\ufffd\ufffd')",
        "gb18030 was a guess: if this is a contact list, give its encoding with --encoding "
        "(for example utf-8, gb18030, big5, shift_jis or euc_kr)",
    )
