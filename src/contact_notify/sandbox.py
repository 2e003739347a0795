"""The sandbox templates render in: Jinja's immutable sandbox, with every cost bounded.

Everything a template does that can cost time or memory passes through a hook
of :class:`Sandbox`: operators (intercepted, so never folded at compile time),
filters and tests (wrapped; filters are never run at compile time), calls,
attribute and item lookups, comparisons, ``~``, list and dict literals, loop
rounds, includes and output.  Each hook counts a *step* and reads the clock,
and checks the size of what is built before building it where the size can be
foreseen and right after otherwise (:mod:`contact_notify.template_limits`).  So
every render stops after a fixed number of steps or seconds, whichever comes
first, and no single step can build more than the size limits allow.  Python's
own types offer only the methods listed here, and the data is read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import BuiltinMethodType, GeneratorType
from typing import Any, cast

import jinja2
from jinja2 import filters as jinja_filters
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.compiler import operators as COMPARE_OPERATORS
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from jinja2.utils import _PassArg, pass_context
from markupsafe import soft_str

from contact_notify import template_limits as limits
from contact_notify.filters import FILTERS
from contact_notify.i18n import N_, _


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


# Checks made before a filter runs, for the filters whose result can outgrow their input.
def _pre_center(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = _arg(args, kwargs, 0, "width", 80)
    if limits.is_int(width):
        limits.text_room(max(limits.measure(value), width))


def _pre_indent(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = _arg(args, kwargs, 0, "width", 4)
    size = len(width) if isinstance(width, str) else width if limits.is_int(width) else 0
    text = value if isinstance(value, str) else ""
    limits.text_room(limits.measure(value) + (text.count("\n") + 1) * max(size, 0))


def _pre_replace(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    old = _arg(args, kwargs, 0, "old", None)
    new = _arg(args, kwargs, 1, "new", None)
    count = _arg(args, kwargs, 2, "count", None)
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        limits.check_str_method(value, "replace", (old, new, -1 if count is None else count))


def _pre_batch(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    size = _arg(args, kwargs, 0, "linecount", 0)
    if limits.is_int(size):
        limits.items_room(size, limits.A_BATCH)


def _pre_slice(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    size = _arg(args, kwargs, 0, "slices", 0)
    if limits.is_int(size):
        limits.items_room(size, limits.A_LIST_OF_SLICES)


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
    items = limits.take(value)
    if attribute is not None:
        getter = jinja_filters.make_attrgetter(context.environment, attribute)
        items = [getter(item) for item in items]
    limits.text_room(
        limits.measure_all(items, limits.A_JOINED_TEXT)
        + limits.measure(d) * max(len(items) - 1, 0),
        limits.A_JOINED_TEXT,
    )
    joined: str = jinja_filters.do_join(context.eval_ctx, items, d)
    return joined


@pass_context
def _list(context: Context, value: Any) -> list[Any]:
    """``list``, counting items as they come."""
    return limits.take(value)


@pass_context
def _sum(context: Context, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    """``sum``, each addition checked like the ``+`` operator."""
    items = limits.take(iterable)
    if attribute is not None:
        getter = jinja_filters.make_attrgetter(context.environment, attribute)
        items = [getter(item) for item in items]
    total = start
    for item in items:
        limits.check_binop("+", total, item)
        total = limits.checked(total + item)
    return total


@pass_context
def _format(context: Context, value: Any, *args: Any, **kwargs: Any) -> str:
    """``format`` (``"%s, %s" | format(a, b)``), checked like the ``%`` operator."""
    if args and kwargs:
        raise jinja2.exceptions.FilterArgumentError(
            _("can't handle positional and keyword arguments at the same time")
        )
    limits.text_room(limits.measure(value))
    fmt = soft_str(value)
    params: Any = kwargs or args
    limits.check_percent(fmt, params)
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
        limits.budget().step()
        if text_input:
            size = len(value) if isinstance(value, str) else limits.measure(value)
            limits.text_room(size * _GROWTH.get(name, 1))
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
        return limits.checked(result)

    guarded.__name__ = guarded.__qualname__ = name
    return guarded


def _guard_test(func: Callable[..., Any]) -> Callable[..., Any]:
    """A test (``is divisibleby 3``) that counts a step; its pass-argument kind is kept."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        limits.budget().step()
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
        with limits.fresh_budget():
            return super().render(*args, **kwargs)


class Trusted(jinja2.Environment):
    """The environment of the built-in templates: the sandbox's filters, tests and globals,
    without its hooks.

    The built-in templates are the tool's own code, shipped with it and checked by
    its tests (tests/test_render_trusted.py renders each one both ways and compares),
    so nothing in them needs bounding; the values they print are data, never code.
    Only a template from a file (the user's own) runs in :class:`Sandbox`.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.pop("lipsum", None)
        self.globals["range"] = limits.limited_range
        filters = {
            # Jinja's filters with an async variant check at every call which one to run.
            name: getattr(jinja_filters, f"sync_do_{name}", func)
            for name, func in self.filters.items()
            if name not in _DROPPED_FILTERS
        }
        filters.update(FILTERS)
        self.filters = filters


class Sandbox(ImmutableSandboxedEnvironment):
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
        self.globals["range"] = limits.limited_range
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
        limits.budget().step()
        if not isinstance(value, str):
            limits.text_room(limits.measure(value))
        return value

    def concat(self, parts: Iterable[str]) -> str:
        """Join output (the message, a macro's or block's text) within the text limit."""
        pieces = []
        total = 0
        for piece in parts:
            total += len(piece)
            if total > limits.LIMITS.text:
                error = limits.TemplateLimitError(
                    _("the text it writes is longer than the limit of {limit} characters").format(
                        limit=f"{limits.LIMITS.text:,}"
                    )
                )
                if isinstance(parts, GeneratorType):  # raise it at the line writing
                    parts.throw(error)
                raise error
            pieces.append(piece)
        limits.budget().charge(total)
        return "".join(pieces)

    def join_text(self, parts: tuple[Any, ...], autoescape: bool) -> str:
        """``a ~ b``: measured before it is joined."""
        limits.budget().step()
        limits.measure_all(parts, limits.A_JOINED_TEXT)
        return limits.checked(markup_join(parts) if autoescape else str_join(parts))  # type: ignore[no-any-return]

    def counted(self, iterable: Any) -> Any:
        """A loop's iterable, one step per round (the call to this was a step too)."""
        return limits.Counted(iterable)

    def step_value(self, value: Any) -> Any:
        """Count a step (before a comparison, an include or an import)."""
        limits.budget().step()
        return value

    def built(self, value: Any) -> Any:
        """A list, tuple or dict literal, checked like any value built."""
        limits.budget().step()
        return limits.checked(value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        limits.budget().step()
        limits.check_binop(operator, left, right)
        return limits.checked(self.binop_table[operator](left, right))

    def call_unop(self, context: Context, operator: str, arg: Any) -> Any:
        limits.budget().step()
        return self.unop_table[operator](arg)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        limits.budget().step()
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (limits.Counted(args[0]), *args[1:])
        elif isinstance(__obj, BuiltinMethodType) and isinstance(__obj.__self__, str):
            args = limits.check_str_method(__obj.__self__, __obj.__name__, args)
        return limits.checked(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        limits.budget().step()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        limits.budget().step()
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
            return self.undefined(  # Jinja's own refusal, in the interface language
                _("access to attribute {attribute} of {type} object is unsafe.").format(
                    attribute=repr(attribute), type=repr(type(obj).__name__)
                ),
                name=attribute,
                obj=obj,
                exc=SecurityError,
            )
        kinds = (
            (str, limits.A_TEXT),
            ((list, tuple), limits.A_LIST),
            (dict, N_("a dict")),
            (int, N_("a number")),
        )
        kind = next(
            (_(k) for t, k in kinds if isinstance(obj, t)),
            _("a {type} value").format(type=type(obj).__name__),
        )
        return self.undefined(
            _(
                "a template cannot use {attribute} of {kind}: only some methods of texts, lists "
                "and dicts are allowed, and the data a template gets is read-only"
            ).format(attribute=repr(attribute), kind=kind),
            name=attribute,
            obj=obj,
            exc=limits.TemplateLimitError,
        )

    def wrap_str_format(self, value: Any) -> None:
        """No ``str.format``: widths in it cannot be checked before (use the ``format`` filter)."""
        return
