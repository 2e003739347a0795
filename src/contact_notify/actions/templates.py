"""Templates (list, show, copy, check) and the rules that give each group of contacts one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from contact_notify.actions.session import Session, changes
from contact_notify.errors import InputDataError
from contact_notify.i18n import _

if TYPE_CHECKING:
    from contact_notify.render import TemplateInfo
    from contact_notify.template_check import CheckResult


def list_templates(lang: str | None = None, channel: str | None = None) -> list[TemplateInfo]:
    """The built-in templates, only of one language or channel when asked."""
    from contact_notify.render import builtins

    return [t for t in builtins() if lang in (None, t.lang) and channel in (None, t.channel)]


def template_source(name: str) -> str:
    """A built-in template's source text."""
    from contact_notify.render import load

    return load(name).path.read_text(encoding="utf-8")


def copy_template(name: str, folder: Path, *, force: bool = False) -> Path:
    """Copy a built-in template into a folder (0700) to adapt it; return the copy's path."""
    from contact_notify.render import copy

    return copy(name, folder, force=force)


def check_templates(path: Path | None = None, *, sms_limit: int = 2) -> CheckResult:
    """Check templates (a file, a folder, or the built-ins): syntax, variables, SMS parts.

    The result's lines say what was found; ``result.failure`` is the error
    (exit 4) to end with when any template failed.
    """
    from contact_notify.template_check import check_templates as run_check

    return run_check(path, sms_limit=sms_limit)


def relationships() -> tuple[str, ...]:
    """The relationships the built-in templates are written for (a rule or contact names one)."""
    from contact_notify.render import RELATIONSHIPS

    return RELATIONSHIPS


def template_label(name: str) -> str:
    """A template or relationship in words, in the interface language (``colleague`` → 同事)."""
    from contact_notify.sendpage import heading

    return heading(name)


def rules(session: Session) -> list[tuple[str, str]]:
    """(group, template) rules, in the order they are tried."""
    with session.open() as case:
        return case.rules()


def set_rule(session: Session, group: str, template: str) -> None:
    """Make contacts of a group get a template (a relationship, a built-in name or a file)."""
    from contact_notify.relationships import check_rule_group
    from contact_notify.render import load

    check_rule_group(group)  # refuse name: without a word
    load(template)  # refuse a template that does not exist
    with session.open(create=True, writes=True) as case, changes(case, "rules"):
        case.set_rule(group, template)


def remove_rule(session: Session, group: str) -> None:
    """Remove a group's rule; an input error when there is none."""
    with session.open(writes=True) as case, changes(case, "rules"):
        if not case.remove_rule(group):
            raise InputDataError(
                _("there is no rule for group {group}").format(group=repr(group)),
                hint=_("see: contact-notify rules list"),
            )
