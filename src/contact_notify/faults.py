"""Named points where a writing command commits something, for the fault-injection tests.

The tests start a command with ``CONTACT_NOTIFY_KILL_AT=NAME`` and the process
kills itself (SIGKILL: no cleanup, no ``finally``) when it reaches that point,
as a power cut or ``kill -9`` would.  Without the variable a point costs one
dictionary lookup.  The points are listed in :data:`POINTS` and each is
exercised by ``tests/test_fault_injection.py``.
"""

from __future__ import annotations

import os
import signal

ENV = "CONTACT_NOTIFY_KILL_AT"

POINTS = (
    "import:before-commit",
    "import:after-commit",
    "mark:before-commit",
    "mark:after-commit",
    "export:staged",  # the output waits whole under its hidden name; the case knows only that name
    "export:recorded",  # the case holds the export (state writing); the output waits aside
    "export:published",  # the output is in place; the case has not yet marked it done
    "export:before-commit",
    "export:after-commit",
    "sent:before-commit",
    "sent:after-commit",
    "backup:copied",  # the copy is complete under a temporary name, not yet verified
    "backup:verified",  # verified, not yet put in place
    "wipe:before-case",  # the journals are gone, the case file not yet
    "output:staged",  # a file the case does not record, written aside, not yet in place
    "bundle:copying",  # an evidence bundle half written under its hidden name
)


def point(name: str) -> None:
    """Die here, at once and without cleanup, when the tests ask for this point."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
