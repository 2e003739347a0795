"""Issue 10: groups in X-GROUP-MEMBERSHIP, and quoted-printable text written without ENCODING."""

from __future__ import annotations

import pytest

from contact_notify.importer import inspect_file

from conftest import DATA, Run
from readers_helpers import read_bytes, read_fixture

QP_WARNING = "the value looked quoted-printable without ENCODING=QUOTED-PRINTABLE, decoded as"


def _card(*lines: str) -> bytes:
    """One vCard 2.1 card with a phone number and the given lines, CRLF as phones write it."""
    body = ["BEGIN:VCARD", "VERSION:2.1", "TEL;CELL:13800138000", *lines, "END:VCARD", ""]
    return "\r\n".join(body).encode("utf-8")


# --- defect 2: X-GROUP-MEMBERSHIP ------------------------------------------------------------


def test_huawei_group_membership_lines_are_groups() -> None:
    """QP, raw and soft-broken X-GROUP-MEMBERSHIP lines are groups, deduplicated, Google's left out."""
    contacts, result = read_fixture("huawei_group_membership.vcf")
    assert [(c.name, c.groups) for c in contacts] == [
        ("王秀英", ["家人"]),
        ("李建国", ["同事", "领导"]),
        ("周杰", ["大学室友和老同学们"]),
        ("徐强", ["朋友", "Friends"]),
        ("陈静", []),
    ]
    assert [str(i) for i in result.issues] == [
        "huawei_group_membership.vcf:43: warning: "
        "X-GROUP-MEMBERSHIP: the group name is not valid utf-8; left out"
    ]


def test_google_system_groups_in_group_membership_are_not_groups() -> None:
    """Google's "My Contacts" and "Starred in Android" are not groups; its "Family" is."""
    data = _card(
        "FN:Amy Wong",
        "X-GROUP-MEMBERSHIP:My Contacts",
        "X-GROUP-MEMBERSHIP:Starred in Android",
        "X-GROUP-MEMBERSHIP:Family",
    )
    contacts, result = read_bytes(data, "g.vcf")
    assert [c.groups for c in contacts] == [["Family"]]
    assert result.issues == []


def test_group_membership_and_categories_share_one_list() -> None:
    """A group in both CATEGORIES and X-GROUP-MEMBERSHIP is listed once, in order of appearance."""
    data = _card(
        "FN:Amy Wong",
        "CATEGORIES:家人,朋友",
        "X-GROUP-MEMBERSHIP:朋友",
        "X-GROUP-MEMBERSHIP:同事",
    )
    contacts, _ = read_bytes(data, "g.vcf")
    assert contacts[0].groups == ["家人", "朋友", "同事"]


def test_unread_group_properties_are_reported_once_per_card() -> None:
    """Group-like properties that are not read (X-CATEGORIES, MEMBER) are warned about once per card."""
    data = _card(
        "FN:Amy Wong",
        "X-CATEGORIES:Family",
        "X-CATEGORIES:Friends",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:1234",
    ) + _card("FN:Li Lei", "X-CATEGORIES:Friends")
    contacts, result = read_bytes(data, "g.vcf")
    assert [c.groups for c in contacts] == [[], []]
    note = "looks like a contact group but is not read; ignored (groups are read from CATEGORIES and X-GROUP-MEMBERSHIP)"
    assert [str(i) for i in result.issues] == [
        f"g.vcf:5: warning: X-CATEGORIES {note}",
        f"g.vcf:7: warning: X-ADDRESSBOOKSERVER-MEMBER {note}",
        f"g.vcf:13: warning: X-CATEGORIES {note}",
    ]


def test_undecodable_category_is_left_out_with_a_warning() -> None:
    """A CATEGORIES value that is not valid in its charset gives no garbled group, and says so."""
    data = _card("FN:Amy Wong", "CATEGORIES;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=AE=B6=E4")
    contacts, result = read_bytes(data, "g.vcf")
    assert contacts[0].groups == []
    assert [str(i) for i in result.issues] == [
        "g.vcf:5: warning: CATEGORIES: the group name is not valid utf-8; left out"
    ]


def test_inspect_shows_the_group_membership() -> None:
    """inspect_file, what `contact-notify inspect` prints, shows the Huawei contacts' groups."""
    inspection = inspect_file(DATA / "huawei_group_membership.vcf", region="CN")
    assert [(c.name, c.groups, c.phones[0].e164) for c in inspection.contacts[:2]] == [
        ("王秀英", ["家人"], "+8613800138000"),
        ("李建国", ["同事", "领导"], "+8613912345678"),
    ]


def test_group_membership_chooses_the_template(cli: Run) -> None:
    """A Huawei contact in group 家人 gets the family template, not the default one."""
    assert cli("import", str(DATA / "huawei_group_membership.vcf")).exit_code == 0
    assert cli("mark", "13800138000", "--at", "2026-11-27").exit_code == 0
    assert cli("config", "sender", "小林").exit_code == 0
    result = cli("preview")
    assert result.exit_code == 0
    assert "王秀英 · +8613800138000 · family-elder.sms.zh (group 家人)" in result.stdout


# --- defect 3: quoted-printable text without ENCODING -----------------------------------------


def test_quoted_printable_without_encoding_fixture() -> None:
    """Plainly QP values without ENCODING decode in the card's charset; undecodable ones are left out."""
    contacts, result = read_fixture("qp_without_encoding.vcf")
    fields = [(c.name, c.family, c.given, c.nickname, c.org, c.groups, c.emails) for c in contacts]
    assert fields == [
        ("刘梅", "刘", "梅", "小梅", "", [], []),
        ("赵敏", "赵", "敏", "", "", ["同事"], []),
        ("张三", "张", "三", "三哥", "", [], []),
        ("孙丽", "", "", "", "", [], []),
        ("Tom=4ever Li", "Li", "Tom", "a=b", "E=MC2 Lab", [], ["tom=li@example.com"]),
    ]
    left_out = (
        "the value looks quoted-printable without ENCODING=QUOTED-PRINTABLE but cannot be decoded"
    )
    assert [str(i) for i in result.issues] == [
        f"qp_without_encoding.vcf:6: warning: X-ANDROID-CUSTOM: {QP_WARNING} utf-8",
        f"qp_without_encoding.vcf:10: warning: N: {QP_WARNING} utf-8",
        f"qp_without_encoding.vcf:11: warning: FN: {QP_WARNING} utf-8",
        f"qp_without_encoding.vcf:13: warning: X-GROUP-MEMBERSHIP: {QP_WARNING} utf-8",
        f"qp_without_encoding.vcf:20: warning: X-ANDROID-CUSTOM: {QP_WARNING} gb18030",
        "qp_without_encoding.vcf:28: warning: not a vCard property line; ignored",
        f"qp_without_encoding.vcf:26: warning: X-ANDROID-CUSTOM: {left_out} (not valid utf-8); left out",
        f"qp_without_encoding.vcf:27: warning: ORG: {left_out} "
        "(escapes mixed with a bare '=' or other text); left out",
    ]


@pytest.mark.parametrize(
    ("line", "nickname", "charset"),
    [
        ("NICKNAME:=E5=B0=8F", "小", "utf-8"),  # one character: three escapes
        ("NICKNAME:=e5=b0=8f=e6=a2=85", "小梅", "utf-8"),  # lower-case hex
        ("NICKNAME:Amy =E5=B0=8F=E6=A2=85", "Amy 小梅", "utf-8"),  # escapes and plain ASCII
        ("NICKNAME:=41=6D=79=20=E5=B0=8F", "Amy 小", "utf-8"),  # Android escapes every byte
        ("NICKNAME;CHARSET=GB2312:=D0=A1=C3=B7", "小梅", "gb18030"),  # the property's charset
        ("NICKNAME;CHARSET=ISO-8859-1:Jos=E9 M=FCller", "José Müller", "iso8859-1"),
    ],
)
def test_plainly_quoted_printable_values_are_decoded(
    line: str, nickname: str, charset: str
) -> None:
    """A value that is only =XX escapes and ASCII, decoding to text, is decoded with a warning."""
    contacts, result = read_bytes(_card("FN:Amy Wong", line), "n.vcf")
    assert contacts[0].nickname == nickname
    assert [str(i) for i in result.issues] == [
        f"n.vcf:5: warning: NICKNAME: {QP_WARNING} {charset}"
    ]


@pytest.mark.parametrize(
    "nickname",
    [
        "a=b",  # an "=" that is no escape
        "Tom=4ever",  # one escape by chance
        "Caf=E9 Lee",  # one non-ASCII escape by chance
        "=3D=3D",  # escapes of ASCII only
        "x=1B=2Cy",  # two ASCII escapes by chance
        "E=MC2",
    ],
)
def test_values_that_merely_contain_equals_signs_are_untouched(nickname: str) -> None:
    """A nickname with "=" that is not plainly quoted-printable reads exactly as written, silently."""
    contacts, result = read_bytes(_card("FN:Amy Wong", f"NICKNAME:{nickname}"), "n.vcf")
    assert contacts[0].nickname == nickname
    assert result.issues == []


@pytest.mark.parametrize(
    "line",
    [
        "NICKNAME:=E5=B0",  # a character cut short: not UTF-8
        "NICKNAME:=FF=FE=FD",  # bytes that are no text
        "NICKNAME:=E5=B0=8F=E6=A2=85=",  # a soft line break without ENCODING: the rest is lost
        "NICKNAME:小=E6=A2=85",  # raw text and escapes mixed
    ],
)
def test_undecodable_escapes_never_reach_a_nickname(line: str) -> None:
    """Escapes that do not decode are left out with a warning, never kept as the nickname."""
    contacts, result = read_bytes(_card("FN:Amy Wong", line), "n.vcf")
    assert contacts[0].nickname == ""
    assert contacts[0].name == "Amy Wong"
    assert [(i.source.line, i.reason.split(": ", 1)[0]) for i in result.issues] == [(5, "NICKNAME")]
    assert "left out" in result.issues[0].reason


def test_undecodable_escapes_never_become_a_name() -> None:
    """An FN of undecodable escapes is left out: the name comes from N, and no escapes remain."""
    data = _card(
        "FN:=E5=88=98=E6", "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=88=98;=E6=A2=85;;;"
    )
    contacts, result = read_bytes(data, "n.vcf")
    assert contacts[0].name == "刘梅"
    assert [i.source.line for i in result.issues] == [4]


def test_message_starts_with_the_decoded_nickname(cli: Run) -> None:
    """The reported case: the preview addresses 刘梅 as 小梅, with no =XX escapes in the text."""
    assert cli("import", str(DATA / "qp_without_encoding.vcf")).exit_code == 0
    assert cli("mark", "15012345678", "--at", "2026-11-27").exit_code == 0
    assert cli("config", "sender", "小林").exit_code == 0
    result = cli("preview")
    assert result.exit_code == 0
    header, text = result.stdout.split("\n")[:2]
    assert header.startswith("--- 1/1 刘梅 · +8615012345678")
    assert text.startswith("小梅")
    assert "=E5" not in result.stdout
