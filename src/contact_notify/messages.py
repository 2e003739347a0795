"""Compose the message for each reached contact: template variables, rendering, the phone to use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contact_notify.case import Case
from contact_notify.model import StoredContact, has_cjk
from contact_notify.phones import DEFAULT_REGION, display, is_mobile
from contact_notify.render import Template, Vars, render

SENDER_PLACEHOLDER = "[your name]"


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


def salutation(stored: StoredContact) -> str:
    """How the message addresses the contact: the nickname, else the name (given name in English)."""
    contact = stored.contact
    if contact.nickname:
        return contact.nickname
    if not has_cjk(contact.name) and contact.given:
        return contact.given
    return stored.name


def variables(
    stored: StoredContact, sender: str, collectors: list[str], region: str = DEFAULT_REGION
) -> dict[str, Any]:
    """The documented template variables for one contact (see docs/templates.md).

    Numbers are written the way people of the case's region write them
    (``170 1234 5678`` at home, ``+852 9123 4567`` abroad).
    """
    contact = stored.contact
    phone = stored.best_phone(is_mobile)
    reach = stored.last_reach
    return {
        "contact": Vars(
            "contact",
            name=stored.name,
            family=contact.family,
            given=contact.given,
            nickname=contact.nickname,
            salutation=salutation(stored),
            org=contact.org,
            groups=list(contact.groups),
            phone=(phone.e164 or phone.raw) if phone else "",
        ),
        "sender": Vars("sender", name=sender),
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


def compose(case: Case, template: Template, sender: str, limit: int | None = None) -> list[Message]:
    """Render the message for each reached contact, most recently reached first."""
    reached = case.reached_contacts()
    if limit is not None:
        reached = reached[:limit]
    collectors = case.collector_numbers()
    region = case.get_setting("region") or DEFAULT_REGION
    messages = []
    for stored in reached:
        phone = stored.best_phone(is_mobile)
        body = render(template, variables(stored, sender, collectors, region))
        messages.append(
            Message(
                contact_id=stored.id,
                reach_id=stored.last_reach.id if stored.last_reach else None,
                name=stored.name,
                phone=(phone.e164 or phone.raw) if phone else "",
                phone_valid=bool(phone and phone.valid),
                body=body,
                template=template.name,
            )
        )
    return messages
