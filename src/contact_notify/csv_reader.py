"""CSV reader: Google, Outlook, WPS/Excel sheets with English or Chinese headers.

The header row names the columns; :data:`COLUMN_ALIASES` maps the headers real
exports use to contact fields.  Cells are split the way Google writes several
values in one cell (``a ::: b``).  A row that yields no name, number or e-mail
is reported with its line, never dropped silently; a blank row is not a record.
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from contact_notify import encoding as _encoding
from contact_notify.csvsafe import unprotect
from contact_notify.encoding import (
    MAX_VALUE,
    MAX_VALUES,
    Decoder,
    Detected,
    detect,
    mostly_utf8,
    pieces,
    quoted,
    read_chunks,
    sniff_bom,
    too_long_line,
)
from contact_notify.errors import InputDataError
from contact_notify.model import Contact, IssueLog, Phone, ReadIssue, Source, join_name

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
_DELIMITERS = ",;\t"
DETECT_SAMPLE = 1 << 20
_SEP_LINE = re.compile(r"sep=(.)")


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
        for value, label, _ in self.phones:
            indexes += [value] if label is None else [value, label]
        return sorted(set(indexes))

    @property
    def usable(self) -> bool:
        """True when there is at least a name or a phone column."""
        return bool(self.phones) or any(k in self.single for k in ("name", "given", "family"))


ColumnMap = list[tuple[str, str]]  # (field, header) pairs given with --column
# "#2": a column by its position, for files without a header row.
_COLUMN_NUMBER = re.compile(r"#([1-9][0-9]{0,2})")


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
    for (kind, _), parts in sorted(
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
        number = _COLUMN_NUMBER.fullmatch(wanted.strip())
        try:
            index = int(number.group(1)) - 1 if number else keys.index(header_key(wanted))
        except ValueError:
            raise InputDataError(
                f"--column {fld}={wanted}: the file has no column {wanted!r}",
                hint="columns in the file: " + quoted(header, limit=len(header)),
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


@dataclass
class CsvRead:
    """Counters and issues of one CSV read (issues kept by an :class:`IssueLog`: flat memory)."""

    source: str
    decoder: Decoder
    columns: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    encoding: str = "utf-8"
    delimiter: str = ","
    replaced_reported: bool = False
    log: IssueLog = field(init=False)

    def __post_init__(self) -> None:
        self.log = IssueLog(self.source)

    @property
    def issues(self) -> list[ReadIssue]:
        """The issues listed one by one, then a summary of each kind of the others."""
        return self.log.issues

    def warn(
        self, line: int, reason: str, *, skipped: bool = False, kind: str | None = None
    ) -> None:
        """Record an issue at a line of this file; ``kind`` groups reasons that name a value."""
        self.log.add(line, reason, skipped=skipped, kind=kind, unit="rows")


def choose_encoding(sample: bytes, decoder: Decoder) -> tuple[str, int]:
    """The encoding of a text file from its first megabyte, and the length of its BOM.

    BOM (or UTF-16 shape) first, then ``--encoding``, then UTF-8 (allowing a few
    damaged bytes), then the detector biased to the region, which may return a
    :class:`Detected` that says the guess is unsure.
    """
    bom_encoding, bom_len = sniff_bom(sample)
    if bom_encoding:
        return bom_encoding, bom_len
    if decoder.forced:
        return decoder.forced, 0
    if mostly_utf8(sample):
        return "utf-8", 0
    return detect(sample, decoder.fallback), 0


class _Replacements:
    """Counts characters the incremental decoder had to replace."""

    def __init__(self) -> None:
        self.count = 0


_COUNTING: contextvars.ContextVar[_Replacements] = contextvars.ContextVar("replacements")


def _count_replacement(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _COUNTING.get().count += 1
    return "\ufffd", exc.end


codecs.register_error("contact-notify-count", _count_replacement)


def text_lines(
    first: bytes,
    rest: Iterator[bytes],
    encoding: str,
    replaced: _Replacements,
    source: str = "input",
) -> Iterator[str]:
    """Decode a byte stream chunk by chunk into lines that keep their line ends.

    Only LF ends a line (CRLF lines end in LF too); a file with CR alone is
    read with CR as the line end.  Memory holds one chunk and one line, not the
    file (lines are split off 64 KiB at a time); a line longer than
    :data:`encoding.MAX_LINE` characters is an InputDataError.  Characters that
    cannot be decoded are replaced and counted in ``replaced``.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="contact-notify-count")
    end = "\n" if b"\n" in first or b"\r" not in first else "\r"
    pending: list[str] = []  # the start of a line not ended yet, in pieces
    pending_size = 0
    for chunk in pieces(_chain(first, rest)):
        token = _COUNTING.set(replaced)
        try:
            text = decoder.decode(chunk)
        finally:
            _COUNTING.reset(token)
        cut = text.rfind(end)
        if cut < 0:
            pending.append(text)
            pending_size += len(text)
            if pending_size > _encoding.MAX_LINE:
                raise too_long_line(source)
            continue
        if pending:
            if pending_size + text.find(end) > _encoding.MAX_LINE:
                raise too_long_line(source)
            text = "".join(pending) + text
        lines = text.split(end)
        tail = lines.pop()
        pending = [tail] if tail else []
        pending_size = len(tail)
        for line in lines:
            yield line + end
    token = _COUNTING.set(replaced)
    try:
        pending.append(decoder.decode(b"", final=True))
    finally:
        _COUNTING.reset(token)
    if tail := "".join(pending):
        yield tail


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a header line: the most frequent of comma, semicolon and tab outside quotes."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# Rows looked at for the header: a sheet may start with a title row or two.
HEADER_SEARCH_ROWS = 5
# A cell this long is not a contact field; the csv module's default limit is 128 KiB.
FIELD_SIZE_LIMIT = 1 << 26
# A line with more columns than this is not a row of contacts (Outlook writes 92): the csv module
# would hold a cell object for each, 30 times the line's size.
MAX_COLUMNS = 10_000


def _narrow(lines: Iterator[str], delimiter: str, source: str) -> Iterator[str]:
    """The lines, refusing one with more than :data:`MAX_COLUMNS` delimiters."""
    for line in lines:
        if len(line) > MAX_COLUMNS and line.count(delimiter) > MAX_COLUMNS:
            raise InputDataError(
                f"{source}: a line has more than {MAX_COLUMNS:,} columns: "
                "this is not a contact list",
                hint="check that you gave the exported contact list",
            )
        yield line


def read_csv(stream: BinaryIO, read: CsvRead, manual: ColumnMap | None = None) -> Iterator[Contact]:
    """Yield the contacts of a CSV byte stream, read in chunks; problems go to ``read.issues``."""
    sample = stream.read(DETECT_SAMPLE)
    encoding, bom_len = choose_encoding(sample, read.decoder)
    read.encoding = str(encoding)
    if isinstance(encoding, Detected) and encoding.doubt:
        read.warn(1, encoding.doubt)
    replaced = _Replacements()
    chunks = read_chunks(stream, read.source, DETECT_SAMPLE, done=len(sample))
    lines = text_lines(sample[bom_len:], chunks, read.encoding, replaced, read.source)
    first_line = next(lines, "")
    if not sample[bom_len:].strip():
        raise InputDataError(
            f"{read.source}: the file is empty",
            hint="export the contact list again and import the new file",
        )
    sep_line = _SEP_LINE.fullmatch(first_line.strip())
    skipped_lines = 0
    if sep_line:  # Excel's "sep=;" hint line names the delimiter
        read.delimiter = sep_line.group(1)
        skipped_lines = 1
    else:
        read.delimiter = sniff_delimiter(first_line.strip())
        lines = itertools.chain([first_line], lines)
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
    lines = _narrow(lines, read.delimiter, read.source)
    rows = _numbered_rows(csv.reader(lines, delimiter=read.delimiter), skipped_lines, read)
    header, cols = _find_header(rows, read, manual)
    read.columns = {fld: header[i] for fld, i in cols.single.items()}
    read.columns.update({f"phone {n}": header[i] for n, (i, _, _) in enumerate(cols.phones, 1)})
    if not cols.phones:
        read.warn(
            1,
            f"no phone column found (columns: {quoted(header, limit=len(header))}); "
            "contacts are imported without numbers; name it with --column phone=HEADER",
        )
    used = cols.used
    for start, row in rows:
        read.log.new_record()
        if replaced.count and not read.replaced_reported and any("\ufffd" in c for c in row):
            read.replaced_reported = True
            read.warn(
                start,
                f"some characters are not valid {read.encoding} and were replaced; "
                "if names look wrong, try --encoding",
            )
        if not any(cell.strip() for cell in row):
            continue
        read.rows += 1
        contact = _contact(_short_cells(row, used, start, read), cols, Source(read.source, start))
        if contact is None:
            read.warn(start, "row has no name, phone number or e-mail address", skipped=True)
            continue
        _cap_values(contact, start, read)
        if "\n" in contact.name:
            read.warn(
                start,
                "the name spans several lines: probably a quote without its closing quote; "
                "check this row in the file",
            )
        yield contact


def _short_cells(row: list[str], used: list[int], start: int, read: CsvRead) -> list[str]:
    """The row with every cell read that is longer than :data:`MAX_VALUE` emptied, with a warning."""
    long = [i for i in used if i < len(row) and len(row[i]) > MAX_VALUE]
    if not long:
        return row
    row = list(row)
    for index in long:
        row[index] = ""
        read.warn(
            start,
            f"column {index + 1} is longer than {MAX_VALUE >> 10} KiB: not a name, number or "
            "address; ignored",
            kind=f"a cell longer than {MAX_VALUE >> 10} KiB; ignored",
        )
    return row


def _cap_values(contact: Contact, start: int, read: CsvRead) -> None:
    """Keep at most :data:`MAX_VALUES` numbers, addresses and groups of a row, with a warning."""
    for what, values in (
        ("phone numbers", contact.phones),
        ("e-mail addresses", contact.emails),
        ("groups", contact.groups),
    ):
        if len(values) > MAX_VALUES:
            read.warn(
                start,
                f"the row has more than {MAX_VALUES} {what}: no person does; only the first "
                f"{MAX_VALUES} are kept",
                kind=f"a row with more than {MAX_VALUES} {what}; the rest are ignored",
            )
            del values[MAX_VALUES:]


def _numbered_rows(
    reader: Iterator[list[str]], skipped_lines: int, read: CsvRead
) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each row; an unreadable row is reported and reading stops."""
    line = 1 + skipped_lines
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            read.warn(line, f"cannot read this row or anything after it: {exc}", skipped=True)
            return
        start = line
        line = reader.line_num + 1 + skipped_lines  # type: ignore[attr-defined]
        yield start, row


def _find_header(
    rows: Iterator[tuple[int, list[str]]], read: CsvRead, manual: ColumnMap | None
) -> tuple[list[str], Columns]:
    """The header row: the first of the first few rows whose names are recognised.

    With ``--column`` the first non-blank row is the header, as the mapping names its cells;
    when every ``--column`` gives a position (``#2``) the file has no header row at all.
    """
    if manual and all(_COLUMN_NUMBER.fullmatch(wanted.strip()) for _, wanted in manual):
        width = max(int(wanted.strip()[1:]) for _, wanted in manual)
        header = [f"#{n}" for n in range(1, width + 1)]
        return header, map_columns(header, manual)
    seen: list[tuple[int, list[str]]] = []
    for start, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        seen.append((start, row))
        cols = map_columns(row, manual)
        if cols.usable:
            for title_line, _ in seen[:-1]:
                read.warn(title_line, "not a header row (a title?); skipped")
            return row, cols
        if manual or len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise InputDataError(f"{read.source}: the file has no header row")
    shown = quoted(seen[0][1])
    if _binary(seen[0][1]):
        raise InputDataError(
            f"{read.source}: this is not a vCard or CSV contact list: it holds binary data, not text",
            hint="export the contact list from the phone or mail program as vCard (.vcf) or CSV, "
            "and import that file",
        )
    if any("\ufffd" in c for c in seen[0][1]):
        if read.decoder.forced:
            hint = (
                "leave out --encoding to let the file's encoding be detected, or give the right one"
            )
        else:
            hint = (
                f"{read.encoding} was a guess: if this is a contact list, give its encoding with "
                "--encoding (for example utf-8, gb18030, big5, shift_jis or euc_kr)"
            )
        raise InputDataError(
            f"{read.source}: the header row does not read as {read.encoding} (columns: {shown})",
            hint=hint,
        )
    raise InputDataError(
        f"{read.source}: no name or phone column found in the header row (columns: {shown})",
        hint="name the columns by hand, for example: --column name=姓名 --column phone=手机; "
        "for a file without a header row, number them: --column name=#1 --column phone=#2",
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _binary(cells: list[str]) -> bool:
    """True when a row holds what text never does: a NUL, or several control characters."""
    text = "".join(cells)
    return "\x00" in text or len(_CONTROL.findall(text)) >= 3


_CELL_SEPARATORS = re.compile(r"\s*(?:[/;、，|\n]|:::)\s*")
_COMMA_BETWEEN_NUMBERS = re.compile(r"(?<=\d{7}),\s*(?=\+?\d[\d -]{6,})")


def split_numbers(cell: str) -> list[str]:
    """The numbers written in one cell: ``a ::: b``, ``a / b``, ``a；b``, ``a, b`` or ``a b``.

    A comma right after a short run of digits is a dial pause (``010-62345678,,123``)
    and stays; spaces split only when every part is a whole number (``138 0013 8000`` stays).
    """
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


def _contact(row: list[str], cols: Columns, source: Source) -> Contact | None:
    def get(fld: str) -> str:
        return _cell(row, cols.single.get(fld))

    family, given = get("family"), get("given")
    name = get("name") or join_name(family, given) or get("nickname")
    phones: list[Phone] = []
    for value_index, label_index, label_text in cols.phones:
        label = _cell(row, label_index).lstrip("* ").lower() or label_text
        phones.extend(Phone(raw=raw, label=label) for raw in split_numbers(_cell(row, value_index)))
    emails = [
        e.strip() for index in cols.emails for e in _cell(row, index).split(_MULTI) if e.strip()
    ]
    if not (name or phones or emails):
        return None
    groups: list[str] = []
    for cell in re.split(r":::|;", get("groups")):
        if len(groups) > MAX_VALUES:
            break  # one more than kept, so the caller can tell
        group = cell.strip().lstrip("*").strip()
        if group and group.casefold().replace(" ", "") not in _GOOGLE_ALL and group not in groups:
            groups.append(group)
    return Contact(
        name=name,
        family=family,
        given=given,
        nickname=get("nickname"),
        org=get("org"),
        groups=groups,
        phones=phones,
        emails=emails,
        source=source,
    )
