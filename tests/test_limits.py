"""Large inputs are streamed, and absurd ones refused, instead of filling memory."""

from __future__ import annotations

import io

import pytest

import contact_notify.readers.encoding as encoding
from contact_notify.errors import InputDataError
from contact_notify.readers import Decoder, FileRead, read_stream

from readers_helpers import read_bytes


class CountingStream(io.BytesIO):
    """A byte stream that remembers how much has been read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


@pytest.mark.parametrize("kind", ["vcard", "csv"])
def test_readers_stream_instead_of_reading_everything(kind: str) -> None:
    """The first contact comes out after at most two 1 MiB chunks of a 12 MB file."""
    if kind == "vcard":
        card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王秀英\r\nTEL:13800138000\r\nEND:VCARD\r\n"
        data = (card * 200_000).encode()
    else:
        data = ("姓名,手机\n" + "王秀英,13800138000\n" * 600_000).encode()
    assert len(data) > 10_000_000
    stream = CountingStream(data)
    contacts = read_stream(stream, "big", FileRead("big", kind=kind), Decoder("gb18030"))
    first = next(contacts)
    assert first.name == "王秀英"
    assert stream.consumed <= 2 * (1 << 20)


def test_a_ten_megabyte_line_is_skipped_with_a_warning() -> None:
    """A 10 MB NOTE is passed over unheld; a 10 MB FN is reported and ignored; the cards import."""
    huge = b"x" * 10_000_000
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + huge + b"\r\nTEL:13800138000\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\xe6\x9d\x8e\xe5\x9b\x9b\r\nNOTE:" + huge + b"\r\n"
        b"TEL:13912345678\r\nEND:VCARD\r\n"
    )
    contacts, result = read_bytes(data, "huge.vcf")
    assert [(c.name, [p.raw for p in c.phones]) for c in contacts] == [
        ("", ["13800138000"]),
        ("李四", ["13912345678"]),
    ]
    assert [str(i) for i in result.issues] == [
        "huge.vcf:3: warning: FN is longer than 64 KiB; ignored"
    ]


def test_an_absurd_line_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A single line past the limit (64 MiB; 1 MiB here to keep the test small) is a clear error."""
    monkeypatch.setattr(encoding, "MAX_LINE", 1 << 20)
    data = b"BEGIN:VCARD\r\nFN:" + b"y" * (3 << 20) + b"\r\nEND:VCARD\r\n"
    with pytest.raises(InputDataError) as caught:
        read_bytes(data, "absurd.vcf")
    assert (
        caught.value.message
        == "absurd.vcf: a line is longer than 1 MiB: this is not a contact file"
    )
