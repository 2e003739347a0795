"""Output files are atomic and replace nothing without --force; Big5 is detected; Ctrl-C changes nothing.

(Owner-only permissions are proved in test_case_care.py, --encoding in test_vcard_fidelity.py.)
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from contact_notify.errors import ExitCode, OutputError
from contact_notify.fileio import atomic_write

from conftest import EXAMPLES, Run
from readers_helpers import read_bytes


def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails part-way keeps the previous file byte for byte and leaves no temp file."""
    target = tmp_path / "out.csv"
    target.write_bytes(b"old contents")

    def fail(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OutputError, match="No space left on device"):
        atomic_write(target, b"new contents", force=True)
    assert target.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_without_force_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    """Without force, an existing target stays as it is and the error says so."""
    target = tmp_path / "out.csv"
    target.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="already exists"):
        atomic_write(target, b"other", force=False)
    assert target.read_bytes() == b"keep me"
    atomic_write(target, b"other", force=True)
    assert target.read_bytes() == b"other"


def test_forced_export_of_drafts_removes_the_old_ones(reached_case: Run, tmp_path: Path) -> None:
    """export DIR refuses a folder of earlier drafts; --force replaces them, so a sent one cannot go twice."""
    reached_case("config", "sender-contact", "lin@example.com")
    folder = tmp_path / "drafts"
    reached_case("export", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == ["001-张伟.eml", "002-徐强.eml"]
    first = (folder / "001-张伟.eml").read_bytes()
    reached_case("sent", "--exported", str(folder), "--at", "2026-11-28 10:00")
    reached_case("mark", "张伟", "--at", "2026-11-28 11:00")
    refused = reached_case("export", str(folder))
    assert (refused.exit_code, refused.stdout, refused.stderr) == (
        ExitCode.CASE_IO,
        "",
        f"error: {folder} already holds e-mail drafts from an earlier export; nothing was written\n"
        "hint: choose a new folder, or add --force to replace those drafts\n",
    )
    assert sorted(p.name for p in folder.iterdir()) == ["001-张伟.eml", "002-徐强.eml"]
    assert (folder / "001-张伟.eml").read_bytes() == first
    forced = reached_case("export", str(folder), "--force")
    assert forced.stdout.splitlines()[0] == f"wrote 1 e-mail draft(s) to {folder}"
    assert sorted(p.name for p in folder.iterdir()) == ["001-张伟.eml"]


def test_big5_sheet_is_detected_in_region_cn() -> None:
    """A short Big5 sheet is read as Big5 even when the region's charset is GB18030."""
    data = "姓名,手機\n張偉,0912345678\n陳美玲,0922333444\n".encode("big5")
    contacts, result = read_bytes(data, "x.csv", "csv")
    assert [c.name for c in contacts] == ["張偉", "陳美玲"]
    assert result.encoding == "big5"


def test_ctrl_c_exits_130_and_changes_nothing(
    cli: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during an import exits 130 with one line, and the case keeps what it had."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    before = case_path.read_bytes()
    import contact_notify.importer as importer

    real_add = importer._Merger.add
    calls = {"n": 0}

    def add_then_interrupt(self: importer._Merger, contact: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real_add(self, contact)  # type: ignore[arg-type]

    monkeypatch.setattr(importer._Merger, "add", add_then_interrupt)
    sheet = case_path.parent / "more.csv"
    sheet.write_text("姓名,手机\n甲,13300000001\n乙,13300000002\n丙,13300000003\n")
    result = cli("import", str(sheet))
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == "error: interrupted; the case is as it was before this command\n"
    assert case_path.read_bytes() == before


@pytest.mark.parametrize(
    "command", [("status",), ("preview",), ("export", "out.csv"), ("contacts", "--reached")]
)
def test_ctrl_c_inside_a_query_is_an_interrupt(
    reached_case: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """SIGINT arriving inside SQLite's call to the time comparison exits 130, not "restore a backup"."""
    from contact_notify.store import times

    # A contact reached twice: its latest reach is found by comparing times in SQL.
    assert reached_case("mark", "13800138000", "--at", "2026-11-28 09:00").exit_code == 0
    real_moment = times.moment
    calls = {"n": 0}

    def moment_then_sigint(at: str | None) -> float:
        calls["n"] += 1
        if calls["n"] == 2:
            os.kill(os.getpid(), signal.SIGINT)  # delivered while SQLite is in this callback
        return real_moment(at)

    monkeypatch.setattr(times, "moment", moment_then_sigint)
    before = case_path.read_bytes()
    result = reached_case(*command)
    assert calls["n"] >= 2
    assert (result.exit_code, result.stdout, result.stderr) == (
        ExitCode.INTERRUPTED,
        "",
        "error: interrupted; the case is as it was before this command\n",
    )
    assert case_path.read_bytes() == before
    assert not Path("out.csv").exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
