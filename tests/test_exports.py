"""Exports: CSV (columns, phone formats, Excel, formula safety), vCard, e-mail drafts, send log."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import random
from collections.abc import Callable
from pathlib import Path

import pytest
import vobject

from contact_notify import csvsafe
from contact_notify.csvsafe import protect, unprotect
from contact_notify.errors import ExitCode
from contact_notify.marking import Details, mark
from contact_notify.messages import compose
from contact_notify.model import Contact, Phone
from contact_notify.reach_input import Target
from contact_notify.store import Case

from conftest import EXAMPLES, Run
from readers_helpers import read_bytes

HOSTILE = [
    "Li, Wei", 'Say "hi"', "Two\nlines", "=HYPERLINK(\"http://x\",\"y\")", "+86 boss", "-minus",
    "@at", "'=quoted", "Emoji 😀 王", "מרים כהן", "\tTabbed",
]  # fmt: skip


@pytest.fixture
def hostile_case(tmp_path: Path, case_path: Path) -> Path:
    """A case whose reached contacts have hostile names, each with a mobile number."""
    with Case.open(case_path, create=True) as case, case.transaction():
        case.set_setting("region", "CN")
        case.set_setting("sender", "小林")
        for n, name in enumerate(HOSTILE):
            number = f"+861380013{8100 + n}"
            case.add_contact(Contact(name=name, phones=[Phone(number, "mobile", number)]))
            mark(
                case,
                [Target(f"id:{n + 1}")],
                region="CN",
                details=Details(at="2026-11-27T21:30:00+08:00"),
            )
    return case_path


def _names_numbers_messages(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(unprotect(r["name"]), unprotect(r["phone"]), unprotect(r["message"])) for r in rows]


@pytest.mark.parametrize("phone_format", ["national", "e164", "digits"])
def test_csv_round_trip_with_hostile_names(
    cli: Run, hostile_case: Path, tmp_path: Path, phone_format: str
) -> None:
    """Names with commas, quotes, newlines, formula starts, emoji and RTL text survive exactly."""
    out = tmp_path / "out.csv"
    result = cli("export", str(out), "--phone-format", phone_format)
    assert result.exit_code == 0, result.output
    with Case.open(hostile_case) as case:
        expected = {m.name: m for m in compose(case, "小林", channel="sms")}
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    read_back = _names_numbers_messages(rows)
    assert sorted(n for n, _, _ in read_back) == sorted(HOSTILE)
    for name, phone, message in read_back:
        assert message == expected[name].body.rstrip("\n")
        e164 = expected[name].phone
        assert phone == {"national": e164[3:], "e164": e164, "digits": e164[1:]}[phone_format]
    # The project's own reader gets the same names back (trimmed, as it trims every cell).
    contacts, _ = read_bytes(out.read_bytes(), "out.csv", "csv")
    assert sorted(c.name for c in contacts) == sorted(n.strip() for n in HOSTILE)


def test_no_cell_starts_like_a_formula(cli: Run, hostile_case: Path, tmp_path: Path) -> None:
    """Every cell a spreadsheet would evaluate is protected; national phone cells need no apostrophe."""
    out = tmp_path / "out.csv"
    cli("export", str(out), "--columns", "phone,name,message")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["phone", "name", "message"]
    for row in rows[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
        assert row[0].isdigit()


def test_protect_and_unprotect_are_inverse() -> None:
    """protect adds one apostrophe only where needed; unprotect removes exactly that one."""
    for value in ["=1+1", "+86", "'=x", "''@y", "plain", "'plain", "", "-", "中文"]:
        assert unprotect(protect(value)) == value
    assert protect("=1+1") == "'=1+1"
    assert protect("'plain") == "'plain"


def test_cells_written_as_they_are_need_neither_apostrophe_nor_quotes() -> None:
    """The CSV writer's shortcut for plain cells gives what protecting and quoting each cell gives."""
    rng = random.Random(16)  # noqa: S311 -- seeded test data, not cryptography.
    breaks = ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
    assert all(len(line) == 1 for b in breaks for line in f"a{b}b".splitlines())  # every one
    others = ["\x00", "\x1b", "\u200e", "\u3000", "\u00ad"]  # not printable, not quoted
    letters = ["a", "中", ",", '"', "=", "+", "-", "@", "\t", "'", " ", "1", *breaks, *others]
    cells = ["".join(rng.choices(letters, k=rng.randint(0, 6))) for _ in range(50_000)]
    cells += ["'=1", "''@x", "'plain", "", "13800138000", "王芳，您好", "a,b"]
    expected = ",".join(csvsafe._quoted(protect(c)) for c in cells)
    assert csvsafe._row(cells) == expected


def test_every_character_to_quote_but_comma_and_quote_is_not_printable() -> None:
    """The CSV writer's quick look holds: a printable cell without a comma or a quote has
    nothing to quote (checked over every code point)."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    to_quote = [c for c in chars if csvsafe._NEEDS_QUOTES.match(c)]
    assert len(to_quote) == 12
    assert [c for c in to_quote if c.isprintable()] == ['"', ","]  # in code point order


def test_printable_cells_are_not_matched_character_by_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A printable cell without a comma or a quote (a message body) is written without the
    pattern's look at each character."""

    class Refuse:
        def fullmatch(self, cell: str) -> None:
            raise AssertionError(f"{cell!r} went through the pattern")

    monkeypatch.setattr(csvsafe, "_PLAIN", Refuse())
    row = ["王芳", "138 0013 8000", "王芳您好，是我小林。抱歉打扰了！", "friend.sms.zh", ""]
    assert csvsafe._row(row) == ",".join(row)


def test_excel_mode(cli: Run, hostile_case: Path, tmp_path: Path) -> None:
    """--excel writes UTF-8 with a BOM and CRLF line ends."""
    out = tmp_path / "excel.csv"
    cli("export", str(out), "--excel")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfname,phone,message,template\r\n")


def test_unknown_column_or_phone_format(cli: Run, hostile_case: Path, tmp_path: Path) -> None:
    """Unknown columns and phone formats are usage errors that name the choices."""
    bad = cli("export", str(tmp_path / "x.csv"), "--columns", "name,shoe")
    assert bad.exit_code == 2
    assert "columns: name, phone, message" in bad.stderr
    assert cli("export", str(tmp_path / "x.csv"), "--phone-format", "fancy").exit_code == 2


def test_vcard_round_trip(cli: Run, hostile_case: Path, tmp_path: Path) -> None:
    """The vCard export reads back through our reader and vobject with the same names and numbers."""
    out = tmp_path / "reached.vcf"
    result = cli("export", str(out), "--group", "已道歉")
    assert result.stdout == f"wrote {len(HOSTILE)} contacts to {out}\n"
    contacts, read = read_bytes(out.read_bytes(), "reached.vcf")
    assert read.issues == []
    assert sorted(c.name for c in contacts) == sorted(HOSTILE)
    assert all(c.groups == ["已道歉"] for c in contacts)
    theirs = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert sorted(card.fn.value for card in theirs) == sorted(HOSTILE)
    assert {card.version.value for card in theirs} == {"3.0"}


def test_email_drafts_parse_back(cli: Run, tmp_path: Path) -> None:
    """One .eml per contact with an address: UTF-8 subject and body parse back; others are listed."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("config", "sender", "小林")
    cli("config", "sender-contact", "lin@example.com")
    cli("mark", "张伟", "徐强", "刘芳", "--at", "2026-11-27 21:30")
    folder = tmp_path / "drafts"
    result = cli("export", str(folder))
    assert (result.stdout, result.stderr) == (
        f"wrote 2 e-mail draft(s) to {folder}\n",
        "skipped: 刘芳: no e-mail address\n",
    )
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == ["001-张伟.eml", "002-徐强.eml"]
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "张伟 <zhangwei@example.com>"
    assert parsed["From"] == "小林 <lin@example.com>"
    assert parsed["X-Unsent"] == "1"
    assert parsed["Subject"] == "抱歉打扰：关于您可能接到的催收电话"
    body = parsed.get_content()
    assert body.startswith("张伟您好，我是小林。")
    assert "截图" in body
    assert files[0].stat().st_mode & 0o777 == 0o600


def test_dry_run_writes_and_records_nothing(
    reached_case: Run, case_path: Path, tmp_path: Path
) -> None:
    """export --dry-run says what it would write and changes neither files nor the case."""
    before = case_path.read_bytes()
    result = reached_case("export", str(tmp_path / "out.csv"), "--dry-run")
    assert result.stdout == f"would write 6 messages to {tmp_path / 'out.csv'}\n"
    assert not (tmp_path / "out.csv").exists()
    assert case_path.read_bytes() == before


def test_sent_log_leaves_only_new_reaches(reached_case: Run, tmp_path: Path) -> None:
    """After sent --exported, one new reach makes the next export hold only that contact."""
    first = tmp_path / "first.csv"
    reached_case("export", str(first))
    result = reached_case("sent", "--exported", str(first))
    assert len(result.stdout.splitlines()) == 6
    assert reached_case("preview").stderr.startswith("nobody to notify")
    reached_case("mark", "周杰", "--at", "2026-11-28 10:00")
    second = tmp_path / "second.csv"
    reached_case("export", str(second))
    rows = list(csv.DictReader(io.StringIO(second.read_text(encoding="utf-8"), newline="")))
    assert [r["name"] for r in rows] == ["周杰"]
    status = reached_case("status").stdout.splitlines()[1:]
    assert status == [
        "contacts:          33",
        "  no valid number: 1",
        "reached:           7",
        "  reach records:   7, latest 2026-11-28 10:00 周杰",
        "sent:              6",
        "still to notify:   1",
        "  exported, not marked sent:          1",
        "  reached again since their message:  0",
    ]
    everyone = reached_case("export", str(tmp_path / "all.csv"), "--all")
    assert everyone.stdout == f"wrote 7 messages to {tmp_path / 'all.csv'}\n"


def test_reached_again_after_a_message(reached_case: Run, clock_at: Callable[[str], None]) -> None:
    """A contact sent a message and then reached again is pending, and status says why."""
    clock_at("2026-11-28 12:00")
    assert reached_case("sent", "王秀英", "--channel", "wechat").stdout == "sent: 王秀英\n"
    clock_at("2026-11-29 10:00")
    assert reached_case("mark", "王秀英", "--at", "2026-11-29 09:00").exit_code == 0
    status = reached_case("status").stdout.splitlines()
    assert status[-3:] == [
        "still to notify:   6",
        "  exported, not marked sent:          0",
        "  reached again since their message:  1",
    ]
    assert "王秀英" in reached_case("preview").stdout


def test_sent_needs_a_reach_and_a_known_export(reached_case: Run, tmp_path: Path) -> None:
    """sent of a contact never reached, of a file never exported, or of nobody is refused and marks nothing."""
    never_reached = reached_case("sent", "周杰")
    assert (never_reached.exit_code, never_reached.stdout, never_reached.stderr) == (
        ExitCode.INPUT,
        "",
        "error: 周杰 was never marked as reached; nothing to answer\n"
        "hint: mark them first: contact-notify mark 周杰\n",
    )
    unknown = tmp_path / "nope.csv"
    never_exported = reached_case("sent", "--exported", str(unknown))
    assert (never_exported.exit_code, never_exported.stdout, never_exported.stderr) == (
        ExitCode.INPUT,
        "",
        f"error: no messages were exported to {unknown}\n"
        "hint: give the file or folder that contact-notify export wrote\n",
    )
    nobody = reached_case("sent")
    assert (nobody.exit_code, nobody.stdout, nobody.stderr) == (
        ExitCode.USAGE,
        "",
        "error: say who was sent a message: names or numbers, or --exported FILE\n",
    )
    status = reached_case("status").stdout.splitlines()
    assert [line for line in status if line.startswith(("sent:", "still to notify:"))] == [
        "sent:              0",
        "still to notify:   6",
    ]


def test_format_from_extension_or_option(reached_case: Run, tmp_path: Path) -> None:
    """An unknown extension needs --format; --format overrides the extension."""
    assert reached_case("export", str(tmp_path / "out.txt")).exit_code == 2
    result = reached_case("export", str(tmp_path / "out.txt"), "--format", "csv")
    assert result.exit_code == 0
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").startswith("name,phone,message")


def test_contacts_that_cannot_take_an_sms_stay_pending(cli: Run, tmp_path: Path) -> None:
    """A landline-only or number-less contact is skipped by an SMS CSV, never logged as sent."""
    cards = tmp_path / "c.vcf"
    cards.write_text(
        "BEGIN:VCARD\nFN:老张\nTEL:010 6234 5678\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:小李\nEMAIL:li@example.com\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:王秀英\nTEL:13800138000\nEND:VCARD\n",
        encoding="utf-8",
    )
    cli("import", str(cards))
    cli("config", "sender", "小林")
    cli("mark", "老张", "小李", "王秀英")
    out = tmp_path / "s.csv"
    result = cli("export", str(out))
    assert (result.stdout, result.stderr.splitlines()) == (
        f"wrote 1 message to {out}\n",
        [
            "skipped: 小李: no mobile number for an SMS; reach them another way",
            "skipped: 老张: no mobile number for an SMS; reach them another way",
        ],
    )
    assert cli("sent", "--exported", str(out)).stdout == "sent: 王秀英\n"
    preview = cli("preview").stdout
    assert "--- 2/2 老张 · +861062345678 (not a mobile number: no SMS)" in preview
    assert "--- 1/2 小李 · no number (not a valid number)" in preview
    assert cli("status").stdout.splitlines()[-3] == "still to notify:   2"


def test_vcard_export_logs_no_message(reached_case: Run, tmp_path: Path) -> None:
    """Exporting the contacts as a vCard sends nobody anything, so nothing can be marked sent by it."""
    out = tmp_path / "r.vcf"
    reached_case("export", str(out))
    assert reached_case("sent", "--exported", str(out)).exit_code == 3
    assert reached_case("status").stdout.splitlines()[-2].endswith(" 0")


def test_email_drafts_survive_hostile_names_and_addresses(cli: Run, tmp_path: Path) -> None:
    """A name with CR/LF cannot add a header; an internationalised address still gets a draft."""
    cards = tmp_path / "c.vcf"
    cards.write_bytes(
        b"BEGIN:VCARD\r\nFN;ENCODING=QUOTED-PRINTABLE:Evil=0D=0ABcc: x@evil.example\r\n"
        b"EMAIL:evil@example.com\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nFN:\xe7\x8e\x8b\xe8\x8a\xb3\r\nEMAIL:wang@\xe4\xbe\x8b\xe5\xad\x90.\xe4\xb8\xad\xe5\x9b\xbd\r\n"
        b"END:VCARD\r\n"
    )
    cli("import", str(cards))
    cli("config", "sender", "小林")
    cli("mark", "id:1", "id:2")
    folder = tmp_path / "drafts"
    result = cli("export", str(folder))
    assert result.exit_code == 0, result.output
    files = sorted(folder.iterdir())
    assert len(files) == 2
    evil = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert evil["Bcc"] is None
    assert evil["To"].addresses[0].display_name == "Evil Bcc: x@evil.example"
    assert evil["To"].addresses[0].addr_spec == "evil@example.com"
    wang = email.message_from_bytes(files[1].read_bytes(), policy=email.policy.default)
    assert wang["To"] == "王芳 <wang@例子.中国>"


def test_email_export_without_addresses_writes_nothing(cli: Run, tmp_path: Path) -> None:
    """No reached contact has an e-mail address: no folder, nothing logged, exit 6 saying how many."""
    sheet = tmp_path / "c.csv"
    sheet.write_text("姓名,手机\n甲,13300000001\n乙,13300000002\n", encoding="utf-8")
    cli("import", str(sheet))
    cli("mark", "甲", "乙", "--at", "2026-11-27 10:00")
    cli("config", "sender", "小林")
    drafts = tmp_path / "drafts"
    result = cli("export", str(drafts), "--channel", "email")
    assert (result.exit_code, result.stdout, result.stderr) == (
        ExitCode.NOTHING_TO_DO,
        "",
        "no e-mail draft to write: none of the 2 reached contact(s) waiting for a message can get "
        "one (2 with no e-mail address); nothing was written\n"
        "hint: add their numbers or addresses to your contact file and import it again, or choose "
        "another channel: contact-notify export send.html --channel wechat\n",
    )
    assert not drafts.exists()
    assert cli("status").stdout.splitlines()[-3:-1] == [
        "still to notify:   2",
        "  exported, not marked sent:          0",
    ]


def test_sms_csv_without_mobiles_writes_nothing(cli: Run, tmp_path: Path) -> None:
    """An SMS export whose only reached contact has a landline writes no file and exits 6."""
    sheet = tmp_path / "c.csv"
    sheet.write_text("姓名,电话\n物业,010 6552 9988\n", encoding="utf-8")
    cli("import", str(sheet))
    cli("mark", "物业", "--at", "2026-11-27 10:00")
    result = cli("export", str(tmp_path / "o.csv"), "--sender", "小林")
    assert result.exit_code == ExitCode.NOTHING_TO_DO
    assert result.stderr.startswith(
        "no CSV to write: none of the 1 reached contact(s) waiting for a message can get one "
        "(1 with no mobile number); nothing was written\n"
    )
    assert not (tmp_path / "o.csv").exists()


def test_forced_drafts_export_keeps_a_folder_with_hidden_files(
    reached_case: Run, tmp_path: Path
) -> None:
    """A drafts folder holding hidden files or a subfolder is refused even with --force."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "001-张伟.eml").write_text("old", encoding="utf-8")
    (drafts / ".my-notes").write_text("secret", encoding="utf-8")
    (drafts / ".git").mkdir()
    result = reached_case("export", str(drafts), "--channel", "email", "--force")
    assert result.exit_code == ExitCode.CASE_IO
    assert result.stderr.startswith(f"error: {drafts} holds other files (such as .")
    assert (drafts / ".my-notes").read_text(encoding="utf-8") == "secret"
    assert (drafts / ".git").is_dir()


def test_forced_drafts_export_replaces_a_thousand_drafts(reached_case: Run, tmp_path: Path) -> None:
    """Drafts numbered past 999 (1000-name.eml) are drafts too: --force replaces them."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for name in ("001-甲.eml", "999-乙.eml", "1000-丙.eml", "1599-丁.eml"):
        (drafts / name).write_text("old", encoding="utf-8")
    result = reached_case("export", str(drafts), "--channel", "email", "--force")
    assert (result.exit_code, result.stdout) == (0, f"wrote 2 e-mail draft(s) to {drafts}\n")
    assert sorted(p.name for p in drafts.iterdir()) == ["001-张伟.eml", "002-徐强.eml"]
