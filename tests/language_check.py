"""Is a text in one language? Shared by the tests of the Chinese and English interfaces.

:func:`english_phrases` finds English left in Chinese output: two or more
English words in a row, once what may stay Latin is taken out (command and
option names, file paths, numbers, option values, metavars, the product name
and the names of formats and products).  :func:`chinese_runs` finds Chinese
in English output.
"""

from __future__ import annotations

import re

# Words that stay as they are in any language: commands, values typed on the
# command line, formats, products.  Compared case-insensitively.
KEPT = {
    # the product, its commands and subcommands
    "contact-notify", "import", "inspect", "contacts", "contact", "mark", "unmark", "history",
    "attach", "collectors", "preview", "export", "sent", "templates", "rules", "evidence",
    "complaint", "status", "config", "doctor", "backup", "wipe", "demo", "list", "show", "copy",
    "check", "set", "remove", "get", "sender", "sender-contact", "sender-short", "platform",
    "region", "night",
    # values typed on the command line
    "sms", "wechat", "email", "e-mail", "call", "visit", "other", "table", "csv", "json", "md",
    "html", "vcf", "eml", "zh", "en", "national", "e164", "digits", "nifa", "police", "yes",
    "no", "y", "n", "id", "all", "auto", "true", "false", "on", "off",
    # formats, encodings, products, standards
    "vcard", "utf-8", "utf-16", "gbk", "gb18030", "gb2312", "big5", "cp936", "shift_jis",
    "excel", "google", "outlook", "wps", "iphone", "android", "huawei", "xiaomi", "sqlite",
    "jinja", "jinja2", "markdown", "sha-256", "e.164", "bom", "tel", "url", "qr", "ok", "pdf",
    "xlsx", "zip", "ucs-2", "gsm-7", "rfc", "crlf", "lf", "mms", "ios", "windows", "linux",
    "macos", "powershell", "py", "venv", "pip", "python",
}  # fmt: skip

_REMOVED = [
    re.compile(r"https?://\S+"),
    re.compile(r"\S+@\S+\.\w+"),
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*(=\S*)?"),  # options
    re.compile(r"\$?[A-Z][A-Z0-9_]{2,}\b"),  # metavars and environment variables
    re.compile(r"(?:[A-Za-z]:)?[\w.~-]*[/\\][^\s，。：；、（）]*"),  # paths
    re.compile(r"\b[\w-]+\.(?:vcf|csv|html?|md|eml|sqlite3|txt|j2|json|xlsx|png|jpg|mp3|m4a)\b"),
    re.compile(r"\{[^{}]*\}"),  # placeholders and template variables
    re.compile(r"\b[A-Za-z]*\d[\w.:+-]*"),  # numbers, times, ids
    re.compile(r"\bid:N\b"),
]
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_PHRASE = re.compile(r"[A-Za-z][A-Za-z'-]*(?:[ \t,]+[A-Za-z][A-Za-z'-]*)+")
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")


def _strip_kept(text: str) -> str:
    for pattern in _REMOVED:
        text = pattern.sub(" · ", text)

    def keep(match: re.Match[str]) -> str:
        return " · " if match.group(0).lower() in KEPT else match.group(0)

    return _WORD.sub(keep, text)


def english_phrases(text: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """English phrases (two or more words in a row) left in ``text`` after the kept words go."""
    for literal in allowed:
        text = text.replace(literal, " · ")
    return [m.group(0) for m in _PHRASE.finditer(_strip_kept(text))]


def chinese_runs(text: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """Runs of Chinese characters (and full-width punctuation) in ``text``, ``allowed`` removed."""
    for literal in allowed:
        text = text.replace(literal, " ")
    return _CHINESE.findall(text)
