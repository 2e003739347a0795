"""A warning before the call: a pre-emptive message for contacts not reached yet but likely to be.

``preview --unreached`` / ``export --unreached`` render, for each contact not
reached yet, the ``before-RELATIONSHIP`` template of the relationship
:func:`contact_notify.messages.choose` gives them ("如果有人打电话说我欠钱，那是
我自己的欠款…").  Who is warned: the contacts whose relationship is family or
superior (:data:`LIKELY`), or, with ``--in GROUP``, the contacts in those
groups; ``--template`` names one text for everyone (a relationship means its
``before-`` version).  The messages are the :class:`~contact_notify.messages.Message`
objects :func:`~contact_notify.messages.compose` returns, with no reach
(``reach_id`` None), so export and the send log treat them like any other:
once sent, the contact is left out (unless ``--all``); a reach recorded later
makes them pending for the follow-up apology (:func:`store.sendlog.answers_reach`).

``collectors`` in a pre-emptive message are the numbers known to have called
anyone in the case (most frequent first): the ones worth blocking in advance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from contact_notify.errors import NothingToDo, UsageError
from contact_notify.i18n import N_, _
from contact_notify.messages import (
    Choice,
    Message,
    choose,
    compose,
    make_message,
    render_message,
    send_to,
    variables,
)
from contact_notify.model import StoredContact, name_key
from contact_notify.phones import DEFAULT_REGION
from contact_notify.relationships import Lexicon
from contact_notify.render import RELATIONSHIPS, Template, load, relationship_of
from contact_notify.store import Case

PREFIX = "before-"
# The relationships warned by default: those collectors call first.
LIKELY = ("family-elder", "family-peer", "superior")
NOBODY_TO_WARN = N_(
    "nobody to warn: no contact who is not reached yet is family, a superior or in the "
    "groups given, or all of them were already sent a message (see --in, --all)"
)


def relationship(choice: Choice) -> str:
    """The relationship a contact's choice means; "default" for a file or anything else."""
    found = relationship_of(choice.template)
    return found if found in RELATIONSHIPS else "default"


def forced_relationship(template: str) -> str | None:
    """The relationship a ``--template`` value names (``superior``, ``before-superior.sms.zh``).

    None for a file: each contact keeps their own relationship.
    """
    found = relationship_of(template.removeprefix(PREFIX))
    return found if found in RELATIONSHIPS else None


def template_name(value: str, channel: str, lang: str) -> str:
    """The pre-emptive template a value means.

    A relationship (``superior``) or a built-in of the library
    (``superior.email.zh``) means its ``before-`` version in this channel and
    language; ``before-superior`` is completed the same way; anything else
    (``before-superior.sms.en``, a path) is as it is.
    """
    found = relationship_of(value)
    if found in RELATIONSHIPS:
        return f"{PREFIX}{found}.{channel}.{lang}"
    if value.startswith(PREFIX) and value.removeprefix(PREFIX) in RELATIONSHIPS:
        return f"{value}.{channel}.{lang}"
    return value


def chosen(
    case: Case, groups: Sequence[str], include_sent: bool, lexicon: Lexicon
) -> list[tuple[StoredContact, Choice]]:
    """The contacts to warn, with their choice, family first, then by name.

    Contacts not reached yet, not yet sent a message (unless ``include_sent``),
    in one of ``groups`` when given, else of a :data:`LIKELY` relationship.
    A group that no contact is in is an error (a typo would warn nobody).
    """
    rules = case.rules()
    wanted = {name_key(g): g for g in groups if g.strip()}
    if wanted:
        known = {name_key(g) for s in case.contacts() for g in s.contact.groups}
        unknown = [g for key, g in wanted.items() if key not in known]
        if unknown:
            raise UsageError(
                _("no contact is in the group {group}").format(group=unknown[0]),
                hint=_("see the groups with: contact-notify contacts"),
            )
    found = []
    for stored in case.contacts(reached=False):
        if stored.sent and not include_sent:
            continue
        choice = choose(stored, rules, None, lexicon)
        if wanted:
            if not any(name_key(g) in wanted for g in stored.contact.groups):
                continue
        elif relationship(choice) not in LIKELY:
            continue
        found.append((stored, choice))
    found.sort(key=lambda pair: RELATIONSHIPS.index(relationship(pair[1])))  # stable: by name
    return found


def compose_before(
    case: Case,
    sender: str,
    *,
    template: str | None = None,
    lang: str = "zh",
    channel: str = "sms",
    limit: int | None = None,
    include_sent: bool = False,
    groups: Sequence[str] = (),
    sender_short: str | None = None,
) -> list[Message]:
    """Render the pre-emptive message for each contact to warn (see :func:`chosen`).

    The same arguments and result as :func:`contact_notify.messages.compose`,
    plus ``groups``.
    """
    region = case.get_setting("region") or DEFAULT_REGION
    sender_contact = case.get_setting("sender-contact") or ""
    if sender_short is None:
        sender_short = case.get_setting("sender-short") or ""
    lexicon = Lexicon.from_rules(case.rules())
    loaded: dict[str, Template] = {}
    if template:  # fail on a wrong --template even when nobody is to be warned
        loaded[template] = load(template_name(template, channel, lang), lang, channel)
    people = chosen(case, groups, include_sent, lexicon)
    if limit is not None:
        people = people[:limit]
    collectors = case.collector_numbers() if people else []
    messages = []
    forced = forced_relationship(template) if template else None
    for stored, choice in people:
        rel = forced or relationship(choice)
        key = template or rel
        if template:
            choice = Choice(template, "--template")
        if key not in loaded:
            loaded[key] = load(template_name(key, channel, lang), lang, channel)
        phone = send_to(stored)
        values = variables(
            stored, sender, collectors, region, sender_contact,
            sender_short=sender_short, relationship=rel, lexicon=lexicon, phone=phone,
        )  # fmt: skip
        rendered = render_message(loaded[key], values, channel)
        messages.append(
            make_message(
                stored, values, rendered, template=loaded[key].name, channel=channel,
                reason=choice.reason, relationship=rel, reach_id=None, lexicon=lexicon,
                phone=phone,
            )
        )  # fmt: skip
    return messages


def composer(unreached: bool, groups: Sequence[str] = ()) -> Callable[..., list[Message]]:
    """What ``preview`` and ``export`` call to build their messages.

    :func:`contact_notify.messages.compose` (reached contacts), or with
    ``unreached`` :func:`compose_before` for ``groups``; both take the same
    arguments.  ``--in`` without ``--unreached`` is a usage error.
    """
    if unreached:
        return partial(compose_before, groups=tuple(groups))
    if any(g.strip() for g in groups):
        raise UsageError(
            _("--in chooses among the contacts not reached yet; add --unreached"),
            hint=_("for example: contact-notify preview --unreached --in 家人"),
        )
    return compose


def nothing_to_export() -> NothingToDo:
    """The error of ``export --unreached`` when nobody is to be warned; nothing was written."""
    return NothingToDo(
        _("{reason}; nothing was written").format(reason=_(NOBODY_TO_WARN)),
        hint=_("warn everyone in a group: --in 家人 (the groups are in contact-notify contacts)"),
    )
