"""Byte-level helpers shared by the readers: BOMs, UTF-16, line splitting, text decoding.

Readers work on bytes so that a file mixing UTF-8 and a legacy charset, or a
vCard with a ``CHARSET`` per property, still decodes line by line.  Whatever
was used is recorded in a :class:`Decoder` so the import summary can show it.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from contact_notify.errors import InputDataError

CHUNK_SIZE = 1 << 20

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


# Charsets that are one family: a detector naming one of them means the region's charset.
_FAMILIES = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030",
    "big5": "big5", "big5hkscs": "big5", "cp950": "big5",
    "shift_jis": "shift_jis", "cp932": "shift_jis",
    "euc_kr": "cp949", "cp949": "cp949",
}  # fmt: skip
# How much more "chaos" (charset-normalizer's mess measure) the region's charset may show than
# the detector's favourite and still be preferred: short samples often tie between CJK charsets.
REGION_BIAS = 0.05


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


_CJK_CHARSETS = frozenset({"gb18030", "big5", "big5hkscs", "shift_jis", "cp949"})


def _mostly_cjk(text: str) -> bool:
    """True when nearly all non-ASCII characters of a text are CJK ideographs, kana or hangul."""
    others = [ch for ch in text if not ch.isascii()]
    cjk = sum(
        1
        for ch in others
        if "\u3000" <= ch <= "\u9fff"
        or "\uac00" <= ch <= "\ud7af"
        or "\uff00" <= ch <= "\uffef"
        or ch >= "\U00020000"
    )
    return bool(others) and cjk >= 0.9 * len(others)


# Charsets a contact file may really be in; the detector is not asked about exotic ones
# (on short samples it otherwise picks johab or mac_greek).
CANDIDATES = [
    "gb18030", "big5", "shift_jis", "euc_jp", "cp949", "cp1250", "cp1251", "cp1252",
    "cp1253", "cp1254", "cp1257", "latin_1", "koi8_r",
]  # fmt: skip
# Which charsets to favour, in order, when the detector finds several about as plausible.
_PREFERENCE = {
    "gb18030": ("gb18030", "big5", "shift_jis", "cp949"),
    "big5": ("big5", "gb18030", "shift_jis", "cp949"),
    "big5hkscs": ("big5", "gb18030", "shift_jis", "cp949"),
    "shift_jis": ("shift_jis", "euc_jp", "gb18030", "big5", "cp949"),
    "cp949": ("cp949", "gb18030", "big5", "shift_jis"),
}


def detect(sample: bytes, preferred: str) -> str:
    """The charset of text that is not UTF-8: charset-normalizer's guess, biased to the region.

    ``preferred`` is the region's legacy charset (GB18030 for CN, Big5 for TW/HK,
    Shift_JIS for JP, see :func:`fallback_for`).  Among the charsets the
    detector finds about as plausible as its favourite, the region's charset
    wins, then the other CJK charsets in the region's order.  The region's
    charset also wins when the detector favours a one-byte charset but the
    region's CJK charset reads the sample as CJK text (short contact files
    give the detector little to go on).
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(sample, cp_isolation=CANDIDATES)
    best = matches.best()
    if best is None:
        return preferred
    family = _FAMILIES.get(preferred, preferred)
    close = {
        _FAMILIES.get(m.encoding, m.encoding)
        for m in matches
        if m.chaos <= best.chaos + REGION_BIAS
    }
    if family in close:
        return preferred
    # errors="replace": a few undecodable bytes (a damaged file) must not flip a whole file.
    if preferred in _CJK_CHARSETS and _mostly_cjk(sample.decode(preferred, errors="replace")):
        return preferred
    for choice in _PREFERENCE.get(preferred, ()):
        if choice in close:
            return choice
    return canonical(best.encoding) or preferred


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
    return None, 0


def byte_chunks(stream: BinaryIO) -> tuple[Iterator[bytes], str | None, bytes]:
    """Read a stream as UTF-8-compatible chunks, transcoding UTF-16/32.

    Returns the chunks, the encoding a BOM or UTF-16 shape announced (None for
    plain bytes), and the first chunk as a sample for charset detection.
    """
    first = stream.read(CHUNK_SIZE)
    encoding, bom_len = sniff_bom(first)

    def raw() -> Iterator[bytes]:
        if first:
            yield first[bom_len:]
        while chunk := stream.read(CHUNK_SIZE):
            yield chunk

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


def split_lines(chunks: Iterable[bytes], source: str = "input") -> Iterator[bytes]:
    """Yield lines without terminators; CRLF, LF and CR alone each end a line.

    Raises InputDataError for a line longer than :data:`MAX_LINE`, instead of
    holding it all in memory.
    """
    carry = b""
    skip_lf = False
    for chunk in chunks:
        if len(carry) > MAX_LINE:
            raise InputDataError(
                f"{source}: a line is longer than {MAX_LINE >> 20} MiB: this is not a contact file",
                hint="check that you gave the exported contact list",
            )
        if not chunk:
            continue
        if skip_lf and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        data = carry + chunk
        if not data:
            continue
        lines = data.splitlines()
        last = data[-1:]
        if last in (b"\n", b"\r"):
            carry = b""
            skip_lf = last == b"\r"
        else:
            carry = lines.pop()
            skip_lf = False
        yield from lines
    if carry:
        yield carry


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

    def decode(self, data: bytes, charset: str | None = None) -> tuple[str, str | None]:
        """Return the text and, when something had to be guessed or replaced, a reason to warn."""
        if data.isascii():
            self.last = "ascii"
            return data.decode("ascii"), None
        if charset:
            name = canonical(charset)
            if name is not None:
                return self._decode_with(data, name)
            text, problem = self.decode(data)
            return text, problem or f"unknown charset {charset!r}; read as {self.describe()}"
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

    def _decode_with(self, data: bytes, name: str) -> tuple[str, str | None]:
        self.used.add(name)
        self.last = name
        try:
            return data.decode(name), None
        except UnicodeDecodeError:
            return data.decode(
                name, errors="replace"
            ), f"text is not valid {name}; characters replaced"

    def describe(self) -> str:
        """The encodings used so far, for the import summary."""
        if not self.used:
            return "ascii"
        return ", ".join(sorted(self.used))
