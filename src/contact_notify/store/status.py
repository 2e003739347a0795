"""What ``status`` shows: counts of contacts, reaches and messages, computed in SQL."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from contact_notify.store.contacts import stored_contacts
from contact_notify.store.reaches import LATEST_REACH_ID
from contact_notify.store.sendlog import MESSAGE_STATE


@dataclass(frozen=True)
class LatestReach:
    """The most recent reach of all: when it happened and to whom."""

    at: str  # as stored: an ISO 8601 date, or date and time with its UTC offset
    contact_id: int
    name: str  # the contact's display name


@dataclass(frozen=True)
class Counts:
    """The numbers ``status`` shows."""

    contacts: int
    without_valid_number: int
    reached: int
    sent: int = 0
    reached_again: int = 0
    reaches: int = 0  # reach records in all
    latest_reach: LatestReach | None = None  # None when nobody was reached
    exported_unsent: int = 0  # pending contacts whose message was exported but not marked sent

    @property
    def pending(self) -> int:
        """Reached contacts not yet sent a message for their latest reach."""
        return self.reached - self.sent


# Reached contacts (``reached``: one row each, with their latest reach), then the counts.
# Every query starts from the reaches or an index, so an unreached contact costs nothing
# but its share of two index counts (the join keeps a damaged case's stray numbers out).
# Of reaches at the same moment, the latest is the one of the contact first by name.
_COUNTS = f"""
    WITH reached AS (
        SELECT c.id AS id, c.name AS name, moment(r.at) AS moment_at,
               (SELECT COUNT(*) FROM reaches WHERE contact_id = c.id) AS reach_count,
               {MESSAGE_STATE}
        FROM (SELECT DISTINCT contact_id FROM reaches) rc
        JOIN contacts c ON c.id = rc.contact_id
        JOIN reaches r ON r.id = {LATEST_REACH_ID.format(contact="c.id")}
    )
    SELECT (SELECT COUNT(*) FROM contacts) AS contacts,
           (SELECT COUNT(*) FROM contacts)
             - (SELECT COUNT(DISTINCT p.contact_id) FROM phones p
                JOIN contacts c ON c.id = p.contact_id WHERE p.e164 IS NOT NULL)
             AS without_valid_number,
           COUNT(*) AS reached,
           COALESCE(SUM(sent), 0) AS sent,
           COALESCE(SUM(NOT sent AND ever_sent), 0) AS reached_again,
           COALESCE(SUM(reach_count), 0) AS reaches,
           COALESCE(SUM(exported AND NOT sent), 0) AS exported_unsent,
           (SELECT id FROM reached ORDER BY moment_at DESC, name, id LIMIT 1) AS latest_id
    FROM reached
"""  # noqa: S608 -- fixed fragments only.


class Status:
    """The status counts: that part of :class:`~contact_notify.store.Case`."""

    _conn: sqlite3.Connection

    def counts(self) -> Counts:
        """Contacts, reached, exported and sent (for their latest reach), pending."""
        row = self._conn.execute(_COUNTS).fetchone()
        return Counts(
            contacts=int(row["contacts"]),
            without_valid_number=int(row["without_valid_number"]),
            reached=int(row["reached"]),
            sent=int(row["sent"]),
            reached_again=int(row["reached_again"]),
            reaches=int(row["reaches"]),
            latest_reach=self._latest_reach(row["latest_id"]),
            exported_unsent=int(row["exported_unsent"]),
        )

    def _latest_reach(self, contact_id: int | None) -> LatestReach | None:
        """The latest reach of this contact, with the contact's display name."""
        if contact_id is None:
            return None
        for stored in stored_contacts(self._conn, "WHERE c.id = ?", (contact_id,)):
            if stored.last_reach is not None:
                return LatestReach(stored.last_reach.at, contact_id, stored.name)
        return None
