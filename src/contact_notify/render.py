"""Rendering messages from Jinja2 templates, sandboxed, strict and bounded.

Templates run in Jinja's immutable sandbox with an undefined-variable class
that is strict (any unknown name is an error) and names the whole variable
(``contact.nmae``).  Errors become :class:`TemplateError` naming the template
and line.  The variables are documented in ``docs/templates.md``.

A template cannot exhaust the machine: it runs in the sandbox of
:mod:`contact_notify.sandbox`, within the limits of
:mod:`contact_notify.template_limits` (documented under "Limits" in
``docs/templates.md``), and may include only ``.j2`` files from its own folder.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.nodes import EvalContext
from jinja2.utils import missing, object_type_repr

from contact_notify import i18n, template_limits
from contact_notify.errors import AppError, TemplateError, UsageError
from contact_notify.fileio import describe_os_error
from contact_notify.i18n import N_, _
from contact_notify.resources import shipped_dir
from contact_notify.sandbox import Sandbox, Trusted
from contact_notify.template_limits import TemplateLimitError

SUFFIX = ".j2"
LANGUAGES = ("zh", "en")
LIMITS_HINT = N_('see "Limits" in docs/templates.md for what a template may build and spend')


class Vars:
    """A namespace of template variables that knows its own name, for error messages."""

    _label: str

    def __init__(self, _label: str, **values: Any) -> None:
        self.__dict__.update(values)
        self.__dict__["_label"] = _label

    @classmethod
    def of(cls, label: str, values: dict[str, Any]) -> Vars:
        """The namespace holding ``values`` (the dict itself, taken over): built per message,
        and twice as fast as passing them as keywords."""
        made = object.__new__(cls)
        values["_label"] = label
        made.__dict__ = values
        return made

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
            return _("undefined variable '{name}'").format(name=self._undefined_name)
        if isinstance(obj, Vars):
            return _("undefined variable '{name}'").format(
                name=f"{obj._label}.{self._undefined_name}"
            )
        kind = object_type_repr(obj)
        if kind.endswith(" object"):  # "str object": the type's name, then our word for object
            return _("{type} object has no attribute {name}").format(
                type=kind.removesuffix(" object"), name=repr(self._undefined_name)
            )
        return _("{kind} has no attribute {name}").format(
            kind=kind, name=repr(self._undefined_name)
        )


@dataclass(frozen=True)
class Template:
    """A loaded template: its name (built-in name or path) and compiled form."""

    name: str
    path: Path
    compiled: jinja2.Template
    # A built-in template's globals as one dict (it renders outside the sandbox); None
    # for a template from a file, which always renders in the sandbox.
    trusted_globals: dict[str, Any] | None = None


RELATIONSHIPS = ("family-elder", "family-peer", "friend", "colleague", "superior", "default")
CHANNELS = ("sms", "wechat", "email")

# The variables a template may use: namespace -> attributes (None: a plain value).
VARIABLES: dict[str, tuple[str, ...] | None] = {
    "contact": (
        "name",
        "family",
        "given",
        "nickname",
        "salutation",
        "relationship",
        "org",
        "groups",
        "phone",
    ),
    "sender": ("name", "short", "contact"),
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
                _("{name}: a template may include only a .j2 file from its own folder").format(
                    name=repr(template)
                ),
            )
        path = self.folder / template
        if template != self.entry and (not path.is_file() or path.resolve().parent != self.folder):
            raise jinja2.TemplateNotFound(
                template,
                _("{name}: no such .j2 file in the template's own folder").format(
                    name=repr(template)
                ),
            )
        with path.open(encoding="utf-8") as handle:  # read no more than the limit
            text = handle.read(template_limits.LIMITS.template_chars + 1)
        if len(text) > template_limits.LIMITS.template_chars:
            raise TemplateLimitError(
                _("{name} is longer than the limit of {limit} characters for a template").format(
                    name=repr(template), limit=f"{template_limits.LIMITS.template_chars:,}"
                )
            )
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


def _environment(
    folder: Path,
    entry: str,
    each_value: Callable[[str], str] | None = None,
    *,
    trusted: bool = False,
) -> jinja2.Environment:
    env = (Trusted if trusted else Sandbox)(
        loader=_OwnFolderLoader(folder, entry),
        undefined=NamedUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    if each_value is not None:
        # Like autoescaping: Jinja passes every {{ … }} through finalize (the sandbox's
        # measure first), so no value a template outputs escapes the rewrite.
        measured = env.finalize or str  # the sandbox's measure (it always has one)
        env.finalize = lambda value: each_value(str(measured(value)))
    return env


def is_path(value: str) -> bool:
    """True when a template value names a file rather than a built-in template."""
    return value.endswith(SUFFIX) or "/" in value or Path(value).expanduser().is_file()


@functools.lru_cache(maxsize=256)
def relationship_of(value: str) -> str:
    """``colleague.email.zh`` → ``colleague``; anything else (a path, a relationship) as it is."""
    relationship, _dot, rest = value.partition(".")
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


def check_language(lang: str) -> None:
    """Refuse a language the built-in templates are not written in."""
    if lang not in LANGUAGES:
        raise UsageError(
            _("unknown language {lang}").format(lang=repr(lang)),
            hint=_("use --lang zh or --lang en"),
        )


def load(name_or_path: str | None, lang: str = "zh", channel: str = "sms") -> Template:
    """Load a template: a relationship (``colleague``), a built-in name, or a file path."""
    lang, channel = lang.lower(), channel.lower()
    check_language(lang)
    if channel not in CHANNELS:
        raise UsageError(
            _("unknown channel {channel}").format(channel=repr(channel)),
            hint=_("use --channel sms, wechat or email"),
        )
    value = name_or_path or "default"
    if is_path(value):
        candidate = Path(value).expanduser()
        if not candidate.is_file():
            raise TemplateError(_("template file {path} not found").format(path=value))
        return _compile(str(candidate), candidate.resolve())
    name = builtin_name(value, channel, lang)
    names = builtin_names()
    if name not in names:
        raise TemplateError(
            _("no built-in template named {name}").format(name=repr(value)),
            hint=_(
                "relationships: {relationships}; see contact-notify templates list, "
                "or give the path of a .j2 file"
            ).format(relationships=_(", ").join(RELATIONSHIPS)),
        )
    return _compile(name, builtin_dir() / f"{name}{SUFFIX}", trusted=True)


def copy(name: str, folder: Path, *, force: bool = False) -> Path:
    """Copy a built-in template into a folder, to start one's own; return the new path."""
    if name not in builtin_names():
        raise TemplateError(
            _("no built-in template named {name}").format(name=repr(name)),
            hint=_("see contact-notify templates list"),
        )
    from contact_notify.fileio import atomic_write, private_dirs

    private_dirs(folder)
    target = folder / f"{name}{SUFFIX}"
    atomic_write(target, (builtin_dir() / f"{name}{SUFFIX}").read_bytes(), force=force)
    return target


def compile_file(
    name: str, path: Path, *, each_value: Callable[[str], str] | None = None
) -> Template:
    """Compile a template file, naming it ``name`` in errors.

    ``each_value``, when given, rewrites the text of every ``{{ … }}`` the template
    (and any file it includes) outputs: the complaint drafts make each value one
    line with :func:`contact_notify.textsafe.line`.
    """
    return _compile(name, path, each_value)


def _compile(
    name: str,
    path: Path,
    each_value: Callable[[str], str] | None = None,
    *,
    trusted: bool = False,
) -> Template:
    """Compile a template file: in the sandbox, or (a built-in, ``trusted``) outside it."""
    env = _environment(path.parent, path.name, each_value, trusted=trusted)
    try:
        compiled = env.get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_where(name, exc.lineno, exc.message or "")) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(_where(name, None, exc.message or str(exc))) from None
    except TemplateLimitError as exc:
        raise TemplateError(_where(name, None, str(exc)), hint=_(LIMITS_HINT)) from None
    except RecursionError:
        raise TemplateError(
            _("template {name}: its expressions or blocks are nested too deeply to compile").format(
                name=name
            )
        ) from None
    except OSError as exc:
        raise TemplateError(
            _("cannot read template {name}: {reason}").format(
                name=name, reason=describe_os_error(exc, whole=True)
            )
        ) from None
    except UnicodeDecodeError as exc:
        reason = str(exc) if i18n.language() == "en" else _("it is not UTF-8 text")
        raise TemplateError(
            _("cannot read template {name}: {reason}").format(name=name, reason=reason)
        ) from None
    return Template(name, path, compiled, dict(compiled.globals) if trusted else None)


def render(
    template: Template, variables: dict[str, Any], *, size: tuple[int, int] | None = None
) -> str:
    """Render a template; any failure names the template and the line.

    ``size``: the values' characters and list items, as :func:`measure` counts
    them, when the caller counted them while making the values.
    """
    try:
        text = _rendered(template, variables, size)
    except jinja2.UndefinedError as exc:
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(
            _where(template.name, line, exc.message or ""),
            hint=_("see docs/templates.md for the variables a template can use"),
        ) from None
    except TemplateLimitError as exc:
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(_where(template.name, line, str(exc)), hint=_(LIMITS_HINT)) from None
    except jinja2.TemplateError as exc:  # SecurityError and friends
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(_where(template.name, line, str(exc))) from None
    except RecursionError:
        raise TemplateError(
            _("template {name}: it includes or calls itself without end").format(name=template.name)
        ) from None
    except MemoryError:
        raise TemplateError(
            _("template {name}: it needs more memory than this computer has").format(
                name=template.name
            ),
            hint=_(LIMITS_HINT),
        ) from None
    except AppError:
        raise
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError) as exc:
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(_where(template.name, line, str(exc))) from None
    return text.strip() + "\n"


def _rendered(
    template: Template, variables: dict[str, Any], size: tuple[int, int] | None = None
) -> str:
    """The template's text: a built-in's by the short way, any other's in the sandbox.

    The short way is Jinja's compiled code run with the little of a context it
    reads (:class:`_Values`), without the sandbox's hooks, its copying of the
    globals (a ChainMap read item by item) and its traceback rewriting.
    It is taken only for values of ordinary size (:func:`_ordinary`), which no
    built-in can turn into anything near the sandbox's limits; larger values,
    and any failure, render in the sandbox, so every limit and every error (with
    its line) stays exactly the sandbox's.
    """
    compiled = template.compiled
    if template.trusted_globals is None:
        return compiled.render(variables)
    if not (_ordinary(variables) if size is None else _within(size)):
        return _sandboxed(template.name, template.path).render(variables)
    try:
        context = _Values(
            variables,
            template.trusted_globals,
            EvalContext(compiled.environment, compiled.name),
        )
        text = "".join(compiled.root_render_func(context))  # type: ignore[arg-type]
    except Exception:  # raised again by the sandbox, with the template's own line
        return _sandboxed(template.name, template.path).render(variables)
    if len(text) > template_limits.LIMITS.text:  # cannot happen for ordinary values
        return _sandboxed(template.name, template.path).render(variables)
    return text


class _Values:
    """The part of a Jinja context a built-in's compiled code reads: its values and the
    evaluation context its filters get.

    Jinja's own context, made for each message, took as long as the template.  Code that
    reads anything else of its context (a ``{% set %}``, an include, a call) raises
    AttributeError here, and the message renders in the sandbox, as on any failure.
    """

    __slots__ = ("_globals", "_values", "eval_ctx")

    def __init__(
        self, values: dict[str, Any], globals_: dict[str, Any], eval_ctx: EvalContext
    ) -> None:
        self._values = values
        self._globals = globals_  # what a value of that name does not hide (not merged per message)
        self.eval_ctx = eval_ctx

    def resolve_or_missing(self, key: str) -> Any:
        """The value of a name, else the global of that name, else Jinja's ``missing``."""
        found = self._values.get(key, missing)
        return self._globals.get(key, missing) if found is missing else found


# Values of ordinary size: in all, at most this many characters and list items.  A built-in
# template prints each value a few times at most, so its text stays far below every limit.
ORDINARY_CHARS = 100_000
ORDINARY_ITEMS = 1_000


def _ordinary(variables: dict[str, Any]) -> bool:
    """True when the values are texts, numbers, lists and :class:`Vars` of ordinary size.

    The shapes a message's variables have are counted by :func:`measure`; any
    other value sends the whole question to :func:`_measured`, which walks every value.
    """
    size = measure(variables)
    return _measured(variables) if size is None else _within(size)


def _within(size: tuple[int, int]) -> bool:
    """True for values of ordinary size: (characters, list items) within the bounds."""
    return size[0] <= ORDINARY_CHARS and size[1] <= ORDINARY_ITEMS


def measure(variables: dict[str, Any]) -> tuple[int, int] | None:
    """The characters and list items of values of a message's shapes (texts, numbers and
    lists of texts, at the top or in a :class:`Vars`), or None for any other shape.

    Counting stops once the items pass :data:`ORDINARY_ITEMS` (a list that long is not
    walked): the values are then too large whatever follows.
    """
    chars = items = 0
    for top in variables.values():
        for value in top.__dict__.values() if type(top) is Vars else (top,):
            kind = type(value)
            if kind is str:
                chars += len(value)
            elif kind is list:
                items += len(value)
                if items > ORDINARY_ITEMS:
                    return chars, items
                for text in value:
                    if type(text) is not str:
                        return None
                    chars += len(text)
            elif not (value is None or kind is int or kind is bool or kind is float):
                return None  # a nested Vars, a tuple, anything else
    return chars, items


def _measured(variables: dict[str, Any]) -> bool:
    """:func:`_ordinary` for values of any shape: every value walked, nested or not."""
    chars = items = 0
    pending = list(variables.values())
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            chars += len(value)
        elif isinstance(value, Vars):
            pending.extend(value.__dict__.values())
        elif isinstance(value, (list, tuple)):
            items += len(value)
            pending.extend(value)
        elif not (value is None or isinstance(value, (int, float))):
            return False  # anything else: the sandbox decides
        if chars > ORDINARY_CHARS or items > ORDINARY_ITEMS:
            return False
    return True


@functools.lru_cache(maxsize=64)
def _sandboxed(name: str, path: Path) -> jinja2.Template:
    """A built-in template compiled in the sandbox, for what the short way leaves to it."""
    return _compile(name, path).compiled


def _where(name: str, line: int | None, problem: str) -> str:
    """``template NAME, line N: problem`` (without the line when it is not known)."""
    if line:
        return _("template {name}, line {line}: {problem}").format(
            name=name, line=line, problem=problem
        )
    return _("template {name}: {problem}").format(name=name, problem=problem)


def _template_line(tb: TracebackType | None, template: Template) -> int | None:
    """The line of the innermost traceback frame inside the template, if any."""
    filename = template.compiled.filename
    line = None
    while tb is not None:
        if filename and tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
