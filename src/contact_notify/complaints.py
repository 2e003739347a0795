"""Complaint drafts from the evidence: for the industry association, regulators, the spam-call
centre, market regulation and the police.  Chinese first, English too.

A draft opens with a note to the user, outside the letter and separated from
it by a rule line: where the complaint is submitted and what to attach (the
evidence bundle, ``contact-notify evidence evidence.zip``).  The letter states
the facts of the case: the dates, the contacts reached, the collector numbers
with their counts, what the collectors did (the behaviours recorded), the rule
flags with their dates, each with the rules it *may* breach by their published
names (rules.cite), the related standard to consult, the timeline and the
evidence files.  Clearly marked blanks (【待填写：…】 / [TO FILL IN: …]) are
left only for what the tool cannot know.  docs/rules.md gives each rule's
source and how firm it is; a draft says no more about a rule than that.

A draft is plain text meant to be pasted into a form, so every value it
outputs (``{{ … }}``: names, notes, numbers, settings, file paths) is one line
with every control character, line break and bidi control shown as an escape
(:func:`contact_notify.textsafe.line`), applied to each value as it is written
out, like autoescaping: a name cannot clear the terminal a draft is shown in
or split its numbered list.
"""

from __future__ import annotations

from typing import Any

from contact_notify import behaviours, clock, i18n, rules, textsafe
from contact_notify.errors import UsageError
from contact_notify.evidence import Evidence
from contact_notify.i18n import _
from contact_notify.render import (
    SUFFIX,
    Template,
    Vars,
    builtin_dir,
    check_language,
    compile_file,
    render,
)
from contact_notify.store import Case

KINDS = {
    "nifa": "中国互联网金融协会 (China Internet Finance Association)",
    "12378": "国家金融监督管理总局 12378 消费者投诉热线 (financial regulator's consumer hotline)",
    "12321": "12321 网络不良与垃圾信息举报受理中心 (spam call and SMS report centre)",
    "12315": "12315 市场监督管理 (market regulation)",
    "police": "派出所 报警材料 (a police report)",
}

# The command that makes the evidence bundle a draft's note says to attach.
BUNDLE_COMMAND = "contact-notify evidence evidence.zip"


def load_complaint(kind: str, lang: str) -> Template:
    """The built-in draft for a kind of complaint in a language."""
    if kind not in KINDS:
        raise UsageError(
            _("unknown complaint kind {kind}").format(kind=repr(kind)),
            hint=_("use --to {kinds}").format(kinds=_(", ").join(KINDS)),
        )
    check_language(lang)
    return compile_file(
        f"complaint {kind}.{lang}",
        builtin_dir() / "complaints" / f"{kind}.{lang}{SUFFIX}",
        each_value=textsafe.line,
    )


def variables(
    evidence: Evidence,
    lang: str,
    *,
    name: str = "",
    contact: str = "",
    platform: str = "",
    today: str = "",
) -> dict[str, Any]:
    """What a draft in ``lang`` is rendered from: the user's details and the evidence.

    Words that come from the catalog (behaviours, kinds of flag) are in the
    draft's language, whatever the interface speaks; rules are cited by their
    published names (:func:`contact_notify.rules.cite`).

    - ``did``: (behaviour, reaches) for each behaviour recorded, vocabulary order;
    - ``behaviour``: each behaviour key of the timeline → its name, for the timeline's lines;
    - ``flagged``: each kind of flag found, in rules.KINDS order: ``kind``, ``label``,
      ``count``, ``cited`` (how many of them are beyond what a rule is reported to allow),
      ``rules`` (the citations of the rules those may breach; empty when none does) and
      ``flags`` (rules.Flag, oldest first: ``at``, ``name``, ``number``, ``count``, ``cited``);
    - ``related``: the related standard, cited (never as what a flag may breach);
    - ``bundle``: the command that makes the evidence bundle.
    """
    s = evidence.summary
    keys = behaviours.ordered(
        [*behaviours.KEYS, *(k for e in evidence.timeline for k in e.behaviours)]
    )
    with i18n.using(lang):
        names = {key: behaviours.label(key) for key in keys}
        kinds = {kind: rules.kind_label(kind) for kind in rules.KINDS}
    by_kind = {kind: [f for f in evidence.flags if f.kind == kind] for kind in rules.KINDS}
    flagged = [
        Vars(
            "flagged",
            kind=kind,
            label=kinds[kind],
            count=len(found),
            cited=sum(f.cited for f in found),
            rules=[rules.cite(key, lang) for key in rules.KINDS[kind].rules]
            if any(f.cited for f in found)
            else [],
            flags=found,
        )
        for kind, found in by_kind.items()
        if found
    ]
    return {
        "me": Vars("me", name=name, contact=contact),
        "platform": platform,
        "summary": s,
        "timeline": evidence.timeline,
        "today": today,
        "did": [(names[key], count) for key, count in s.behaviours],
        "behaviour": names,
        "flagged": flagged,
        "related": [rules.cite(key, lang) for key in rules.RELATED],
        "bundle": BUNDLE_COMMAND,
    }


def draft(case: Case, evidence: Evidence, kind: str, lang: str = "zh") -> str:
    """Render a complaint draft from the case's settings and the evidence."""
    template = load_complaint(kind, lang)
    return render(
        template,
        variables(
            evidence,
            lang,
            name=case.get_setting("sender") or "",
            contact=case.get_setting("sender-contact") or "",
            platform=case.get_setting("platform") or "",
            today=clock.today().isoformat(),
        ),
    )
