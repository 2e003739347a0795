"""The columns of a contact sheet: which header names which contact field, and one row's
cells made into a contact (several numbers in a cell, Google's ``a ::: b``, groups).

:data:`COLUMN_ALIASES` maps the headers real exports use (Google, Outlook, WPS/Excel,
in English, Chinese, Japanese and Korean) to contact fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contact_notify.csvsafe import unprotect
from contact_notify.errors import InputDataError
from contact_notify.i18n import _
from contact_notify.model import Contact, Phone, Source, join_name
from contact_notify.readers.encoding import MAX_VALUES, quoted

# field -> header names (compared after stripping spaces and case-folding)
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "display name", "姓名", "名字", "真实姓名", "联系人", "联系人姓名", "名前", "氏名", "이름"),
    "given": ("first name", "given name", "名"),
    "family": ("last name", "family name", "surname", "姓"),
    "nickname": ("nickname", "昵称"),
    "org": ("organization name", "organization 1 - name", "company", "单位", "公司", "工作单位", "会社名", "회사"),
    "groups": ("labels", "group membership", "categories", "group", "groups", "分组", "分組", "类别", "群组", "群組", "グループ", "그룹"),
    "email": (
        "e-mail address", "e-mail 2 address", "e-mail 3 address", "email", "e-mail",
        "email address", "电子邮件地址", "电子邮件 2 地址", "电子邮件 3 地址", "邮箱", "电子邮箱",
        "メールアドレス", "이메일",
    ),
    "phone": (
        "phone", "phone number", "mobile", "mobile phone", "mobile number", "cell", "cell phone",
        "cellphone", "tel", "work phone", "primary phone", "home phone", "home phone 2",
        "business phone", "business phone 2", "company main phone", "other phone", "car phone",
        "telephone", "telephone number", "手机", "手机号", "手机号码", "手機", "电话", "電話",
        "联系电话", "电话号码", "号码", "手机号码1", "手机1",
        "联系方式", "移动电话", "商务电话", "商务电话 2", "单位主要电话", "住宅电话",
        "住宅电话 2", "其他电话", "主要电话", "携帯電話", "携帯", "電話番号", "휴대폰", "휴대전화", "전화번호",
    ),
}  # fmt: skip
# Numbered columns of Google exports: "Phone 1 - Value" with its "Phone 1 - Label"/"Type".
_NUMBERED = re.compile(r"^(phone|e-mail) (\d+) - (value|label|type)$")
_PHONE_LABELS = {
    "mobile": "mobile", "mobile phone": "mobile", "mobile number": "mobile", "cell": "mobile",
    "cell phone": "mobile", "cellphone": "mobile", "work phone": "work", "手机": "mobile", "手机号": "mobile",
    "手机号码": "mobile", "手機": "mobile", "移动电话": "mobile", "home phone": "home",
    "home phone 2": "home", "住宅电话": "home", "住宅电话 2": "home", "business phone": "work",
    "business phone 2": "work", "company main phone": "work", "商务电话": "work",
    "商务电话 2": "work", "单位主要电话": "work", "other phone": "other", "其他电话": "other",
    "携帯電話": "mobile", "携帯": "mobile", "휴대폰": "mobile", "휴대전화": "mobile",
}  # fmt: skip
_MULTI = " ::: "
# Google's label for "every contact", which is not a group of the user's.
_GOOGLE_ALL = frozenset({"mycontacts"})


def header_key(cell: str) -> str:
    """A header cell as compared with the aliases: no BOM, trimmed, collapsed spaces, case-folded."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


@dataclass
class Columns:
    """Which column index feeds which contact field."""

    single: dict[str, int] = field(default_factory=dict)
    phones: list[tuple[int, int | None, str]] = field(
        default_factory=list
    )  # value, label, label text
    emails: list[int] = field(default_factory=list)

    @property
    def used(self) -> list[int]:
        """The indexes of every column read, in order, each once."""
        indexes = [*self.single.values(), *self.emails]
        for value, label, _text in self.phones:
            indexes += [value] if label is None else [value, label]
        return sorted(set(indexes))

    @property
    def usable(self) -> bool:
        """True when there is at least a name or a phone column."""
        return bool(self.phones) or any(k in self.single for k in ("name", "given", "family"))


ColumnMap = list[tuple[str, str]]  # (field, header) pairs given with --column
# "#2": a column by its position, for files without a header row.
COLUMN_NUMBER = re.compile(r"#([1-9][0-9]{0,2})")


def map_columns(header: list[str], manual: ColumnMap | None = None) -> Columns:
    """Map header cells to fields; ``manual`` (field, header) pairs win over the aliases.

    Several manual ``phone`` (or ``email``) pairs are all used, in order, and
    replace the phone (or e-mail) columns found by name.
    """
    keys = [header_key(cell) for cell in header]
    cols = Columns()
    numbered: dict[tuple[str, str], dict[str, int]] = {}
    for index, key in enumerate(keys):
        match = _NUMBERED.match(key)
        if match:
            numbered.setdefault((match.group(1), match.group(2)), {})[match.group(3)] = index
            continue
        for fld, aliases in COLUMN_ALIASES.items():
            if key not in aliases:
                continue
            if fld == "phone":
                cols.phones.append((index, None, _PHONE_LABELS.get(key, "")))
            elif fld == "email":
                cols.emails.append(index)
            else:
                cols.single.setdefault(fld, index)
            break
    for (kind, _number), parts in sorted(
        numbered.items(), key=lambda item: (item[0][0], int(item[0][1]))
    ):
        if "value" not in parts:
            continue
        if kind == "phone":
            cols.phones.append((parts["value"], parts.get("label", parts.get("type")), ""))
        else:
            cols.emails.append(parts["value"])
    manual_phones: list[tuple[int, int | None, str]] = []
    manual_emails: list[int] = []
    for fld, wanted in manual or []:
        number = COLUMN_NUMBER.fullmatch(wanted.strip())
        try:
            index = int(number.group(1)) - 1 if number else keys.index(header_key(wanted))
        except ValueError:
            raise InputDataError(
                _("--column {field}={wanted}: the file has no column {column}").format(
                    field=fld, wanted=wanted, column=repr(wanted)
                ),
                hint=_("columns in the file: {columns}").format(
                    columns=quoted(header, limit=len(header))
                ),
            ) from None
        if fld == "phone":
            manual_phones.append((index, None, _PHONE_LABELS.get(header_key(wanted), "")))
        elif fld == "email":
            manual_emails.append(index)
        else:
            cols.single[fld] = index
    cols.phones = manual_phones or cols.phones
    cols.emails = manual_emails or cols.emails
    return cols


_CELL_SEPARATORS = re.compile(r"\s*(?:[/;、，|\n]|:::)\s*")
# A cell holding one number written plainly (most cells): nothing to split.
_ONE_PLAIN_NUMBER = re.compile(r"\+?[0-9]{3,20}")
# Digits, spaces and dashes only (a leading +): no separator, comma or pause to look at.
_SPACED = re.compile(r"\+?[0-9][0-9 -]*[0-9]")
_GROUP_SEPARATORS = re.compile(r":::|;")
_COMMA_BETWEEN_NUMBERS = re.compile(r"(?<=\d{7}),\s*(?=\+?\d[\d -]{6,})")


def split_numbers(cell: str) -> list[str]:
    """The numbers written in one cell: ``a ::: b``, ``a / b``, ``a；b``, ``a, b`` or ``a b``.

    A comma right after a short run of digits is a dial pause (``010-62345678,,123``)
    and stays; spaces split only when every part is a whole number (``138 0013 8000`` stays).
    """
    if _ONE_PLAIN_NUMBER.fullmatch(cell):
        return [cell]
    if _SPACED.fullmatch(cell):  # 187 3350 0036, +86 187-3350-0036: one number unless every
        first = cell.split(" ", 1)[0]  # part is a whole one (see below), and the first is not
        if " " not in cell or len(first) - first.count("-") - first.count("+") < 7:
            return [cell]
    return split_by_rule(cell)


def split_by_rule(cell: str) -> list[str]:
    """:func:`split_numbers` without its shortcuts: the rule it documents, for any cell."""
    numbers: list[str] = []
    for part in _CELL_SEPARATORS.split(cell):
        for piece in _COMMA_BETWEEN_NUMBERS.split(part):
            tokens = piece.split()
            if len(tokens) > 1 and all(sum(ch.isdigit() for ch in t) >= 7 for t in tokens):
                numbers.extend(tokens)
            elif piece.strip():
                numbers.append(piece.strip())
    return numbers


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return unprotect(row[index]).strip()


_SINGLE = ("family", "given", "name", "nickname", "org", "groups")


def contact_from_row(row: list[str], cols: Columns, source: Source) -> Contact | None:
    """The contact one row's cells give, or None when they hold no name, number or e-mail.

    Groups keep one more than :data:`MAX_VALUES`, so the caller can tell and report.
    """

    # The six single fields in one pass (this runs once per row of files of a million rows).
    size = len(row)
    family, given, name, nickname, org, groups_cell = [
        "" if i is None or i >= size else (unprotect(row[i]) if "'" in row[i] else row[i]).strip()
        for i in map(cols.single.get, _SINGLE)
    ]
    name = name or join_name(family, given) or nickname
    phones: list[Phone] = []
    for value_index, label_index, label_text in cols.phones:
        label = _cell(row, label_index).lstrip("* ").lower() or label_text
        phones.extend(Phone(raw, label) for raw in split_numbers(_cell(row, value_index)))
    emails = [
        e.strip() for index in cols.emails for e in _cell(row, index).split(_MULTI) if e.strip()
    ]
    if not (name or phones or emails):
        return None
    groups: list[str] = []
    for cell in _GROUP_SEPARATORS.split(groups_cell):
        if len(groups) > MAX_VALUES:
            break  # one more than kept, so the caller can tell
        group = cell.strip().lstrip("*").strip()
        if group and group.casefold().replace(" ", "") not in _GOOGLE_ALL and group not in groups:
            groups.append(group)
    # By position (keywords take twice as long, once per row): Contact's fields in order.
    return Contact(name, family, given, nickname, org, groups, phones, emails, source)
