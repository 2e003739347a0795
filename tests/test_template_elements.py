"""Every built-in person-to-person template, rendered for real names, says what it must and no more.

The variables are built here by hand, to the contract of docs/templates.md
(the salutation each name gets is written in the table, not computed by the
code under test), and rendered through contact_notify.render, so the sandbox
and strict undefined variables apply as in a real preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from contact_notify.render import RELATIONSHIPS, Vars, builtins, load, render
from contact_notify.sms import count
from message_elements import ELEMENTS, MEANING, found, missing
from update_template_docs import DOC, section

SMS_LIMIT = 2
# Person-to-person templates: the 36 of the library, and the pre-emptive before-* ones
# when present. broadcast.* name nobody and have their own elements.
TEMPLATES = sorted(
    (t.name, t.relationship.removeprefix("before-"), t.channel, t.lang)
    for t in builtins()
    if t.relationship.removeprefix("before-") in RELATIONSHIPS
)
FAMILY_AND_FRIENDS = {"family-elder", "family-peer", "friend"}
SENDER = {  # full name, the short name family and friends know, the e-mail contact line
    "zh": ("林小明", "小明", "微信 linxm88"),
    "en": ("Ming Lin", "Ming", "WeChat linxm88"),
}
COLLECTORS = ["170 1234 5678", "133 1234 5678", "0755 8600 1234"]


@dataclass(frozen=True)
class Person:
    """A contact's name as stored, and the salutation the contract gives it, by hand."""

    name: str
    elder: str  # salutation when the contact is a family-elder ("" = a plain personal name)
    other: str  # salutation for any other relationship
    hidden: tuple[str, ...] = ()  # what must never reach the message (notes in brackets)

    def salutation(self, relationship: str) -> str:
        """The salutation for the relationship whose template is rendered."""
        return self.elder if relationship == "family-elder" else self.other


PEOPLE = [
    Person("伟", "", "伟"),
    Person("李娜", "", "李娜"),
    Person("李建国", "", "李建国"),
    Person("欧阳秀英", "", "欧阳秀英"),
    Person("老妈", "老妈", "老妈"),
    Person("舅舅", "舅舅", "舅舅"),
    Person("爸爸", "爸爸", "爸爸"),
    Person("姐", "姐", "姐"),
    Person("王总", "王总", "王总"),
    Person("李经理", "李经理", "李经理"),
    Person("张老师", "张老师", "张老师"),
    Person("小周(大学室友)", "小周", "小周", ("大学室友", "(大学")),
    Person("张伟【房东】", "", "张伟", ("房东", "【房")),
    Person("王秀英（邻居阿姨）", "", "王秀英", ("邻居阿姨", "（邻居")),
    Person("Margaret Lee", "", "Margaret"),
    Person("Tom (gym)", "Tom", "Tom", ("gym",)),
    Person("Mum", "Mum", "Mum"),
]
# Names whose plain personal part no family-elder message may contain.
PLAIN = {p.name: p.name.split("(")[0].split("【")[0].split("（")[0] for p in PEOPLE if not p.elder}


def values(
    person: Person,
    relationship: str,
    lang: str,
    collectors: list[str],
    sender: tuple[str, str, str],
) -> dict[str, Any]:
    """The template variables of the contract for one person, built by hand."""
    name, short, line = sender
    return {
        "contact": Vars(
            "contact",
            name=person.name,
            family="",
            given="",
            nickname="",
            salutation=person.salutation(relationship),
            relationship=relationship,
            org="",
            groups=[],
            phone="+8613800138000",
        ),
        "sender": Vars("sender", name=name, short=short, contact=line),
        "reach": Vars(
            "reach",
            at="2026-11-27T21:30:00+08:00",
            date="2026-11-27",
            by=collectors[0] if collectors else "",
            note="",
            count=1,
        ),
        "collectors": collectors,
    }


def rendered(name: str, vals: dict[str, Any]) -> str:
    """A template's text for the variables (an e-mail's Subject line included)."""
    return render(load(name), vals)


def artefacts(text: str) -> list[str]:
    """Traces of a template gone wrong: empty values, doubled punctuation, stray spaces."""
    marks = ["  ", "None", "()", "（）", "，，", "，。", " ,", " .", "{{", "{%", "\n，", "\n,"]
    found_marks = [mark for mark in marks if mark in text]
    found_marks += [
        f"line starts with {line[:1]!r}"
        for line in text.splitlines()
        if line[:1] and line[0] in "，,。. "
    ]
    found_marks += [
        f"line ends with a space: {line!r}" for line in text.splitlines() if line.endswith(" ")
    ]
    return found_marks


CASES = [(t, p) for t in TEMPLATES for p in PEOPLE]


@pytest.mark.parametrize(("template", "person"), CASES, ids=[f"{t[0]}-{p.name}" for t, p in CASES])
def test_every_element_for_every_name(template: tuple[str, str, str, str], person: Person) -> None:
    """For every kind of name and any number of collectors, every required element is said and nothing leaks."""
    name, relationship, _channel, lang = template
    for collectors in ([], COLLECTORS[:1], COLLECTORS):
        text = rendered(name, values(person, relationship, lang, collectors, SENDER[lang]))
        assert missing(lang, text) == [], f"{name} for {person.name}:\n{text}"
        assert artefacts(text) == [], f"{name} for {person.name}:\n{text}"
        for note in person.hidden:
            assert note not in text, f"{name} shows the note {note!r}:\n{text}"
        if relationship == "family-elder" and person.name in PLAIN:
            assert PLAIN[person.name] not in text, f"{name} names an elder:\n{text}"
        salutation = person.salutation(relationship)
        if salutation:  # the greeting: the first paragraph, or the second after a Subject line
            assert any(salutation in part for part in text.split("\n\n")[:2]), text


@pytest.mark.parametrize("template", TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_an_elder_without_salutation_is_greeted_without_a_name(
    template: tuple[str, str, str, str],
) -> None:
    """With an empty salutation the greeting is a plain hello, not a gap before a comma."""
    name, _relationship, channel, lang = template
    text = rendered(name, values(PEOPLE[2], "family-elder", lang, COLLECTORS, SENDER[lang]))
    greeting = text.split("\n\n")[1 if channel == "email" else 0]
    assert greeting.startswith(("您好", "你好", "Hi", "Hello")), greeting
    assert "李建国" not in text


@pytest.mark.parametrize("template", TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_the_sender_as_the_relationship_knows_them(template: tuple[str, str, str, str]) -> None:
    """Family and friends see the short name, others the full name; only e-mail gives the contact line."""
    name, relationship, channel, lang = template
    full, short, line = SENDER[lang]
    text = rendered(name, values(PEOPLE[4], relationship, lang, COLLECTORS, SENDER[lang]))
    if relationship in FAMILY_AND_FRIENDS:
        assert full not in text, text
        assert short in text, text
    else:
        assert full in text, text
    assert (line in text) == (channel == "email"), text


# The pre-emptive before-* templates go to contacts not reached yet: no numbers to name.
REACHED = [t for t in TEMPLATES if not t[0].startswith("before-")]


@pytest.mark.parametrize("template", REACHED, ids=[t[0] for t in REACHED])
def test_this_contacts_collector_numbers(template: tuple[str, str, str, str]) -> None:
    """The contact's own numbers are named (SMS: the first two, then 'and others'); none known: the number that called."""
    name, relationship, channel, lang = template
    person = PEOPLE[4]
    one = rendered(name, values(person, relationship, lang, COLLECTORS[:1], SENDER[lang]))
    assert COLLECTORS[0] in one
    assert "等号码" not in one
    assert "etc." not in one
    three = rendered(name, values(person, relationship, lang, COLLECTORS, SENDER[lang]))
    assert COLLECTORS[0] in three
    assert COLLECTORS[1] in three
    if channel == "sms":
        assert COLLECTORS[2] not in three
        assert ("等号码" if lang == "zh" else "etc.") in three
    else:
        assert COLLECTORS[2] in three
    none = rendered(name, values(person, relationship, lang, [], SENDER[lang]))
    assert ("来电号码" if lang == "zh" else "the number that called") in none
    assert not any(number in none for number in COLLECTORS)


# The longest SMS the contract promises to fit: a 4-character salutation, a 3-character
# name (zh) or a typical one (en) for both full and short name, two numbers and "and others".
LONGEST = {
    "zh": (Person("欧阳娜娜", "欧阳娜娜", "欧阳娜娜"), ("林小明", "林小明", "")),
    "en": (Person("Anne", "Anne", "Anne"), ("Ming Lin", "Ming Lin", "")),
}
SMS = [t for t in TEMPLATES if t[2] == "sms"]


@pytest.mark.parametrize("template", SMS, ids=[t[0] for t in SMS])
def test_sms_fit_two_parts(template: tuple[str, str, str, str]) -> None:
    """The longest promised SMS, and the SMS of every name of the table in its script, fit 2 parts."""
    name, relationship, _channel, lang = template
    person, sender = LONGEST[lang]
    text = rendered(name, values(person, relationship, lang, COLLECTORS, sender))
    assert count(text.rstrip("\n")).parts <= SMS_LIMIT, f"{count(text).units}: {text}"
    for other in PEOPLE:  # the promise holds for salutations of up to 4 characters
        if other.name.isascii() == (lang == "en") and len(other.salutation(relationship)) <= 4:
            text = rendered(name, values(other, relationship, lang, COLLECTORS, SENDER[lang]))
            assert count(text.rstrip("\n")).parts <= SMS_LIMIT, text


def test_the_element_list_covers_both_languages() -> None:
    """The documented list names every element in both languages, and finds them in real text only."""
    for lang in ("zh", "en"):
        assert tuple(MEANING) == tuple(ELEMENTS[lang])
    assert found("zh", "block", "可以直接拉黑") == "拉黑"
    assert missing("en", "Hello, this is Ming.") == list(MEANING)


def test_the_docs_show_every_template_as_it_renders() -> None:
    """docs/templates.md holds the rendered texts and element list that tests/update_template_docs.py writes."""
    written = DOC.read_text(encoding="utf-8")
    assert section() in written, "docs/templates.md is stale: run tests/update_template_docs.py"
    for template in TEMPLATES:
        assert f"### `{template[0]}`" in written
