"""Reach records (tables ``reaches`` and ``reach_numbers``), their attachments, and collectors."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from contact_notify.model import Attachment, Collector, LastReach, Reach
from contact_notify.store import cells, times

# The id of a contact's latest reach: the latest moment, of equal moments the last recorded.
# ``{contact}`` is the contact id's SQL expression (a column, or ``?1``: it appears twice).
# A contact's only reach is its latest: moment(), a call into Python for every reach
# compared, is asked only of contacts with several (CASE evaluates only the branch taken).
_LATEST_OF_SEVERAL = (
    "(SELECT id FROM reaches WHERE contact_id = {contact} "
    "ORDER BY moment(at) DESC, id DESC LIMIT 1)"
)
LATEST_REACH_ID = (
    "(SELECT CASE count(*) WHEN 0 THEN NULL WHEN 1 THEN max(id) ELSE "  # noqa: S608 -- fixed.
    + _LATEST_OF_SEVERAL
    + " END FROM reaches WHERE contact_id = {contact})"
)
# Every reached contact's reach count ``n`` and latest reach id ``latest``, one row per
# contact, read from the reaches alone (for listing only the reached contacts without
# asking LATEST_REACH_ID of every contact): the same rule as LATEST_REACH_ID.
REACHED = (
    "(SELECT contact_id, n, CASE n WHEN 1 THEN top ELSE "  # noqa: S608 -- fixed fragments.
    + _LATEST_OF_SEVERAL.format(contact="g.contact_id")
    + " END AS latest FROM "
    "(SELECT contact_id, count(*) AS n, max(id) AS top FROM reaches GROUP BY contact_id) g)"
)

# Each column of a reach as read by reach_from_row, from table alias {r}, named with {prefix}.
_REACH_COLUMNS = {
    "id": "{r}.id",
    "at": "{r}.at",
    "numbers": "(SELECT group_concat(number, char(31)) FROM reach_numbers WHERE reach_id = {r}.id)",
    "note": "{r}.note",
    "source": "{r}.source",
    "recorded_at": "{r}.recorded_at",
    "channel": "{r}.channel",
    "org": "{r}.org",
    "contact_number": "{r}.contact_number",
    "behaviours": "(SELECT group_concat(behaviour, ',') FROM reach_behaviours WHERE reach_id = {r}.id)",
    "contact_id": "{r}.contact_id",
}


def reach_columns(alias: str = "r", prefix: str = "") -> str:
    """The SELECT list of a reach from table ``alias``, each column named ``prefix`` + field."""
    return ", ".join(
        f"{sql.format(r=alias)} AS {prefix}{name}" for name, sql in _REACH_COLUMNS.items()
    )


# The cells of a :class:`LastReach`, in its fields' order (a listing of contacts reads only
# these: a column read costs about as much as anything done with it).
_LAST_REACH_COLUMNS = ("id", "at", "numbers", "note", "contact_number")


def last_reach_columns(alias: str, prefix: str) -> str:
    """The SELECT list of a :class:`LastReach` from table ``alias``, named as
    :func:`reach_columns` names them."""
    return ", ".join(
        f"{_REACH_COLUMNS[name].format(r=alias)} AS {prefix}{name}" for name in _LAST_REACH_COLUMNS
    )


def column_index(cursor: sqlite3.Cursor) -> dict[str, int]:
    """Each column's position in an executed query's rows, by the name the query gave it.

    For queries read many rows at a time: ``row[at["name"]]`` is a dictionary
    lookup, where ``row["name"]`` (sqlite3.Row) compares every column's name.
    """
    return {str(d[0]): i for i, d in enumerate(cursor.description)}


def reach_from_row(row: Sequence[Any], at: dict[str, int], prefix: str = "") -> Reach:
    """The reach in a row selected with :func:`reach_columns` (same ``prefix``); ``at``: its columns.

    Every cell is checked (:mod:`.cells`): a reach is evidence, and a damaged one is refused.
    """
    return reach_from_values([row[at[prefix + column]] for column in _REACH_COLUMNS])


def reach_from_values(values: Sequence[Any]) -> Reach:
    """The reach in the cells of :func:`reach_columns`, in their order; every cell checked."""
    (
        reach_id, at, numbers, note, source, recorded_at, channel, org, contact_number,
        behaviours, contact_id,
    ) = values  # fmt: skip
    if not (type(note) is str and type(source) is str and type(channel) is str
            and type(org) is str):  # fmt: skip
        for column, value in (("note", note), ("source", source), ("channel", channel),
                              ("org", org)):  # fmt: skip
            if type(value) is not str:
                raise cells.damaged("reach record", reach_id, column)
    return Reach(
        reach_id,
        cells.integer(contact_id, "reach record", reach_id, "contact"),
        cells.time(at, "reach record", reach_id, "time"),
        _numbers(numbers, reach_id),
        note,
        source,
        cells.time(recorded_at, "reach record", reach_id, "recorded time"),
        channel,
        org,
        (
            ""
            if contact_number == ""
            else cells.e164(contact_number, "reach record", reach_id, "contact number")
        ),
        _behaviours(behaviours, reach_id),
    )


def last_reach_from_values(values: Sequence[Any]) -> LastReach:
    """The latest reach in the cells of :func:`last_reach_columns`; every cell checked."""
    reach_id, at, numbers, note, contact_number = values
    if type(note) is not str:
        raise cells.damaged("reach record", reach_id, "note")
    return LastReach(
        reach_id,
        cells.time(at, "reach record", reach_id, "time"),
        _numbers(numbers, reach_id),
        note,
        (
            ""
            if contact_number == ""
            else cells.e164(contact_number, "reach record", reach_id, "contact number")
        ),
    )


def _behaviours(joined: object, reach_id: object) -> tuple[str, ...]:
    """A reach's behaviour keys, in the vocabulary's order; a key we do not know is damage."""
    if joined is None:
        return ()
    from contact_notify.behaviours import KEYS, ordered

    keys = cells.text(joined, "reach record", reach_id, "behaviour").split(",")
    for key in keys:
        if key not in KEYS:
            raise cells.damaged("reach record", reach_id, "behaviour")
    return ordered(keys)


def _numbers(joined: object, reach_id: object) -> tuple[str, ...]:
    """Collector numbers as stored by group_concat(…, char(31)): a number may hold spaces."""
    if joined is None:
        return ()
    text = cells.text(joined, "reach record", reach_id, "collector number")
    return tuple(filter(None, text.split("\x1f")))


class Reaches:
    """Reaches, attachments and collectors: that part of :class:`~contact_notify.store.Case`."""

    _conn: sqlite3.Connection

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
        behaviours: Sequence[str] = (),
    ) -> int:
        """Record that a collector reached a contact; return the record id."""
        cur = self._conn.execute(
            "INSERT INTO reaches(contact_id, at, channel, org, note, source, recorded_at, "
            "contact_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (contact_id, at, channel, org, note, source, times.now(), contact_number),
        )
        reach_id = int(cur.lastrowid or 0)
        self._conn.executemany(
            "INSERT OR IGNORE INTO reach_numbers(reach_id, number) VALUES (?, ?)",
            [(reach_id, n) for n in numbers if n],
        )
        self.add_behaviours(reach_id, behaviours)
        return reach_id

    def add_behaviours(self, reach_id: int, behaviours: Sequence[str]) -> None:
        """Record what the collector did on a reach (keys already recorded are left as they are)."""
        self._conn.executemany(
            "INSERT OR IGNORE INTO reach_behaviours(reach_id, behaviour) VALUES (?, ?)",
            [(reach_id, b) for b in behaviours],
        )

    def find_reach(self, contact_id: int, at: str, channel: str) -> Reach | None:
        """The contact's record of a reach at exactly this time by this channel, if any."""
        row = self._conn.execute(
            "SELECT id FROM reaches WHERE contact_id = ? AND at = ? AND channel = ? LIMIT 1",
            (contact_id, at, channel),
        ).fetchone()
        return None if row is None else self.reach(int(row["id"]))

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
        cursor = self._conn.execute(
            f"SELECT {reach_columns()} FROM reaches r {where} ORDER BY moment(r.at), r.id",  # noqa: S608 -- fixed fragments only.
            args,
        )
        at = column_index(cursor)
        return [reach_from_row(row, at) for row in cursor]

    def reach_numbers(self, *, several: bool = False) -> list[tuple[int, tuple[str, ...]]]:
        """Each reach record's contact and collector numbers, oldest first (as :meth:`reaches`).

        ``several``: only the records of contacts reached more than once (for the
        others, their one reach says it all).
        """
        numbers = _REACH_COLUMNS["numbers"].format(r="r")
        only = (
            "WHERE r.contact_id IN "
            "(SELECT contact_id FROM reaches GROUP BY contact_id HAVING COUNT(*) > 1)"
            if several
            else ""
        )
        rows = self._conn.execute(
            f"SELECT r.id, r.contact_id, {numbers} FROM reaches r {only} "  # noqa: S608 -- fixed fragments only.
            "ORDER BY moment(r.at), r.id"
        )
        return [
            (cells.integer(contact, "reach record", rid, "contact"), _numbers(joined, rid))
            for rid, contact, joined in rows
        ]

    def reach(self, reach_id: int) -> Reach | None:
        """One reach record by id."""
        cursor = self._conn.execute(
            f"SELECT {reach_columns()} FROM reaches r WHERE r.id = ?",  # noqa: S608 -- a fixed fragment.
            (reach_id,),
        )
        row = cursor.fetchone()
        return None if row is None else reach_from_row(row, column_index(cursor))

    def collectors(self) -> list[Collector]:
        """Collector numbers with count, first and last seen, and contacts reached; most used first."""
        rows = self._conn.execute(
            """
            SELECT n.number AS number, COUNT(*) AS count,
                   (SELECT r2.at FROM reaches r2 JOIN reach_numbers n2 ON n2.reach_id = r2.id
                    WHERE n2.number = n.number ORDER BY moment(r2.at) LIMIT 1) AS first,
                   (SELECT r2.at FROM reaches r2 JOIN reach_numbers n2 ON n2.reach_id = r2.id
                    WHERE n2.number = n.number ORDER BY moment(r2.at) DESC LIMIT 1) AS last,
                   COUNT(DISTINCT r.contact_id) AS contacts
            FROM reach_numbers n JOIN reaches r ON r.id = n.reach_id
            GROUP BY n.number ORDER BY COUNT(*) DESC, n.number
            """
        )
        return [
            Collector(
                number=cells.text(row["number"], "a collector number", "", "number"),
                count=int(row["count"]),
                first_seen=cells.time(row["first"], "collector number", row["number"], "time"),
                last_seen=cells.time(row["last"], "collector number", row["number"], "time"),
                contacts=int(row["contacts"]),
            )
            for row in rows
        ]

    def collector_numbers(self) -> list[str]:
        """The distinct collector numbers, most frequent first."""
        return [c.number for c in self.collectors()]

    # -- attachments: evidence files recorded with a reach ---------------------

    def add_attachment(self, reach_id: int, path: str, size: int, sha256: str) -> int:
        """Record an evidence file (its path, size and hash) with a reach."""
        cur = self._conn.execute(
            "INSERT INTO attachments(reach_id, path, size, sha256, added_at) VALUES (?, ?, ?, ?, ?)",
            (reach_id, path, size, sha256, times.now()),
        )
        return int(cur.lastrowid or 0)

    def attachment_hashes(self, reach_id: int) -> set[str]:
        """SHA-256 of the files already recorded with a reach."""
        rows = self._conn.execute("SELECT sha256 FROM attachments WHERE reach_id = ?", (reach_id,))
        return {str(r["sha256"]) for r in rows}

    def attachments(self) -> dict[int, list[Attachment]]:
        """Every attachment, by reach id."""
        found: dict[int, list[Attachment]] = {}
        for row in self._conn.execute(
            "SELECT id, reach_id, path, size, sha256, added_at FROM attachments ORDER BY id"
        ):
            attachment_id = row["id"]
            attachment = Attachment(
                id=attachment_id,
                reach_id=cells.integer(row["reach_id"], "attachment", attachment_id, "reach"),
                path=cells.text(row["path"], "attachment", attachment_id, "path"),
                size=cells.integer(row["size"], "attachment", attachment_id, "size"),
                sha256=cells.text(row["sha256"], "attachment", attachment_id, "sha256"),
                added_at=cells.time(row["added_at"], "attachment", attachment_id, "added time"),
            )
            found.setdefault(int(attachment.reach_id), []).append(attachment)
        return found
