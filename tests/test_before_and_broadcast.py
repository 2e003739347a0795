"""The two new kinds of message: a warning before the call, and one notice for many (broadcast)."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from contact_notify.actions import Session
from contact_notify.actions.messages import record_sent
from contact_notify.before import compose_before
from contact_notify.broadcast import MOMENTS_LIMIT
from contact_notify.errors import UsageError
from contact_notify.exporters import CsvOptions
from contact_notify.exporters import export as write_export
from contact_notify.messages import compose
from contact_notify.render import RELATIONSHIPS, Vars, builtin_names, load, render
from contact_notify.sms import count
from contact_notify.store import Case
from language_check import chinese_runs, english_phrases
from message_elements import MEANING, found, missing

from conftest import EXAMPLES, Run

CHANNELS = ("sms", "wechat", "email")
LANGS = ("zh", "en")
BEFORE = [f"before-{r}.{c}.{lang}" for r in RELATIONSHIPS for c in CHANNELS for lang in LANGS]
SENDER = {"zh": ("林小明", "林小明"), "en": ("Ming Lin", "Ming Lin")}  # full, short (longest)
SALUTATIONS = {"zh": ("", "老妈", "欧阳叔叔"), "en": ("", "Mum", "Uncle Li")}
COLLECTORS = (["170 1234 5678", "133 1234 5678", "0755 8600 1234"], [])
# Said only before a call: that someone may call (the follow-up says that someone did).
MAY_CALL = {"zh": ("如有人", "如果有人", "可能会"), "en": ("if anyone", "may call")}
# What a notice for many must say: a subset of message_elements plus that calls may come.
NOTICE_ELEMENTS = ("apology", "own debt", "owes nothing", "no information", "block",
                   "report to 12321", "evidence")  # fmt: skip

CARDS = """BEGIN:VCARD
VERSION:3.0
FN:{name}
{groups}TEL;TYPE=CELL:{phone}
END:VCARD
"""
PEOPLE = [  # name, groups, phone: an elder named by kinship, a family group, a titled name…
    ("老妈", "", "13800000001"),
    ("李建国", "家人", "13800000002"),
    ("王总", "", "13800000003"),
    ("小周", "朋友", "13800000004"),
    ("张伟", "同事", "13800000005"),
    ("刘芳", "家人", "13800000006"),
]


def values(lang: str, salutation: str, collectors: list[str]) -> dict[str, object]:
    """The variables of docs/templates.md for an unreached contact, built by hand."""
    full, short = SENDER[lang]
    return {
        "contact": Vars("contact", name="李建国", family="李", given="建国", nickname="",
                        salutation=salutation, relationship="family-elder", org="", groups=[],
                        phone="138 0000 0002"),
        "sender": Vars("sender", name=full, short=short, contact="微信 linxm88"),
        "reach": Vars("reach", at="", date="", by="", note="", count=0),
        "collectors": collectors,
    }  # fmt: skip


def rendered(name: str, salutation: str, collectors: list[str]) -> str:
    """A built-in template rendered for one unreached contact."""
    lang = name.rsplit(".", 1)[1]
    return render(load(name), values(lang, salutation, collectors))


def test_every_relationship_has_a_before_template_in_every_channel_and_language() -> None:
    """The library holds before-RELATIONSHIP.CHANNEL.LANG for all 6 × 3 × 2."""
    assert sorted(n for n in builtin_names() if n.startswith("before-")) == sorted(BEFORE)


@pytest.mark.parametrize("name", BEFORE)
def test_before_templates_say_every_required_element(name: str) -> None:
    """Each pre-emptive text says every element of message_elements and that a call may come."""
    lang = name.rsplit(".", 1)[1]
    for salutation in SALUTATIONS[lang]:
        for collectors in COLLECTORS:
            text = rendered(name, salutation, collectors)
            assert missing(lang, text) == [], text
            lowered = text.lower() if lang == "en" else text
            assert any(p in lowered for p in MAY_CALL[lang]), text
            assert "李建国" not in text  # the contact's plain name never reaches the text


@pytest.mark.parametrize("name", [n for n in BEFORE if ".sms." in n])
def test_before_sms_fit_two_parts(name: str) -> None:
    """A 4-character salutation, a 3-character sender and two collector numbers fit 2 SMS parts."""
    lang = name.rsplit(".", 1)[1]
    text = rendered(name, SALUTATIONS[lang][2], COLLECTORS[0])
    assert count(text.rstrip("\n")).parts <= 2, (count(text).units, text)


def _case(cli: Run, tmp_path: Path) -> Path:
    """A case of PEOPLE, 刘芳 reached by 170 1234 5678; returns the case file."""
    cards = "".join(
        CARDS.format(name=n, groups=f"CATEGORIES:{g}\n" if g else "", phone=p) for n, g, p in PEOPLE
    )
    (tmp_path / "people.vcf").write_text(cards, encoding="utf-8")
    assert cli("import", str(tmp_path / "people.vcf")).exit_code == 0
    assert cli("config", "sender", "林小明").exit_code == 0
    assert cli("config", "sender-short", "小明").exit_code == 0
    marked = cli("mark", "刘芳", "--at", "2026-11-27 21:30", "--by", "17012345678")
    assert marked.exit_code == 0, marked.output
    return tmp_path / "case" / "case.sqlite3"


def test_family_and_superiors_not_reached_are_warned_by_default(cli: Run, tmp_path: Path) -> None:
    """Unreached family (by group or kinship name) and superiors get a before-* message; others not."""
    with Case.open(_case(cli, tmp_path)) as case:
        messages = compose_before(case, "林小明")
    got = {m.name: (m.template, m.reach_id) for m in messages}
    assert got == {
        "老妈": ("before-family-elder.sms.zh", None),
        "李建国": ("before-family-elder.sms.zh", None),
        "王总": ("before-superior.sms.zh", None),
    }
    bodies = {m.name: m.body for m in messages}
    assert bodies["老妈"].startswith("老妈，是我，小明。")
    assert "李建国" not in bodies["李建国"]  # an elder's plain name is never the salutation
    assert "170 1234 5678" in bodies["王总"]  # the number that called someone: block it first


def test_in_group_and_template_choose_who_and_which_text(cli: Run, tmp_path: Path) -> None:
    """--in GROUP warns that group whatever its relationship; --template one text for all."""
    with Case.open(_case(cli, tmp_path)) as case:
        friends = compose_before(case, "林小明", groups=["朋友"], lang="en", channel="wechat")
        formal = compose_before(case, "林小明", groups=["家人", "同事"], template="superior")
        with pytest.raises(UsageError, match="no contact is in the group 邻居"):
            compose_before(case, "林小明", groups=["邻居"])
    assert [(m.name, m.template) for m in friends] == [("小周", "before-friend.wechat.en")]
    assert sorted((m.name, m.template) for m in formal) == [
        ("张伟", "before-superior.sms.zh"),
        ("李建国", "before-superior.sms.zh"),
    ]


def test_a_sent_warning_counts_and_a_later_reach_makes_the_contact_pending(
    cli: Run, tmp_path: Path
) -> None:
    """Once sent, a warning leaves its contact out; a reach after it makes them pending again."""
    path = _case(cli, tmp_path)
    out = tmp_path / "before.csv"
    with Case.open(path) as case:
        warned = compose_before(case, "林小明")
        write_export(case, out, "csv", warned, force=False, dry_run=False, csv_options=CsvOptions())
    done = record_sent(Session(path), exported=out, at="2026-11-28 09:00")
    assert sorted(done.names) == ["李建国", "王总", "老妈"]
    with Case.open(path) as case:
        assert compose_before(case, "林小明") == []
        assert len(compose_before(case, "林小明", include_sent=True)) == 3
        assert [m.name for m in compose(case, "林小明")] == ["刘芳"]
    assert cli("mark", "老妈", "--at", "2026-11-29 20:00").exit_code == 0
    with Case.open(path) as case:
        pending = compose(case, "林小明")
        still_unreached = [m.name for m in compose_before(case, "林小明", include_sent=True)]
    assert sorted(still_unreached) == ["李建国", "王总"]
    assert sorted(m.name for m in pending) == ["刘芳", "老妈"]
    assert pending[0].template == "family-elder.sms.zh"  # the follow-up, not the warning again
    status = cli("status").stdout
    assert "reached again since their message:  1" in status


# -- the lead's edits: preview/export --unreached, --in ------------------------------------


def test_preview_and_export_unreached(cli: Run, tmp_path: Path) -> None:
    """preview --unreached shows the warnings; export --unreached writes them for `sent`."""
    _case(cli, tmp_path)
    shown = cli("preview", "--unreached")
    assert shown.exit_code == 0, shown.output
    assert "before-family-elder.sms.zh" in shown.stdout
    assert "老妈，是我，小明。" in shown.stdout
    assert "刘芳" not in shown.stdout
    friends = cli("preview", "--unreached", "--in", "朋友", "--lang", "en")
    assert "before-friend.sms.en" in friends.stdout
    assert "王总" not in friends.stdout
    written = cli("export", str(tmp_path / "w.csv"), "--unreached")
    assert written.exit_code == 0, written.output
    assert sorted(cli("sent", "--exported", str(tmp_path / "w.csv")).stdout.split()) == sorted(
        ["sent:", "老妈", "sent:", "李建国", "sent:", "王总"]
    )
    again = cli("export", str(tmp_path / "w2.csv"), "--unreached")
    assert again.exit_code == 6
    assert not (tmp_path / "w2.csv").exists()


# -- broadcast ------------------------------------------------------------------------------


def _contact_names() -> list[str]:
    """Every contact name in the shipped examples (FN lines of the vCard, names of the CSV)."""
    vcf = (EXAMPLES / "contacts.vcf").read_text(encoding="utf-8")
    return [line[3:].strip() for line in vcf.splitlines() if line.startswith("FN:")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["moments", "group"])
def test_broadcast_says_what_it_must_and_names_nobody(
    reached_case: Run, kind: str, lang: str
) -> None:
    """A notice says the required elements, that calls may come, and names no contact."""
    result = reached_case("broadcast", "--for", kind, "--lang", lang)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for element in NOTICE_ELEMENTS:
        assert found(lang, element, text), (MEANING[element], text)
    lowered = text.lower() if lang == "en" else text
    assert any(p in lowered for p in MAY_CALL[lang]), text
    names = _contact_names()
    assert len(names) > 20
    assert [n for n in names if n in text] == []
    assert text.rstrip().endswith("小林")  # signed: config sender (the fixture sets 小林)


def test_broadcast_prints_only_the_text_ready_to_copy(reached_case: Run) -> None:
    """stdout is the notice alone (no label, no count), stderr empty under the limit."""
    result = reached_case("broadcast")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("【提醒】")
    assert result.stdout.endswith("——小林\n")
    assert len(result.stdout.rstrip("\n")) <= MOMENTS_LIMIT["zh"]


def test_broadcast_signs_a_family_group_with_the_short_name(reached_case: Run) -> None:
    """Moments and any group chat (a work group too) are signed with config sender; 家人群 with sender-short."""
    reached_case("config", "sender", "林小明")
    reached_case("config", "sender-short", "小明")
    assert reached_case("broadcast").stdout.endswith("——林小明\n")
    assert reached_case("broadcast", "--for", "group").stdout.endswith("\n林小明\n")
    assert reached_case("broadcast", "--for", "工作群").stdout.endswith("\n林小明\n")
    assert reached_case("broadcast", "--for", "家人群").stdout.endswith("\n小明\n")
    assert reached_case("broadcast", "--for", "family").stdout.endswith("\n小明\n")
    assert reached_case("broadcast", "--sender", "阿明").stdout.endswith("——阿明\n")


def test_broadcast_accepts_chinese_places(reached_case: Run) -> None:
    """--for 朋友圈 is moments and --for 群 is group."""
    assert reached_case("broadcast", "--for", "朋友圈").stdout == reached_case("broadcast").stdout
    group = reached_case("broadcast", "--for", "group").stdout
    assert reached_case("broadcast", "--for", "群").stdout == group
    assert group != reached_case("broadcast").stdout
    wrong = reached_case("broadcast", "--for", "微博")
    assert wrong.exit_code == 2
    assert "--for moments" in wrong.stderr


def test_broadcast_out_is_owner_only_and_never_replaced_without_force(
    reached_case: Run, tmp_path: Path
) -> None:
    """OUT gets the printed text, mode 0600; an existing OUT is kept unless --force."""
    printed = reached_case("broadcast").stdout
    out = tmp_path / "notice.txt"
    assert reached_case("broadcast", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == printed
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    refused = reached_case("broadcast", str(out), "--for", "group")
    assert refused.exit_code == 5
    assert "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == printed
    assert reached_case("broadcast", str(out), "--for", "group", "--force").exit_code == 0
    assert out.read_text(encoding="utf-8") != printed
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".notice")] == []


def test_a_long_moments_post_is_flagged_and_still_printed(
    reached_case: Run, tmp_path: Path
) -> None:
    """Over the Moments limit a warning goes to stderr; the text still goes whole to stdout."""
    own = tmp_path / "long.j2"
    own.write_text("请勿透露我的信息。" * 30 + "{{ sender.name }}\n", encoding="utf-8")
    result = reached_case("broadcast", "--template", str(own))
    assert result.exit_code == 0
    assert result.stdout == "请勿透露我的信息。" * 30 + "小林\n"
    assert re.search(r"warning: the notice has 272 characters, more than 200", result.stderr)
    group = reached_case("broadcast", "--template", str(own), "--for", "group")
    assert group.stderr == ""  # a group chat has no such limit


def test_broadcast_without_a_sender_says_how_to_set_one(cli: Run) -> None:
    """No sender name set and no --sender: a usage error with the command to set it."""
    result = cli("broadcast")
    assert result.exit_code == 2
    assert "contact-notify config sender" in result.stderr
    assert result.stdout == ""


@pytest.mark.usefixtures("zh")
def test_broadcast_speaks_chinese(reached_case: Run, tmp_path: Path) -> None:
    """In Chinese, the command's help, errors and warning hold no English phrase."""
    own = tmp_path / "long.j2"
    own.write_text("请勿透露我的信息。" * 30 + "{{ sender.name }}\n", encoding="utf-8")
    outputs = [
        reached_case("broadcast", "--help").stdout,
        reached_case("broadcast", "--for", "微博").stderr,
        reached_case("broadcast", "--template", str(own)).stderr,
    ]
    (tmp_path / "n.txt").write_text("x", encoding="utf-8")
    outputs.append(reached_case("broadcast", str(tmp_path / "n.txt")).stderr)
    assert all(outputs)
    for text in outputs:
        assert english_phrases(text) == [], text


def test_broadcast_speaks_english(reached_case: Run, tmp_path: Path) -> None:
    """In English, the command's own words hold no Chinese beyond the values it names."""
    own = tmp_path / "long.j2"
    own.write_text("x" * 600 + "\n", encoding="utf-8")
    warning = reached_case("broadcast", "--template", str(own), "--lang", "en").stderr
    wrong = reached_case("broadcast", "--for", "微博").stderr
    assert warning
    assert wrong
    assert "the notice has 600 characters, more than 500" in warning
    assert "--for moments" in wrong
    assert chinese_runs(warning) == []
    assert chinese_runs(wrong, allowed=("微博", "朋友圈", "群")) == []


def test_a_vcard_of_warnings_holds_the_warned_contacts(cli: Run, tmp_path: Path) -> None:
    """export x.vcf --unreached holds a card for each contact warned, as many as it says it wrote."""
    _case(cli, tmp_path)
    out = tmp_path / "warned.vcf"
    written = cli("export", str(out), "--unreached")
    assert written.exit_code == 0, written.output
    cards = out.read_text(encoding="utf-8").count("BEGIN:VCARD")
    assert cards == 3
    assert "3" in written.stdout


def test_a_warning_can_be_marked_sent_by_name(cli: Run, tmp_path: Path) -> None:
    """sent NAME marks an exported warning of a contact nobody has called yet."""
    _case(cli, tmp_path)
    assert cli("export", str(tmp_path / "w.csv"), "--unreached").exit_code == 0
    done = cli("sent", "老妈")
    assert done.exit_code == 0, done.output
    assert done.stdout == "sent: 老妈\n"
    again = cli("export", str(tmp_path / "w2.csv"), "--unreached")
    assert again.exit_code == 0
    assert "老妈" not in (tmp_path / "w2.csv").read_text(encoding="utf-8")


def test_the_send_page_names_warning_sections_by_relationship(cli: Run, tmp_path: Path) -> None:
    """A send page of warnings heads its sections by relationship, not as custom templates."""
    from contact_notify.sendpage import heading

    assert heading("before-family-elder.sms.zh") == "Family (elders): a warning before the call"
    _case(cli, tmp_path)
    assert cli("export", str(tmp_path / "w.html"), "--unreached").exit_code == 0
    page = (tmp_path / "w.html").read_text(encoding="utf-8")
    assert "Custom template" not in page
    assert "a warning before the call" in page
