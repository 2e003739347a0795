"""Chinese surname and given-name splitting, compound surnames included."""

from __future__ import annotations

import pytest

from contact_notify.names import given_name, split_chinese, surname

NAMES = [
    ("欧阳娜娜", "欧阳", "娜娜"), ("司马青", "司马", "青"), ("上官婉儿", "上官", "婉儿"),
    ("诸葛亮", "诸葛", "亮"), ("东方明珠", "东方", "明珠"), ("皇甫嵩", "皇甫", "嵩"),
    ("尉迟恭", "尉迟", "恭"), ("公孙胜", "公孙", "胜"), ("慕容复", "慕容", "复"),
    ("长孙无忌", "长孙", "无忌"), ("宇文泰", "宇文", "泰"), ("司徒雷登", "司徒", "雷登"),
    ("夏侯惇", "夏侯", "惇"), ("轩辕剑", "轩辕", "剑"), ("令狐冲", "令狐", "冲"),
    ("钟离春", "钟离", "春"), ("端木蓉", "端木", "蓉"), ("歐陽娜娜", "歐陽", "娜娜"),
    ("王秀英", "王", "秀英"), ("李建国", "李", "建国"), ("张伟", "张", "伟"),
    ("刘芳", "刘", "芳"), ("陈静", "陈", "静"), ("杨洋", "杨", "洋"),
    ("黄丽", "黄", "丽"), ("赵磊", "赵", "磊"), ("周杰", "周", "杰"),
    ("吴敏", "吴", "敏"), ("徐强", "徐", "强"), ("孙丽娟", "孙", "丽娟"),
    ("马超", "马", "超"), ("欧阳", "欧", "阳"), ("司马", "司", "马"),
    ("李 四", "李", "四"), ("陳美玲", "陳", "美玲"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "family", "given"), NAMES)
def test_split(name: str, family: str, given: str) -> None:
    """Compound surnames split after two characters, single ones after one."""
    assert split_chinese(name) == (family, given)
    assert (surname(name), given_name(name)) == (family, given)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Emily Chen", ("", "Emily Chen")),
        ("", ("", "")),
        ("李", ("李", "")),
        ("Wang 秀英", ("", "Wang 秀英")),
    ],
)
def test_not_split(name: str, expected: tuple[str, str]) -> None:
    """Latin or mixed names stay whole; a one-character name is a surname alone."""
    assert split_chinese(name) == expected


def test_a_name_of_ideographs_is_its_own_key() -> None:
    """Every CJK ideograph of the BMP comes out of NFKC, case folding and splitting as it went
    in, so name_key returns a name of them only as it is; the characters around that range
    (a compatibility ideograph, a circled one, a space) still get the whole treatment."""
    import unicodedata

    from contact_notify.model import name_key

    for code in range(0x3400, 0xA000):
        char = chr(code)
        assert unicodedata.normalize("NFKC", char).casefold().split() == [char], hex(code)
    assert name_key("王建国") == "王建国"
    assert name_key("\uf900") == "\u8c48"  # a compatibility ideograph: its unified form
    assert name_key("\u3280李") == "一李"  # a circled ideograph: NFKC unwraps it
    assert name_key("李 四") == "李四"
    assert name_key("王\u3000芳") == "王芳"  # an ideographic space
    assert name_key("") == ""


def test_name_keys_of_many_names_are_each_names_key() -> None:
    """name_keys() gives name_key() of every name, in order, on random lists where one name
    at most is more than ideographs (a line end, a space, a compatibility or circled ideograph,
    Latin letters); a list of ideograph-only names (empty ones too) comes back as it is."""
    import random

    from contact_notify.model import name_key, name_keys

    rng = random.Random(7)  # noqa: S311 -- seeded test data, not cryptography.
    odd = ["李\n四", "李 四", "\uf900", "王\u3000芳", "Mary Ann", "ＡＢ", "李\u3280", "\n", "李\r"]
    odd += ["\U0002f800", "李\U00020000", "\u4e00\U0002fa1d"]  # beyond the BMP: NFKC changes some
    for _ in range(3000):
        names = [
            "".join(chr(rng.randint(0x3400, 0x9FFF)) for _ in range(rng.randint(0, 4)))
            for _ in range(rng.randint(0, 6))
        ]
        if names and rng.random() < 0.6:
            names[rng.randrange(len(names))] = rng.choice(odd)
        keys = name_keys(names)
        assert keys == [name_key(n) for n in names], names
        if all(name_key(n) == n for n in names):
            continue
        assert keys is not names, names
    plain = ["王建国", "", "李"]
    assert name_keys(plain) is plain
    assert name_keys(["李\n四", "王"]) == ["李四", "王"]  # a line end inside a name is no separator
