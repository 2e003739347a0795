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


def main() -> None:
    """Entry point of the ``contact-notify`` command."""
    from contact_notify.cli.frame import stdout_encoding_errors

    stdout_encoding_errors()
    sys.exit(app(prog_name="contact-notify", standalone_mode=True) or 0)
