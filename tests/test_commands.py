"""Every command: documented with an example, no network, one-line errors with table exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contact_notify import __version__
from contact_notify.cli import app
from contact_notify.errors import ExitCode

from conftest import DATA, EXAMPLES, NETWORK_ATTEMPTS, Run

COMMANDS = sorted(
    [c.name or "" for c in app.registered_commands]
    + [
        f"{group.name} {c.name}"
        for group in app.registered_groups
        if group.typer_instance is not None
        for c in group.typer_instance.registered_commands
    ]
)
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(cli: Run, command: str) -> None:
    """Each command's --help works and shows an 'Example:' line."""
    result = cli(*command.split(), "--help")
    assert result.exit_code == 0
    assert "Example: contact-notify " + command in " ".join(result.stdout.split())


def test_every_command_is_in_the_readme() -> None:
    """README.md mentions every command as `contact-notify NAME`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in COMMANDS if f"contact-notify {c}" not in readme]
    assert missing == []


def test_version(cli: Run) -> None:
    """--version prints the package version."""
    assert cli("--version").stdout == f"contact-notify {__version__}\n"


def test_no_command_uses_the_network(cli: Run, tmp_path: Path) -> None:
    """With all sockets refused, every command runs to its normal result and tries no connection."""
    runs = {
        "import": ("import", str(EXAMPLES / "contacts.vcf"), str(EXAMPLES / "contacts.csv")),
        "config": ("config", "sender", "小林"),
        "contacts": ("contacts",),
        "contact": ("contact", "徐强", "--salutation", "徐总"),
        "rules list": ("rules", "list"),
        "rules set": ("rules", "set", "球友", "friend"),
        "rules remove": ("rules", "remove", "球友"),
        "templates list": ("templates", "list"),
        "templates show": ("templates", "show", "friend.sms.zh"),
        "templates copy": ("templates", "copy", "friend.sms.zh", str(tmp_path / "mine")),
        "templates check": ("templates", "check"),
        "inspect": ("inspect", str(EXAMPLES / "contacts.csv"), "--format", "json"),
        "mark": ("mark", "--file", str(EXAMPLES / "reached.txt"), "--by", "17012345678"),
        "unmark": ("unmark", "13800138000"),
        "history": ("history", "王秀英"),
        "collectors": ("collectors",),
        "evidence": ("evidence", str(tmp_path / "evidence.html"), "--mask"),
        "complaint": ("complaint", "--to", "12321", str(tmp_path / "complaint.txt")),
        "attach": ("attach", "2", str(EXAMPLES / "reached.txt")),
        "preview": ("preview",),
        "export": ("export", str(tmp_path / "out.html")),
        "sent": ("sent", "--exported", str(tmp_path / "out.html")),
        "broadcast": ("broadcast",),
        "status": ("status",),
        "doctor": ("doctor",),
        "backup": ("backup", str(tmp_path / "backup.sqlite3")),
        "demo": ("demo",),
        "wipe": ("wipe", "--yes"),
        "app": ("app", "--no-browser", "--idle-minutes", "0"),  # starts, then stops: idle
    }
    assert sorted(runs) == COMMANDS, "add the new command to this test"
    for name, args in runs.items():
        result = cli(*args)
        assert result.exit_code == 0, (name, result.output)
    assert NETWORK_ATTEMPTS == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("import", "--bogus"), ExitCode.USAGE, None),
        (("mark",), ExitCode.USAGE, "error: nothing to mark: give numbers or names, or --file"),
        (("import", str(DATA / "not_a_vcard.vcf")), ExitCode.INPUT, "error: "),
        (("import", str(DATA / "no_header.csv")), ExitCode.INPUT, "error: "),
        (
            ("preview", "--template", "nosuch"),
            ExitCode.TEMPLATE,
            "error: no built-in template named 'nosuch'",
        ),
        (("import", "/nonexistent/file.vcf"), ExitCode.INPUT, "error: cannot open /nonexistent"),
        (("mark", ""), ExitCode.USAGE, "error: an empty target was given"),
        (("mark", "13800138000", "--at", "0001-01-01 00:00"), ExitCode.USAGE, "error: --at"),
        (
            ("evidence", "/etc/hostname/e.md"),
            ExitCode.CASE_IO,
            "error: /etc/hostname is not a folder",
        ),
    ],
)
def test_exit_codes_follow_the_table(
    cli: Run, args: tuple[str, ...], code: int, message: str | None
) -> None:
    """Each kind of failure exits with its documented code and an 'error:' line, no traceback."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    result = cli(*args)
    assert result.exit_code == code
    assert "Traceback" not in result.output
    if message:
        assert result.stderr.startswith(message)
        assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1


def test_internal_errors_print_no_traceback(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception becomes one line and exit 1, without the data it carried."""
    from contact_notify.store import Case

    def explode(self: object) -> None:
        raise ValueError("secret 13800138000 王秀英")

    cli("import", str(EXAMPLES / "contacts.vcf"))
    monkeypatch.setattr(Case, "counts", explode)
    result = cli("status")
    assert result.exit_code == ExitCode.INTERNAL
    assert result.stderr.splitlines()[0] == (
        "error: internal error (ValueError); this is a bug in contact-notify"
    )
    assert "13800138000" not in result.output
    assert "Traceback" not in result.output


def test_exit_code_table_in_readme_matches_the_code() -> None:
    """The README's exit-code table lists exactly the codes of ExitCode."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = sorted(int(m) for m in re.findall(r"^\|\s*(\d+)\s*\|", section, re.MULTILINE))
    assert codes == sorted(int(c) for c in ExitCode)


def test_help_does_not_import_heavy_libraries() -> None:
    """Importing the CLI (as --help does) loads neither phonenumbers, jinja2, vobject nor the
    app's web framework, server or QR library."""
    heavy = (
        "phonenumbers",
        "jinja2",
        "vobject",
        "starlette",
        "uvicorn",
        "segno",
        "python_multipart",
    )
    code = (
        f"import sys, contact_notify.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_damaged_case_file_is_a_case_error(cli: Run, case_path: Path) -> None:
    """A case file whose pages are damaged exits 5 with one line, not an internal error."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    data = bytearray(case_path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # keep the first page (the schema), ruin the rest
    case_path.write_bytes(bytes(data))
    result = cli("contacts")
    assert (result.exit_code, result.stdout) == (ExitCode.CASE_IO, "")
    assert result.stderr == (
        f"error: the case {case_path} is damaged: database disk image is malformed\n"
        "hint: check it with: contact-notify doctor; restore it from a backup "
        "(contact-notify --case BACKUP doctor checks one first)\n"
    )


def test_recursive_template_is_a_template_error(cli: Run, tmp_path: Path) -> None:
    """A template that includes itself fails with exit 4, not a RecursionError."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("mark", "13800138000")
    path = tmp_path / "loop.j2"
    path.write_text('{% include "loop.j2" %}')
    result = cli("preview", "--template", str(path), "--sender", "x")
    assert result.exit_code == ExitCode.TEMPLATE
    assert result.stderr.startswith(f"error: template {path}: it includes or calls itself")


def test_case_option_expands_the_home_folder(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--case ~/x.sqlite3 means the home folder, not a folder named '~'."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    result = cli("--case", "~/mine.sqlite3", "import", str(EXAMPLES / "contacts.vcf"))
    assert result.exit_code == 0
    assert (tmp_path / "home" / "mine.sqlite3").exists()
    assert not (tmp_path / "~").exists()


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["status"], "status"),
        (["--case", "c.sqlite3", "export", "out.csv"], "export"),
        (["--case=c.sqlite3", "templates", "list"], "templates"),
        (["--case", "status"], None),  # the case file is called status; no command
        (["--help"], None),
        (["--version", "status"], None),
        ([], None),
    ],
)
def test_the_command_a_command_line_names(argv: list[str], named: str | None) -> None:
    """The command is the first word after the root's --case option; any other option first
    (help, version) names none."""
    from contact_notify.cli.base import _command_named

    assert _command_named(argv) == named


def test_only_the_named_command_is_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command line naming one command builds that command's options only; help builds all."""
    import typer.main

    from contact_notify.cli import app

    built: list[str] = []
    real = typer.main.get_command_from_info

    def counted(*args: Any, **kwargs: Any) -> Any:
        command = real(*args, **kwargs)
        built.append(command.name or "")
        return command

    monkeypatch.setattr(typer.main, "get_command_from_info", counted)
    case = str(tmp_path / "case.sqlite3")
    assert app(["--case", case, "config", "sender", "小林"], standalone_mode=False) == 0
    built.clear()
    assert app(["--case", case, "status"], standalone_mode=False) == 0
    assert built == ["status"]
    built.clear()
    assert app(["--case", case, "rules", "list"], standalone_mode=False) == 0
    assert "list" in built
    assert not {"status", "export", "import"} & set(built)
    built.clear()
    assert app(["--help"], standalone_mode=False) == 0
    assert {"status", "export", "preview", "import"} <= set(built)


def test_a_command_collects_garbage_less_often() -> None:
    """The command line raises the youngest generation's threshold before it runs a command,
    so the collector does not walk a run's messages every 700 new objects, and leaves the
    older generations' thresholds as Python has them (the app runs for an hour)."""
    from contact_notify.cli import GC_THRESHOLD

    code = (
        "import gc, json, sys; sys.argv = ['contact-notify', '--version']\n"
        "before = gc.get_threshold()\n"
        "from contact_notify.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps([before, gc.get_threshold()]), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = json.loads(out.stderr)
    assert after == [GC_THRESHOLD, *before[1:]]
    assert before[0] < GC_THRESHOLD
