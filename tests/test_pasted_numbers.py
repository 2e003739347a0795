"""Every number in pasted text is found, however much else the text holds, or the user is told.

phonenumbers' matcher gives up silently after 65,535 candidates that are no number (order
numbers, amounts, dates): `mark --text` on 66,000 order lines and then a contact's number
marked nobody and exited 0.  The text is now searched piece by piece with no limit on the
candidates, finding exactly what one search of the whole text finds, in time linear in its
length (benchmarks/bench_paste.py measures it).
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contact_notify import phones
from contact_notify.phones import find_numbers

from conftest import EXAMPLES, Run


@pytest.fixture
def imported(cli: Run) -> Run:
    """A case with the example contacts imported (李建国 holds 139 1234 5678)."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    return cli


def test_a_number_after_66000_candidates_is_marked(imported: Run, tmp_path: Path) -> None:
    """66,000 order numbers, then a contact's number: the dry run names that contact and line."""
    pasted = tmp_path / "p.txt"
    pasted.write_text("order 12345\n" * 66000 + "called 139 1234 5678\n", encoding="utf-8")
    result = imported("mark", "--text", str(pasted), "--dry-run")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"would mark: 李建国 ({pasted}:66001: 139 1234 5678)\n",
        "",
    )


def test_every_number_among_70000_failed_candidates_is_found() -> None:
    """Numbers spread through more failed candidates than the matcher's default allows all count."""
    lines = [f"订单 {n:05d} 金额 {n % 977}.00 元" for n in range(70000)]
    for k in range(10):  # a number every 7,000 lines, the last one at the very end
        lines.insert(7000 * (k + 1) + k, f"打给了 139 0000 {k:04d}")
    found = [f.e164 for f in find_numbers("\n".join(lines))]
    assert found == [f"+86139000{k:05d}" for k in range(10)]


def test_each_number_knows_where_it_starts() -> None:
    """A found number's start is its offset in the folded text (full-width digits folded first)."""
    text = "第一行\n妈妈说：（１３８）００１３ ８０００ 打来过，又 +86 139-1234-5678"
    folded = unicodedata.normalize("NFKC", text)
    found = list(find_numbers(text))
    assert [(f.raw, f.e164) for f in found] == [
        ("138)0013 8000", "+8613800138000"),
        ("+86 139-1234-5678", "+8613912345678"),
    ]
    assert [folded[f.start : f.start + len(f.raw)] for f in found] == [f.raw for f in found]


def test_the_shortest_candidate_read_is_no_longer_than_any_valid_number() -> None:
    """Every region's example numbers, written in E.164 or nationally at home, are long enough."""
    shortest = phones._shortest("CN")
    assert shortest > len("12345")  # order numbers are skipped without being parsed
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            assert len(e164) >= shortest, (region, kind, e164)
    cn = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert cn is not None
    assert cn.general_desc is not None
    assert min(cn.general_desc.possible_length) >= shortest


# Pieces of pasted text: numbers in many spellings, things that look like numbers (orders,
# amounts, dates, times, extensions), separators, words and Chinese text.
_TOKENS = [
    "13800138000", "138 0013 8000", "+86 139-1234-5678", "(010) 6234 5678", "0086 170 1234 5678",
    "+1 650 253 0000", "+44 20 7946 0958", "95555", "12345", "order 12345", "2026-11-27 21:30",
    "20261127 21", "21:30", "￥1,280.00", "1,280.00", "12%", "$5", "ext. 12", "x 3", "#12",
    "1/2/2026", "a", "abc", "the", "打给了", "电话", "。", "，", ", ", "; ", " ", "  ", "-", "\n",
    "\r\n", "(", ")", "+", "/", "139", "1234", "5678", "0",
]  # fmt: skip
# The same without anything the search may cut at: long stretches where it has to find its way
# by the numbers themselves.
_NUMERIC = st.sampled_from(_TOKENS).filter(lambda token: not phones._cut().search(token))


def _reference(text: str) -> list[tuple[str, int]]:
    """What phonenumbers' matcher finds in the whole text at once, with no limit on its tries."""
    folded = unicodedata.normalize("NFKC", text)
    found = []
    for match in phonenumbers.PhoneNumberMatcher(folded, "CN", max_tries=sys.maxsize):
        raw = match.raw_string.strip("()[] ")
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append((e164, match.start + match.raw_string.find(raw)))
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.lists(st.sampled_from(_TOKENS), min_size=50, max_size=900),
        st.lists(_NUMERIC, min_size=50, max_size=900),
    )
)
def test_searching_in_pieces_finds_what_the_whole_text_gives(tokens: list[str]) -> None:
    """Cut into small pieces, the text gives the very numbers, at the very places, of one search.

    The pieces are made small (the guard still longer than any candidate) so that a few
    thousand characters are cut many times, at safe characters and, in the texts made only of
    numbers and punctuation, where the matcher would search next.
    """
    text = "".join(tokens)
    cuts: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(phones, "PIECE", 1400)
        patch.setattr(phones, "GUARD", 600)
        found = [(f.e164, f.start) for f in find_numbers(text, on_cut=cuts.append)]
    assert (found, cuts) == (_reference(text), [])


def test_time_stamps_without_a_break_are_searched_exactly(imported: Run, tmp_path: Path) -> None:
    """70 KB of time stamps with nowhere safe to cut, then a number: marked, and no warning."""
    pasted = tmp_path / "p.txt"
    pasted.write_text("2026-11-27 21:30 " * 4000 + "打给了 139 1234 5678\n", encoding="utf-8")
    result = imported("mark", "--text", str(pasted), "--dry-run")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"would mark: 李建国 ({pasted}:1: 139 1234 5678)\n",
        "",
    )


def test_where_the_search_cannot_stay_exact_it_says_so(
    imported: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the matcher's pattern to replay, a text with no safe place is cut and each cut named."""
    monkeypatch.setattr(phones, "_matcher_patterns", lambda: None)
    pasted = tmp_path / "p.txt"
    pasted.write_text("2026-11-27 21:30 " * 1000 + "\n打给了 139 1234 5678\n", encoding="utf-8")
    result = imported("mark", "--text", str(pasted), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == f"would mark: 李建国 ({pasted}:2: 139 1234 5678)\n"
    cut = (
        f"warning: {pasted}:1: a long stretch with no line break, word or number was cut here "
        "to be searched; a number written across the cut may have been missed"
    )
    assert result.stderr.splitlines() == [
        cut,
        cut,
        cut,
        "warning: … and 2 more cuts like this in the same text",
    ]
