"""What collectors did: the vocabulary, mark --did, the did column, history, suggestions from text."""

from __future__ import annotations

import sqlite3
import types
from pathlib import Path

import pytest

from contact_notify import behaviours, i18n
from contact_notify.errors import UsageError
from contact_notify.store import Case

from conftest import EXAMPLES, Run


@pytest.fixture
def imported(cli: Run) -> Run:
    """A case with the example contacts imported."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    return cli


AT = "2026-11-27 21:30"


def _behaviours_of(case_path: Path) -> dict[str, list[tuple[str, ...]]]:
    """Each contact's reaches (oldest first) as the behaviours recorded with them."""
    with Case.open(case_path) as case:
        found: dict[str, list[tuple[str, ...]]] = {}
        for reach in case.reaches():
            found.setdefault(case.contact(reach.contact_id).name, []).append(reach.behaviours)
    return found


def test_every_name_in_either_language_is_read_back() -> None:
    """The key, the English name and the Chinese name of each behaviour all read as that key."""
    for b in behaviours.VOCABULARY:
        with i18n.using("zh"):
            chinese = behaviours.label(b.key)
        assert chinese != b.label, b.key  # translated
        assert behaviours.parse(chinese) == b.key
        assert behaviours.parse(b.label) == b.key
        assert behaviours.parse(f"  {b.key.upper().replace('-', '_')} ") == b.key


def test_several_behaviours_in_one_value_keep_the_vocabulary_order() -> None:
    """A value may list several (、 , ; ，), each kept once, in the documented order."""
    assert behaviours.parse_all(["威胁、辱骂，insulted", "透露欠款; P图/伪造律师函"]) == (
        "disclosed-debt",
        "insulted",
        "threatened",
        "forged-documents",
    )


def test_an_unknown_behaviour_names_the_vocabulary() -> None:
    """A word outside the vocabulary is a usage error whose hint lists every behaviour."""
    with pytest.raises(UsageError) as caught:
        behaviours.parse("打人")
    assert caught.value.message == "unknown behaviour '打人'"
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("use one of: disclosed the debt (disclosed-debt); ")
    assert caught.value.hint.count("(") == len(behaviours.VOCABULARY)


@pytest.mark.zone("Asia/Shanghai")
def test_mark_did_round_trips_through_history(reached_case: Run, case_path: Path) -> None:
    """mark --did in Chinese and English is recorded, shown by history, and added to the same reach."""
    result = reached_case("mark", "王秀英", "--at", "2026-11-28 22:05", "--did", "辱骂",
                          "--did", "disclosed the debt", "--by", "17012345678")  # fmt: skip
    assert result.stdout == "marked: 王秀英 (王秀英)\n"
    # The same time again with one more behaviour adds it to that record, no second reach.
    again = reached_case("mark", "王秀英", "--at", "2026-11-28 22:05", "--did", "威胁")
    assert again.stdout == "added to record 7: 王秀英 (王秀英)\n"
    same = reached_case("mark", "王秀英", "--at", "2026-11-28 22:05", "--did", "辱骂")
    assert same.stdout == "already recorded (record 7): 王秀英 (王秀英)\n"
    assert reached_case("history", "王秀英").stdout.splitlines()[1:] == [
        "  record 1: 2026-11-27 21:30 call from number unknown (file)",
        "  record 7: 2026-11-28 22:05 call from +8617012345678; did: disclosed the debt, "
        "insulted, threatened (typed)",
    ]
    assert _behaviours_of(case_path)["王秀英"] == [(), ("disclosed-debt", "insulted", "threatened")]


def test_mark_did_refuses_an_unknown_word_before_writing(
    reached_case: Run, case_path: Path
) -> None:
    """An unknown behaviour is exit 2 with the list, and nothing is marked."""
    before = _behaviours_of(case_path)
    result = reached_case("mark", "王秀英", "--did", "打人")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "error: unknown behaviour '打人'"
    assert _behaviours_of(case_path) == before


@pytest.mark.zone("Asia/Shanghai")
def test_mark_file_reads_a_did_column(reached_case: Run, case_path: Path, tmp_path: Path) -> None:
    """A 行为 column in a CSV records each row's behaviours; a bad one names file and line."""
    sheet = tmp_path / "reached.csv"
    sheet.write_text(
        "联系人,时间,行为\n王秀英,2026-11-28 09:00,透露欠款、要求代还\n李建国,2026-11-28 10:00,\n",
        encoding="utf-8",
    )
    assert reached_case("mark", "--file", str(sheet)).exit_code == 0
    found = _behaviours_of(case_path)
    assert found["王秀英"][-1] == ("disclosed-debt", "asked-to-pay")
    assert found["李建国"][-1] == ()
    assert reached_case("history", "王秀英").stdout.splitlines()[-1] == (
        "  record 7: 2026-11-28 09:00 call from number unknown; did: disclosed the debt, "
        "asked the contact to pay (file)"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("联系人,行为\n王秀英,辱骂\n李建国,骂了\n", encoding="utf-8")
    result = reached_case("mark", "--file", str(bad))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == f"error: {bad}:3: unknown behaviour '骂了'"


def test_a_damaged_behaviour_cell_is_refused(reached_case: Run, case_path: Path) -> None:
    """A behaviour the vocabulary does not hold, written into the case by hand, is damage (exit 5)."""
    with sqlite3.connect(case_path) as conn:
        conn.execute("INSERT INTO reach_behaviours(reach_id, behaviour) VALUES (1, 'robbed')")
    conn.close()
    result = reached_case("history", "王秀英")
    assert result.exit_code == 5
    assert result.stderr.splitlines()[0] == (
        "error: the case is damaged: reach record 1 has an unreadable behaviour value"
    )


# -- suggestions from pasted text ----------------------------------------------------------

CHAT = (
    "妈妈 138 0013 8000：刚才有人打电话说你欠钱，还骂人\n"
    "\n"
    "表哥 +86 139-1234-5678：对方说是法院的，要起诉你\n"
    "\n"
    "群里好几个人都收到了短信，说是群发的\n"
)


def _chat(tmp_path: Path) -> Path:
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    return chat


@pytest.mark.zone("Asia/Shanghai")
def test_text_suggestions_are_shown_and_not_recorded(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """Without --accept the suggestions are listed, each for the contacts of its paragraph,
    and no behaviour is recorded; the hint repeats the time so a rerun updates these reaches."""
    chat = _chat(tmp_path)
    result = imported("mark", "--text", str(chat), "--at", AT)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"marked: 王秀英 ({chat}:1: 138 0013 8000)",
        f"marked: 李建国 ({chat}:3: +86 139-1234-5678)",
        f"suggested by the text: disclosed the debt, for 王秀英 ({chat}:1 “欠钱”)",
        f"suggested by the text: insulted, for 王秀英 ({chat}:1 “骂”)",
        f"suggested by the text: threatened, for 李建国 ({chat}:3 “起诉”)",
        f"suggested by the text: impersonated police, a court, lawyers or officials, for 李建国 "
        f"({chat}:3 “法院”)",
        f"suggested by the text: mass SMS to the contact list, for every contact of this mark "
        f"({chat}:5 “都收到了短信”; {chat}:5 “群发”)",
        "the suggested behaviours were not recorded; to record them, for each reach:",
        "  王秀英: contact-notify mark --record 1 --did disclosed-debt --did insulted "
        "--did mass-sms",
        "  李建国: contact-notify mark --record 2 --did threatened --did impersonated "
        "--did mass-sms",
    ]
    assert _behaviours_of(case_path) == {"王秀英": [()], "李建国": [()]}
    # Following the hints records them on the same two reaches.
    for line in result.stdout.splitlines()[-2:]:
        words = line.split(": ", 1)[1].split()[1:]  # the command after "contact-notify"
        assert (
            imported(*words).stdout
            == f"added to record {words[2]}: {line.split(':')[0][2:]} ({line.split(':')[0][2:]})\n"
        )
    assert _behaviours_of(case_path) == {
        "王秀英": [("disclosed-debt", "insulted", "mass-sms")],
        "李建国": [("threatened", "impersonated", "mass-sms")],
    }


def test_accepting_with_a_dry_run_records_nothing(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """--accept --dry-run says what it would record and writes no reach at all."""
    result = imported("mark", "--text", str(_chat(tmp_path)), "--accept", "--dry-run")
    assert result.stdout.splitlines()[-1] == (
        "would record the suggested behaviours with these reaches"
    )
    assert _behaviours_of(case_path) == {}


@pytest.mark.parametrize(("answer", "recorded"), [("y\n", True), ("n\n", False), ("是\n", True)])
def test_a_terminal_is_asked_before_anything_is_written(
    imported: Run,
    case_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    recorded: bool,
) -> None:
    """At a terminal the suggestions are shown and recorded only on a yes."""
    from contact_notify.cli import reaches

    terminal = types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr(reaches, "sys", terminal)
    result = imported("mark", "--text", str(_chat(tmp_path)), input=answer)
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert out[0].startswith("suggested by the text: disclosed the debt, for 王秀英")
    assert "Record these behaviours with the reaches? [y/N]: " in result.stdout
    assert _behaviours_of(case_path)["王秀英"] == (
        [("disclosed-debt", "insulted", "mass-sms")] if recorded else [()]
    )


def test_text_without_cues_suggests_nothing(imported: Run, tmp_path: Path) -> None:
    """A text that says nothing of what happened prints only what was marked."""
    chat = tmp_path / "chat.txt"
    chat.write_text("妈妈 138 0013 8000：刚才有个电话\n", encoding="utf-8")
    assert imported("mark", "--text", str(chat)).stdout.splitlines() == [
        f"marked: 王秀英 ({chat}:1: 138 0013 8000)"
    ]


def test_longer_words_win_over_the_words_inside_them() -> None:
    """律师函 is a fake legal letter, not also a lawyer; cues keep their order and offsets."""
    found = behaviours.cues("收到律师函，又说要找律师")
    assert [(c.behaviour, c.words, c.offset) for c in found] == [
        ("forged-documents", "律师函", 2),
        ("impersonated", "律师", 10),
    ]


def test_windows_line_ends_keep_the_paragraphs(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """A chat saved with CR LF (or CR) line ends gives each paragraph's words to its own contacts."""
    for name, ends in (("crlf.txt", "\r\n"), ("cr.txt", "\r")):
        chat = tmp_path / name
        chat.write_bytes(CHAT.replace("\n", ends).encode("utf-8"))
        lines = imported("mark", "--text", str(chat), "--dry-run").stdout.splitlines()
        assert f"suggested by the text: threatened, for 李建国 ({chat}:3 “起诉”)" in lines, ends


def test_pasted_text_from_stdin_is_never_asked_about(
    imported: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --text - the text is the input, so nothing is asked and only --accept records."""
    from contact_notify.cli import reaches

    terminal = types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr(reaches, "sys", terminal)
    result = imported("mark", "--text", "-", input=CHAT)
    assert "Record these behaviours" not in result.stdout
    assert _behaviours_of(case_path) == {"王秀英": [()], "李建国": [()]}
    imported("mark", "--text", "-", "--accept", input=CHAT)
    assert _behaviours_of(case_path)["王秀英"][-1] == ("disclosed-debt", "insulted", "mass-sms")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("王秀英", "--accept"), "--accept records what --text suggests; no --text was given"),
        (("王秀英", "--did", " "), "an empty behaviour was given"),
        (
            ("王秀英", "--record", "1", "--did", "辱骂"),
            "--record adds to a reach already recorded: it takes no targets, --file, --text or --at",
        ),
        (("--record", "99", "--did", "辱骂"), "there is no reach record 99"),
    ],
)
def test_options_that_would_do_nothing_are_refused(
    reached_case: Run, case_path: Path, args: tuple[str, ...], message: str
) -> None:
    """--accept without --text, an empty --did, --record with targets or of no record: errors."""
    before = _behaviours_of(case_path)
    result = reached_case("mark", *args)
    assert result.exit_code in (2, 3)
    assert result.stderr.splitlines()[0] == f"error: {message}"
    assert _behaviours_of(case_path) == before


@pytest.mark.zone("Asia/Shanghai")
def test_record_adds_to_a_reach_whatever_its_time(reached_case: Run, case_path: Path) -> None:
    """mark --record N adds behaviours and numbers to a date-only reach; no second reach is made."""
    reached_case("mark", "周杰", "--at", "2026-11-26")
    result = reached_case("mark", "--record", "7", "--did", "辱骂", "--by", "17012345678")
    assert result.stdout == "added to record 7: 周杰 (周杰)\n"
    again = reached_case("mark", "--record", "7", "--did", "insulted")
    assert again.stdout == "already recorded (record 7): 周杰 (周杰)\n"
    assert reached_case("history", "周杰").stdout.splitlines() == [
        "id:9 周杰: 1 reach record(s)",
        "  record 7: 2026-11-26 call from +8617012345678; did: insulted (typed)",
    ]


def test_one_call_is_not_repeated_calls() -> None:
    """打了1个电话 suggests nothing; 打了好几个电话 and 打了7次 suggest repeated calls."""
    assert behaviours.cues("他打了1个电话") == []
    assert [c.words for c in behaviours.cues("打了好几个电话，又打了7次")] == [
        "打了好几个",
        "打了7次",
    ]
