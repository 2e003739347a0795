"""The command line: a front that only translates options into actions and prints results.

* :mod:`.base`: the typer app, the one error-to-exit-code mapping, printing;
* :mod:`.terminal`: how results look on a terminal (tables, summaries, listings);
* one module per family of commands: :mod:`.contacts`, :mod:`.reaches`,
  :mod:`.messages`, :mod:`.templates`, :mod:`.evidence`, :mod:`.care`.

Every decision lives in :mod:`contact_notify.actions`; each command parses its
options, makes one call there, and prints what it gets back.  Importing this
package loads typer and the actions' light entry points only, so
``contact-notify --help`` pays for neither phonenumbers, jinja2 nor vobject.
"""

from __future__ import annotations

import gc
import sys

from contact_notify.cli import (
    broadcast,
    care,
    contacts,
    evidence,
    messages,
    reaches,
    templates,
    webapp,
)
from contact_notify.cli.base import app

__all__ = [
    "app",
    "broadcast",
    "care",
    "contacts",
    "evidence",
    "main",
    "messages",
    "reaches",
    "templates",
    "webapp",
]


# New objects between two collections of the youngest generation (Python's default: 700).
# Most objects of a run die young (a batch of rows, a message's parts); collected every
# 10,000 the collector still found thousands of them alive and walked them, and walked the
# survivors again in the next generation: 27 ms of a 10k export, 4 ms at 100,000.
GC_THRESHOLD = 100_000


def main() -> None:
    """Entry point of the ``contact-notify`` command."""
    from contact_notify.cli.frame import stdout_encoding_errors

    stdout_encoding_errors()
    # A command builds many objects that live to its end (a message per contact): Python's
    # default of a young collection every 700 new objects walks them over and over (about 6%
    # of an export).  Only that threshold changes: the older generations keep Python's
    # thresholds, which count collections of the generation below, so they too come less
    # often (whatever survives, the app's objects included).  Set here, not when this
    # package is imported: importing any part of it (the tests, the app's pages) must not
    # change a setting of the whole process.
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    sys.exit(app(prog_name="contact-notify", standalone_mode=True) or 0)
