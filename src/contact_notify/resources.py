"""Where the shipped templates and examples are: inside the installed package.

The wheel carries the top-level ``templates/`` and ``examples/`` folders as
``contact_notify/templates`` and ``contact_notify/examples``.  An editable
install (development) has only the source tree, so that is looked at second.
"""

from __future__ import annotations

from pathlib import Path

from contact_notify.errors import AppError
from contact_notify.i18n import _

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The shipped folder ``templates`` or ``examples``."""
    for candidate in (_PACKAGE / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise AppError(
        _("the installation is incomplete: no {name}/ folder was found").format(name=name)
    )
