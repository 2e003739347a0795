"""A case edited by hand or damaged cell by cell is refused with exit 5, never an internal error.

SQLite keeps whatever a cell is given: a time that names no day, a number that is no number,
a BLOB for a name, a reach whose contact was deleted with foreign keys off.  Each gave
"internal error" (ValueError, NumberParseException, TypeError, KeyError) in one command or
another.  Every value read from the case is now checked where the store decodes it
(store/cells.py), and the evidence kit and complaint drafts run the foreign-key check.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contact_notify.cli import app
from contact_notify.errors import ExitCode

from conftest import EXAMPLES, Run

CELL_HINT = "hint: restore the case from a backup, or re-import the contact file into a new case\n"
DAMAGED_HINT = (
    "hint: check it with: contact-notify doctor; restore it from a backup "
    "(contact-notify --case BACKUP doctor checks one first)\n"
)

# Each edit, and what the refusal names.  Contact 1 is 王秀英 (+8613800138000), reach 1 hers;
# reach 2 is 李建国's.
EDITS = {
    "reach time": (
        "UPDATE reaches SET at = '2026-13-45 25:61' WHERE id = 1",
        "reach record 1 has an unreadable time value",
    ),
    "reach time blob": (
        "UPDATE reaches SET at = X'ff' WHERE id = 1",
        "reach record 1 has an unreadable time value",
    ),
    "reach contact number": (
        "UPDATE reaches SET contact_number = 'garbage' WHERE id = 1",
        "reach record 1 has an unreadable contact number value",
    ),
    "phone e164": (
        "UPDATE phones SET e164 = 'garbage' WHERE e164 = '+8613800138000'",
        "contact 1 has an unreadable E.164 number value",
    ),
    "name blob": (
        "UPDATE contacts SET name = X'ff00fe' WHERE id = 1",
        "contact 1 has an unreadable name value",
    ),
    "phone raw blob": (
        "UPDATE phones SET raw = X'ff' WHERE e164 = '+8613800138000'",
        "contact 1 has an unreadable number value",
    ),
    "orphan reach": ("UPDATE reaches SET contact_id = 999 WHERE id = 2", None),
}
COMMANDS = {
    "contacts": ("contacts",),
    "contacts json": ("contacts", "--format", "json"),
    "contact": ("contact", "id:1"),
    "preview": ("preview",),
    "export": ("export", "out.csv"),
    "evidence": ("evidence", "e.md"),
    "evidence mask": ("evidence", "e.md", "--mask"),
    "complaint": ("complaint", "--to", "police", "cp.txt"),
    "import": ("import", str(EXAMPLES / "contacts.vcf")),
}
# Commands that only read check the case's header and schema (docs/architecture.md: the
# foreign-key check is for commands that write, and the evidence kit): a reach whose contact
# is gone belongs to no contact these list, so they run as on a sound case.
UNAFFECTED = {("orphan reach", c) for c in ("contacts", "contacts json", "contact", "preview")}


@pytest.fixture(scope="module")
def sound_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples imported, 王秀英 and 李建国 reached (with a collector's number), a sender set."""
    path = tmp_path_factory.mktemp("sound") / "case.sqlite3"
    runner = CliRunner()
    for args in (
        ("import", str(EXAMPLES / "contacts.vcf")),
        ("mark", "13800138000", "--at", "2026-11-27 21:30", "--by", "17012345678"),
        ("mark", "李建国", "--at", "2026-11-28 09:00"),
        ("config", "sender", "小林"),
    ):
        result = runner.invoke(app, ["--case", str(path), *args])
        assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def reached(cli: Run, case_path: Path, sound_case: Path) -> Run:
    """A copy of the sound case as this test's case (built once: every test damages its own)."""
    case_path.parent.mkdir()
    shutil.copyfile(sound_case, case_path)
    case_path.chmod(0o600)
    return cli


def _edit(case_path: Path, sql: str) -> None:
    conn = sqlite3.connect(case_path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        assert conn.execute(sql).rowcount == 1
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("edit", EDITS)
def test_a_damaged_cell_is_refused_by_every_command(
    reached: Run, case_path: Path, tmp_path: Path, edit: str, command: str
) -> None:
    """Each hand edit, each command: exit 5 naming the damage, nothing written, no internal error."""
    sql, damage = EDITS[edit]
    _edit(case_path, sql)
    before = case_path.read_bytes()
    result = reached(*COMMANDS[command])
    assert "internal error" not in result.output
    assert "Traceback" not in result.output
    if (edit, command) in UNAFFECTED:
        assert result.exit_code == 0
        assert not [line for line in result.stderr.splitlines() if line.startswith("error:")]
        return
    expected = (
        f"error: the case is damaged: {damage}\n{CELL_HINT}"
        if damage
        else f"error: the case {case_path} is damaged: reaches row 2 refers to a missing "
        f"contacts\n{DAMAGED_HINT}"
    )
    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.CASE_IO, "", expected)
    assert case_path.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name in ("out.csv", "e.md", "cp.txt")]


def test_a_number_of_no_country_is_no_mobile(reached: Run, case_path: Path) -> None:
    """An E.164-shaped number of a country code nobody has: no mobile, not an internal error."""
    _edit(case_path, "UPDATE phones SET e164 = '+99912345678' WHERE e164 = '+8613800138000'")
    preview = reached("preview")
    assert preview.exit_code == 0
    assert "--- 2/2 王秀英 · +99912345678 (not a mobile number: no SMS)" in preview.stdout
    export = reached("export", "out.csv")
    assert export.exit_code == 0
    assert "skipped: 王秀英: no mobile number" in export.stderr


@pytest.mark.parametrize(
    ("column", "value"),
    [("recorded_at", "yesterday"), ("note", b"\xfe\xff"), ("channel", b"call")],
)
def test_every_reach_cell_is_checked(
    reached: Run, case_path: Path, column: str, value: object
) -> None:
    """Other reach cells edited into another kind of value are named the same way by history."""
    conn = sqlite3.connect(case_path)
    conn.execute(f"UPDATE reaches SET {column} = ? WHERE id = 2", (value,))  # noqa: S608 -- test columns.
    conn.commit()
    conn.close()
    label = {"recorded_at": "recorded time"}.get(column, column)
    result = reached("history", "李建国")
    assert (result.exit_code, result.stderr) == (
        ExitCode.CASE_IO,
        f"error: the case is damaged: reach record 2 has an unreadable {label} value\n{CELL_HINT}",
    )


def test_a_damaged_cell_no_listing_reads_stops_only_what_shows_it(
    reached: Run, case_path: Path
) -> None:
    """A latest reach's channel (like its recorded time, organisation, source and behaviours) is
    no part of a contact listing: the commands that list contacts run, those that show it refuse."""
    _edit(case_path, "UPDATE reaches SET channel = X'ff' WHERE id = 1")
    for args in (("contacts",), ("contact", "id:1"), ("preview",), ("status",)):
        result = reached(*args)
        assert result.exit_code == 0, args
        assert "error" not in result.stderr, args
    for args in (("history", "王秀英"), ("evidence", "e.md")):
        result = reached(*args)
        assert (result.exit_code, result.stderr) == (
            ExitCode.CASE_IO,
            f"error: the case is damaged: reach record 1 has an unreadable channel value\n{CELL_HINT}",
        ), args
