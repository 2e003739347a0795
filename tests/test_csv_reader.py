"""The CSV reader: header aliases, delimiters, encodings, multi-value cells, unreadable rows."""

from __future__ import annotations

import pytest

from contact_notify.errors import InputDataError

from readers_helpers import read_bytes, read_fixture, summary


def test_chinese_headers_with_bom_and_a_blank_row() -> None:
    """姓名/手机号码/联系电话/分组 are found despite Excel's BOM; a blank row is no record."""
    contacts, result = read_fixture("chinese_headers_bom.csv")
    assert summary(contacts) == [
        ("王秀英", ["138 0013 8000"]),
        ("李建国", ["+86 139-1234-5678", "010-62345678"]),
        ("张伟", ["0086 135 0000 1111"]),
    ]
    assert contacts[0].groups == ["家人"]
    assert [c.source.line for c in contacts if c.source] == [2, 3, 5]
    assert result.encoding == "utf-8"
    assert result.issues == []


def test_semicolon_delimiter_and_padded_headers() -> None:
    """A European Excel file with ';' and spaces around header names reads right."""
    contacts, _ = read_fixture("semicolon_excel.csv")
    assert summary(contacts) == [("Emily Chen", ["+852 9123 4567"]), ("Ma; Chao", ["13122223333"])]
    assert contacts[0].groups == ["Friends"]


def test_tab_delimiter() -> None:
    """A tab-separated export with 姓名/电话 reads right."""
    contacts, _ = read_fixture("tab_separated.csv")
    assert summary(contacts) == [("周杰", ["15811112222"]), ("吴敏", ["177 0000 3333"])]


def test_gbk_file_from_wps() -> None:
    """A GBK file (WPS/Excel on Chinese Windows) decodes with the region's fallback charset."""
    contacts, result = read_fixture("gbk_wps.csv")
    assert summary(contacts) == [("黄丽", ["13512340001"]), ("孙丽娟", ["152 3456 7890"])]
    assert result.encoding == "gb18030"


def test_google_current_export() -> None:
    """First/Last Name join, Phone N - Value cells split on ' ::: ', Labels drop '* myContacts'."""
    contacts, _ = read_fixture("google_current.csv")
    assert summary(contacts) == [
        ("李建国", ["+86 139 1234 5678", "138 0013 8000", "010-62345678"]),
        ("Emily Chen", ["+852 9123 4567"]),
    ]
    assert [p.label for p in contacts[0].phones] == ["mobile", "mobile", "work"]
    assert contacts[0].groups == ["家人"]
    assert contacts[1].groups == []
    assert contacts[1].emails == ["emily@example.com"]


def test_file_without_header_is_an_error_listing_columns() -> None:
    """No recognisable header: the error lists the columns seen and shows the --column fix."""
    with pytest.raises(InputDataError) as caught:
        read_fixture("no_header.csv")
    assert caught.value.message == (
        "no_header.csv: no name or phone column found in the header row "
        "(columns: '王秀英', '13800138000')"
    )
    assert caught.value.hint is not None
    assert "--column name=姓名 --column phone=手机" in caught.value.hint
    assert "--column name=#1 --column phone=#2" in caught.value.hint


def test_manual_column_mapping() -> None:
    """--column maps a header by hand, overriding the aliases."""
    data = "人,号\n王秀英,13800138000\n".encode()
    contacts, _ = read_bytes(data, "x.csv", "csv", columns=[("name", "人"), ("phone", "号")])
    assert summary(contacts) == [("王秀英", ["13800138000"])]


def test_row_without_name_or_number_is_reported() -> None:
    """A row with only a note is skipped with its line number, not dropped silently."""
    contacts, result = read_fixture("row_without_data.csv")
    assert summary(contacts) == [("王秀英", ["13800138000"]), ("刘芳", ["15012345678"])]
    assert [str(i) for i in result.issues] == [
        "row_without_data.csv:3: skipped: row has no name, phone number or e-mail address"
    ]


def test_multiline_quoted_cell_keeps_line_numbers() -> None:
    """A quoted cell spanning lines is one row; the next row's line number is still right."""
    data = '姓名,手机,备注\n王秀英,13800138000,"第一行\n第二行"\n,,\n刘芳,15012345678,\n'.encode()
    contacts, _ = read_bytes(data, "x.csv", "csv")
    assert [(c.name, c.source.line if c.source else 0) for c in contacts] == [
        ("王秀英", 2),
        ("刘芳", 5),
    ]


def test_outlook_92_columns_with_multiline_notes() -> None:
    """Outlook's quoted 92-column export: names, phones in column order, Categories, notes."""
    contacts, result = read_fixture("outlook_en_92_columns.csv")
    assert summary(contacts) == [
        ("Jianguo Li", ["+86 (10) 6234 5678", "+86 139 1234 5678"]),
        ("Amy Wong", ["+852 2123 4567", "+852 6123 4567"]),
    ]
    assert [p.label for p in contacts[0].phones] == ["work", "mobile"]
    assert contacts[0].groups == ["Family", "Colleagues"]
    assert contacts[0].org == "Huaxin Tech"
    assert contacts[0].emails == ["li@example.com"]
    assert [c.source.line for c in contacts if c.source] == [2, 5]
    assert result.issues == []


def test_chinese_outlook_gb2312() -> None:
    """Chinese Outlook (GB2312, CRLF): 名/姓 joined Chinese-style, 类别 split on ';'."""
    contacts, result = read_fixture("outlook_zh_gb2312.csv")
    assert summary(contacts) == [
        ("李建国", ["010-62345678", "13912345678"]),
        ("王秀英", ["021-55556666", "138 0013 8000"]),
    ]
    assert [c.groups for c in contacts] == [["同事", "领导"], ["家人"]]
    assert contacts[0].org == "华信科技"
    assert result.encoding == "gb18030"


def test_google_legacy_export() -> None:
    """Legacy Google: Name column, Phone N - Type labels, Group Membership without My Contacts."""
    contacts, _ = read_fixture("google_legacy.csv")
    assert summary(contacts) == [
        ("宋佳", ["173 4444 7777", "010-62345678", "010-62345679"]),
        ("Tom Lee", ["+1 415 555 0100"]),
    ]
    assert [p.label for p in contacts[0].phones] == ["mobile", "home", "home"]
    assert contacts[0].nickname == "佳佳"
    assert [c.groups for c in contacts] == [["家人"], []]
    assert (contacts[1].org, contacts[1].emails) == ("Acme", ["tom@example.com"])


def test_big5_file_in_taiwan_region() -> None:
    """A Big5 sheet with 手機/分組 reads right when the region's charset is Big5."""
    from readers_helpers import DATA

    contacts, result = read_bytes(
        (DATA / "big5_taiwan.csv").read_bytes(), "big5_taiwan.csv", "csv", region_fallback="big5"
    )
    assert summary(contacts) == [
        ("陳美玲", ["0912 345 678"]),
        ("黃志明", ["0922-333-444"]),
        ("林淑芬", ["0933111222"]),
    ]
    assert contacts[0].groups == ["家人"]
    assert result.encoding == "big5"


def test_undecodable_bytes_are_reported() -> None:
    """Bytes that the chosen charset cannot read are replaced with a warning, not silently."""
    rows = "姓名,手机\n王秀英,13800138000\n李建国,13912345678\n欧阳娜娜,15233334444\n"
    data = rows.encode("gbk") + b"\xff,13512340001\n"
    contacts, result = read_bytes(data, "x.csv", "csv")
    assert [c.name for c in contacts] == ["王秀英", "李建国", "欧阳娜娜", "\ufffd"]
    assert [str(i) for i in result.issues] == [
        "x.csv:5: warning: some characters are not valid gb18030 and were replaced; "
        "if names look wrong, try --encoding"
    ]


def test_excel_sep_line() -> None:
    """Excel's 'sep=;' first line names the delimiter and is not taken as the header."""
    contacts, _ = read_fixture("excel_sep_line.csv")
    assert summary(contacts) == [("Emily Chen", ["+852 9123 4567"])]
    assert [c.source.line for c in contacts if c.source] == [3]


def test_excel_unicode_text_is_utf16_tab_separated() -> None:
    """Excel's 'Unicode Text' (UTF-16 LE with BOM, tabs) reads like any sheet."""
    contacts, result = read_fixture("excel_unicode_text.txt")
    assert summary(contacts) == [("王秀英", ["138 0013 8000"]), ("李建国", ["139 1234 5678"])]
    assert result.encoding == "utf-16-le"


def test_sheet_without_a_phone_column_warns() -> None:
    """Names without any recognised phone column import, with a warning that names the columns."""
    data = b"Name,Whatever Number\nAlice,13800138000\n"
    contacts, result = read_bytes(data, "x.csv", "csv")
    assert summary(contacts) == [("Alice", [])]
    assert [str(i) for i in result.issues] == [
        "x.csv:1: warning: no phone column found (columns: 'Name', 'Whatever Number'); contacts "
        "are imported without numbers; name it with --column phone=HEADER"
    ]


@pytest.mark.parametrize("header", ["Phone Number", "Cell Phone", "号码", "Mobile Number"])
def test_common_phone_headers(header: str) -> None:
    """Common English and Chinese phone headers are recognised."""
    contacts, _ = read_bytes(f"Name,{header}\nAlice,13800138000\n".encode(), "x.csv", "csv")
    assert summary(contacts) == [("Alice", ["13800138000"])]


def test_unbalanced_quote_is_reported() -> None:
    """A quote without its closing quote swallows rows; the resulting name is flagged."""
    data = '姓名,手机\n"张伟,13800138000\n李娜,13912345678\n'.encode()
    contacts, result = read_bytes(data, "x.csv", "csv")
    assert len(contacts) == 1
    assert [str(i) for i in result.issues] == [
        "x.csv:2: warning: the name spans several lines: probably a quote without its closing "
        "quote; check this row in the file"
    ]


def test_huge_cell_does_not_stop_the_read() -> None:
    """A 1 MB notes cell (a pasted photo) is read past; later rows still import."""
    data = (
        "姓名,手机,备注\n王秀英,13800138000," + "x" * 1_000_000 + "\n李娜,13912345678,\n"
    ).encode()
    contacts, result = read_bytes(data, "x.csv", "csv")
    assert summary(contacts) == [("王秀英", ["13800138000"]), ("李娜", ["13912345678"])]
    assert result.issues == []


@pytest.mark.parametrize(
    ("cell", "numbers"),
    [
        ("13800138000,13912345678", ["13800138000", "13912345678"]),
        ("13800138000 / 13912345678", ["13800138000", "13912345678"]),
        ("13800138000、13912345678", ["13800138000", "13912345678"]),
        ("13800138000 13912345678", ["13800138000", "13912345678"]),
        ("138 0013 8000", ["138 0013 8000"]),
        ("010-62345678,,123", ["010-62345678,,123"]),
        ("+86 138 0013 8000 ::: 139 1234 5678", ["+86 138 0013 8000", "139 1234 5678"]),
    ],
)
def test_several_numbers_in_one_cell(cell: str, numbers: list[str]) -> None:
    """Numbers joined by commas, slashes, 、, ::: or spaces become separate numbers."""
    from contact_notify.readers import split_numbers

    assert split_numbers(cell) == numbers


def test_title_row_before_the_header() -> None:
    """A title row above the header is skipped with a note; the header below it is used."""
    data = "我的通讯录 2026,,\n姓名,手机,分组\n王秀英,13800138000,家人\n".encode()
    contacts, result = read_bytes(data, "x.csv", "csv")
    assert summary(contacts) == [("王秀英", ["13800138000"])]
    assert [str(i) for i in result.issues] == [
        "x.csv:1: warning: not a header row (a title?); skipped"
    ]


def test_several_manual_phone_columns() -> None:
    """Repeating --column phone=… keeps every named phone column."""
    data = "人,手,宅\n王秀英,13800138000,010-62345678\n".encode()
    contacts, _ = read_bytes(
        data, "x.csv", "csv", columns=[("name", "人"), ("phone", "手"), ("phone", "宅")]
    )
    assert summary(contacts) == [("王秀英", ["13800138000", "010-62345678"])]


def test_file_without_header_by_column_numbers() -> None:
    """--column name=#1 --column phone=#2 reads a headerless file, first row included."""
    contacts, result = read_fixture("no_header.csv", columns=[("name", "#1"), ("phone", "#2")])
    assert summary(contacts) == [("王秀英", ["13800138000"]), ("李建国", ["13912345678"])]
    assert [c.source.line for c in contacts if c.source] == [1, 2]
    assert result.issues == []
