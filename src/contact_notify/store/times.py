"""How the case stores and compares times: :func:`now` stamps records, :func:`moment` orders them.

Stored times are ISO 8601: a date alone, or a date and time with its UTC
offset.  SQL compares them through the same :func:`moment` (registered as an
SQL function on every connection), so Python and SQLite always agree.
Callers look ``moment`` up on this module at the time of use, so a test that
replaces it here replaces it everywhere.
"""

from __future__ import annotations

from datetime import datetime

from contact_notify import clock


def moment(at: str | None) -> float:
    """A stored time (ISO date, or date and time with offset) as a POSIX timestamp, for ordering.

    A date alone means local midnight.  Registered as the SQL function moment().  Anything
    else (no time, a damaged cell, a time this computer's clock cannot convert, such as
    year 1 east of UTC) is 0.0: it never raises, so SQL that orders by it never fails on
    one value, and the cell itself is refused where a command reads it (:mod:`.cells`).
    """
    try:
        parsed = datetime.fromisoformat(at or "")
        if parsed.tzinfo is None:
            parsed = parsed.astimezone()
        return parsed.timestamp()
    except (TypeError, ValueError, OverflowError, OSError):
        return 0.0


def now() -> str:
    """The current local time with its UTC offset, to the second, as ISO 8601 (from :mod:`clock`)."""
    return clock.stamp()
