"""What every person-to-person message must say, and the phrases the templates say it with.

One list per language (issue 14, item 4): for each required element, the
phrases (any one of them is enough) that the built-in templates are written
to contain.  A template that says an element in other words must add its
phrase here, where a reviewer sees it; docs/templates.md prints this list and
marks, for every built-in template, the sentence that carries each element.

The phrases are plain text, matched as they stand (English ones ignoring case).
"""

from __future__ import annotations

# Element key -> what it means, in the order a message usually says it.
MEANING = {
    "apology": "an apology",
    "own debt": "the calls are about the sender's own debt",
    "owes nothing": "the contact owes nothing",
    "need not pay": "the contact need not pay",
    "need not answer": "the contact need not answer or respond",
    "no information": "not to give out any information about the sender",
    "block": "they may block the number",
    "report in the call screen": "and report it as harassment in the phone's call screen",
    "report to 12321": "or to 12321 (the national anti-harassment and fraud reporting centre)",
    "evidence": "a request for a screenshot or the time of the call, as evidence",
}

ELEMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "apology": ("对不起", "抱歉", "不好意思", "致歉"),
        "own debt": ("我自己的欠款", "我个人的欠款"),
        "owes nothing": ("不欠", "与您无关", "和您无关", "与你无关", "和你无关", "跟你没关系"),
        "need not pay": ("不用还", "不用替我还", "无需还款"),
        "need not answer": ("不用接", "无需接听", "不用回"),
        "no information": ("别透露", "不要透露", "请勿透露"),
        "block": ("拉黑",),
        "report in the call screen": ("来电界面标记骚扰", "来电界面标记为骚扰"),
        "report to 12321": ("12321举报",),
        "evidence": ("截图", "截个图", "记下来电时间", "记下来电的时间"),
    },
    "en": {
        "apology": ("sorry", "apologies", "apology"),
        "own debt": ("my own debt", "my personal debt"),
        "owes nothing": ("you owe nothing",),
        "need not pay": ("don't pay", "need not pay", "don't need to pay", "no need to pay"),
        "need not answer": (
            "don't pay, answer",
            "need not pay, answer",
            "don't need to answer",
            "no need to pay, answer",
        ),
        "no information": (
            "tell them anything about me",
            "share anything about me",
            "don't tell them anything",
            "don't share any information",
            "do not share any information",
        ),
        "block": ("block",),
        "report in the call screen": (
            "as harassment (call screen",
            "as harassment on your phone's call screen",
        ),
        "report to 12321": ("12321",),
        "evidence": ("screenshot", "call time", "time of the call"),
    },
}


def found(lang: str, element: str, text: str) -> str | None:
    """The first phrase of an element that a text contains, or None."""
    haystack = text.lower() if lang == "en" else text
    for phrase in ELEMENTS[lang][element]:
        if (phrase.lower() if lang == "en" else phrase) in haystack:
            return phrase
    return None


def missing(lang: str, text: str) -> list[str]:
    """The required elements a text does not say, in the order of MEANING."""
    return [element for element in MEANING if found(lang, element, text) is None]
