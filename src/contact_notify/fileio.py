"""Writing output files: atomically, owner-only, never over an existing file without force.

Two ways to write:

* :func:`atomic_write` for a file the case does not record (a vCard of the
  contacts, the evidence kit, a copied template): a temporary file beside the
  target, synced, then linked into place.
* :func:`stage_file` / :func:`stage_folder`, then :func:`publish`, for an export
  the case records.  The whole output is written aside first; the caller
  records it in the case, and only then is it put under the user's name.  A
  :class:`Staged` names everything needed to finish (or undo) the publishing
  after a crash, so the case and the files always end up agreeing.

Every folder created here is 0700 and every file 0600, whatever the umask,
where the file system has such modes: on Windows, and on a file system that
refuses ``chmod`` (a FAT or exFAT USB stick), the file is written all the same
(:func:`owner_only`).

An OS error is said in the interface language (:func:`describe_os_error`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from contact_notify import faults, i18n
from contact_notify.errors import OutputError
from contact_notify.i18n import N_, _

# What the common OS errors mean, in our words (the OS's own are English, or the
# language of the system, whatever the interface's): by errno.
_OS_ERRORS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EEXIST: N_("File exists"),
    errno.EROFS: N_("Read-only file system"),
}


def describe_os_error(exc: OSError, *, whole: bool = False) -> str:
    """What an OS error means, in the interface language where it is a common one.

    The common errors (a missing file, no permission, a full disk, a folder
    where a file belongs, a read-only disk …) are said in our words, so a
    Chinese message holds no English sentence; others keep the OS's words.
    ``whole``: in English, the error as Python says it (``[Errno 13] Permission
    denied: 'x'``), for the messages that always showed it so.
    """
    if whole and i18n.language() == "en":
        return str(exc)
    known = _OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return _(known)
    return exc.strerror or str(exc)


def owner_only(path: Path, mode: int) -> None:
    """Make ``path`` owner-only (``mode``) where the file system allows; never an error.

    On Windows a mode means little (only the read-only flag), and a FAT or
    exFAT stick, or a network share, may refuse ``chmod``: the file or folder
    is then left with the modes it was given, and the command goes on.
    """
    if os.name == "nt":
        return
    with contextlib.suppress(OSError, NotImplementedError):
        path.chmod(mode)


def _exists_error(path: Path) -> OutputError:
    if path.is_symlink() and not path.exists():
        return OutputError(
            _("{path} is a link to {target}, which does not exist; nothing was written").format(
                path=path, target=path.readlink()
            ),
            hint=_("remove the link, or choose another file name"),
        )
    return OutputError(
        _("{path} already exists; nothing was written").format(path=path),
        hint=_("choose another file name, or add --force to replace it"),
    )


def refuse_existing(path: Path, force: bool) -> None:
    """Fail early when the output exists (or is a dangling link) and ``--force`` was not given."""
    if (path.exists() or path.is_symlink()) and not force:
        raise _exists_error(path)


def private_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each owner-only (0700) whatever the umask."""
    missing = []
    current = folder if str(folder) else Path()
    while not current.exists() and not current.is_symlink():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(
                _("cannot create the folder {folder}: {reason}").format(
                    folder=directory, reason=describe_os_error(exc)
                )
            ) from None
        owner_only(directory, 0o700)  # mkdir's mode is masked by the umask
    if not folder.is_dir():
        raise OutputError(
            _("{folder} is not a folder").format(folder=folder),
            hint=_("give the path of a folder"),
        )


def _sync_dir(directory: Path) -> None:
    """Make a rename or link in ``directory`` durable (a no-op where folders cannot be synced)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_private(directory: Path, name: str, data: bytes) -> Path:
    """A new temporary file in ``directory`` (0600) holding ``data``, synced to disk."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(
            _("cannot write in {folder}: {reason}").format(
                folder=directory, reason=describe_os_error(exc)
            )
        ) from None
    tmp = Path(tmp_name)
    try:
        _write_synced(fd, data)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(
            _("cannot write {path}: {reason}").format(
                path=directory / name, reason=describe_os_error(exc)
            )
        ) from None
    return tmp


def _new_file(path: Path) -> int:
    """A descriptor of a new file at ``path``, owner-only (0600), written byte for byte.

    ``O_BINARY`` (Windows only): without it Windows writes every line feed as
    CR LF, and a CSV (CR LF already), an e-mail draft or a page would no longer
    be what was staged and recorded.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, 0o600)


def _write_synced(fd: int, data: bytes) -> None:
    """Write ``data`` to a new file's descriptor, sync it to disk and close it."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _write_beside(path: Path, data: bytes, *, force: bool) -> Path:
    """``data`` in a hidden temporary file beside ``path`` (refused when ``path`` exists)."""
    refuse_existing(path, force)
    private_dirs(path.parent)
    return _write_private(path.parent, path.name, data)


def atomic_write(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, mode 0600.

    Without ``force`` an existing file is never replaced, even one created
    while this function runs (the final step is a hard link, which fails if the
    name exists).  A crash leaves either the old state or the whole new file.
    """
    tmp = _write_beside(path, data, force=force)
    faults.point("output:staged")
    try:
        _put_in_place(tmp, path, force=force)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_dir(path.parent)


def _put_in_place(tmp: Path, path: Path, *, force: bool) -> None:
    try:
        if force:
            tmp.replace(path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise _exists_error(path) from None
        except OSError:
            # A file system without hard links: check, then rename.
            refuse_existing(path, force)
            tmp.replace(path)
    except OSError as exc:
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=path, reason=describe_os_error(exc))
        ) from None


# -- outputs written piece by piece (the evidence bundle) --------------------------


def open_new(path: Path) -> BinaryIO:
    """A new file at ``path`` (never an existing one), owner-only (0600), open for writing.

    The caller writes it, then :func:`sync_close` makes it durable.  An OS error
    is left to the caller, who knows what the file is.
    """
    return os.fdopen(_new_file(path), "wb")


def sync_close(handle: BinaryIO) -> None:
    """Flush a file written through :func:`open_new` to disk and close it."""
    with handle:
        handle.flush()
        os.fsync(handle.fileno())


@contextlib.contextmanager
def atomic_stream(path: Path, *, force: bool = False) -> Iterator[BinaryIO]:
    """A file written piece by piece (any size), put at ``path`` only when whole.

    As :func:`atomic_write`, for output too large to hold in memory: the block
    writes a hidden temporary file beside ``path`` (0600, from :func:`staging_for`);
    when the block ends without an error the file is synced and linked into place
    (renamed over an existing one with ``force``).  An error, Ctrl-C or a kill
    leaves nothing under ``path``; an error or Ctrl-C removes the temporary file.
    An OS error raised in the block is a write error of ``path``.
    """
    refuse_existing(path, force)
    private_dirs(path.parent)
    tmp = staging_for(path)
    try:
        handle = open_new(tmp)
    except OSError as exc:
        raise OutputError(
            _("cannot write in {folder}: {reason}").format(
                folder=path.parent, reason=describe_os_error(exc)
            )
        ) from None
    try:
        try:
            with handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(
                _("cannot write {path}: {reason}").format(path=path, reason=describe_os_error(exc))
            ) from None
        faults.point("output:staged")
        _put_in_place(tmp, path, force=force)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_dir(path.parent)


@contextlib.contextmanager
def folder_aside(final: Path, *, force: bool) -> Iterator[Path]:
    """A new folder built aside (0700, hidden, beside ``final``), swapped in whole at the end.

    The block fills the folder it is given; when it ends without an error the
    folder is synced and put under ``final`` as :func:`publish` does (an existing
    folder is swapped out only with ``force``; an empty one is replaced).  An
    error or Ctrl-C removes what was built; a kill leaves nothing under ``final``.
    The caller checks beforehand whether ``final`` may be replaced
    (:func:`check_folder`).  An OS error raised in the block is a write error.
    """
    private_dirs(final.parent)
    staging = staging_for(final)
    staged = Staged(final, staging, "", folder=True)  # no digest: never "already published"
    try:
        try:
            staging.mkdir(mode=0o700)
            owner_only(staging, 0o700)
            yield staging
        except OSError as exc:
            raise OutputError(
                _("cannot write in {folder}: {reason}").format(
                    folder=final.parent, reason=describe_os_error(exc)
                )
            ) from None
        _sync_dir(staging)
        faults.point("output:staged")
        publish(staged, force=force)
    finally:
        discard(staged)


# -- staged outputs, published after the case has recorded them -------------------

# What a staged output's hidden name ends with.
STAGING_SUFFIX = ".tmp"


@dataclass(frozen=True)
class Staged:
    """An output written aside: the name it will take, where it waits, and its fingerprint."""

    final: Path
    staging: Path
    digest: str  # SHA-256 of the file, or of the folder's file names and contents
    folder: bool = False

    @property
    def aside(self) -> Path:
        """Where a replaced folder waits while the new one is moved in."""
        return self.staging.with_suffix(".old")


def file_digest(data: bytes) -> str:
    """The fingerprint of a file's contents."""
    return hashlib.sha256(data).hexdigest()


def folder_digest(files: dict[str, bytes]) -> str:
    """The fingerprint of a folder: its files' names and contents, in name order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def digest_of(path: Path, folder: bool) -> str | None:
    """The fingerprint of what is at ``path`` now, None when nothing (or something else) is."""
    try:
        if folder:
            if not path.is_dir() or path.is_symlink():
                return None
            return folder_digest({p.name: p.read_bytes() for p in path.iterdir() if p.is_file()})
        if not path.is_file() or path.is_symlink():
            return None
        return file_digest(path.read_bytes())
    except OSError:
        return None


def staging_for(final: Path) -> Path:
    """A new hidden name beside ``final`` for its output to be built under (nothing is created)."""
    return final.parent / f".{final.name}.{secrets.token_hex(6)}{STAGING_SUFFIX}"


def is_staging_for(staging: Path, final: Path) -> bool:
    """True for a name :func:`staging_for` could have given ``final``: the only names a
    recovery may remove (a case file edited by hand must not make it delete other files)."""
    name = staging.name
    return (
        staging.parent == final.parent
        and name.startswith(f".{final.name}.")
        and name.endswith(STAGING_SUFFIX)
        and "/" not in name[len(final.name) + 2 :]
    )


def stage_file(final: Path, data: bytes, *, force: bool, staging: Path) -> Staged:
    """Write a file's whole contents under ``staging`` (from :func:`staging_for`), synced."""
    refuse_existing(final, force)
    private_dirs(final.parent)
    try:
        _write_synced(_new_file(staging), data)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=final, reason=describe_os_error(exc))
        ) from None
    return Staged(final, staging, file_digest(data))


def check_folder(final: Path, *, replaceable: bool) -> None:
    """A drafts folder may be made at ``final``: absent, empty, or (``replaceable``) replaced."""
    if (final.exists() or final.is_symlink()) and not final.is_dir():
        raise OutputError(
            _("{path} is a file, not a folder").format(path=final),
            hint=_("give a folder for the drafts"),
        )
    if final.is_dir() and not replaceable and any(final.iterdir()):
        raise _exists_error(final)


def stage_folder(
    final: Path, files: dict[str, bytes], *, replaceable: bool, staging: Path
) -> Staged:
    """Build a whole folder of files under ``staging`` (from :func:`staging_for`).

    ``replaceable``: the folder at ``final`` (if any) may be swapped out when
    published; otherwise it must be absent or empty.
    """
    check_folder(final, replaceable=replaceable)
    private_dirs(final.parent)
    try:
        staging.mkdir(mode=0o700)
        owner_only(staging, 0o700)
        for name, data in files.items():
            _write_synced(_new_file(staging / name), data)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(
            _("cannot write in {folder}: {reason}").format(
                folder=final.parent, reason=describe_os_error(exc)
            )
        ) from None
    _sync_dir(staging)
    return Staged(final, staging, folder_digest(files), folder=True)


def published(staged: Staged) -> bool:
    """True when ``final`` holds exactly the staged output."""
    return digest_of(staged.final, staged.folder) == staged.digest


def publish(staged: Staged, *, force: bool) -> None:
    """Put a staged output under its name; idempotent, so a crash can be finished later.

    A file is linked into place (or, with ``force``, renamed over the old one).
    A folder is swapped in whole: the old one (``force``) is moved aside, the new
    one renamed into place, then the old one removed, so the name never holds a
    mix.  When the name already holds exactly this output, there is nothing to do.
    """
    try:
        if staged.folder:
            _publish_folder(staged, force=force)
        elif not published(staged):
            _put_in_place(staged.staging, staged.final, force=force)
    finally:
        discard(staged)
    _sync_dir(staged.final.parent)


def _publish_folder(staged: Staged, *, force: bool) -> None:
    final = staged.final
    try:
        if published(staged):
            return
        if final.is_dir() and not final.is_symlink():
            if any(final.iterdir()) and not force:
                raise _exists_error(final)
            if not staged.aside.exists():
                final.rename(staged.aside)
        elif final.exists() or final.is_symlink():
            raise _exists_error(final)
        staged.staging.rename(final)
    except OSError as exc:
        raise OutputError(
            _("cannot put the drafts in {folder}: {reason}").format(
                folder=final, reason=describe_os_error(exc)
            )
        ) from None


def discard(staged: Staged) -> None:
    """Remove what a staged output left aside (its temporary copy, a replaced folder)."""
    if staged.folder:
        shutil.rmtree(staged.aside, ignore_errors=True)
        shutil.rmtree(staged.staging, ignore_errors=True)
    else:
        # Nothing to remove when the folder is missing, or is a file (the output's
        # path went through a file: the export failed before anything was written).
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            staged.staging.unlink()
