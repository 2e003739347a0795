"""The sent code of the send page: its format, its check character, and `sent --code`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_notify.errors import ExitCode, UsageError
from contact_notify.messages import compose
from contact_notify.sentcode import ALPHABET, decode, encode
from contact_notify.store import Case

from conftest import Run

MISTYPED = "is mistyped: its check character does not match"

# Sets of contact ids: scattered ones, small ones close together, runs, and very large ones.
runs = st.tuples(st.integers(1, 5000), st.integers(1, 40)).map(
    lambda r: set(range(r[0], r[0] + r[1]))
)
id_sets = st.one_of(
    st.sets(st.integers(1, 3000), max_size=60),
    st.sets(st.integers(1, 40), max_size=30),
    st.lists(runs, max_size=4).map(lambda parts: set().union(*parts)),
    st.sets(st.integers(1, 2**53 - 1), max_size=8),
)


def _symbols(code: str) -> str:
    return code.replace("-", "")


def _dashed(symbols: str) -> str:
    return "-".join(symbols[k : k + 4] for k in range(0, len(symbols), 4))


def _error(code: str) -> str:
    with pytest.raises(UsageError) as caught:
        decode(code)
    return caught.value.message


@given(id_sets)
def test_round_trip(ids: set[int]) -> None:
    """Any set of contact ids comes back from its code, sorted."""
    assert decode(encode(ids)) == sorted(ids)


def test_the_documented_example() -> None:
    """Ids 3, 5-9 and 300 make the code docs/exports.md spells out symbol by symbol."""
    assert encode([300, 3, 5, 6, 7, 8, 9]) == "1320-4HJ3-J"
    assert decode("1320-4HJ3-J") == [3, 5, 6, 7, 8, 9, 300]


def test_codes_are_short() -> None:
    """Ids up to 15 apart take one symbol each; a run of consecutive ids, 0 and its length."""
    assert len(_symbols(encode([2, 9, 20]))) == 1 + 3 + 1
    # version, 100 (0x64), 0, 299 more (0x12B), check
    assert len(_symbols(encode(range(100, 400)))) == 1 + 2 + 1 + 3 + 1


@settings(max_examples=40)
@given(id_sets.filter(bool))
def test_any_one_wrong_character_is_refused(ids: set[int]) -> None:
    """Every code with one symbol replaced by any other is refused as mistyped, never read."""
    symbols = _symbols(encode(ids))
    for at in range(len(symbols)):
        for other in ALPHABET:
            if other != symbols[at]:
                typo = symbols[:at] + other + symbols[at + 1 :]
                assert MISTYPED in _error(_dashed(typo)), (symbols, at, other)


@settings(max_examples=40)
@given(id_sets.filter(bool))
def test_two_characters_swapped_are_refused(ids: set[int]) -> None:
    """Two different neighbouring symbols typed the other way round are refused as mistyped."""
    symbols = _symbols(encode(ids))
    for at in range(len(symbols) - 1):
        if symbols[at] != symbols[at + 1]:
            swapped = symbols[:at] + symbols[at + 1] + symbols[at] + symbols[at + 2 :]
            assert MISTYPED in _error(swapped), (symbols, at)


@given(id_sets)
def test_read_case_insensitively_with_look_alikes(ids: set[int]) -> None:
    """Lower case, O for 0, I or l for 1, and spaces or no dashes read as the code itself."""
    code = encode(ids)
    assert decode(code.lower()) == sorted(ids)
    assert decode(code.replace("0", "O").replace("1", "l")) == sorted(ids)
    assert decode(code.replace("1", "i").replace("-", " ")) == sorted(ids)
    assert decode(_symbols(code)) == sorted(ids)


def _with_check(symbols: str) -> list[str]:
    """The codes SYMBOLS + one more symbol that pass the check (found by trying all 32)."""
    return [c for c in ALPHABET if MISTYPED not in _error_or_none(symbols + c)]


def _error_or_none(code: str) -> str:
    try:
        decode(code)
    except UsageError as e:
        return e.message
    return ""


def test_an_unknown_version_is_refused() -> None:
    """A code that passes the check but starts with version 2 is refused as of an unknown version."""
    passing = _with_check("2" + _symbols(encode([4, 7]))[1:-1])
    assert len(passing) == 1
    assert _error("2" + _symbols(encode([4, 7]))[1:-1] + passing[0]) == (
        "the sent code is of a version this contact-notify does not know (2)"
    )


@pytest.mark.parametrize(
    ("symbols", "why"),
    [
        ("10", "a run with no id before it"),
        ("130", "a run without its length"),
        ("1G", "a number cut short"),
        ("1300", "a run of no ids"),
    ],
)
def test_a_malformed_code_with_a_good_check_is_refused(symbols: str, why: str) -> None:
    """Ids that cannot be read are refused as not a sent code, even when the check passes."""
    passing = _with_check(symbols)
    assert len(passing) == 1, why
    assert _error(symbols + passing[0]) == (
        "that is not a sent code: it holds only the letters and digits the send page shows"
    ), why


@pytest.mark.parametrize("code", ["", "1", "-", "hello!", "1U2A", "１３２０", "13;rm", "1\n2"])
def test_garbage_is_refused(code: str) -> None:
    """Text that is no code (too short, or with symbols the code never uses) is refused as such."""
    assert _error(code) == (
        "that is not a sent code: it holds only the letters and digits the send page shows"
    )


def _ids(by_name: dict[str, int], *names: str) -> list[int]:
    return [by_name[n] for n in names]


@pytest.fixture
def ids_by_name(reached_case: Run, case_path: Path) -> dict[str, int]:
    """The contact id of each reached contact of the examples, by name."""
    with Case.open(case_path) as case:
        return {m.name: m.contact_id for m in compose(case, "小林")}


def _sent_lines(cli: Run) -> list[str]:
    status = cli("status").stdout.splitlines()
    return [line for line in status if line.startswith(("sent:", "still to notify:"))]


def test_sent_code_marks_exactly_those_contacts(
    reached_case: Run, ids_by_name: dict[str, int]
) -> None:
    """`sent --code` records the contacts of the code as sent, as `sent id:N` would, and no one else."""
    code = encode(_ids(ids_by_name, "刘芳", "王秀英"))
    result = reached_case("sent", "--code", code.lower())
    first, second = sorted(["刘芳", "王秀英"], key=ids_by_name.__getitem__)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"sent: {first}\nsent: {second}\n",
        "",
    )
    assert _sent_lines(reached_case) == ["sent:              2", "still to notify:   4"]
    pending = reached_case("preview").stdout
    assert "刘芳" not in pending
    assert "王秀英" not in pending
    assert all(name in pending for name in ("张伟", "李建国", "陈静", "徐强"))


def test_sent_code_combines_with_names(reached_case: Run, ids_by_name: dict[str, int]) -> None:
    """Names and a code in one `sent` are all recorded, the names first."""
    result = reached_case("sent", "张伟", "--code", encode(_ids(ids_by_name, "陈静")))
    assert (result.exit_code, result.stdout) == (0, "sent: 张伟\nsent: 陈静\n")
    assert _sent_lines(reached_case) == ["sent:              2", "still to notify:   4"]


def test_a_bad_code_records_nothing(reached_case: Run, ids_by_name: dict[str, int]) -> None:
    """A mistyped code, or one naming an id the case lacks, is refused and nobody is marked sent."""
    good = _symbols(encode(_ids(ids_by_name, "刘芳", "张伟")))
    typo = good[:-1] + ("2" if good[-1] != "2" else "3")
    mistyped = reached_case("sent", "陈静", "--code", typo)
    assert (mistyped.exit_code, mistyped.stdout, mistyped.stderr) == (
        ExitCode.USAGE,
        "",
        f"error: the sent code {typo} {MISTYPED}\n"
        "hint: compare it character by character with the code on the send page (or copy it "
        "from there) and run the command again\n",
    )
    garbage = reached_case("sent", "--code", "13 ids!")
    assert (garbage.exit_code, garbage.stderr) == (
        ExitCode.USAGE,
        "error: that is not a sent code: it holds only the letters and digits the send page "
        "shows\nhint: copy the code from the box under the progress line of the send page: "
        "contact-notify sent --code CODE\n",
    )
    elsewhere = reached_case("sent", "--code", encode([ids_by_name["刘芳"], 9999]))
    assert (elsewhere.exit_code, elsewhere.stdout, elsewhere.stderr) == (
        ExitCode.INPUT,
        "",
        "error: the sent code names id:9999, which is not in this case\n"
        "hint: was the send page exported from another case? Open that case with --case\n",
    )
    assert _sent_lines(reached_case) == ["sent:              0", "still to notify:   6"]


def test_bad_code_in_chinese(reached_case: Run, zh: None) -> None:
    """The Chinese interface says a mistyped code is mistyped, in Chinese."""
    result = reached_case("sent", "--code", "1XYZ")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        ExitCode.USAGE,
        "错误：发送码 1XYZ 输错了：最后的校验字符对不上",
    )
