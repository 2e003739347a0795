"""Byte-level helpers shared by the readers: BOMs, UTF-16, chunks and line splitting with
their caps, charset names, decoding (which charset a file that is not UTF-8 is in is
:mod:`contact_notify.readers.charsets`' question).

Readers work on bytes so that a file mixing UTF-8 and a legacy charset, or a
vCard with a ``CHARSET`` per property, still decodes line by line.  Whatever
was used is recorded in a :class:`Decoder` so the import summary can show it.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from contact_notify.errors import InputDataError
from contact_notify.i18n import _

CHUNK_SIZE = 1 << 20
# A contact file larger than this is not a contact list (a phone's export with a photo for every
# contact runs to a few hundred MB): reading stops with an error instead of running on, whatever
# the stream is.  A physical line is capped too (MAX_LINE, below).
MAX_CONTACT_FILE = 4 << 30
# A name, number, address or group longer than this is not one: it is ignored with a warning.
MAX_VALUE = 64 * 1024
# No person has more numbers, e-mail addresses or groups than this: the rest of a card's or
# row's are ignored with a warning (a cell of a million numbers would otherwise fill memory).
MAX_VALUES = 100

# The legacy charset a phone or spreadsheet of a region writes when it does not write UTF-8.
REGION_FALLBACK = {
    "CN": "gb18030",
    "SG": "gb18030",
    "TW": "big5",
    "HK": "big5hkscs",
    "MO": "big5hkscs",
    "JP": "shift_jis",
    "KR": "cp949",
    "RU": "cp1251",
    "UA": "cp1251",
}
DEFAULT_FALLBACK = "cp1252"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 but for a few damaged sequences (at most 1 in 1,000 characters).

    A stray byte in an otherwise UTF-8 file must not send the whole file to the
    charset detector, which may then read every name as a one-byte codepage.
    """
    if data.isascii():
        return True
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = sum(1 for ch in text if not ch.isascii())
    return bad <= max(3, len(text) // 1000) and bad < non_ascii / 2


def is_utf8(data: bytes, *, cut_off_end: bool = False) -> bool:
    """True when the bytes are UTF-8; with ``cut_off_end``, a character cut at the end is allowed."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return cut_off_end and exc.reason == "unexpected end of data" and exc.end == len(data)
    return True


def fallback_for(region: str) -> str:
    """The legacy charset to try when a text is not UTF-8, biased toward the region."""
    return REGION_FALLBACK.get(region.upper(), DEFAULT_FALLBACK)


def canonical(name: str) -> str | None:
    """Python's name for a text charset label such as ``GB2312`` or ``UTF8``; None if unknown.

    Codecs that are not text encodings (``hex``, ``base64``, ``rot13``, ``idna``)
    are unknown here: a file cannot name them to make us misbehave.
    """
    label = name.strip().strip('"').lower()
    if label in ("gb2312", "gbk", "gb_2312-80", "euc-cn", "x-gbk"):
        # GB2312 and GBK files routinely hold characters of the larger GB18030.
        return "gb18030"
    if not label or not label.isascii() or "\x00" in label:
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    try:
        "a".encode(info.name).decode(info.name)
    except (UnicodeError, LookupError, ValueError):
        return None
    return info.name


# Text codecs that are not charsets of files.
_NOT_CHARSETS = frozenset({"idna", "punycode", "raw_unicode_escape", "unicode_escape", "undefined"})


def sniff_bom(prefix: bytes) -> tuple[str | None, int]:
    """Return the encoding announced by a byte-order mark or UTF-16 shape, and the BOM length."""
    for bom, name in _BOMS:
        if prefix.startswith(bom):
            return name, len(bom)
    sample = prefix[:4096]
    if len(sample) >= 4:
        even_nul = sample[0::2].count(0)
        odd_nul = sample[1::2].count(0)
        half = len(sample) // 2
        # Mostly-ASCII text in UTF-16 has a NUL in every other byte.
        if odd_nul > half * 0.6 and even_nul < half * 0.1:
            return "utf-16-le", 0
        if even_nul > half * 0.6 and odd_nul < half * 0.1:
            return "utf-16-be", 0
        # Mostly-CJK text has fewer: only its ASCII (digits, commas, line ends) has a NUL byte.
        # Text in another charset has none, but for a stray one: so NULs on one side only, in
        # at least one pair of bytes in ten, a clean UTF-16 decode, and line ends that are
        # UTF-16 line ends.
        for name, nul, other in (
            ("utf-16-le", odd_nul, even_nul),
            ("utf-16-be", even_nul, odd_nul),
        ):
            if nul >= max(2, half // 10) and other * 20 <= nul and _clean_utf16(sample, name):
                return name, 0
    return None, 0


def _clean_utf16(sample: bytes, name: str) -> bool:
    """True when the sample reads in this UTF-16 as lines of text without control characters.

    Most of the sample's line-feed bytes must be line feeds of the UTF-16 text: in
    other text with a few NUL bytes they are not.
    """
    try:
        # Not final: a character cut at the end of the sample is no error.
        text = codecs.getincrementaldecoder(name)().decode(sample)
    except UnicodeDecodeError:
        return False
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text):
        return False
    lines = text.count("\n") or text.count("\r")
    return lines > 0 and 2 * lines >= (sample.count(b"\n") or sample.count(b"\r"))


def read_chunks(
    stream: BinaryIO,
    source: str,
    size: int = CHUNK_SIZE,
    done: int = 0,
    limit: int | None = None,
) -> Iterator[bytes]:
    """The rest of a stream in chunks of at most ``size`` bytes, stopping at a total cap.

    ``done`` bytes were already read from it; past ``limit`` (default
    :data:`MAX_CONTACT_FILE`) in all, InputDataError: an endless stream ends here.
    """
    cap = MAX_CONTACT_FILE if limit is None else limit
    while chunk := stream.read(size):
        done += len(chunk)
        if done > cap:
            raise InputDataError(
                _("{source}: the file is larger than {limit}: this is not a contact list").format(
                    source=source, limit=describe_size(cap)
                ),
                hint=_("check that you gave the exported contact list"),
            )
        yield chunk


def describe_size(size: int) -> str:
    """A size for a message: ``10 MiB``, ``4 GiB``, ``512 bytes``."""
    for shift, unit in ((30, "GiB"), (20, "MiB"), (10, "KiB")):
        if size >= 1 << shift:
            value = size / (1 << shift)
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return _("{size} bytes").format(size=size)


def byte_chunks(
    stream: BinaryIO, source: str = "input"
) -> tuple[Iterator[bytes], str | None, bytes]:
    """Read a stream as UTF-8-compatible chunks, transcoding UTF-16/32.

    Returns the chunks, the encoding a BOM or UTF-16 shape announced (None for
    plain bytes), and the first chunk as a sample for charset detection.  The
    stream is read in bounded chunks up to :data:`MAX_CONTACT_FILE` in all.
    """
    first = stream.read(CHUNK_SIZE)
    encoding, bom_len = sniff_bom(first)

    def raw() -> Iterator[bytes]:
        if first:
            yield first[bom_len:]
        yield from read_chunks(stream, source, done=len(first))

    if encoding is None or encoding == "utf-8":
        return raw(), encoding, first[bom_len:]
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")

    def transcoded() -> Iterator[bytes]:
        for chunk in raw():
            yield decoder.decode(chunk).encode("utf-8")
        yield decoder.decode(b"", final=True).encode("utf-8")

    return transcoded(), encoding, b""


# A physical line this long means the file is not a contact list (or is damaged).
MAX_LINE = 64 * 1024 * 1024


def too_long_line(source: str) -> InputDataError:
    """The error for a physical line longer than :data:`MAX_LINE`."""
    return InputDataError(
        _("{source}: a line is longer than {size} MiB: this is not a contact file").format(
            source=source, size=MAX_LINE >> 20
        ),
        hint=_("check that you gave the exported contact list"),
    )


# Chunks are split into lines this much at a time: a list of the lines of a whole 1 MiB chunk
# of one-character lines would take 40 MiB.
SPLIT_SIZE = 64 * 1024


def pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks cut into pieces of at most :data:`SPLIT_SIZE` bytes."""
    for chunk in chunks:
        if len(chunk) <= SPLIT_SIZE:
            yield chunk
        else:
            view = memoryview(chunk)
            for at in range(0, len(chunk), SPLIT_SIZE):
                yield bytes(view[at : at + SPLIT_SIZE])


def split_lines(chunks: Iterable[bytes], source: str = "input") -> Iterator[bytes]:
    """Yield lines without terminators; CRLF, LF and CR alone each end a line.

    Raises InputDataError for a line longer than :data:`MAX_LINE`, instead of
    holding it all in memory.  Linear, in memory that does not grow with the
    input: the pieces of a long line are joined once, and lines are split off
    :data:`SPLIT_SIZE` bytes at a time.
    """
    pending: list[bytes] = []  # the start of a line not ended yet, in pieces
    pending_size = 0
    skip_lf = False
    for chunk in pieces(chunks):
        if skip_lf and chunk:
            chunk = chunk[1:] if chunk[0] == 0x0A else chunk
            skip_lf = False
        if not chunk:
            continue
        cut = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if cut < 0:
            pending.append(chunk)
            pending_size += len(chunk)
            if pending_size > MAX_LINE:
                raise too_long_line(source)
            continue
        if pending:
            ends = [i for i in (chunk.find(b"\n"), chunk.find(b"\r")) if i >= 0]
            if pending_size + min(ends) > MAX_LINE:
                raise too_long_line(source)
            data = b"".join(pending) + chunk[: cut + 1]
        else:
            data = chunk[: cut + 1]
        yield from data.splitlines()
        rest = chunk[cut + 1 :]
        skip_lf = not rest and chunk[cut] == 0x0D  # ends in CR: an LF next is its pair
        pending = [rest] if rest else []
        pending_size = len(rest)
    if pending:
        yield b"".join(pending)


class Problem(str):
    """Why a decoded text is doubtful, for a warning, as a plain ``str``.

    ``kind`` groups the warnings for the summary when the reason names a value
    a file chooses (an unknown charset's name); None when the reason is its own kind.
    """

    kind: str | None

    def __new__(cls, reason: str, kind: str | None = None) -> Problem:
        self = super().__new__(cls, reason)
        self.kind = kind
        return self


@dataclass
class Decoder:
    """Decodes text bytes and remembers which charsets it used.

    Order: a charset the data declares; else the one forced with ``--encoding``;
    else UTF-8; else the file's fallback (detected, or the region's); else
    cp1252, which reads any Western text.  Only a charset that fails outright
    replaces characters, and that is reported.
    """

    fallback: str
    forced: str | None = None
    used: set[str] = field(default_factory=set)
    last: str = "ascii"  # the charset of the latest decode()
    fallback_first: bool = False  # the file is not UTF-8: try its own charset before UTF-8

    def decode(self, data: bytes, charset: str | None = None) -> tuple[str, Problem | None]:
        """Return the text and, when something had to be guessed or replaced, a reason to warn."""
        if data.isascii():
            self.last = "ascii"
            return data.decode("ascii"), None
        if charset:
            name = canonical(charset)
            if name is not None:
                return self._decode_with(data, name)
            text, problem = self.decode(data)
            if problem:
                return text, problem
            return text, Problem(
                _("unknown charset {charset}; read as {encodings}").format(
                    charset=repr(charset), encodings=self.describe()
                ),
                # One kind for every unknown charset a file may name.
                kind=_("a property names an unknown charset"),
            )
        if self.forced:
            return self._decode_with(data, self.forced)
        order = (self.fallback, "utf-8") if self.fallback_first else ("utf-8", self.fallback)
        for name in (*order, "cp1252"):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            self.used.add(name)
            self.last = name
            return text, None
        return self._decode_with(data, self.fallback)

    def _decode_with(self, data: bytes, name: str) -> tuple[str, Problem | None]:
        self.used.add(name)
        self.last = name
        try:
            return data.decode(name), None
        except UnicodeDecodeError:
            return data.decode(name, errors="replace"), Problem(
                _("text is not valid {charset}; characters replaced").format(charset=name)
            )

    def describe(self) -> str:
        """The encodings used so far, for the import summary."""
        if not self.used:
            return "ascii"
        return ", ".join(sorted(self.used))


def printable(text: str, limit: int = 40) -> str:
    """Text from a file made safe to quote in a message: at most ``limit`` characters, and
    control, format and private-use characters escaped (``\\x1b``, ``\\u202e``), so a
    binary file or a hostile value cannot garble the terminal.
    """
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text[:limit])
    return shown + "…" if len(text) > limit else shown


def quoted(cells: Iterable[str], limit: int = 20) -> str:
    """Cells of a row for a message: the first ``limit`` non-blank ones, each printable and quoted."""
    shown = [f"'{printable(cell.strip())}'" for cell in cells if cell.strip()]
    return ", ".join(shown[:limit])
