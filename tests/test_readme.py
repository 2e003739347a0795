"""The README's walk-through is real: each command is run and its output compared whole."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import ROOT, Run


def _walkthrough() -> list[tuple[list[str], str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Walk-through", 1)[1].split("```console\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[list[str], str]] = []
    for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
        command, _, output = chunk.partition("\n")
        steps.append((shlex.split(command)[1:], output))
    return steps


def test_walkthrough_output_is_what_the_tool_prints(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Running the README's commands in order prints exactly the README's output."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    steps = _walkthrough()
    assert len(steps) >= 6
    for args, expected in steps:
        result = cli(*args)
        assert result.exit_code == 0, args
        output = re.sub(r"^case: .*$", "case: CASE", result.output, flags=re.MULTILINE)
        expected = re.sub(r"^case: .*$", "case: CASE", expected, flags=re.MULTILINE)
        assert output == expected, args
