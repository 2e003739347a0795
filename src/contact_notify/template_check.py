"""``templates check``: syntax, unknown variables, and rendered length for sample contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import meta, nodes

from contact_notify.errors import TemplateError
from contact_notify.i18n import _
from contact_notify.messages import render_message, variables
from contact_notify.model import Contact, LastReach, Phone, StoredContact
from contact_notify.render import (
    CHANNELS,
    SUFFIX,
    VARIABLES,
    Template,
    builtin_names,
    info,
    load,
)

# Short and long names and a typical sender per language, to see how long a message can get.
SAMPLE_NAMES = {
    "zh": ("张伟", "王秀英", "欧阳娜娜娜"),
    "en": ("Amy", "Amy Wong", "Alexandra Montgomery-Smith"),
}
SAMPLE_SENDER = {"zh": "王小明", "en": "Ming Wang"}
SAMPLE_COLLECTORS = ["+8617012345678"]


@dataclass
class CheckResult:
    """Lines to print, and how many of them are errors."""

    lines: list[str] = field(default_factory=list)
    errors: int = 0

    def error(self, text: str) -> None:
        """Record an error line."""
        self.lines.append(_("error: {text}").format(text=text))
        self.errors += 1

    @property
    def failure(self) -> TemplateError | None:
        """The error the check ends with when any template failed (exit 4), else None."""
        if not self.errors:
            return None
        return TemplateError(_("{count} template problem(s) found").format(count=self.errors))


def sample(name: str) -> StoredContact:
    """A reached contact with this name, for trial renders."""
    contact = Contact(name=name, phones=[Phone("13800138000", "mobile", "+8613800138000")])
    reach = LastReach(1, "2026-11-27T21:30:00+08:00", ("+8617012345678",))
    return StoredContact(1, contact, reach_count=1, last_reach=reach)


def unknown_variables(template: Template) -> list[tuple[int, str]]:
    """(line, name) of every variable the template uses that is not documented."""
    source = template.path.read_text(encoding="utf-8")
    ast = template.compiled.environment.parse(source)
    found = [
        (_line(ast, name), name)
        for name in sorted(meta.find_undeclared_variables(ast))
        if name not in VARIABLES
    ]
    for node in ast.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in VARIABLES:
            allowed = VARIABLES[node.node.name]
            if allowed is not None and node.attr not in allowed:
                found.append((int(node.lineno), f"{node.node.name}.{node.attr}"))
    return found


def _line(ast: nodes.Template, name: str) -> int:
    for node in ast.find_all(nodes.Name):
        if node.name == name:
            return int(node.lineno)
    return 0


def _files(path: Path | None) -> list[str]:
    if path is None:
        return builtin_names()
    if path.is_dir():
        return [str(p) for p in sorted(path.glob(f"*{SUFFIX}"))]
    return [str(path)]


def check_templates(path: Path | None = None, *, sms_limit: int = 2) -> CheckResult:
    """Check every template under ``path`` (a file or folder; default the built-ins)."""
    result = CheckResult()
    if path is not None and not path.exists():
        raise TemplateError(_("{path} does not exist").format(path=path))
    files = _files(path)
    if not files:
        raise TemplateError(_("no {suffix} templates in {path}").format(suffix=SUFFIX, path=path))
    for value in files:
        try:
            template = load(value)
        except TemplateError as exc:
            result.error(exc.message)
            continue
        bad = unknown_variables(template)
        for line, name in bad:
            result.error(
                _("template {template}, line {line}: {name} is not a template variable").format(
                    template=template.name, line=line, name=name
                )
            )
        if bad:
            continue
        declared = info(template.name, template.path)
        channel = declared.channel
        lang = declared.lang if declared.lang in SAMPLE_NAMES else "zh"
        if channel not in CHANNELS:
            result.lines.append(
                _(
                    "warning: template {template}: no 'channel: sms|wechat|email' in its "
                    "metadata comment; checked as sms"
                ).format(template=template.name)
            )
            channel = "sms"
        _trial(template, channel, lang, sms_limit, result)
    if result.errors == 0:
        result.lines.append(_("{count} template(s) checked, no errors").format(count=len(files)))
    return result


def _trial(
    template: Template, channel: str, lang: str, sms_limit: int, result: CheckResult
) -> None:
    lengths = []
    for name in SAMPLE_NAMES[lang]:
        try:
            values = variables(sample(name), SAMPLE_SENDER[lang], SAMPLE_COLLECTORS)
            _subject, text, segments = render_message(template, values, channel)
        except TemplateError as exc:
            result.error(exc.message)
            return
        if segments is not None:
            parts = segments.parts
            lengths.append(parts)
            if parts > sms_limit:
                result.lines.append(
                    _(
                        "warning: template {template}: {parts} SMS parts for the contact "
                        "{name} (limit {limit})"
                    ).format(template=template.name, parts=parts, name=repr(name), limit=sms_limit)
                )
        else:
            lengths.append(len(text))
    ok = (
        _("ok: {template} ({channel}): {low}-{high} SMS parts for sample contacts")
        if channel == "sms"
        else _("ok: {template} ({channel}): {low}-{high} characters for sample contacts")
    )
    result.lines.append(
        ok.format(template=template.name, channel=channel, low=min(lengths), high=max(lengths))
    )
