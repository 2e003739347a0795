"""Phone-number normalisation, through the phonenumbers library.

``138 0013 8000``, ``+86-138-0013-8000``, ``0086 138 0013 8000``,
``13800138000``, full-width digits and ``tel:`` URIs are all one number:
``+8613800138000``.  A number that is not valid keeps its raw text and has no
E.164 form; callers flag it, they never drop it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

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

    def holds(self, national: str) -> bool:
        """True when these national digits are a valid mobile number of the region."""
        return (
            national.isdigit()
            and national.isascii()
            and len(national) in self.lengths
            and self.mobile.fullmatch(national) is not None
            and self.general.fullmatch(national) is not None
        )


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
    return f"+{code}{national}" if plan.holds(national) else None


@lru_cache(maxsize=4096)
def to_e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """Return the E.164 form of a number, or None when it is not a valid number."""
    if raw.isdigit() and raw.isascii():  # most cells: digits only, nothing to clean or cut
        found = _fast_mobile(raw, region)
        if found:
            return found
    text = clean(raw)
    if not text or len(text) > 64:
        return None
    if region == "CN":
        carrier = _CN_CARRIER_PREFIX.match(re.sub(r"[\s\-().]", "", text))
        if carrier:
            text = carrier.group(1)
    return _fast_mobile(text, region) or parse_e164(text, region)


# phonenumbers compiles its metadata's patterns again at each use unless told to keep them
# (formatting a number compiled several each time; older versions have no such switch).
_keep_patterns = getattr(phonenumbers, "enable_pattern_cache", None)
if _keep_patterns is not None:
    _keep_patterns()

# Each distinct number is parsed once per process, however many messages, pages and columns
# show it: parsing is most of the cost of showing a number.  The parsed numbers are shared, so
# nothing may change them (phonenumbers' formatting functions do not).
CACHED_NUMBERS = 65536


# Regions whose mobile numbers the E.164 fast path (plain_mobile) may answer for: their
# mobile pattern overlaps no other kind of number (checked for CN: mobiles are 11 digits
# starting 1[3-9]; no fixed-line, premium, toll-free or shared-cost pattern starts so), and
# a mobile is dialled at home without a national prefix.  tests/test_phones.py checks the
# answers against phonenumbers' own on thousands of numbers.
FAST_REGIONS = ("CN",)


@lru_cache(maxsize=CACHED_NUMBERS)
def plain_mobile(e164: str) -> tuple[str, int, str] | None:
    """(region, country code, national number) of a valid mobile number of FAST_REGIONS.

    Answers from the region's metadata patterns without parsing; None for
    anything else (which then goes through phonenumbers).
    """
    for region, prefix, code, plan in _fast_plans():
        if e164.startswith(prefix):
            national = e164[len(prefix) :]
            if plan.holds(national):
                return region, code, national
    return None


@cache
def _fast_plans() -> tuple[tuple[str, str, int, _MobilePlan], ...]:
    """(region, ``+`` and country code, country code, plan) of each of FAST_REGIONS."""
    plans = ((region, _mobile_plan(region)) for region in FAST_REGIONS)
    return tuple(
        (region, "+" + plan.country_code, int(plan.country_code), plan)
        for region, plan in plans
        if plan is not None
    )


@lru_cache(maxsize=CACHED_NUMBERS)
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


@lru_cache(maxsize=CACHED_NUMBERS)
def display(number: str, region: str = DEFAULT_REGION) -> str:
    """A number as people of the region write it: national form at home, international abroad."""
    plain = plain_mobile(number)
    if plain is not None and plain[0] == region.upper():
        return _home_mobile(plain[1], plain[2])
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


# How phonenumbers groups a home mobile's digits, by (country code, first four digits,
# length): (3, 4, 4) for China's 170 0000 0000; None when its text is no such grouping.
_HOME_GROUPS: dict[tuple[int, str, int], tuple[int, ...] | None] = {}


def _home_mobile(country_code: int, national: str) -> str:
    """A mobile number of FAST_REGIONS in its national format, as phonenumbers writes it.

    phonenumbers' text for the first number of each prefix and length gives the
    grouping of its digits, used for the others: in its metadata the format of a
    Chinese mobile depends on its first two digits and its length (a test compares
    numbers of every four-digit prefix with its own text), and formatting each
    number anew took 40 µs.
    """
    key = (country_code, national[:4], len(national))
    groups = _HOME_GROUPS.get(key, ())
    if groups == ():
        text = _national_format(country_code, national)
        parts = text.split(" ")
        known = "".join(parts) == national and all(p.isdigit() for p in parts)
        if len(_HOME_GROUPS) >= 4096:
            _HOME_GROUPS.clear()  # a bound, not a policy: a case has few prefixes
        _HOME_GROUPS[key] = tuple(len(p) for p in parts) if known else None
        return text
    if groups is None:  # a national prefix or other marks: phonenumbers' text each time
        return _national_format(country_code, national)
    parts, start = [], 0
    for size in groups:
        parts.append(national[start : start + size])
        start += size
    return " ".join(parts)


def _national_format(country_code: int, national: str) -> str:
    """phonenumbers' national format of a number."""
    built = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))
    return phonenumbers.format_number(built, phonenumbers.PhoneNumberFormat.NATIONAL)


PHONE_FORMATS = ("national", "e164", "digits")


@lru_cache(maxsize=CACHED_NUMBERS)
def format_phone(number: str, style: str, region: str = DEFAULT_REGION) -> str:
    """A number for an export: ``national`` (``13800138000``, or ``0085291234567`` from
    abroad: never a leading ``+``), ``e164`` (``+8613800138000``) or ``digits`` (``8613800138000``).

    A number that is not valid is returned as written.
    """
    plain = plain_mobile(number)
    if (
        plain is not None
        and style in PHONE_FORMATS
        and (style != "national" or plain[0] == region.upper())
    ):
        # A mobile of the fast path's regions is dialled at home without a prefix.
        return plain[2] if style == "national" else number if style == "e164" else number[1:]
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


@lru_cache(maxsize=CACHED_NUMBERS)
def national_form(number: str) -> str:
    """An international number (``+86…``) in its country's national format, "" for any other."""
    if not number.startswith("+"):
        return ""
    parsed = _valid(number, DEFAULT_REGION)  # the region is not read: the number has a +
    if parsed is None:
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


@lru_cache(maxsize=CACHED_NUMBERS)
def national_digits(number: str) -> str:
    """The digits of a number without its country code (``+8613800138000`` → ``13800138000``)."""
    try:
        parsed = phonenumbers.parse(number, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in unicodedata.normalize("NFKC", number) if ch.isdigit())
    return phonenumbers.national_significant_number(parsed)


@lru_cache(maxsize=CACHED_NUMBERS)
def is_mobile(e164: str, *, strict: bool = False) -> bool:
    """True when the number can take an SMS: a mobile, or (unless ``strict``) a number of a
    plan such as +1's, where mobiles and landlines look alike.

    A number that does not parse (a case edited by hand: the store checks only
    its E.164 shape, see :mod:`contact_notify.store.cells`) is no mobile.
    """
    if plain_mobile(e164) is not None:
        return True
    parsed = _valid(e164, DEFAULT_REGION)  # the region is not read: an E.164 number has a +
    if parsed is None:
        return False
    kind = phonenumbers.number_type(parsed)
    if strict:
        return kind == phonenumbers.PhoneNumberType.MOBILE
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


@dataclass(frozen=True)
class FoundNumber:
    """A phone number found inside free text, and where it starts there (after NFKC folding)."""

    raw: str
    e164: str
    start: int = 0


# Free text is given to phonenumbers' matcher in pieces of about this many characters: its
# cost per piece stays bounded (on a number that looks like a time stamp it copies the rest of
# the text it was given), so the search is linear in the text.
PIECE = 4096
# A piece ends just after a character no number, extension or time stamp can hold, and the
# next one starts with it, so the matcher sees the same neighbours and finds the same numbers
# as on the whole text.  (Its pattern holds digits, its punctuation, + ( [, the extension
# words ext, x, int, anexo, доб with ; = : . , # ~, and tabs; these hold none of them.)
_CUT_CHARS = (
    "[\n\r!?@&*_|<>{}'\"`^$%bcdfghjklmpqruvwyzBCDFGHJKLMPQRUVWYZ"
    "\u3001\u3002\u300c-\u300f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3]"
)


@cache
def _cut() -> re.Pattern[str]:
    """:data:`_CUT_CHARS` compiled, when first needed (7 ms: not at every start)."""
    return re.compile(_CUT_CHARS)


# Where a piece holds no such character, the numbers starting this far from its end are left
# to the next piece.  More than the longest candidate the matcher reads (about 530 characters).
GUARD = 1024


@lru_cache(maxsize=64)
def _shortest(region: str) -> int:
    """The fewest characters a valid number written in free text can take, for the region.

    A national number of the region, or ``+`` with a country code and the
    shortest national number of that country.  The matcher skips shorter
    candidates without parsing them (``order 12345`` is no number anywhere).
    """
    lengths = []
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
    if meta is not None and meta.general_desc is not None and meta.general_desc.possible_length:
        lengths.append(min(meta.general_desc.possible_length))
    for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items():
        for other in regions:
            data = (
                phonenumbers.PhoneMetadata.metadata_for_nongeo_region(code)
                if other == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY
                else phonenumbers.PhoneMetadata.metadata_for_region(other)
            )
            desc = None if data is None else data.general_desc
            if desc is None or not desc.possible_length:
                return 1  # a plan without lengths: skip nothing
            lengths.append(1 + len(str(code)) + min(desc.possible_length))
    return max(1, min(lengths, default=1))


def _matches(
    text: str, start: int, end: int, region: str
) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """Every number phonenumbers' matcher finds in ``text[start:end]`` (offsets in that piece)."""
    return iter(
        phonenumbers.PhoneNumberMatcher(
            text[start:end],
            region,
            max_tries=sys.maxsize,  # the default, 65,535 candidates, stopped without a word
            min_candidate_length=_shortest(region),
        )
    )


def _matcher_patterns() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The matcher's own candidate pattern and second-number trim, when this version has them."""
    module = phonenumbers.phonenumbermatcher
    pattern = getattr(module, "_PATTERN", None)
    second = getattr(module, "_SECOND_NUMBER_START_PATTERN", None)
    if isinstance(pattern, re.Pattern) and isinstance(second, re.Pattern):
        return pattern, second
    return None


def _next_search(text: str, index: int, limit: int) -> int | None:
    """Where the matcher, searching ``text`` from ``index`` and finding no number before
    ``limit``, starts the search whose candidate reaches ``limit`` (or ``limit``, when none
    does); None when that cannot be told.

    It replays the matcher's loop over candidates that are no number: each search starts
    where the last candidate (cut before a second number) ended, whatever was parsed.
    """
    patterns = _matcher_patterns()
    if patterns is None:
        return None
    pattern, second = patterns
    first = index
    while True:
        found = pattern.search(text, index, min(len(text), limit + GUARD))
        if found is None or found.start() >= limit:
            return limit
        candidate = text[found.start() : found.end()]
        trimmed = second.search(candidate)
        end = found.start() + (trimmed.start() if trimmed else len(candidate))
        if end > limit:
            return index if index > first else None
        index = end


def find_numbers(
    text: str, region: str = DEFAULT_REGION, on_cut: Callable[[int], None] | None = None
) -> Iterator[FoundNumber]:
    """Yield every valid phone number written inside free text, in order.

    Every number in the text is found, however many candidates (order numbers,
    amounts, dates) come before it, exactly as phonenumbers' matcher finds them
    in the whole text, but piece by piece (see :data:`PIECE`), in time linear
    in the text's length.  Only where that cannot be kept exact (a phonenumbers
    without the pattern :func:`_next_search` replays) is a piece cut where it
    may split a number; ``on_cut`` is told each such offset, so the caller can
    say where a number may have been missed.
    """
    folded = unicodedata.normalize("NFKC", text)
    start, size = 0, len(folded)
    while start < size:
        end = min(size, start + PIECE)
        cut = _cut().search(folded, start + PIECE // 2, end) if end < size else None
        if end == size or cut is not None:
            end = end if cut is None else cut.end()
            for match in _matches(folded, start, end, region):
                yield _found(match, start)
            start = end if cut is None else cut.start()
            continue
        # No safe place to cut: keep the numbers starting clear of the piece's end and go
        # on where the matcher on the whole text would search next.
        limit = start + PIECE - GUARD
        resume = None
        for match in _matches(folded, start, end, region):
            if start + match.start >= limit:
                break
            yield _found(match, start)
            resume = start + match.end
        if resume is None:
            resume = _next_search(folded, start, limit)
        if resume is None:
            resume = limit
            if on_cut is not None:
                on_cut(limit)
        start = resume


def _found(match: phonenumbers.PhoneNumberMatch, offset: int) -> FoundNumber:
    raw = match.raw_string.strip("()[] ")
    return FoundNumber(
        raw=raw,
        e164=phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164),
        start=offset + match.start + match.raw_string.find(raw),
    )
