"""Which format an output is written in: ``--format``, else the output's file name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from contact_notify.errors import UsageError
from contact_notify.i18n import _


@dataclass(frozen=True)
class OutputFormats:
    """The formats a command writes, and how an output's name chooses one."""

    names: tuple[str, ...]  # what --format accepts
    suffixes: Mapping[str, str]  # a file name's extension (lower case, no dot) -> its format
    # The texts below are marked with N_() where they are made, and said with _() here.
    unknown_hint: str  # the hint for a --format that is not one of ``names``
    unclear: str  # the error when the name tells nothing; ``{name}`` is the output's file name
    unclear_hint: str
    folder: str | None = None  # the format of a folder, or of a name without an extension

    def choose(self, out: Path, given: str | None) -> str:
        """The format: ``given`` (--format) when there is one, else the one ``out`` names."""
        if given:
            if given not in self.names:
                raise UsageError(
                    _("unknown format {format}").format(format=repr(given)),
                    hint=_(self.unknown_hint),
                )
            return given
        suffix = out.suffix.lower().lstrip(".")
        chosen = self.suffixes.get(suffix)
        if chosen is not None:
            return chosen
        if self.folder is not None and (out.is_dir() or not suffix or str(out).endswith("/")):
            return self.folder
        raise UsageError(_(self.unclear).format(name=out.name), hint=_(self.unclear_hint))
