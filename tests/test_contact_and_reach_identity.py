"""Which records are one contact, which target is which contact, and which calls are one reach.

A nameless entry merges with its real card, people sharing a +1 number stay apart, a re-import adds
nothing, a short number matches no mobile; calls on one day stay separate reaches, a re-run adds
nothing, a call log's date and time combine, and a reach timed before the message reopens nobody.
"""

from __future__ import annotations

from pathlib import Path

from contact_notify.evidence import collect
from contact_notify.store import Case

from conftest import EXAMPLES, Run


def _sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_number_named_entry_takes_the_real_name_on_merge(cli: Run, tmp_path: Path) -> None:
    """A nameless call-log entry followed by the real card keeps the real name."""
    cli(
        "import",
        str(
            _sheet(tmp_path, "s.csv", "姓名,手机,分组\n,138 0013 8000,\n王秀英,13800138000,家人\n")
        ),
    )
    cli("config", "sender", "小林")
    assert cli("mark", "王秀英", "--at", "2026-11-27").stdout == "marked: 王秀英 (王秀英)\n"
    assert cli("preview").stdout.split("\n")[0].startswith("--- 1/1 王秀英 · ")


def test_several_calls_on_one_day_stay_several(cli: Run, tmp_path: Path) -> None:
    """Three calls on one date, with different notes, are three reaches; a different note is too."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    log = _sheet(
        tmp_path,
        "log.csv",
        "手机,日期,方式,来电号码,备注\n"
        "13800138000,2026-11-27,电话,17012345678,早上打来问我在哪\n"
        "13800138000,2026-11-27,电话,17012345678,晚上又打来骂人\n"
        "13800138000,2026-11-27,电话,17012345678,\n",
    )
    cli("mark", "--file", str(log))
    cli("mark", "13800138000", "--at", "2026-11-28 21:40", "--note", "A")
    cli("mark", "13800138000", "--at", "2026-11-28 21:40", "--note", "B")
    history = cli("history", "王秀英").stdout
    assert history.splitlines()[0] == "id:1 王秀英: 5 reach record(s)"
    assert "note A" in history
    assert "note B" in history


def test_separate_date_and_time_columns_are_combined(cli: Run, tmp_path: Path) -> None:
    """A call log with 日期 and 时间 columns keeps the time of day."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    log = _sheet(tmp_path, "log.csv", "手机,日期,时间\n13800138000,2026-11-27,21:40\n")
    cli("mark", "--file", str(log))
    assert "record 1: 2026-11-27 21:40" in cli("history", "王秀英").stdout


def test_a_reach_before_the_message_does_not_reopen_the_contact(
    reached_case: Run, tmp_path: Path
) -> None:
    """A reach corrected or added at a time before the message went out needs no second apology."""
    out = tmp_path / "m.csv"
    reached_case("export", str(out))
    reached_case("sent", "--exported", str(out), "--at", "2026-11-28 10:00")
    reached_case("mark", "王秀英", "--at", "2026-11-28 09:00")  # a call before the message
    reached_case("mark", "李建国", "--at", "2026-11-28")  # the same day, no time
    status = reached_case("status").stdout.splitlines()
    assert status[-3:] == [
        "still to notify:   0",
        "  exported, not marked sent:          0",
        "  reached again since their message:  0",
    ]
    reached_case("mark", "王秀英", "--at", "2026-11-28 11:00")  # after the message: pending again
    assert reached_case("status").stdout.splitlines()[-1].endswith("1")


def test_a_shared_plus_one_home_number_keeps_people_apart(cli: Run, tmp_path: Path) -> None:
    """+1 numbers may be landlines: a shared one does not merge different names."""
    sheet = _sheet(
        tmp_path,
        "us.csv",
        "姓名,电话,分组\n王叔叔,+1 415 555 0134,家人\n王阿姨,+1 415 555 0134,家人\n",
    )
    result = cli("import", str(sheet))
    assert "contacts added: 2, merged: 0" in result.stdout


def test_a_short_number_never_matches_a_mobile(cli: Run) -> None:
    """'8888 0000' (a landline without its area code) does not mark the owner of 199 8888 0000."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    result = cli("mark", "8888 0000", "--dry-run")
    assert result.stdout == ""
    assert result.stderr == "no contact matches 8888 0000\n"


def test_rerun_with_the_same_attachment_records_it_once(
    cli: Run, case_path: Path, tmp_path: Path
) -> None:
    """Running a mark with --attach twice keeps one record and one file per reach."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"png")
    args = ("mark", "王秀英", "李建国", "--at", "2026-11-27 21:30", "--attach", str(shot))
    cli(*args)
    cli(*args)
    with Case.open(case_path) as case:
        summary = collect(case).summary
    assert (summary.reaches, summary.files) == (2, 2)


def test_nameless_landline_card_is_not_duplicated(cli: Run, tmp_path: Path) -> None:
    """Re-importing a card with no name and only a landline changes nothing."""
    cards = tmp_path / "c.vcf"
    cards.write_text("BEGIN:VCARD\nFN:\nTEL:021-55556666\nEND:VCARD\n", encoding="utf-8")
    cli("import", str(cards))
    again = cli("import", str(cards))
    assert "contacts added: 0, merged: 0, already in the case: 1" in again.stdout
