"""Text, path and number options without pydantic: the fixed cost of every command.

typer 0.29 converts every option that is not a plain flag through a pydantic
``TypeAdapter``; importing pydantic for that costs about as much as the rest
of a small command (``status`` on an empty case went from 0.34 s to 0.20 s of
CPU without it; ``benchmarks/compare.py``).  The command line's text and path
options need no validation beyond what typer itself does for paths, so this
module gives typer a plain converter for exactly those: ``str``, ``Path``,
flags given as booleans, whole numbers, and lists of them, with no parser,
choices or path checks of their own.  A number written in any but the plain way
(``+3``, ``007``, ``1_000``) or out of its option's range, and every other option
(choices, anything unexpected), still goes through typer's own converter, which
loads pydantic when it is needed: its error messages stay typer's.

The hook replaces one lazily called method of typer's parameter class, a
private interface; ``pyproject.toml`` pins typer below the next minor release,
and ``tests/test_coercion.py`` checks every text and path option of the command
tree converts exactly as typer's own converter does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from typer import _coercion, core
from typer._param_types import coerce_cli_path

# typer's defaults for the path checks: with these, typer's path conversion does
# nothing but make a Path and refuse an existing path that cannot be read.
_PATH_DEFAULTS = {
    "exists": False,
    "file_okay": True,
    "dir_okay": True,
    "writable": False,
    "readable": True,
    "resolve_path": False,
    "allow_dash": False,
    "path_type": None,
}


_NOT_PLAIN = object()  # a value the plain converter leaves to typer


@dataclass(frozen=True)
class PlainRuntimeParam(_coercion.RuntimeParam):
    """A ``str``, ``bool``, ``int`` or ``Path`` option (or a list of them) converted without
    pydantic; a number out of its range, or not plainly written, goes to typer's own rules."""

    item: type[Any]  # str, bool, int or Path
    many: bool
    descriptor: _coercion.TypeDescriptor

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        items = (
            (list(value) if isinstance(value, (list, tuple)) else [value]) if self.many else [value]
        )
        converted = [self._one(v, param, ctx) for v in items]
        if any(c is _NOT_PLAIN for c in converted):
            # Anything else (bytes, an oddly written number): typer's own rules, for the whole
            # value (a list's converter takes the list).
            typers = _coercion.build_runtime_param(self.descriptor)
            return typers._coerce_value(value, param, ctx)
        return converted if self.many else converted[0]

    def _one(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.item in (str, bool) and isinstance(value, self.item):
            return value
        if self.item is int:
            number = _plain_int(value)
            if number is not None and self._in_range(number):
                return number
        if self.item is Path and isinstance(value, (str, Path)):
            path = Path(value)
            return coerce_cli_path(path, self.parameter_info, path_type=Path, param=param, ctx=ctx)
        return _NOT_PLAIN

    def _in_range(self, number: int) -> bool:
        low, high = self.parameter_info.min, self.parameter_info.max
        return (low is None or number >= low) and (high is None or number <= high)


# A whole number as anyone writes it: no sign but -, no leading zero, no spaces, underscores
# or exponent, short enough for any option.  Anything else is left to typer's own rules.
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")


def _plain_int(value: Any) -> int | None:
    """The int a plainly written whole number (or an int) means, else None."""
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isascii() and _PLAIN_INT.fullmatch(value):
        return int(value)
    return None


def plain(descriptor: _coercion.TypeDescriptor) -> PlainRuntimeParam | None:
    """The plain converter for this option, or None when typer's own is needed."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None:
        return None
    if descriptor.is_choice:
        return None
    annotation: Any = descriptor.annotation
    many = get_origin(annotation) is list
    item = get_args(annotation)[0] if many else annotation
    if item in (str, bool):
        return PlainRuntimeParam(info, annotation, item, many, descriptor)
    if item is int and not info.clamp:
        return PlainRuntimeParam(info, annotation, int, many, descriptor)
    if item is Path and all(getattr(info, k) == v for k, v in _PATH_DEFAULTS.items()):
        return PlainRuntimeParam(info, annotation, Path, many, descriptor)
    return None


_typers_own = core._TyperParameter.get_runtime_param


def _get_runtime_param(self: core._TyperParameter) -> _coercion.RuntimeParam:
    """typer's lazy converter lookup, answering text and path options itself."""
    if self._runtime_param is None:
        self._runtime_param = plain(self.type_descriptor)
    return _typers_own(self)


def install() -> None:
    """Let typer convert text and path options with :func:`plain` (idempotent)."""
    core._TyperParameter.get_runtime_param = _get_runtime_param  # type: ignore[method-assign]
