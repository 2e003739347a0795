"""Write the rendered built-in templates into docs/templates.md (rerun after changing a template).

Usage: .venv/bin/python tests/update_template_docs.py

Between the markers below, docs/templates.md shows every built-in
person-to-person template rendered for a sample contact, and which sentence
carries each required element of tests/message_elements.py.
tests/test_template_elements.py fails when the docs differ from what this
script writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from contact_notify.render import RELATIONSHIPS, Vars, builtins, load, render
from contact_notify.sms import count
from message_elements import ELEMENTS, MEANING, found

DOC = Path(__file__).resolve().parents[1] / "docs" / "templates.md"
BEGIN = "<!-- rendered templates: begin (tests/update_template_docs.py writes this part) -->"
END = "<!-- rendered templates: end -->"

# Per relationship and language: the contact's name as stored, and its salutation.
SAMPLES = {
    "zh": {
        "family-elder": ("李建国", ""),
        "family-peer": ("姐", "姐"),
        "friend": ("小周(大学室友)", "小周"),
        "colleague": ("刘洋", "刘洋"),
        "superior": ("王总", "王总"),
        "default": ("张伟【房东】", "张伟"),
    },
    "en": {
        "family-elder": ("Mum", "Mum"),
        "family-peer": ("Anna Lin", "Anna"),
        "friend": ("Tom (gym)", "Tom"),
        "colleague": ("Emily Chen", "Emily"),
        "superior": ("Mr Chen", "Mr Chen"),
        "default": ("David Wu", "David"),
    },
}
SENDERS = {"zh": ("林小明", "小明", "微信 linxm88"), "en": ("Ming Lin", "Ming", "WeChat linxm88")}
COLLECTORS = ["165 0000 9999", "170 1234 5678", "0755 8600 1234"]


def sample_values(relationship: str, lang: str, reached: bool) -> dict[str, Any]:
    """The variables of the sample contact of a relationship (docs/templates.md lists them)."""
    name, salutation = SAMPLES[lang][relationship]
    full, short, line = SENDERS[lang]
    collectors = COLLECTORS if reached else []
    return {
        "contact": Vars(
            "contact",
            name=name,
            family="",
            given="",
            nickname="",
            salutation=salutation,
            relationship=relationship,
            org="",
            groups=[],
            phone="+8613800138000",
        ),
        "sender": Vars("sender", name=full, short=short, contact=line),
        "reach": Vars(
            "reach",
            at="2026-11-27T21:30:00+08:00" if reached else "",
            date="2026-11-27" if reached else "",
            by=collectors[0] if collectors else "",
            note="",
            count=1 if reached else 0,
        ),
        "collectors": collectors,
    }


def sentences(text: str, lang: str) -> list[str]:
    """A message cut into sentences (Chinese at 。！？, English before a capital after .!?)."""
    found_sentences: list[str] = []
    for line in text.splitlines():
        if lang == "zh":
            found_sentences += re.findall(r"[^。！？]+[。！？]?", line)
        else:
            found_sentences += re.split(r"(?<=[.!?])\s+(?=[A-Z])", line)
    return [s.strip() for s in found_sentences if s.strip()]


def carrier(text: str, lang: str, element: str) -> str:
    """The sentence that carries an element: its first phrase's first sentence ("—" when none)."""
    for phrase in ELEMENTS[lang][element]:
        for sentence in sentences(text, lang):
            if found(lang, element, sentence) == phrase:
                return sentence
    return "—"


def _broadcasts() -> list[str]:
    """The notices of ``contact-notify broadcast`` (templates/broadcast/), rendered."""
    from contact_notify.broadcast import compose

    out = [
        "### Notices for many (`contact-notify broadcast`, templates/broadcast/)",
        "",
        "Not personalised and naming nobody; their only variable is `sender` (`name`, "
        "`short`). A Moments post is signed with the full name, a family group chat "
        "(`--for family`, 家人群) with the short name, any other group with the full name.",
        "",
    ]
    for kind in ("moments", "group"):
        for lang in ("zh", "en"):
            full, short, _line = SENDERS[lang]
            notice = compose(kind, lang, full, short=short)
            limit = f", limit {notice.limit}" if notice.limit is not None else ""
            out += [
                f"#### `broadcast/{kind}.{lang}`",
                "",
                f"{notice.length} characters{limit}.",
                "",
                "```text",
                notice.text.rstrip("\n"),
                "```",
                "",
            ]
    return out


def section() -> str:
    """The generated part of docs/templates.md."""
    out = [
        BEGIN,
        "",
        "### Required elements",
        "",
        "Every person-to-person message says each of these; the phrases (any one is",
        "enough) are the ones the built-in templates are written to contain, from",
        "`tests/message_elements.py`, which the tests check every template against.",
        "",
        "| element | means | zh phrases | en phrases |",
        "| --- | --- | --- | --- |",
    ]
    for element, meaning in MEANING.items():
        zh, en = ("、".join(ELEMENTS[lang][element]) for lang in ("zh", "en"))
        en = " / ".join(f"“{phrase}”" for phrase in ELEMENTS["en"][element])
        out.append(f"| {element} | {meaning} | {zh} | {en} |")
    out += [
        "",
        "### Every built-in template, rendered",
        "",
        "Sample contacts (name as stored → salutation): "
        + "; ".join(
            f"{relationship}: {SAMPLES['zh'][relationship][0]} → "
            f"{SAMPLES['zh'][relationship][1] or '(none)'}, "
            f"{SAMPLES['en'][relationship][0]} → {SAMPLES['en'][relationship][1]}"
            for relationship in RELATIONSHIPS
        )
        + ". Sender: 林小明 (short 小明, contact line 微信 linxm88) / Ming Lin (Ming, WeChat "
        "linxm88). Collector numbers of the contact: "
        + ", ".join(COLLECTORS)
        + " (none for the before-* templates: the contact is not reached yet).",
        "",
    ]
    for template in builtins():
        relationship = template.relationship.removeprefix("before-")
        if relationship not in RELATIONSHIPS:
            continue  # broadcast texts name nobody: documented with their command
        reached = not template.relationship.startswith("before-")
        text = render(load(template.name), sample_values(relationship, template.lang, reached))
        out += [f"### `{template.name}`", ""]
        if template.channel == "sms":
            parts = count(text.rstrip("\n"))
            out += [f"{parts.units} characters ({parts.encoding}), {parts.parts} SMS part(s).", ""]
        out += [
            "```text",
            text.rstrip("\n"),
            "```",
            "",
            "| element | carried by |",
            "| --- | --- |",
        ]
        for element in MEANING:
            out.append(f"| {element} | {carrier(text, template.lang, element)} |")
        out.append("")
    out += _broadcasts()
    out.append(END)
    return "\n".join(out)


def updated(doc: str) -> str:
    """The docs with the generated part replaced (or appended when the markers are missing)."""
    if BEGIN in doc and END in doc:
        head, _begin, rest = doc.partition(BEGIN)
        _old, _end, tail = rest.partition(END)
        return head + section() + tail
    return doc.rstrip("\n") + "\n\n" + section() + "\n"


def main() -> None:
    """Rewrite docs/templates.md in place."""
    DOC.write_text(updated(DOC.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
