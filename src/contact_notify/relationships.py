"""The relationship a contact's name says, and how a message addresses them.

Most phones export no groups, but a name often says who the person is:
``老妈``, ``舅舅``, ``王总``, ``小王同事``, ``小周(大学室友)``.  When a contact
has neither a template of their own nor a group rule, :func:`classify` reads
the name (its bracketed notes and nickname too) with the rules below and the
message takes that relationship's template; the preview says which rule chose
it (``name 王总 → superior``).

Notes in brackets — ``()``, ``（）``, ``【】``, ``[]``, ``〔〕``, ``《》``,
``<>``; a half-width one not directly after a Latin letter or digit, so that
``range(9)`` stays whole — are never part of a salutation (``小周(大学室友)`` → ``小周``,
``张伟【房东】`` → ``张伟``); they are read for a relationship.

==============  ==============================================================  ==============
kind            words                                                           relationship
==============  ==============================================================  ==============
kinship, elder  爸 爸爸 老爸 爹 老爹 妈 妈妈 老妈 父亲 母亲 爷爷 奶奶 外公 外婆   family-elder
                姥姥 姥爷 叔 叔叔 婶 婶婶 伯 伯伯 伯父 伯母 大爷 大娘 姑 姑姑
                姑妈 姑父 姑丈 姑夫 舅 舅舅 舅妈 姨 姨妈 姨父 姨丈 姨夫 阿姨
                岳父 岳母 公公 婆婆 干爹 干妈
kinship, peer   哥 哥哥 姐 姐姐 弟 弟弟 妹 妹妹 表哥 表姐 表弟 表妹 堂哥 堂姐      family-peer
                堂弟 堂妹 姐夫 嫂 嫂子 妹夫 弟媳 弟妹 老公 老婆 媳妇 爱人 儿子 女儿
titles          总 老总 经理 总经理 主任 老板 老师 处长 科长 局长 厅长 部长 所长   superior
                院长 校长 主管 总监 董事长 书记 领导 行长 厂长 组长 队长 教授
markers         同事                                                            colleague
                同学 室友 朋友 发小 闺蜜 哥们 球友 战友 校友                        friend
                领导 上司 客户                                                  superior
English         mom mum mother mama dad daddy father papa grandma grandpa        family-elder
                granny grandmother grandfather; aunt/auntie/uncle/grandma/
                grandpa/granny + a name (Uncle Bob, Grandma Li)
                sister brother sis bro; sister/brother + a name (Brother John)  family-peer
                boss                                                            superior
                colleague coworker (in a note)                                  colleague
                classmate roommate friend (in a note)                           friend
==============  ==============================================================  ==============

How a word must stand in the name (so that a given name such as 王伯涛 or
李总成 is not read as a kinship term or a title):

- **Kinship**: the name ends with the term, and before it stands nothing, only
  the prefixes 老 大 二 三 四 五 六 七 八 九 十 小 幺 表 堂 (``老妈``, ``大舅``,
  ``小姨``), or at most two other characters — a surname or a given name
  (``王叔``, ``李阿姨``, ``建国叔``, ``王大哥``).  An elder term with a surname
  is still family-elder (王叔 is addressed as 王叔); a peer term with a surname
  is how people address friends (``王哥``, ``张姐``, ``刘嫂``: friend), and
  弟 / 妹 after a name are read as part of a given name (``李春妹``: no rule).
  The salutation is the name as it stands (without notes).
- **Not family**: 爸 爸爸 妈 妈妈 after a name are a child's parent — a
  classmate's mother or father (``朵朵妈妈``, ``乐乐妈``, ``王妈妈``: friend,
  addressed as written).  An elder term after a job or place word (保洁 门卫
  楼下 楼上 隔壁 对门 邻居 房东 物业 保安 司机 师傅 快递 外卖 钟点 家政 保姆:
  ``保洁阿姨``, ``楼下大爷``), or one with a note holding such a word
  (``王阿姨(楼下)``), addresses someone who is no relative: no rule, and the
  message calls them by the name as written (``保洁阿姨``, ``王阿姨``).
- **Kinship set apart**: a kinship term and a personal name separated by a
  space, ``-``, ``—``, ``_``, ``·``, ``•`` or ``/`` (``李建国 爸爸``,
  ``张三-舅舅``), or a kinship term followed by a name that starts with a surname
  (``爸爸李建国``), say the relationship and the salutation is the term
  (``爸爸``, ``舅舅``).  ``李建国爸爸`` written together says nothing (it may be
  李建国's father).  ``我`` before a kinship term is dropped: ``我爸`` → ``爸``,
  ``我妈`` → ``妈``, ``我舅舅`` → ``舅舅`` (the term as the user wrote it).
- **Title**: the name ends with the title, and before it stands nothing
  (``老板``, ``领导``; not for 总), a surname (``王总``, ``欧阳经理``) or two
  characters.  The salutation is surname + title when the two characters are
  a common surname and a given name (``王芳老师`` → ``王老师``); else they are a
  subject, a department or a place (``数学老师``, ``物业经理``, ``前台主管``) and
  the salutation is the name as written.
- **Marker**: the word anywhere in the name, a note or the nickname
  (``小王同事``, ``小周(大学室友)``); the salutation is what follows the word,
  else what precedes it, without separators (``-`` ``_`` ``·`` ``•`` spaces)
  and a 前 / 老 left of the marker (``前同事小李``, ``同事-小李``,
  ``大学同学小周`` → ``小李``, ``小李``, ``小周``; ``小王同事`` → ``小王``).
  When that leaves nothing, one character or a bare surname, the salutation
  is the name as written (``王同学``, ``老同学``).  A marker after 的 is
  someone else's (``妈妈的同事``): no rule.
- A bracketed note that is a kinship term (``李建国(爸爸)``) or a nickname that
  is one gives both the relationship and the salutation (``爸爸``).

A user's rules extend the list: ``contact-notify rules set name:房东 superior``
makes every contact whose name, note or nickname contains 房东 get that
template.  A ``name:`` rule is tried before the words above, a group rule and a
contact's own template before any ``name:`` rule.  A ``name:`` word given a
family relationship is addressed like a kinship term, one given superior like a
title, any other like a marker.  ``name:`` without a word is refused.

A name of one character (``李``) is never a salutation on its own: without a
kinship term or a title the message then opens without a name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from contact_notify.errors import UsageError
from contact_notify.i18n import _
from contact_notify.model import CJK_RUN, has_cjk, name_key
from contact_notify.names import COMPOUND_SURNAMES

NAME_RULE = "name:"  # a rule whose "group" starts with this names a word in names


def _words(text: str) -> list[str]:
    """The space-separated words of a list written as one line."""
    return text.split()


ELDER = frozenset(
    _words(
        "爸 爸爸 老爸 爹 老爹 妈 妈妈 老妈 父亲 母亲 爷爷 奶奶 外公 外婆 姥姥 姥爷 叔 叔叔 婶 婶婶 "
        "伯 伯伯 伯父 伯母 大爷 大娘 姑 姑姑 姑妈 姑父 姑丈 姑夫 舅 舅舅 舅妈 姨 姨妈 姨父 姨丈 姨夫 阿姨 "
        "岳父 岳母 公公 婆婆 干爹 干妈"
    )
)
PEER = frozenset(
    _words(
        "哥 哥哥 姐 姐姐 弟 弟弟 妹 妹妹 表哥 表姐 表弟 表妹 堂哥 堂姐 堂弟 堂妹 姐夫 嫂 嫂子 妹夫 "
        "弟媳 弟妹 老公 老婆 媳妇 爱人 儿子 女儿"
    )
)
# Peer terms people put after a friend's surname or name (王哥, 张姐): read as friend.
FRIENDLY_PEER = frozenset(_words("哥 哥哥 姐 姐姐 嫂 嫂子"))
TITLES = frozenset(
    _words(
        "总 老总 经理 总经理 主任 老板 老师 处长 科长 局长 厅长 部长 所长 院长 校长 主管 总监 "
        "董事长 书记 领导 行长 厂长 组长 队长 教授"
    )
)
# Titles that do not stand alone as a name (总 is only ever 王总).
BOUND_TITLES = frozenset({"总"})
MARKERS = {
    "同事": "colleague",
    **dict.fromkeys(_words("同学 室友 朋友 发小 闺蜜 哥们 球友 战友 校友"), "friend"),
    **dict.fromkeys(_words("领导 上司 客户"), "superior"),
}
# The first character of each marker word: a text holding none of them holds no marker.
_MARKER_FIRSTS = frozenset(word[0] for word in MARKERS)
PREFIXES = frozenset("老大二三四五六七八九十小幺表堂")
# Common one-character surnames: what tells 王芳老师 (surname + given name) from 数学老师.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤殷施牛洪易常温乔柳葛伍庞齐康聂章鲁岳欧"
)
# Two characters before a title that are no person's name (数学老师, 物业经理).
NOT_NAMES = frozenset(
    _words(
        "数学 语文 英语 物理 化学 生物 历史 地理 政治 音乐 美术 体育 高数 物业 销售 大堂 财务 前台 人事 行政 客服 市场 技术 项目"
    )
)
# Job and place words: an elder term after one addresses a stranger (保洁阿姨, 楼下大爷),
# and a note that is one (王阿姨(楼下)) says the same.
NOT_FAMILY = frozenset(
    _words("保洁 门卫 楼下 楼上 隔壁 对门 邻居 房东 物业 保安 司机 师傅 快递 外卖 钟点 家政 保姆")
)
# Parent terms: after a name they mean a child's parent (朵朵妈妈, 乐乐妈), not the user's own.
PARENTS = frozenset(_words("爸 爸爸 妈 妈妈"))
# What separates a name from a word in it (李建国-爸爸, 同事_小李).
_SEPARATORS = re.compile(r"[\s\-_·•—–/]+")

EN_ELDER = frozenset(
    _words(
        "mom mum mother mama dad daddy father papa grandma grandpa granny grandmother grandfather"
    )
)
EN_ELDER_PREFIXES = ("aunt ", "auntie ", "uncle ", "grandma ", "grandpa ", "granny ")
EN_PEER = frozenset(_words("sister brother sis bro"))
EN_PEER_PREFIXES = ("sister ", "brother ")
EN_MARKERS = {
    "boss": "superior",
    "colleague": "colleague",
    "coworker": "colleague",
    "co-worker": "colleague",
    "classmate": "friend",
    "roommate": "friend",
    "friend": "friend",
}
# Each English marker as a whole word, compiled once.
_EN_MARKER_PATTERNS = tuple(
    (word, relationship, re.compile(rf"\b{re.escape(word)}\b"))
    for word, relationship in EN_MARKERS.items()
)

# A note in brackets.  Half-width brackets directly after a Latin letter, digit or
# underscore (``range(9)``, ``x[0]``) are part of the name, not a note.
_NOTE = re.compile(
    r"(?<![A-Za-z0-9_])\(([^()]*)\)|（([^（）]*)）|【([^【】]*)】"
    r"|(?<![A-Za-z0-9_])\[([^\[\]]*)\]|〔([^〔〕]*)〕|《([^《》]*)》|(?<![A-Za-z0-9_])<([^<>]*)>"
)


@dataclass(frozen=True)
class Found:
    """What a name says: the template (a relationship) and the salutation it gives."""

    template: str  # a relationship, or what a user's name: rule names
    salutation: str  # how to address the contact ("" when the name gives none)
    source: str  # the name, note or nickname the word was found in
    word: str  # the word that decided
    kinship: bool = False  # a kinship form: the salutation is the name as it stands
    titled: bool = False  # surname + title: the salutation is no plain personal name either
    rule: str = ""  # the user's rule (name:WORD) that decided, "" for the built-in list


def split_notes(name: str) -> tuple[str, list[str]]:
    """The name without bracketed notes (spaces between Chinese characters dropped), and the notes."""
    if _ALL_CJK.fullmatch(name):
        return name, []  # Chinese characters only: no note, no space (most names)
    return _split_notes(name)


def _split_notes(name: str) -> tuple[str, list[str]]:
    """:func:`split_notes` for any name, whatever its characters."""
    notes = [next(g for g in m.groups() if g is not None).strip() for m in _NOTE.finditer(name)]
    core = _NOTE.sub(" ", name)
    core = _compact_cjk(core)
    if not core:  # the whole name was a note: keep its words without the brackets
        core = " ".join(n for n in notes if n)
    return core, [n for n in notes if n]


# A text of CJK ideographs only (what has_cjk looks for, every character of it).
_ALL_CJK = CJK_RUN
_SPACE = re.compile(r"\s")  # what str.split() splits on


def _compact_cjk(text: str) -> str:
    """Spaces next to a Chinese character dropped (``李 四`` → ``李四``), other spaces kept."""
    if not _SPACE.search(text):
        return text  # one word: nothing to drop (most names)
    out = ""
    for word in text.split():
        if out and not (has_cjk(out[-1]) or has_cjk(word[0])):
            out += " "
        out += word
    return out


def clean_name(name: str) -> str:
    """The name without bracketed notes: what a message may call the contact."""
    return split_notes(name)[0]


def _is_surname(head: str) -> bool:
    return len(head) == 1 or head in COMPOUND_SURNAMES


@functools.lru_cache(maxsize=256)
def _word_table(elder: frozenset[str], peer: frozenset[str] = frozenset()) -> _Words:
    """Each word with its relationship, and the words' lengths longest first: built once per
    word list, so a name is looked up by its own ends, not compared with every word."""
    table = dict.fromkeys(peer, "family-peer") | dict.fromkeys(elder, "family-elder")
    return _Words(
        table,
        tuple(sorted({len(t) for t in table}, reverse=True)),
        frozenset(t[0] for t in table if t),
        frozenset(t[-1] for t in table if t),
    )


class _Words(NamedTuple):
    """A word list as :func:`_word_table` keeps it."""

    table: dict[str, str]  # each word and its relationship
    lengths: tuple[int, ...]  # the words' lengths, longest first
    firsts: frozenset[str]  # the first character of some word: a name starting otherwise has none
    lasts: frozenset[str]  # the last character of some word: a name ending otherwise has none


def _ends(core: str, words: _Words) -> list[str]:
    """The words of the list ``core`` ends with, longest first."""
    table, lengths, _firsts, lasts = words
    if core[-1:] not in lasts:
        return []  # most names: no word ends as they do
    return [core[-n:] for n in lengths if n <= len(core) and core[-n:] in table]


def _kinship(core: str, elder: Iterable[str], peer: Iterable[str]) -> tuple[str, str] | None:
    """(relationship, term) when the name is a kinship form (see the module's rules)."""
    words = _word_table(frozenset(elder), frozenset(peer))
    ends = _ends(core, words)  # most names end with no term: no need to look further
    if not ends or not _ALL_CJK.fullmatch(core):
        return None
    table = words.table
    for term in ends:
        relationship = table[term]
        head = core[: -len(term)]
        if all(ch in PREFIXES for ch in head) and len(head) <= 2:
            return relationship, term
        if any(word in head for word in NOT_FAMILY):  # 保洁阿姨, 楼下大爷: no family
            return None
        if len(head) <= 2 or (head[:2] in COMPOUND_SURNAMES and len(head) <= 3):
            if term in PARENTS:  # 朵朵妈妈, 乐乐妈: a child's parent
                return "friend", term
            if relationship == "family-elder":
                return relationship, term
            if term in FRIENDLY_PEER:
                return "friend", term
        return None
    return None


def _title(core: str, titles: Iterable[str]) -> tuple[str, str] | None:
    """(salutation, title) when the name ends with a title (see the module's rules)."""
    ends = _ends(core, _word_table(frozenset(titles)))  # most names end with no title
    if not ends or not _ALL_CJK.fullmatch(core):
        return None
    for title in ends:
        head = core[: -len(title)]
        if not head:
            return (title, title) if title not in BOUND_TITLES else None
        if _is_surname(head):
            return head + title, title
        if len(head) == 2:
            if head[0] in SURNAMES and head not in NOT_NAMES:  # 王芳老师 → 王老师
                return head[0] + title, title
            return core, title  # 数学老师, 物业经理: the name as written
        return None
    return None


def _bare(text: str) -> bool:
    """True when a remnant is too little to call someone by: nothing, one character, a surname."""
    return len(text) <= 1 or text in COMPOUND_SURNAMES


def _without(text: str, word: str) -> str:
    """The name without a marker word (大学同学小周 → 小周, 小王同事 → 小王); the name
    itself when too little is left (王同学, 老同学)."""
    before, _sep, after = text.partition(word)
    for side in (after, before):
        parts = [p for p in _SEPARATORS.split(side) if p]
        if parts and parts[0] in ("前", "老"):  # 前同事, 老同学: what is left of the marker
            parts = parts[1:]
        rest = _compact_cjk(" ".join(parts))
        if not _bare(rest):
            return rest
    return text


def _of_someone(source: str, word: str) -> bool:
    """True when the word is someone else's (妈妈的同事): it says nothing of the contact."""
    return f"的{word}" in source


def _separated(name: str) -> Found | None:
    """A kinship term set apart from a personal name (李建国 爸爸, 爸爸-李建国, 爸爸李建国)."""
    parts = [p for p in _SEPARATORS.split(_NOTE.sub(" ", name)) if p]
    pairs = [(parts[-1], parts[0]), (parts[0], parts[-1])] if len(parts) == 2 else []
    for term, other in pairs:
        kin = _kinship(term, ELDER, PEER)
        if (
            kin
            and kin[0] != "friend"
            and _personal(other)
            and set(term[: -len(kin[1])]) <= PREFIXES
        ):
            return Found(kin[0], term, term, kin[1], kinship=True)
    return _kin_first(_compact_cjk(_NOTE.sub(" ", name)))


def _kin_first(core: str) -> Found | None:
    """A kinship term followed by a personal name (爸爸李建国)."""
    table, lengths, firsts, _lasts = _word_table(ELDER, PEER)
    if core[:1] not in firsts:
        return None  # most names: no kinship term starts as they do
    for term in (core[:n] for n in lengths if n <= len(core)):
        if term in table and _personal(core[len(term) :]):
            kind = "family-elder" if term in ELDER else "family-peer"
            return Found(kind, term, core, term, kinship=True)
    return None


# The characters a plain name must start or end with for the built-in list to find a kinship
# term (爸爸李建国, 王叔, 我妈) or a title (王总) in it; "" (an empty name) goes the long way.
_QUIET_FIRSTS = _word_table(ELDER, PEER).firsts | {""}
_QUIET_LASTS = _word_table(ELDER, PEER).lasts | _word_table(TITLES).lasts | {""}
# One of the marker words' first characters (a search: faster than a set's isdisjoint).
_MARKER_FIRST = re.compile("[" + "".join(sorted(_MARKER_FIRSTS)) + "]")


def _personal(text: str) -> bool:
    """True when text reads as a Chinese personal name: a known surname and one or two more."""
    if not text or not all(has_cjk(ch) for ch in text):
        return False
    if text[:2] in COMPOUND_SURNAMES:
        return 3 <= len(text) <= 4
    return text[0] in SURNAMES and 2 <= len(text) <= 3


@dataclass(frozen=True)
class Lexicon:
    """The words read in names: the built-in list plus the user's ``name:`` rules."""

    rules: tuple[tuple[str, str], ...] = ()  # (word, template) from the user's name: rules

    @classmethod
    def from_rules(cls, rules: Iterable[tuple[str, str]]) -> Lexicon:
        """The lexicon with the user's ``name:WORD`` rules (other rules are group rules)."""
        return cls(
            tuple(
                (group[len(NAME_RULE) :].strip(), template)
                for group, template in rules
                if is_name_rule(group) and group[len(NAME_RULE) :].strip()
            )
        )


def is_name_rule(group: str) -> bool:
    """True for a rule on a word in names (``name:干妈``), not on a group."""
    return group.startswith(NAME_RULE)


def check_rule_group(group: str) -> None:
    """Refuse an empty group, and a ``name:`` rule without a word after ``name:`` (either
    would match nothing)."""
    if not group.strip():
        raise UsageError(
            _("a rule needs a group: the group's name as the phone shows it"),
            hint=_("e.g. contact-notify rules set 同学 friend"),
        )
    if is_name_rule(group) and not group[len(NAME_RULE) :].strip():
        raise UsageError(
            _("the rule {group} names no word to look for in names").format(group=repr(group)),
            hint=_("put the word after name:, e.g. contact-notify rules set name:房东 superior"),
        )


def _relationship(template: str) -> str:
    from contact_notify.render import RELATIONSHIPS, relationship_of

    found = relationship_of(template)
    return found if found in RELATIONSHIPS else ""


def _user_rule(
    word: str, template: str, core: str, notes: list[str], nickname: str
) -> Found | None:
    relationship = _relationship(template)
    rule = NAME_RULE + word
    for source in (core, *notes, nickname):
        if not source or word not in source:
            continue
        if relationship in ("family-elder", "family-peer"):
            kin = _kinship(source, [word], []) or _kinship(source, [], [word])
            if kin:
                return Found(template, source, source, word, kinship=True, rule=rule)
            return Found(template, "", source, word, rule=rule)
        if relationship == "superior" and source == core:
            titled = _title(source, [word])
            if titled:
                return Found(template, titled[0], source, word, titled=True, rule=rule)
        return Found(template, _without(core, word) if source == core else core, source, word,
                     rule=rule)  # fmt: skip
    return None


@functools.lru_cache(maxsize=8192)
def classify(name: str, nickname: str = "", lexicon: Lexicon | None = None) -> Found | None:
    """What a contact's name (its notes, its nickname) says of the relationship, if anything.

    Cached: a run asks it several times of each contact (template, salutation, review).
    """
    if not nickname and (lexicon is None or not lexicon.rules) and _says_nothing(name):
        return None  # most names: no need to look further
    plain = not nickname and _ALL_CJK.fullmatch(name) is not None
    return _classify(name, nickname, lexicon or Lexicon(), plain=plain)


def _says_nothing(name: str) -> bool:
    """True for a name of Chinese characters only that starts with no kinship term, ends
    with none and with no title, and holds no marker word: the built-in list finds nothing
    in it (what :func:`_classify` looks for in such a name, looked for by its characters)."""
    return (
        name[:1] not in _QUIET_FIRSTS
        and name[-1:] not in _QUIET_LASTS
        and _MARKER_FIRST.search(name) is None
        and _ALL_CJK.fullmatch(name) is not None
    )


def _classify(name: str, nickname: str, lexicon: Lexicon, *, plain: bool) -> Found | None:
    """:func:`classify`; ``plain``: the name is Chinese characters only (no note, space or
    separator) and there is no nickname, so the steps that look for those are skipped."""
    core, notes = (name, []) if plain else split_notes(name)
    nickname = clean_name(nickname) if nickname else ""
    for word, template in lexicon.rules:
        found = _user_rule(word, template, core, notes, nickname)
        if found:
            return found
    separated = _kin_first(name) if plain else _separated(name)
    if separated:
        return separated
    mine = _kinship(core[1:], ELDER, PEER) if core.startswith("我") else None
    if mine and mine[0] != "friend" and set(core[1 : -len(mine[1])]) <= PREFIXES:
        return Found(mine[0], core[1:], core, mine[1], kinship=True)  # 我爸 → 爸
    kin = _kinship(core, ELDER, PEER)
    if kin and any(word in source for source in notes for word in NOT_FAMILY):
        kin = None  # 王阿姨(楼下): a neighbour, not family
    if kin and kin[0] != "friend":
        return Found(kin[0], core, core, kin[1], kinship=True)
    titled = _title(core, TITLES)
    if titled:
        return Found("superior", titled[0], core, titled[1], titled=True)
    english = None if plain else _english(core)
    if english:
        return english
    others = [*notes, nickname] if nickname else notes  # a note or nickname is never ""
    for source in others:
        noted = _kinship(source, ELDER, PEER)
        if noted and noted[0] != "friend" and set(source[: -len(noted[1])]) <= PREFIXES:
            return Found(noted[0], source, source, noted[1], kinship=True)
    for source in (core, *others):
        markers = MARKERS.items() if not _MARKER_FIRSTS.isdisjoint(source) else ()
        for word, relationship in markers:
            if word in source and not _of_someone(source, word):
                return Found(relationship, _without(core, word) if source == core else core,
                             source, word)  # fmt: skip
        if source is not core:
            lowered = source.casefold()
            for word, relationship, pattern in _EN_MARKER_PATTERNS:
                if pattern.search(lowered):
                    return Found(relationship, core, source, word)
    if kin:  # 王哥, 张姐: a friend, unless a note said more
        return Found(kin[0], core, core, kin[1], kinship=True)
    return None


def _english(core: str) -> Found | None:
    """Mom, Dad, Uncle Bob, Sis, Boss: a Latin-script name that is a kinship word or a title."""
    lowered = name_key(core)
    if not lowered or has_cjk(lowered):
        return None
    if lowered in EN_ELDER:
        return Found("family-elder", core, core, lowered, kinship=True)
    if lowered in EN_PEER:
        return Found("family-peer", core, core, lowered, kinship=True)
    if lowered == "boss":
        return Found("superior", core, core, lowered, titled=True)
    for prefix in EN_ELDER_PREFIXES:
        if lowered.startswith(prefix):
            return Found("family-elder", core, core, prefix.strip(), kinship=True)
    for prefix in EN_PEER_PREFIXES:
        if lowered.startswith(prefix):
            return Found("family-peer", core, core, prefix.strip(), kinship=True)
    return None
