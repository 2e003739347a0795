"""What one template render may build and spend, and the checks that keep it to that.

``LIMITS`` are the bounds (documented under "Limits" in ``docs/templates.md``).
Each render gets a :class:`Budget` of steps, characters built and wall-clock
time (:func:`fresh_budget`); the sandbox's hooks (:mod:`contact_notify.sandbox`)
count a step with :func:`budget` and check a size with the functions here
before building a value where its size can be foreseen (``'a' * 10**9``,
``'x'.center(n)``, ``join``) and with :func:`checked` right after otherwise.
The budget is a step count plus a wall clock read at every step, not a signal
or a thread: it works the same on every platform and in any thread, and a step
never takes long because no value a step works on can be large.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.utils import Namespace, missing

from contact_notify.i18n import N_, _


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

# What a limit error says went over it (marked here, said in the interface language).
A_TEXT = N_("a text")
A_LIST = N_("a list")
A_JOINED_TEXT = N_("a joined text")
A_LIST_OF_TEXTS = N_("a list holding texts")
A_BATCH = N_("a batch")
A_LIST_OF_SLICES = N_("a list of slices")


class TemplateLimitError(jinja2.TemplateRuntimeError):
    """A template went over one of the limits; the message names the limit."""


class Budget:
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
                _(
                    "the template takes more than {limit} steps (loop rounds, calls, "
                    "filters, operators and lookups)"
                ).format(limit=f"{self.limits.steps:,}")
            )
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                _("the template takes longer than {seconds} seconds to render").format(
                    seconds=f"{self.limits.seconds:g}"
                )
            )

    def charge(self, size: int) -> None:
        """Count characters or items built; stop the render when it has built too much."""
        self.built += size
        if self.built > self.limits.built:
            raise TemplateLimitError(
                _("the template builds more than {limit} characters and list items in all").format(
                    limit=f"{self.limits.built:,}"
                )
            )


_BUDGET: ContextVar[Budget | None] = ContextVar("contact_notify_template_budget", default=None)


def budget() -> Budget:
    """The budget of the render under way (a fresh one outside a render: sizes still count)."""
    return _BUDGET.get() or Budget(LIMITS)


@contextmanager
def fresh_budget() -> Iterator[None]:
    """A render under way: a fresh budget of steps, size and time, until it ends."""
    token = _BUDGET.set(Budget(LIMITS))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def text_room(size: int, what: str = A_TEXT) -> None:
    """Stop when a text of ``size`` characters would be over the limit (``what``: an A_… name)."""
    if size > LIMITS.text:
        raise TemplateLimitError(
            _("{what} of up to {size} characters is over the limit of {limit} characters").format(
                what=_(what), size=f"{size:,}", limit=f"{LIMITS.text:,}"
            )
        )


def items_room(size: int, what: str = A_LIST) -> None:
    """Stop when a list of ``size`` items would be over the limit (``what``: an A_… name)."""
    if size > LIMITS.items:
        raise TemplateLimitError(
            _("{what} of {size} items is over the limit of {limit} items").format(
                what=_(what), size=f"{size:,}", limit=f"{LIMITS.items:,}"
            )
        )


def bits_room(bits: int) -> None:
    """Stop when a whole number of ``bits`` bits would have too many digits."""
    digits = int(bits * math.log10(2)) + 1
    if digits > LIMITS.digits:
        raise TemplateLimitError(
            _("a number of about {digits} digits is over the limit of {limit} digits").format(
                digits=f"{digits:,}", limit=f"{LIMITS.digits:,}"
            )
        )


_CONTAINERS = (list, tuple, set, frozenset)
_VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))


def measure(value: object, *, printed: bool = True, limit: int | None = None) -> int:
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


def measure_all(values: Iterable[object], what: str) -> int:
    """The characters of the texts of several values (as joined), checked against the limit."""
    total = 0
    for value in values:
        total += len(value) if isinstance(value, str) else measure(value)
        text_room(total, what)
    return total


def checked(value: Any) -> Any:
    """A value just built, checked against the size limits and charged to the budget."""
    if isinstance(value, str):
        text_room(len(value))
        budget().charge(len(value))
    elif isinstance(value, (*_CONTAINERS, dict)):
        items_room(len(value))
        weight = measure(value, printed=False)
        text_room(weight, A_LIST_OF_TEXTS)
        budget().charge(weight)
    elif isinstance(value, int) and not isinstance(value, bool):
        bits_room(value.bit_length())
    return value


def is_int(value: object) -> bool:
    """True for a whole number (``True`` and ``False`` too, as Python has it)."""
    return isinstance(value, int)


def _is_sequence(value: object) -> bool:
    return isinstance(value, (str, list, tuple))


def _repeated(seq: str | list[Any] | tuple[Any, ...], times: int) -> None:
    """Check ``seq * times`` before building it."""
    times = max(times, 0)
    if isinstance(seq, str):
        text_room(len(seq) * times)
    else:
        items_room(len(seq) * times)
        text_room(measure(seq, printed=False) * times, A_LIST_OF_TEXTS)


# A %-format conversion: %(key)s, %-10s, %.3f, %*d, %%.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.?)", re.DOTALL)


def check_percent(fmt: str, args: object) -> None:
    """Check ``fmt % args`` before building it: widths, precisions and the texts put in."""
    specs = _PERCENT_SPEC.findall(fmt)
    widths = [int(n) if len(n) < 10 else 10**10 for s in specs for n in s[:2] if n.isdigit()]
    if any("*" in s[:2] for s in specs):  # a width taken from the arguments
        pool = args if isinstance(args, tuple) else (args,)
        widths += [abs(a) for a in pool if isinstance(a, int)]
    printed = any(s[2] in ("r", "a") for s in specs)
    if isinstance(args, Mapping):  # %(key)s may name one value many times; %s prints it all
        largest = max((measure(v, printed=printed) for v in args.values()), default=0)
        body = max(len(specs) * largest, measure(args))
    elif isinstance(args, tuple):
        body = sum(measure(a, printed=printed) for a in args)
    else:
        body = measure(args, printed=printed)
    text_room(len(fmt) + len(specs) * max(widths, default=0) + body)


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Check what an operator would build, before it builds it."""
    if operator == "*":
        if _is_sequence(left) and is_int(right):
            _repeated(left, right)
        elif is_int(left) and _is_sequence(right):
            _repeated(right, left)
        elif is_int(left) and is_int(right):
            bits_room(abs(left).bit_length() + abs(right).bit_length())
    elif operator == "**":
        if is_int(left) and is_int(right) and right > 0 and abs(left) > 1:
            bits_room(int(math.log2(abs(left)) * right) + 1)
    elif operator == "+":
        if isinstance(left, str) and isinstance(right, str):
            text_room(len(left) + len(right))
        elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            items_room(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        check_percent(left, right)


def check_str_method(text: str, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Check what a text method would build (``'x'.center(10**9)``), before it builds it."""
    if name in ("center", "ljust", "rjust", "zfill") and args and is_int(args[0]):
        text_room(max(len(text), args[0]))
    elif name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
        old, new = args[0], args[1]
        times = text.count(old) if old else len(text) + 1
        if len(args) > 2 and is_int(args[2]) and args[2] >= 0:
            times = min(times, args[2])
        text_room(len(text) + times * max(len(new) - len(old), 0))
    elif name in ("split", "rsplit") and args and isinstance(args[0], str) and args[0]:
        items_room(text.count(args[0]) + 1)
    elif name == "join" and len(args) == 1:
        items = take(args[0])
        text_room(measure_all(items, A_JOINED_TEXT) + len(text) * max(len(items) - 1, 0))
        return (items, *args[1:])
    return args


def take(iterable: Iterable[Any]) -> list[Any]:
    """The items of an iterable as a list, one step each, within the list limit."""
    spent = budget()
    items = []
    for item in iterable:
        spent.step()
        items.append(item)
        if len(items) > LIMITS.items:
            raise TemplateLimitError(
                _("a list of more than {limit} items is over the limit of {limit} items").format(
                    limit=f"{LIMITS.items:,}"
                )
            )
    return items


class Counted:
    """A loop's iterable whose every round is a step (``len`` kept when it has one)."""

    __slots__ = ("_iterable",)

    def __init__(self, iterable: Iterable[Any]) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        spent = budget()
        for item in self._iterable:
            spent.step()
            yield item

    def __len__(self) -> int:
        return len(self._iterable)  # type: ignore[arg-type]  # TypeError when it has none


def limited_range(*args: int) -> range:
    """``range()`` of at most ``LIMITS.range`` numbers."""
    numbers = range(*args)
    try:
        size = len(numbers)
    except OverflowError:
        size = LIMITS.range + 1
    if size > LIMITS.range:
        raise TemplateLimitError(
            _("range() of {size} numbers is over the limit of {limit} numbers").format(
                size=f"{size:,}", limit=f"{LIMITS.range:,}"
            )
        )
    return numbers
