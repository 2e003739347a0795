"""Warnings are listed a few of a kind and counted beyond: a junk file cannot flood the output.

Issue 11, item 10: a 3 MB card of a million junk lines gave 1,000,002 warning
lines and kept a ReadIssue for each (1.25 GB).  Memory is checked by the fuzz
budget (tests/test_fuzz.py, shape junk_lines); these tests check what is shown.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run
from readers_helpers import read_bytes

CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nTEL:13800138000\r\n"
JUNK = "not a vCard property line; ignored"


def junk_card(lines: int) -> bytes:
    """One good card with ``lines`` junk lines from line 5 on."""
    return CARD + b"j\r\n" * lines + b"END:VCARD\r\n"


def test_junk_lines_are_listed_three_times_then_counted() -> None:
    """100,000 junk lines give three warnings with their lines and one summary with the count."""
    contacts, result = read_bytes(junk_card(100_000), "junk.vcf")
    assert [c.name for c in contacts] == ["A"]
    assert [str(i) for i in result.issues] == [
        f"junk.vcf:5: warning: {JUNK}",
        f"junk.vcf:6: warning: {JUNK}",
        f"junk.vcf:7: warning: {JUNK}",
        f"junk.vcf:8: warning: … and 99,997 more lines like this (lines 8 to 100,004): {JUNK}",
    ]
    assert [i.count for i in result.issues] == [1, 1, 1, 99_997]


def test_import_prints_a_summary_not_a_line_per_junk_line(cli: Run, tmp_path: Path) -> None:
    """import of a card with 5,000 junk lines prints four warning lines and imports the card."""
    card = tmp_path / "junk.vcf"
    card.write_bytes(junk_card(5_000))
    result = cli("import", str(card))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{card}:5: warning: {JUNK}",
        f"{card}:6: warning: {JUNK}",
        f"{card}:7: warning: {JUNK}",
        f"{card}:8: warning: … and 4,997 more lines like this (lines 8 to 5,004): {JUNK}",
    ]
    assert result.stdout.splitlines()[-1] == (
        "contacts added: 1, merged: 0, already in the case: 0, skipped: 0, numbers not valid: 0"
    )


def test_inspect_json_lists_the_summary_as_a_warning(cli: Run, tmp_path: Path) -> None:
    """inspect --format json keeps its fields; the summary is one more warning with the count."""
    card = tmp_path / "junk.vcf"
    card.write_bytes(junk_card(5_000))
    result = cli("inspect", str(card), "--format", "json")
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert warnings == [
        {"line": 5, "reason": JUNK, "skipped": False},
        {"line": 6, "reason": JUNK, "skipped": False},
        {"line": 7, "reason": JUNK, "skipped": False},
        {
            "line": 8,
            "reason": f"… and 4,997 more lines like this (lines 8 to 5,004): {JUNK}",
            "skipped": False,
        },
    ]


def test_skipped_cards_are_listed_twenty_times_and_all_counted(cli: Run, tmp_path: Path) -> None:
    """30 empty cards: 20 named with their line, the other 10 in one line; skipped: 30."""
    cards = tmp_path / "empty.vcf"
    cards.write_bytes(CARD + b"END:VCARD\r\n" + b"BEGIN:VCARD\r\nEND:VCARD\r\n" * 30)
    result = cli("import", str(cards))
    assert result.exit_code == 0, result.output
    reason = "card has no name, phone number or e-mail address"
    assert result.stderr.splitlines() == [
        *(f"{cards}:{line}: skipped: {reason}" for line in range(6, 46, 2)),
        f"{cards}:46: skipped: … and 10 more cards like this (lines 46 to 64): {reason}",
    ]
    assert result.stdout.splitlines()[-1] == (
        "contacts added: 1, merged: 0, already in the case: 0, skipped: 30, numbers not valid: 0"
    )


def test_rows_without_data_are_counted_as_rows(cli: Run, tmp_path: Path) -> None:
    """A sheet of 25 rows without data lists 20 of them and counts the other 5 as rows."""
    sheet = tmp_path / "rows.csv"
    sheet.write_text("姓名,手机,备注\n王秀英,13800138000,\n" + ",,x\n" * 25, encoding="utf-8")
    result = cli("inspect", str(sheet))
    assert result.exit_code == 0, result.output
    reason = "row has no name, phone number or e-mail address"
    lines = result.stdout.splitlines()
    assert lines[-3:-1] == [
        f"{sheet}:22: skipped: {reason}",
        f"{sheet}:23: skipped: … and 5 more rows like this (lines 23 to 27): {reason}",
    ]
    assert sum(f"skipped: {reason}" in line for line in lines) == 20


def test_one_card_shows_at_most_five_warnings() -> None:
    """A card with six kinds of problem shows five; the sixth is counted, with its line."""
    lines = [
        b"NICKNAME;CHARSET=big5:\xff\xff",
        b"ORG;CHARSET=shift_jis:\xff\xff",
        b"TITLE",
        b"X-GROUPS:a",
        b"NOTE;ENCODING=QUOTED-PRINTABLE:a",
        b"FN;CHARSET=x-nothing:\xe6\x9d\x8e",
        b"EMAIL;ENCODING=b:!!!",
    ]
    data = b"BEGIN:VCARD\r\n" + b"\r\n".join(lines) + b"\r\nEND:VCARD\r\n"
    _, result = read_bytes(data, "six.vcf")
    # Lines outside the card's wanted properties are reported as met; the others when the card ends.
    assert [str(i) for i in result.issues] == [
        "six.vcf:4: warning: not a vCard property line; ignored",
        "six.vcf:5: warning: X-GROUPS looks like a contact group but is not read; ignored "
        "(groups are read from CATEGORIES and X-GROUP-MEMBERSHIP)",
        "six.vcf:2: warning: text is not valid big5; characters replaced",
        "six.vcf:3: warning: text is not valid shift_jis; characters replaced",
        "six.vcf:7: warning: unknown charset 'x-nothing'; read as big5, cp1250, shift_jis",
        "six.vcf:8: warning: … and 1 more line like this (line 8): "
        "EMAIL is base64 text that cannot be decoded; ignored",
    ]


def test_the_log_keeps_no_more_than_its_caps() -> None:
    """1,000 kinds of issue, 200 each: 64 kinds and the rest as one are listed 3 times, all counted."""
    from contact_notify.model import IssueLog

    log = IssueLog("f")
    for line in range(1, 200_001):
        log.new_record()
        log.add(line, f"reason {line % 1000}")
    issues = log.issues
    assert len(log.listed) == (IssueLog.MAX_KINDS + 1) * IssueLog.PER_KIND
    assert sum(i.count for i in issues) == 200_000
    others = [i for i in issues if i.reason.endswith(": other problems")]
    assert [i.count for i in others] == [200_000 - 200 * IssueLog.MAX_KINDS - 3]
