"""Rule flags are derived from the reach records, each at its boundary, and cite rules by name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from contact_notify.evidence import collect, summary_lines
from contact_notify.rules import KINDS, RULES, Flag
from contact_notify.store import Case

from conftest import EXAMPLES, Run

pytestmark = pytest.mark.zone("Asia/Shanghai")

# The published names each kind of flag cites, in the order rules.KINDS gives them.
CBA = "中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》"
PRIVACY = "《中华人民共和国民法典》第一千零三十二条、第一千零三十三条"


@pytest.fixture
def imported(cli: Run) -> Run:
    """A case with the example contacts imported."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    return cli


def _mark_rows(run: Run, folder: Path, rows: list[list[str]]) -> None:
    sheet = folder / "reaches.csv"
    with sheet.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["target", "at", "by", "did"], *rows])
    result = run("mark", "--file", str(sheet))
    assert result.exit_code == 0, result.stderr


def _flags(case_path: Path, **options: object) -> list[Flag]:
    with Case.open(case_path) as case:
        return collect(case, **options).flags  # type: ignore[arg-type]


def test_night_starts_at_22_00_and_ends_before_08_00(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """21:59 and 08:00 are not night, 22:00 and 07:59 are; a reach with no time is never."""
    _mark_rows(imported, tmp_path, [
        ["王秀英", "2026-11-27 21:59", "", ""], ["李建国", "2026-11-27 22:00", "", ""],
        ["张伟", "2026-11-28 07:59", "", ""], ["刘芳", "2026-11-28 08:00", "", ""],
        ["陈静", "2026-11-28", "", ""],
    ])  # fmt: skip
    assert _flags(case_path) == [
        Flag("night", "2026-11-27T22:00:00+08:00", name="李建国"),
        Flag("night", "2026-11-28T07:59:00+08:00", name="张伟"),
    ]
    # Another window is the user's to set.
    assert [f.name for f in _flags(case_path, night="21:30-07:00")] == ["王秀英", "李建国"]


def _seven_calls(
    by: str = "17012345678", names: tuple[str, ...] = ("王秀英",) * 7
) -> list[list[str]]:
    return [[name, f"2026-11-27 {9 + n:02d}:00", by, ""] for n, name in enumerate(names)]


def test_the_seventh_attempt_to_one_contact_is_flagged_not_the_sixth(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """Six reaches of one contact in a day are within the limit; the seventh flags the day."""
    rows = _seven_calls(by="")
    _mark_rows(imported, tmp_path, rows[:6])
    assert _flags(case_path) == []
    _mark_rows(imported, tmp_path, rows[6:])
    assert _flags(case_path) == [Flag("per-contact", "2026-11-27", name="王秀英", count=7)]
    with Case.open(case_path) as case:
        timeline = collect(case).timeline
    assert [e.flags for e in timeline] == [()] * 6 + [("per-contact",)]
    # A lower limit is the user's to set; zero is refused.
    assert _flags(case_path, max_per_day=3)[0].count == 7
    result = imported("evidence", str(tmp_path / "e.md"), "--max-per-day", "0")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "error: --max-per-day must be at least 1, not 0"


def test_the_seventh_attempt_from_one_number_is_flagged_across_contacts(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """Seven reaches from one number to seven contacts flag that number's day, not a contact."""
    names = ("王秀英", "李建国", "张伟", "刘芳", "陈静", "徐强", "周杰")
    rows = _seven_calls(names=names)
    _mark_rows(imported, tmp_path, rows[:6])
    assert _flags(case_path) == []
    _mark_rows(imported, tmp_path, rows[6:])
    # A fact shown for context: no one person was called more than once, so no rule is cited.
    assert _flags(case_path) == [
        Flag("per-number", "2026-11-27", number="170 1234 5678", count=7, cited=False)
    ]
    # Another day starts the count again.
    _mark_rows(imported, tmp_path, [["王秀英", "2026-11-28 09:00", "17012345678", ""]])
    assert len(_flags(case_path)) == 1


def test_a_disclosure_or_a_demand_to_pay_is_flagged(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """Reaches where the collector disclosed the debt or asked the contact to pay are flagged."""
    _mark_rows(imported, tmp_path, [
        ["王秀英", "2026-11-27 10:00", "", "透露欠款"], ["李建国", "2026-11-27 11:00", "", "要求代还"],
        ["张伟", "2026-11-27 12:00", "", "辱骂"],
    ])  # fmt: skip
    assert _flags(case_path) == [
        Flag("disclosed", "2026-11-27T10:00:00+08:00", name="王秀英"),
        Flag("disclosed", "2026-11-27T11:00:00+08:00", name="李建国"),
    ]


def test_the_summary_counts_each_flag_and_says_may_breach(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """Each kind is counted, said with the rules it may breach by their published names only."""
    rows = _seven_calls()
    rows[6][1] = "2026-11-27 23:00"
    rows[0][3] = "透露欠款、辱骂"
    _mark_rows(imported, tmp_path, rows)
    with Case.open(case_path) as case:
        s = collect(case).summary
    assert s.flags == {"night": 1, "per-number": 1, "per-contact": 1, "disclosed": 1}
    assert s.behaviours == [("disclosed-debt", 1), ("insulted", 1)]
    assert summary_lines(s)[2:] == [
        "Reaches at night (22:00-08:00): 1; may breach "
        f"{CBA} (the China Banking Association's guideline on collecting personal consumer "
        f"loans); {PRIVACY} (the Civil Code, articles 1032 and 1033, on privacy)",
        "Distinct collector numbers: 1",
        "What the collectors did: disclosed the debt 1, insulted 1",
        "A number making more than 6 attempts in a day: 1 (number and day)",
        "A contact reached more than 6 times in a day: 1 (contact and day); may breach "
        f"{CBA} (the China Banking Association's guideline on collecting personal consumer "
        f"loans); {PRIVACY} (the Civil Code, articles 1032 and 1033, on privacy)",
        "Reaches on which the debt was disclosed to the contact: 1; may breach "
        f"{CBA} (the China Banking Association's guideline on collecting personal consumer "
        "loans); 《中华人民共和国个人信息保护法》 (the Personal Information Protection Law); "
        "《中华人民共和国民法典》第一千零三十四条至第一千零三十八条 (the Civil Code, articles "
        "1034 to 1038, on personal information)",
    ]


def test_every_flag_cites_only_rules_documented_with_their_source() -> None:
    """Each kind cites rules that docs/rules.md names; the related standard is never one of them."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert kind.rules or kind.key == "per-number", kind.key  # per-number is a count only
        assert "gb-t-45251" not in kind.rules
        for key in kind.rules:
            assert RULES[key].name in docs, key


def test_wider_thresholds_add_facts_that_cite_no_rule(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """With --night 21:00-08:00 and --max-per-day 3, only facts beyond the reported limits
    (22:00-08:00, more than 6 a day) cite rules; the others are shown as facts."""
    rows = _seven_calls(by="")[:5]
    rows[0][1] = "2026-11-27 21:30"
    rows[1][1] = "2026-11-27 22:30"
    _mark_rows(imported, tmp_path, rows)
    with Case.open(case_path) as case:
        found = collect(case, night="21:00-08:00", max_per_day=3)
    assert [(f.kind, f.at[11:16], f.cited) for f in found.flags] == [
        ("night", "21:30", False),
        ("night", "22:30", True),
        ("per-contact", "", False),
    ]
    lines = summary_lines(found.summary)
    assert lines[2].startswith("Reaches at night (21:00-08:00): 2; 1 of them: may breach ")
    assert "A contact reached more than 3 times in a day: 1 (contact and day)" in lines
    result = imported("evidence", str(tmp_path / "e.csv"), "--night", "21:00-08:00")
    assert result.exit_code == 0


@pytest.mark.parametrize("window", ["22:00-22:00", "25:00-08:00", "22:00"])
def test_a_window_that_is_no_window_is_refused(imported: Run, tmp_path: Path, window: str) -> None:
    """An empty or malformed --night is a usage error, not a kit with no night at all."""
    result = imported("evidence", str(tmp_path / "e.md"), "--night", window)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"error: --night {window!r} is not a time window"


def test_a_window_that_does_not_wrap_and_several_numbers_on_one_reach(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """01:00-05:00 holds 01:00 and 04:59 only; a reach from two numbers counts for each."""
    _mark_rows(imported, tmp_path, [
        ["王秀英", "2026-11-27 00:59", "", ""], ["李建国", "2026-11-27 01:00", "", ""],
        ["张伟", "2026-11-27 04:59", "", ""], ["刘芳", "2026-11-27 05:00", "", ""],
    ])  # fmt: skip
    assert [f.name for f in _flags(case_path, night="01:00-05:00")] == ["李建国", "张伟"]
    _mark_rows(imported, tmp_path, [
        ["陈静", f"2026-11-28 {9 + n:02d}:00", "17012345678;13312345678", ""] for n in range(7)
    ])  # fmt: skip
    assert sorted(f.number for f in _flags(case_path) if f.kind == "per-number") == [
        "133 1234 5678",
        "170 1234 5678",
    ]


def test_a_draft_under_a_wider_window_cites_only_the_reported_night(
    imported: Run, case_path: Path, tmp_path: Path
) -> None:
    """With --night 21:00-08:00 the draft says how many of the night contacts may breach the
    rules and marks the others as not among them."""
    _mark_rows(imported, tmp_path, [
        ["王秀英", "2026-11-27 21:30", "", ""], ["李建国", "2026-11-27 22:30", "", ""],
    ])  # fmt: skip
    out = tmp_path / "d.txt"
    assert imported("complaint", "--to", "12321", str(out), "--night", "21:00-08:00").exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("- 夜间联系"))
    assert lines[start].startswith(f"- 夜间联系：2 次。其中 1 处可能违反：{CBA}；")
    assert lines[start + 1 : start + 3] == [
        "  - 2026年11月27日 21:30，联系人：王秀英（不在上述“可能违反”之列）",
        "  - 2026年11月27日 22:30，联系人：李建国",
    ]
