"""The send log: which message was exported for whom and where, when it went out; exports.

Also the one definition of when a contact counts as *sent*
(:func:`answers_reach`), which the contact and status queries use as an SQL
function.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from contact_notify.store import times
from contact_notify.store.reaches import LATEST_REACH_ID


def answers_reach(
    sent_at: str | None, message_reach_id: int | None, reach_id: int | None, reach_at: str | None
) -> bool:
    """Whether a message (sent at ``sent_at``, exported for ``message_reach_id``) answers a reach.

    A contact is *sent* when one of their messages answers their latest reach:
    the message went out (``sent_at`` is set) and was exported for that very
    reach, or went out at or after the moment of the reach (the same moment
    answers it; a reach given as a date alone is at local midnight, see
    :func:`times.moment`).  So a later reach makes the contact pending again,
    and a reach recorded afterwards for an earlier time does not.  Registered
    as the SQL function answers_reach(); :data:`MESSAGE_STATE` uses it.
    """
    if sent_at is None:
        return False
    if reach_id is not None and message_reach_id == reach_id:
        return True
    return times.moment(sent_at) >= times.moment(reach_at)


# The send state of contact ``c`` and their latest reach ``r``: exported (a message was
# exported for the reach), sent (one that went out answers it), ever sent (one went out).
# ``m.sent_at IS NOT NULL`` only spares SQLite calling answers_reach for unsent messages.
_EXPORTED = "EXISTS (SELECT 1 FROM messages m WHERE m.reach_id = r.id)"
_SENT = """EXISTS (SELECT 1 FROM messages m
            WHERE m.contact_id = c.id AND m.sent_at IS NOT NULL
              AND answers_reach(m.sent_at, m.reach_id, r.id, r.at))"""
_EVER_SENT = "EXISTS (SELECT 1 FROM messages m WHERE m.contact_id = c.id AND m.sent_at IS NOT NULL)"
# As three columns exported, sent and ever_sent (for counting them).
MESSAGE_STATE = f"{_EXPORTED} AS exported, {_SENT} AS sent, {_EVER_SENT} AS ever_sent"
# As one column ``state`` (for listing contacts: a column read costs more than the sum):
# 1 exported + 2 sent + 4 ever sent (see :data:`EXPORTED`, :data:`SENT`, :data:`EVER_SENT`).
MESSAGE_STATE_BITS = f"{_EXPORTED} + 2 * {_SENT} + 4 * {_EVER_SENT} AS state"
EXPORTED, SENT, EVER_SENT = 1, 2, 4


class SendLog:
    """Messages and exports: the part of :class:`~contact_notify.store.Case` that logs sending."""

    _conn: sqlite3.Connection

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
                contact_id, reach_id, template, channel, phone, body, exported_to, times.now(),
                subject, export_id,
            ),
        )  # fmt: skip

    def add_messages(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Log the messages of one export, all at one time: each row holds
        :meth:`add_message`'s arguments in its order, all nine of them."""
        at = (times.now(),)
        self._conn.executemany(
            "INSERT INTO messages(contact_id, reach_id, template, channel, phone, body, "
            "exported_to, subject, export_id, exported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row + at for row in rows),  # the time last: one tuple made per row, not three
        )

    # -- exports: recorded before they appear, finished after --------------------

    def begin_export(self, path: str, staging: str, *, folder: bool, force: bool) -> int:
        """Record an export about to be built under ``staging`` (state ``staging``); its id.

        Recorded before anything is written, so that a kill while the output is
        being built leaves a record saying which hidden file to remove.
        """
        cur = self._conn.execute(
            "INSERT INTO exports(path, staging, folder, digest, force, state, started_at) "
            "VALUES (?, ?, ?, '', ?, 'staging', ?)",
            (path, staging, int(folder), int(force), times.now()),
        )
        return int(cur.lastrowid or 0)

    def staged_export(self, export_id: int, digest: str) -> None:
        """The export's output waits whole under its hidden name (state ``writing``)."""
        self._conn.execute(
            "UPDATE exports SET digest = ?, state = 'writing' WHERE id = ?", (digest, export_id)
        )

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
        path = str(row["path"])
        self._conn.execute(
            "DELETE FROM messages WHERE sent_at IS NULL AND export_id IS NOT ? "
            "AND (exported_to = ? OR substr(exported_to, 1, ?) = ?)",
            (export_id, path, len(path) + 1, path.rstrip("/") + "/"),
        )

    def drop_export(self, export_id: int) -> None:
        """Forget an export whose output never appeared, with its messages."""
        self._conn.execute("DELETE FROM exports WHERE id = ?", (export_id,))

    def unfinished_exports(self) -> list[tuple[int, str, str, bool, str, bool]]:
        """(id, path, staging, folder, digest, force) of exports recorded but not finished.

        ``digest`` is "" while the output was still being built (state ``staging``).
        """
        rows = self._conn.execute(
            "SELECT id, path, staging, folder, digest, force FROM exports "
            "WHERE state != 'done' ORDER BY id"
        )
        return [
            (
                int(r["id"]), str(r["path"]), str(r["staging"]), bool(r["folder"]),
                str(r["digest"]), bool(r["force"]),
            )
            for r in rows
        ]  # fmt: skip

    # -- sending ---------------------------------------------------------------

    def mark_sent(self, contact_id: int, channel: str, at: str) -> bool:
        """Record that a contact's message for their latest reach went out.

        The latest exported, unsent message for that reach is marked sent; when
        there is none (sent by hand), a log entry without text is added.  A
        contact not reached has their exported warning (sent before any call)
        marked.  False when there is neither a reach nor a warning to answer.
        """
        row = self._conn.execute(
            f"SELECT {LATEST_REACH_ID.format(contact='?1')} AS id", (contact_id,)
        ).fetchone()
        if row["id"] is None:
            # not reached: a warning sent before any call may be what went out
            warning = self._conn.execute(
                "SELECT id FROM messages WHERE contact_id = ? AND reach_id IS NULL "
                "AND sent_at IS NULL ORDER BY id DESC LIMIT 1",
                (contact_id,),
            ).fetchone()
            if warning is None:
                return False
            self._conn.execute("UPDATE messages SET sent_at = ? WHERE id = ?", (at, warning["id"]))
            return True
        reach_id = int(row["id"])
        pending = self._conn.execute(
            "SELECT id FROM messages WHERE reach_id = ? AND sent_at IS NULL ORDER BY id DESC LIMIT 1",
            (reach_id,),
        ).fetchone()
        if pending is not None:
            self._conn.execute("UPDATE messages SET sent_at = ? WHERE id = ?", (at, pending["id"]))
        else:
            self._conn.execute(
                "INSERT INTO messages(contact_id, reach_id, template, channel, phone, body, "
                "exported_to, exported_at, sent_at) VALUES (?, ?, '', ?, '', '', '', ?, ?)",
                (contact_id, reach_id, channel, times.now(), at),
            )
        return True

    def mark_exported_sent(self, exported_to: str, at: str) -> list[int]:
        """Mark every unsent message of one export as sent; return the contacts concerned."""
        rows = self._conn.execute(
            "SELECT id, contact_id FROM messages WHERE exported_to = ? AND sent_at IS NULL",
            (exported_to,),
        ).fetchall()
        self._conn.executemany(
            "UPDATE messages SET sent_at = ? WHERE id = ?", [(at, r["id"]) for r in rows]
        )
        return sorted({int(r["contact_id"]) for r in rows})

    def exports(self) -> list[str]:
        """The files and folders messages were exported to."""
        rows = self._conn.execute(
            "SELECT DISTINCT exported_to FROM messages WHERE exported_to != ''"
        )
        return [str(r["exported_to"]) for r in rows]
