"""Every error of the exit-code table is said in the interface's language, and files are written where modes mean little.

Each scenario is a realistic mistake or failure (a setting misspelt, a template
that does not exist, a case file that is a folder, nothing left to export …),
run through the command line once in Chinese and once in English: the Chinese
stderr holds no English phrase (command and option names, paths and the values
given excepted), the English one no Chinese (the data excepted).

The last tests cover the words put on OS and SQLite errors, and owner-only
modes on file systems where ``chmod`` fails or means little (Windows, FAT), and
outputs written byte for byte on Windows (O_BINARY).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from contact_notify import fileio
from contact_notify.errors import ExitCode
from contact_notify.store import Case
from contact_notify.store.schema import describe_sqlite_error
from language_check import chinese_runs, english_phrases

from conftest import EXAMPLES, Run

RELATIONSHIPS = ("family-elder", "family-peer", "friend", "colleague", "superior", "default")
SETTINGS = ("sender", "sender-contact", "region", "sms-limit", "platform")


def _nothing(cli: Run, tmp: Path) -> None:
    """No case at all."""


def _imported(cli: Run, tmp: Path) -> None:
    """The shipped example contacts, nobody reached."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0


def _unsigned(cli: Run, tmp: Path) -> None:
    """王秀英 (13800138000) reached; no sender name set."""
    _imported(cli, tmp)
    assert cli("mark", "13800138000", "--at", "2026-11-27 21:30").exit_code == 0


def _reached(cli: Run, tmp: Path) -> None:
    """王秀英 reached, and the sender's name set."""
    _unsigned(cli, tmp)
    assert cli("config", "sender", "小林").exit_code == 0


def _landline_only(cli: Run, tmp: Path) -> None:
    """One contact, reached, whose only number is a landline (no SMS can go to it)."""
    cards = tmp / "landline.vcf"
    cards.write_text("BEGIN:VCARD\nFN:老张\nTEL:010 6234 5678\nEND:VCARD\n", encoding="utf-8")
    assert cli("import", str(cards)).exit_code == 0
    assert cli("mark", "老张", "--at", "2026-11-27 21:30").exit_code == 0
    assert cli("config", "sender", "小林").exit_code == 0


def _misspelt_template(cli: Run, tmp: Path) -> None:
    """Someone reached, and a template of one's own with a misspelt variable."""
    _reached(cli, tmp)
    (tmp / "mine.j2").write_text(
        "{#-\nchannel: sms\nlang: zh\n-#}\n{{ contact.nmae }}，对不起。\n", encoding="utf-8"
    )


def _prying_template(cli: Run, tmp: Path) -> None:
    """Someone reached, and a template of one's own that looks inside a text."""
    _reached(cli, tmp)
    (tmp / "mine.j2").write_text(
        "{#-\nchannel: sms\nlang: zh\n-#}\n{{ contact.name.nmae }}\n", encoding="utf-8"
    )


def _unsafe_template(cli: Run, tmp: Path) -> None:
    """Someone reached, and a template of one's own that reaches for Python's insides."""
    _reached(cli, tmp)
    (tmp / "mine.j2").write_text(
        "{#-\nchannel: sms\nlang: zh\n-#}\n{{ contact.name.__class__ }}\n", encoding="utf-8"
    )


def _damaged_groups(cli: Run, tmp: Path) -> None:
    """The example contacts, contact 1's groups overwritten with bytes."""
    _imported(cli, tmp)
    conn = sqlite3.connect(os.environ["CONTACT_NOTIFY_CASE"])
    with conn:
        conn.execute("UPDATE contacts SET groups = x'00ff' WHERE id = 1")
    conn.close()


def _everyone_sent(cli: Run, tmp: Path) -> None:
    """Someone reached, exported and recorded as sent."""
    _reached(cli, tmp)
    assert cli("export", str(tmp / "first.csv")).exit_code == 0
    assert cli("sent", "--exported", str(tmp / "first.csv")).exit_code == 0


def _existing_output(cli: Run, tmp: Path) -> None:
    """Someone reached, and a file of one's own where the export would go."""
    _reached(cli, tmp)
    (tmp / "out.csv").write_text("mine\n", encoding="utf-8")


def _case_is_folder(cli: Run, tmp: Path) -> None:
    """A folder where the case file should be."""
    Path(os.environ["CONTACT_NOTIFY_CASE"]).mkdir(parents=True)


def _case_not_sqlite(cli: Run, tmp: Path) -> None:
    """A CSV file where the case file should be."""
    case = Path(os.environ["CONTACT_NOTIFY_CASE"])
    case.parent.mkdir(parents=True)
    case.write_text("name,phone\n", encoding="utf-8")


def _stop(*args: object, **kwargs: object) -> object:
    """Ctrl-C, pressed while the command works."""
    raise KeyboardInterrupt


@dataclass(frozen=True)
class Scenario:
    """A mistake: how the case is prepared, the command ({tmp}: the test's folder), the values
    its message may repeat as given (in no language of ours), and the exit code."""

    code: ExitCode
    prepare: Callable[[Run, Path], None]
    args: tuple[str, ...]
    values: tuple[str, ...] = ()


SCENARIOS = {
    # 2: usage
    "unknown setting": Scenario(
        ExitCode.USAGE, _nothing, ("config", "colour", "red"), ("'colour'", *SETTINGS)
    ),
    "sms-limit not a number": Scenario(
        ExitCode.USAGE, _nothing, ("config", "sms-limit", "lots"), ("'lots'",)
    ),
    "unknown region": Scenario(ExitCode.USAGE, _nothing, ("config", "region", "XQ")),
    "export unsigned": Scenario(
        ExitCode.USAGE, _unsigned, ("export", "{tmp}/out.csv"), ("你的名字",)
    ),
    # 3: input data
    "no such reach record": Scenario(
        ExitCode.INPUT, _reached, ("attach", "99", str(EXAMPLES / "reached.txt"))
    ),
    "no rule for the group": Scenario(
        ExitCode.INPUT, _imported, ("rules", "remove", "球友"), ("'球友'",)
    ),
    "sent to someone never reached": Scenario(
        ExitCode.INPUT, _reached, ("sent", "张伟"), ("张伟",)
    ),
    # 4: template
    "no such built-in template": Scenario(
        ExitCode.TEMPLATE,
        _reached,
        ("preview", "--template", "uncle"),
        ("'uncle'", *RELATIONSHIPS),
    ),
    "template file missing": Scenario(
        ExitCode.TEMPLATE, _reached, ("preview", "--template", "{tmp}/gone.j2")
    ),
    "misspelt variable": Scenario(
        ExitCode.TEMPLATE,
        _misspelt_template,
        ("preview", "--template", "{tmp}/mine.j2"),
        ("'contact.nmae'",),
    ),
    "attribute of a text": Scenario(
        ExitCode.TEMPLATE,
        _prying_template,
        ("preview", "--template", "{tmp}/mine.j2"),
        ("'nmae'",),
    ),
    "unsafe attribute": Scenario(
        ExitCode.TEMPLATE,
        _unsafe_template,
        ("preview", "--template", "{tmp}/mine.j2"),
        ("'__class__'",),
    ),
    # 5: case file or output
    "no case yet": Scenario(ExitCode.CASE_IO, _nothing, ("status",)),
    "case is a folder": Scenario(ExitCode.CASE_IO, _case_is_folder, ("status",)),
    "case is not a database": Scenario(ExitCode.CASE_IO, _case_not_sqlite, ("contacts",)),
    "damaged cell": Scenario(ExitCode.CASE_IO, _damaged_groups, ("contacts",)),
    "output exists": Scenario(ExitCode.CASE_IO, _existing_output, ("export", "{tmp}/out.csv")),
    "output under a file": Scenario(
        ExitCode.CASE_IO, _existing_output, ("export", "{tmp}/out.csv/messages.csv")
    ),
    "output folders under a file": Scenario(
        ExitCode.CASE_IO, _existing_output, ("export", "{tmp}/out.csv/new/messages.csv")
    ),
    # 6: nothing to do
    "everyone already sent": Scenario(
        ExitCode.NOTHING_TO_DO, _everyone_sent, ("export", "{tmp}/again.csv")
    ),
    "nobody with an e-mail address": Scenario(
        ExitCode.NOTHING_TO_DO, _reached, ("export", "{tmp}/drafts", "--format", "eml")
    ),
    "only a landline": Scenario(
        ExitCode.NOTHING_TO_DO, _landline_only, ("export", "{tmp}/out.csv"), ("老张",)
    ),
    # 130: interrupted (Ctrl-C while the command works)
    # (the fixture then makes every count and every mark stop as Ctrl-C would)
    "interrupted status": Scenario(ExitCode.INTERRUPTED, _imported, ("status",)),
    "interrupted mark": Scenario(ExitCode.INTERRUPTED, _imported, ("mark", "13800138000")),
}


@pytest.fixture
def run_scenario(cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], str]:
    """Prepare a scenario, run its command and check its exit code; give its stderr."""

    def run(name: str) -> str:
        scenario = SCENARIOS[name]
        scenario.prepare(cli, tmp_path)
        if scenario.code == ExitCode.INTERRUPTED:
            monkeypatch.setattr(Case, "counts", _stop)
            monkeypatch.setattr("contact_notify.marking.mark", _stop)
        result = cli(*(a.format(tmp=tmp_path) for a in scenario.args))
        assert result.exit_code == scenario.code, result.output
        assert result.stderr.strip()
        return result.stderr

    return run


def test_the_scenarios_cover_every_exit_code() -> None:
    """At least two scenarios exist for each failing exit code of the table (internal error aside)."""
    wanted = set(ExitCode) - {ExitCode.OK, ExitCode.INTERNAL}
    for code in wanted:
        assert sum(s.code == code for s in SCENARIOS.values()) >= 2, code


@pytest.mark.usefixtures("zh")
@pytest.mark.parametrize("name", SCENARIOS)
def test_errors_in_chinese_hold_no_english(name: str, run_scenario: Callable[[str], str]) -> None:
    """In Chinese, the error, its hint and its details carry no English phrase."""
    stderr = run_scenario(name)
    assert english_phrases(stderr, allowed=SCENARIOS[name].values) == [], stderr
    assert chinese_runs(stderr), stderr


@pytest.mark.parametrize("name", SCENARIOS)
def test_errors_in_english_hold_no_chinese(name: str, run_scenario: Callable[[str], str]) -> None:
    """In English, the same error carries no Chinese beyond the values and data it repeats."""
    stderr = run_scenario(name)
    assert chinese_runs(stderr, allowed=SCENARIOS[name].values) == [], stderr


@pytest.mark.usefixtures("zh")
def test_a_damaged_cell_names_owner_and_column_in_chinese(cli: Run, tmp_path: Path) -> None:
    """A damaged cell is named in Chinese words for both its row and its column."""
    _damaged_groups(cli, tmp_path)
    result = cli("contacts")
    assert result.exit_code == ExitCode.CASE_IO
    assert "联系人 1 的分组无法读取" in result.stderr


COMMON_ERRNOS = (
    errno.ENOENT, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EISDIR, errno.ENOTDIR,
    errno.EEXIST, errno.EROFS,
)  # fmt: skip


@pytest.mark.usefixtures("zh")
@pytest.mark.parametrize("code", COMMON_ERRNOS, ids=errno.errorcode.get)
def test_common_os_errors_are_said_in_chinese(code: int) -> None:
    """A common OS error (as the OS says it in English) is described in Chinese words only."""
    said = fileio.describe_os_error(OSError(code, os.strerror(code), "x.txt"))
    assert english_phrases(said) == [], said
    assert chinese_runs(said), said


@pytest.mark.parametrize("code", COMMON_ERRNOS, ids=errno.errorcode.get)
def test_common_os_errors_read_as_before_in_english(code: int) -> None:
    """In English a common OS error reads as the operating system's own words, as before."""
    assert fileio.describe_os_error(OSError(code, os.strerror(code))) == os.strerror(code)


@pytest.mark.usefixtures("zh")
def test_a_rare_os_error_keeps_the_systems_words() -> None:
    """An OS error without words of ours keeps the system's text rather than saying nothing."""
    said = fileio.describe_os_error(OSError(errno.ELOOP, "Too many levels of symbolic links"))
    assert said == "Too many levels of symbolic links"


@pytest.mark.usefixtures("zh")
def test_sqlite_errors_are_said_in_chinese() -> None:
    """SQLite's common errors (disk full, not a database) get Chinese words in a Chinese interface."""
    for text in ("database or disk is full", "file is not a database"):
        said = describe_sqlite_error(sqlite3.OperationalError(text))
        assert english_phrases(said) == [], said
        assert chinese_runs(said), said


def test_sqlite_errors_read_as_before_in_english() -> None:
    """In English an SQLite error keeps SQLite's words, and an OS error Python's whole text."""
    assert describe_sqlite_error(sqlite3.OperationalError("disk I/O error")) == "disk I/O error"
    failure = OSError(errno.EACCES, "Permission denied", "x.txt")
    assert describe_sqlite_error(failure) == str(failure)


# -- owner-only modes where chmod fails or means little ------------------------------


def _refuse_chmod(monkeypatch: pytest.MonkeyPatch, error: type[Exception]) -> list[object]:
    """Make every chmod fail with ``error`` (as on a FAT stick); return the paths tried."""
    tried: list[object] = []

    def refuse(path: object, *args: object, **kwargs: object) -> None:
        tried.append(path)
        raise error(errno.EPERM, "Operation not permitted") if error is PermissionError else error()

    monkeypatch.setattr(os, "chmod", refuse)
    if hasattr(os, "fchmod"):
        monkeypatch.setattr(os, "fchmod", refuse)
    return tried


@pytest.mark.parametrize("error", [PermissionError, NotImplementedError])
def test_a_new_case_folder_is_made_where_chmod_fails(
    error: type[Exception], cli: Run, monkeypatch: pytest.MonkeyPatch, case_path: Path
) -> None:
    """A case is created in a new folder even when the file system refuses chmod."""
    tried = _refuse_chmod(monkeypatch, error)
    result = cli("import", str(EXAMPLES / "contacts.vcf"))
    assert result.exit_code == 0, result.output
    assert case_path.is_file()
    assert tried  # the folder was made, and making it owner-only was tried


@pytest.mark.parametrize("error", [PermissionError, NotImplementedError])
def test_exports_are_written_where_chmod_fails(
    error: type[Exception], cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export into new folders, and a folder of e-mail drafts, are written when chmod fails."""
    _imported(cli, tmp_path)
    assert cli("mark", "徐强", "--at", "2026-11-27 21:30").exit_code == 0
    assert cli("config", "sender", "小林").exit_code == 0
    tried = _refuse_chmod(monkeypatch, error)
    out = tmp_path / "stick" / "exports" / "messages.csv"
    result = cli("export", str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file()
    drafts = tmp_path / "stick" / "drafts"
    result = cli("export", str(drafts), "--format", "eml")
    assert result.exit_code == 0, result.output
    assert [p.name for p in drafts.iterdir()] == ["001-徐强.eml"]
    assert tried


def test_owner_only_leaves_modes_alone_on_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows (os.name "nt") owner_only does not call chmod at all, and raises nothing."""
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    tried = _refuse_chmod(monkeypatch, PermissionError)
    with monkeypatch.context() as windows:
        windows.setattr(os, "name", "nt")
        fileio.owner_only(folder, 0o700)
    assert tried == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_owner_only_still_makes_folders_private_elsewhere(tmp_path: Path) -> None:
    """Where chmod works, owner_only makes a folder owner-only whatever it was."""
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    fileio.owner_only(folder, 0o700)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_staged_outputs_are_written_in_binary_mode_on_windows(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every output file created through os.open asks for O_BINARY where the OS has it (Windows)."""
    _reached(cli, tmp_path)
    assert cli("mark", "徐强", "--at", "2026-11-27 21:30").exit_code == 0
    binary = 1 << 29  # a flag bit no POSIX system uses, standing in for Windows' O_BINARY
    monkeypatch.setattr(os, "O_BINARY", binary, raising=False)
    created: list[int] = []
    real_open = os.open

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_CREAT:
            created.append(flags)
        return real_open(path, flags & ~binary, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_)
    assert cli("export", str(tmp_path / "messages.csv")).exit_code == 0
    assert cli("export", str(tmp_path / "drafts"), "--format", "eml").exit_code == 0
    assert len(created) == 2  # the CSV and the one draft (徐强 has an address)
    assert all(flags & binary for flags in created)
