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


def fallback_for(region: str) -> str:
    """The legacy charset to try when a text is not UTF-8, biased toward the region."""
    return REGION_FALLBACK.get(region.upper(), DEFAULT_FALLBACK)


def canonical(name: str) -> str | None:
    """Python's name for a charset label such as ``GB2312`` or ``UTF8``, or None if unknown."""
    label = name.strip().strip('"').lower()
    if label in ("gb2312", "gbk", "gb_2312-80", "euc-cn", "x-gbk"):
        # GB2312 and GBK files routinely hold characters of the larger GB18030.
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


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


def byte_chunks(stream: BinaryIO) -> tuple[Iterator[bytes], str | None]:
    """Read a stream as UTF-8-compatible chunks, transcoding UTF-16/32; return the encoding seen."""
    first = stream.read(CHUNK_SIZE)
    encoding, bom_len = sniff_bom(first)

    def raw() -> Iterator[bytes]:
        if first:
            yield first[bom_len:]
        while chunk := stream.read(CHUNK_SIZE):
            yield chunk

    if encoding is None or encoding == "utf-8":
        return raw(), encoding
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")

    def transcoded() -> Iterator[bytes]:
        for chunk in raw():
            yield decoder.decode(chunk).encode("utf-8")
        yield decoder.decode(b"", final=True).encode("utf-8")

    return transcoded(), encoding


def split_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Yield lines without terminators; CRLF, LF and CR alone each end a line."""
    carry = b""
    skip_lf = False
    for chunk in chunks:
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
    """Decodes text bytes: the given charset, else UTF-8, else the fallback; remembers what it used."""

    fallback: str
    forced: str | None = None
    used: set[str] = field(default_factory=set)

    def decode(self, data: bytes, charset: str | None = None) -> tuple[str, str | None]:
        """Return the text and, when characters had to be replaced, a reason to warn with."""
        if data.isascii():
            return data.decode("ascii"), None
        if charset:
            name = canonical(charset)
            if name is None:
                text, problem = self.decode(data)
                return text, problem or f"unknown charset {charset!r}; read as {self.describe()}"
            return self._decode_with(data, name)
        if self.forced:
            return self._decode_with(data, self.forced)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return self._decode_with(data, self.fallback)
        self.used.add("utf-8")
        return text, None

    def _decode_with(self, data: bytes, name: str) -> tuple[str, str | None]:
        self.used.add(name)
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
