"""Rendering messages from Jinja2 templates, sandboxed, strict and bounded.

Templates run in Jinja's immutable sandbox with an undefined-variable class
that is strict (any unknown name is an error) and names the whole variable
(``contact.nmae``).  Errors become :class:`TemplateError` naming the template
and line.  The variables are documented in ``docs/templates.md``.

A template cannot exhaust the machine (``LIMITS``, documented under "Limits"
in ``docs/templates.md``).  Everything a template does that can cost time or
memory passes through a hook of the environment: operators (intercepted, so
never folded at compile time), filters and tests (wrapped; filters are never
run at compile time), calls, attribute and item lookups, comparisons, ``~``,
list and dict literals, loop rounds, includes and output.  Each hook counts a
*step* and reads the clock, and checks the size of what is built before
building it where the size can be foreseen (``'a' * 10**9``, ``'x'.center(n)``,
``join``) and right after otherwise.  So every render stops after a fixed
number of steps or seconds, whichever comes first, and no single step can build
more than the size limits allow.  The budget is a step count plus a wall clock
read at every step, not a signal or a thread: it works the same on every
platform and in any thread, and a step never takes long because no value a
step works on can be large.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import BuiltinMethodType, GeneratorType, TracebackType
from typing import Any, cast

import jinja2
from jinja2 import filters as jinja_filters
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.compiler import operators as COMPARE_OPERATORS
from jinja2.environment import TemplateModule
from jinja2.runtime import Context, LoopContext, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from jinja2.utils import Namespace, _PassArg, missing, object_type_repr, pass_context
from markupsafe import soft_str

from contact_notify.errors import AppError, TemplateError, UsageError
from contact_notify.filters import FILTERS
from contact_notify.resources import shipped_dir

SUFFIX = ".j2"
LANGUAGES = ("zh", "en")


class Vars:
    """A namespace of template variables that knows its own name, for error messages."""

    _label: str

    def __init__(self, _label: str, **values: Any) -> None:
        self.__dict__.update(values)
        self.__dict__["_label"] = _label

    def __repr__(self) -> str:
        return f"<{self._label}>"


class NamedUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose message names the full variable, e.g. ``contact.nmae``."""

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        obj = self._undefined_obj
        if obj is missing:
            return f"undefined variable '{self._undefined_name}'"
        if isinstance(obj, Vars):
            return f"undefined variable '{obj._label}.{self._undefined_name}'"
        return f"{object_type_repr(obj)} has no attribute {self._undefined_name!r}"


@dataclass(frozen=True)
class Template:
    """A loaded template: its name (built-in name or path) and compiled form."""

    name: str
    path: Path
    compiled: jinja2.Template


RELATIONSHIPS = ("family-elder", "family-peer", "friend", "colleague", "superior", "default")
CHANNELS = ("sms", "wechat", "email")

# The variables a template may use: namespace -> attributes (None: a plain value).
VARIABLES: dict[str, tuple[str, ...] | None] = {
    "contact": ("name", "family", "given", "nickname", "salutation", "org", "groups", "phone"),
    "sender": ("name", "contact"),
    "reach": ("at", "date", "by", "note", "count"),
    "collectors": None,
}
_META = re.compile(r"\A\{#-?\s*\n(.*?)\n\s*-?#\}", re.DOTALL)


@dataclass(frozen=True)
class TemplateInfo:
    """A template file and the metadata declared in its leading comment."""

    name: str
    path: Path
    lang: str
    channel: str
    relationship: str
    description: str


def metadata(text: str) -> dict[str, str]:
    """``key: value`` lines of the ``{#- … -#}`` comment a template starts with."""
    match = _META.match(text)
    if not match:
        return {}
    found = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            found[key.strip().lower()] = value.strip()
    return found


def info(name: str, path: Path) -> TemplateInfo:
    """Read a template's metadata (missing keys are empty)."""
    meta = metadata(path.read_text(encoding="utf-8"))
    return TemplateInfo(
        name,
        path,
        meta.get("lang", ""),
        meta.get("channel", ""),
        meta.get("relationship", ""),
        meta.get("description", ""),
    )


def builtin_dir() -> Path:
    """The folder of the built-in templates."""
    return shipped_dir("templates")


def builtin_names() -> list[str]:
    """Names of the built-in templates, such as ``family-elder.sms.zh``."""
    return sorted(p.name.removesuffix(SUFFIX) for p in builtin_dir().glob(f"*{SUFFIX}"))


def builtins() -> list[TemplateInfo]:
    """Every built-in template with its metadata."""
    return [info(name, builtin_dir() / f"{name}{SUFFIX}") for name in builtin_names()]


# --------------------------------------------------------------------------------------------
# Limits: what one render may build and spend (docs/templates.md, "Limits").


@dataclass(frozen=True)
class Limits:
    """The bounds every render keeps; generous for real messages and complaint drafts."""

    text: int = 2_000_000  # characters in any text a template builds, the message included
    items: int = 100_000  # items in any list or dict a template builds
    range: int = 10_000  # numbers range() may give
    digits: int = 3_000  # digits of a whole number a template computes
    steps: int = 1_000_000  # loop rounds, calls, filters, tests, operators and lookups
    built: int = 20_000_000  # characters and items built in all by one render
    seconds: float = 10.0  # wall-clock time of one render
    template_chars: int = 100_000  # size of a template file


LIMITS = Limits()
LIMITS_HINT = 'see "Limits" in docs/templates.md for what a template may build and spend'


class TemplateLimitError(jinja2.TemplateRuntimeError):
    """A template went over one of the limits; the message names the limit."""


class _Budget:
    """The steps and building one render has spent, and when its time is up."""

    __slots__ = ("built", "deadline", "limits", "steps")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.steps = 0
        self.built = 0
        self.deadline = time.monotonic() + limits.seconds

    def step(self) -> None:
        """Count one step; stop the render when it has taken too many or too long."""
        self.steps += 1
        if self.steps > self.limits.steps:
            raise TemplateLimitError(
                f"the template takes more than {self.limits.steps:,} steps (loop rounds, calls, "
                "filters, operators and lookups)"
            )
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"the template takes longer than {self.limits.seconds:g} seconds to render"
            )

    def charge(self, size: int) -> None:
        """Count characters or items built; stop the render when it has built too much."""
        self.built += size
        if self.built > self.limits.built:
            raise TemplateLimitError(
                f"the template builds more than {self.limits.built:,} characters and list "
                "items in all"
            )


_BUDGET: ContextVar[_Budget | None] = ContextVar("contact_notify_template_budget", default=None)


def _budget() -> _Budget:
    """The budget of the render under way (a fresh one outside a render: sizes still count)."""
    return _BUDGET.get() or _Budget(LIMITS)


def _text_room(size: int, what: str = "a text") -> None:
    if size > LIMITS.text:
        raise TemplateLimitError(
            f"{what} of up to {size:,} characters is over the limit of {LIMITS.text:,} characters"
        )


def _items_room(size: int, what: str = "a list") -> None:
    if size > LIMITS.items:
        raise TemplateLimitError(
            f"{what} of {size:,} items is over the limit of {LIMITS.items:,} items"
        )


def _bits_room(bits: int) -> None:
    digits = int(bits * math.log10(2)) + 1
    if digits > LIMITS.digits:
        raise TemplateLimitError(
            f"a number of about {digits:,} digits is over the limit of {LIMITS.digits:,} digits"
        )


_CONTAINERS = (list, tuple, set, frozenset)
_VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))


def _measure(value: object, *, printed: bool = True, limit: int | None = None) -> int:
    """An upper bound on the characters of ``str(value)``, counting a shared text each time.

    Containers count their items (a list holding one long text 1,000 times
    counts it 1,000 times: printing, joining or comparing it costs that much).
    ``printed``: texts inside containers count as their ``repr`` (up to 10
    characters for one).  Stops counting once over ``limit``.  Objects that a
    template cannot fill (the data passed in, loop and macro objects) count 16.
    """
    limit = LIMITS.text if limit is None else limit
    total = 0
    seen: set[int] = set()
    pending: list[Iterator[object]] = [iter((value,))]
    while pending:
        item = next(pending[-1], missing)
        if item is missing:
            pending.pop()
            continue
        nested = len(pending) > 1
        if isinstance(item, str):
            total += 10 * len(item) + 2 if nested and printed else len(item)
        elif isinstance(item, bool) or item is None or isinstance(item, float):
            total += 24
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        elif isinstance(item, (*_CONTAINERS, *_VIEWS, dict, Namespace, TemplateModule)):
            if id(item) in seen:
                total += 5
                continue
            seen.add(id(item))
            if isinstance(item, TemplateModule):  # str() of a module is its whole output
                total += sum(len(part) for part in getattr(item, "_body_stream", ()))
                continue
            box: Any = item
            if isinstance(box, Namespace):
                box = object.__getattribute__(box, "_Namespace__attrs")
                total += 12
            total += 2 + 2 * len(box)
            if isinstance(box, dict):
                pending.append(iter([x for pair in box.items() for x in pair]))
            else:
                pending.append(iter(box))
        else:
            total += 16
        if total > limit:
            return total
    return total


def _measure_all(values: Iterable[object], what: str) -> int:
    """The characters of the texts of several values (as joined), checked against the limit."""
    total = 0
    for value in values:
        total += len(value) if isinstance(value, str) else _measure(value)
        _text_room(total, what)
    return total


def _checked(value: Any) -> Any:
    """A value just built, checked against the size limits and charged to the budget."""
    if isinstance(value, str):
        _text_room(len(value))
        _budget().charge(len(value))
    elif isinstance(value, (*_CONTAINERS, dict)):
        _items_room(len(value))
        weight = _measure(value, printed=False)
        _text_room(weight, "a list holding texts")
        _budget().charge(weight)
    elif isinstance(value, int) and not isinstance(value, bool):
        _bits_room(value.bit_length())
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int)


def _is_sequence(value: object) -> bool:
    return isinstance(value, (str, list, tuple))


def _repeated(seq: str | list[Any] | tuple[Any, ...], times: int) -> None:
    """Check ``seq * times`` before building it."""
    times = max(times, 0)
    if isinstance(seq, str):
        _text_room(len(seq) * times)
    else:
        _items_room(len(seq) * times)
        _text_room(_measure(seq, printed=False) * times, "a list holding texts")


# A %-format conversion: %(key)s, %-10s, %.3f, %*d, %%.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.?)", re.DOTALL)


def _check_percent(fmt: str, args: object) -> None:
    """Check ``fmt % args`` before building it: widths, precisions and the texts put in."""
    specs = _PERCENT_SPEC.findall(fmt)
    widths = [int(n) if len(n) < 10 else 10**10 for s in specs for n in s[:2] if n.isdigit()]
    if any("*" in s[:2] for s in specs):  # a width taken from the arguments
        pool = args if isinstance(args, tuple) else (args,)
        widths += [abs(a) for a in pool if isinstance(a, int)]
    printed = any(s[2] in ("r", "a") for s in specs)
    if isinstance(args, Mapping):  # %(key)s may name one value many times; %s prints it all
        largest = max((_measure(v, printed=printed) for v in args.values()), default=0)
        body = max(len(specs) * largest, _measure(args))
    elif isinstance(args, tuple):
        body = sum(_measure(a, printed=printed) for a in args)
    else:
        body = _measure(args, printed=printed)
    _text_room(len(fmt) + len(specs) * max(widths, default=0) + body)


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Check what an operator would build, before it builds it."""
    if operator == "*":
        if _is_sequence(left) and _is_int(right):
            _repeated(left, right)
        elif _is_int(left) and _is_sequence(right):
            _repeated(right, left)
        elif _is_int(left) and _is_int(right):
            _bits_room(abs(left).bit_length() + abs(right).bit_length())
    elif operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            _bits_room(int(math.log2(abs(left)) * right) + 1)
    elif operator == "+":
        if isinstance(left, str) and isinstance(right, str):
            _text_room(len(left) + len(right))
        elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            _items_room(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        _check_percent(left, right)


def _check_str_method(text: str, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Check what a text method would build (``'x'.center(10**9)``), before it builds it."""
    if name in ("center", "ljust", "rjust", "zfill") and args and _is_int(args[0]):
        _text_room(max(len(text), args[0]))
    elif name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
        old, new = args[0], args[1]
        times = text.count(old) if old else len(text) + 1
        if len(args) > 2 and _is_int(args[2]) and args[2] >= 0:
            times = min(times, args[2])
        _text_room(len(text) + times * max(len(new) - len(old), 0))
    elif name in ("split", "rsplit") and args and isinstance(args[0], str) and args[0]:
        _items_room(text.count(args[0]) + 1)
    elif name == "join" and len(args) == 1:
        items = _take(args[0])
        _text_room(_measure_all(items, "a joined text") + len(text) * max(len(items) - 1, 0))
        return (items, *args[1:])
    return args


def _take(iterable: Iterable[Any]) -> list[Any]:
    """The items of an iterable as a list, one step each, within the list limit."""
    budget = _budget()
    items = []
    for item in iterable:
        budget.step()
        items.append(item)
        if len(items) > LIMITS.items:
            raise TemplateLimitError(
                f"a list of more than {LIMITS.items:,} items is over the limit of "
                f"{LIMITS.items:,} items"
            )
    return items


class _Counted:
    """A loop's iterable whose every round is a step (``len`` kept when it has one)."""

    __slots__ = ("_iterable",)

    def __init__(self, iterable: Iterable[Any]) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        budget = _budget()
        for item in self._iterable:
            budget.step()
            yield item

    def __len__(self) -> int:
        return len(self._iterable)  # type: ignore[arg-type]  # TypeError when it has none


def _range(*args: int) -> range:
    """``range()`` of at most ``LIMITS.range`` numbers."""
    numbers = range(*args)
    try:
        size = len(numbers)
    except OverflowError:
        size = LIMITS.range + 1
    if size > LIMITS.range:
        raise TemplateLimitError(
            f"range() of {size:,} numbers is over the limit of {LIMITS.range:,} numbers"
        )
    return numbers


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


# Checks made before a filter runs, for the filters whose result can outgrow their input.
def _pre_center(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = _arg(args, kwargs, 0, "width", 80)
    if _is_int(width):
        _text_room(max(_measure(value), width))


def _pre_indent(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = _arg(args, kwargs, 0, "width", 4)
    size = len(width) if isinstance(width, str) else width if _is_int(width) else 0
    text = value if isinstance(value, str) else ""
    _text_room(_measure(value) + (text.count("\n") + 1) * max(size, 0))


def _pre_replace(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    old = _arg(args, kwargs, 0, "old", None)
    new = _arg(args, kwargs, 1, "new", None)
    count = _arg(args, kwargs, 2, "count", None)
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        _check_str_method(value, "replace", (old, new, -1 if count is None else count))


def _pre_batch(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    size = _arg(args, kwargs, 0, "linecount", 0)
    if _is_int(size):
        _items_room(size, "a batch")


def _pre_slice(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    size = _arg(args, kwargs, 0, "slices", 0)
    if _is_int(size):
        _items_room(size, "a list of slices")


_PRECHECKS: dict[str, Callable[[Any, tuple[Any, ...], dict[str, Any]], None]] = {
    "center": _pre_center,
    "indent": _pre_indent,
    "replace": _pre_replace,
    "batch": _pre_batch,
    "slice": _pre_slice,
}
# Filters that turn their input into text: its text form is measured before.
_TEXT_FILTERS = frozenset(
    [
        "capitalize",
        "center",
        "e",
        "escape",
        "forceescape",
        "indent",
        "lower",
        "replace",
        "safe",
        "string",
        "title",
        "trim",
        "truncate",
        "upper",
        "urlencode",
        "wordcount",
    ]
)
# How much longer than its input a filter's text can be (an escaped "<" is "&lt;").
_GROWTH = {"e": 6, "escape": 6, "forceescape": 6, "urlencode": 9}
# Jinja filters left out: they print Python data (pprint, tojson, xmlattr) or take time
# that grows with the square of the text (striptags, urlize, wordwrap).
_DROPPED_FILTERS = frozenset({"pprint", "striptags", "tojson", "urlize", "wordwrap", "xmlattr"})


@pass_context
def _join(context: Context, value: Any, d: str = "", attribute: Any = None) -> str:
    """``join``, measuring the joined text before building it."""
    items = _take(value)
    if attribute is not None:
        getter = jinja_filters.make_attrgetter(context.environment, attribute)
        items = [getter(item) for item in items]
    _text_room(
        _measure_all(items, "a joined text") + _measure(d) * max(len(items) - 1, 0),
        "a joined text",
    )
    joined: str = jinja_filters.do_join(context.eval_ctx, items, d)
    return joined


@pass_context
def _list(context: Context, value: Any) -> list[Any]:
    """``list``, counting items as they come."""
    return _take(value)


@pass_context
def _sum(context: Context, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    """``sum``, each addition checked like the ``+`` operator."""
    items = _take(iterable)
    if attribute is not None:
        getter = jinja_filters.make_attrgetter(context.environment, attribute)
        items = [getter(item) for item in items]
    total = start
    for item in items:
        _check_binop("+", total, item)
        total = _checked(total + item)
    return total


@pass_context
def _format(context: Context, value: Any, *args: Any, **kwargs: Any) -> str:
    """``format`` (``"%s, %s" | format(a, b)``), checked like the ``%`` operator."""
    if args and kwargs:
        raise jinja2.exceptions.FilterArgumentError(
            "can't handle positional and keyword arguments at the same time"
        )
    _text_room(_measure(value))
    fmt = soft_str(value)
    params: Any = kwargs or args
    _check_percent(fmt, params)
    return fmt % params  # type: ignore[no-any-return]


_REPLACED_FILTERS: dict[str, Callable[..., Any]] = {
    "join": _join,
    "list": _list,
    "sum": _sum,
    "format": _format,
}


def _guard_filter(name: str, func: Callable[..., Any], *, text_input: bool) -> Callable[..., Any]:
    """A filter that counts a step, checks its input and result, and never runs at compile time."""
    pass_arg = _PassArg.from_obj(func)
    precheck = _PRECHECKS.get(name)

    @pass_context
    def guarded(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        _budget().step()
        if text_input:
            size = len(value) if isinstance(value, str) else _measure(value)
            _text_room(size * _GROWTH.get(name, 1))
        if precheck is not None:
            precheck(value, args, kwargs)
        if pass_arg is _PassArg.context:
            result = func(context, value, *args, **kwargs)
        elif pass_arg is _PassArg.eval_context:
            result = func(context.eval_ctx, value, *args, **kwargs)
        elif pass_arg is _PassArg.environment:
            result = func(context.environment, value, *args, **kwargs)
        else:
            result = func(value, *args, **kwargs)
        return _checked(result)

    guarded.__name__ = guarded.__qualname__ = name
    return guarded


def _guard_test(func: Callable[..., Any]) -> Callable[..., Any]:
    """A test (``is divisibleby 3``) that counts a step; its pass-argument kind is kept."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        _budget().step()
        return func(*args, **kwargs)

    pass_arg = getattr(func, "jinja_pass_arg", None)
    if pass_arg is not None:
        guarded.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    return guarded


# Methods a template may call on Python's own types; their results are bounded by their
# input, or checked before they are built (center, ljust, rjust, zfill, replace, join).
_TEXT_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "center",
        "count",
        "endswith",
        "find",
        "index",
        "isalnum",
        "isalpha",
        "isascii",
        "isdecimal",
        "isdigit",
        "isidentifier",
        "islower",
        "isnumeric",
        "isprintable",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rindex",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
        "zfill",
    ]
)
_SEQUENCE_METHODS = frozenset({"count", "index"})
_MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})
_OTHER_BUILTINS = (int, float, complex, bytes, bytearray, set, frozenset, range, memoryview)


class _Generator(CodeGenerator):
    """Jinja's code generator with hooks where a template could spend without one.

    Every loop's iterable counts its rounds; ``~`` measures before joining;
    comparisons, includes and imports count a step; list, tuple and dict
    literals are checked like any value built.
    """

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        counted = nodes.EnvironmentAttribute("counted")
        if not (isinstance(node.iter, nodes.Call) and node.iter.node == counted):
            node.iter = nodes.Call(counted, [node.iter], [], None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.join_text((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("), context.eval_ctx.autoescape)")

    def visit_Operand(self, node: nodes.Operand, frame: Frame) -> None:
        self.write(f" {COMPARE_OPERATORS[node.op]} environment.step_value(")
        self.visit(node.expr, frame)
        self.write(")")

    def _literal(self, visit: Callable[[Any, Frame], None], node: nodes.Expr, frame: Frame) -> None:
        self.write("environment.built(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._literal(super().visit_List, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._literal(super().visit_Dict, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx == "load":
            self._literal(super().visit_Tuple, node, frame)
        else:  # an assignment target
            super().visit_Tuple(node, frame)

    def visit_Include(self, node: nodes.Include, frame: Frame) -> None:
        self.writeline("environment.step_value(None)")
        super().visit_Include(node, frame)

    def visit_Import(self, node: nodes.Import, frame: Frame) -> None:
        self.writeline("environment.step_value(None)")
        super().visit_Import(node, frame)

    def visit_FromImport(self, node: nodes.FromImport, frame: Frame) -> None:
        self.writeline("environment.step_value(None)")
        super().visit_FromImport(node, frame)


class _BudgetedTemplate(jinja2.Template):
    """A compiled template whose every render has a fresh budget of steps, size and time."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _BUDGET.set(_Budget(LIMITS))
        try:
            return super().render(*args, **kwargs)
        finally:
            _BUDGET.reset(token)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with every way to spend time or memory bounded (``LIMITS``)."""

    code_generator_class = _Generator
    template_class = _BudgetedTemplate
    # Intercepted operators go through call_binop, and are never folded at compile time
    # (Jinja folded 'a' * 10**9 while compiling).
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"+", "-"})

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.globals.pop("lipsum", None)
        self.globals["range"] = _range
        filters = {n: f for n, f in self.filters.items() if n not in _DROPPED_FILTERS}
        filters.update(_REPLACED_FILTERS)
        filters.update(FILTERS)
        self.filters = {
            name: _guard_filter(name, func, text_input=name in _TEXT_FILTERS or name in FILTERS)
            for name, func in filters.items()
        }
        tests: dict[str, Callable[..., Any]] = cast(Any, self.tests)
        self.tests = {name: _guard_test(func) for name, func in tests.items()}

    @staticmethod
    def _finalize(value: Any) -> Any:
        """Every ``{{ … }}``: its text is measured before it is made."""
        _budget().step()
        if not isinstance(value, str):
            _text_room(_measure(value))
        return value

    def concat(self, parts: Iterable[str]) -> str:
        """Join output (the message, a macro's or block's text) within the text limit."""
        pieces = []
        total = 0
        for piece in parts:
            total += len(piece)
            if total > LIMITS.text:
                error = TemplateLimitError(
                    f"the text it writes is longer than the limit of {LIMITS.text:,} characters"
                )
                if isinstance(parts, GeneratorType):  # raise it at the line writing
                    parts.throw(error)
                raise error
            pieces.append(piece)
        _budget().charge(total)
        return "".join(pieces)

    def join_text(self, parts: tuple[Any, ...], autoescape: bool) -> str:
        """``a ~ b``: measured before it is joined."""
        _budget().step()
        _measure_all(parts, "a joined text")
        return _checked(markup_join(parts) if autoescape else str_join(parts))  # type: ignore[no-any-return]

    def counted(self, iterable: Any) -> Any:
        """A loop's iterable, one step per round (the call to this was a step too)."""
        return _Counted(iterable)

    def step_value(self, value: Any) -> Any:
        """Count a step (before a comparison, an include or an import)."""
        _budget().step()
        return value

    def built(self, value: Any) -> Any:
        """A list, tuple or dict literal, checked like any value built."""
        _budget().step()
        return _checked(value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _budget().step()
        _check_binop(operator, left, right)
        return _checked(self.binop_table[operator](left, right))

    def call_unop(self, context: Context, operator: str, arg: Any) -> Any:
        _budget().step()
        return self.unop_table[operator](arg)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget().step()
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (_Counted(args[0]), *args[1:])
        elif isinstance(__obj, BuiltinMethodType) and isinstance(__obj.__self__, str):
            args = _check_str_method(__obj.__self__, __obj.__name__, args)
        return _checked(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _budget().step()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _budget().step()
        return super().getitem(obj, argument)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's immutable sandbox's rules; on Python's own types only the methods above.

        (The immutable sandbox's check for mutating methods runs last: it is slow,
        and the allow-lists already leave out every method that changes a text,
        list or dict.)
        """
        if not SandboxedEnvironment.is_safe_attribute(self, obj, attr, value):
            return False
        if not callable(value):
            return True
        if isinstance(obj, str):
            return attr in _TEXT_METHODS
        if isinstance(obj, (list, tuple)):
            return attr in _SEQUENCE_METHODS
        if isinstance(obj, dict):
            return attr in _MAPPING_METHODS
        if isinstance(obj, _OTHER_BUILTINS):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        """A refused method of Python's own types says so plainly (the data is read-only)."""
        if attribute.startswith("_") or not isinstance(
            obj, (str, list, tuple, dict, *_OTHER_BUILTINS)
        ):
            return super().unsafe_undefined(obj, attribute)
        kinds = ((str, "a text"), ((list, tuple), "a list"), (dict, "a dict"), (int, "a number"))
        kind = next((k for t, k in kinds if isinstance(obj, t)), f"a {type(obj).__name__} value")
        return self.undefined(
            f"a template cannot use {attribute!r} of {kind}: only some methods of texts, lists "
            "and dicts are allowed, and the data a template gets is read-only",
            name=attribute,
            obj=obj,
            exc=TemplateLimitError,
        )

    def wrap_str_format(self, value: Any) -> None:
        """No ``str.format``: widths in it cannot be checked before (use the ``format`` filter)."""
        return


class _OwnFolderLoader(jinja2.BaseLoader):
    """Loads a template and the ``.j2`` files beside it, and nothing else.

    ``{% include %}``, ``{% import %}`` and ``{% extends %}`` may name another
    ``NAME.j2`` in the template's own folder (the built-in complaint drafts share
    ``_facts.LANG.j2`` this way).  Anything else is refused: another kind of file
    (``secret.txt``), a subfolder or parent (``sub/x.j2``, ``../x.j2``), an
    absolute path, or a ``.j2`` link that leads out of the folder.  ``entry``,
    the file the user named, is loaded whatever its name ends with.
    """

    def __init__(self, folder: Path, entry: str) -> None:
        self.folder = folder.resolve()
        self.entry = entry

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        if template != self.entry and (
            not template.endswith(SUFFIX)
            or "/" in template
            or "\\" in template
            or template.startswith(".")
        ):
            raise jinja2.TemplateNotFound(
                template,
                f"{template!r}: a template may include only a .j2 file from its own folder",
            )
        path = self.folder / template
        if template != self.entry and (not path.is_file() or path.resolve().parent != self.folder):
            raise jinja2.TemplateNotFound(
                template, f"{template!r}: no such .j2 file in the template's own folder"
            )
        with path.open(encoding="utf-8") as handle:  # read no more than the limit
            text = handle.read(LIMITS.template_chars + 1)
        if len(text) > LIMITS.template_chars:
            raise TemplateLimitError(
                f"{template!r} is longer than the limit of {LIMITS.template_chars:,} characters "
                "for a template"
            )
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


def _environment(folder: Path, entry: str) -> _Sandbox:
    return _Sandbox(
        loader=_OwnFolderLoader(folder, entry),
        undefined=NamedUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def is_path(value: str) -> bool:
    """True when a template value names a file rather than a built-in template."""
    return value.endswith(SUFFIX) or "/" in value or Path(value).expanduser().is_file()


def relationship_of(value: str) -> str:
    """``colleague.email.zh`` → ``colleague``; anything else (a path, a relationship) as it is."""
    relationship, _, rest = value.partition(".")
    if relationship in RELATIONSHIPS and rest.count(".") == 1:
        channel, lang = rest.split(".")
        if channel in CHANNELS and lang in LANGUAGES:
            return relationship
    return value


def builtin_name(value: str, channel: str = "sms", lang: str = "zh") -> str:
    """The built-in template a value means: a relationship picks the channel and language."""
    if value in RELATIONSHIPS:
        return f"{value}.{channel}.{lang}"
    return value


def load(name_or_path: str | None, lang: str = "zh", channel: str = "sms") -> Template:
    """Load a template: a relationship (``colleague``), a built-in name, or a file path."""
    lang, channel = lang.lower(), channel.lower()
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}", hint="use --lang zh or --lang en")
    if channel not in CHANNELS:
        raise UsageError(f"unknown channel {channel!r}", hint="use --channel sms, wechat or email")
    value = name_or_path or "default"
    if is_path(value):
        candidate = Path(value).expanduser()
        if not candidate.is_file():
            raise TemplateError(f"template file {value} not found")
        return _compile(str(candidate), candidate.resolve())
    name = builtin_name(value, channel, lang)
    names = builtin_names()
    if name not in names:
        raise TemplateError(
            f"no built-in template named {value!r}",
            hint="relationships: "
            + ", ".join(RELATIONSHIPS)
            + "; see contact-notify templates list, or give the path of a .j2 file",
        )
    return _compile(name, builtin_dir() / f"{name}{SUFFIX}")


def copy(name: str, folder: Path, *, force: bool = False) -> Path:
    """Copy a built-in template into a folder, to start one's own; return the new path."""
    if name not in builtin_names():
        raise TemplateError(
            f"no built-in template named {name!r}", hint="see contact-notify templates list"
        )
    from contact_notify.fileio import atomic_write, private_dirs

    private_dirs(folder)
    target = folder / f"{name}{SUFFIX}"
    atomic_write(target, (builtin_dir() / f"{name}{SUFFIX}").read_bytes(), force=force)
    return target


def compile_file(name: str, path: Path) -> Template:
    """Compile a template file, naming it ``name`` in errors."""
    return _compile(name, path)


def _compile(name: str, path: Path) -> Template:
    env = _environment(path.parent, path.name)
    try:
        compiled = env.get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {name}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {name}: {exc.message or exc}") from None
    except TemplateLimitError as exc:
        raise TemplateError(f"template {name}: {exc}", hint=LIMITS_HINT) from None
    except RecursionError:
        raise TemplateError(
            f"template {name}: its expressions or blocks are nested too deeply to compile"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read template {name}: {exc}") from None
    return Template(name, path, compiled)


def render(template: Template, variables: dict[str, Any]) -> str:
    """Render a template; any failure names the template and the line."""
    try:
        text = template.compiled.render(variables)
    except jinja2.UndefinedError as exc:
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(
            f"template {template.name}{line}: {exc.message}",
            hint="see docs/templates.md for the variables a template can use",
        ) from None
    except TemplateLimitError as exc:
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(f"template {template.name}{line}: {exc}", hint=LIMITS_HINT) from None
    except jinja2.TemplateError as exc:  # SecurityError and friends
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(f"template {template.name}{line}: {exc}") from None
    except RecursionError:
        raise TemplateError(
            f"template {template.name}: it includes or calls itself without end"
        ) from None
    except MemoryError:
        raise TemplateError(
            f"template {template.name}: it needs more memory than this computer has",
            hint=LIMITS_HINT,
        ) from None
    except AppError:
        raise
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError) as exc:
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(f"template {template.name}{line}: {exc}") from None
    return text.strip() + "\n"


def _template_line(tb: TracebackType | None, template: Template) -> str:
    """``, line N`` of the innermost traceback frame inside the template, if any."""
    filename = template.compiled.filename
    line = None
    while tb is not None:
        if filename and tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return f", line {line}" if line else ""
