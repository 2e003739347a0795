"""Import and mark notes are counted like read warnings: the first few shown, the rest one line.

A vCard of 100,000 cards with numbers that are not valid printed 100,000 "number not valid"
lines, and `mark --text` one "probable collector number" line per unknown number (30,000 for
30,000), while the import report kept every line in memory.  Now the result objects keep
counts and the first few (the rule of model.IssueLog), and the terminal prints one summary
line for the rest; the collectors' numbers are listed most written first, since the user adds
them with --by.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_notify import reach_input
from contact_notify.importer import import_files
from contact_notify.model import IssueLog
from contact_notify.store import Case

from conftest import EXAMPLES, Run

SHOWN = IssueLog.PER_KIND


def _cards(path: Path, count: int) -> None:
    """A vCard of ``count`` cards, each with a number that is not valid (1205 …)."""
    path.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P{n}\r\nTEL:12{n:03d}\r\nEND:VCARD\r\n"
            for n in range(count)
        ),
        encoding="utf-8",
    )


def test_numbers_not_valid_are_counted_not_listed(cli: Run, tmp_path: Path) -> None:
    """600 cards with numbers not valid: three lines with file:line, then one counting the rest."""
    cards = tmp_path / "bad.vcf"
    _cards(cards, 600)
    result = cli("import", str(cards))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"number not valid (kept as written): {cards}:1: P0: 12000",
        f"number not valid (kept as written): {cards}:6: P1: 12001",
        f"number not valid (kept as written): {cards}:11: P2: 12002",
        f"number not valid (kept as written): … and 597 more like this (the last at "
        f"{cards}:2996); 600 in all",
    ]
    assert result.stdout.splitlines()[-1] == (
        "contacts added: 600, merged: 0, already in the case: 0, skipped: 0, numbers not valid: 600"
    )


def test_merges_and_shared_numbers_are_counted_not_listed(cli: Run, tmp_path: Path) -> None:
    """50 records merging into others and 50 sharing a landline: the first few of each, then a count."""
    sheet = tmp_path / "people.csv"
    rows = ["姓名,手机,电话"]
    rows += [f"同名{n},1390000{n:04d}," for n in range(50)]
    rows += [f"同名{n},+86 139 0000 {n:04d}," for n in range(50)]  # the same people again
    rows += [f"前台{n},,010-62345678" for n in range(50)]  # one switchboard, fifty names
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli("import", str(sheet))
    assert result.exit_code == 0
    merged = [line for line in result.stderr.splitlines() if line.startswith("merged: ")]
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert merged == [
        f"merged: {sheet}:52: 同名0 merged into 同名0 ({sheet}:2): same number +8613900000000",
        f"merged: {sheet}:53: 同名1 merged into 同名1 ({sheet}:3): same number +8613900000001",
        f"merged: {sheet}:54: 同名2 merged into 同名2 ({sheet}:4): same number +8613900000002",
        f"merged: … and 47 more like this (the last at {sheet}:101); 50 in all",
    ]
    assert len(notes) == SHOWN + 1
    assert notes[0] == (
        f"note: {sheet}:103: 前台1 shares a number with 前台0 (+861062345678): kept as a separate "
        "contact (not a mobile number, not the same name)"
    )
    assert notes[-1].startswith("note: … and ")
    assert notes[-1].endswith(f"more like this (the last at {sheet}:151); 49 in all")


def test_the_import_report_keeps_counts_and_the_first_few(tmp_path: Path) -> None:
    """However many notes an import makes, its report holds three of each kind and the counts."""
    cards = tmp_path / "bad.vcf"
    _cards(cards, 400)
    with Case.open(tmp_path / "case.sqlite3", create=True) as case, case.transaction():
        report = import_files(case, [cards], region="CN")
    assert (report.invalid_notes.count, report.invalid_notes.more) == (400, 400 - SHOWN)
    assert report.invalid_numbers == [
        f"{cards}:{1 + 5 * n}: P{n}: 12{n:03d}" for n in range(SHOWN)
    ]  # fmt: skip
    assert str(report.invalid_notes.last) == f"{cards}:1996"


@pytest.fixture
def imported(cli: Run) -> Run:
    """A case with the example contacts imported (李建国 holds 139 1234 5678)."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    return cli


def _chat(path: Path) -> None:
    """A chat with 60 numbers of nobody (170 0000 0011 five times, 170 0000 0022 three) and 李建国's."""
    lines = [f"来电 170 0000 {n:04d}" for n in range(60)]
    lines += ["又打来 170 0000 0011"] * 4 + ["还有 170-0000-0022"] * 2
    lines.append("打给了 139 1234 5678")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.zone("Asia/Shanghai")
def test_probable_collector_numbers_most_written_first(imported: Run, tmp_path: Path) -> None:
    """60 unknown numbers: the 20 most written (with their count) get the --by hint; one line counts the rest."""
    chat = tmp_path / "chat.txt"
    _chat(chat)
    result = imported("mark", "--text", str(chat), "--at", "2026-11-27 21:30", "--dry-run")
    assert result.stdout == f"would mark: 李建国 ({chat}:67: 139 1234 5678)\n"
    hint = (
        "; add it to the reach with: contact-notify mark CONTACT --at '2026-11-27T21:30:00+08:00'"
    )
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        f"probable collector number (not in your contacts): 170 0000 0011 (written 5 times){hint} "
        "--by +8617000000011",
        f"probable collector number (not in your contacts): 170 0000 0022 (written 3 times){hint} "
        "--by +8617000000022",
        f"probable collector number (not in your contacts): 170 0000 0000{hint} --by +8617000000000",
    ]
    assert len(lines) == reach_input.UNKNOWN_SHOWN + 1
    # Then the others in the order they were first written: 0000 to 0018 without 0011.
    assert lines[-2].endswith("--by +8617000000018")
    assert lines[-1] == (
        "… and 40 more numbers not in your contacts, written 40 times in all "
        "(those above are written most often)"
    )


def test_unknown_numbers_kept_are_bounded(imported: Run, case_path: Path, tmp_path: Path) -> None:
    """The result a second front would show holds at most 20 numbers, with counts for the rest."""
    chat = tmp_path / "chat.txt"
    _chat(chat)
    with Case.open(case_path) as case:
        found = reach_input.read_text_targets(chat, case, "CN")
    targets, unknown = found.targets, found.unknown
    assert [str(t) for t in targets] == [f"{chat}:67: 139 1234 5678"]
    assert [(n.e164, n.count, str(n.first)) for n in unknown.shown[:2]] == [
        ("+8617000000011", 5, f"{chat}:12"),
        ("+8617000000022", 3, f"{chat}:23"),
    ]
    assert (len(unknown.shown), unknown.others, unknown.other_mentions) == (
        reach_input.UNKNOWN_SHOWN,
        40,
        40,
    )
    assert [n.e164 for n in unknown] == [n.e164 for n in unknown.shown]
