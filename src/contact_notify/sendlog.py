"""The send log: recording that messages went out, so nobody gets the same apology twice."""

from __future__ import annotations

from pathlib import Path

from contact_notify.errors import InputDataError, UsageError
from contact_notify.i18n import _
from contact_notify.marking import resolve_one
from contact_notify.reach_input import Target
from contact_notify.store import Case

# How a message can have gone out (sent --channel).
SEND_CHANNELS = ("sms", "wechat", "email", "call", "visit", "other")


def record_sent(
    case: Case,
    targets: list[str],
    exported: Path | None,
    *,
    channel: str,
    when: str,
    region: str,
) -> list[str]:
    """Mark the named contacts, and everyone in an export, as sent; return their names.

    The caller holds the transaction: a target that matches nobody, a contact
    never reached or an unknown export is an error and nothing is recorded.
    """
    if not targets and exported is None:
        raise UsageError(_("say who was sent a message: names or numbers, or --exported FILE"))
    if channel not in SEND_CHANNELS:
        raise UsageError(
            _("unknown channel {channel}").format(channel=repr(channel)),
            hint=_("use one of: {choices}").format(choices=", ".join(SEND_CHANNELS)),
        )
    done: list[str] = []
    for text in targets:
        contact_id = resolve_one(case, Target(text), region, "sent")
        name = case.contact_name(contact_id)
        if not case.mark_sent(contact_id, channel, when):
            raise InputDataError(
                _("{name} was never marked as reached; nothing to answer").format(name=name),
                hint=_("mark them first: contact-notify mark {target}").format(target=text),
            )
        done.append(name)
    if exported is not None:
        path = str(exported.resolve())
        inside = [e for e in case.exports() if e == path or e.startswith(path.rstrip("/") + "/")]
        if not inside:
            hint = _("give the file or folder that contact-notify export wrote")
            if exported.suffix.lower() == ".vcf":
                hint = _(
                    "a vCard export holds contacts, not messages; name them: "
                    "contact-notify sent NAME…"
                )
            raise InputDataError(
                _("no messages were exported to {path}").format(path=exported), hint=hint
            )
        for item in inside:
            done += [case.contact_name(i) for i in case.mark_exported_sent(item, when)]
    return done
