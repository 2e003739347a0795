"""Rendering messages from Jinja2 templates, sandboxed and strict.

Templates run in Jinja's ``SandboxedEnvironment`` with an undefined-variable
class that is strict (any unknown name is an error) and names the whole
variable (``contact.nmae``).  Errors become :class:`TemplateError` naming the
template and line.  The variables are documented in ``docs/templates.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing, object_type_repr

from contact_notify.errors import TemplateError
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


def builtin_dir() -> Path:
    """The folder of the built-in templates."""
    return shipped_dir("templates")


def builtin_names() -> list[str]:
    """Names of the built-in templates, such as ``default.zh``."""
    return sorted(p.name.removesuffix(SUFFIX) for p in builtin_dir().glob(f"*{SUFFIX}"))


def _environment(folder: Path) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=NamedUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def load(name_or_path: str | None, lang: str = "zh") -> Template:
    """Load a template by built-in name (``default``, ``default.en``) or by file path."""
    if lang not in LANGUAGES:
        raise TemplateError(f"unknown language {lang!r}", hint="use --lang zh or --lang en")
    value = name_or_path or "default"
    candidate = Path(value).expanduser()
    if value.endswith(SUFFIX) or "/" in value or candidate.is_file():
        if not candidate.is_file():
            raise TemplateError(f"template file {value} not found")
        return _compile(str(candidate), candidate.resolve())
    names = builtin_names()
    name = value if value in names else f"{value}.{lang}"
    if name not in names:
        raise TemplateError(
            f"no built-in template named {value!r}",
            hint="built-in templates: " + ", ".join(names) + "; or give the path of a .j2 file",
        )
    return _compile(name, builtin_dir() / f"{name}{SUFFIX}")


def _compile(name: str, path: Path) -> Template:
    env = _environment(path.parent)
    try:
        compiled = env.get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {name}, line {exc.lineno}: {exc.message}") from None
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
    except jinja2.TemplateError as exc:  # SecurityError and friends
        line = _template_line(exc.__traceback__, template)
        raise TemplateError(f"template {template.name}{line}: {exc}") from None
    except (TypeError, ValueError, ArithmeticError) as exc:
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
