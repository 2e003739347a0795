"""Output files never replace a file without --force, even one that appears mid-write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from contact_notify.errors import OutputError
from contact_notify.fileio import atomic_write


def test_a_file_created_during_the_write_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that appears after the early check keeps its bytes; the write fails, no temp stays."""
    target = tmp_path / "out.csv"
    real_fsync = os.fsync

    def fsync_while_another_writes(fd: int) -> None:
        real_fsync(fd)
        target.write_bytes(b"written by someone else meanwhile")

    monkeypatch.setattr(os, "fsync", fsync_while_another_writes)
    with pytest.raises(OutputError, match="already exists; nothing was written"):
        atomic_write(target, b"ours", force=False)
    assert target.read_bytes() == b"written by someone else meanwhile"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
