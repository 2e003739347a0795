"""What a message is given (own collector numbers, the short sender name, salutations) and the
review before sending: the warnings of preview and the refusals of export --strict.

The templates are written here, so that these tests do not follow the built-in texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_notify.errors import ExitCode
from contact_notify.messages import ELDER_BY_NAME, Message, review

from conftest import EXAMPLES, Run

HEAD = "{{#-\nlang: zh\nchannel: sms\nrelationship: {relationship}\n-#}}\n"


def _template(tmp_path: Path, name: str, body: str, relationship: str = "default") -> str:
    """A template file of this test's own; return its path for --template."""
    path = tmp_path / f"{name}.j2"
    path.write_text(HEAD.format(relationship=relationship) + body, encoding="utf-8")
    return str(path)


def _import(cli: Run, tmp_path: Path, rows: list[tuple[str, str, str]]) -> None:
    """Import contacts (name, mobile, group) and set the sender."""
    lines = ["姓名,手机,分组", *(",".join(row) for row in rows)]
    source = tmp_path / "people.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("import", str(source)).exit_code == 0
    assert cli("config", "sender", "林小明").exit_code == 0


def _mark(cli: Run, name: str, at: str, *numbers: str) -> None:
    by = [arg for n in numbers for arg in ("--by", n)]
    assert cli("mark", name, "--at", at, *by).exit_code == 0


def _bodies(output: str) -> dict[str, str]:
    """Each message body of a preview by contact name."""
    bodies: dict[str, str] = {}
    name = ""
    for line in output.splitlines()[:-1]:  # the last line counts the messages
        if line.startswith("--- "):
            name = line.split(" ")[2]
            bodies[name] = ""
        elif name:
            bodies[name] += line
    return bodies


def test_each_contact_gets_its_own_collector_numbers(cli: Run, tmp_path: Path) -> None:
    """A contact reached by a number gets that number in its SMS, not another contact's."""
    _import(cli, tmp_path, [("王秀英", "13800138000", ""), ("刘芳", "15012345678", "")])
    _mark(cli, "王秀英", "2026-11-27 21:30", "165 0000 9999")
    _mark(cli, "刘芳", "2026-11-27 20:00", "170 1234 5678")
    _mark(cli, "刘芳", "2026-11-28 09:00", "0755 8600 1234")
    _mark(cli, "刘芳", "2026-11-26 09:00", "166 0000 1111")  # recorded last, happened first
    _mark(cli, "刘芳", "2026-11-25 09:00", "0755 8600 1234")
    template = _template(tmp_path, "numbers", "{{ collectors | join('/') }}")
    bodies = _bodies(cli("preview", "--template", template).stdout)
    assert bodies == {
        "刘芳": "0755 8600 1234/170 1234 5678/166 0000 1111",  # latest first, each once
        "王秀英": "165 0000 9999",
    }


def test_the_short_sender_name_falls_back_to_the_full_name(cli: Run, tmp_path: Path) -> None:
    """sender.short is config sender-short when set, else the sender's full name."""
    _import(cli, tmp_path, [("老妈", "13800138000", "")])
    _mark(cli, "老妈", "2026-11-27 21:30")
    template = _template(tmp_path, "sender", "{{ sender.short }}|{{ sender.name }}")
    assert _bodies(cli("preview", "--template", template).stdout) == {"老妈": "林小明|林小明"}
    assert cli("config", "sender-short", "小明").stdout == "sender-short = 小明\n"
    assert _bodies(cli("preview", "--template", template).stdout) == {"老妈": "小明|林小明"}
    assert "sender-short = 小明" in cli("config").stdout


def test_bracketed_notes_never_reach_a_message(cli: Run, tmp_path: Path) -> None:
    """小周(大学室友) is addressed as 小周 and 张伟【房东】 as 张伟: the notes stay out."""
    _import(
        cli, tmp_path, [("小周(大学室友)", "13800138000", ""), ("张伟【房东】", "15012345678", "")]
    )
    _mark(cli, "13800138000", "2026-11-27 21:30")
    _mark(cli, "15012345678", "2026-11-27 21:00")
    template = _template(tmp_path, "hello", "{{ contact.salutation }}，你好。")
    bodies = _bodies(cli("preview", "--template", template).stdout)
    assert bodies == {"小周(大学室友)": "小周，你好。", "张伟【房东】": "张伟，你好。"}


def test_an_elder_with_a_plain_name_is_listed_with_the_command(cli: Run, tmp_path: Path) -> None:
    """A family elder named 李建国 is greeted without a name and listed with the command to fix it."""
    _import(cli, tmp_path, [("李建国", "13800138000", "家人")])
    _mark(cli, "李建国", "2026-11-27 21:30")
    template = _template(
        tmp_path,
        "elder",
        "{% if contact.salutation %}{{ contact.salutation }}，{% endif %}您好。",
        "family-elder",
    )
    assert cli("rules", "set", "家人", template).exit_code == 0
    shown = cli("preview")
    assert _bodies(shown.stdout) == {"李建国": "您好。"}
    command = "contact-notify contact 李建国 --salutation Mum"
    assert shown.stderr == (
        "note: 李建国 is a family elder: the message opens without a name, since a parent is not "
        f"called by their own name; to address them (Mum, Dad, Uncle Wang …), e.g.: {command}\n"
    )
    assert cli("contact", "李建国", "--salutation", "爸爸").exit_code == 0
    again = cli("preview")
    assert (_bodies(again.stdout), again.stderr) == ({"李建国": "爸爸，您好。"}, "")


def test_the_elder_list_is_said_in_chinese(cli: Run, tmp_path: Path, zh: None) -> None:
    """In Chinese the note reads 注意：… and suggests 妈妈, or 爸爸, 舅舅, 姑姑."""
    _import(cli, tmp_path, [("李建国", "13800138000", "家人")])
    _mark(cli, "李建国", "2026-11-27 21:30")
    template = _template(tmp_path, "elder", "您好。", "family-elder")
    assert cli("rules", "set", "家人", template).exit_code == 0
    assert cli("preview").stderr == (
        "注意：李建国 是家中长辈，消息开头不写名字（不能直呼长辈的名字）；要加上称呼（妈妈、爸爸、"
        "舅舅、姑姑 等），例如：contact-notify contact 李建国 --salutation 妈妈\n"
    )


def _flagged_case(cli: Run, tmp_path: Path) -> str:
    """李建国 (家人) reached by a known number, given a template that calls him by name."""
    _import(cli, tmp_path, [("李建国", "13800138000", "家人")])
    _mark(cli, "李建国", "2026-11-27 21:30", "165 0000 9999")
    return _template(
        tmp_path, "by-name", "{{ contact.name }}，我是{{ sender.short }}。", "family-elder"
    )


def test_preview_flags_an_elder_by_name_and_a_missing_number(cli: Run, tmp_path: Path) -> None:
    """An elder called by their own name and a known collector number left out are both warned of."""
    template = _flagged_case(cli, tmp_path)
    shown = cli("preview", "--template", template)
    assert shown.exit_code == 0
    assert shown.stderr.splitlines() == [
        "warning: the message to 李建国 addresses a family elder by their own name; set how to "
        "address them: contact-notify contact 李建国 --salutation Mum",
        "warning: the message to 李建国 names no collector number, though theirs is known "
        "(165 0000 9999)",
    ]


def test_export_strict_refuses_flagged_messages(cli: Run, tmp_path: Path) -> None:
    """export --strict refuses flagged messages with exit 4 and writes nothing; without it, warns."""
    template = _flagged_case(cli, tmp_path)
    out = tmp_path / "out.csv"
    refused = cli("export", str(out), "--template", template, "--strict")
    assert refused.exit_code == ExitCode.TEMPLATE
    assert "error: 1 message(s) need a look before sending; nothing was written" in refused.stderr
    assert "hint: fix what the warnings say, or leave out --strict" in refused.stderr
    assert not out.exists()
    written = cli("export", str(out), "--template", template)
    assert written.exit_code == 0
    assert "addresses a family elder by their own name" in written.stderr
    assert out.exists()


def test_a_salutation_the_user_set_must_appear(cli: Run, tmp_path: Path) -> None:
    """A salutation set for a contact that the text leaves out is flagged, and --strict refuses."""
    _import(cli, tmp_path, [("徐强", "13800138000", "")])
    _mark(cli, "徐强", "2026-11-27 21:30")
    assert cli("contact", "徐强", "--salutation", "徐总").exit_code == 0
    template = _template(tmp_path, "plain", "您好，我是{{ sender.name }}。")
    shown = cli("preview", "--template", template)
    assert shown.stderr == (
        "warning: the message to 徐强 does not use the salutation you set (徐总); its template "
        "leaves out contact.salutation\n"
    )
    used = _template(tmp_path, "used", "{{ contact.salutation }}您好。")
    assert cli("preview", "--template", used).stderr == ""
    refused = cli("export", str(tmp_path / "out.csv"), "--template", template, "--strict")
    assert refused.exit_code == ExitCode.TEMPLATE


def test_strict_passes_once_the_number_is_named(cli: Run, tmp_path: Path) -> None:
    """--strict refuses a text that leaves out the contact's known number and passes one naming it."""
    _import(cli, tmp_path, [("李建国", "13800138000", "家人")])
    _mark(cli, "李建国", "2026-11-27 21:30", "165 0000 9999")
    assert cli("contact", "李建国", "--salutation", "爸").exit_code == 0
    out = tmp_path / "out.csv"
    bare = _template(tmp_path, "bare", "{{ contact.salutation }}，拉黑来电号码。", "family-elder")
    refused = cli("export", str(out), "--template", bare, "--strict")
    assert (refused.exit_code, out.exists()) == (ExitCode.TEMPLATE, False)
    good = _template(
        tmp_path,
        "good",
        "{{ contact.salutation }}，拉黑{{ collectors | join('、') }}。",
        "family-elder",
    )
    done = cli("export", str(out), "--template", good, "--strict")
    assert (done.exit_code, done.stderr) == (0, "")
    assert "爸，拉黑165 0000 9999。" in out.read_text(encoding="utf-8")


def test_review_warnings_in_chinese(cli: Run, tmp_path: Path, zh: None) -> None:
    """In Chinese the review warnings read 警告：发给 … and the refusal 有 1 条消息…."""
    template = _flagged_case(cli, tmp_path)
    lines = cli("preview", "--template", template).stderr.splitlines()
    assert lines == [
        "警告：发给 李建国 的消息直呼了长辈的名字；请设置称呼：contact-notify contact 李建国 "
        "--salutation 妈妈",
        "警告：发给 李建国 的消息没有写催收号码，而联系过对方的号码是知道的（165 0000 9999）",
    ]
    refused = cli("export", str(tmp_path / "out.csv"), "--template", template, "--strict")
    assert "有 1 条消息在发送前需要再看一下；没有写出任何文件" in refused.stderr


def _message(name: str, body: str, *, asked: str = "", plain: str = "") -> Message:
    return Message(
        contact_id=1, reach_id=1, name=name, phone="", phone_valid=True, body=body,
        template="t", relationship="family-elder", asked_salutation=asked, plain_name=plain,
    )  # fmt: skip


def test_an_elder_is_flagged_only_for_a_plain_personal_name() -> None:
    """A salutation equal to the full name is flagged; 老妈 or 王总 in the text is not."""
    flagged = review([_message("李建国", "李建国，是我。", asked="李建国", plain="李建国")])
    assert [f.kind for f in flagged] == [ELDER_BY_NAME]
    assert review([_message("老妈", "老妈，是我。"), _message("王总", "王总，是我。")]) == []
    assert review([_message("李建国", "您好，是我。", plain="李建国")]) == []


def test_the_contact_view_shows_the_salutation_the_message_uses(cli: Run) -> None:
    """contact shows a parent with a plain name as addressed without a name, as the message is."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    shown = cli("contact", "李建国").stdout
    assert "  salutation: none: the message opens without a name\n" in shown
    assert cli("contact", "李建国", "--salutation", "爸爸").exit_code == 0
    assert "  salutation: 爸爸\n" in cli("contact", "李建国").stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("channel", ["wechat", "email"])
def test_a_greeting_stands_on_its_own_line(cli: Run, lang: str, channel: str) -> None:
    """In WeChat and e-mail texts the greeting is followed by a blank line, whatever the relationship."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("mark", "--file", str(EXAMPLES / "reached.txt"))
    shown = cli("preview", "--lang", lang, "--channel", channel, "--sender", "林小明").stdout
    blocks = shown.split("--- ")[1:]
    assert len(blocks) == 6
    for block in blocks:
        lines = block.split("\n")
        body = lines[3:] if channel == "email" else lines[1:]  # e-mail: a subject, a blank line
        assert body[0].strip()
        assert body[1] == "", block


def test_a_parent_is_flagged_whatever_template_is_forced(cli: Run, tmp_path: Path) -> None:
    """preview --template colleague calls 王秀英 (in 家人) by name: flagged, and --strict refuses."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("mark", "--file", str(EXAMPLES / "reached.txt"))
    shown = cli("preview", "--template", "colleague", "--sender", "林小明")
    assert "王秀英您好" in shown.stdout
    assert any(
        line.startswith("warning: the message to 王秀英 addresses a family elder by their own name")
        for line in shown.stderr.splitlines()
    )
    refused = cli(
        "export", str(tmp_path / "o.csv"), "--template", "colleague", "--sender", "林小明",
        "--strict",
    )  # fmt: skip
    assert refused.exit_code == ExitCode.TEMPLATE
    assert not (tmp_path / "o.csv").exists()


def test_a_sender_given_for_the_run_signs_every_message(cli: Run, tmp_path: Path) -> None:
    """--sender overrides config sender-short too: an English preview is signed as asked."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("mark", "--file", str(EXAMPLES / "reached.txt"))
    cli("config", "sender", "林小明")
    cli("config", "sender-short", "小明")
    shown = cli("preview", "--lang", "en", "--sender", "Ming").stdout
    assert "小明" not in shown
    assert "it's Ming." in shown  # the family and friend texts, signed with the short name
    assert "小明" in cli("preview").stdout  # without --sender, the setting signs them
    written = cli("export", str(tmp_path / "o.csv"), "--lang", "en", "--sender", "Ming")
    assert written.exit_code == 0
    assert "小明" not in (tmp_path / "o.csv").read_text(encoding="utf-8-sig")


def test_a_command_names_a_contact_by_name_only_when_no_other_shares_it(case_path: Path) -> None:
    """The suggested command says id:N for a name two contacts share (李 建国 is 李建国, 赵 六
    has no message of its own) and for a contact without a name; a name of one stays a name."""
    from contact_notify.messages import command_targets
    from contact_notify.model import Contact
    from contact_notify.store import Case

    names = ("李建国", "李 建国", "王芳", "", "赵六")
    with Case.open(case_path, create=True) as case:
        ids = [case.add_contact(Contact(name)) for name in names]
        case.add_contact(Contact("赵 六"))
        shown = [name or "13800138000" for name in names]  # a nameless contact shows its number
        found = command_targets(case, [_message_to(i, n) for i, n in zip(ids, shown, strict=True)])
    assert found == {
        ids[0]: f"id:{ids[0]}", ids[1]: f"id:{ids[1]}", ids[2]: "王芳",
        ids[3]: f"id:{ids[3]}", ids[4]: f"id:{ids[4]}",
    }  # fmt: skip


def _message_to(contact_id: int, name: str) -> Message:
    return Message(
        contact_id=contact_id, reach_id=1, name=name, phone="", phone_valid=True, body="",
        template="t",
    )  # fmt: skip


def test_each_message_field_gets_its_own_value() -> None:
    """make_message fills every field of Message by position: each gets the value meant for it."""
    from contact_notify.messages import make_message
    from contact_notify.model import Contact, Phone, StoredContact
    from contact_notify.render import Vars
    from contact_notify.sms import Segments

    phone = Phone("138 0013 8000", "mobile", "+8613800138000")
    stored = StoredContact(
        7, Contact("王芳(同事)", emails=["wf@example.com"], phones=[phone]), salutation="芳姐"
    )
    segments = Segments("UCS-2", 60, 1)
    values = {"contact": Vars("contact", salutation="王姐"), "collectors": ["170 1234 5678"]}
    made = make_message(
        stored, values, ("主题", "正文\n", segments), template="colleague.email.zh",
        channel="email", reason="group 同事", relationship="colleague", reach_id=9,
        elder=True, edited=True, phone=phone,
    )  # fmt: skip
    assert made == Message(
        contact_id=7, reach_id=9, name="王芳(同事)", phone="+8613800138000", phone_valid=True,
        body="正文\n", template="colleague.email.zh", channel="email", reason="group 同事",
        subject="主题", segments=segments, email="wf@example.com", mobile=True,
        relationship="colleague", salutation="王姐", asked_salutation="芳姐", plain_name="王芳",
        collectors=("170 1234 5678",), elder=True, edited=True,
    )  # fmt: skip


def test_a_name_is_quoted_in_a_command_exactly_when_a_shell_would_split_or_read_it() -> None:
    """Each character a shell treats specially makes the name quoted; a name of any other
    characters (Chinese included) is written bare, and an empty one as ''."""
    from contact_notify.messages import _SHELL_SPECIAL, _shell_word

    for char in _SHELL_SPECIAL:
        assert _shell_word(f"王{char}芳").startswith("'"), repr(char)
    plain = "".join(chr(i) for i in range(0x21, 0x3100) if chr(i) not in _SHELL_SPECIAL)
    assert _shell_word(plain) == plain
    assert _shell_word("") == "''"
    assert _shell_word("李 四") == "'李 四'"
    assert _shell_word("O'Neil") == "'O'\"'\"'Neil'"
