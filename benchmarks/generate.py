"""Seeded generators of synthetic contact files for the benchmarks.

Names, numbers and layout imitate an iPhone vCard 3.0 export (grouped TEL
with X-ABLabel, about 1.5 numbers a card) and a phone export with photos.
"""

from __future__ import annotations

import base64
import random
from pathlib import Path

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏辉建国建华志强晓明海燕雪梅丹阳婷宇浩"
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "166", "176", "177", "180", "181", "186", "187", "188", "189", "199")  # fmt: skip
FORMATS = ("{p} {a} {b}", "+86 {p}-{a}-{b}", "{p}{a}{b}", "+86{p}{a}{b}", "0086 {p} {a} {b}")


def _number(rng: random.Random) -> str:
    fmt = rng.choice(FORMATS)
    return fmt.format(
        p=rng.choice(MOBILE_PREFIXES),
        a=f"{rng.randrange(10000):04d}",
        b=f"{rng.randrange(10000):04d}",
    )


def _name(rng: random.Random) -> tuple[str, str]:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(FAMILY), given


GIVEN_CHARS = "".join(sorted(set(GIVEN)))


def _distinct_given(n: int) -> str:
    """A given name of four characters, different for every ``n`` below 43**4 (3.4M)."""
    chars = []
    for _ in range(4):
        n, digit = divmod(n, len(GIVEN_CHARS))
        chars.append(GIVEN_CHARS[digit])
    return "".join(chars)


def iphone_vcard(
    path: Path, cards: int, seed: int = 20261128, *, distinct_names: bool = False
) -> None:
    """Write ``cards`` iPhone-style vCard 3.0 cards, 1.5 numbers each on average.

    With ``distinct_names`` every card's given name is made from its position,
    so each full name names one card (for ``mark`` by name); the random
    sequence, and so every number, stays the same.
    """
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\r\n") as out:
        for n in range(cards):
            family, given = _name(rng)
            if distinct_names:
                given = _distinct_given(n)
            out.write("BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//iPhone OS 17.1//EN\n")
            out.write(f"N:{family};{given};;;\nFN:{family}{given}\n")
            if n % 4 == 0:
                out.write("ORG:华信科技;\n")
            out.write(f"item1.TEL;type=pref:{_number(rng)}\nitem1.X-ABLabel:_$!<Mobile>!$_\n")
            if n % 2 == 0:
                out.write(f"TEL;type=WORK;type=VOICE:{_number(rng)}\n")
            if n % 5 == 0:
                out.write(f"EMAIL;type=INTERNET;type=HOME:user{n}@example.com\n")
            out.write(f"CATEGORIES:{rng.choice(('家人', '同事', '朋友', '同学'))}\n")
            out.write("END:VCARD\n")


def photo_vcard(path: Path, cards: int, photo_bytes: int = 30_000, seed: int = 7) -> None:
    """Write Android-style 2.1 cards, each with a base64 photo of ``photo_bytes`` bytes."""
    rng = random.Random(seed)
    photo = base64.b64encode(rng.randbytes(photo_bytes)).decode("ascii")
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    with path.open("w", encoding="utf-8", newline="") as out:
        for _ in range(cards):
            family, given = _name(rng)
            out.write("BEGIN:VCARD\r\nVERSION:2.1\r\n")
            out.write(
                f"N;CHARSET=UTF-8:{family};{given};;;\r\nFN;CHARSET=UTF-8:{family}{given}\r\n"
            )
            out.write(f"TEL;CELL:{_number(rng)}\r\n")
            out.write(f"PHOTO;ENCODING=BASE64;JPEG:{folded}\r\n\r\n")
            out.write("END:VCARD\r\n")


def gb18030_csv(path: Path, rows: int, seed: int = 18030) -> None:
    """Write a WPS/Excel-style sheet in GB18030: Chinese headers, one person a row, CRLF."""
    rng = random.Random(seed)
    with path.open("w", encoding="gb18030", newline="") as out:
        out.write("姓名,手机,分组,公司,备注\r\n")
        for n in range(rows):
            family, given = _name(rng)
            org = "华信科技" if n % 4 == 0 else ""
            group = rng.choice(("家人", "同事", "朋友", "同学"))
            out.write(f"{family}{given},{_number(rng)},{group},{org},\r\n")
