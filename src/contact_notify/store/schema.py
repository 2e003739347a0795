"""The case file itself: where it is, opening and creating it, checks, transactions, backup, wipe.

Each command runs in one transaction (:meth:`CaseFile.transaction`), so a
failure or Ctrl-C leaves the case as it was.  The file is created owner-only
(0600) in a folder created owner-only (0700), built under a temporary name and
linked in place.  Every open checks the header and the schema against
:mod:`~contact_notify.store.migrations`; a damaged case is refused.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self
from urllib.parse import quote

from contact_notify import faults, i18n
from contact_notify.errors import AppError, CaseError
from contact_notify.fileio import describe_os_error
from contact_notify.i18n import N_, _
from contact_notify.store import sendlog, times
from contact_notify.store.migrations import (
    MIGRATIONS,
    SCHEMA_VERSION,
    columns,
    expected_columns,
)

# The environment variable naming the case file (the one definition; --case overrides it).
CASE_ENV = "CONTACT_NOTIFY_CASE"
# Seconds a command waits for another one that is writing to the same case.
BUSY_TIMEOUT = 10.0
# What every case file starts with: SQLite's own header.
SQLITE_HEADER = b"SQLite format 3\x00"


def default_case_path() -> Path:
    """``$CONTACT_NOTIFY_CASE``, else ``$XDG_DATA_HOME/contact-notify/case.sqlite3``."""
    env = os.environ.get(CASE_ENV)
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "contact-notify" / "case.sqlite3"


class CaseFile:
    """An open case file: opening, checks, transactions and backup, shared by every table family."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, created: bool = False) -> None:
        self.path = path
        self._conn = conn
        self.created = created  # this command made the file: a failure removes it again

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = False, check: str = "schema") -> Self:
        """Open (or with ``create``, create) the case at ``path`` and bring its schema up to date.

        Every open checks the file's header and schema; ``check="quick"`` (for
        commands that write) also runs SQLite's quick check and the foreign-key
        check; ``doctor`` runs the full check.  A damaged case is refused.
        """
        created = False
        if not path.exists() and not path.is_symlink():
            if not create:
                raise CaseError(
                    _("no case file at {path}").format(path=path),
                    hint=_(
                        "start one with: contact-notify import CONTACTS.vcf "
                        "(or point --case / ${variable} at an existing case)"
                    ).format(variable=CASE_ENV),
                )
            created = _create_case(path)
        else:
            _check_regular(path)
            _check_header(path)
        conn = _connect(path)
        case = cls(path, conn, created=created)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version == 0 and not created:
                raise _damaged(path, _("it holds no contact-notify case (an empty database)"))
            case._migrate(version)
            case._check_schema()
            if check == "quick":
                problems = case.check(quick=True)
                if problems:
                    raise _damaged(path, problems[0])
        except sqlite3.DatabaseError as exc:
            case.close()
            raise sqlite_failure(exc, path) from None
        except BaseException:
            case.close()
            raise
        return case

    def _check_schema(self) -> None:
        """Refuse a case whose tables or columns are not those its version promises."""
        found = columns(self._conn)
        for table, wanted in expected_columns().items():
            missing = wanted - found.get(table, set())
            if missing:
                raise _damaged(
                    self.path,
                    _("table {table} lacks {columns}").format(
                        table=table, columns=", ".join(sorted(missing))
                    ),
                )

    def _migrate(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise CaseError(
                _("{path} was written by a newer contact-notify (schema {version})").format(
                    path=self.path, version=version
                ),
                hint=_("upgrade contact-notify to open this case"),
            )
        if version == SCHEMA_VERSION:
            return
        # Rebuilding a table (SQLite's way to change columns) needs foreign keys off,
        # and that can only change outside a transaction; the check below restores the guarantee.
        self._conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.transaction():
                for target, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in script.split(";"):
                        if statement.strip():
                            self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA user_version = {target}")
                if self._conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise CaseError(
                        _("{path}: the case is inconsistent after an upgrade").format(
                            path=self.path
                        )
                    )
        finally:
            self._conn.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close()
        if kind is not None and self.created:
            # A command that made this case failed before it held anything: leave nothing.
            wipe(self.path)

    @contextmanager
    def transaction(self, label: str = "", *, dry_run: bool = False) -> Iterator[None]:
        """One all-or-nothing unit of work (a command): commit on success, roll back otherwise.

        ``label`` names the command's commit points for the fault-injection tests.
        With ``dry_run`` the work is done as for real, then rolled back even on
        success (before any commit point): the one way to try a command.
        """
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise sqlite_failure(exc, self.path) from None
        try:
            yield
            if label and not dry_run:
                faults.point(f"{label}:before-commit")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        if dry_run:
            self._conn.execute("ROLLBACK")
            return
        self._conn.execute("COMMIT")
        if label:
            faults.point(f"{label}:after-commit")

    # -- care ------------------------------------------------------------------

    def check(self, *, quick: bool = False) -> list[str]:
        """Problems SQLite's integrity (or quick) and foreign-key checks find; empty when sound."""
        pragma = "PRAGMA quick_check" if quick else "PRAGMA integrity_check"
        problems = [str(r[0]) for r in self._conn.execute(pragma) if r[0] != "ok"]
        problems += [
            _("{table} row {row} refers to a missing {parent}").format(
                table=r["table"], row=r["rowid"], parent=r["parent"]
            )
            for r in self._conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def table_counts(self) -> dict[str, int]:
        """Rows in each table: what a backup must hold too."""
        return {
            table: int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 -- table names from the schema.
            for table in sorted(expected_columns())
        }

    def remove_stale_journal(self) -> Path | None:
        """Delete a rollback journal left beside the case that SQLite will never use; return it.

        Done under an exclusive lock, so no command is writing: a journal then
        is left over from a crash, and one that is empty or whose header is
        zeroed holds nothing to roll back (a hot one was rolled back on opening).
        """
        journal = self.path.with_name(self.path.name + "-journal")
        self._conn.execute("BEGIN EXCLUSIVE")
        try:
            if not journal.is_file():
                return None
            with journal.open("rb") as handle:
                header = handle.read(28)
            if header.strip(b"\0"):
                return None
            journal.unlink()
            return journal
        except OSError as exc:
            raise CaseError(
                _("cannot remove the stale journal {path}: {reason}").format(
                    path=journal, reason=describe_os_error(exc)
                )
            ) from None
        finally:
            self._conn.execute("ROLLBACK")

    def backup(self, destination: Path, *, force: bool = False) -> dict[str, int]:
        """A verified copy of the case, put in place only when complete; return its counts.

        The copy is written under a temporary name beside ``destination`` through
        SQLite's online backup API, checked (integrity, and the same row counts as
        the case), then linked into place; an existing ``destination`` is replaced
        (with ``force``) only then.  A failure or a kill leaves ``destination`` as it was.
        """
        from contact_notify.fileio import _put_in_place, private_dirs, refuse_existing

        refuse_existing(destination, force)
        private_dirs(destination.parent)
        # One fixed hidden name per destination: a copy a killed backup left there
        # (a whole case's data) is removed by the next backup to the same place.
        tmp = destination.with_name(f".{destination.name}.backup.tmp")
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            raise CaseError(
                _("cannot write in {folder}: {reason}").format(
                    folder=destination.parent, reason=describe_os_error(exc)
                )
            ) from None
        try:
            self._conn.execute("BEGIN")  # one snapshot for the copy and the counts
            try:
                counts = self.table_counts()
                target = sqlite3.connect(tmp)
                try:
                    self._conn.backup(target)
                finally:
                    target.close()
            finally:
                self._conn.execute("ROLLBACK")
            faults.point("backup:copied")
            _verify_copy(tmp, counts)
            with tmp.open("rb") as handle:
                os.fsync(handle.fileno())
            faults.point("backup:verified")
            _put_in_place(tmp, destination, force=force)
        except sqlite3.Error as exc:
            raise CaseError(
                _("cannot back up to {path}: {reason}").format(
                    path=destination, reason=describe_sqlite_error(exc)
                )
            ) from None
        finally:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
        return counts


PAGE_CACHE_KIB = 8192  # at most this much memory for the case's pages


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        conn.row_factory = sqlite3.Row  # rows are read by column name
        # Times compare by the moment they name (dates as local midnight), in SQL as in Python;
        # both are looked up now, so a test that replaces them is obeyed here too.
        conn.create_function("moment", 1, times.moment, deterministic=True)
        conn.create_function("answers_reach", 4, sendlog.answers_reach, deterministic=True)
        conn.execute("PRAGMA foreign_keys = ON")
        # Rollback journal, fully synced: a crash leaves the last committed state.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        # Pages kept in memory: SQLite's 2 MiB default re-reads an index's pages from the disk
        # cache over and over while an import fills it (a third of the import's system time).
        conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    except sqlite3.DatabaseError as exc:
        raise sqlite_failure(exc, path) from None
    return conn


def _damaged(path: Path, why: str) -> CaseError:
    return CaseError(
        _("the case {path} is damaged: {reason}").format(path=path, reason=why),
        hint=_(
            "check it with: contact-notify doctor; restore it from a backup "
            "(contact-notify --case BACKUP doctor checks one first)"
        ),
    )


# What SQLite's common errors mean, in our words (SQLite's own are English): by the
# error's name, or for an error that has none (a Python-side one), by its text.
_SQLITE_ERRORS = {
    "SQLITE_FULL": N_("the disk is full"),
    "SQLITE_IOERR": N_("the disk could not be read or written"),
    "SQLITE_CANTOPEN": N_("the file cannot be opened"),
    "SQLITE_NOTADB": N_("the file is not a database"),
    "SQLITE_CORRUPT": N_("the database is damaged"),
    "SQLITE_READONLY": N_("the file is read-only"),
    "SQLITE_BUSY": N_("another command is using the file"),
    "SQLITE_LOCKED": N_("another command is using the file"),
}
_SQLITE_TEXTS = {
    "database or disk is full": "SQLITE_FULL",
    "disk I/O error": "SQLITE_IOERR",
    "unable to open database file": "SQLITE_CANTOPEN",
    "file is not a database": "SQLITE_NOTADB",
    "database disk image is malformed": "SQLITE_CORRUPT",
    "attempt to write a readonly database": "SQLITE_READONLY",
    "database is locked": "SQLITE_BUSY",
}


def describe_sqlite_error(exc: sqlite3.Error | OSError) -> str:
    """What an SQLite (or OS) error means: as it always read in English, in our words otherwise.

    In English the text stays SQLite's own (``disk I/O error``), or Python's
    for an OS error; in another interface language the common errors are said
    in our words (see :func:`~contact_notify.fileio.describe_os_error`), the
    rare ones keep SQLite's.
    """
    if isinstance(exc, OSError):
        return describe_os_error(exc, whole=True)
    text = str(exc)
    if i18n.language() == "en":
        return text
    name = str(getattr(exc, "sqlite_errorname", "") or "").split("_")[:2]
    key = "_".join(name) if len(name) == 2 else _SQLITE_TEXTS.get(text, "")
    known = _SQLITE_ERRORS.get(key) or _SQLITE_ERRORS.get(_SQLITE_TEXTS.get(text, ""))
    return _(known) if known else text


def sqlite_failure(exc: sqlite3.Error, path: Path | None) -> CaseError:
    """The one message for an SQLite error met while using a case, by what it means."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return CaseError(
            (
                _("the case {path} cannot be written: the file or its folder is read-only")
                if path
                else _("the case cannot be written: the file or its folder is read-only")
            ).format(path=path),
            hint=_(
                "make it writable again (it should be yours, mode 0600), "
                "or work on a copy made with: contact-notify backup COPY"
            ),
        )
    if "locked" in text or "busy" in text:
        return CaseError(
            (
                _("the case {path} is busy: another command is writing to it")
                if path
                else _("the case is busy: another command is writing to it")
            ).format(path=path),
            hint=_("another contact-notify is working on this case; try again when it is done"),
        )
    reason = describe_sqlite_error(exc)
    if "unable to open" in text or "disk I/O" in text or "full" in text:
        return CaseError(
            (
                _("the case {path} cannot be read or written: {reason}")
                if path
                else _("the case cannot be read or written: {reason}")
            ).format(path=path, reason=reason),
            hint=_("check the disk, the file's permissions and free space"),
        )
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    ):
        return _damaged(path or Path("?"), reason)
    return CaseError(
        (
            _("the case {path} cannot be used: {reason}")
            if path
            else _("the case cannot be used: {reason}")
        ).format(path=path, reason=reason),
        hint=_("check it with: contact-notify doctor; restore it from a backup if it is damaged"),
    )


def _check_regular(path: Path) -> None:
    """Refuse a case path that is a folder, device, FIFO or socket (reading one could hang)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise CaseError(
            _("cannot read the case file {path}: {reason}").format(
                path=path, reason=describe_os_error(exc)
            )
        ) from None
    if stat.S_ISDIR(mode):
        raise CaseError(
            _("the case path {path} is a folder").format(path=path),
            hint=_("give a file path with --case"),
        )
    if not stat.S_ISREG(mode):
        raise CaseError(
            _("the case path {path} is not a file (a device, FIFO or socket)").format(path=path),
            hint=_("give the path of a case file with --case"),
        )


def _is_case(path: Path) -> bool:
    """True for an SQLite file holding contact-notify's tables (even if damaged elsewhere)."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            names = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return {"contacts", "settings", "reaches", "messages"} <= names


def _check_header(path: Path) -> None:
    """Refuse a file that is empty or is not an SQLite database before SQLite opens it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CaseError(
            _("cannot read the case file {path}: {reason}").format(
                path=path, reason=describe_os_error(exc)
            )
        ) from None
    if not header:
        raise _damaged(path, _("the file is empty (0 bytes): a copy or a crash went wrong"))
    if header != SQLITE_HEADER:
        raise CaseError(
            _("{path} is not a contact-notify case file (it is not an SQLite database)").format(
                path=path
            ),
            hint=_("check the --case path; a case file is an SQLite database"),
        )


def _verify_copy(copy: Path, counts: dict[str, int]) -> None:
    """A backup copy must pass the integrity check and hold as many rows as the case."""
    conn = sqlite3.connect(copy)
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        copied = {
            t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])  # noqa: S608 -- names from the schema.
            for t in counts
        }
    finally:
        conn.close()
    if problems or copied != counts:
        raise CaseError(
            _("the backup copy did not verify (it differs from the case); nothing was replaced"),
            hint=_("check the disk and free space, then try again"),
        )


def _create_case(path: Path) -> bool:
    """Create a case with the current schema: built under a temporary name, then linked in place.

    A kill never leaves an empty or half-made case under ``path``.  False when
    another command created the case meanwhile (it is then opened as it is).
    """
    from contact_notify.fileio import private_dirs

    folder = path.parent if str(path.parent) else Path()
    try:
        private_dirs(folder)
    except AppError as exc:
        raise CaseError(
            _("cannot create the case file {path}: {reason}").format(path=path, reason=exc.message)
        ) from None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CaseError(
            _("cannot create the case file {path}: {reason}").format(
                path=path, reason=describe_os_error(exc)
            )
        ) from None
    os.close(fd)
    tmp = Path(name)
    try:
        conn = _connect(tmp)
        conn.execute("PRAGMA foreign_keys = OFF")  # as in _migrate: tables are rebuilt
        try:
            for target, script in enumerate(MIGRATIONS, start=1):
                conn.executescript(script)
                conn.execute(f"PRAGMA user_version = {target}")
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            if path.exists():
                return False
            tmp.replace(path)
    except (OSError, sqlite3.Error) as exc:
        raise CaseError(
            _("cannot create the case file {path}: {reason}").format(
                path=path, reason=describe_sqlite_error(exc)
            )
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
    return True


def wipe(path: Path) -> list[Path]:
    """Delete a case file and its journals; return what was deleted.

    Nobody may be writing meanwhile (an exclusive lock first, which also rolls
    back a hot journal into the case); the journals go before the case file,
    so a kill part-way never leaves a journal that could later be applied to a
    new case at the same path.
    """
    _check_regular(path)
    _check_header(path)
    if not _is_case(path):
        raise CaseError(
            _("{path} is not a contact-notify case; nothing was deleted").format(path=path),
            hint=_("check the --case path; wipe deletes only a case file"),
        )
    if not path.is_symlink():
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            if not isinstance(exc, sqlite3.DatabaseError) or "locked" in str(exc):
                raise sqlite_failure(exc, path) from None
        finally:
            conn.close()
    gone = []
    journals = [path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm")]
    for candidate in (*journals, path):
        if candidate == path:
            faults.point("wipe:before-case")
        try:
            candidate.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise CaseError(
                _("cannot delete {path}: {reason}").format(
                    path=candidate, reason=describe_os_error(exc)
                )
            ) from None
        gone.append(candidate)
    return gone
