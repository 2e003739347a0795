"""A short coverage-guided fuzz run of the readers, and their time and memory budget.

The long run is in fuzz/README.md.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import DATA, ROOT


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris has no wheel here")
def test_short_fuzz_run_finds_no_crash(tmp_path: Path) -> None:
    """2,000 libFuzzer inputs grown from the fixtures raise nothing but InputDataError, in budget."""
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA, corpus)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / "fuzz_readers.py"),
            "-runs=2000",
            "-seed=1",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 2000 runs" in done.stderr
    assert not list(tmp_path.glob("crash-*"))


def _budget() -> ModuleType:
    """fuzz/budget.py, loaded as a module (fuzz/ is not a package)."""
    spec = importlib.util.spec_from_file_location("budget", ROOT / "fuzz" / "budget.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["budget"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


MIB = 1 << 20
# The generated shapes and their sizes: about 4 s in all; each once cost far more than its size.
SHAPES = {
    "junk_lines": MIB * 3 // 4,  # issue 11, item 10: a card of junk lines, each a ReadIssue kept
    "many_numbers": MIB * 3 // 4,  # a card of 100,000 numbers
    "folded_name": MIB,  # a name folded over 250,000 lines (re.sub held a piece per fold)
    "quoted_parameters": 2 * MIB,  # parameters in quotes, scanned byte by byte
    "huge_cell": 4 * MIB,  # a 4 MiB name cell
    "deep_quoting": 4 * MIB,  # doubled quotes, then a quote left open
    "open_quote": 2 * MIB,  # a quote never closed: 500,000 lines in one cell of numbers
}


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("shape", SHAPES)
def test_generated_inputs_stay_within_the_time_and_memory_budget(shape: str) -> None:
    """Each shape is read within the budget for its size: seconds and peak memory of a child."""
    budget = _budget()
    assert budget.resident_peak_available()
    data = budget.SHAPES[shape](SHAPES[shape])
    cost = budget.measure_forked(data, shape)
    assert cost.size >= SHAPES[shape] // 2
    assert cost.over() == []


def test_the_budget_sees_memory_that_a_read_keeps() -> None:
    """A read that keeps 100 bytes for every byte of its input is reported over budget."""
    budget = _budget()
    data = budget.junk_lines(MIB)
    kept: list[bytearray] = []
    original = budget.read
    budget.read = lambda data: kept.append(bytearray(100 * len(data)))
    try:
        cost = budget.measure_forked(data, "hoarding")
    finally:
        budget.read = original
    assert cost.memory >= 100 * len(data)
    assert [p.split(":")[0] for p in cost.over()] == ["hoarding"]
