"""The use-case layer: one plain function per user action, and every decision they make.

A front (the command line in :mod:`contact_notify.cli`, later a local web app)
translates what the user gave into one call here and shows the result.  The
functions take typed arguments and return result objects (dataclasses from
this package or the core), never text to parse; they know nothing of typer,
terminals or any web framework.  Errors are :class:`~contact_notify.errors.AppError`
subclasses, mapped to exit codes (or pages) by the front in one place.

Modules, by family:

* :mod:`.session`: which case a command works on, opening it (checked, with
  interrupted exports settled), dry runs, failures that are not ours;
* :mod:`.contacts`: import, inspect, list, show and set one contact;
* :mod:`.reaches`: mark, unmark, history, attach, collectors;
* :mod:`.messages`: preview, export, sent;
* :mod:`.templates`: templates (list, show, copy, check) and rules;
* :mod:`.evidence`: the evidence kit and complaint drafts;
* :mod:`.care`: status, settings, doctor, backup, wipe, demo.

Importing this package is cheap: phonenumbers, jinja2 and vobject load only
when an action that needs them runs.
"""

from __future__ import annotations

from contact_notify.actions.session import Session

__all__ = ["Session"]
