"""Chinese names: surname and given name, including two-character (compound) surnames."""

from __future__ import annotations

from contact_notify.model import has_cjk

# Two-character surnames (复姓), simplified and traditional.  A married woman's
# double surname (陈李美玲) is not recognised: it splits as 陈 + 李美玲.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "太史",
        "申屠",
        "闻人",
        "赫连",
        "呼延",
        "淳于",
        "单于",
        "太叔",
        "仲孙",
        "万俟",
        "拓跋",
        "百里",
        "东郭",
        "南门",
        "羊舌",
        "微生",
        "梁丘",
        "左丘",
        "东门",
        "司空",
        "司寇",
        "子车",
        "颛孙",
        "壤驷",
        "公良",
        "漆雕",
        "乐正",
        "公西",
        "谷梁",
        "巫马",
        "第五",
        "鲜于",
        "闾丘",
        "亓官",
        "夹谷",
        "段干",
        "歐陽",
        "司馬",
        "諸葛",
        "東方",
        "尉遲",
        "公孫",
        "長孫",
        "夏侯",
        "軒轅",
        "令狐",
        "鍾離",
        "端木",
        "獨孤",
        "南宮",
        "西門",
    ]
)


def split_chinese(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese name; ("", name) when it is not a Chinese name."""
    compact = "".join(name.split())
    if not compact or not all(has_cjk(ch) for ch in compact):
        return "", name.strip()
    name = compact
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    if len(name) >= 2:
        return name[0], name[1:]
    return name, ""


def surname(name: str) -> str:
    """The surname of a Chinese name (``欧阳娜娜`` → ``欧阳``), else ""."""
    return split_chinese(name)[0]


def given_name(name: str) -> str:
    """The given name of a Chinese name (``欧阳娜娜`` → ``娜娜``), else the name."""
    return split_chinese(name)[1]
