"""Surviving crashes and company: SIGKILL mid-import and mid-export, backups, doctor, wipe, locks."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from contact_notify.errors import ExitCode
from contact_notify.store import Case, schema

from conftest import EXAMPLES, Run

# Runs the real command in a child process, after arranging for it to be killed (SIGKILL, no
# clean-up possible) at the named point: the worst moments for the case file and the output.
DRIVER = """
import os, signal, sys
from contact_notify import cli, fileio, store
point = sys.argv[1]
if point == "import":
    real = store.Case.add_contacts
    def add_contacts(self, contacts, *args):
        real(self, contacts[:200], *args)  # 200 written inside the transaction, then the end
        os.kill(os.getpid(), signal.SIGKILL)
    store.Case.add_contacts = add_contacts
elif point == "export":
    def link(src, dst):
        os.kill(os.getpid(), signal.SIGKILL)
    fileio.os.link = link
    fileio.Path.replace = lambda self, target: os.kill(os.getpid(), signal.SIGKILL)
sys.argv = ["contact-notify", *sys.argv[2:]]
cli.main()
"""


def _killed_run(point: str, *args: str, case: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, point, "--case", str(case), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode


def _count(case: Path) -> int:
    with Case.open(case) as opened:
        assert opened.check() == []
        return opened.counts().contacts


def test_import_killed_part_way_leaves_all_or_nothing(
    cli: Run, case_path: Path, tmp_path: Path
) -> None:
    """SIGKILL after 200 contacts of 500 were written: the case opens, is sound and has none of them."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    before = _count(case_path)
    sheet = tmp_path / "many.csv"
    sheet.write_text(
        "姓名,手机\n" + "".join(f"人{n},133{n:08d}\n" for n in range(500)), encoding="utf-8"
    )
    code = _killed_run("import", "import", str(sheet), case=case_path)
    assert code == -signal.SIGKILL
    assert _count(case_path) == before
    assert cli("doctor").stdout == f"{case_path}: ok\n"
    assert cli("import", str(sheet)).exit_code == 0
    assert _count(case_path) == before + 500


def test_export_killed_before_the_rename_is_finished_on_the_next_open(
    reached_case: Run, case_path: Path, tmp_path: Path
) -> None:
    """SIGKILL after the case recorded the export, before the file took its name: the next
    command puts the whole file in place, so the file and the send log agree."""
    out = tmp_path / "out.csv"
    code = _killed_run("export", "export", str(out), case=case_path)
    assert code == -signal.SIGKILL
    assert not out.exists()
    status = reached_case("status")
    assert status.stderr == f"note: finished an interrupted export to {out}\n"
    assert status.stdout.splitlines()[-2] == "  exported, not marked sent:          6"
    assert out.read_text(encoding="utf-8").startswith("name,phone,message,template")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 6  # header, 6 reached
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")] == []
    assert reached_case("sent", "--exported", str(out)).stdout.count("sent: ") == 6


def test_backup_is_consistent_owner_only_and_restores(
    reached_case: Run, case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """backup writes a 0600 copy through SQLite's backup API; a case restored from it is the same."""
    copy = tmp_path / "backup" / "case.sqlite3"
    copy.parent.mkdir()
    result = reached_case("backup", str(copy))
    assert result.stdout == f"backed up the case to {copy}\n"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert reached_case("backup", str(copy)).exit_code == ExitCode.CASE_IO
    before = reached_case("contacts", "--format", "json").stdout
    assert reached_case("wipe", "--yes").exit_code == 0
    assert not case_path.exists()
    monkeypatch.setenv("CONTACT_NOTIFY_CASE", str(copy))
    assert reached_case("contacts", "--format", "json").stdout == before
    assert reached_case("doctor").exit_code == 0


def test_wipe_asks_first(cli: Run, case_path: Path) -> None:
    """wipe asks for confirmation; 'n' keeps the case, 'y' deletes it."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    kept = cli("wipe", input="n\n")
    assert (kept.exit_code, kept.stdout, kept.stderr) == (
        0,
        f"Delete the case {case_path} and everything in it? [y/N]: n\nnothing was deleted\n",
        "",
    )
    assert case_path.exists()
    gone = cli("wipe", input="y\n")
    assert gone.exit_code == 0
    assert f"deleted {case_path}" in gone.stdout
    assert not case_path.exists()
    assert cli("wipe", "--yes").exit_code == ExitCode.USAGE


def test_doctor_reports_damage(cli: Run, case_path: Path) -> None:
    """doctor finds a broken foreign key and exits 5 naming it."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    with sqlite3.connect(case_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "INSERT INTO phones(contact_id, raw, e164, label, key) VALUES (999, 'x', NULL, '', 'x')"
        )
    result = cli("doctor")
    assert result.exit_code == ExitCode.CASE_IO
    assert "problem: phones row" in result.stderr


def test_a_second_writer_waits_for_the_first(
    cli: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While another process writes, a command waits; past the timeout it fails with one clear line."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    monkeypatch.setattr(schema, "BUSY_TIMEOUT", 0.3)
    holder = sqlite3.connect(case_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    blocked = cli("mark", "13800138000")
    assert blocked.exit_code == ExitCode.CASE_IO
    assert blocked.stderr.splitlines()[-1] == (
        "hint: another contact-notify is working on this case; try again when it is done"
    )
    monkeypatch.setattr(schema, "BUSY_TIMEOUT", 5.0)
    threading.Timer(0.3, holder.execute, args=("COMMIT",)).start()
    started = time.monotonic()
    waited = cli("mark", "13800138000")
    assert waited.exit_code == 0
    assert time.monotonic() - started >= 0.25
    holder.close()
    assert _count(case_path) == 33


def test_files_are_owner_only(cli: Run, case_path: Path, tmp_path: Path) -> None:
    """The case, its folder, exports, evidence and drafts are created owner-only whatever the umask."""
    old = os.umask(0o022)
    try:
        cli("import", str(EXAMPLES / "contacts.vcf"))
        cli("config", "sender", "小林")
        cli("mark", "张伟")
        cli("export", str(tmp_path / "o.csv"))
        cli("evidence", str(tmp_path / "e.html"))
        cli("complaint", "--to", "police", str(tmp_path / "p.txt"))
        cli("export", str(tmp_path / "drafts"), "--all")
    finally:
        os.umask(old)
    for path in [case_path, tmp_path / "o.csv", tmp_path / "e.html", tmp_path / "p.txt",
                 *(tmp_path / "drafts").iterdir()]:  # fmt: skip
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(case_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "drafts").stat().st_mode) == 0o700
