"""Complaint drafts use all of the evidence, open with a note outside the letter, and say no more
about a rule than docs/rules.md."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from contact_notify import i18n, rules
from contact_notify.complaints import KINDS
from contact_notify.evidence import collect, flag_cells, summary_lines
from contact_notify.store import Case

from conftest import EXAMPLES, Run

RULES_DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
# What separates the note to the user from the letter.
RULE_LINE = "\n" + "=" * 40 + "\n\n"
LANGS = ("zh", "en")


@pytest.fixture
def sample(cli: Run, clock_at: Callable[[str], None]) -> Run:
    """The example contacts, and 15 reaches over three days: 21:59 and 22:00 on the 27th (the
    first disclosed the debt and insulted, the second insulted), seven from one number to 张伟 on
    the 28th, six from another to 刘芳 on the 29th (the last asked her to pay)."""
    clock_at("2026-12-01 12:00")
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    assert cli("config", "sender", "林小明").exit_code == 0
    marks = [
        ("王秀英", "2026-11-27 21:59", "17012345678", ("透露欠款", "辱骂")),
        ("李建国", "2026-11-27 22:00", "17012345678", ("insulted",)),
        *(("张伟", f"2026-11-28 {h}:00", "13312345678", ()) for h in range(10, 17)),
        *(("刘芳", f"2026-11-29 {h:02d}:00", "18600001111", ()) for h in range(9, 14)),
        ("刘芳", "2026-11-29 14:00", "18600001111", ("要求代还",)),
    ]
    for name, at, by, did in marks:
        extra = [arg for b in did for arg in ("--did", b)]
        result = cli("mark", name, "--at", at, "--by", by, *extra)
        assert result.exit_code == 0, result.output
    return cli


def _draft(run: Run, folder: Path, kind: str, lang: str) -> tuple[str, str, str]:
    """Write a draft; return the command's output, the note above the rule line and the letter."""
    out = folder / f"{kind}.{lang}.txt"
    result = run("complaint", "--to", kind, "--lang", lang, str(out), "--force")
    assert result.exit_code == 0, result.output
    note, letter = out.read_text(encoding="utf-8").split(RULE_LINE)
    return result.stdout, note, letter


def _block(letter: str, heading: str) -> list[str]:
    """The lines of a section of the letter, from its heading to the next section's."""
    after = letter.split(f"\n{heading}\n\n", 1)[1]
    return re.split(r"\n\n(?:[一二三四五六七八九十]、|\d\. [A-Z])", after, maxsplit=1)[0].split(
        "\n"
    )


CBA = "中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》"
PRIVACY = "《中华人民共和国民法典》第一千零三十二条、第一千零三十三条"
PIPL = "《中华人民共和国个人信息保护法》"
INFORMATION = "《中华人民共和国民法典》第一千零三十四条至第一千零三十八条"
GB = "GB/T 45251—2025《互联网金融 个人网络消费信贷 贷后催收风控指引》"
CBA_EN = f"{CBA} (the China Banking Association's guideline on collecting personal consumer loans)"
PRIVACY_EN = f"{PRIVACY} (the Civil Code, articles 1032 and 1033, on privacy)"
PIPL_EN = f"{PIPL} (the Personal Information Protection Law)"
INFORMATION_EN = f"{INFORMATION} (the Civil Code, articles 1034 to 1038, on personal information)"
GB_EN = f"{GB} (the national standard on collection after lending in online consumer credit)"

# The sections of the sample's letter that carry its counts and flags, line by line.
EXPECTED = {
    "zh": {
        "一、基本情况": [
            "自2026年11月27日至2026年11月29日，有人以催收【待填写：借款平台名称】的借款为由，"
            "联系了我通讯录中的亲友、同事。据我的记录：",
            "",
            "- 被联系的人：4 人，占我通讯录 33 人的 12%；",
            "- 记录到的联系：15 次，其中夜间（22:00-08:00）1 次；",
            "- 使用的号码：3 个，各号码联系次数如下：",
            "  - 133 1234 5678：7 次",
            "  - 186 0000 1111：6 次",
            "  - 170 1234 5678：2 次",
            "- 每日联系次数：",
            "  - 2026年11月27日：2 次",
            "  - 2026年11月28日：7 次",
            "  - 2026年11月29日：6 次",
        ],
        "二、催收方的行为": [
            "按我记录的每次联系统计（一次联系可能有几种行为）：",
            "",
            "- 透露欠款：1 次",
            "- 要求代还：1 次",
            "- 辱骂：2 次",
        ],
        "三、可能违反相关规定的情况": [
            "以下情况由上述联系记录统计得出（夜间指 22:00-08:00；"
            "同一号码或同一联系人一天内超过 6 次的，按天列出）：",
            "",
            f"- 夜间联系：1 次。可能违反：{CBA}；{PRIVACY}。",
            "  - 2026年11月27日 22:00，联系人：李建国",
            "- 同一号码一天内联系超过 6 次：1 天次（仅为统计，不对应具体规定）。",
            "  - 2026年11月28日，号码 133 1234 5678：7 次",
            f"- 一天内联系同一人超过 6 次：1 天次。可能违反：{CBA}；{PRIVACY}。",
            "  - 2026年11月28日，联系人张伟：7 次",
            f"- 向第三人透露欠款（包括要求其代还）：2 次。可能违反：{CBA}；{PIPL}；{INFORMATION}。",
            "  - 2026年11月27日 21:59，联系人：王秀英",
            "  - 2026年11月29日 14:00，联系人：刘芳",
            "",
            f"相关国家标准：{GB}，供核查时参照。",
        ],
    },
    "en": {
        "1. What happened": [
            "From 27 November 2026 to 29 November 2026, people collecting a debt for "
            "[TO FILL IN: the lending platform] contacted relatives, friends and colleagues in "
            "my phone's contact list. From my records:",
            "",
            "- People contacted: 4, 12% of the 33 people in my contacts;",
            "- Contacts recorded: 15, of which 1 at night (22:00-08:00);",
            "- Numbers used: 3, each used this many times:",
            "  - 133 1234 5678: 7",
            "  - 186 0000 1111: 6",
            "  - 170 1234 5678: 2",
            "- Contacts per day:",
            "  - 27 November 2026: 2",
            "  - 28 November 2026: 7",
            "  - 29 November 2026: 6",
        ],
        "2. What the collectors did": [
            "Counted over the contacts I recorded (one contact may involve several of these):",
            "",
            "- disclosed the debt: 1",
            "- asked the contact to pay: 1",
            "- insulted: 2",
        ],
        "3. Facts that may breach the rules": [
            "Counted from the records above (night means 22:00-08:00; a day with more than 6 "
            "contacts from one number or to one person is listed):",
            "",
            f"- Contacted at night: 1. This may breach: {CBA_EN}; {PRIVACY_EN}.",
            "  - 27 November 2026, 22:00: 李建国",
            "- More than 6 contacts in a day from one number: 1 (number and day) "
            "(a count for context; no rule is cited for it).",
            "  - 28 November 2026: 133 1234 5678, 7 times",
            "- More than 6 contacts in a day to one person: 1 (person and day). "
            f"This may breach: {CBA_EN}; {PRIVACY_EN}.",
            "  - 28 November 2026: 张伟, 7 times",
            "- The debt disclosed to a third party (asking them to pay included): 2. "
            f"This may breach: {CBA_EN}; {PIPL_EN}; {INFORMATION_EN}.",
            "  - 27 November 2026, 21:59: 王秀英",
            "  - 29 November 2026, 14:00: 刘芳",
            "",
            f"Related national standard, for reference: {GB_EN}.",
        ],
    },
}
# The timeline's first two lines: 21:59 is not night, 22:00 is; each with its behaviours.
TIMELINE = {
    "zh": (
        "四、时间记录",
        [
            "1. 2026年11月27日 21:59：王秀英（138 0013 8000）被电话联系，催收号码 170 1234 5678，"
            "行为：透露欠款、辱骂。",
            "2. 2026年11月27日 22:00（夜间）：李建国（139 1234 5678）被电话联系，"
            "催收号码 170 1234 5678，行为：辱骂。",
        ],
    ),
    "en": (
        "4. Timeline",
        [
            "1. 27 November 2026, 21:59: 王秀英 (138 0013 8000) was contacted by phone from "
            "170 1234 5678; what they did: disclosed the debt, insulted.",
            "2. 27 November 2026, 22:00 (night): 李建国 (139 1234 5678) was contacted by phone "
            "from 170 1234 5678; what they did: insulted.",
        ],
    ),
}

# Where each kind is submitted, as its note must say (docs/rules.md, "Where each complaint goes").
PLACES = {
    ("nifa", "zh"): ("中国互联网金融协会", "互联网金融举报信息平台"),
    ("nifa", "en"): ("China Internet Finance Association", "互联网金融举报信息平台"),
    ("12378", "zh"): ("国家金融监督管理总局", "12378 金融消费者投诉热线"),
    ("12378", "en"): ("12378 consumer hotline", "National Financial Regulatory Administration"),
    ("12321", "zh"): ("网络不良与垃圾信息举报受理中心", "12321.cn", "010-12321"),
    ("12321", "en"): ("Spam Information Reporting Centre", "12321.cn", "010-12321"),
    ("12315", "zh"): ("市场监督管理部门", "12315 热线", "12315 平台"),
    ("12315", "en"): ("market regulation", "12315 hotline", "12315 platform"),
    ("police", "zh"): ("当地派出所", "110"),
    ("police", "en"): ("local police station", "110"),
}
# The letters' titles (their first line, just below the rule line).
TITLES = {
    ("nifa", "zh"): "关于网络借贷催收骚扰我亲友的投诉",
    ("nifa", "en"): "Complaint about debt collectors harassing my contacts",
    ("12378", "zh"): "金融消费投诉：催收骚扰我的亲友",
    ("12378", "en"): "Consumer complaint: debt collection harassing my contacts",
    ("12321", "zh"): "骚扰电话和短信举报",
    ("12321", "en"): "Report of harassing calls and text messages",
    ("12315", "zh"): "投诉：催收方骚扰消费者的亲友",
    ("12315", "en"): "Complaint: a collector harassing a consumer's contacts",
    ("police", "zh"): "报警材料：催收人员骚扰我的亲友的情况说明",
    ("police", "en"): "Police report: collectors harassing my relatives and friends",
}

# The blanks every draft of the sample leaves (sender set; no contact, no platform), and those
# of each kind besides.
BLANKS = {
    "zh": [
        "【待填写】",  # ID number
        "【待填写：电话或其他联系方式】",
        "【待填写：借款平台名称】",  # the header's platform line
        "【待填写：借款平台名称】",  # and the first sentence
        "【待填写：其他证据，如通话录音、短信截图、借款合同】",
        "【待填写：其他请求】",
    ],
    "en": [
        "[TO FILL IN]",
        "[TO FILL IN: phone or other contact]",
        "[TO FILL IN: lending platform]",
        "[TO FILL IN: the lending platform]",
        "[TO FILL IN: other evidence, such as call recordings, screenshots of messages, the loan "
        "contract]",
        "[TO FILL IN: other requests]",
    ],
}
KIND_BLANKS = {
    ("12378", "zh"): ["【待填写：借款平台名称】"],
    ("12378", "en"): ["[TO FILL IN: the lending platform]"],
    ("12315", "zh"): ["【待填写：借款平台名称或催收公司名称】"],
    ("12315", "en"): ["[TO FILL IN: the lending platform or collection company]"],
    ("police", "zh"): ["【待填写：派出所名称】"],
    ("police", "en"): ["[TO FILL IN: police station]"],
}
BLANK = re.compile(r"【待填写[^】]*】|\[TO FILL IN[^\]]*\]")


@pytest.mark.parametrize("lang", LANGS)
def test_every_draft_shows_the_counts_and_the_flags_with_their_dates(
    sample: Run, tmp_path: Path, lang: str
) -> None:
    """Date range, contacts, numbers, behaviour counts, each flag with its date and the rules it
    may breach, the related standard and the timeline's behaviours are in every kind's draft."""
    heading, first = TIMELINE[lang]
    for kind in KINDS:
        _said, _note, letter = _draft(sample, tmp_path, kind, lang)
        for section, lines in EXPECTED[lang].items():
            assert _block(letter, section) == lines, (kind, section)
        timeline = _block(letter, heading)
        assert timeline[:2] == first, kind
        assert len(timeline) == 15, kind


@pytest.mark.parametrize("lang", LANGS)
def test_every_draft_opens_with_a_note_outside_the_letter(
    sample: Run, tmp_path: Path, lang: str
) -> None:
    """Above the rule line: not part of the letter, where it is submitted, the bundle to attach;
    below it the letter starts with its title."""
    for kind in KINDS:
        _said, note, letter = _draft(sample, tmp_path, kind, lang)
        first = note.split("\n", 1)[0]
        assert first == (
            "【使用说明：这一段只是给您看的，不是材料的一部分；提交前请连同下面的分隔线一并删除。】"
            if lang == "zh"
            else "[NOTE for you: this part is not part of the letter. Delete it, and the line "
            "below it, before submitting.]"
        )
        for words in PLACES[kind, lang]:
            assert words in note, (kind, words)
        assert "contact-notify evidence evidence.zip" in note, kind
        assert ("录音" if lang == "zh" else "recordings") in note, kind
        assert letter.split("\n", 1)[0] == TITLES[kind, lang]
        assert BLANK.findall(note) == [], kind
        assert RULE_LINE.strip() not in letter, kind


UNKNOWABLE = {
    "zh": [
        "【待填写】",
        "【待填写：其他证据，如通话录音、短信截图、借款合同】",
        "【待填写：其他请求】",
    ],
    "en": [
        "[TO FILL IN]",
        "[TO FILL IN: other evidence, such as call recordings, screenshots of messages, "
        "the loan contract]",
        "[TO FILL IN: other requests]",
    ],
}
STATION = {"zh": "【待填写：派出所名称】", "en": "[TO FILL IN: police station]"}


@pytest.mark.parametrize("lang", LANGS)
def test_blanks_only_for_what_the_tool_cannot_know(sample: Run, tmp_path: Path, lang: str) -> None:
    """With the sender set, the blanks are exactly the ID, contact, platform, other evidence and
    requests (and the kind's own); with contact and platform set too, only what no setting holds."""
    for kind in KINDS:
        said, _note, letter = _draft(sample, tmp_path, kind, lang)
        expected = Counter(BLANKS[lang] + KIND_BLANKS.get((kind, lang), []))
        assert Counter(BLANK.findall(letter)) == expected, kind
        assert f"fill in the {expected.total()} marked blank(s)" in said, kind
    sample("config", "sender-contact", "微信 linxm88")
    sample("config", "platform", "某某贷")
    for kind in KINDS:
        said, _note, letter = _draft(sample, tmp_path, kind, lang)
        station = [STATION[lang]] if kind == "police" else []
        assert Counter(BLANK.findall(letter)) == Counter(UNKNOWABLE[lang] + station), kind
        assert "某某贷" in letter, kind
        assert "微信 linxm88" in letter, kind


@pytest.mark.parametrize("lang", LANGS)
def test_a_case_without_numbers_behaviours_or_flags(
    cli: Run, clock_at: Callable[[str], None], tmp_path: Path, lang: str
) -> None:
    """No collector number or behaviour recorded: a blank for each; no flag: the draft says none."""
    clock_at("2026-12-01 12:00")
    cli("import", str(EXAMPLES / "contacts.vcf"))
    assert cli("mark", "王秀英", "--at", "2026-11-27 10:00").exit_code == 0
    _said, _note, letter = _draft(cli, tmp_path, "12321", lang)
    found = BLANK.findall(letter)
    unknown = {
        "zh": (
            "【待填写：来电或短信号码】",
            "【待填写：催收方对我的亲友说了什么、做了什么，如透露欠款、要求代还、辱骂、威胁】",
        ),
        "en": (
            "[TO FILL IN: the numbers that called or texted]",
            "[TO FILL IN: what the collectors said and did to my relatives and friends, such as "
            "disclosing the debt, asking them to pay, insults, threats]",
        ),
    }[lang]
    assert [found.count(blank) for blank in unknown] == [1, 1]
    heading = "三、可能违反相关规定的情况" if lang == "zh" else "3. Facts that may breach the rules"
    none = (
        "- 按上述标准，记录中没有这类情况。"
        if lang == "zh"
        else "- By these measures, none in my records."
    )
    assert _block(letter, heading)[2] == none


def test_a_draft_speaks_its_own_language_whatever_the_interface(
    zh: None, sample: Run, tmp_path: Path
) -> None:
    """With a Chinese interface, an English draft names behaviours and flags in English."""
    _said, _note, letter = _draft(sample, tmp_path, "12321", "en")
    assert (
        _block(letter, "2. What the collectors did") == EXPECTED["en"]["2. What the collectors did"]
    )
    assert "透露欠款" not in letter
    assert "辱骂" not in letter


# -- nothing says more about a rule than docs/rules.md --------------------------------------------


def _cited_part() -> str:
    """The part of docs/rules.md on the rules the tool cites (not those it leaves out)."""
    doc = RULES_DOC.read_text(encoding="utf-8")
    return doc.split("\n## The rules the tool cites\n", 1)[1].split("\n## ", 1)[0]


# Words that would state a breach rather than a possibility.
ASSERTIVE = ("违法", "侵犯", "侵害", "violat", "infring", "illegal", "unlawful")


def _says_no_more_than_the_doc(text: str) -> list[str]:
    """What in a text goes beyond docs/rules.md: rule names, articles, and breaches asserted."""
    cited = _cited_part()
    problems = [n for n in re.findall(r"《[^《》]*》", text) if n not in cited]
    problems += [a for a in re.findall(r"第[^第条\s]{1,12}条", text) if a not in cited]
    for numbers in re.findall(r"\barticles? ([\d\s,–-]+(?:(?:and|to) \d+)?)", text, re.I):
        problems += [n for n in re.findall(r"\d+", numbers) if not re.search(rf"\b{n}\b", cited)]
    problems += re.findall(r"(?<!可能)违反", text)
    problems += re.findall(r"(?<!may )breach\w*", text, re.I)
    problems += [w for w in ASSERTIVE if w in text.lower()]
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_no_draft_says_more_about_a_rule_than_the_doc(
    sample: Run, tmp_path: Path, lang: str
) -> None:
    """Every rule name and article in every draft is one docs/rules.md cites; it says only "may
    breach", in its third section's heading and once for each kind of flag that cites rules
    (the per-number count cites none)."""
    for kind in KINDS:
        _said, note, letter = _draft(sample, tmp_path, kind, lang)
        text = note + letter
        assert _says_no_more_than_the_doc(text) == [], kind
        assert len(re.findall("可能违反" if lang == "zh" else "may breach", text)) == 4, kind


@pytest.mark.parametrize("lang", LANGS)
def test_rules_and_the_evidence_summary_say_no_more_than_the_doc(
    sample: Run, case_path: Path, lang: str
) -> None:
    """rules.py's citations, kinds and "may breach" lines, and the kit's summary and flag rows,
    name only what docs/rules.md cites and assert no breach."""
    with Case.open(case_path) as case:
        evidence = collect(case)
    with i18n.using(lang):
        texts = [rules.cite(key) for key in rules.RULES]
        texts += [rules.breaches(kind) + rules.kind_label(kind) for kind in rules.KINDS]
        texts += summary_lines(evidence.summary)
        texts += [" ".join(flag_cells(flag)) for flag in evidence.flags]
    assert len(evidence.flags) == 5
    for text in texts:
        assert _says_no_more_than_the_doc(text) == [], text


def test_the_doc_covers_every_rule_and_kind() -> None:
    """docs/rules.md gives every cited rule's published name and description, and every kind of
    flag with the rules it may breach; the related standard is never one a flag may breach."""
    cited = _cited_part()
    for rule in rules.RULES.values():
        assert rule.name in cited, rule.key
        assert rule.about in cited, rule.key
    doc = RULES_DOC.read_text(encoding="utf-8")
    for kind in rules.KINDS.values():
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{kind.key}` |"))
        cell = row.rsplit("|", 2)[1].strip()
        if kind.rules:
            assert cell == ", ".join(f"`{r}`" for r in kind.rules)
        else:
            assert cell.startswith("none"), kind.key
        assert not set(kind.rules) & set(rules.RELATED)
