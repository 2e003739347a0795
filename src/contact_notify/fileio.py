"""Writing output files: atomically, owner-only, never over an existing file without force."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from contact_notify.errors import CaseError


def refuse_existing(path: Path, force: bool) -> None:
    """Fail early when the output exists and ``--force`` was not given."""
    if path.exists() and not force:
        raise CaseError(
            f"{path} already exists; nothing was written",
            hint="choose another file name, or add --force to replace it",
        )


def atomic_write(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, mode 0600.

    Without ``force`` an existing file is never replaced, even one created
    while this function runs (the final step is a hard link, which fails if the
    name exists).  A crash leaves either the old state or the whole new file.
    """
    refuse_existing(path, force)
    directory = path.parent if str(path.parent) else Path()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CaseError(f"cannot write in {directory}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            tmp.replace(path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise CaseError(
                    f"{path} already exists; nothing was written",
                    hint="choose another file name, or add --force to replace it",
                ) from None
            except OSError:
                # A file system without hard links: check, then rename.
                refuse_existing(path, force)
                tmp.replace(path)
    except OSError as exc:
        raise CaseError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
