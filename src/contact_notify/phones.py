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
    text = raw.strip() if raw.isascii() else unicodedata.normalize("NFKC", raw).strip()
    text = _TEL_URI.sub("", text)
    text = _URI_EXTENSION.sub("", text)
    return _DIAL_PAUSE.split(text, maxsplit=1)[0].strip()


_SEPARATORS = str.maketrans("", "", " -().\u00a0\t")


@dataclass(frozen=True)
class _MobilePlan:
    """What the fast path needs from phonenumbers' metadata for one region."""

    country_code: str
    national_prefix: str
    lengths: frozenset[int]
    mobile: re.Pattern[str]
    general: re.Pattern[str]


@lru_cache(maxsize=64)
def _mobile_plan(region: str) -> _MobilePlan | None:
    """The region's mobile-number pattern from phonenumbers' own metadata, if usable.

    Only for a region that alone uses its country code, so that matching the
    region's mobile pattern means exactly what ``is_valid_number`` means.
    """
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
    if meta is None or meta.mobile is None or meta.general_desc is None:
        return None
    code = meta.country_code
    if code is None or len(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())) != 1:
        return None
    mobile, general = meta.mobile.national_number_pattern, meta.general_desc.national_number_pattern
    if not mobile or not general or not meta.mobile.possible_length:
        return None
    return _MobilePlan(
        country_code=str(code),
        national_prefix=meta.national_prefix or "",
        lengths=frozenset(meta.mobile.possible_length),
        mobile=re.compile(mobile),
        general=re.compile(general),
    )


def _fast_mobile(text: str, region: str) -> str | None:
    """E.164 of a plainly written mobile number of the region, checked against its metadata.

    Handles ``13800138000``, ``+86 138-0013-8000`` and ``0086 138 0013 8000``;
    anything else (None) goes through the full parser.
    """
    plan = _mobile_plan(region)
    if plan is None:
        return None
    compact = text.translate(_SEPARATORS)
    code = plan.country_code
    if compact.startswith("+" + code):
        national = compact[1 + len(code) :]
    elif compact.startswith("00" + code):
        national = compact[2 + len(code) :]
    elif plan.national_prefix and compact.startswith(plan.national_prefix):
        return None
    else:
        national = compact
    if (
        national.isdigit()
        and national.isascii()
        and len(national) in plan.lengths
        and plan.mobile.fullmatch(national)
        and plan.general.fullmatch(national)
    ):
        return f"+{code}{national}"
    return None


@lru_cache(maxsize=4096)
def to_e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """Return the E.164 form of a number, or None when it is not a valid number."""
    text = clean(raw)
    if not text or len(text) > 64:
        return None
    if region == "CN":
        carrier = _CN_CARRIER_PREFIX.match(re.sub(r"[\s\-().]", "", text))
        if carrier:
            text = carrier.group(1)
    return _fast_mobile(text, region) or parse_e164(text, region)


def _valid(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The parsed number when it is a valid one, else None."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def parse_e164(text: str, region: str = DEFAULT_REGION) -> str | None:
    """The full phonenumbers path: parse, validate, format (None when not valid)."""
    number = _valid(text, region)
    if number is None:
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
    parsed = _valid(number, region)
    if parsed is None:
        return number
    same_country = phonenumbers.region_code_for_number(parsed) == region.upper()
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


PHONE_FORMATS = ("national", "e164", "digits")


def format_phone(number: str, style: str, region: str = DEFAULT_REGION) -> str:
    """A number for an export: ``national`` (``13800138000``, or ``0085291234567`` from
    abroad: never a leading ``+``), ``e164`` (``+8613800138000``) or ``digits`` (``8613800138000``).

    A number that is not valid is returned as written.
    """
    parsed = _valid(number, region)
    if parsed is None:
        return number
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if style == "e164":
        return e164
    if style == "digits":
        return e164.lstrip("+")
    dialled = phonenumbers.format_out_of_country_calling_number(parsed, region.upper())
    return "".join(ch for ch in dialled if ch.isdigit())


def national_digits(number: str) -> str:
    """The digits of a number without its country code (``+8613800138000`` → ``13800138000``)."""
    try:
        parsed = phonenumbers.parse(number, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in unicodedata.normalize("NFKC", number) if ch.isdigit())
    return phonenumbers.national_significant_number(parsed)


def is_mobile(e164: str, *, strict: bool = False) -> bool:
    """True when the number can take an SMS: a mobile, or (unless ``strict``) a number of a
    plan such as +1's, where mobiles and landlines look alike."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
    if strict:
        return kind == phonenumbers.PhoneNumberType.MOBILE
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
            raw=match.raw_string.strip("()[] "),
            e164=phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164),
        )
