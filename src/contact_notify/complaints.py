"""Complaint drafts from the evidence: for the industry association, regulators, the spam-call
centre, market regulation and the police.  Chinese first, English too.

The drafts state facts from the case and leave clearly marked blanks
(【待填写：…】 / [TO FILL IN: …]) for what the tool cannot know.  They cite no
law article: the user or a lawyer adds what applies.

A draft is plain text meant to be pasted into a form, so every value it
outputs (``{{ … }}``: names, notes, numbers, settings, file paths) is one line
with every control character, line break and bidi control shown as an escape
(:func:`contact_notify.textsafe.line`), applied to each value as it is written
out, like autoescaping: a name cannot clear the terminal a draft is shown in
or split its numbered list.
"""

from __future__ import annotations

from contact_notify import clock, textsafe
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


def draft(case: Case, evidence: Evidence, kind: str, lang: str = "zh") -> str:
    """Render a complaint draft from the case's settings and the evidence."""
    template = load_complaint(kind, lang)
    variables = {
        "me": Vars(
            "me",
            name=case.get_setting("sender") or "",
            contact=case.get_setting("sender-contact") or "",
        ),
        "platform": case.get_setting("platform") or "",
        "summary": evidence.summary,
        "timeline": evidence.timeline,
        "today": clock.today().isoformat(),
    }
    return render(template, variables)
