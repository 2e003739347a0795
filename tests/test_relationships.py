"""The relationship a contact's name says, the salutation it gives, and which rule wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_notify.messages import salutation
from contact_notify.model import Contact, StoredContact
from contact_notify.relationships import Lexicon, classify

from conftest import Run

# name as stored -> (relationship, salutation) the name gives
SAID = [
    ("老妈", "family-elder", "老妈"),
    ("妈", "family-elder", "妈"),
    ("爸爸", "family-elder", "爸爸"),
    ("舅舅", "family-elder", "舅舅"),
    ("大舅", "family-elder", "大舅"),
    ("小姨", "family-elder", "小姨"),
    ("外婆", "family-elder", "外婆"),
    ("王叔", "family-elder", "王叔"),
    ("李阿姨", "family-elder", "李阿姨"),
    ("建国叔", "family-elder", "建国叔"),
    ("李建国(爸爸)", "family-elder", "爸爸"),
    ("姐", "family-peer", "姐"),
    ("二哥", "family-peer", "二哥"),
    ("表哥", "family-peer", "表哥"),
    ("老公", "family-peer", "老公"),
    ("王哥", "friend", "王哥"),
    ("张姐", "friend", "张姐"),
    ("王总", "superior", "王总"),
    ("李经理", "superior", "李经理"),
    ("张老师", "superior", "张老师"),
    ("刘主任", "superior", "刘主任"),
    ("欧阳经理", "superior", "欧阳经理"),
    ("王芳老师", "superior", "王老师"),
    ("老板", "superior", "老板"),
    ("王老师(高中)", "superior", "王老师"),
    ("小王同事", "colleague", "小王"),
    ("同事 小王", "colleague", "小王"),
    ("小周(大学室友)", "friend", "小周"),
    ("周姐(同事)", "colleague", "周姐"),
    ("Mum", "family-elder", "Mum"),
    ("Uncle Bob", "family-elder", "Uncle Bob"),
]

# Names that only look like a kinship term or a title: no relationship is guessed.
PLAIN = [
    "王伯涛",  # 伯 inside a given name
    "李总成",  # 总 inside a given name
    "周叔平",
    "李建国",
    "老王",
    "小王",
    "李春妹",  # 妹 ending a given name
    "林妹",
    "总",
    "王秀英（邻居阿姨）",  # a note describing a neighbour is no kinship form
    "张伟【房东】",
    "range(9)",
    "Amy Wong",
]


@pytest.mark.parametrize(("name", "relationship", "form"), SAID)
def test_a_name_says_the_relationship_and_the_salutation(
    name: str, relationship: str, form: str
) -> None:
    """Kinship terms, titles and markers in a name give its relationship and how to address it."""
    found = classify(name)
    assert found is not None, name
    assert (found.template, found.salutation) == (relationship, form)


@pytest.mark.parametrize("name", PLAIN)
def test_names_that_only_look_like_kinship_or_title_say_nothing(name: str) -> None:
    """A given name holding 伯, 总 or 妹, a plain name or a descriptive note guesses no relationship."""
    assert classify(name) is None


def _stored(name: str, own: str = "") -> StoredContact:
    return StoredContact(1, Contact(name=name), salutation=own)


@pytest.mark.parametrize(
    ("name", "own", "relationship", "expected"),
    [
        ("李建国", "", "family-elder", ""),
        ("欧阳秀英", "", "family-elder", ""),
        ("张伟【房东】", "", "family-elder", ""),
        ("李建国", "爸", "family-elder", "爸"),
        ("老妈", "", "family-elder", "老妈"),
        ("王总", "", "family-elder", "王总"),
        ("李建国", "", "default", "李建国"),
        ("张伟【房东】", "", "default", "张伟"),
        ("小周(大学室友)", "", "friend", "小周"),
        ("王芳老师", "", "superior", "王老师"),
    ],
)
def test_salutation_follows_the_chosen_relationship(
    name: str, own: str, relationship: str, expected: str
) -> None:
    """An elder with a plain personal name gets no salutation; notes never reach one."""
    assert salutation(_stored(name, own), relationship) == expected


# Names from issue 14's review, as a card holds them -> (relationship, salutation).  A
# relationship of "default" means the name says none.
MISREAD = [
    # 1. a subject, department or place before a title is no surname + given name
    ("数学老师", "superior", "数学老师"),
    ("物业经理", "superior", "物业经理"),
    ("销售经理", "superior", "销售经理"),
    ("大堂经理", "superior", "大堂经理"),
    ("财务总监", "superior", "财务总监"),
    ("前台主管", "superior", "前台主管"),
    # 2. what a marker leaves behind
    ("王同学", "friend", "王同学"),
    ("老同学", "friend", "老同学"),
    ("前同事小李", "colleague", "小李"),
    ("同事-小李", "colleague", "小李"),
    ("大学同学小周", "friend", "小周"),
    ("妈妈的同事", "default", "妈妈的同事"),
    # 3. a kinship term set apart from a personal name
    ("李建国 爸爸", "family-elder", "爸爸"),
    ("李建国-爸爸", "family-elder", "爸爸"),
    ("爸爸李建国", "family-elder", "爸爸"),
    ("张三 舅舅", "family-elder", "舅舅"),
    ("我爸", "family-elder", "爸"),
    ("我妈", "family-elder", "妈"),
    # 4. a job, a place or a child's name before an elder term
    ("保洁阿姨", "default", "保洁阿姨"),
    ("门卫大爷", "default", "门卫大爷"),
    ("楼下大爷", "default", "楼下大爷"),
    ("房东阿姨", "default", "房东阿姨"),
    ("王阿姨(楼下)", "default", "王阿姨"),
    ("朵朵妈妈", "friend", "朵朵妈妈"),
    ("乐乐妈", "friend", "乐乐妈"),
    # 5. forms that were missing
    ("姨夫", "family-elder", "姨夫"),
    ("姑夫", "family-elder", "姑夫"),
    ("Grandma Li", "family-elder", "Grandma Li"),
    ("Brother John", "family-peer", "Brother John"),
    # 6. one character is no salutation
    ("李", "default", ""),
]


@pytest.mark.parametrize(("name", "relationship", "form"), MISREAD)
def test_names_the_review_found_misread(name: str, relationship: str, form: str) -> None:
    """Each name the review of issue 14 found misread gets its relationship and salutation."""
    found = classify(name)
    assert (found.template if found else "default", salutation(_stored(name))) == (
        relationship,
        form,
    )


@pytest.mark.parametrize("relationship", ["superior", "colleague", "default"])
def test_one_character_is_no_salutation(relationship: str) -> None:
    """A card named 李 is opened without a name whatever template it gets."""
    assert salutation(_stored("李"), relationship) == ""


def test_a_name_rule_needs_a_word(cli: Run) -> None:
    """rules set 'name:' superior is refused with a usage error instead of doing nothing."""
    result = cli("rules", "set", "name:", "superior")
    assert result.exit_code == 2
    assert "name:房东" in result.stderr
    assert "name:" not in cli("rules", "list").stdout


def test_a_name_rule_extends_the_list() -> None:
    """A user's name: rule makes a word say a relationship, before the built-in words."""
    lexicon = Lexicon.from_rules([("家人", "family-elder"), ("name:房东", "superior")])
    found = classify("张伟【房东】", lexicon=lexicon)
    assert found is not None
    assert (found.template, found.salutation, found.rule) == ("superior", "张伟", "name:房东")
    elder = classify("王干爸", lexicon=Lexicon.from_rules([("name:干爸", "family-elder")]))
    assert elder is not None
    assert (elder.template, elder.salutation) == ("family-elder", "王干爸")


def _case(cli: Run, tmp_path: Path, rows: list[tuple[str, str, str]]) -> None:
    """Import contacts (name, mobile, group) and mark each reached once."""
    lines = ["姓名,手机,分组", *(",".join(row) for row in rows)]
    source = tmp_path / "people.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("import", str(source)).exit_code == 0
    for name, _phone, _group in rows:
        assert cli("mark", name, "--at", "2026-11-27 21:30").exit_code == 0
    assert cli("config", "sender", "林小明").exit_code == 0


def _heads(output: str) -> dict[str, str]:
    """Each preview head line by contact name: the template and the reason."""
    heads = {}
    for line in output.splitlines():
        if line.startswith("--- "):
            name, _to, rest = line.split(" ", 2)[2].split(" · ", 2)
            heads[name] = rest.split(" · ")[0]
    return heads


PEOPLE = [
    ("王总", "13800138001", ""),
    ("老妈", "13800138002", ""),
    ("小王同事", "13800138003", ""),
    ("李建国", "13800138004", ""),
    ("王伯涛", "13800138005", ""),
]


def test_preview_says_which_name_rule_chose_the_template(cli: Run, tmp_path: Path) -> None:
    """Contacts without groups get the relationship their name says, and the reason names it."""
    _case(cli, tmp_path, PEOPLE)
    heads = _heads(cli("preview").stdout)
    assert heads == {
        "王总": "superior.sms.zh (name 王总 → superior)",
        "老妈": "family-elder.sms.zh (name 老妈 → family-elder)",
        "小王同事": "colleague.sms.zh (name 小王同事 → colleague)",
        "李建国": "default.sms.zh (no rule for the contact's groups)",
        "王伯涛": "default.sms.zh (no rule for the contact's groups)",
    }


def test_the_reason_is_said_in_chinese(cli: Run, tmp_path: Path, zh: None) -> None:
    """In the Chinese interface the reason reads 名字 王总 → superior."""
    _case(cli, tmp_path, PEOPLE[:1])
    assert _heads(cli("preview").stdout) == {"王总": "superior.sms.zh（名字 王总 → superior）"}


def test_a_group_rule_and_an_own_template_win_over_the_name(cli: Run, tmp_path: Path) -> None:
    """王总 in group 朋友 gets friend; 老妈 given colleague keeps it; a name rule loses to both."""
    _case(cli, tmp_path, [("王总", "13800138001", "朋友"), ("老妈", "13800138002", "")])
    assert cli("contact", "老妈", "--template", "colleague").exit_code == 0
    assert cli("rules", "set", "name:王总", "family-peer").exit_code == 0
    heads = _heads(cli("preview").stdout)
    assert heads == {
        "王总": "friend.sms.zh (group 朋友)",
        "老妈": "colleague.sms.zh (chosen for this contact)",
    }


def test_a_name_rule_is_set_with_the_rules_command(cli: Run, tmp_path: Path) -> None:
    """rules set name:房东 superior makes 张伟【房东】 a superior, and the reason names the rule."""
    _case(cli, tmp_path, [("张伟【房东】", "13800138001", "")])
    before = _heads(cli("preview").stdout)
    assert before == {"张伟【房东】": "default.sms.zh (no rule for the contact's groups)"}
    assert cli("rules", "set", "name:房东", "superior").exit_code == 0
    after = _heads(cli("preview").stdout)
    assert after == {
        "张伟【房东】": "superior.sms.zh (name 张伟【房东】 → superior (rule name:房东))"
    }
