"""CSV reader: Google, Outlook, WPS/Excel sheets with English or Chinese headers.

The header row names the columns (:mod:`contact_notify.readers.columns` maps them to
contact fields and a row's cells to a contact).  A row that yields no name, number
or e-mail is reported with its line, never dropped silently; a blank row is not a record.
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from contact_notify.errors import InputDataError
from contact_notify.i18n import N_, _
from contact_notify.model import Contact, IssueLog, ReadIssue, Source
from contact_notify.readers import encoding as _encoding
from contact_notify.readers.charsets import Detected, detect
from contact_notify.readers.columns import (
    COLUMN_NUMBER,
    ColumnMap,
    Columns,
    contact_from_row,
    map_columns,
)
from contact_notify.readers.encoding import (
    MAX_VALUE,
    MAX_VALUES,
    Decoder,
    mostly_utf8,
    pieces,
    quoted,
    read_chunks,
    sniff_bom,
    too_long_line,
)

_DELIMITERS = ",;\t"
DETECT_SAMPLE = 1 << 20
_SEP_LINE = re.compile(r"sep=(.)")


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
                _(
                    "{source}: a line has more than {count} columns: this is not a contact list"
                ).format(source=source, count=f"{MAX_COLUMNS:,}"),
                hint=_("check that you gave the exported contact list"),
            )
        yield line


def read_csv(stream: BinaryIO, read: CsvRead, manual: ColumnMap | None = None) -> Iterator[Contact]:
    """Yield the contacts of a CSV byte stream, read in chunks; problems go to ``read.issues``."""
    replaced = _Replacements()
    rows = _rows(stream, read, replaced)
    header, cols = _find_header(rows, read, manual)
    read.columns = {fld: header[i] for fld, i in cols.single.items()}
    read.columns.update(
        {f"phone {n}": header[i] for n, (i, _label, _text) in enumerate(cols.phones, 1)}
    )
    if not cols.phones:
        read.warn(
            1,
            _(
                "no phone column found (columns: {columns}); contacts are imported without "
                "numbers; name it with --column phone=HEADER"
            ).format(columns=quoted(header, limit=len(header))),
        )
    used = cols.used
    for start, row in rows:
        read.log.new_record()
        if replaced.count and not read.replaced_reported and any("\ufffd" in c for c in row):
            read.replaced_reported = True
            read.warn(
                start,
                _(
                    "some characters are not valid {encoding} and were replaced; "
                    "if names look wrong, try --encoding"
                ).format(encoding=read.encoding),
            )
        if not "".join(row).strip():
            continue
        read.rows += 1
        contact = contact_from_row(
            _short_cells(row, used, start, read), cols, Source(read.source, start)
        )
        if contact is None:
            read.warn(start, _("row has no name, phone number or e-mail address"), skipped=True)
            continue
        _cap_values(contact, start, read)
        if "\n" in contact.name:
            read.warn(
                start,
                _(
                    "the name spans several lines: probably a quote without its closing quote; "
                    "check this row in the file"
                ),
            )
        yield contact


def _rows(
    stream: BinaryIO, read: CsvRead, replaced: _Replacements
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV byte stream with their first lines: its encoding and delimiter found.

    Sets ``read.encoding`` and ``read.delimiter``; counts replaced characters in ``replaced``.
    The file's first line is read here (an empty file is an InputDataError), the rest lazily.
    """
    sample = stream.read(DETECT_SAMPLE)
    encoding, bom_len = choose_encoding(sample, read.decoder)
    read.encoding = str(encoding)
    if isinstance(encoding, Detected) and encoding.doubt:
        read.warn(1, encoding.doubt)
    chunks = read_chunks(stream, read.source, DETECT_SAMPLE, done=len(sample))
    lines = text_lines(sample[bom_len:], chunks, read.encoding, replaced, read.source)
    first_line = next(lines, "")
    if not sample[bom_len:].strip():
        raise InputDataError(
            _("{source}: the file is empty").format(source=read.source),
            hint=_("export the contact list again and import the new file"),
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
    return _numbered_rows(csv.reader(lines, delimiter=read.delimiter), skipped_lines, read)


def _short_cells(row: list[str], used: list[int], start: int, read: CsvRead) -> list[str]:
    """The row with every cell read that is longer than :data:`MAX_VALUE` emptied, with a warning."""
    if max(map(len, row), default=0) <= MAX_VALUE:
        return row  # nearly every row
    long = [i for i in used if i < len(row) and len(row[i]) > MAX_VALUE]
    if not long:
        return row
    row = list(row)
    size = MAX_VALUE >> 10
    for index in long:
        row[index] = ""
        read.warn(
            start,
            _(
                "column {column} is longer than {size} KiB: not a name, number or address; ignored"
            ).format(column=index + 1, size=size),
            kind=_("a cell longer than {size} KiB; ignored").format(size=size),
        )
    return row


def _cap_values(contact: Contact, start: int, read: CsvRead) -> None:
    """Keep at most :data:`MAX_VALUES` numbers, addresses and groups of a row, with a warning."""
    held: tuple[list[Any], ...] = (contact.phones, contact.emails, contact.groups)
    if max(map(len, held)) <= MAX_VALUES:
        return  # nearly every row
    for (reason, kind), values in zip(_TOO_MANY, held, strict=True):
        if len(values) > MAX_VALUES:
            read.warn(
                start,
                _(reason).format(count=MAX_VALUES),
                kind=_(kind).format(count=MAX_VALUES),
            )
            del values[MAX_VALUES:]


# A row with more numbers, e-mail addresses or groups than anyone has: (warning, kind).
_TOO_MANY = (
    (
        N_(
            "the row has more than {count} phone numbers: no person does; "
            "only the first {count} are kept"
        ),
        N_("a row with more than {count} phone numbers; the rest are ignored"),
    ),
    (
        N_(
            "the row has more than {count} e-mail addresses: no person does; "
            "only the first {count} are kept"
        ),
        N_("a row with more than {count} e-mail addresses; the rest are ignored"),
    ),
    (
        N_("the row has more than {count} groups: no person does; only the first {count} are kept"),
        N_("a row with more than {count} groups; the rest are ignored"),
    ),
)


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
            read.warn(
                line,
                _("cannot read this row or anything after it: {error}").format(
                    error=_csv_error(exc)
                ),
                skipped=True,
            )
            return
        start = line
        line = reader.line_num + 1 + skipped_lines  # type: ignore[attr-defined]
        yield start, row


_FIELD_LIMIT = re.compile(r"field larger than field limit \((\d+)\)")
_UNQUOTED_NEWLINE = "new-line character seen in unquoted field"


def _csv_error(exc: csv.Error) -> str:
    """What the csv module could not read, in the interface language when it is a known case.

    The msgids are the csv module's own words, so the English message is unchanged.
    """
    text = str(exc)
    limit = _FIELD_LIMIT.fullmatch(text)
    if limit:
        return _("field larger than field limit ({limit})").format(limit=limit.group(1))
    if text.startswith(_UNQUOTED_NEWLINE):
        return _(
            "new-line character seen in unquoted field - "
            "do you need to open the file in universal-newline mode?"
        )
    return text


def _find_header(
    rows: Iterator[tuple[int, list[str]]], read: CsvRead, manual: ColumnMap | None
) -> tuple[list[str], Columns]:
    """The header row: the first of the first few rows whose names are recognised.

    With ``--column`` the first non-blank row is the header, as the mapping names its cells;
    when every ``--column`` gives a position (``#2``) the file has no header row at all.
    """
    if manual and all(COLUMN_NUMBER.fullmatch(wanted.strip()) for _field, wanted in manual):
        width = max(int(wanted.strip()[1:]) for _field, wanted in manual)
        header = [f"#{n}" for n in range(1, width + 1)]
        return header, map_columns(header, manual)
    seen: list[tuple[int, list[str]]] = []
    for start, row in rows:
        if not "".join(row).strip():
            continue
        seen.append((start, row))
        cols = map_columns(row, manual)
        if cols.usable:
            for title_line, _row in seen[:-1]:
                read.warn(title_line, _("not a header row (a title?); skipped"))
            return row, cols
        if manual or len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise InputDataError(_("{source}: the file has no header row").format(source=read.source))
    shown = quoted(seen[0][1])
    if _binary(seen[0][1]):
        raise InputDataError(
            _(
                "{source}: this is not a vCard or CSV contact list: it holds binary data, not text"
            ).format(source=read.source),
            hint=_(
                "export the contact list from the phone or mail program as vCard (.vcf) or CSV, "
                "and import that file"
            ),
        )
    if any("\ufffd" in c for c in seen[0][1]):
        if read.decoder.forced:
            hint = _(
                "leave out --encoding to let the file's encoding be detected, or give the right one"
            )
        else:
            hint = _(
                "{encoding} was a guess: if this is a contact list, give its encoding with "
                "--encoding (for example utf-8, gb18030, big5, shift_jis or euc_kr)"
            ).format(encoding=read.encoding)
        raise InputDataError(
            _("{source}: the header row does not read as {encoding} (columns: {columns})").format(
                source=read.source, encoding=read.encoding, columns=shown
            ),
            hint=hint,
        )
    raise InputDataError(
        _("{source}: no name or phone column found in the header row (columns: {columns})").format(
            source=read.source, columns=shown
        ),
        hint=_(
            "name the columns by hand, for example: --column name=姓名 --column phone=手机; "
            "for a file without a header row, number them: --column name=#1 --column phone=#2"
        ),
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _binary(cells: list[str]) -> bool:
    """True when a row holds what text never does: a NUL, or several control characters."""
    text = "".join(cells)
    return "\x00" in text or len(_CONTROL.findall(text)) >= 3
