"""A short coverage-guided fuzz run of the readers (the long run is in fuzz/README.md)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris has no wheel here")
def test_short_fuzz_run_finds_no_crash(tmp_path: Path) -> None:
    """2,000 libFuzzer inputs grown from the fixtures raise nothing but InputDataError."""
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
