"""Real-world vCard quirks (issue 3): one fixture per quirk, exact names and numbers asserted."""

from __future__ import annotations

import io

import pytest

from contact_notify.phones import to_e164
from contact_notify.readers import FileRead, make_decoder, read_stream

from readers_helpers import read_bytes, read_fixture, summary


def test_quoted_printable_in_legacy_charsets() -> None:
    """QP text declared GB2312, GBK, GB18030, BIG5, SHIFT_JIS, cp1251, cp1252 and Latin-1 decodes."""
    contacts, result = read_fixture("qp_legacy_charsets.vcf")
    assert [c.name for c in contacts] == [
        "王秀英", "李建国", "张㐀伟", "陳美玲", "山田太郎", "Иван Петров", "José Müller", "Max Maß",
    ]  # fmt: skip
    assert [c.phones[0].raw for c in contacts] == [f"1380013800{i}" for i in range(8)]
    assert result.issues == []


def test_quoted_printable_value_starting_with_a_soft_break() -> None:
    """Nokia's '=' right after the colon continues the value on the next line."""
    contacts, result = read_fixture("qp_nokia_leading_softbreak.vcf")
    (contact,) = contacts
    assert (contact.name, contact.family, contact.given) == ("诸葛亮", "诸葛", "亮")
    assert [p.raw for p in contact.phones] == ["13912345678"]
    assert result.issues == []


def test_quoted_printable_without_charset() -> None:
    """QP without CHARSET: UTF-8 when valid; otherwise a fallback charset, with a warning."""
    contacts, result = read_fixture("qp_no_charset.vcf")
    assert summary(contacts) == [("黄丽", ["13512340001"]), ("Max Maß", ["+49 170 1234567"])]
    assert [str(i) for i in result.issues] == [
        "qp_no_charset.vcf:8: warning: quoted-printable text without CHARSET; read as cp1252"
    ]


def test_raw_legacy_text_with_charset() -> None:
    """Raw GB2312 bytes after CHARSET=GB2312 decode to the right name."""
    contacts, _ = read_fixture("raw_gb2312_charset.vcf")
    assert summary(contacts) == [("郑浩", ["18855556666"])]
    assert (contacts[0].family, contacts[0].given) == ("郑", "浩")


def test_raw_legacy_text_without_charset_is_detected() -> None:
    """A whole file in GBK without any CHARSET is detected and reported as GB18030."""
    contacts, result = read_fixture("raw_gbk_no_charset.vcf")
    assert summary(contacts) == [("谢婷", ["15555557777"]), ("韩梅", ["13966667777"])]
    assert contacts[0].groups == ["朋友"]
    assert result.encoding == "gb18030"


def test_nameless_and_lowercase_parameters() -> None:
    """TEL;CELL;PREF, bare QUOTED-PRINTABLE, lower-case names and TYPE="voice,cell" all read."""
    contacts, result = read_fixture("nameless_params_lowercase.vcf")
    (contact,) = contacts
    assert contact.name == "唐宇"
    assert [(p.raw, p.label) for p in contact.phones] == [
        ("181 6666 8888", "mobile"),
        ("010-62345678", "home"),
        ("150 1234 5678", "mobile"),
    ]
    assert result.issues == []


def test_pause_and_wait_characters() -> None:
    """Numbers keep their dial suffix as written, and normalise to the number before it."""
    contacts, _ = read_fixture("tel_pause_wait.vcf")
    raws = [p.raw for p in contacts[0].phones]
    assert raws == ["010-62345678p801", "021-55556666w2#", "0755-88889999,,123", "13800138000;456"]
    assert [to_e164(r, "CN") for r in raws] == [
        "+861062345678", "+862155556666", "+8675588889999", "+8613800138000",
    ]  # fmt: skip


def test_mixed_line_endings() -> None:
    """CRLF, LF, CR and CR CR LF mixed in one file still give two clean cards."""
    contacts, result = read_fixture("line_endings_mixed.vcf")
    assert summary(contacts) == [("冯雪", ["13277778888"]), ("曹阳", ["15677779999"])]
    assert result.issues == []


def test_quoted_printable_photo_and_logo_are_skipped() -> None:
    """A QP photo whose data holds ':' and a folded base64 logo do not leak into properties."""
    contacts, result = read_fixture("photo_qp_and_logo.vcf")
    assert summary(contacts) == [("Sun Lijuan", ["152 3456 7890"])]
    assert result.issues == []


def test_missing_fn_n_and_version() -> None:
    """Cards without FN (name from N: Chinese joined, Western given + family), N or VERSION import."""
    contacts, result = read_fixture("missing_fn_n_version.vcf")
    assert summary(contacts) == [
        ("李四", ["13800138000"]),
        ("Emily Chen", ["+852 9123 4567"]),
        ("Amy Wong", ["+852 6123 4567"]),
    ]
    assert result.issues == []


def test_file_truncated_mid_line() -> None:
    """A file cut off mid-line keeps the cut card's data and warns that it was truncated."""
    contacts, result = read_fixture("truncated_midline.vcf")
    assert summary(contacts) == [("周杰", ["15811112222"]), ("吴敏", ["177 00"])]
    assert [str(i) for i in result.issues] == [
        "truncated_midline.vcf:6: warning: card has no END:VCARD before the end of the file (truncated?)"
    ]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("utf16le_bom.vcf", "utf-16-le"),
        ("utf16be_nobom.vcf", "utf-16-be"),
        ("utf8_bom.vcf", "utf-8"),
    ],
)
def test_utf16_and_bom_files(name: str, encoding: str) -> None:
    """UTF-16 with or without BOM and UTF-8 with BOM read the same card, and say which they were."""
    contacts, result = read_fixture(name)
    assert summary(contacts) == [("欧阳娜", ["152 3333 4444"])]
    assert (contacts[0].family, contacts[0].given) == ("欧阳", "娜")
    assert result.encoding == encoding


def _read_with_encoding(data: bytes, encoding: str | None) -> tuple[str, str]:
    """(first name, encoding used) of a vCard read in region CN with --encoding ENCODING."""
    result = FileRead("x.vcf", kind="vcard")
    contacts = list(read_stream(io.BytesIO(data), "x.vcf", result, make_decoder("CN", encoding)))
    return contacts[0].name, result.encoding


def test_forced_encoding_overrides_detection() -> None:
    """--encoding decides how raw bytes without CHARSET are read, even against what detection reads."""
    gbk = "BEGIN:VCARD\nFN:王秀英\nTEL:13800138000\nEND:VCARD\n".encode("gbk")
    assert _read_with_encoding(gbk, None) == ("王秀英", "gb18030")
    # The same GBK bytes read as Big5, as asked: other characters, and Big5 reported.
    assert _read_with_encoding(gbk, "big5") == ("卼凅荎", "big5")
    big5 = "BEGIN:VCARD\r\nFN:陳美玲\r\nTEL:0912345678\r\nEND:VCARD\r\n".encode("big5")
    assert _read_with_encoding(big5, "big5") == ("陳美玲", "big5")


def test_soft_break_before_a_real_property_is_not_joined() -> None:
    """A broken export whose QP value ends with '=' before the next property keeps that property."""
    data = (
        b"BEGIN:VCARD\r\nFN;ENCODING=QUOTED-PRINTABLE:Li=\r\nTEL;CELL:13800138000\r\nEND:VCARD\r\n"
    )
    contacts, _ = read_bytes(data, "x.vcf")
    assert summary(contacts) == [("Li", ["13800138000"])]


def test_outlook_quoted_printable_label_spanning_lines() -> None:
    """Outlook's multi-line QP LABEL is joined and skipped; the numbers after it still read."""
    contacts, result = read_fixture("outlook_label_qp.vcf")
    assert summary(contacts) == [("Jianguo Li", ["+86 (10) 6234 5678", "+86 139 1234 5678"])]
    assert contacts[0].emails == ["li@example.com"]
    assert contacts[0].org == "Huaxin Tech"
    assert result.issues == []


def test_concatenated_exports_with_byte_order_marks() -> None:
    """Two exports joined with cat: the second file's BOM does not lose its first card."""
    contacts, result = read_fixture("concatenated_with_boms.vcf")
    assert summary(contacts) == [("张伟", ["13800138000"]), ("李娜", ["13912345678"])]
    assert result.issues == []


def test_vcard_21_folds_keep_their_whitespace() -> None:
    """In 2.1 the fold's whitespace is part of the value; in 3.0 one whitespace is removed."""
    contacts, _ = read_fixture("v21_fold_keeps_space.vcf")
    assert [c.name for c in contacts] == ["Mary Ann Smith", "Mary Jane Watson"]


def test_base64_text_is_decoded() -> None:
    """FN;ENCODING=b holds base64 text: decoded with its charset; undecodable base64 is reported."""
    contacts, result = read_fixture("base64_text_name.vcf")
    assert summary(contacts) == [("欧阳娜娜", ["15233334444"]), ("", ["15233335555"])]
    assert [str(i) for i in result.issues] == [
        "base64_text_name.vcf:8: warning: FN is base64 text that cannot be decoded; ignored"
    ]


def test_google_labels_and_android_nickname() -> None:
    """myContacts and starred are not groups; Android's X-ANDROID-CUSTOM nickname is read."""
    contacts, _ = read_fixture("google_android_extras.vcf")
    (contact,) = contacts
    assert contact.groups == ["家人"]
    assert contact.nickname == "佳佳"


def test_fuzz_found_line_reads_at_once() -> None:
    """A 1.3 KB line with stray quotes that kept vobject's parser busy for a minute reads quickly.

    Run in a child process with a generous limit: a regression would hang, not be slow.
    """
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, 'tests'); from readers_helpers import read_fixture; "
        "contacts, result = read_fixture('fuzz_slow_quoted_params.vcf'); print(len(contacts))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert done.stdout.strip() == "1"
