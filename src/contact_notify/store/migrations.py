"""The schema of a case file: the migrations that build it, version by version.

The schema version is ``PRAGMA user_version``; :data:`MIGRATIONS` takes a case
from any older version to the current one (:data:`SCHEMA_VERSION`), and a new
case is made by running them all.  :func:`expected_columns` is what every open
checks a case against.
"""

from __future__ import annotations

import functools
import sqlite3

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
    # 7: what the collector did on a reach (keys of contact_notify.behaviours).
    """
    CREATE TABLE reach_behaviours (
        reach_id  INTEGER NOT NULL REFERENCES reaches(id) ON DELETE CASCADE,
        behaviour TEXT NOT NULL,
        PRIMARY KEY (reach_id, behaviour)
    );
    """,
    # 8: indexes for counting and matching in time that does not grow with the case:
    # contacts with a valid number (status), a contact's reach at a given time (mark).
    """
    CREATE INDEX phones_valid ON phones(contact_id) WHERE e164 IS NOT NULL;
    DROP INDEX IF EXISTS reaches_contact;
    CREATE INDEX reaches_contact_at ON reaches(contact_id, at);
    """,
    # 9: a message the user edited for one contact, per reach (the round) and channel: it
    # replaces the rendered template while that reach is the contact's latest.
    """
    CREATE TABLE message_edits (
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        reach_id   INTEGER NOT NULL REFERENCES reaches(id) ON DELETE CASCADE,
        channel    TEXT NOT NULL,
        body       TEXT NOT NULL,
        edited_at  TEXT NOT NULL,
        PRIMARY KEY (contact_id, reach_id, channel)
    );
    CREATE INDEX message_edits_reach ON message_edits(reach_id);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """The tables of a database (SQLite's own left out) and their columns."""
    tables = [
        str(r[0])
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(r[0]).startswith("sqlite_")
    ]
    return {t: {str(c[1]) for c in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


@functools.cache
def expected_columns() -> dict[str, frozenset[str]]:
    """The tables and columns of the current schema, from the migrations run in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            conn.executescript(script)
        return {t: frozenset(c) for t, c in columns(conn).items()}
    finally:
        conn.close()
