"""SMS length: how many parts (billed separately) a message takes.

GSM 03.38 (7-bit): 160 septets in one part, 153 per part when concatenated;
characters of the extension table take two septets and an escape pair is
never split across parts.  Anything outside the GSM alphabet forces UCS-2:
70 UTF-16 code units in one part, 67 per part; a character outside the Basic
Multilingual Plane (most emoji) is a surrogate pair and takes two units, never
split across parts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# The GSM 03.38 default alphabet (basic table).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs an escape plus the character, two septets.
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM_SINGLE, GSM_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


@dataclass(frozen=True)
class Segments:
    """The encoding a message needs, its length in that encoding's units, and its parts."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    parts: int


def _costs(text: str) -> tuple[str, list[int]]:
    if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text):
        return "GSM-7", [2 if ch in GSM_EXTENSION else 1 for ch in text]
    return "UCS-2", [2 if ord(ch) > 0xFFFF else 1 for ch in text]


_GSM_ALL = GSM_BASIC | GSM_EXTENSION
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def count(text: str) -> Segments:
    """Count the parts of an SMS, packing characters without splitting escapes or surrogates."""
    gsm = _GSM_ALL.issuperset(text)
    if GSM_EXTENSION.isdisjoint(text) if gsm else not _ASTRAL.search(text):
        # Every character costs one unit (most messages): parts follow from the length.
        units = len(text)
        if gsm:
            parts = 0 if not units else 1 if units <= GSM_SINGLE else -(-units // GSM_MULTI)
            return _segments("GSM-7", units, parts)
        parts = 0 if not units else 1 if units <= UCS2_SINGLE else -(-units // UCS2_MULTI)
        return _segments("UCS-2", units, parts)
    return packed(text)


@functools.lru_cache(maxsize=1024)
def _segments(encoding: str, units: int, parts: int) -> Segments:
    """One shared :class:`Segments` per count (messages of one template have a few lengths)."""
    return Segments(encoding, units, parts)


def packed(text: str) -> Segments:
    """:func:`count` without its shortcut: characters packed into parts one by one."""
    encoding, costs = _costs(text)
    single, multi = (GSM_SINGLE, GSM_MULTI) if encoding == "GSM-7" else (UCS2_SINGLE, UCS2_MULTI)
    units = sum(costs)
    if units == 0:
        return Segments(encoding, 0, 0)
    if units <= single:
        return Segments(encoding, units, 1)
    parts, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            parts, used = parts + 1, 0
        used += cost
    return Segments(encoding, units, parts)
