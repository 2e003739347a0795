"""The case file: one SQLite database with the contacts, reach records and message log.

All SQL lives here.  The schema version is ``PRAGMA user_version``;
:data:`MIGRATIONS` takes a case from any older version to the current one.
Each command runs in one transaction (:meth:`Case.transaction`), so a failure
or Ctrl-C leaves the case as it was.  The file is created owner-only (0600) in
a folder created owner-only (0700).
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from contact_notify import clock, faults
from contact_notify.errors import AppError, CaseError
from contact_notify.model import (
    Attachment,
    Collector,
    Contact,
    Phone,
    Reach,
    Source,
    StoredContact,
)

ENV_VAR = "CONTACT_NOTIFY_CASE"
# Seconds a command waits for another one that is writing to the same case.
BUSY_TIMEOUT = 10.0

MIGRATIONS: tuple[str, ...] = (
    # 1: contacts, their numbers, reach records, the message log and settings.
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE contacts (
        id       INTEGER PRIMARY KEY,
        name     TEXT NOT NULL,
        family   TEXT NOT NULL DEFAULT '',
        given    TEXT NOT NULL DEFAULT '',
        nickname TEXT NOT NULL DEFAULT '',
        org      TEXT NOT NULL DEFAULT '',
        groups   TEXT NOT NULL DEFAULT '[]',
        emails   TEXT NOT NULL DEFAULT '[]',
        source   TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL
    );
    CREATE INDEX contacts_name ON contacts(name);
    CREATE TABLE phones (
        id         INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        raw        TEXT NOT NULL,
        e164       TEXT,
        label      TEXT NOT NULL DEFAULT '',
        key        TEXT NOT NULL,
        UNIQUE (contact_id, key)
    );
    CREATE INDEX phones_key ON phones(key);
    CREATE TABLE reaches (
        id          INTEGER PRIMARY KEY,
        contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        by_number   TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        source      TEXT NOT NULL DEFAULT 'typed',
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX reaches_contact ON reaches(contact_id);
    CREATE TABLE messages (
        id          INTEGER PRIMARY KEY,
        contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        reach_id    INTEGER REFERENCES reaches(id) ON DELETE SET NULL,
        template    TEXT NOT NULL,
        channel     TEXT NOT NULL,
        phone       TEXT NOT NULL,
        body        TEXT NOT NULL,
        exported_to TEXT NOT NULL,
        exported_at TEXT NOT NULL
    );
    CREATE INDEX messages_contact ON messages(contact_id);
    """,
    # 2: per-contact salutation and template, and rules from group to template.
    """
    ALTER TABLE contacts ADD COLUMN salutation TEXT NOT NULL DEFAULT '';
    ALTER TABLE contacts ADD COLUMN template TEXT NOT NULL DEFAULT '';
    CREATE TABLE rules (
        group_name TEXT PRIMARY KEY,
        template   TEXT NOT NULL
    );
    INSERT INTO rules(group_name, template) VALUES
        ('家人', 'family-elder'), ('亲戚', 'family-elder'), ('Family', 'family-elder'),
        ('兄弟姐妹', 'family-peer'), ('Siblings', 'family-peer'),
        ('朋友', 'friend'), ('同学', 'friend'), ('Friends', 'friend'),
        ('同事', 'colleague'), ('Colleagues', 'colleague'), ('Coworkers', 'colleague'),
        ('领导', 'superior'), ('上司', 'superior'), ('老板', 'superior'), ('客户', 'superior'),
        ('Business', 'superior'), ('Clients', 'superior');
    """,
    # 3: reach records gain a channel, an organisation and several collector numbers;
    # evidence files can be attached to them.
    """
    CREATE TABLE reaches_new (
        id          INTEGER PRIMARY KEY,
        contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        channel     TEXT NOT NULL DEFAULT 'call',
        org         TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        source      TEXT NOT NULL DEFAULT 'typed',
        recorded_at TEXT NOT NULL
    );
    INSERT INTO reaches_new(id, contact_id, at, note, source, recorded_at)
        SELECT id, contact_id, at, note, source, recorded_at FROM reaches;
    CREATE TABLE reach_numbers (
        reach_id INTEGER NOT NULL REFERENCES reaches(id) ON DELETE CASCADE,
        number   TEXT NOT NULL,
        PRIMARY KEY (reach_id, number)
    );
    INSERT INTO reach_numbers(reach_id, number)
        SELECT id, by_number FROM reaches WHERE by_number != '';
    DROP TABLE reaches;
    ALTER TABLE reaches_new RENAME TO reaches;
    CREATE INDEX reaches_contact ON reaches(contact_id);
    CREATE INDEX reach_numbers_number ON reach_numbers(number);
    CREATE TABLE attachments (
        id       INTEGER PRIMARY KEY,
        reach_id INTEGER NOT NULL REFERENCES reaches(id) ON DELETE CASCADE,
        path     TEXT NOT NULL,
        size     INTEGER NOT NULL,
        sha256   TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE INDEX attachments_reach ON attachments(reach_id);
    """,
    # 4: the send log: when a message went out, and an e-mail message's subject.
    """
    ALTER TABLE messages ADD COLUMN sent_at TEXT;
    ALTER TABLE messages ADD COLUMN subject TEXT NOT NULL DEFAULT '';
    CREATE INDEX messages_reach ON messages(reach_id);
    """,
    # 5: which of the contact's numbers the collector reached, when the user said.
    """
    ALTER TABLE reaches ADD COLUMN contact_number TEXT NOT NULL DEFAULT '';
    """,
    # 6: exports as units: recorded (state 'writing') before the file appears under its
    # name, 'done' after; a crash in between is finished or undone on the next open.
    """
    CREATE TABLE exports (
        id         INTEGER PRIMARY KEY,
        path       TEXT NOT NULL,
        staging    TEXT NOT NULL,
        folder     INTEGER NOT NULL DEFAULT 0,
        digest     TEXT NOT NULL,
        force      INTEGER NOT NULL DEFAULT 0,
        state      TEXT NOT NULL DEFAULT 'writing',
        started_at TEXT NOT NULL
    );
    ALTER TABLE messages ADD COLUMN export_id INTEGER REFERENCES exports(id) ON DELETE CASCADE;
    CREATE INDEX messages_export ON messages(export_id);
    """,
)
# What every case file starts with: SQLite's own header.
SQLITE_HEADER = b"SQLite format 3\x00"
SCHEMA_VERSION = len(MIGRATIONS)


def default_case_path() -> Path:
    """``$CONTACT_NOTIFY_CASE``, else ``$XDG_DATA_HOME/contact-notify/case.sqlite3``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "contact-notify" / "case.sqlite3"


def moment(at: str | None) -> float:
    """A stored time (ISO date, or date and time with offset) as a POSIX timestamp, for ordering.

    A date alone means local midnight.  Registered as the SQL function moment().
    """
    try:
        parsed = datetime.fromisoformat(at or "")
    except ValueError:
        return 0.0
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.timestamp()


def now() -> str:
    """The current local time with its UTC offset, to the second, as ISO 8601 (from :mod:`clock`)."""
    return clock.stamp()


@dataclass(frozen=True)
class Counts:
    """The numbers ``status`` shows."""

    contacts: int
    without_valid_number: int
    reached: int
    sent: int = 0
    reached_again: int = 0
    reaches: int = 0  # reach records in all
    latest: str = ""  # when the latest reach happened, and to whom
    exported_unsent: int = 0  # pending contacts whose message was exported but not marked sent

    @property
    def pending(self) -> int:
        """Reached contacts not yet sent a message for their latest reach."""
        return self.reached - self.sent


class Case:
    """An open case file."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, created: bool = False) -> None:
        self.path = path
        self._conn = conn
        self.created = created  # this command made the file: a failure removes it again

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = False, check: str = "schema") -> Case:
        """Open (or with ``create``, create) the case at ``path`` and bring its schema up to date.

        Every open checks the file's header and schema; ``check="quick"`` (for
        commands that write) also runs SQLite's quick check and the foreign-key
        check; ``doctor`` runs the full check.  A damaged case is refused.
        """
        created = False
        if not path.exists() and not path.is_symlink():
            if not create:
                raise CaseError(
                    f"no case file at {path}",
                    hint="start one with: contact-notify import CONTACTS.vcf "
                    f"(or point --case / ${ENV_VAR} at an existing case)",
                )
            created = _create_case(path)
        elif path.is_dir():
            raise CaseError(
                f"the case path {path} is a folder", hint="give a file path with --case"
            )
        else:
            _check_header(path)
        conn = _connect(path)
        case = cls(path, conn, created=created)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version == 0 and not created:
                raise _damaged(path, "it holds no contact-notify case (an empty database)")
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
        found = _columns(self._conn)
        for table, columns in _expected_columns().items():
            missing = columns - found.get(table, set())
            if missing:
                raise _damaged(self.path, f"table {table} lacks {', '.join(sorted(missing))}")

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    # -- care ------------------------------------------------------------------

    def check(self, *, quick: bool = False) -> list[str]:
        """Problems SQLite's integrity (or quick) and foreign-key checks find; empty when sound."""
        pragma = "PRAGMA quick_check" if quick else "PRAGMA integrity_check"
        problems = [str(r[0]) for r in self._conn.execute(pragma) if r[0] != "ok"]
        problems += [
            f"{table} row {rowid} refers to a missing {parent}"
            for table, rowid, parent, _ in self._conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def table_counts(self) -> dict[str, int]:
        """Rows in each table: what a backup must hold too."""
        return {
            table: int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 -- table names from the schema.
            for table in sorted(_expected_columns())
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
            raise CaseError(f"cannot remove the stale journal {journal}: {exc.strerror}") from None
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
        folder = destination.parent if str(destination.parent) else Path()
        private_dirs(folder)
        try:
            fd, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise CaseError(f"cannot write in {folder}: {exc.strerror}") from None
        os.close(fd)
        tmp = Path(name)
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
            raise CaseError(f"cannot back up to {destination}: {exc}") from None
        finally:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
        return counts

    def __enter__(self) -> Case:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close()
        if kind is not None and self.created:
            # A command that made this case failed before it held anything: leave nothing.
            wipe(self.path)

    def _migrate(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise CaseError(
                f"{self.path} was written by a newer contact-notify (schema {version})",
                hint="upgrade contact-notify to open this case",
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
                    raise CaseError(f"{self.path}: the case is inconsistent after an upgrade")
        finally:
            self._conn.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def transaction(self, label: str = "") -> Iterator[None]:
        """One all-or-nothing unit of work (a command): commit on success, roll back otherwise.

        ``label`` names the command's commit points for the fault-injection tests.
        """
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise sqlite_failure(exc, self.path) from None
        try:
            yield
            if label:
                faults.point(f"{label}:before-commit")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        if label:
            faults.point(f"{label}:after-commit")

    # -- settings ------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        """A stored setting such as ``region`` or ``sender``."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        self._conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def settings(self) -> dict[str, str]:
        """All stored settings."""
        return {str(k): str(v) for k, v in self._conn.execute("SELECT key, value FROM settings")}

    # -- contacts ------------------------------------------------------------

    def max_contact_id(self) -> int:
        """The highest contact id so far (ids only grow), 0 for an empty case."""
        return int(self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM contacts").fetchone()[0])

    def contact_ids_by_phone_keys(self, keys: list[str]) -> list[int]:
        """The contacts holding any of these phone keys, lowest id first."""
        marks = ",".join("?" * len(keys))
        rows = self._conn.execute(
            f"SELECT DISTINCT contact_id FROM phones WHERE key IN ({marks}) ORDER BY contact_id",  # noqa: S608 -- placeholders only.
            keys,
        )
        return [int(r[0]) for r in rows]

    def contact_ids_by_name(self, name: str) -> list[int]:
        """The contacts with exactly this display name."""
        rows = self._conn.execute("SELECT id FROM contacts WHERE name = ? ORDER BY id", (name,))
        return [int(r[0]) for r in rows]

    def add_contact(self, contact: Contact, added_at: str | None = None) -> int:
        """Insert a contact with its numbers; return its id."""
        cur = self._conn.execute(
            "INSERT INTO contacts(name, family, given, nickname, org, groups, emails, source, "
            "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                contact.name,
                contact.family,
                contact.given,
                contact.nickname,
                contact.org,
                json.dumps(contact.groups, ensure_ascii=False),
                json.dumps(contact.emails, ensure_ascii=False),
                str(contact.source or ""),
                added_at or now(),
            ),
        )
        contact_id = int(cur.lastrowid or 0)
        self.add_phones(contact_id, contact.phones)
        return contact_id

    def add_phones(self, contact_id: int, phones: list[Phone]) -> None:
        """Attach numbers to a contact (a number it already has is left alone)."""
        self._conn.executemany(
            "INSERT OR IGNORE INTO phones(contact_id, raw, e164, label, key) VALUES (?, ?, ?, ?, ?)",
            [(contact_id, p.raw, p.e164, p.label, p.key) for p in phones],
        )

    def update_contact(self, contact_id: int, contact: Contact) -> None:
        """Write back the name fields, groups and e-mails of a merged contact."""
        self._conn.execute(
            "UPDATE contacts SET name = ?, family = ?, given = ?, nickname = ?, org = ?, "
            "groups = ?, emails = ? WHERE id = ?",
            (
                contact.name,
                contact.family,
                contact.given,
                contact.nickname,
                contact.org,
                json.dumps(contact.groups, ensure_ascii=False),
                json.dumps(contact.emails, ensure_ascii=False),
                contact_id,
            ),
        )

    def contact(self, contact_id: int) -> StoredContact:
        """One stored contact by id."""
        found = self._stored("WHERE c.id = ?", (contact_id,))
        if not found:
            raise CaseError(f"no contact with id {contact_id} in the case")
        return found[0]

    def contacts(self, *, reached: bool | None = None) -> list[StoredContact]:
        """All contacts (or only reached / unreached ones), ordered by name."""
        where = ""
        if reached is True:
            where = "WHERE r.id IS NOT NULL"
        elif reached is False:
            where = "WHERE r.id IS NULL"
        return self._stored(where, ())

    def reached_contacts(self) -> list[StoredContact]:
        """Reached contacts, most recently reached first."""
        found = self.contacts(reached=True)  # in name order
        # sort() is stable, also with reverse=True: equal times keep name order.
        found.sort(key=lambda s: moment(s.last_reach.at) if s.last_reach else 0.0, reverse=True)
        return found

    def _stored(self, where: str, args: tuple[object, ...]) -> list[StoredContact]:
        rows = self._conn.execute(
            f"""
            SELECT c.id, c.name, c.family, c.given, c.nickname, c.org, c.groups, c.emails, c.source,
                   r.id, r.at,
                   (SELECT group_concat(number, char(31)) FROM reach_numbers WHERE reach_id = r.id),
                   r.note, r.source, r.recorded_at,
                   (SELECT COUNT(*) FROM reaches WHERE contact_id = c.id),
                   EXISTS (SELECT 1 FROM messages m WHERE m.reach_id = r.id),
                   c.salutation, c.template, r.channel, r.org, r.contact_number,
                   EXISTS (SELECT 1 FROM messages m
                           WHERE m.contact_id = c.id AND m.sent_at IS NOT NULL
                             AND (m.reach_id = r.id OR moment(m.sent_at) >= moment(r.at))),
                   EXISTS (SELECT 1 FROM messages m
                           WHERE m.contact_id = c.id AND m.sent_at IS NOT NULL)
            FROM contacts c
            LEFT JOIN reaches r ON r.id = (
                SELECT id FROM reaches WHERE contact_id = c.id ORDER BY moment(at) DESC, id DESC LIMIT 1)
            {where}
            ORDER BY c.name, c.id
            """,  # noqa: S608 -- `where` is one of the fixed clauses above, never user text.
            args,
        ).fetchall()
        phones: dict[int, list[Phone]] = {}
        ids = [row[0] for row in rows]
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for contact_id, raw, e164, label in self._conn.execute(
                f"SELECT contact_id, raw, e164, label FROM phones "  # noqa: S608 -- placeholders only.
                f"WHERE contact_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                phones.setdefault(contact_id, []).append(Phone(raw=raw, label=label, e164=e164))
        result = []
        for row in rows:
            source = _parse_source(row[8])
            contact = Contact(
                name=row[1],
                family=row[2],
                given=row[3],
                nickname=row[4],
                org=row[5],
                groups=_json_list(row[6], row[0], "groups"),
                phones=phones.get(row[0], []),
                emails=_json_list(row[7], row[0], "emails"),
                source=source,
            )
            last = None
            if row[9] is not None:
                numbers = _numbers(row[11])
                last = Reach(
                    row[9], row[0], row[10], numbers, row[12], row[13], row[14], row[19], row[20],
                    row[21],
                )  # fmt: skip
            result.append(
                StoredContact(
                    row[0],
                    contact,
                    row[15],
                    last,
                    bool(row[16]),
                    row[17],
                    row[18],
                    sent=bool(row[22]),
                    ever_sent=bool(row[23]),
                )
            )
        return result

    def contact_ids_by_phone_key(self, key: str) -> list[int]:
        """The contacts holding a number with this key."""
        rows = self._conn.execute(
            "SELECT DISTINCT contact_id FROM phones WHERE key = ? ORDER BY contact_id", (key,)
        )
        return [int(r[0]) for r in rows]

    def contact_ids_by_digits_suffix(self, digits: str) -> list[int]:
        """Contacts with a number whose digits end with ``digits`` (for numbers not valid)."""
        rows = self._conn.execute(
            "SELECT DISTINCT contact_id FROM phones WHERE e164 IS NULL AND key LIKE ? ESCAPE '\\' "
            "ORDER BY contact_id",
            ("%" + digits,),
        )
        return [int(r[0]) for r in rows]

    def contact_names(self) -> list[tuple[int, str]]:
        """(id, name) of every contact, for matching typed names."""
        return [(int(i), str(n)) for i, n in self._conn.execute("SELECT id, name FROM contacts")]

    def set_personal(
        self, contact_id: int, *, salutation: str | None = None, template: str | None = None
    ) -> None:
        """Set (or with "" clear) a contact's own salutation and template."""
        if salutation is not None:
            self._conn.execute(
                "UPDATE contacts SET salutation = ? WHERE id = ?", (salutation, contact_id)
            )
        if template is not None:
            self._conn.execute(
                "UPDATE contacts SET template = ? WHERE id = ?", (template, contact_id)
            )

    # -- rules ------------------------------------------------------------------

    def rules(self) -> list[tuple[str, str]]:
        """(group, template) rules, in the order they were made."""
        rows = self._conn.execute("SELECT group_name, template FROM rules ORDER BY rowid")
        return [(str(g), str(t)) for g, t in rows]

    def set_rule(self, group: str, template: str) -> None:
        """Map a group to a template (a relationship such as ``colleague``, a name or a path)."""
        self._conn.execute(
            "INSERT INTO rules(group_name, template) VALUES (?, ?) "
            "ON CONFLICT(group_name) DO UPDATE SET template = excluded.template",
            (group, template),
        )

    def remove_rule(self, group: str) -> bool:
        """Remove a group's rule; True when there was one."""
        return self._conn.execute("DELETE FROM rules WHERE group_name = ?", (group,)).rowcount > 0

    # -- reaches and messages -------------------------------------------------

    def add_reach(
        self,
        contact_id: int,
        at: str,
        numbers: list[str],
        *,
        channel: str = "call",
        org: str = "",
        note: str = "",
        source: str = "typed",
        contact_number: str = "",
    ) -> int:
        """Record that a collector reached a contact; return the record id."""
        cur = self._conn.execute(
            "INSERT INTO reaches(contact_id, at, channel, org, note, source, recorded_at, "
            "contact_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (contact_id, at, channel, org, note, source, now(), contact_number),
        )
        reach_id = int(cur.lastrowid or 0)
        self._conn.executemany(
            "INSERT OR IGNORE INTO reach_numbers(reach_id, number) VALUES (?, ?)",
            [(reach_id, n) for n in numbers if n],
        )
        return reach_id

    def find_reach(self, contact_id: int, at: str, channel: str) -> Reach | None:
        """The contact's record of a reach at exactly this time by this channel, if any."""
        row = self._conn.execute(
            "SELECT id FROM reaches WHERE contact_id = ? AND at = ? AND channel = ? LIMIT 1",
            (contact_id, at, channel),
        ).fetchone()
        return None if row is None else self.reach(int(row[0]))

    def update_reach(self, reach_id: int, numbers: list[str], org: str, note: str) -> None:
        """Add collector numbers to a record and fill in its organisation and note if empty."""
        self._conn.executemany(
            "INSERT OR IGNORE INTO reach_numbers(reach_id, number) VALUES (?, ?)",
            [(reach_id, n) for n in numbers if n],
        )
        self._conn.execute(
            "UPDATE reaches SET org = CASE WHEN org = '' THEN ? ELSE org END, "
            "note = CASE WHEN note = '' THEN ? ELSE note END WHERE id = ?",
            (org, note, reach_id),
        )

    def delete_reaches(self, contact_id: int) -> int:
        """Remove every reach record of a contact; return how many there were."""
        cur = self._conn.execute("DELETE FROM reaches WHERE contact_id = ?", (contact_id,))
        return cur.rowcount

    def delete_reach(self, reach_id: int) -> bool:
        """Remove one reach record; True when it existed."""
        return self._conn.execute("DELETE FROM reaches WHERE id = ?", (reach_id,)).rowcount > 0

    def reaches(self, contact_id: int | None = None) -> list[Reach]:
        """Reach records (of one contact, or all), oldest first."""
        where, args = ("WHERE r.contact_id = ?", (contact_id,)) if contact_id else ("", ())
        rows = self._conn.execute(
            f"""
            SELECT r.id, r.contact_id, r.at,
                   (SELECT group_concat(number, char(31)) FROM reach_numbers WHERE reach_id = r.id),
                   r.note, r.source, r.recorded_at, r.channel, r.org, r.contact_number
            FROM reaches r {where} ORDER BY moment(r.at), r.id
            """,  # noqa: S608 -- `where` is one of the two fixed clauses above.
            args,
        )
        return [
            Reach(i, c, at, _numbers(nums), note, src, rec, ch, org, cn)
            for i, c, at, nums, note, src, rec, ch, org, cn in rows
        ]

    def reach(self, reach_id: int) -> Reach | None:
        """One reach record by id."""
        found = [r for r in self.reaches() if r.id == reach_id]
        return found[0] if found else None

    def collectors(self) -> list[Collector]:
        """Collector numbers with count, first and last seen, and contacts reached; most used first."""
        rows = self._conn.execute(
            """
            SELECT n.number, COUNT(*),
                   (SELECT r2.at FROM reaches r2 JOIN reach_numbers n2 ON n2.reach_id = r2.id
                    WHERE n2.number = n.number ORDER BY moment(r2.at) LIMIT 1),
                   (SELECT r2.at FROM reaches r2 JOIN reach_numbers n2 ON n2.reach_id = r2.id
                    WHERE n2.number = n.number ORDER BY moment(r2.at) DESC LIMIT 1),
                   COUNT(DISTINCT r.contact_id)
            FROM reach_numbers n JOIN reaches r ON r.id = n.reach_id
            GROUP BY n.number ORDER BY COUNT(*) DESC, n.number
            """
        )
        return [Collector(str(n), int(c), str(f), str(la), int(k)) for n, c, f, la, k in rows]

    def collector_numbers(self) -> list[str]:
        """The distinct collector numbers, most frequent first."""
        return [c.number for c in self.collectors()]

    def add_attachment(self, reach_id: int, path: str, size: int, sha256: str) -> int:
        """Record an evidence file (its path, size and hash) with a reach."""
        cur = self._conn.execute(
            "INSERT INTO attachments(reach_id, path, size, sha256, added_at) VALUES (?, ?, ?, ?, ?)",
            (reach_id, path, size, sha256, now()),
        )
        return int(cur.lastrowid or 0)

    def attachment_hashes(self, reach_id: int) -> set[str]:
        """SHA-256 of the files already recorded with a reach."""
        rows = self._conn.execute("SELECT sha256 FROM attachments WHERE reach_id = ?", (reach_id,))
        return {str(r[0]) for r in rows}

    def attachments(self) -> dict[int, list[Attachment]]:
        """Every attachment, by reach id."""
        found: dict[int, list[Attachment]] = {}
        for row in self._conn.execute(
            "SELECT id, reach_id, path, size, sha256, added_at FROM attachments ORDER BY id"
        ):
            found.setdefault(int(row[1]), []).append(Attachment(*row))
        return found

    def add_message(
        self,
        contact_id: int,
        reach_id: int | None,
        template: str,
        channel: str,
        phone: str,
        body: str,
        exported_to: str,
        subject: str = "",
        export_id: int | None = None,
    ) -> None:
        """Log exactly which text was exported for a contact, and where to."""
        self._conn.execute(
            "INSERT INTO messages(contact_id, reach_id, template, channel, phone, body, "
            "exported_to, exported_at, subject, export_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                contact_id, reach_id, template, channel, phone, body, exported_to, now(),
                subject, export_id,
            ),
        )  # fmt: skip

    # -- exports: recorded before they appear, finished after --------------------

    def begin_export(
        self, path: str, staging: str, digest: str, *, folder: bool, force: bool
    ) -> int:
        """Record an export about to be put in place (state ``writing``); return its id."""
        cur = self._conn.execute(
            "INSERT INTO exports(path, staging, folder, digest, force, started_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (path, staging, int(folder), digest, int(force), now()),
        )
        return int(cur.lastrowid or 0)

    def finish_export(self, export_id: int) -> None:
        """The export's output is in place under its name; what it replaced is gone.

        Messages of earlier exports to the same file or folder that were never
        marked sent are dropped: their text was replaced (``--force``) and can
        no longer go out from there.  Messages marked sent stay in the log.
        """
        row = self._conn.execute("SELECT path FROM exports WHERE id = ?", (export_id,)).fetchone()
        self._conn.execute("UPDATE exports SET state = 'done' WHERE id = ?", (export_id,))
        if row is None:
            return
        path = str(row[0])
        self._conn.execute(
            "DELETE FROM messages WHERE sent_at IS NULL AND export_id IS NOT ? "
            "AND (exported_to = ? OR substr(exported_to, 1, ?) = ?)",
            (export_id, path, len(path) + 1, path.rstrip("/") + "/"),
        )

    def drop_export(self, export_id: int) -> None:
        """Forget an export whose output never appeared, with its messages."""
        self._conn.execute("DELETE FROM exports WHERE id = ?", (export_id,))

    def unfinished_exports(self) -> list[tuple[int, str, str, bool, str, bool]]:
        """(id, path, staging, folder, digest, force) of exports recorded but not finished."""
        rows = self._conn.execute(
            "SELECT id, path, staging, folder, digest, force FROM exports "
            "WHERE state = 'writing' ORDER BY id"
        )
        return [(int(i), str(p), str(s), bool(f), str(d), bool(fo)) for i, p, s, f, d, fo in rows]

    def mark_sent(self, contact_id: int, channel: str, at: str) -> bool:
        """Record that a contact's message for their latest reach went out.

        The latest exported, unsent message for that reach is marked sent; when
        there is none (sent by hand), a log entry without text is added.
        False when the contact has no reach to answer.
        """
        row = self._conn.execute(
            "SELECT id FROM reaches WHERE contact_id = ? ORDER BY moment(at) DESC, id DESC LIMIT 1",
            (contact_id,),
        ).fetchone()
        if row is None:
            return False
        reach_id = int(row[0])
        pending = self._conn.execute(
            "SELECT id FROM messages WHERE reach_id = ? AND sent_at IS NULL ORDER BY id DESC LIMIT 1",
            (reach_id,),
        ).fetchone()
        if pending is not None:
            self._conn.execute("UPDATE messages SET sent_at = ? WHERE id = ?", (at, pending[0]))
        else:
            self._conn.execute(
                "INSERT INTO messages(contact_id, reach_id, template, channel, phone, body, "
                "exported_to, exported_at, sent_at) VALUES (?, ?, '', ?, '', '', '', ?, ?)",
                (contact_id, reach_id, channel, now(), at),
            )
        return True

    def mark_exported_sent(self, exported_to: str, at: str) -> list[int]:
        """Mark every unsent message of one export as sent; return the contacts concerned."""
        rows = self._conn.execute(
            "SELECT id, contact_id FROM messages WHERE exported_to = ? AND sent_at IS NULL",
            (exported_to,),
        ).fetchall()
        self._conn.executemany(
            "UPDATE messages SET sent_at = ? WHERE id = ?", [(at, r[0]) for r in rows]
        )
        return sorted({int(r[1]) for r in rows})

    def exports(self) -> list[str]:
        """The files and folders messages were exported to."""
        rows = self._conn.execute(
            "SELECT DISTINCT exported_to FROM messages WHERE exported_to != ''"
        )
        return [str(r[0]) for r in rows]

    def counts(self) -> Counts:
        """Contacts, reached, exported and sent (for their latest reach), pending."""
        stored = self.contacts()
        reached = [s for s in stored if s.last_reach is not None]
        return Counts(
            contacts=len(stored),
            without_valid_number=sum(
                1 for s in stored if not any(p.valid for p in s.contact.phones)
            ),
            reached=len(reached),
            sent=sum(1 for s in reached if s.sent),
            reached_again=sum(1 for s in reached if not s.sent and s.ever_sent),
            reaches=sum(s.reach_count for s in reached),
            exported_unsent=sum(1 for s in reached if s.exported and not s.sent),
            latest=_latest(reached),
        )


def _latest(reached: list[StoredContact]) -> str:
    """``2026-11-28 09:40 周杰``: the most recent reach, for status."""
    last = max(
        (s for s in reached if s.last_reach),
        key=lambda s: moment(s.last_reach.at if s.last_reach else ""),
        default=None,
    )
    if last is None or last.last_reach is None:
        return ""
    return f"{last.last_reach.at[:16].replace('T', ' ')} {last.name}"


def _json_list(text: object, contact_id: int, column: str) -> list[str]:
    """A list of texts stored as JSON; a value edited by hand into something else is damage."""
    try:
        value = json.loads(str(text))
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CaseError(
            f"the case is damaged: contact {contact_id} has an unreadable {column} value",
            hint="restore the case from a backup, or re-import the contact file into a new case",
        )
    return value


def _numbers(joined: str | None) -> tuple[str, ...]:
    """Collector numbers as stored by group_concat(…, char(31)): a number may hold spaces."""
    return tuple(n for n in (joined or "").split("\x1f") if n)


def _parse_source(text: str) -> Source | None:
    file, sep, line = text.rpartition(":")
    if not sep or not line.isdigit():
        return None
    return Source(file, int(line))


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        # Times compare by the moment they name (dates as local midnight), in SQL as in Python.
        conn.create_function("moment", 1, moment, deterministic=True)
        conn.execute("PRAGMA foreign_keys = ON")
        # Rollback journal, fully synced: a crash leaves the last committed state.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        raise sqlite_failure(exc, path) from None
    return conn


def _damaged(path: Path, why: str) -> CaseError:
    return CaseError(
        f"the case {path} is damaged: {why}",
        hint="check it with: contact-notify doctor; restore it from a backup "
        "(contact-notify --case BACKUP doctor checks one first)",
    )


def sqlite_failure(exc: sqlite3.Error, path: Path | None) -> CaseError:
    """The one message for an SQLite error met while using a case, by what it means."""
    text = str(exc)
    where = f"the case {path}" if path else "the case"
    if "readonly" in text or "read-only" in text:
        return CaseError(
            f"{where} cannot be written: the file or its folder is read-only",
            hint="make it writable again (it should be yours, mode 0600), "
            "or work on a copy made with: contact-notify backup COPY",
        )
    if "locked" in text or "busy" in text:
        return CaseError(
            f"{where} is busy: another command is writing to it",
            hint="another contact-notify is working on this case; try again when it is done",
        )
    if "unable to open" in text or "disk I/O" in text or "full" in text:
        return CaseError(
            f"{where} cannot be read or written: {text}",
            hint="check the disk, the file's permissions and free space",
        )
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    ):
        return _damaged(path or Path("?"), text)
    return CaseError(
        f"{where} cannot be used: {text}",
        hint="check it with: contact-notify doctor; restore it from a backup if it is damaged",
    )


def _check_header(path: Path) -> None:
    """Refuse a file that is empty or is not an SQLite database before SQLite opens it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CaseError(f"cannot read the case file {path}: {exc.strerror}") from None
    if not header:
        raise _damaged(path, "the file is empty (0 bytes): a copy or a crash went wrong")
    if header != SQLITE_HEADER:
        raise CaseError(
            f"{path} is not a contact-notify case file (it is not an SQLite database)",
            hint="check the --case path; a case file is an SQLite database",
        )


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [
        str(r[0])
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(r[0]).startswith("sqlite_")
    ]
    return {t: {str(c[1]) for c in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


@functools.cache
def _expected_columns() -> dict[str, frozenset[str]]:
    """The tables and columns of the current schema, from the migrations run in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            conn.executescript(script)
        return {t: frozenset(c) for t, c in _columns(conn).items()}
    finally:
        conn.close()


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
            "the backup copy did not verify (it differs from the case); nothing was replaced",
            hint="check the disk and free space, then try again",
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
        raise CaseError(f"cannot create the case file {path}: {exc.message}") from None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CaseError(f"cannot create the case file {path}: {exc.strerror}") from None
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
        raise CaseError(f"cannot create the case file {path}: {exc}") from None
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
    if path.is_file() and not path.is_symlink():
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
            raise CaseError(f"cannot delete {candidate}: {exc.strerror}") from None
        gone.append(candidate)
    return gone
