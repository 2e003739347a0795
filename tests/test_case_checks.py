"""Every command checks the case it opens, refuses a damaged one, and never loses a backup."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from contact_notify.errors import ExitCode
from contact_notify.store import Case, schema

from conftest import DATA, EXAMPLES, Run

DAMAGED_HINT = (
    "hint: check it with: contact-notify doctor; restore it from a backup "
    "(contact-notify --case BACKUP doctor checks one first)\n"
)


@pytest.fixture
def imported(cli: Run) -> Run:
    """A case with the shipped examples imported."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    return cli


def test_backup_force_keeps_the_old_backup_when_the_case_is_broken(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """backup --force from a broken or mistyped --case fails and leaves the existing backup whole."""
    backup = tmp_path / "bk.sqlite3"
    assert imported("backup", str(backup)).exit_code == 0
    before = backup.read_bytes()
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    for case in (broken, tmp_path / "mistyped.sqlite3"):
        result = imported("--case", str(case), "backup", str(backup), "--force")
        assert (result.exit_code, result.stdout) == (ExitCode.CASE_IO, "")
        assert backup.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("bk", ".bk"))) == [
        "bk.sqlite3"
    ]


def test_backup_force_replaces_only_with_a_verified_copy(
    imported: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy that does not verify (rows missing) is never put over the old backup."""
    backup = tmp_path / "bk.sqlite3"
    imported("backup", str(backup))
    before = backup.read_bytes()

    def short_counts(self: Case) -> dict[str, int]:
        counts = real_counts(self)
        counts["contacts"] += 1  # the case claims a row the copy lacks
        return counts

    real_counts = Case.table_counts
    monkeypatch.setattr(Case, "table_counts", short_counts)
    result = imported("backup", str(backup), "--force")
    assert (result.exit_code, result.stderr) == (
        ExitCode.CASE_IO,
        "error: the backup copy did not verify (it differs from the case); nothing was replaced\n"
        "hint: check the disk and free space, then try again\n",
    )
    assert backup.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "the file is empty (0 bytes): a copy or a crash went wrong"),
        (None, "it holds no contact-notify case (an empty database)"),
    ],
)
def test_an_empty_file_is_no_case(
    cli: Run, case_path: Path, content: bytes | None, why: str
) -> None:
    """A 0-byte file or an empty SQLite database is refused by every command, doctor included."""
    case_path.parent.mkdir()
    if content is None:
        sqlite3.connect(case_path).execute("CREATE TABLE t(x)").connection.close()
    else:
        case_path.write_bytes(content)
    before = case_path.read_bytes()
    for command in (("doctor",), ("status",), ("import", str(EXAMPLES / "contacts.vcf"))):
        result = cli(*command)
        assert (result.exit_code, result.stdout, result.stderr) == (
            ExitCode.CASE_IO,
            "",
            f"error: the case {case_path} is damaged: {why}\n" + DAMAGED_HINT,
        )
    assert case_path.read_bytes() == before


def test_commands_that_write_refuse_a_case_doctor_rejects(imported: Run, case_path: Path) -> None:
    """A broken reference (doctor's finding) stops import, mark and export before they write."""
    with sqlite3.connect(case_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        row = conn.execute(
            "INSERT INTO phones(contact_id, raw, key) VALUES (999, '1', '1')"
        ).lastrowid
    before = case_path.read_bytes()
    assert imported("doctor").exit_code == ExitCode.CASE_IO
    for command in (
        ("import", str(DATA / "utf8_bom.vcf")),
        ("mark", "13800138000"),
        ("export", "out.csv", "--sender", "小林"),
    ):
        result = imported(*command)
        assert (result.exit_code, result.stderr) == (
            ExitCode.CASE_IO,
            f"error: the case {case_path} is damaged: phones row {row} refers to a missing "
            "contacts\n" + DAMAGED_HINT,
        )
    assert case_path.read_bytes() == before
    assert not Path("out.csv").exists()


def test_a_failed_import_into_a_new_case_leaves_no_case(cli: Run, case_path: Path) -> None:
    """An import that fails on a file creates no case file (and no journal) at all."""
    result = cli("import", str(DATA / "not_a_vcard.vcf"))
    assert result.exit_code == ExitCode.INPUT
    assert not case_path.exists()
    assert [p.name for p in case_path.parent.iterdir()] == []


def test_doctor_removes_a_stale_journal(imported: Run, case_path: Path) -> None:
    """A journal with a zeroed header (left by a crash, never used again) is removed by doctor."""
    journal = case_path.with_name(case_path.name + "-journal")
    journal.write_bytes(b"\0" * 512)
    result = imported("doctor")
    assert result.stdout == (
        f"removed a stale journal left by a crash: {journal}\n{case_path}: ok\n"
    )
    assert not journal.exists()
    assert imported("doctor").stdout == f"{case_path}: ok\n"


@pytest.mark.parametrize("value", ["not json", '{"a": 1}', "[1, 2]"])
def test_a_hand_edited_cell_is_damage_not_an_internal_error(
    imported: Run, case_path: Path, value: str
) -> None:
    """A groups cell edited by hand into something that is not a list of texts: exit 5, named."""
    with sqlite3.connect(case_path) as conn:
        conn.execute("UPDATE contacts SET groups = ? WHERE id = 3", (value,))
    result = imported("contacts")
    assert (result.exit_code, result.stderr) == (
        ExitCode.CASE_IO,
        "error: the case is damaged: contact 3 has an unreadable groups value\n"
        "hint: restore the case from a backup, or re-import the contact file into a new case\n",
    )


def test_a_read_only_case_says_so(
    imported: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing to a case SQLite may only read is exit 5 saying it is read-only, not "restore"."""
    real_connect = schema._connect

    def read_only(path: Path) -> sqlite3.Connection:
        conn = real_connect(path)
        conn.execute("PRAGMA query_only = ON")  # what a read-only file or folder gives
        return conn

    monkeypatch.setattr(schema, "_connect", read_only)
    result = imported("mark", "13800138000")
    assert result.exit_code == ExitCode.CASE_IO
    assert result.stderr.startswith(f"error: the case {case_path} cannot be written: ")
    assert "restore" not in result.stderr


def test_read_only_error_text_is_explained() -> None:
    """SQLite's "attempt to write a readonly database" becomes the read-only message."""
    error = schema.sqlite_failure(
        sqlite3.OperationalError("attempt to write a readonly database"), Path("c.sqlite3")
    )
    assert (error.message, error.hint) == (
        "the case c.sqlite3 cannot be written: the file or its folder is read-only",
        "make it writable again (it should be yours, mode 0600), or work on a copy made with: "
        "contact-notify backup COPY",
    )


def test_a_dangling_link_as_output_is_named(imported: Run, tmp_path: Path) -> None:
    """An output name that is a link to nothing is reported as such, not as "already exists"."""
    link = tmp_path / "out.html"
    link.symlink_to(tmp_path / "gone" / "page.html")
    imported("mark", "13800138000")
    result = imported("export", str(link), "--sender", "小林")
    assert (result.exit_code, result.stderr) == (
        ExitCode.CASE_IO,
        f"error: {link} is a link to {tmp_path / 'gone' / 'page.html'}, which does not exist; "
        "nothing was written\nhint: remove the link, or choose another file name\n",
    )


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Run with umask 000, the worst a user's shell may have."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_every_folder_created_is_owner_only(cli: Run, tmp_path: Path) -> None:
    """Under umask 000 the case's, an export's and a template copy's new folders are all 0700."""
    case = tmp_path / "d" / "sub" / "case.sqlite3"
    assert cli("--case", str(case), "import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    cli("--case", str(case), "mark", "张伟", "徐强")
    cli("--case", str(case), "config", "sender", "小林")
    drafts = tmp_path / "exp" / "drafts"
    assert cli("--case", str(case), "export", str(drafts), "--channel", "email").exit_code == 0
    cli("templates", "copy", "friend.sms.zh", str(tmp_path / "mine" / "t"))
    folders = [
        tmp_path / "d", tmp_path / "d" / "sub", tmp_path / "exp", drafts,
        tmp_path / "mine", tmp_path / "mine" / "t",
    ]  # fmt: skip
    assert {str(f.relative_to(tmp_path)): oct(stat.S_IMODE(f.stat().st_mode)) for f in folders} == {
        str(f.relative_to(tmp_path)): "0o700" for f in folders
    }
    files = [case, *drafts.iterdir(), tmp_path / "mine" / "t" / "friend.sms.zh.j2"]
    assert {oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {"0o600"}


@pytest.mark.parametrize("kind", ["contact file", "fifo", "device"])
def test_wipe_deletes_only_a_case(cli: Run, tmp_path: Path, kind: str) -> None:
    """--case naming a contact file, a FIFO or a device: wipe refuses and deletes nothing."""
    target = tmp_path / "mine"
    if kind == "contact file":
        target.write_bytes((EXAMPLES / "contacts.csv").read_bytes())
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = Path("/dev/null")
    result = cli("--case", str(target), "wipe", "--yes")
    assert (result.exit_code, result.stdout) == (ExitCode.CASE_IO, "")
    assert result.stderr.startswith("error: ")
    assert target.exists()
    if kind == "contact file":
        assert target.read_bytes() == (EXAMPLES / "contacts.csv").read_bytes()


def test_a_fifo_as_case_is_refused_without_waiting(cli: Run, tmp_path: Path) -> None:
    """Opening a FIFO given as --case would block for ever: it is refused by its type first."""
    fifo = tmp_path / "case.fifo"
    os.mkfifo(fifo)
    for command in (("status",), ("doctor",), ("import", str(EXAMPLES / "contacts.vcf"))):
        result = cli("--case", str(fifo), *command)
        assert (result.exit_code, result.stderr) == (
            ExitCode.CASE_IO,
            f"error: the case path {fifo} is not a file (a device, FIFO or socket)\n"
            "hint: give the path of a case file with --case\n",
        )


@pytest.mark.parametrize("folder", [False, True])
def test_recovery_touches_no_file_it_did_not_make(
    imported: Run, case_path: Path, tmp_path: Path, folder: bool
) -> None:
    """An export record naming other files (a case edited by hand) is dropped; the files stay."""
    victim = tmp_path / "victim"
    if folder:
        victim.mkdir()
        (victim / "keep.txt").write_text("mine", encoding="utf-8")
    else:
        victim.write_text("mine", encoding="utf-8")
    with sqlite3.connect(case_path) as conn:
        conn.execute(
            "INSERT INTO exports(path, staging, folder, digest, force, state, started_at) "
            "VALUES (?, ?, ?, 'abc', 1, 'writing', '2026-11-27T10:00:00+08:00')",
            (str(tmp_path / "nothere"), str(victim), int(folder)),
        )
    result = imported("status")
    assert result.stderr == (
        f"note: ignored a recorded export to {tmp_path / 'nothere'} whose files are not the "
        "tool's\n"
    )
    assert (victim / "keep.txt" if folder else victim).read_text(encoding="utf-8") == "mine"
    assert imported("status").stderr == ""


def test_attach_refuses_a_file_that_never_ends(imported: Run) -> None:
    """A /proc file says it is empty and then reads on: attach stops and records nothing."""
    imported("mark", "13800138000", "--at", "2026-11-27 10:00")
    result = imported("attach", "1", "/proc/self/status")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        ExitCode.INPUT,
        "error: the evidence file /proc/self/status grew while it was read; nothing was recorded",
    )
