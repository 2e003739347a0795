"""SMS segment counting against known cases."""

from __future__ import annotations

import pytest

from contact_notify.sms import count


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("中" * 70, "UCS-2", 70, 1),
        ("中" * 71, "UCS-2", 71, 2),  # 67 + 4
        ("中" * 134, "UCS-2", 134, 2),
        ("中" * 135, "UCS-2", 135, 3),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€", "GSM-7", 2, 1),
        ("a" * 158 + "€", "GSM-7", 160, 1),
        ("a" * 159 + "€", "GSM-7", 161, 2),
        ("Hello 😀", "UCS-2", 8, 1),
        ("", "GSM-7", 0, 0),
    ],
)
def test_known_cases(text: str, encoding: str, units: int, parts: int) -> None:
    """70/71 Chinese characters, 160/161 GSM characters, '€' as two septets, emoji as UCS-2."""
    result = count(text)
    assert (result.encoding, result.units, result.parts) == (encoding, units, parts)


def test_one_emoji_turns_gsm_into_ucs2() -> None:
    """A 100-character GSM message fits one part; one emoji makes it UCS-2 and two parts."""
    assert count("a" * 100).parts == 1
    assert count("a" * 100 + "😀").encoding == "UCS-2"
    assert count("a" * 100 + "😀").parts == 2


def test_escape_pairs_are_not_split_across_parts() -> None:
    """An extension character that would straddle a part boundary moves to the next part."""
    # 152 plain septets then '€' (2 septets) cannot share the first 153-septet part.
    assert count("a" * 152 + "€" + "a" * 152).parts == 3
    assert count("a" * 151 + "€" + "a" * 152).parts == 2


def test_surrogate_pairs_are_not_split_across_parts() -> None:
    """An emoji (two UTF-16 units) at a part boundary moves whole to the next part."""
    assert count("中" * 65 + "😀" + "中" * 66).parts == 2  # 67 | 66
    assert count("中" * 66 + "😀" + "中" * 65).parts == 2  # 66 | 2 + 65
    # 134 units would fill two parts exactly, but the emoji cannot straddle: 66 | 2 + 65 | 1.
    assert count("中" * 66 + "😀" + "中" * 66).parts == 3
