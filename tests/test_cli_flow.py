"""The main job end to end through the CLI: import, mark, preview, export, status."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES, Run

REACHED = ["王秀英", "李建国", "张伟", "刘芳", "陈静", "徐强"]


def test_import_reports_counts(cli: Run) -> None:
    """import prints what it read and added; invalid numbers are listed on stderr with their line."""
    result = cli("import", str(EXAMPLES / "contacts.vcf"))
    assert result.exit_code == 0
    assert result.stdout == (
        f"{EXAMPLES / 'contacts.vcf'}: 33 cards read (encoding: utf-8)\n"
        "contacts added: 33, merged: 0, already in the case: 0, skipped: 0, numbers not valid: 1\n"
    )
    assert result.stderr == (
        f"number not valid (kept as written): {EXAMPLES / 'contacts.vcf'}:258: 物业前台: 95555\n"
    )


def test_mark_file_reports_unknown_number(cli: Run) -> None:
    """mark --file marks each contact once, whatever spelling, and reports the unknown number."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    result = cli("mark", "--file", str(EXAMPLES / "reached.txt"))
    assert result.exit_code == 0
    reached = EXAMPLES / "reached.txt"
    assert result.stdout.splitlines() == [
        f"marked: 王秀英 ({reached}:3: 13800138000)",
        f"marked: 李建国 ({reached}:4: +86 139 1234 5678)",
        f"marked: 张伟 ({reached}:5: 0086 135-0000-1111)",
        f"marked: 刘芳 ({reached}:6: １５０１２３４５６７８)",
        f"marked: 陈静 ({reached}:7: tel:+86-186-0000-1234)",
        f"marked: 徐强 ({reached}:8: 徐强)",
        f"already marked above: 徐强 ({reached}:9: 13900001111)",
    ]
    assert result.stderr == f"no contact matches {reached}:10: 170 9999 8888\n"


def test_four_spellings_mark_the_same_contact(cli: Run) -> None:
    """138 0013 8000, +86-138-0013-8000, 0086 138 0013 8000 and full-width digits are one contact."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    for spelling in (
        "138 0013 8000",
        "+86-138-0013-8000",
        "0086 138 0013 8000",
        "１３８００１３８０００",
    ):
        result = cli("mark", spelling)
        assert result.stdout == f"marked: 王秀英 ({spelling})\n", spelling
    listing = cli("contacts", "--reached", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(listing.stdout)))
    assert [(r["name"], r["reach_count"]) for r in rows] == [("王秀英", "4")]


def test_preview_prints_one_chinese_message_per_reached_contact(reached_case: Run) -> None:
    """preview renders a Chinese message for every reached contact, naming each one but the parents.

    王秀英 and 李建国 are in 家人: a parent is not called by their own name, so their
    messages open without one (and preview says how to set a salutation).
    """
    result = reached_case("preview")
    assert result.exit_code == 0
    blocks = result.stdout.split("--- ")[1:]
    assert len(blocks) == len(REACHED)
    names = [block.split(" · ")[0].split(" ", 1)[1] for block in blocks]
    assert sorted(names) == sorted(REACHED)
    for name, block in zip(names, blocks, strict=True):
        body = block.split("\n", 1)[1]
        if name in ("王秀英", "李建国"):
            assert body.startswith("您好，")
            assert name not in body
        else:
            assert body.startswith(name)
        assert "小林" in body.split("。", 1)[0]
        assert "我自己的欠款" in body or "我个人的欠款" in body
        assert "拉黑" in body
    assert result.stdout.endswith("6 messages, 12 SMS parts in all\n")


def test_preview_changes_nothing(reached_case: Run, case_path: Path) -> None:
    """preview leaves the case file byte for byte as it was."""
    before = case_path.read_bytes()
    assert reached_case("preview", "--lang", "en").exit_code == 0
    assert case_path.read_bytes() == before


def test_export_round_trips_and_refuses_to_overwrite(reached_case: Run, tmp_path: Path) -> None:
    """export writes rows csv reads back exactly; a second export without --force changes nothing."""
    out = tmp_path / "out.csv"
    preview = reached_case("preview").stdout
    result = reached_case("export", str(out))
    assert result.exit_code == 0
    assert result.stdout == f"wrote 6 messages to {out}\n"
    first = out.read_bytes()
    rows = list(csv.DictReader(io.StringIO(first.decode("utf-8"), newline="")))
    assert [r["name"] for r in rows] == [
        b.split(" · ")[0].split(" ", 1)[1] for b in preview.split("--- ")[1:]
    ]
    assert {r["template"] for r in rows} == {
        "family-elder.sms.zh", "colleague.sms.zh", "friend.sms.zh", "superior.sms.zh",
    }  # fmt: skip
    for row in rows:
        assert re.fullmatch(r"1\d{10}", row["phone"])  # national digits: no formula-starting '+'
        assert f"+86{row['phone']}" in preview
        assert row["message"] + "\n" in preview

    again = reached_case("export", str(out))
    assert again.exit_code == 5
    assert again.stderr == (
        f"error: {out} already exists; nothing was written\n"
        "hint: choose another file name, or add --force to replace it\n"
    )
    assert out.read_bytes() == first

    forced = reached_case("export", str(out), "--force", "--lang", "en")
    assert forced.exit_code == 0
    assert "family-elder.sms.en" in out.read_text(encoding="utf-8")


def test_export_records_what_was_exported(reached_case: Run, tmp_path: Path) -> None:
    """After export, status counts the messages as exported but not yet sent."""
    before = reached_case("status").stdout
    assert "still to notify:   6" in before
    reached_case("export", str(tmp_path / "out.csv"))
    after = reached_case("status").stdout.splitlines()[1:]
    assert after == [
        "contacts:          33",
        "  no valid number: 1",
        "reached:           6",
        "  reach records:   6, latest 2026-11-27 21:30 刘芳",
        "sent:              0",
        "still to notify:   6",
        "  exported, not marked sent:          6",
        "  reached again since their message:  0",
    ]


def test_export_without_sender_is_refused(cli: Run, tmp_path: Path) -> None:
    """export refuses to write unsigned messages (exit 2) and writes no file."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("mark", "13800138000")
    result = cli("export", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no sender name")
    assert not (tmp_path / "out.csv").exists()


def test_ambiguous_name_lists_candidates_and_marks_nothing(cli: Run, tmp_path: Path) -> None:
    """A name shared by two contacts is an error listing both ids; nothing is marked."""
    sheet = tmp_path / "two.csv"
    sheet.write_text("姓名,手机\n李明,13800138000\n李明,13912345678\n王芳,15012345678\n")
    cli("import", str(sheet))
    result = cli("mark", "王芳", "李明")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: 李明 matches 2 contacts: id:1 李明 (+8613800138000); id:2 李明 (+8613912345678)\n"
        "hint: nothing was changed; name one of them by number or id, e.g. contact-notify mark id:1\n"
    )
    assert cli("contacts", "--reached", "--format", "json").stdout.strip() == "[]"
    assert cli("mark", "id:2").stdout == "marked: 李明 (id:2)\n"


@pytest.mark.parametrize("command", ["sent", "history", "contact", "unmark"])
def test_ambiguity_hint_names_the_command_that_was_run(
    cli: Run, tmp_path: Path, command: str
) -> None:
    """The hint after an ambiguous name repeats the command the user ran, not mark."""
    sheet = tmp_path / "two.csv"
    sheet.write_text("姓名,手机\n李明,13800138000\n李明,13912345678\n")
    cli("import", str(sheet))
    cli("mark", "id:1", "id:2", "--at", "2026-11-27 21:30")
    result = cli(command, "李明")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        3,
        f"hint: nothing was changed; name one of them by number or id, e.g. contact-notify {command} id:1",
    )
    first_line = {
        "sent": "sent: 李明",
        "history": "id:1 李明: 1 reach record(s)",
        "contact": "id:1 李明",
        "unmark": "unmarked: 李明 (1 record removed)",
    }
    assert cli(command, "id:1").stdout.splitlines()[0] == first_line[command]


def test_names_match_after_normalising(cli: Run) -> None:
    """Names match across full-width letters, case and spaces."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    assert cli("mark", "ＥＭＩＬＹ  chen").stdout == "marked: Emily Chen (ＥＭＩＬＹ  chen)\n"
    assert cli("mark", "王 秀英").stdout == "marked: 王秀英 (王 秀英)\n"


def test_unmark_and_dry_run(cli: Run) -> None:
    """mark --dry-run records nothing; unmark removes a contact's reach records."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    dry = cli("mark", "13800138000", "--dry-run")
    assert dry.stdout == "would mark: 王秀英 (13800138000)\n"
    header = "id,name,phones,groups,reach_count,last_reached\n"
    assert cli("contacts", "--reached", "--format", "csv").stdout == header
    cli("mark", "13800138000")
    cli("mark", "13800138000")
    assert cli("unmark", "王秀英").stdout == "unmarked: 王秀英 (2 records removed)\n"
    assert len(cli("contacts", "--unreached", "--format", "csv").stdout.splitlines()) == 1 + 33


def test_mark_records_when_by_and_note(cli: Run) -> None:
    """--at, --by and --note are kept with the reach and shown in the JSON listing."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli(
        "mark",
        "13800138000",
        "--at",
        "2026-11-27 21:30",
        "--by",
        "170 1234 5678",
        "--note",
        "说我欠钱",
    )

    (record,) = json.loads(cli("contacts", "--reached", "--format", "json").stdout)
    assert record["last_reached"].startswith("2026-11-27T21:30:00")  # and the local offset
    assert record["reach_count"] == 1
    preview = cli("preview", "--sender", "小林", "--channel", "wechat").stdout
    assert "拉黑170 1234 5678这个号码" in preview


def test_bad_at_is_a_usage_error(cli: Run) -> None:
    """An unreadable --at is exit 2 with a hint, and nothing is marked."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    result = cli("mark", "13800138000", "--at", "yesterday-ish")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "error: --at 'yesterday-ish' is not a date or time"


def test_broken_card_import_names_its_line(cli: Run) -> None:
    """Importing a vCard with a broken card imports the others and names the broken card's line."""
    result = cli("import", str(DATA / "broken_card_middle.vcf"))
    assert result.exit_code == 0
    assert "contacts added: 2, merged: 0, already in the case: 0, skipped: 1" in result.stdout
    assert (
        f"{DATA / 'broken_card_middle.vcf'}:6: skipped: card has no name, phone number or e-mail address"
        in result.stderr
    )


def test_contacts_formats(reached_case: Run) -> None:
    """contacts lists as table, csv or json; an unknown format is a usage error."""
    table = reached_case("contacts", "--reached").stdout.splitlines()
    assert table[0].split() == ["id", "name", "phones", "groups", "reached"]
    assert len(table) == 2 + 6
    assert reached_case("contacts", "--format", "xml").exit_code == 2


def test_demo_runs_the_whole_flow_and_touches_nothing(cli: Run, case_path: Path) -> None:
    """demo prints the preview of the shipped examples and creates no case of the user's."""
    result = cli("demo")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:4] == [
        "$ contact-notify import examples/contacts.vcf",
        "examples/contacts.vcf: 33 cards read (encoding: utf-8)",
        "contacts added: 33, merged: 0, already in the case: 0, skipped: 0, numbers not valid: 1",
        "$ contact-notify mark --file examples/reached.txt",
    ]
    assert "no contact matches examples/reached.txt:10: 170 9999 8888" in result.stdout
    assert result.stdout.count("--- ") == 6
    assert "您好，是我，小林。让您担心了，对不起。" in result.stdout
    assert "contact-notify contact 王秀英 --salutation" in result.stdout + result.stderr
    assert not case_path.exists()


def test_region_is_stored_in_the_case(cli: Run, tmp_path: Path) -> None:
    """import --region HK stores the region; later marks read local numbers as Hong Kong ones."""
    sheet = tmp_path / "hk.csv"
    sheet.write_text("Name,Mobile\nAmy Wong,9123 4567\n")
    assert "numbers not valid: 0" in cli("import", str(sheet), "--region", "HK").stdout
    assert cli("config", "region").stdout == "HK\n"
    assert cli("mark", "9123 4567").stdout == "marked: Amy Wong (9123 4567)\n"
