"""Rule flags: facts in the reach records that may breach a published rule, and those rules.

A flag is derived from the records, never typed in: a reach inside the night
window, more attempts in one day from one collector number or to one contact
than the limit, a reach on which the collector disclosed the debt to the
contact (or asked the contact to pay).  Each kind of flag names the rules it
*may* breach, by their published names only; what the tool says about a rule
goes no further than docs/rules.md, which gives each one's source and how firm
it is.  No article number is cited that the project has not checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from contact_notify import i18n
from contact_notify.i18n import N_, _

# The night window and the attempts a day that the flags use unless told otherwise: the
# limits the China Banking Association's guideline is reported to set (see docs/rules.md).
DEFAULT_NIGHT = "22:00-08:00"
DEFAULT_MAX_PER_DAY = 6
# The same limits as facts: a flag cites a rule only when the fact is beyond what the rule is
# reported to allow.  With a wider window or a lower limit (--night, --max-per-day) the other
# flags are shown as facts, without a rule.
REPORTED_NIGHT = (time(22, 0), time(8, 0))
REPORTED_MAX_PER_DAY = 6


@dataclass(frozen=True)
class Rule:
    """A published rule: its name as published (cited as it is), and what it is, in words."""

    key: str
    name: str  # the published name, never translated
    about: str  # English, marked for translation


RULES: dict[str, Rule] = {
    r.key: r
    for r in (
        Rule(
            "cba-guideline",
            "中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》",
            N_("the China Banking Association's guideline on collecting personal consumer loans"),
        ),
        Rule(
            "pipl",
            "《中华人民共和国个人信息保护法》",
            N_("the Personal Information Protection Law"),
        ),
        Rule(
            "civil-code-privacy",
            "《中华人民共和国民法典》第一千零三十二条、第一千零三十三条",
            N_("the Civil Code, articles 1032 and 1033, on privacy"),
        ),
        Rule(
            "civil-code-information",
            "《中华人民共和国民法典》第一千零三十四条至第一千零三十八条",
            N_("the Civil Code, articles 1034 to 1038, on personal information"),
        ),
        Rule(
            "gb-t-45251",
            "GB/T 45251—2025《互联网金融 个人网络消费信贷 贷后催收风控指引》",
            N_("the national standard on collection after lending in online consumer credit"),
        ),
    )
}
# Cited as a related standard (its title and date are firm; its clauses were not read), never
# as the rule a flag may breach.
RELATED = ("gb-t-45251",)


@dataclass(frozen=True)
class FlagKind:
    """A kind of flag: what it means (English, translated when shown) and the rules it may breach."""

    key: str
    label: str
    rules: tuple[str, ...]


KINDS: dict[str, FlagKind] = {
    k.key: k
    for k in (
        FlagKind("night", N_("contacted at night"), ("cba-guideline", "civil-code-privacy")),
        # The guideline is reported to limit attempts *to* a number; one collector number
        # calling many people is a fact worth showing, but no rule is cited for it.
        FlagKind("per-number", N_("more attempts in a day from one number than the limit"), ()),
        FlagKind(
            "per-contact",
            N_("more attempts in a day to one contact than the limit"),
            ("cba-guideline", "civil-code-privacy"),
        ),
        FlagKind(
            "disclosed",
            N_("the debt disclosed to a third party"),
            ("cba-guideline", "pipl", "civil-code-information"),
        ),
    )
}
# The behaviours that disclose the debt to the contact: asking a contact to pay tells them too.
DISCLOSING = ("disclosed-debt", "asked-to-pay")


@dataclass(frozen=True)
class Flag:
    """One flagged fact: its kind, when, whom or which number, and the day's count."""

    kind: str
    at: str  # the reach's time (night, disclosed) or the day (per-number, per-contact)
    name: str = ""  # the contact (night, per-contact, disclosed)
    number: str = ""  # the collector number (per-number)
    count: int = 0  # attempts that day (per-number, per-contact)
    cited: bool = True  # beyond what a rule is reported to allow: its kind's rules are cited

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules this flag may breach (none when it is a fact only)."""
        return KINDS[self.kind].rules if self.cited else ()


def _in_reported_night(at: str) -> bool:
    start, end = REPORTED_NIGHT
    moment = datetime.fromisoformat(at).time()
    return moment >= start or moment < end


@dataclass(frozen=True)
class Attempt:
    """What the flags need of one reach record, in time order."""

    at: str
    contact_id: int
    name: str
    numbers: tuple[str, ...]
    behaviours: tuple[str, ...]
    night: bool


def flags(attempts: Sequence[Attempt], limit: int) -> tuple[list[Flag], list[set[str]]]:
    """Every flag of these reach records (oldest first), and the kinds that mark each record.

    A day's count is flagged once, with the day's total, when it is above
    ``limit``; the records that made it go over (the ``limit`` + 1st and later)
    are marked.  Untimed records count for their day.
    """
    found: list[Flag] = []
    marks: list[set[str]] = [set() for _attempt in attempts]
    per_number: Counter[tuple[str, str]] = Counter()
    per_contact: Counter[tuple[str, int]] = Counter()
    names: dict[int, str] = {}
    for i, a in enumerate(attempts):
        day = a.at[:10]
        if a.night:
            found.append(Flag("night", a.at, name=a.name, cited=_in_reported_night(a.at)))
            marks[i].add("night")
        if any(b in DISCLOSING for b in a.behaviours):
            found.append(Flag("disclosed", a.at, name=a.name))
            marks[i].add("disclosed")
        per_contact[day, a.contact_id] += 1
        names[a.contact_id] = a.name
        if per_contact[day, a.contact_id] > limit:
            marks[i].add("per-contact")
        for number in dict.fromkeys(a.numbers):
            per_number[day, number] += 1
            if per_number[day, number] > limit:
                marks[i].add("per-number")
    found += [
        Flag("per-number", day, number=number, count=count, cited=False)
        for (day, number), count in per_number.items()
        if count > limit
    ]
    found += [
        Flag(
            "per-contact",
            day,
            name=names[contact_id],
            count=count,
            cited=count > REPORTED_MAX_PER_DAY,
        )
        for (day, contact_id), count in per_contact.items()
        if count > limit
    ]
    found.sort(key=lambda f: (f.at[:10], list(KINDS).index(f.kind), f.at))
    return found, marks


def kind_label(kind: str) -> str:
    """A kind of flag in words, in the interface language."""
    return _(KINDS[kind].label)


def cite(key: str, lang: str | None = None) -> str:
    """A rule by its published name; in English, what it is follows in brackets.

    ``lang``: the language of the text it goes into (default: the interface's).
    """
    rule = RULES[key]
    if (lang or i18n.language()) == "zh":
        return rule.name
    return f"{rule.name} ({rule.about})"  # the English itself: this text is in English


def breaches(kind: str) -> str:
    """``may breach …``: the rules a kind of flag may breach, by their published names.

    "" for a kind that cites none.
    """
    if not KINDS[kind].rules:
        return ""
    first, *more = (cite(r) for r in KINDS[kind].rules)
    for rule in more:
        first = _("{rules}; {rule}").format(rules=first, rule=rule)
    return _("may breach {rules}").format(rules=first)
