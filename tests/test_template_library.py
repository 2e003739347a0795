"""The built-in template library: complete, described, documented; its filters work."""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_notify.messages import variables
from contact_notify.model import Contact, LastReach, Phone, StoredContact
from contact_notify.render import (
    CHANNELS,
    RELATIONSHIPS,
    VARIABLES,
    builtins,
    load,
    metadata,
    render,
)

ROOT = Path(__file__).resolve().parents[1]
# The library of person-to-person messages (the pre-emptive before-* ones are tested with their kind;
# what every message says is tested in test_template_elements.py).
TEMPLATES = [t.name for t in builtins() if not t.name.startswith("before-")]


def stored(name: str, groups: list[str]) -> StoredContact:
    """A reached contact of a given name and groups."""
    contact = Contact(
        name=name, groups=groups, phones=[Phone("13800138000", "mobile", "+8613800138000")]
    )
    reach = LastReach(1, "2026-11-27T21:30:00+08:00", ("+8617012345678",))
    return StoredContact(1, contact, reach_count=1, last_reach=reach)


def test_library_is_complete() -> None:
    """The 36 templates shipped are exactly 6 relationships × SMS, WeChat, e-mail × zh, en, as offered."""
    relationships = ("family-elder", "family-peer", "friend", "colleague", "superior", "default")
    expected = {
        f"{relationship}.{channel}.{lang}"
        for relationship in relationships
        for channel in ("sms", "wechat", "email")
        for lang in ("zh", "en")
    }
    assert sorted(TEMPLATES) == sorted(expected)
    assert (set(RELATIONSHIPS), set(CHANNELS)) == (set(relationships), {"sms", "wechat", "email"})


@pytest.mark.parametrize("name", TEMPLATES)
def test_metadata_matches_the_file_name(name: str) -> None:
    """Each template declares language, channel, relationship and a description."""
    relationship, channel, lang = name.split(".")
    declared = metadata(load(name).path.read_text(encoding="utf-8"))
    assert (declared["relationship"], declared["channel"], declared["lang"]) == (
        relationship,
        channel,
        lang,
    )
    assert declared["description"]


def test_documented_variables_are_the_rendered_ones() -> None:
    """docs/templates.md documents exactly the variables templates receive."""
    values = variables(stored("王秀英", []), "小林", [])
    assert values.keys() == VARIABLES.keys()
    for namespace, attributes in VARIABLES.items():
        if attributes is not None:
            assert set(vars(values[namespace])) - {"_label"} == set(attributes)
    doc = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    for namespace, attributes in VARIABLES.items():
        for attribute in attributes or [None]:
            written = f"`{namespace}.{attribute}`" if attribute else f"`{namespace}`"
            assert written in doc or f"`{namespace}.{attribute}`," in doc, written


def test_filters(tmp_path: Path) -> None:
    """surname, given_name, mask and the date filters work inside a template."""
    path = tmp_path / "f.j2"
    path.write_text(
        "{{ contact.name | surname }}/{{ contact.name | given_name }} "
        "{{ contact.phone | mask }} {{ reach.at | date_zh }} {{ reach.at | date_en }}"
    )
    text = render(load(str(path)), variables(stored("欧阳娜娜", []), "小林", []))
    assert text == "欧阳/娜娜 138****8000 2026年11月27日 21:30 27 November 2026, 21:30\n"


def test_a_group_rule_reason_is_said_in_the_language_of_the_moment() -> None:
    """choose() words a group rule's reason in the interface language of each call (its reasons
    are kept one per group), from rules given as a list or a tuple."""
    from contact_notify import i18n
    from contact_notify.messages import choose

    contact = stored("张伟", ["同事", "朋友"])
    rules = [("朋友", "friend"), ("同事", "colleague")]
    for _round in range(2):
        with i18n.using("en"):
            assert choose(contact, rules, None) == ("friend", "group 朋友")
        with i18n.using("zh"):
            assert choose(contact, tuple(rules), None) == ("friend", "分组：朋友")
    assert choose(stored("李娜", [" 同事 "]), rules, None).template == "colleague"
