"""Compose the message for each reached contact: template choice, variables, rendering, length.

The template for a contact is, in this order: ``--template`` when given; the
contact's own choice (``contact-notify contact TARGET --template …``); the
first rule (``contact-notify rules``) whose group the contact is in; else
``default``.  A rule or choice names a relationship (``colleague``), a
built-in template or a file; a relationship picks the channel and language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contact_notify.errors import TemplateError
from contact_notify.i18n import _
from contact_notify.model import Phone, StoredContact, has_cjk, name_key
from contact_notify.phones import DEFAULT_REGION, display, is_mobile
from contact_notify.render import Template, Vars, load, relationship_of, render
from contact_notify.sms import Segments, count
from contact_notify.store import Case

# In a preview without a sender: a gap in the message's own language, plain to see.
SENDER_PLACEHOLDERS = {"zh": "〔您的名字〕", "en": "[your name]"}
SENDER_PLACEHOLDER = SENDER_PLACEHOLDERS["en"]
DEFAULT_SMS_LIMIT = 2
_SUBJECT = "Subject:"


@dataclass(frozen=True)
class Choice:
    """Which template a contact gets, and why."""

    template: str
    reason: str


@dataclass(frozen=True)
class Message:
    """One rendered message for one reached contact."""

    contact_id: int
    reach_id: int | None
    name: str
    phone: str
    phone_valid: bool
    body: str
    template: str
    channel: str = "sms"
    reason: str = ""
    subject: str = ""
    segments: Segments | None = None
    email: str = ""
    mobile: bool = False  # the phone is a valid mobile number: it can take an SMS


def send_to(stored: StoredContact) -> Phone | None:
    """The number a message goes to: the one the collector reached, when it is a mobile;
    else the contact's first mobile, else the first valid number, else the first."""
    reached = stored.last_reach.contact_number if stored.last_reach else ""
    if reached and is_mobile(reached):
        for phone in stored.contact.phones:
            if phone.e164 == reached:
                return phone
    return stored.best_phone(is_mobile)


def salutation(stored: StoredContact) -> str:
    """How the message addresses the contact.

    The user's own choice for this contact; else the nickname; else, for a
    Latin-script name, the given name; else the full name.
    """
    contact = stored.contact
    if stored.salutation:
        return stored.salutation
    if contact.nickname:
        return contact.nickname
    if not has_cjk(contact.name) and contact.given:
        return contact.given
    return stored.name


def choose(stored: StoredContact, rules: list[tuple[str, str]], forced: str | None) -> Choice:
    """The template a contact gets and the reason, as ``preview`` and ``export`` report it."""
    if forced:
        return Choice(forced, "--template")
    if stored.template:
        return Choice(stored.template, _("chosen for this contact"))
    groups = {name_key(g): g for g in stored.contact.groups}
    for group, template in rules:
        if name_key(group) in groups:
            return Choice(template, _("group {group}").format(group=groups[name_key(group)]))
    return Choice("default", _("no rule for the contact's groups"))


def variables(
    stored: StoredContact,
    sender: str,
    collectors: list[str],
    region: str = DEFAULT_REGION,
    sender_contact: str = "",
) -> dict[str, Any]:
    """The documented template variables for one contact (see docs/templates.md).

    Numbers are written the way people of the case's region write them
    (``170 1234 5678`` at home, ``+852 9123 4567`` abroad).
    """
    contact = stored.contact
    phone = send_to(stored)
    reach = stored.last_reach
    values: dict[str, Any] = {
        "contact": Vars(
            "contact",
            name=stored.name,
            family=contact.family,
            given=contact.given,
            nickname=contact.nickname,
            salutation=salutation(stored),
            org=contact.org,
            groups=list(contact.groups),
            phone=phone.number if phone else "",
        ),
        "sender": Vars("sender", name=sender, contact=sender_contact),
        "reach": Vars(
            "reach",
            at=reach.at if reach else "",
            date=reach.at[:10] if reach else "",
            by=display(reach.by, region) if reach and reach.by else "",
            note=reach.note if reach else "",
            count=stored.reach_count,
        ),
        "collectors": [display(n, region) for n in collectors],
    }
    return values


def split_subject(template: str, text: str) -> tuple[str, str]:
    """An e-mail template's rendered text: the ``Subject:`` first line, then the body."""
    first, _newline, rest = text.partition("\n")
    if not first.startswith(_SUBJECT):
        raise TemplateError(
            _("template {name}: an e-mail template must start with a '{subject} …' line").format(
                name=template, subject=_SUBJECT
            )
        )
    return first.removeprefix(_SUBJECT).strip(), rest.lstrip("\n")


def render_message(
    template: Template, values: dict[str, Any], channel: str
) -> tuple[str, str, Segments | None]:
    """A template rendered for a channel: the subject (e-mail), the text, and its SMS parts (sms)."""
    text = render(template, values)
    subject = ""
    if channel == "email":
        subject, text = split_subject(template.name, text)
    return subject, text, count(text.rstrip("\n")) if channel == "sms" else None


def compose(
    case: Case,
    sender: str,
    *,
    template: str | None = None,
    lang: str = "zh",
    channel: str = "sms",
    limit: int | None = None,
    include_sent: bool = False,
) -> list[Message]:
    """Render the message for each reached contact, most recently reached first.

    Contacts already sent a message for their latest reach are left out
    unless ``include_sent``: nobody gets the same apology twice.
    """
    reached = [s for s in case.reached_contacts() if include_sent or not s.sent]
    if limit is not None:
        reached = reached[:limit]
    collectors = case.collector_numbers()
    region = case.get_setting("region") or DEFAULT_REGION
    sender_contact = case.get_setting("sender-contact") or ""
    rules = case.rules()
    loaded: dict[str, Template] = {}
    if template:  # fail on a wrong --template even when nobody is reached yet
        loaded[template] = load(template, lang, channel)
    messages = []
    for stored in reached:
        choice = choose(stored, rules, template)
        if choice.reason != "--template":
            # A rule or choice naming one built-in (colleague.email.zh) means its relationship:
            # the message follows --channel and --lang, never an e-mail text in an SMS.
            choice = Choice(relationship_of(choice.template), choice.reason)
        if choice.template not in loaded:
            loaded[choice.template] = load(choice.template, lang, channel)
        chosen = loaded[choice.template]
        values = variables(stored, sender, collectors, region, sender_contact)
        subject, text, segments = render_message(chosen, values, channel)
        phone = send_to(stored)
        messages.append(
            Message(
                contact_id=stored.id,
                reach_id=stored.last_reach.id if stored.last_reach else None,
                name=stored.name,
                phone=phone.number if phone else "",
                phone_valid=bool(phone and phone.valid),
                mobile=bool(phone and phone.e164 and is_mobile(phone.e164)),
                body=text,
                template=chosen.name,
                channel=channel,
                reason=choice.reason,
                subject=subject,
                segments=segments,
                email=stored.contact.emails[0] if stored.contact.emails else "",
            )
        )
    return messages


def sms_limit(case: Case) -> int:
    """The number of SMS parts above which a message is too long (``config sms-limit``)."""
    value = case.get_setting("sms-limit")
    return int(value) if value and value.isdigit() else DEFAULT_SMS_LIMIT


def too_long(messages: list[Message], limit: int) -> list[Message]:
    """The SMS messages that take more parts than the limit."""
    return [m for m in messages if m.segments is not None and m.segments.parts > limit]


def refuse_long(messages: list[Message], limit: int) -> None:
    """``export --strict``: refuse when messages are over the SMS part limit."""
    if messages:
        raise TemplateError(
            _("{count} message(s) take more than {limit} SMS parts; nothing was written").format(
                count=len(messages), limit=limit
            ),
            hint=_(
                "shorten the template, raise the limit (contact-notify config sms-limit 3) "
                "or leave out --strict"
            ),
            details=tuple(
                _("warning: the message to {name} takes {parts} SMS parts (limit {limit})").format(
                    name=m.name, parts=m.segments.parts, limit=limit
                )
                for m in messages
                if m.segments is not None
            ),
        )
