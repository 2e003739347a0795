"""Contacts and their numbers (tables ``contacts`` and ``phones``), read with their reach summary."""

from __future__ import annotations

import functools
import itertools
import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from contact_notify.errors import CaseError
from contact_notify.i18n import _
from contact_notify.model import Contact, LastReach, Phone, Source, StoredContact
from contact_notify.store import cells, times
from contact_notify.store.reaches import (
    LATEST_REACH_ID,
    REACHED,
    last_reach_columns,
    last_reach_from_values,
)
from contact_notify.store.sendlog import EVER_SENT, EXPORTED, MESSAGE_STATE_BITS, SENT

# Every contact with its latest reach ``r`` and send state, by name; {where} is a fixed
# clause.  The columns' order is the one :func:`_stored` unpacks.
_STORED = f"""
    SELECT c.id, c.name, c.family, c.given, c.nickname, c.org, c.groups, c.emails,
           c.source, c.salutation, c.template,
           (SELECT COUNT(*) FROM reaches WHERE contact_id = c.id) AS reach_count,
           {last_reach_columns("r", "reach_")},
           {MESSAGE_STATE_BITS}
    FROM contacts c
    LEFT JOIN reaches r ON r.id = {LATEST_REACH_ID.format(contact="c.id")}
    {{where}}
    ORDER BY c.name, c.id
"""  # noqa: S608 -- fixed fragments only.
# The reached contacts only, most recently reached first (equal times in name order), in the
# columns of _STORED: driven by the reaches, so contacts never reached are not visited.
# {source} is c.source, or '' for messages, which never show where a contact came from.
_REACHED_FORM = f"""
    SELECT c.id, c.name, c.family, c.given, c.nickname, c.org, c.groups, c.emails,
           {{source}} AS source, c.salutation, c.template, g.n AS reach_count,
           {last_reach_columns("r", "reach_")},
           {MESSAGE_STATE_BITS}
    FROM {REACHED} g
    JOIN contacts c ON c.id = g.contact_id
    JOIN reaches r ON r.id = g.latest
    ORDER BY {{order}} DESC, c.name, c.id
"""  # noqa: S608 -- fixed fragments only.
_REACHED = _REACHED_FORM.format(source="c.source", order="moment(r.at)")
# Reach times of one full form with one offset, such as 2026-11-27T21:30:00+08:00 (what
# a case recorded in one place holds), sort as texts in the order of their moments: when
# every reach time is so, the listing orders by the text and asks moment() of none.
_ONE_FORM = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
_TIMES_ALIKE = f"""
    SELECT count(DISTINCT substr(at, 20)),
           coalesce(sum(NOT (typeof(at) = 'text'
                             AND at GLOB '{_ONE_FORM}[+-][0-9][0-9]:[0-9][0-9]'
                             AND at >= '1971' AND at < '9999')), 0)
    FROM reaches
"""  # noqa: S608 -- fixed fragments only; years 1971-9998 are moments with no overflow.
_REACH_CELLS = slice(12, 17)  # the latest reach's cells in a row of _STORED and _REACHED


# json.dumps(values, ensure_ascii=False), without making a new encoder for every call.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


@functools.lru_cache(maxsize=1024)
def _json_cell(values: tuple[str, ...]) -> str:
    return _ENCODE(list(values))


def _json_list(values: list[str]) -> str:
    """A list of texts as a JSON cell (``[]`` when empty, as most are; groups repeat)."""
    return _json_cell(tuple(values)) if values else "[]"


# Contacts read at a time: a listing holds this many, not the whole case.
BATCH = 500


def stored_contacts(
    conn: sqlite3.Connection, where: str, args: tuple[object, ...]
) -> list[StoredContact]:
    """The contacts ``where`` selects (a fixed clause on ``c`` and ``r``), ordered by name."""
    return list(iter_stored_contacts(conn, where, args))


def iter_stored_contacts(
    conn: sqlite3.Connection, where: str, args: tuple[object, ...]
) -> Iterator[StoredContact]:
    """The same contacts one at a time, read :data:`BATCH` at a time with their numbers.

    Memory stays flat whatever the size of the case; the caller keeps the case
    open (and does not write to it) until it has read them all.
    """
    return _read_stored(conn, _STORED.format(where=where), args)


def _read_stored(
    conn: sqlite3.Connection, sql: str, args: tuple[object, ...]
) -> Iterator[StoredContact]:
    """:func:`iter_stored_contacts` for a query with the columns of :data:`_STORED` (or
    :data:`_REACHED`)."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples, unpacked by position
    cursor.execute(sql, args)
    numbers = conn.cursor()
    numbers.row_factory = None
    while rows := cursor.fetchmany(BATCH):
        phones: dict[int, list[Phone]] = {}
        ids = [row[0] for row in rows]
        marks = ",".join("?" * len(ids))
        for contact_id, raw, e164, label in numbers.execute(
            f"SELECT contact_id, raw, e164, label FROM phones "  # noqa: S608 -- placeholders only.
            f"WHERE contact_id IN ({marks}) ORDER BY id",
            ids,
        ):
            phones.setdefault(contact_id, []).append(_phone(contact_id, raw, e164, label))
        for row in rows:
            yield _stored(row, phones.get(row[0], []))


def _by_text(conn: sqlite3.Connection, by_text: str, by_moment: str) -> Iterator[StoredContact]:
    """The reached contacts ordered by their reach times' text (all of one form and offset).

    A time of that shape that is no real time (2026-11-31, 24:00) is moment 0.0, last
    in the order by moment, while its text falls anywhere: at a damaged cell the rest comes
    in the order by moment, after the contacts already given (the same ones, in the same
    order, since real times of one offset order alike), so the damage is met where the
    order by moment meets it, with the same refusal.
    """
    given = 0
    try:
        for stored in _read_stored(conn, by_text, ()):
            yield stored
            given += 1
    except CaseError:
        yield from itertools.islice(_read_stored(conn, by_moment, ()), given, None)


def _phone(contact_id: int, raw: object, e164: object, label: object) -> Phone:
    """One row of ``phones``, its cells checked."""
    if type(raw) is not str:
        raise cells.damaged("contact", contact_id, "number")
    if type(label) is not str:
        raise cells.damaged("contact", contact_id, "number label")
    return Phone(
        raw, label,
        None if e164 is None else cells.e164(e164, "contact", contact_id, "E.164 number"),
    )  # fmt: skip


_TEXT_CELLS = ("name", "family", "given", "nickname", "org", "source", "salutation", "template")


def _stored(row: Sequence[Any], phones: list[Phone]) -> StoredContact:
    """One row of :data:`_STORED` with the contact's numbers, every cell checked.

    The cells of a sound row are checked here in one go, as :func:`_stored_checked`
    checks them one by one (a listing reads one row per contact); a row with anything
    else goes there, which names the damaged cell.  Built with positional arguments:
    keywords take twice as long.
    """
    (
        contact_id, name, family, given, nickname, org, groups, emails, source, salutation,
        template, reach_count, reach_id, at, numbers, note, contact_number, state,
    ) = row  # fmt: skip
    if not (
        type(name) is str and type(family) is str and type(given) is str
        and type(nickname) is str and type(org) is str and type(source) is str
        and type(salutation) is str and type(template) is str
    ):  # fmt: skip
        return _stored_checked(row, phones)
    if reach_id is None:
        last = None
    elif (
        type(note) is str
        and type(at) is str and cells.good_time(at)
        and (numbers is None or type(numbers) is str)
        and (contact_number == "" or (type(contact_number) is str and cells.is_e164(contact_number)))
    ):  # fmt: skip
        split = tuple(filter(None, numbers.split("\x1f"))) if numbers else ()
        last = LastReach(reach_id, at, split, note, contact_number)
    else:
        return _stored_checked(row, phones)
    contact = Contact(
        name, family, given, nickname, org,
        [] if groups == "[]" else _list_cell(groups, contact_id, "groups"),
        phones,
        [] if emails == "[]" else _list_cell(emails, contact_id, "emails"),
        _parse_source(source) if source else None,
    )  # fmt: skip
    return StoredContact(
        contact_id, contact, reach_count, last,
        bool(state & EXPORTED), salutation, template, bool(state & SENT), bool(state & EVER_SENT),
    )  # fmt: skip


def _stored_checked(row: Sequence[Any], phones: list[Phone]) -> StoredContact:
    """:func:`_stored`, each cell checked by the function for its kind (the damaged one named)."""
    (
        contact_id, name, family, given, nickname, org, groups, emails, source, salutation,
        template, reach_count,
    ) = row[:12]  # fmt: skip
    state = row[17]
    if not (
        type(name) is str and type(family) is str and type(given) is str
        and type(nickname) is str and type(org) is str and type(source) is str
        and type(salutation) is str and type(template) is str
    ):  # fmt: skip
        texts = (name, family, given, nickname, org, source, salutation, template)
        for column, value in zip(_TEXT_CELLS, texts, strict=True):
            if type(value) is not str:
                raise cells.damaged("contact", contact_id, column)
    contact = Contact(
        name, family, given, nickname, org,
        _list_cell(groups, contact_id, "groups"),
        phones,
        _list_cell(emails, contact_id, "emails"),
        _parse_source(source),
    )  # fmt: skip
    reach = row[_REACH_CELLS]
    return StoredContact(
        contact_id, contact, reach_count,
        None if reach[0] is None else last_reach_from_values(reach),
        bool(state & EXPORTED), salutation, template, bool(state & SENT), bool(state & EVER_SENT),
    )  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _decoded_list(cell: str) -> tuple[str, ...] | None:
    """A JSON list of texts, decoded once per distinct cell (groups repeat); None if it is not one."""
    decoded = cells.text_list(cell)
    return None if decoded is None else tuple(decoded)


def _list_cell(cell: object, contact_id: int, column: str) -> list[str]:
    """A contact's groups or e-mails (a JSON list of texts), checked."""
    if cell == "[]":
        return []  # most contacts' e-mails
    decoded = _decoded_list(cell) if type(cell) is str else None
    if decoded is None:
        raise cells.damaged("contact", contact_id, column)
    return list(decoded)


def _parse_source(text: str) -> Source | None:
    file, sep, line = text.rpartition(":")
    if not sep or not line.isdigit():
        return None
    return Source(file, int(line))


class Contacts:
    """Contacts and phones: that part of :class:`~contact_notify.store.Case`."""

    _conn: sqlite3.Connection

    def max_contact_id(self) -> int:
        """The highest contact id so far (ids only grow), 0 for an empty case."""
        row = self._conn.execute("SELECT COALESCE(MAX(id), 0) AS top FROM contacts").fetchone()
        return int(row["top"])

    def contact_ids_by_phone_keys(self, keys: list[str]) -> list[int]:
        """The contacts holding any of these phone keys, lowest id first."""
        marks = ",".join("?" * len(keys))
        rows = self._conn.execute(
            f"SELECT DISTINCT contact_id FROM phones WHERE key IN ({marks}) ORDER BY contact_id",  # noqa: S608 -- placeholders only.
            keys,
        )
        return [int(r["contact_id"]) for r in rows]

    def contact_ids_by_name(self, name: str) -> list[int]:
        """The contacts with exactly this display name."""
        rows = self._conn.execute("SELECT id FROM contacts WHERE name = ? ORDER BY id", (name,))
        return [int(r["id"]) for r in rows]

    def contact_ids_by_phone_key(self, key: str) -> list[int]:
        """The contacts holding a number with this key."""
        rows = self._conn.execute(
            "SELECT DISTINCT contact_id FROM phones WHERE key = ? ORDER BY contact_id", (key,)
        )
        return [int(r["contact_id"]) for r in rows]

    def contact_ids_by_digits_suffix(self, digits: str) -> list[int]:
        """Contacts with a number whose digits end with ``digits`` (for numbers not valid)."""
        rows = self._conn.execute(
            "SELECT DISTINCT contact_id FROM phones WHERE e164 IS NULL AND key LIKE ? ESCAPE '\\' "
            "ORDER BY contact_id",
            ("%" + digits,),
        )
        return [int(r["contact_id"]) for r in rows]

    def contact_count(self) -> int:
        """How many contacts the case holds."""
        return int(self._conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0])

    def has_contact(self, contact_id: int) -> bool:
        """True when a contact with this id exists."""
        row = self._conn.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        return row is not None

    def contact_names(self) -> list[tuple[int, str]]:
        """(id, name) of every contact, for matching typed names."""
        cursor = self._conn.cursor()
        cursor.row_factory = None  # plain tuples: read for every contact of the case
        rows = cursor.execute("SELECT id, name FROM contacts").fetchall()
        return [(i, cells.text(name, "contact", i, "name")) for i, name in rows]

    def names(self) -> list[str]:
        """Every contact's name (to tell which names are unique), every cell checked."""
        cursor = self._conn.cursor()
        cursor.row_factory = None
        names = [name for (name,) in cursor.execute("SELECT name FROM contacts")]
        if set(map(type, names)) - {str}:  # a damaged cell: read by id, to name its contact
            return [name for _id, name in self.contact_names()]
        return names

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
                _json_list(contact.groups),
                _json_list(contact.emails),
                str(contact.source or ""),
                added_at or times.now(),
            ),
        )
        contact_id = int(cur.lastrowid or 0)
        self.add_phones(contact_id, contact.phones)
        return contact_id

    def add_contacts(self, contacts: list[tuple[int, Contact]], added_at: str) -> None:
        """Insert new contacts under the ids given (above every id so far), with their numbers."""
        self._conn.executemany(
            "INSERT INTO contacts(id, name, family, given, nickname, org, groups, emails, source, "
            "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    contact_id, c.name, c.family, c.given, c.nickname, c.org,
                    _json_list(c.groups), _json_list(c.emails), str(c.source or ""), added_at,
                )
                for contact_id, c in contacts
            ],
        )  # fmt: skip
        self._conn.executemany(
            "INSERT OR IGNORE INTO phones(contact_id, raw, e164, label, key) VALUES (?, ?, ?, ?, ?)",
            [(i, p.raw, p.e164, p.label, p.key) for i, c in contacts for p in c.phones],
        )

    def valid_phone_keys(self) -> Iterator[str]:
        """The key of every valid number in the case, in no particular order."""
        for row in self._conn.execute("SELECT key FROM phones WHERE e164 IS NOT NULL"):
            yield str(row[0])

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
                _json_list(contact.groups),
                _json_list(contact.emails),
                contact_id,
            ),
        )

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

    def contact(self, contact_id: int) -> StoredContact:
        """One stored contact by id."""
        found = stored_contacts(self._conn, "WHERE c.id = ?", (contact_id,))
        if not found:
            raise CaseError(_("no contact with id {id} in the case").format(id=contact_id))
        return found[0]

    def contact_name(self, contact_id: int) -> str:
        """One stored contact's display name (as :attr:`StoredContact.name`), without reading
        its reaches when it has a name; a nameless contact is read whole, for its fallback."""
        row = self._conn.execute("SELECT name FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        if row is None:
            raise CaseError(_("no contact with id {id} in the case").format(id=contact_id))
        name = cells.text(row["name"], "contact", contact_id, "name")
        return name or self.contact(contact_id).name  # its first number, e-mail, or "(no name)"

    def contacts(self, *, reached: bool | None = None) -> list[StoredContact]:
        """All contacts (or only reached / unreached ones), ordered by name."""
        return list(self.iter_contacts(reached=reached))

    def iter_contacts(self, *, reached: bool | None = None) -> Iterator[StoredContact]:
        """The same, one at a time in flat memory (see :func:`iter_stored_contacts`)."""
        where = ""
        if reached is True:
            where = "WHERE r.id IS NOT NULL"
        elif reached is False:
            where = "WHERE r.id IS NULL"
        return iter_stored_contacts(self._conn, where, ())

    def reached_contacts(self) -> list[StoredContact]:
        """Reached contacts, most recently reached first (equal times in name order)."""
        return list(self.iter_reached_contacts())

    def iter_reached_contacts(self, *, sources: bool = True) -> Iterator[StoredContact]:
        """The same, one at a time in flat memory (see :func:`iter_stored_contacts`).

        Without ``sources`` each contact's source (the file and line it came from) is
        not read: it is None (messages never show it; reading it cost a column and a parse).
        """
        source = "c.source" if sources else "''"
        by_moment = _REACHED_FORM.format(source=source, order="moment(r.at)")
        offsets, others = self._conn.execute(_TIMES_ALIKE).fetchone()
        if offsets != 1 or others != 0:
            return _read_stored(self._conn, by_moment, ())
        return _by_text(self._conn, _REACHED_FORM.format(source=source, order="r.at"), by_moment)
