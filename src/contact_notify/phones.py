"""Phone-number normalisation, through the phonenumbers library.

``138 0013 8000``, ``+86-138-0013-8000``, ``0086 138 0013 8000``,
``13800138000``, full-width digits and ``tel:`` URIs are all one number:
``+8613800138000``.  A number that is not valid keeps its raw text and has no
E.164 form; callers flag it, they never drop it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "CN"

# Pause and wait characters of dial strings (vCard quirk 9): what follows is
# dialled after the call connects, so it is not part of the number.
_DIAL_PAUSE = re.compile(r"[pPwW,;]")
_TEL_URI = re.compile(r"^\s*tel:", re.IGNORECASE)
_URI_EXTENSION = re.compile(r";\s*ext=([0-9]+)", re.IGNORECASE)
# China's IP long-distance carrier prefixes (17951 China Mobile, 17911 China
# Unicom, 12593, 17909 China Telecom) written before a mobile number.
_CN_CARRIER_PREFIX = re.compile(r"^(?:17951|17911|12593|17909|17908)(1[3-9][0-9]{9})$")


def clean(raw: str) -> str:
    """Fold full-width characters, strip a ``tel:`` scheme and cut dial pauses."""
    text = unicodedata.normalize("NFKC", raw).strip()
    text = _TEL_URI.sub("", text)
    text = _URI_EXTENSION.sub("", text)
    return _DIAL_PAUSE.split(text, maxsplit=1)[0].strip()


@lru_cache(maxsize=65536)
def to_e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """Return the E.164 form of a number, or None when it is not a valid number."""
    text = clean(raw)
    if not text or len(text) > 64:
        return None
    if region == "CN":
        digits = re.sub(r"[\s\-().]", "", text)
        carrier = _CN_CARRIER_PREFIX.match(digits)
        if carrier:
            text = carrier.group(1)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_number(text: str) -> bool:
    """True when a target is written as a phone number rather than a name."""
    folded = clean(text)
    digits = sum(ch.isdigit() for ch in folded)
    return digits >= 3 and all(ch.isdigit() or ch in "+-() ." for ch in folded)


def is_known_region(region: str) -> bool:
    """True for a two-letter region code phonenumbers knows, such as CN, HK or US."""
    return region.upper() in phonenumbers.SUPPORTED_REGIONS


def display(number: str, region: str = DEFAULT_REGION) -> str:
    """A number as people of the region write it: national form at home, international abroad."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_valid_number(parsed):
        return number
    same_country = phonenumbers.region_code_for_number(parsed) == region.upper()
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


def is_mobile(e164: str) -> bool:
    """True when the number is a mobile (or mobile-or-fixed) number, so it can take an SMS."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


@dataclass(frozen=True)
class FoundNumber:
    """A phone number found inside free text."""

    raw: str
    e164: str


def find_numbers(text: str, region: str = DEFAULT_REGION) -> Iterator[FoundNumber]:
    """Yield every valid phone number written inside free text, in order."""
    folded = unicodedata.normalize("NFKC", text)
    for match in phonenumbers.PhoneNumberMatcher(folded, region):
        yield FoundNumber(
            raw=match.raw_string,
            e164=phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164),
        )
