"""Phone normalisation and number finding through phonenumbers."""

from __future__ import annotations

import pytest

from contact_notify.model import digits_only
from contact_notify.phones import clean, display, find_numbers, looks_like_number, to_e164


@pytest.mark.parametrize(
    "raw",
    [
        "138 0013 8000",
        "+86-138-0013-8000",
        "0086 138 0013 8000",
        "13800138000",
        "１３８００１３８０００",
        "tel:+86-138-0013-8000",
        "+86 (0)138 0013 8000",
        "008613800138000",
        "17951 13800138000",
        "13800138000;ext=1",
    ],
)
def test_one_number_many_spellings(raw: str) -> None:
    """Every spelling of the same Chinese mobile number gives the same E.164 form."""
    assert to_e164(raw, "CN") == "+8613800138000"


@pytest.mark.parametrize("raw", ["12345678", "95555", "10086", "", "not a number", "+", "１２"])
def test_invalid_numbers_have_no_e164(raw: str) -> None:
    """Numbers that are not valid (no area code, service numbers, text) get None."""
    assert to_e164(raw, "CN") is None


def test_landline_with_area_code_is_valid() -> None:
    """010-12345678 is a valid Beijing landline."""
    assert to_e164("010-62345678", "CN") == "+861062345678"


def test_pause_characters_are_cut() -> None:
    """A dial string with a pause keeps only the number before the pause."""
    assert clean("010-62345678p123") == "010-62345678"
    assert to_e164("010-62345678,,123", "CN") == "+861062345678"


def test_region_changes_the_meaning() -> None:
    """A number without country code is read in the given region."""
    assert to_e164("9123 4567", "HK") == "+85291234567"
    assert to_e164("9123 4567", "CN") is None


def test_looks_like_number() -> None:
    """Targets with digits and separators are numbers; names are not."""
    assert looks_like_number("+86 138-0013-8000")
    assert looks_like_number("１３８００１３８０００")
    assert not looks_like_number("李四")
    assert not looks_like_number("Room 101")


def test_display_is_national_at_home_international_abroad() -> None:
    """Numbers show as people of the region write them."""
    assert display("+8617012345678", "CN") == "170 1234 5678"
    assert display("+85291234567", "CN") == "+852 9123 4567"
    assert display("95555", "CN") == "95555"


def test_home_mobiles_display_as_phonenumbers_writes_them() -> None:
    """Every mobile prefix of the home region displays exactly as phonenumbers formats it."""
    import random

    import phonenumbers

    from contact_notify import phones

    phones._HOME_GROUPS.clear()
    display.cache_clear()
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    compared = 0
    for prefix in range(1000, 2000):
        for _ in range(3):  # the first of a prefix gives its grouping; the others reuse it
            number = f"+86{prefix}{rng.randrange(10**7):07d}"
            if phones.plain_mobile(number) is None:
                continue
            expected = phonenumbers.format_number(
                phonenumbers.parse(number), phonenumbers.PhoneNumberFormat.NATIONAL
            )
            assert display(number, "CN") == expected, number
            compared += 1
    assert compared > 1000  # the prefixes of China's mobiles were all tried


def test_home_mobiles_are_formatted_once_per_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Displaying many mobiles of one prefix asks phonenumbers to format only the first."""
    import phonenumbers

    from contact_notify import phones

    phones._HOME_GROUPS.clear()
    display.cache_clear()
    calls: list[object] = []
    real = phonenumbers.format_number

    def counted(number: phonenumbers.PhoneNumber, style: int) -> str:
        calls.append(number)
        return real(number, style)

    monkeypatch.setattr(phonenumbers, "format_number", counted)
    shown = [display(f"+86170{i:08d}", "CN") for i in range(200)]
    assert shown[:2] == ["170 0000 0000", "170 0000 0001"]
    assert shown[199] == "170 0000 0199"
    assert len(calls) == 1


def test_find_numbers_in_free_text() -> None:
    """Numbers inside pasted chat text are found, in order."""
    text = "刚才 170 1234 5678 打电话给我说你欠钱，还有１３８００１３８０００也打了"
    assert [n.e164 for n in find_numbers(text)] == ["+8617012345678", "+8613800138000"]


def test_fast_path_agrees_with_phonenumbers() -> None:
    """The metadata fast path gives exactly phonenumbers' answer on thousands of spellings."""
    import random

    from contact_notify.phones import parse_e164

    rng = random.Random(20261128)  # noqa: S311 -- seeded test data, not cryptography.
    formats = ("{}", "+86 {}", "0086{}", "+86-{}", "86{}", "0{}", "+852 {}", "{} ")
    checked = 0
    for _ in range(4000):
        digits = "1" + "".join(rng.choice("0123456789") for _ in range(rng.choice((10, 10, 9, 11))))
        spaced = f"{digits[:3]} {digits[3:7]} {digits[7:]}" if rng.random() < 0.5 else digits
        text = rng.choice(formats).format(spaced)
        for region in ("CN", "HK"):
            assert to_e164(text, region) == parse_e164(text, region), (text, region)
            checked += 1
    assert checked == 8000


def test_e164_fast_path_agrees_with_phonenumbers() -> None:
    """is_mobile, display and format_phone answer as phonenumbers does, with or without parsing."""
    import random

    import phonenumbers

    from contact_notify import phones

    def slow_is_mobile(e164: str, strict: bool) -> bool:
        parsed = phones._valid(e164, "CN")
        if parsed is None:
            return False
        kind = phonenumbers.number_type(parsed)
        mobile = phonenumbers.PhoneNumberType.MOBILE
        return (
            kind == mobile
            if strict
            else kind in (mobile, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        )

    def slow_display(e164: str, region: str) -> str:
        parsed = phones._valid(e164, region)
        if parsed is None:
            return e164
        home = phonenumbers.region_code_for_number(parsed) == region
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if home
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(parsed, style)

    def slow_format(e164: str, region: str) -> str:
        parsed = phones._valid(e164, region)
        if parsed is None:
            return e164
        dialled = phonenumbers.format_out_of_country_calling_number(parsed, region)
        return "".join(ch for ch in dialled if ch.isdigit())

    rng = random.Random(20261203)  # noqa: S311 -- seeded test data, not cryptography.
    fast = 0
    for _ in range(6000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((9, 10, 10, 11, 12))))
        number = "+86" + rng.choice(("1", "1", "1", "")) + digits[: rng.choice((10, 10, 9, 11))]
        fast += phones.plain_mobile(number) is not None
        for strict in (False, True):
            assert phones.is_mobile.__wrapped__(number, strict=strict) == slow_is_mobile(
                number, strict
            ), number
        for region in ("CN", "HK"):
            assert phones.display.__wrapped__(number, region) == slow_display(number, region), (
                number
            )
            assert phones.format_phone.__wrapped__(number, "national", region) == slow_format(
                number, region
            )
            for style, expected in (("e164", phones.parse_e164(number, region)), ("digits", None)):
                got = phones.format_phone.__wrapped__(number, style, region)
                if expected is not None:
                    assert got == expected, number
                elif phones._valid(number, region) is not None:
                    assert got == phones.parse_e164(number, region).lstrip("+"), number  # type: ignore[union-attr]
    assert fast > 1000  # the fast path was taken often enough to mean something


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("138 0013 8000", "13800138000"),
        ("１３８－００１３", "1380013"),  # full-width digits and dash
        ("① call ² back", "12"),  # compatibility digits fold to ASCII
        ("٣٤ and ४", ""),  # other scripts' digits are not ASCII digits
        ("no digits", ""),
    ],
)
def test_digits_only_keeps_the_ascii_digits_after_folding(text: str, digits: str) -> None:
    """digits_only folds full-width and compatibility digits and keeps only 0-9."""
    assert digits_only(text) == digits
