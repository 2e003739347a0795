"""What a collector did when reaching a contact: a fixed vocabulary, in English and Chinese.

Each behaviour has a stable key (stored in the case, written in CSV), a name
in the interface language (``label``), and the words a person may type for it
in either language (``mark --did 辱骂``, ``--did insulted``, a ``did`` column
in ``mark --file``).  The list is fixed on purpose: a complaint counts each
behaviour, and counts need one spelling.  docs/evidence.md documents it.

:func:`suggest` proposes behaviours from pasted text (what the contacts wrote):
only proposals, each with the words that triggered it, for the user to
confirm (``mark --text … --accept``); nothing here records anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from contact_notify.errors import UsageError
from contact_notify.i18n import N_, _


@dataclass(frozen=True)
class Behaviour:
    """One behaviour: its key, its English name (translated when shown) and the words for it."""

    key: str
    label: str  # English, marked for translation: the Chinese name is its translation
    words: tuple[str, ...]  # what a person may type for it, Chinese and English


VOCABULARY: tuple[Behaviour, ...] = (
    Behaviour("disclosed-debt", N_("disclosed the debt"),
              ("透露欠款", "泄露欠款", "透露债务", "说我欠钱", "disclosed", "disclosed debt")),
    Behaviour("asked-to-pay", N_("asked the contact to pay"),
              ("要求代还", "代还", "让代还", "要求还款", "asked to pay", "pay")),
    Behaviour("insulted", N_("insulted"),
              ("辱骂", "骂人", "侮辱", "脏话", "insult", "abuse", "abused")),
    Behaviour("threatened", N_("threatened"),
              ("威胁/恐吓", "威胁恐吓", "威胁", "恐吓", "threat", "threats", "threaten")),
    Behaviour("impersonated", N_("impersonated police, a court, lawyers or officials"),
              ("冒充公检法/律师", "冒充公检法", "冒充律师", "冒充", "冒充政府", "impersonation",
               "impersonate")),
    Behaviour("forged-documents", N_("sent doctored images or fake legal letters"),
              ("P图/伪造律师函", "P图", "伪造律师函", "伪造", "假律师函", "伪造文书", "forged",
               "doctored", "fake letter")),
    Behaviour("repeated-calls", N_("called repeatedly"),
              ("频繁拨打", "频繁", "反复拨打", "电话轰炸", "轰炸", "repeated", "repeatedly",
               "frequent")),
    Behaviour("night", N_("called at night"),
              ("夜间", "夜间联系", "夜间骚扰", "半夜", "at night")),
    Behaviour("workplace", N_("contacted the workplace"),
              ("骚扰单位", "单位", "打到单位", "工作单位", "work")),
    Behaviour("mass-sms", N_("mass SMS to the contact list"),
              ("群发短信", "群发", "mass sms", "bulk sms")),
)  # fmt: skip
KEYS: tuple[str, ...] = tuple(b.key for b in VOCABULARY)
_BY_KEY = {b.key: b for b in VOCABULARY}


def _fold(text: str) -> str:
    """How typed words are compared: width folded, case ignored, ``_``/spaces/``-`` alike."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    return re.sub(r"[\s_\-]+", "-", folded)


_WORDS: dict[str, str] = {}
for _b in VOCABULARY:
    for _word in (_b.key, _b.label, *_b.words):
        _WORDS.setdefault(_fold(_word), _b.key)

# What separates several behaviours written in one value (a CSV cell, one --did).
_SEPARATORS = re.compile(r"[,;，；、]")


def label(key: str) -> str:
    """A behaviour's name in the interface language (a key we do not know, as it is)."""
    found = _BY_KEY.get(key)
    return _(found.label) if found else key


def names() -> str:
    """Every behaviour's name in the interface language, for a hint listing them."""
    return _("; ").join(f"{label(b.key)} ({b.key})" for b in VOCABULARY)


def parse(value: str) -> str:
    """The key of a behaviour typed in English or Chinese; a clear error for any other word."""
    key = _WORDS.get(_fold(value))
    if key is None:
        raise UsageError(
            _("unknown behaviour {value}").format(value=repr(value.strip())),
            hint=_("use one of: {names}").format(names=names()),
        )
    return key


def parse_all(values: Iterable[str]) -> tuple[str, ...]:
    """The keys of every behaviour in these values (each may list several: ``辱骂、威胁``).

    In the vocabulary's order, each once.
    """
    if any(not value.strip() for value in values):
        raise UsageError(
            _("an empty behaviour was given"), hint=_("use one of: {names}").format(names=names())
        )
    found = {parse(part) for value in values for part in _SEPARATORS.split(value) if part.strip()}
    return ordered(found)


def ordered(keys: Iterable[str]) -> tuple[str, ...]:
    """Keys in the vocabulary's order, each once (keys we do not know last, as they are)."""
    unique = set(keys)
    known = [k for k in KEYS if k in unique]
    return (*known, *sorted(unique - set(KEYS)))


# -- suggestions from pasted text ----------------------------------------------------------

# Words in what contacts wrote that suggest a behaviour.  Longer phrases come first in each
# alternation, so "律师函" is read as a fake legal letter and not also as a lawyer.  A match
# is only ever a proposal the user confirms: "没骂" still suggests "insulted".
_CUES: tuple[tuple[str, str], ...] = (
    ("forged-documents", r"律师函|P图|p图|PS图|伪造|假的?(?:文件|传票|公函)|通缉令|逮捕令|红头文件"
                         r"|fake (?:legal )?letters?|doctored"),
    ("impersonated", r"冒充|自称(?:是)?(?:警察|公安|法院|律师|法官|检察)|公检法|公安局?|警察|派出所"
                     r"|法院|法官|检察院|律师|网警|仲裁(?:委|庭)?"
                     r"|\b(?:police|court|lawyers?|attorney)\b"),
    ("threatened", r"威胁|恐吓|吓唬|后果自负|走着瞧|找上门|上门|起诉|立案|坐牢|拘留|抓(?:人|你)"
                   r"|弄死|砍死|\bthreat(?:en(?:ed|s)?|s)?\b|\bsue\b|lawsuit"),
    ("insulted", r"辱骂|骂|侮辱|脏话|\binsult(?:ed|s|ing)?\b|\bswore\b|\bcursed?\b"),
    ("asked-to-pay", r"代还|帮(?:他|她|你|忙)还|替(?:他|她|你)还|(?:让|叫|要)我(?:们)?(?:帮忙?|替)?还"
                     r"|垫付|\bpay (?:for|it|the)\b"),
    ("disclosed-debt", r"欠(?:钱|款|债|了|他们|网贷|贷款)|逾期|借(?:了)?(?:钱|款|网贷)不还|催收|还款"
                       r"|\bowes?\b|\bdebts?\b|\boverdue\b"),
    ("repeated-calls", r"一直打|不停(?:地|的)?打|反复打|打了(?:[2-9]|\d{2,}|好多|很多|好几|几十)[个次通遍]?"
                       r"|好几个电话|频繁|狂打|轰炸|天天打|每天(?:都)?打|\bkept calling\b"),
    ("night", r"半夜|深夜|凌晨|夜里|\bmidnight\b|\blate at night\b"),
    ("workplace", r"单位|打到(?:我们?)?公司|公司前台|人事部?|\bHR\b|\b(?:my |the )?office\b"
                  r"|\bworkplace\b"),
    ("mass-sms", r"群发|通讯录里?的?人都|都收到(?:了)?(?:短信|信息)|很多人都收到|所有人都收到"
                 r"|\bmass (?:text|sms)\b|\beveryone (?:in|on) (?:your|my) contacts\b"),
)  # fmt: skip
_CUE = re.compile(
    "|".join(f"(?P<g{n}>{pattern})" for n, (_key, pattern) in enumerate(_CUES)), re.IGNORECASE
)


@dataclass(frozen=True)
class Cue:
    """Words in pasted text that suggest a behaviour: the behaviour, the words, where."""

    behaviour: str
    words: str
    offset: int  # where the words start in the text


def cues(text: str) -> list[Cue]:
    """Every place in a text whose words suggest a behaviour, in the order they are written."""
    found = []
    for match in _CUE.finditer(text):
        group = match.lastgroup or ""
        found.append(Cue(_CUES[int(group[1:])][0], match.group(0), match.start()))
    return found
