"""The one clock the core reads.

Everything that needs "now" (reach times given as ``now``, the future check of
``--at``, the times stamped on records, the date of a complaint draft) asks
:func:`now` here, never :mod:`datetime` directly, so a test can move time
with :func:`use` and the suite can run with the clock shifted years ahead.

Times are aware and in the local time zone (the ``TZ`` the process runs in),
because reach times are the user's own: night-time and per-day counts are
local.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime


def system_now() -> datetime:
    """The machine's current time, aware, in the local time zone."""
    return datetime.now().astimezone()


_source: Callable[[], datetime] = system_now


def now() -> datetime:
    """The current time, aware, in the local time zone."""
    return _source().astimezone()


def today() -> date:
    """The current local date."""
    return now().date()


def stamp() -> str:
    """The current local time with its UTC offset, to the second, as ISO 8601."""
    return now().isoformat(timespec="seconds")


def set_source(source: Callable[[], datetime]) -> Callable[[], datetime]:
    """Make ``source`` the clock (it must return aware datetimes); return the previous one."""
    global _source
    previous, _source = _source, source
    return previous


@contextmanager
def use(source: Callable[[], datetime]) -> Iterator[None]:
    """Read time from ``source`` inside the block (for tests and replays)."""
    previous = set_source(source)
    try:
        yield
    finally:
        set_source(previous)


def frozen(at: datetime) -> Callable[[], datetime]:
    """A clock that always says ``at`` (which must be aware)."""
    if at.tzinfo is None:
        raise ValueError("a frozen clock needs an aware time")
    return lambda: at
