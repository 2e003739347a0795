"""Messages edited by hand (table ``message_edits``): one contact's own text for this round.

An edit belongs to a contact, a reach and a channel.  The round is the
contact's latest reach: an edit applies while the reach it was made for is
still the latest; a new reach starts a new round and the old edit stops
applying (it stays stored, and goes with its reach or contact when they are
deleted).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection

from contact_notify.store import cells, times
from contact_notify.store.reaches import LATEST_REACH_ID


class Edits:
    """Edited messages: the part of :class:`~contact_notify.store.Case` that keeps them."""

    _conn: sqlite3.Connection

    def _latest_reach_id(self, contact_id: int) -> int | None:
        row = self._conn.execute(
            f"SELECT {LATEST_REACH_ID.format(contact='?1')} AS id", (contact_id,)
        ).fetchone()
        return None if row["id"] is None else int(row["id"])

    def set_message_edit(self, contact_id: int, channel: str, body: str) -> int | None:
        """Store ``body`` as the contact's message on ``channel`` for their latest reach.

        Replaces an earlier edit of the same round and channel.  Returns the
        reach the edit is for; None (nothing stored) when the contact was never reached.
        """
        reach_id = self._latest_reach_id(contact_id)
        if reach_id is None:
            return None
        self._conn.execute(
            "INSERT INTO message_edits(contact_id, reach_id, channel, body, edited_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(contact_id, reach_id, channel) "
            "DO UPDATE SET body = excluded.body, edited_at = excluded.edited_at",
            (contact_id, reach_id, channel, body, times.now()),
        )
        return reach_id

    def clear_message_edit(self, contact_id: int, channel: str) -> int | None:
        """Drop the contact's edit on ``channel`` for their latest reach (back to the template).

        Returns that reach (whether or not there was an edit to drop); None when
        the contact was never reached.  Edits of earlier rounds are left alone.
        """
        reach_id = self._latest_reach_id(contact_id)
        if reach_id is None:
            return None
        self._conn.execute(
            "DELETE FROM message_edits WHERE contact_id = ? AND reach_id = ? AND channel = ?",
            (contact_id, reach_id, channel),
        )
        return reach_id

    def message_edits(
        self, channel: str, contact_ids: Collection[int] | None = None
    ) -> dict[int, str]:
        """The edited text of each contact whose latest reach has an edit on ``channel``.

        One query whatever the number of contacts; ``contact_ids`` keeps only
        those contacts (None: every contact).
        """
        latest = LATEST_REACH_ID.format(contact="e.contact_id")
        rows = self._conn.execute(
            f"SELECT e.contact_id, e.body FROM message_edits e "  # noqa: S608 -- a fixed fragment.
            f"WHERE e.channel = ? AND e.reach_id = {latest}",
            (channel,),
        )
        wanted = None if contact_ids is None else set(contact_ids)
        found: dict[int, str] = {}
        for contact_id, body in rows:
            cid = cells.integer(contact_id, "edited message", "", "contact")
            if wanted is None or cid in wanted:
                found[cid] = cells.text(body, "contact", cid, "edited message")
        return found
