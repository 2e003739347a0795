"""The built-in template library: every template renders, says what it must, and SMS stay short."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contact_notify.messages import split_subject, variables
from contact_notify.model import Contact, Phone, Reach, StoredContact
from contact_notify.render import (
    CHANNELS,
    RELATIONSHIPS,
    VARIABLES,
    builtins,
    load,
    metadata,
    render,
)
from contact_notify.sms import count

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [t.name for t in builtins()]
SENDER = {"zh": "小林", "en": "Ming Wang"}
THREE_CHARACTER_NAME = {"zh": "王秀英", "en": "Amy"}
COLLECTORS = ["+8617012345678", "+8613312345678"]

# What every message must say, as patterns per language.
REQUIRED = {
    "zh": {
        "apology": r"对不起|抱歉|不好意思|致歉",
        "own debt": r"我(自己|个人)的(一笔)?(欠款|借款)",
        "contact owes nothing": r"(与|和|跟)(您|你)(和单位)?(均)?(无关|没(有)?(任何)?关系)",
        "need not pay": r"不欠|无需还款|不用(替我)?还",
        "need not answer": r"不用(接|回应)|不必接|无需(接听|还款或回应)|也不用接|不用接听",
        "no information": r"(别|不要|请勿)(向对方)?(透露|提供|说|告诉)",
        "may block": r"拉黑",
    },
    "en": {
        "apology": r"(?i)sorry|apolog",
        "own debt": r"(?i)my (own|personal) (debt|loan)|a loan of mine|one of my loans|my own debt",
        "contact owes nothing": r"(?i)you owe nothing|nothing to do with you|not you|does not involve you",
        "need not pay": r"(?i)(don't|do not|need not|needn't)( need to)? pay|no need to pay|owe nothing",
        "need not answer": r"(?i)(don't|do not|need not|needn't)( need to| have to)? (answer|reply|respond)|no need to pay, answer|or answer|or reply|or respond|respond",
        "no information": r"(?i)(tell them nothing|share nothing|don't (tell|share|give)|do not (respond or )?share|no information)",
        "may block": r"(?i)block",
    },
}
EVIDENCE = {"zh": r"截(个)?图|记下.*时间|记一下.*时间", "en": r"(?i)screenshot"}


def stored(name: str, groups: list[str]) -> StoredContact:
    """A reached contact of a given name and groups."""
    contact = Contact(
        name=name, groups=groups, phones=[Phone("13800138000", "mobile", "+8613800138000")]
    )
    reach = Reach(1, 1, "2026-11-27T21:30:00+08:00", ("+8617012345678",))
    return StoredContact(1, contact, reach_count=1, last_reach=reach)


def rendered(name: str, contact_name: str, collectors: list[str]) -> tuple[str, str, str]:
    """(lang, channel, text) of a built-in template rendered for one contact."""
    template = load(name)
    declared = metadata(template.path.read_text(encoding="utf-8"))
    lang, channel = declared["lang"], declared["channel"]
    text = render(template, variables(stored(contact_name, []), SENDER[lang], collectors))
    if channel == "email":
        subject, text = split_subject(name, text)
        assert subject
    return lang, channel, text


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


@pytest.mark.parametrize("name", TEMPLATES)
def test_renders_for_a_contact_of_every_relationship(name: str) -> None:
    """Each template renders for a contact from each relationship's group, with and without numbers."""
    groups = {"family-elder": ["家人"], "family-peer": ["兄弟姐妹"], "friend": ["朋友"],
              "colleague": ["同事"], "superior": ["领导"], "default": []}  # fmt: skip
    template = load(name)
    for relationship, group in groups.items():
        for collectors in ([], COLLECTORS):
            text = render(
                template, variables(stored(f"{relationship}联系人", group), "小林", collectors)
            )
            assert f"{relationship}联系人" in text


@pytest.mark.parametrize("name", TEMPLATES)
def test_says_everything_a_message_must_say(name: str) -> None:
    """Apology, own debt, owes nothing, need not pay or answer, no information, may block."""
    lang, channel, text = rendered(name, THREE_CHARACTER_NAME["zh"], [])
    for element, pattern in REQUIRED[lang].items():
        assert re.search(pattern, text), f"{name} lacks: {element}\n{text}"
    if channel != "sms":
        assert re.search(EVIDENCE[lang], text), f"{name} does not ask for evidence"


@pytest.mark.parametrize("name", TEMPLATES)
def test_lists_the_collector_numbers_when_known(name: str) -> None:
    """With recorded collector numbers, the message names them so they can be blocked."""
    _, _, text = rendered(name, "王秀英", COLLECTORS)
    assert "170 1234 5678" in text
    assert "133 1234 5678" in text


@pytest.mark.parametrize("name", [n for n in TEMPLATES if ".sms." in n])
def test_sms_templates_fit_two_parts(name: str) -> None:
    """A three-character name, a typical sender and two collector numbers fit in two SMS parts."""
    lang = name.rsplit(".", 1)[1]
    _, _, text = rendered(name, THREE_CHARACTER_NAME[lang], COLLECTORS)
    assert count(text.rstrip("\n")).parts <= 2, text


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
