"""The Chinese README (README.zh-CN.md) is real, and agrees with README.md.

Its walk-through is the ```console block under the heading ``## 完整示例``:
each ``$ contact-notify …`` command in it is run in order with the Chinese
interface and its output compared whole, as tests/test_readme.py does for the
English one.  Both READMEs give the same set-up commands, for POSIX and for
Windows, and every command and option the Chinese README names exists.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main
from typer import _click as click
from typer.core import TyperGroup

from contact_notify.cli import app
from contact_notify.errors import ExitCode
from language_check import english_phrases

from conftest import ROOT, Run

ZH_README = "README.zh-CN.md"
WALKTHROUGH_HEADING = "## 完整示例"
# The case path the walk-through's `status` shows (a Windows user's default case).
README_CASE = r"C:\Users\小林\.local\share\contact-notify\case.sqlite3"


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def _console_block() -> str:
    section = _text(ZH_README).split(WALKTHROUGH_HEADING + "\n", 1)[1]
    return section.split("```console\n", 1)[1].split("```", 1)[0]


def _walkthrough() -> list[tuple[list[str], str]]:
    steps: list[tuple[list[str], str]] = []
    for chunk in re.split(r"^\$ ", _console_block(), flags=re.MULTILINE)[1:]:
        command, _, output = chunk.partition("\n")
        steps.append((shlex.split(command)[1:], output))
    return steps


def _fenced(text: str, language: str) -> list[str]:
    """The bodies of the ```LANGUAGE blocks of ``text``, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def _try_it_section() -> str:
    return _text("README.md").split("## Try it", 1)[1].split("\n## ", 1)[0]


def _as_windows(posix: str) -> str:
    """The Windows form of a POSIX set-up command, by the READMEs' rule.

    One command a line (Windows PowerShell 5 has no ``&&``), the ``py``
    launcher, ``.venv\\Scripts\\`` for ``.venv/bin/``, double quotes (cmd does
    not know single ones).
    """
    lines = []
    for part in posix.strip().split(" && "):
        part = re.sub(r"^python3 ", "py ", part)
        lines.append(part.replace(".venv/bin/", ".venv\\Scripts\\").replace("'", '"'))
    return "\n".join(lines) + "\n"


def test_chinese_walkthrough_output_is_what_the_tool_prints(
    zh: None, cli: Run, case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Running the Chinese README's commands in order, in Chinese, prints exactly its output."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    steps = _walkthrough()
    commands = [args[0] for args, _ in steps]
    for needed in ("import", "mark", "preview", "export", "sent", "status", "evidence"):
        assert needed in commands
    assert README_CASE in _console_block()
    for args, expected in steps:
        result = cli(*args)
        assert result.exit_code == 0, args
        output = result.output.replace(str(case_path), "CASE")
        assert output == expected.replace(README_CASE, "CASE"), args


def test_chinese_walkthrough_output_holds_no_english_phrase() -> None:
    """The output shown in the Chinese walk-through has no English phrase left in it."""
    output = [line for line in _console_block().splitlines() if not line.startswith("$ ")]
    assert len(output) >= 30
    assert english_phrases("\n".join(output)) == []


def test_readme_links_the_chinese_readme_on_its_first_line() -> None:
    """README.md's first line links README.zh-CN.md, and the Chinese README links back."""
    assert f"]({ZH_README})" in _text("README.md").splitlines()[0]
    assert "](README.md)" in _text(ZH_README).splitlines()[0]


def test_both_readmes_give_the_same_posix_set_up_commands() -> None:
    """The two POSIX set-up commands of README.md stand verbatim in the Chinese README, and CI runs the second."""
    posix = _fenced(_try_it_section(), "sh")
    assert len(posix) == 2
    assert _fenced(_text(ZH_README), "sh") == posix
    assert posix[1].strip() in _text(".ci/run")


def test_both_readmes_give_the_windows_set_up_commands() -> None:
    """Both READMEs give, next to the POSIX commands, the same commands written for Windows."""
    posix = _fenced(_try_it_section(), "sh")
    windows = [_as_windows(command) for command in posix]
    assert windows[0].startswith("py -m venv .venv\n.venv\\Scripts\\python -m pip install")
    assert _fenced(_try_it_section(), "bat") == windows
    assert _fenced(_text(ZH_README), "bat") == windows


def test_chinese_exit_code_table_matches_the_code() -> None:
    """The Chinese README's exit-code table lists exactly the codes of ExitCode."""
    section = _text(ZH_README).split("## 退出码", 1)[1].split("\n## ", 1)[0]
    codes = sorted(int(m) for m in re.findall(r"^\|\s*(\d+)\s*\|", section, re.MULTILINE))
    assert codes == sorted(int(c) for c in ExitCode)


def _mentions() -> list[list[str]]:
    """Every command line the Chinese README shows: `contact-notify …` spans and walk-through lines."""
    text = _text(ZH_README)
    spans = re.findall(r"`(contact-notify(?: [^`]*)?)`", text)
    spans += re.findall(r"^\$ (contact-notify .*)$", text, flags=re.MULTILINE)
    return [shlex.split(span)[1:] for span in spans]


def _options(command: click.Command) -> set[str]:
    return {o for p in command.params for o in [*p.opts, *p.secondary_opts]} | {"--help", "-h"}


def test_every_command_and_option_the_chinese_readme_names_exists() -> None:
    """Each `contact-notify …` the Chinese README shows names a real command and only its options."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    mentions = _mentions()
    assert len(mentions) >= 30
    named = set()
    for words in mentions:
        command: click.Command = root
        path = []
        for word in words:
            if not isinstance(command, TyperGroup) or word not in command.commands:
                break
            command = command.commands[word]
            path.append(word)
        allowed = _options(command)
        options = [w.split("=", 1)[0] for w in words if w.startswith("-")]
        assert [o for o in options if o not in allowed] == [], words
        named.add(" ".join(path))
    every = {name for name in root.commands if name not in ("templates", "rules")}
    assert every <= named
