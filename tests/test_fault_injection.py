"""Kill every writing command at each of its commit points: the case and the outputs still agree.

Each run starts the real command in a child process with CONTACT_NOTIFY_KILL_AT
naming a point (contact_notify.faults), where it dies by SIGKILL: no clean-up
runs, as with a power cut.  The child must really die there (a point that is
no longer reached fails the test).  Then the invariant is checked through the
tool itself, as the user would meet it: nothing partial under a name the user
gave, nothing of the user's deleted, and every output agreeing with the case.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from contact_notify import faults

from conftest import EXAMPLES, Run

KILLED = -signal.SIGKILL


def _kill_at(point: str, case: Path, *args: str) -> None:
    """Run ``contact-notify --case CASE ARGS`` and make it die at ``point``."""
    env = {**os.environ, faults.ENV: point}
    done = subprocess.run(
        [sys.executable, "-m", "contact_notify", "--case", str(case), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == KILLED, (point, done.returncode, done.stderr)


def _hidden_leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


def _logged(cli: Run) -> dict[str, int]:
    """Reached contacts per state, as status reports them (after any recovery)."""
    lines = cli("status").stdout.splitlines()
    return {
        line.split(":")[0].strip(): int(line.split(":")[1].split(",")[0])
        for line in lines[1:]
        if ":" in line
    }


@pytest.mark.parametrize(
    ("point", "added"), [("import:before-commit", 0), ("import:after-commit", 50)]
)
def test_import(cli: Run, case_path: Path, tmp_path: Path, point: str, added: int) -> None:
    """An import killed before its commit added nothing; after it, everything."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    sheet = tmp_path / "more.csv"
    sheet.write_text("姓名,手机\n" + "".join(f"人{n},133{n:08d}\n" for n in range(50)))
    _kill_at(point, case_path, "import", str(sheet))
    assert cli("doctor").stdout == f"{case_path}: ok\n"
    assert _logged(cli)["contacts"] == 33 + added


@pytest.mark.parametrize(
    ("point", "reached"), [("mark:before-commit", 0), ("mark:after-commit", 6)]
)
def test_mark(cli: Run, case_path: Path, point: str, reached: int) -> None:
    """A mark killed before its commit recorded nobody; after it, everybody."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    _kill_at(
        point, case_path, "mark", "--file", str(EXAMPLES / "reached.txt"), "--at", "2026-11-27"
    )
    assert cli("doctor").stdout == f"{case_path}: ok\n"
    assert _logged(cli)["reached"] == reached


EXPORT_POINTS = [
    "export:recorded",
    "export:published",
    "export:before-commit",
    "export:after-commit",
]


@pytest.mark.parametrize("name", ["out.csv", "drafts"])
def test_export_killed_while_building_leaves_nothing(
    reached_case: Run, case_path: Path, tmp_path: Path, name: str
) -> None:
    """Killed with its output whole but not yet recorded: the next command removes the hidden copy."""
    reached_case("mark", "张伟", "徐强", "--at", "2026-11-27 22:00")
    args = ["--channel", "email"] if name == "drafts" else []
    _kill_at("export:staged", case_path, "export", str(tmp_path / name), *args)
    assert _hidden_leftovers(tmp_path, name) != []  # the copy the kill left, full of names
    result = reached_case("status")
    assert result.stderr == (
        f"note: undid an interrupted export to {tmp_path / name} (nothing of it was written)\n"
    )
    assert _hidden_leftovers(tmp_path, name) == []
    assert not (tmp_path / name).exists()
    assert _logged(reached_case)["exported, not marked sent"] == 0


@pytest.mark.parametrize("point", EXPORT_POINTS)
@pytest.mark.parametrize("name", ["out.csv", "page.html"])
def test_export_file(
    reached_case: Run, case_path: Path, tmp_path: Path, point: str, name: str
) -> None:
    """Wherever an export dies, the next command leaves the whole file and its log, together."""
    out = tmp_path / name
    _kill_at(point, case_path, "export", str(out))
    counts = _logged(reached_case)  # the next command settles what the kill interrupted
    assert out.is_file()
    assert counts["exported, not marked sent"] == 6
    if name == "out.csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert len(rows) == 6
    else:
        assert out.read_text(encoding="utf-8").count('<article class="card"') == 6
    assert _hidden_leftovers(tmp_path, name) == []
    assert reached_case("sent", "--exported", str(out)).stdout.count("sent: ") == 6
    assert reached_case("doctor").exit_code == 0


@pytest.mark.parametrize("point", EXPORT_POINTS)
def test_export_csv_over_an_old_one(
    reached_case: Run, case_path: Path, tmp_path: Path, point: str
) -> None:
    """--force over an earlier export: the name holds the old file or the new one, whole."""
    out = tmp_path / "out.csv"
    reached_case("export", str(out))
    reached_case("sent", "王秀英")
    old = out.read_bytes()
    _kill_at(point, case_path, "export", str(out), "--force")
    reached_case("status")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert out.read_bytes() != old
    assert len(rows) == 5
    assert _hidden_leftovers(tmp_path, "out.csv") == []


@pytest.mark.parametrize("point", EXPORT_POINTS)
def test_export_drafts_over_old_drafts(
    cli: Run, case_path: Path, tmp_path: Path, point: str
) -> None:
    """A drafts folder is swapped in whole: never half old, half new, never missing."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("config", "sender", "小林")
    cli("mark", "张伟", "--at", "2026-11-27 10:00")
    drafts = tmp_path / "drafts"
    cli("export", str(drafts))
    old = {p.name: p.read_bytes() for p in drafts.iterdir()}
    cli("mark", "徐强", "--at", "2026-11-27 11:00")
    _kill_at(point, case_path, "export", str(drafts), "--all", "--force")
    cli("status")
    new = {p.name: p.read_bytes() for p in drafts.iterdir()}
    assert sorted(new) == ["001-徐强.eml", "002-张伟.eml"] != sorted(old)  # latest reach first
    assert _hidden_leftovers(tmp_path, "drafts") == []
    sent = cli("sent", "--exported", str(drafts)).stdout
    assert sorted(sent.splitlines()) == ["sent: 张伟", "sent: 徐强"]


@pytest.mark.parametrize("point", ["export:recorded", "export:published"])
def test_export_undone_when_its_output_vanished(
    reached_case: Run, case_path: Path, tmp_path: Path, point: str
) -> None:
    """If the waiting output is gone too, the export is forgotten: no file, no log."""
    out = tmp_path / "out.csv"
    _kill_at(point, case_path, "export", str(out))
    out.unlink(missing_ok=True)
    for leftover in _hidden_leftovers(tmp_path, "out.csv"):
        (tmp_path / leftover).unlink()
    result = reached_case("status")
    assert result.stderr == (
        f"note: undid an interrupted export to {out} (nothing of it was written)\n"
    )
    assert _logged(reached_case)["exported, not marked sent"] == 0
    assert reached_case("export", str(out)).exit_code == 0


def test_vcard_export(reached_case: Run, case_path: Path, tmp_path: Path) -> None:
    """A vCard export killed before its rename leaves no file under the name."""
    _kill_at("output:staged", case_path, "export", str(tmp_path / "r.vcf"))
    assert not (tmp_path / "r.vcf").exists()


@pytest.mark.parametrize(("point", "sent"), [("sent:before-commit", 0), ("sent:after-commit", 6)])
def test_sent(reached_case: Run, case_path: Path, tmp_path: Path, point: str, sent: int) -> None:
    """sent --exported killed before its commit marked nobody; after it, everybody."""
    out = tmp_path / "out.csv"
    reached_case("export", str(out))
    _kill_at(point, case_path, "sent", "--exported", str(out))
    assert _logged(reached_case)["sent"] == sent


@pytest.mark.parametrize("point", ["backup:copied", "backup:verified"])
@pytest.mark.parametrize("force", [False, True])
def test_backup(
    reached_case: Run, case_path: Path, tmp_path: Path, point: str, force: bool
) -> None:
    """A killed backup leaves no file under the name, or the old backup untouched."""
    backup = tmp_path / "bk.sqlite3"
    old = b""
    if force:
        reached_case("backup", str(backup))
        old = backup.read_bytes()
    _kill_at(point, case_path, "backup", str(backup), *(["--force"] if force else []))
    assert (backup.read_bytes() if backup.exists() else b"") == old
    assert _hidden_leftovers(tmp_path, "bk.sqlite3") == [".bk.sqlite3.backup.tmp"]
    # The next backup to the same place removes the copy the kill left behind.
    assert reached_case("backup", str(backup), "--force").exit_code == 0
    assert _hidden_leftovers(tmp_path, "bk.sqlite3") == []
    assert reached_case("--case", str(backup), "doctor").exit_code == 0


def test_wipe(cli: Run, case_path: Path) -> None:
    """A wipe killed after the journals went keeps a whole case, which a second wipe removes."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    _kill_at("wipe:before-case", case_path, "wipe", "--yes")
    assert cli("doctor").stdout == f"{case_path}: ok\n"
    assert json.loads(cli("contacts", "--format", "json").stdout)[0]["name"]
    assert cli("wipe", "--yes").exit_code == 0
    assert not case_path.exists()


def test_every_point_is_exercised() -> None:
    """Each commit point the code declares is killed at by a test in this file (or, for the
    evidence bundle, in tests/test_evidence_bundle.py)."""
    source = Path(__file__).read_text(encoding="utf-8")
    source += (Path(__file__).parent / "test_evidence_bundle.py").read_text(encoding="utf-8")
    missing = [p for p in faults.POINTS if f'"{p}"' not in source]
    assert missing == []
