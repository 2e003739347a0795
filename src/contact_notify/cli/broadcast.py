"""The command for one notice to many: broadcast (WeChat Moments, a group chat)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contact_notify.choices import canonical
from contact_notify.cli.base import ForceOpt, LangOpt, app, labelled, say, session
from contact_notify.i18n import _

# What people may type for --for, besides moments and group.
PLACES = {"朋友圈": "moments", "微信朋友圈": "moments", "群": "group", "群聊": "group",
          "微信群": "group", "家人群": "group", "家庭群": "group", "工作群": "group", "family": "group", "亲戚群": "group"}  # fmt: skip
# A family group chat is signed with the short name the family knows; any other with the full name.
FAMILY_PLACES = frozenset({"家人群", "家庭群", "亲戚群", "family"})


@app.command("broadcast")
def broadcast(
    out: Annotated[
        Path | None,
        typer.Argument(
            help="Write the notice to this text file instead of printing it.", show_default=False
        ),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--for", help="moments (WeChat Moments) or group (a family or work group chat)."
        ),
    ] = "moments",
    lang: LangOpt = "zh",
    sender: Annotated[
        str | None,
        typer.Option(
            "--sender",
            help="The name the notice is signed with [default: config sender; for a family "
            "group chat (--for family), sender-short].",
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", "-t", help="Your own .j2 file instead of the built-in text."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Print one notice for many people: a post for WeChat Moments or a group chat.

    It names nobody. It says that people may get calls about your debt, that it
    is not theirs, not to give out any information, that they may block and report
    the number, and to send you a screenshot or the time if called. Only the text
    goes to standard output, ready to copy; a Moments post over 200 characters
    (500 in English) gets a warning, as WeChat folds long posts.

    Example: contact-notify broadcast --for group notice.txt
    """
    from contact_notify.actions import broadcast as actions

    place = canonical(kind)
    done = actions.broadcast(
        session(), kind=PLACES.get(place, place), lang=canonical(lang), sender=sender,
        template=template, out=out, force=force, family=place in FAMILY_PLACES,
    )  # fmt: skip
    notice = done.notice
    if notice.too_long:
        say(
            labelled(
                "warning",
                _(
                    "the notice has {length} characters, more than {limit}: WeChat shows only "
                    "the start of a long Moments post; shorten it with your own --template"
                ).format(length=notice.length, limit=notice.limit),
            ),
            err=True,
        )
    if done.written is None:
        say(notice.text.rstrip("\n"))
    else:
        say(_("wrote {path}").format(path=done.written))
