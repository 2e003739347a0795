"""Marking from every source, reach history, attachments, collectors, the evidence kit and drafts."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from contact_notify.complaints import KINDS, draft
from contact_notify.evidence import Masker, collect, masked, to_csv, to_html, to_markdown
from contact_notify.rules import RULES
from contact_notify.store import Case

from conftest import EXAMPLES, Run


@pytest.fixture
def imported(cli: Run) -> Run:
    """A case with the example contacts imported."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    return cli


def _json(run: Run) -> dict[str, dict[str, object]]:
    return {
        c["name"]: c for c in json.loads(run("contacts", "--reached", "--format", "json").stdout)
    }


def test_mark_from_a_csv_with_details(imported: Run, tmp_path: Path) -> None:
    """A CSV given to --file carries each row's time, channel, collector numbers, org and note."""
    sheet = tmp_path / "reached.csv"
    sheet.write_text(
        "联系人,时间,方式,来电号码,平台,备注\n"
        "王秀英,2026-11-27 21:30,电话,170 1234 5678,某某金融,问她认不认识我\n"
        "13912345678,2026-11-28 08:15,短信,133 1234 5678;170 1234 5678,,\n",
        encoding="utf-8",
    )
    result = imported("mark", "--file", str(sheet))
    assert result.stdout.splitlines() == [
        f"marked: 王秀英 ({sheet}:2: 王秀英)",
        f"marked: 李建国 ({sheet}:3: 13912345678)",
    ]
    history = imported("history", "李建国").stdout.splitlines()
    assert history == [
        "id:2 李建国: 1 reach record(s)",
        "  record 2: 2026-11-28 08:15 sms from +8613312345678, +8617012345678 (file)",
    ]
    assert imported("history", "王秀英").stdout.splitlines()[1] == (
        "  record 1: 2026-11-27 21:30 call from +8617012345678; org 某某金融; note 问她认不认识我 (file)"
    )


@pytest.mark.zone("Asia/Shanghai")
def test_mark_from_pasted_text(imported: Run, tmp_path: Path) -> None:
    """--text marks every contact's number in a chat and lists the others as probable collectors."""
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "妈妈：刚才 170 1234 5678 打电话给我(138 0013 8000)说你欠钱\n"
        "表哥：我也接到了，我是 +86 139-1234-5678，对方号码 133 1234 5678\n",
        encoding="utf-8",
    )
    result = imported("mark", "--text", str(chat), "--at", "2026-11-27 21:30")
    assert result.stdout.splitlines() == [
        f"marked: 王秀英 ({chat}:1: 138 0013 8000)",
        f"marked: 李建国 ({chat}:2: +86 139-1234-5678)",
        f"suggested by the text: disclosed the debt, for 李建国, 王秀英 ({chat}:1 “欠钱”)",
        "the suggested behaviours were not recorded; to record them, for each reach:",
        "  王秀英: contact-notify mark --record 1 --did disclosed-debt",
        "  李建国: contact-notify mark --record 2 --did disclosed-debt",
    ]
    assert result.stderr.splitlines() == [
        "probable collector number (not in your contacts): 170 1234 5678; add it to the reach "
        "with: contact-notify mark CONTACT --at '2026-11-27T21:30:00+08:00' --by +8617012345678",
        "probable collector number (not in your contacts): 133 1234 5678; add it to the reach "
        "with: contact-notify mark CONTACT --at '2026-11-27T21:30:00+08:00' --by +8613312345678",
    ]
    assert _json(imported)["王秀英"]["reach_count"] == 1
    # Following the hint adds the number to that reach instead of making a second one.
    followed = imported(
        "mark", "王秀英", "--at", "2026-11-27T21:30:00+08:00", "--by", "+8617012345678"
    )
    assert followed.stdout == "added to record 1: 王秀英 (王秀英)\n"
    assert _json(imported)["王秀英"]["reach_count"] == 1
    assert "from +8617012345678" in imported("history", "王秀英").stdout


def test_mark_from_stdin(imported: Run) -> None:
    """--text - reads the pasted text from standard input."""
    result = imported("mark", "--text", "-", input="同事说 186-0000-1234 那边也被打了\n")
    assert result.stdout == "marked: 陈静 (pasted text:1: 186-0000-1234)\n"


@pytest.mark.zone("Asia/Shanghai")
def test_repeated_reaches_and_unmark_one_record(imported: Run) -> None:
    """Each mark adds a record; contacts shows the latest and the count; unmark --record removes one."""
    imported("mark", "王秀英", "--at", "2026-11-26 10:00")
    imported("mark", "王秀英", "--at", "2026-11-27 22:30", "--by", "17012345678")
    record = _json(imported)["王秀英"]
    assert (record["reach_count"], record["last_reached"]) == (2, "2026-11-27T22:30:00+08:00")
    assert imported("unmark", "--record", "2").stdout == "unmarked: 王秀英 (1 record removed)\n"
    record = _json(imported)["王秀英"]
    assert (record["reach_count"], record["last_reached"]) == (1, "2026-11-26T10:00:00+08:00")
    assert imported("unmark", "--record", "99").exit_code == 3


def test_attachment_that_changes_is_marked(imported: Run, tmp_path: Path, case_path: Path) -> None:
    """An attached file's SHA-256 is kept; history and evidence say when it changed or went missing."""
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG pretend screenshot")
    recording = tmp_path / "call.m4a"
    recording.write_bytes(b"pretend recording")
    imported("mark", "王秀英", "--at", "2026-11-27 21:30", "--attach", str(shot))
    attached = imported("attach", "1", str(recording))
    assert attached.stdout.startswith(f"attached to record 1: {recording} (17 bytes, sha256 ")
    assert shot.read_bytes() == b"\x89PNG pretend screenshot"  # never modified
    lines = imported("history", "王秀英").stdout.splitlines()
    assert lines[2].endswith(" unchanged")
    assert lines[3].endswith(" unchanged")
    shot.write_bytes(b"edited")
    recording.unlink()
    lines = imported("history", "王秀英").stdout.splitlines()
    assert lines[2].endswith(" changed")
    assert lines[3].endswith(" missing")
    with Case.open(case_path) as case:
        summary = collect(case).summary
    assert (summary.files, summary.files_changed) == (2, 2)


def test_collectors_list(imported: Run) -> None:
    """collectors lists each --by number with its count, first and last seen, and contacts."""
    imported("mark", "王秀英", "--at", "2026-11-26 10:00", "--by", "170 1234 5678")
    imported(
        "mark", "李建国", "--at", "2026-11-27 22:30", "--by", "17012345678", "--by", "13312345678"
    )
    assert imported("collectors").stdout.splitlines() == [
        "number         reaches  first seen        last seen         contacts",
        "-------------  -------  ----------------  ----------------  --------",
        "170 1234 5678  2        2026-11-26 10:00  2026-11-27 22:30  2",
        "133 1234 5678  1        2026-11-27 22:30  2026-11-27 22:30  1",
    ]


@pytest.fixture
def evidence_case(imported: Run, tmp_path: Path, case_path: Path) -> Path:
    """A fixture case: five reaches over three days, two at night, one without a time."""
    imported(
        "mark",
        "王秀英",
        "--at",
        "2026-11-25 21:30",
        "--by",
        "17012345678",
        "--org",
        "某某金融",
    )
    imported("mark", "李建国", "--at", "2026-11-25 23:59", "--by", "17012345678")
    imported("mark", "张伟", "--at", "2026-11-26 07:59", "--by", "13312345678", "--channel", "sms")
    imported("mark", "刘芳", "--at", "2026-11-26 08:00", "--by", "17012345678",
             "--note", "打到她 15012345678 说要找王秀英")  # fmt: skip
    imported("mark", "陈静", "--at", "2026-11-27", "--channel", "wechat")
    return case_path


def test_evidence_summary_is_exact(evidence_case: Path) -> None:
    """Counts per day, night-time reaches, distinct collectors and the reached share are exact."""
    with Case.open(evidence_case) as case:
        s = collect(case).summary
    assert s.per_day == [("2026-11-25", 2), ("2026-11-26", 2), ("2026-11-27", 1)]
    assert (s.reaches, s.contacts_reached, s.contacts_total, s.share) == (5, 5, 33, "15%")
    assert (s.night, s.untimed) == (2, 1)  # 23:59, 07:59; 21:30 is before 22:00, 08:00 after
    assert s.collectors == [("170 1234 5678", 3), ("133 1234 5678", 1)]
    with Case.open(evidence_case) as case:
        assert collect(case, "22:00-07:00").summary.night == 1


def test_evidence_files_in_three_formats(
    imported: Run, evidence_case: Path, tmp_path: Path
) -> None:
    """md, csv and html are written owner-only; the timeline is sorted; html is self-contained."""
    for name in ("e.md", "e.csv", "e.html"):
        result = imported("evidence", str(tmp_path / name))
        assert result.stdout == (
            f"wrote {tmp_path / name}: 5 reaches of 5 contacts, 2 collector numbers, 2 at night\n"
        )
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(io.StringIO((tmp_path / "e.csv").read_text(encoding="utf-8-sig"))))
    assert [r["contact"] for r in rows] == ["王秀英", "李建国", "张伟", "刘芳", "陈静"]
    assert [r["time"] for r in rows[:2]] == ["2026-11-25 21:30", "2026-11-25 23:59 (night)"]
    assert rows[1]["rule flags"] == "contacted at night"
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert "<svg" in page
    assert "Content-Security-Policy" in page
    assert not re.search(r"<script|src=|href=|url\(", page)
    assert "| 2026-11-26 | 2 |" in (tmp_path / "e.md").read_text(encoding="utf-8")
    assert imported("evidence", str(tmp_path / "e.md")).exit_code == 5
    assert imported("evidence", str(tmp_path / "e.txt")).exit_code == 2


def _contact_number_spellings(case_path: Path) -> set[str]:
    spellings: set[str] = set()
    with Case.open(case_path) as case:
        for stored in case.contacts():
            for phone in stored.contact.phones:
                if not phone.e164:
                    continue
                national = phone.e164.removeprefix("+86")
                spellings |= {phone.e164, national, phone.raw}
                if len(national) == 11:
                    spellings.add(f"{national[:3]} {national[3:7]} {national[7:]}")
    return spellings


def test_mask_leaves_no_contact_number(imported: Run, evidence_case: Path, tmp_path: Path) -> None:
    """With --mask no contact's number appears in any format (notes included) and names are short."""
    spellings = _contact_number_spellings(evidence_case)
    for name in ("m.md", "m.csv", "m.html"):
        imported("evidence", str(tmp_path / name), "--mask")
        text = (tmp_path / name).read_text(encoding="utf-8")
        leaked = [s for s in spellings if s in text]
        assert leaked == [], name
        assert "王秀英" not in text
        assert ("王\\*\\*" if name == "m.md" else "王**") in text  # Markdown escapes the stars
        assert "170 1234 5678" in text  # collectors' numbers stay: they are the evidence
    imported("complaint", "--to", "12321", str(tmp_path / "c.txt"), "--mask")
    draft_text = (tmp_path / "c.txt").read_text(encoding="utf-8")
    assert [s for s in spellings if s in draft_text] == []


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_complaint_draft_renders(evidence_case: Path, kind: str, lang: str) -> None:
    """Each draft renders from the fixture case (strict: no undefined variable), with facts and blanks."""
    with Case.open(evidence_case) as case:
        with case.transaction():
            case.set_setting("sender", "林小明")
            case.set_setting("platform", "某某贷")
        text = draft(case, collect(case), kind, lang)
    assert "林小明" in text
    assert "某某贷" in text
    assert "170 1234 5678" in text
    assert "133 1234 5678" in text
    blank = "【待填写" if lang == "zh" else "[TO FILL IN"
    assert blank in text
    cited = "".join(rule.name for rule in RULES.values())
    articles = re.findall(r"第[^第条]*条", text)
    assert [a for a in articles if a not in cited] == []  # no article but those rules.RULES cites


def test_complaint_command(imported: Run, evidence_case: Path, tmp_path: Path) -> None:
    """complaint --to writes the draft and says how many blanks to fill; a wrong kind is exit 2."""
    result = imported("complaint", "--to", "police", str(tmp_path / "p.txt"), "--lang", "en")
    text = (tmp_path / "p.txt").read_text(encoding="utf-8")
    # police station, name (twice), ID number, contact, platform (twice), what the collectors
    # did (none recorded), evidence, requests
    assert result.stdout == (
        f"wrote {tmp_path / 'p.txt'}: check it and fill in the 10 marked blank(s) before sending\n"
    )
    assert text.count("[TO FILL IN") == 10
    letter = text.split("\n" + "=" * 40 + "\n\n", 1)[1]  # below the note outside the letter
    assert letter.startswith("Police report: collectors harassing my relatives and friends\n")
    wrong = imported("complaint", "--to", "fbi", str(tmp_path / "x.txt"))
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        "error: unknown complaint kind 'fbi'\nhint: use --to nifa, 12378, 12321, 12315, police\n",
    )
    assert not (tmp_path / "x.txt").exists()


@pytest.mark.parametrize("kind", ["nifa", "12378", "12321", "12315", "police"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_complaint_holds_only_the_letter(
    imported: Run, evidence_case: Path, tmp_path: Path, kind: str, lang: str
) -> None:
    """Below the note outside it, a draft is the letter to send: no "draft", no note to oneself."""
    imported("complaint", "--to", kind, "--lang", lang, str(tmp_path / "c.txt"))
    note, text = (tmp_path / "c.txt").read_text(encoding="utf-8").split("\n" + "=" * 40 + "\n\n")
    assert "contact-notify evidence evidence.zip" in note
    for words in ("草稿", "draft", "Draft", "提交前我会", "before submitting", "核对并补全"):
        assert words not in text
    closing = {"zh": "以上情况属实。", "en": "The above is true to the best of my knowledge."}
    assert closing[lang] in text.splitlines()


def test_masker_shortens_names() -> None:
    """Names are shortened: Chinese to surname and stars, Latin to initials."""
    from contact_notify.evidence import short_name

    assert [short_name(n) for n in ("王秀英", "欧阳娜娜", "Emily Chen", "妈妈", "欧阳娜娜（大学室友，杭州）")] == [
        "王**", "欧阳**", "E. C.", "妈*", "欧**",
    ]  # fmt: skip


def test_masked_evidence_keeps_the_summary(evidence_case: Path) -> None:
    """Masking changes what is shown, not what is counted."""
    with Case.open(evidence_case) as case:
        plain = collect(case)
        hidden = masked(plain, Masker(case))
    assert hidden.summary == plain.summary
    assert to_markdown(hidden) != to_markdown(plain)
    assert to_csv(hidden).count("\r\n") == to_csv(plain).count("\r\n")
    assert "王**" in to_html(hidden)


@pytest.mark.zone("Asia/Shanghai")
def test_times_with_other_offsets_are_ordered_by_the_moment(imported: Run, tmp_path: Path) -> None:
    """A reach typed in UTC after one typed in UTC+8 is the later one, counted in local time."""
    imported("config", "sender", "小林")
    imported("mark", "13800138000", "--at", "2026-11-28T08:00+08:00")
    imported("export", str(tmp_path / "a.csv"))
    imported("sent", "--exported", str(tmp_path / "a.csv"), "--at", "2026-11-28 09:00")
    later = imported("mark", "13800138000", "--at", "2026-11-28T01:30Z")  # 09:30 in Beijing
    assert later.exit_code == 0
    assert imported("status").stdout.splitlines()[-3] == "still to notify:   1"
    history = imported("history", "王秀英").stdout.splitlines()
    assert history[1].startswith("  record 1: 2026-11-28 08:00")
    assert history[2].startswith("  record 2: 2026-11-28 09:30")


def test_a_time_more_than_a_day_ahead_is_refused(
    imported: Run, clock_at: Callable[[str], None]
) -> None:
    """--at up to a day ahead of the clock is accepted (skew); further ahead is a year typo."""
    clock_at("2026-11-28 10:00")
    ahead = imported("mark", "王秀英", "--at", "2026-11-29 09:00")
    assert ahead.stdout == "marked: 王秀英 (王秀英)\n"
    typo = imported("mark", "王秀英", "--at", "2026-11-30")
    assert (typo.exit_code, typo.stderr) == (
        2,
        "error: --at '2026-11-30' is in the future or out of range\nhint: check the year\n",
    )


def test_csv_rows_with_details_are_each_a_reach(imported: Run, tmp_path: Path) -> None:
    """Two rows for one contact with their own times are two reaches; a number beats a shared name."""
    sheet = tmp_path / "reached.csv"
    sheet.write_text(
        "姓名,手机,时间,方式,来电号码,备注\n"
        "王秀英,,2026-11-27 21:30,电话,1069 0123 4567,第一次\n"
        "王秀英,,2026/11/28 09:10,短信,,第二次\n"
        "随便写的名字,13912345678,2026-11-28 10:00,,,\n",
        encoding="utf-8",
    )
    result = imported("mark", "--file", str(sheet))
    assert result.stdout.splitlines() == [
        f"marked: 王秀英 ({sheet}:2: 王秀英)",
        f"marked: 王秀英 ({sheet}:3: 王秀英)",
        f"marked: 李建国 ({sheet}:4: 13912345678)",
    ]
    history = imported("history", "王秀英").stdout.splitlines()
    assert history[1] == "  record 1: 2026-11-27 21:30 call from 1069 0123 4567; note 第一次 (file)"
    assert history[2] == "  record 2: 2026-11-28 09:10 sms from number unknown; note 第二次 (file)"


def test_bad_cells_in_a_reached_csv_name_their_line(imported: Run, tmp_path: Path) -> None:
    """An unreadable time or channel in a --file CSV is an input error naming file and line."""
    sheet = tmp_path / "bad.csv"
    sheet.write_text("姓名,时间\n王秀英,2026-11-27\n李建国,昨天晚上\n", encoding="utf-8")
    result = imported("mark", "--file", str(sheet))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {sheet}:3: --at '昨天晚上' is not a date or time")


def test_target_file_with_cr_line_ends(imported: Run, tmp_path: Path) -> None:
    """A target list saved with CR line ends (old Excel for Mac) reads line by line."""
    targets = tmp_path / "cr.txt"
    targets.write_bytes(b"13800138000\r13912345678\r")
    result = imported("mark", "--file", str(targets))
    assert result.stdout.splitlines() == [
        f"marked: 王秀英 ({targets}:1: 13800138000)",
        f"marked: 李建国 ({targets}:2: 13912345678)",
    ]


def test_pasted_text_line_numbers_with_full_width_digits(imported: Run, tmp_path: Path) -> None:
    """Line numbers of numbers found in pasted text are right even with full-width digits."""
    chat = tmp_path / "chat.txt"
    chat.write_text("第一行\n第二行\n妈妈说：１３８００１３８０００ 打来过\n", encoding="utf-8")
    result = imported("mark", "--text", str(chat))
    assert result.stdout == f"marked: 王秀英 ({chat}:3: 13800138000)\n"


def test_unknown_language_channel_and_kind_are_usage_errors(imported: Run, tmp_path: Path) -> None:
    """--lang fr, --channel fax and complaint --to fbi exit 2 with a message naming the choices."""
    imported("mark", "王秀英")
    draft_path = tmp_path / "c.txt"
    refusals = {
        ("preview", "--lang", "fr"): (
            "error: unknown language 'fr'\nhint: use --lang zh or --lang en\n"
        ),
        ("preview", "--channel", "fax"): (
            "error: unknown channel 'fax'\nhint: use --channel sms, wechat or email\n"
        ),
        ("sent", "王秀英", "--channel", "fax"): (
            "error: unknown channel 'fax'\nhint: use one of: sms, wechat, email, call, visit, other\n"
        ),
        ("complaint", "--to", "fbi", str(draft_path)): (
            "error: unknown complaint kind 'fbi'\nhint: use --to nifa, 12378, 12321, 12315, police\n"
        ),
    }
    for args, stderr in refusals.items():
        result = imported(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr), args
    assert not draft_path.exists()
    assert "sent:              0" in imported("status").stdout.splitlines()


def test_mask_catches_numbers_and_names_in_any_spelling(imported: Run, tmp_path: Path) -> None:
    """Numbers followed by more digits, full-width digits, short numbers and any-case names are hidden."""
    imported("mark", "王秀英", "--at", "2026-11-27 21:30", "--note", "13800138000 (2次)")
    imported(
        "mark", "李建国", "--at", "2026-11-27 21:40", "--note", "她说 １３８００１３８０００ 被打了"
    )
    imported("mark", "周杰", "--at", "2026-11-27 21:50", "--by", "17012345678",
             "--note", "called 95555 and EMILY  chen")  # fmt: skip
    outputs = []
    for name in ("m.md", "m.csv", "m.html"):
        imported("evidence", str(tmp_path / name), "--mask")
        outputs.append((tmp_path / name).read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        imported(
            "complaint", "--to", "12321", "--lang", lang, "--mask", str(tmp_path / f"c.{lang}")
        )
        outputs.append((tmp_path / f"c.{lang}").read_text(encoding="utf-8"))
    for text in outputs:
        for secret in (
            "13800138000",
            "１３８",
            "95555",
            "Emily",
            "EMILY",
            "王秀英",
            "9123 4567",
            "91234567",
        ):
            assert secret not in text, secret
        assert "170 1234 5678" in text  # the collector's number is the evidence


def test_mask_hides_at_least_half_of_short_numbers() -> None:
    """Mobile numbers keep 3 + 4 digits; shorter ones keep only the end."""
    from contact_notify.filters import mask

    assert mask("+8613800138000") == "138****8000"
    assert mask("+85291234567") == "****4567"
    assert mask("95555") == "***55"


def test_spreadsheet_outputs_are_formula_safe(imported: Run, tmp_path: Path) -> None:
    """The evidence CSV and contacts --format csv protect cells a spreadsheet would run."""
    imported("mark", "王秀英", "--at", "2026-11-27 21:30", "--note", '=HYPERLINK("http://x","y")',
             "--org", "@SUM(1)")  # fmt: skip
    imported("evidence", str(tmp_path / "e.csv"))
    listing = imported("contacts", "--format", "csv").stdout
    for text in ((tmp_path / "e.csv").read_text(encoding="utf-8"), listing):
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@"), cell


def test_rerunning_the_same_mark_records_nothing_new(imported: Run, tmp_path: Path) -> None:
    """The same --file with the same --at, run twice, does not double the evidence."""
    targets = tmp_path / "t.txt"
    targets.write_text("13800138000\n李建国\n", encoding="utf-8")
    args = ("mark", "--file", str(targets), "--at", "2026-11-27 22:15", "--by", "17012345678")
    imported(*args)
    again = imported(*args)
    assert again.stdout.splitlines() == [
        f"already recorded (record 1): 王秀英 ({targets}:1: 13800138000)",
        f"already recorded (record 2): 李建国 ({targets}:2: 李建国)",
    ]
    with Case.open(Path(imported("status").stdout.splitlines()[0].removeprefix("case: "))) as case:
        assert collect(case).summary.reaches == 2


def test_evidence_shows_the_number_the_collector_reached(imported: Run, tmp_path: Path) -> None:
    """Marking a contact's second number shows that number in the evidence, and the SMS goes there."""
    imported("config", "sender", "小林")
    imported("mark", "13144446666", "--at", "2026-11-28 00:10", "--by", "17012345678")
    imported("evidence", str(tmp_path / "e.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "e.csv").read_text(encoding="utf-8-sig"))))
    assert (rows[0]["contact"], rows[0]["contact number"]) == ("梁志刚", "131 4444 6666")
    assert "梁志刚 · +8613144446666 ·" in imported("preview").stdout


@pytest.mark.zone("Asia/Shanghai")
def test_pasted_text_does_not_suggest_the_by_numbers(imported: Run, tmp_path: Path) -> None:
    """A number given with --by is the collector's already: only the other unknown number is suggested."""
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "妈妈：170 1234 5678 打给我(138 0013 8000)\n表哥：133 1234 5678 也打了，170-1234-5678 又打\n",
        encoding="utf-8",
    )
    result = imported(
        "mark", "--text", str(chat), "--at", "2026-11-27 21:30", "--by", "17012345678"
    )
    assert result.stdout == f"marked: 王秀英 ({chat}:1: 138 0013 8000)\n"
    assert result.stderr == (
        "probable collector number (not in your contacts): 133 1234 5678; add it to the reach "
        "with: contact-notify mark CONTACT --at '2026-11-27T21:30:00+08:00' --by +8613312345678\n"
    )
    assert "from +8617012345678 (text)" in imported("history", "王秀英").stdout
