"""The interface language and its message catalog (gettext).

Every sentence the tool says to a person is written in English in the source
and marked: ``_("…")`` where it is said, ``N_("…")`` where it is only named
(translated later, when shown).  ``locale/zh_CN/LC_MESSAGES/*.po`` hold the
Chinese translations; the build (``hatch_build.py``) compiles them into one
``contact_notify.mo`` shipped in the wheel.

The language is the interface's, not the messages' to contacts (``--lang``):
``$CONTACT_NOTIFY_LANG`` (``zh`` or ``en``), else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``, ``LANGUAGE``; on Windows the user's UI language):
Chinese whenever that says ``zh…``, English otherwise.  It is read when first
needed and kept; :func:`reset` forgets it (tests switch languages).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import NullTranslations

DOMAIN = "contact_notify"
ENV = "CONTACT_NOTIFY_LANG"
LANGUAGES = ("zh", "en")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
# How to switch, said in both languages (the --help of the tool shows it).
SWITCH_HINT = "界面语言 / Interface language: CONTACT_NOTIFY_LANG=zh (中文) or CONTACT_NOTIFY_LANG=en (English)"


class _State:
    language: str | None = None
    catalog: NullTranslations | None = None


def _windows_language() -> str | None:
    """zh when the Windows user's UI language is Chinese (primary language 0x04)."""
    if os.name != "nt":
        return None
    import ctypes  # pragma: no cover

    windll = getattr(ctypes, "windll")  # noqa: B009 -- exists on Windows only  # pragma: no cover
    langid = int(windll.kernel32.GetUserDefaultUILanguage())  # pragma: no cover
    return "zh" if langid & 0x3FF == 0x04 else "en"  # pragma: no cover


def choose_language(environ: dict[str, str] | None = None) -> str:
    """The interface language the environment asks for: ``zh`` or ``en``."""
    env = os.environ if environ is None else environ
    chosen = env.get(ENV, "").strip().lower()
    if chosen.startswith("zh"):
        return "zh"
    if chosen.startswith("en"):
        return "en"
    for variable in LOCALE_VARIABLES:
        value = env.get(variable, "").strip()
        if value and value not in ("C", "POSIX"):
            return "zh" if value.split(":")[0].lower().startswith("zh") else "en"
    return (_windows_language() if environ is None else None) or "en"


def language() -> str:
    """The interface language of this process (chosen once, see :func:`reset`)."""
    if _State.language is None:
        _State.language = choose_language()
    return _State.language


def _catalog() -> NullTranslations:
    if _State.catalog is None:
        import gettext as gettext_module

        if language() == "zh":
            _State.catalog = gettext_module.translation(
                DOMAIN, str(LOCALE_DIR), languages=["zh_CN"], fallback=True
            )
        else:
            _State.catalog = gettext_module.NullTranslations()
    return _State.catalog


def gettext(message: str) -> str:
    """``message`` in the interface language."""
    if language() == "en":  # the msgids are English: no catalog to load
        return message
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the interface language."""
    if language() == "en":
        return singular if count == 1 else plural
    return _catalog().ngettext(singular, plural, count)


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here."""
    return message


def reset(lang: str | None = None) -> None:
    """Forget the chosen language and catalog (or set ``lang``); for tests and the app's switch."""
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown interface language {lang!r}")
    _State.language = lang
    _State.catalog = None


@contextlib.contextmanager
def using(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the block (machine formats are English), then as before."""
    saved = (_State.language, _State.catalog)
    reset(lang)
    try:
        yield
    finally:
        _State.language, _State.catalog = saved
