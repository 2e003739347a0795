"""Commands for templates (list, show, copy, check) and rules (list, set, remove)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contact_notify.choices import canonical
from contact_notify.cli.base import app, say, say_all, session, sub_app
from contact_notify.i18n import _

templates_app = sub_app("List, show, copy and check message templates.")
app.add_typer(templates_app, name="templates")
rules_app = sub_app("Which template each group of contacts gets.")
app.add_typer(rules_app, name="rules")


@templates_app.command("list")
def templates_list(
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
) -> None:
    """List the built-in templates with their language, channel and relationship.

    Example: contact-notify templates list --lang zh --channel sms
    """
    from contact_notify.actions import templates as actions
    from contact_notify.cli import terminal

    found = actions.list_templates(lang and canonical(lang), channel and canonical(channel))
    say(terminal.templates_table(found))


@templates_app.command("show")
def templates_show(
    name: Annotated[str, typer.Argument(help="A built-in template name.", show_default=False)],
) -> None:
    """Print a built-in template's source.

    Example: contact-notify templates show colleague.wechat.zh
    """
    from contact_notify.actions import templates as actions

    say(actions.template_source(name), nl=False, raw=True)  # a built-in's own source


@templates_app.command("copy")
def templates_copy(
    name: Annotated[str, typer.Argument(help="A built-in template name.", show_default=False)],
    folder: Annotated[Path, typer.Argument(help="Where to put the copy.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing copy.")] = False,
) -> None:
    """Copy a built-in template into a folder, to adapt it and use it with --template.

    Example: contact-notify templates copy friend.sms.zh ./my-templates
    """
    from contact_notify.actions import templates as actions

    target = actions.copy_template(name, folder, force=force)
    say(_("copied {name} to {path}").format(name=name, path=target))
    say(_("use it with: {command}").format(command=f"contact-notify preview --template {target}"))


@templates_app.command("check")
def templates_check(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A .j2 file or a folder of them [default: the built-in templates].",
            show_default=False,
        ),
    ] = None,
    sms_limit: Annotated[int, typer.Option(min=1, help="SMS parts above which to warn.")] = 2,
) -> None:
    """Check templates: syntax, unknown variables, and SMS parts for short and long names.

    Example: contact-notify templates check ./my-templates
    """
    from contact_notify.actions import templates as actions

    result = actions.check_templates(path, sms_limit=sms_limit)
    say_all(result.lines)
    if result.failure is not None:
        raise result.failure


@rules_app.command("list")
def rules_list() -> None:
    """List the rules from contact group to template, in the order they are tried.

    Example: contact-notify rules list
    """
    from contact_notify.actions import templates as actions

    say_all(f"{group} -> {template}" for group, template in actions.rules(session()))


@rules_app.command("set")
def rules_set(
    group: Annotated[
        str, typer.Argument(help="A group name as in the contact file.", show_default=False)
    ],
    template: Annotated[
        str,
        typer.Argument(
            help="A relationship, a built-in template name or a .j2 file.", show_default=False
        ),
    ],
) -> None:
    """Make contacts of a group get a template.

    Relationships: family-elder, family-peer, friend, colleague, superior, default.

    Example: contact-notify rules set 球友 friend
    """
    from contact_notify.actions import templates as actions

    actions.set_rule(session(), group, template)
    say(f"{group} -> {template}")


@rules_app.command("remove")
def rules_remove(
    group: Annotated[
        str, typer.Argument(help="The group whose rule to remove.", show_default=False)
    ],
) -> None:
    """Remove a group's rule (its contacts then get the default template).

    Example: contact-notify rules remove 同学
    """
    from contact_notify.actions import templates as actions

    actions.remove_rule(session(), group)
    say(_("removed the rule for {group}").format(group=group))
