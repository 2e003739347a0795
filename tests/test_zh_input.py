"""What a mark is given may be typed the Chinese way: --at times, channels, and CSV cells."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from contact_notify import clock
from contact_notify.errors import UsageError
from contact_notify.reach_input import parse_when
from contact_notify.store import Case
from language_check import chinese_runs, english_phrases

from conftest import EXAMPLES, Run

# A Monday evening; every expected time below is the local wall-clock time it gives.
NOW = "2026-11-30 22:00"


def wall(stamp: str) -> str:
    """The local wall-clock time of a stored --at value, checking it carries the local offset."""
    moment = datetime.fromisoformat(stamp)
    assert moment.utcoffset() == clock.now().utcoffset()
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def imported(cli: Run) -> Run:
    """A case with the example contacts imported."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    return cli


def reaches(case_path: Path) -> list[tuple[str, str]]:
    """(at, channel) of every reach record in the case, in the order recorded."""
    with Case.open(case_path) as case:
        return [(r.at, r.channel) for r in case.reaches()]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026年11月30日 21:40", "2026-11-30 21:40:00"),
        ("2026年11月30日21点40分", "2026-11-30 21:40:00"),
        ("11月30日 21:40", "2026-11-30 21:40:00"),
        ("12月1日 9:00", "2025-12-01 09:00:00"),  # 1 December this year is still ahead
        ("11月28号 下午两点一刻", "2026-11-28 14:15:00"),
        ("昨天 21:40", "2026-11-29 21:40:00"),
        ("今天 9:30", "2026-11-30 09:30:00"),
        ("晚上9点40", "2026-11-30 21:40:00"),
        ("晚上九点四十", "2026-11-30 21:40:00"),
        ("下午3点", "2026-11-30 15:00:00"),
        ("上午10点半", "2026-11-30 10:30:00"),
        ("凌晨2点", "2026-11-30 02:00:00"),
        ("凌晨12点", "2026-11-30 00:00:00"),
        ("中午12点", "2026-11-30 12:00:00"),
        ("中午1点", "2026-11-30 13:00:00"),
        ("２１：４０", "2026-11-30 21:40:00"),
        ("今天　２１：４０", "2026-11-30 21:40:00"),
        ("今晚9点", "2026-11-30 21:00:00"),
        ("昨晚8点半", "2026-11-29 20:30:00"),
        ("昨天晚上12点", "2026-11-30 00:00:00"),  # midnight at the end of yesterday
        ("2026-11-30 晚上9点", "2026-11-30 21:00:00"),
        ("2026/11/29 21点", "2026-11-29 21:00:00"),
        ("现在", "2026-11-30 22:00:00"),
    ],
)
def test_chinese_times_are_read(clock_at: Callable[[str], None], typed: str, expected: str) -> None:
    """Each way of writing a time in Chinese gives the local time it names."""
    clock_at(NOW)
    assert wall(parse_when(typed)) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("前天", "2026-11-28"),
        ("大前天", "2026-11-27"),
        ("今天", "2026-11-30"),
        ("2026年11月27日", "2026-11-27"),
        ("11月30号", "2026-11-30"),
        ("12月25日", "2025-12-25"),
        ("2月29日", "2024-02-29"),  # the latest 29 February not after today
    ],
)
def test_a_day_without_a_time_is_a_date(
    clock_at: Callable[[str], None], typed: str, expected: str
) -> None:
    """A day written without a time is stored as a date, as 2026-11-27 is."""
    clock_at(NOW)
    assert parse_when(typed) == expected


REFUSED = [
    "13月1日",
    "2月30日",
    "下午15点",
    "昨天明天",
    "晚上",
    "昨天晚上",
    "9点",
    "晚上2点",
    "25:00",
    "今晚上午9点",
]


@pytest.mark.parametrize("typed", REFUSED)
def test_unclear_chinese_times_are_refused_in_chinese(
    imported: Run, zh: None, clock_at: Callable[[str], None], typed: str
) -> None:
    """An invalid or ambiguous --at is exit 2, in Chinese only, listing the accepted forms."""
    clock_at(NOW)
    result = imported("mark", "13800138000", "--at", typed)
    assert result.exit_code == 2
    assert f"--at '{typed}' 不是日期或时间" in result.stderr
    assert "可以这样写：'2026年11月27日 21:30'、'11月27日 21:30'、'昨天 21:30'" in result.stderr
    assert "晚上9点40、下午3点" in result.stderr
    assert english_phrases(result.stderr) == []


@pytest.mark.parametrize("typed", REFUSED)
def test_unclear_chinese_times_are_refused_in_english(
    imported: Run, clock_at: Callable[[str], None], typed: str
) -> None:
    """In English the same refusal names the value and lists the accepted forms, Chinese ones too."""
    clock_at(NOW)
    result = imported("mark", "13800138000", "--at", typed)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --at '{typed}' is not a date or time")
    assert result.stderr.endswith(
        "hint: write it as 2026-11-27 or '2026-11-27 21:30', or in Chinese: "
        "'2026年11月27日 21:30', '11月27日 21:30', '昨天 21:30', '今天 9:30', 前天, 晚上9点40, "
        "下午3点\n"
    )


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("下午15点", "下午只能配1点到11点"),
        ("13月1日", "日历上没有这一天"),
        ("晚上", "晚上后面要写几点"),
        ("9点", "请在前面加上 上午、下午 或 晚上，或者按24小时制写成 9:00"),
    ],
)
def test_refusals_say_why(
    imported: Run, zh: None, clock_at: Callable[[str], None], typed: str, reason: str
) -> None:
    """A refusal says what is wrong with the value, not only that it is wrong."""
    clock_at(NOW)
    assert reason in imported("mark", "13800138000", "--at", typed).stderr


def test_a_time_alone_later_than_now_is_refused_not_moved(
    imported: Run, case_path: Path, clock_at: Callable[[str], None]
) -> None:
    """晚上9点40 typed at 20:00 is refused with the way to say yesterday, which then works."""
    clock_at("2026-11-30 20:00")
    refused = imported("mark", "王秀英", "--at", "晚上9点40")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "error: --at '晚上9点40' is later than now: a time without a day is today's\n"
        "hint: if it was yesterday, write --at '昨天 晚上9点40'\n",
    )
    assert reaches(case_path) == []
    assert imported("mark", "王秀英", "--at", "昨天 晚上9点40").exit_code == 0
    ((at, _channel),) = reaches(case_path)
    assert wall(at) == "2026-11-29 21:40:00"


def test_a_late_evening_typed_after_midnight_is_refused_in_chinese(
    imported: Run, zh: None, clock_at: Callable[[str], None]
) -> None:
    """晚上11点 typed at 00:30 is not silently taken for tonight; the message is Chinese."""
    clock_at("2026-12-01 00:30")
    result = imported("mark", "王秀英", "--at", "晚上11点")
    assert result.exit_code == 2
    assert "--at '晚上11点' 比现在晚" in result.stderr
    assert "如果是昨天，请写 --at '昨天 晚上11点'" in result.stderr
    assert english_phrases(result.stderr) == []


def test_a_chinese_date_far_ahead_is_a_year_typo(
    imported: Run, zh: None, clock_at: Callable[[str], None]
) -> None:
    """A full Chinese date more than a day ahead is refused as --at 2027-11-30 would be."""
    clock_at(NOW)
    result = imported("mark", "13800138000", "--at", "2027年11月30日")
    assert result.exit_code == 2
    assert "--at '2027年11月30日' 是将来的时间" in result.stderr
    assert english_phrases(result.stderr) == []


def test_midnight_at_the_end_of_tonight_is_tomorrow(clock_at: Callable[[str], None]) -> None:
    """今晚12点 is 24:00 tonight: 00:00 of the next day (within the day of slack ahead)."""
    clock_at(NOW)
    assert wall(parse_when("今晚12点")) == "2026-12-01 00:00:00"


def test_an_impossible_iso_time_says_why_in_english(clock_at: Callable[[str], None]) -> None:
    """2026-11-30 25:00 is refused naming the impossible time, in English only."""
    clock_at(NOW)
    with pytest.raises(UsageError) as refused:
        parse_when("2026-11-30 25:00")
    message = refused.value.message
    assert message == "--at '2026-11-30 25:00' is not a date or time: 25:00 is not a time of day"
    assert chinese_runs(message) == []


@pytest.mark.parametrize(
    ("typed", "channel"),
    [
        ("电话", "call"),
        ("打电话", "call"),
        ("微信", "wechat"),
        ("其它", "other"),
        ("上门", "visit"),
    ],
)
def test_channel_typed_in_chinese(
    imported: Run, case_path: Path, clock_at: Callable[[str], None], typed: str, channel: str
) -> None:
    """mark --channel takes the Chinese words for a channel and records the English value."""
    clock_at(NOW)
    assert imported("mark", "13800138000", "--channel", typed, "--at", "昨天 21:40").exit_code == 0
    ((at, recorded),) = reaches(case_path)
    assert (wall(at), recorded) == ("2026-11-29 21:40:00", channel)
    assert f" {channel} from " in imported("history", "王秀英").stdout


def test_csv_with_chinese_channel_and_times(
    imported: Run, case_path: Path, clock_at: Callable[[str], None], tmp_path: Path
) -> None:
    """A mark --file CSV with 微信/其它 channels and Chinese day and time columns is read."""
    clock_at(NOW)
    sheet = tmp_path / "reached.csv"
    sheet.write_text(
        "姓名,日期,时间,方式\n王秀英,11月28日,晚上9点,微信\n李建国,昨天,下午3点半,其它\n",
        encoding="utf-8",
    )
    assert imported("mark", "--file", str(sheet)).exit_code == 0
    assert [(wall(at), channel) for at, channel in reaches(case_path)] == [
        ("2026-11-28 21:00:00", "wechat"),
        ("2026-11-29 15:30:00", "other"),
    ]


def test_bad_chinese_time_in_a_csv_names_its_line_in_chinese(
    imported: Run, zh: None, clock_at: Callable[[str], None], tmp_path: Path
) -> None:
    """A CSV cell 下午15点 is an input error naming file and line, said in Chinese."""
    clock_at(NOW)
    sheet = tmp_path / "reached.csv"
    sheet.write_text("姓名,时间\n王秀英,昨天 21:40\n李建国,下午15点\n", encoding="utf-8")
    result = imported("mark", "--file", str(sheet))
    assert result.exit_code == 3
    assert f"{sheet}:3: --at '下午15点' 不是日期或时间：下午只能配1点到11点" in result.stderr
    assert english_phrases(result.stderr) == []


def test_unknown_channel_in_chinese_lists_the_chinese_words(
    imported: Run, zh: None, clock_at: Callable[[str], None]
) -> None:
    """An unknown --channel is refused in Chinese, listing the channels with their Chinese words."""
    clock_at(NOW)
    result = imported("mark", "13800138000", "--channel", "传真")
    assert result.exit_code == 2
    assert "没有这种联系方式：'传真'" in result.stderr
    assert (
        "电话（call）、短信（sms）、微信（wechat）、上门（visit）、其他（other）" in result.stderr
    )
    assert english_phrases(result.stderr) == []


def test_unknown_channel_in_english_is_unchanged(imported: Run) -> None:
    """In English an unknown --channel still reads as before, word for word."""
    result = imported("mark", "13800138000", "--channel", "fax")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown channel 'fax'\nhint: use one of: call, sms, wechat, visit, other\n",
    )


def test_bad_collector_number_in_chinese(imported: Run, zh: None) -> None:
    """A --by that is not a number is refused in Chinese with an example."""
    result = imported("mark", "13800138000", "--by", "催收")
    assert result.exit_code == 2
    assert "'催收' 不是电话号码" in result.stderr
    assert "例如 --by 17012345678" in result.stderr
    assert english_phrases(result.stderr) == []


def test_pasted_text_is_named_in_chinese(imported: Run, zh: None) -> None:
    """Numbers pasted on stdin are said to come from 粘贴的文本, not "pasted text"."""
    result = imported("mark", "--text", "-", input="妈妈说\n13800138000 打来过\n")
    assert result.exit_code == 0
    assert "粘贴的文本:2" in result.stdout
    assert "pasted text" not in result.stdout


@pytest.mark.parametrize("typed", ["0001年1月1日 凌晨1点", "9999-12-31 晚上12点"])
def test_times_at_the_ends_of_the_calendar_are_refused(
    clock_at: Callable[[str], None], typed: str
) -> None:
    """A Chinese time that falls off the calendar is a usage error, not a crash."""
    clock_at(NOW)
    with pytest.raises(UsageError) as refused:
        parse_when(typed)
    assert refused.value.message == f"--at {typed!r} is not a date or time"
