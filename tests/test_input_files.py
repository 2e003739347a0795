"""Every file input is a regular file of a sane size: devices, pipes and folders are refused.

Issue 11, item 11: ``mark --file /dev/zero`` reached 4.2 GB in 12 s; ``attach 1
/dev/zero``, ``inspect /dev/zero`` and ``mark --text /dev/urandom`` ran on.  Each
test here runs under a deadline, so a reader that opens a pipe or reads a device
fails the test instead of hanging it.
"""

from __future__ import annotations

import io
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import contact_notify.readers as readers
import contact_notify.readers.encoding as encoding
from contact_notify.errors import ExitCode, InputDataError
from contact_notify.readers import Decoder, FileRead, read_file, read_stream

from conftest import Run

DEVICE = "a character device (such as /dev/zero, /dev/urandom or a terminal)"


@pytest.fixture(autouse=True)
def _deadline() -> Iterator[None]:
    """Fail a test that blocks or reads on for more than 5 seconds."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError("still reading after 5 seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def reached_case(cli: Run, tmp_path: Path) -> Run:
    """A case of one contact, 王秀英 (13800138000), with one reach record (id 1)."""
    card = tmp_path / "one.vcf"
    card.write_bytes(
        b"BEGIN:VCARD\r\nFN:\xe7\x8e\x8b\xe7\xa7\x80\xe8\x8b\xb1\r\nTEL:13800138000\r\nEND:VCARD\r\n"
    )
    assert cli("import", str(card)).exit_code == 0
    assert cli("mark", "13800138000", "--at", "2026-11-27").exit_code == 0
    return cli


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    """A named pipe nobody writes to: opening it for reading would block."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def _error(result: Any) -> tuple[int, list[str]]:
    return result.exit_code, result.stderr.splitlines()


def test_mark_file_refuses_a_device(reached_case: Run) -> None:
    """mark --file /dev/zero names the device and stops, instead of reading without end."""
    assert _error(reached_case("mark", "--file", "/dev/zero")) == (
        ExitCode.INPUT,
        [
            f"error: /dev/zero: this is {DEVICE}, not a target list",
            "hint: give a target list saved on disk, or pipe it in with --file -",
        ],
    )


def test_mark_text_refuses_a_device(reached_case: Run) -> None:
    """mark --text /dev/urandom names the device and stops."""
    assert _error(reached_case("mark", "--text", "/dev/urandom")) == (
        ExitCode.INPUT,
        [
            f"error: /dev/urandom: this is {DEVICE}, not a text file",
            "hint: give a text file saved on disk, or pipe it in with --text -",
        ],
    )


def test_inspect_refuses_a_device(cli: Run) -> None:
    """inspect /dev/zero names the device and stops."""
    assert _error(cli("inspect", "/dev/zero")) == (
        ExitCode.INPUT,
        [
            f"error: /dev/zero: this is {DEVICE}, not a contact file",
            "hint: give a contact file saved on disk",
        ],
    )


def test_attach_refuses_a_device(reached_case: Run) -> None:
    """attach 1 /dev/zero names the device; nothing is attached."""
    assert _error(reached_case("attach", "1", "/dev/zero")) == (
        ExitCode.INPUT,
        [
            f"error: /dev/zero: this is {DEVICE}, not an evidence file",
            "hint: give an evidence file saved on disk",
        ],
    )
    assert "/dev/zero" not in reached_case("history", "id:1").stdout


def test_the_import_reader_refuses_a_device() -> None:
    """The reader behind import refuses /dev/zero (import checks its files before a case exists)."""
    with pytest.raises(InputDataError) as caught:
        next(read_file(Path("/dev/zero"), FileRead("/dev/zero", kind=""), Decoder("gb18030")))
    assert caught.value.message == f"/dev/zero: this is {DEVICE}, not a contact file"


@pytest.mark.parametrize(
    "command",
    [
        ("mark", "--file", "{}"),
        ("mark", "--text", "{}"),
        ("inspect", "{}"),
        ("attach", "1", "{}"),
    ],
)
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(
    reached_case: Run, fifo: Path, command: tuple[str, ...]
) -> None:
    """A FIFO given as any input is named as one at once, never opened for reading."""
    result = reached_case(*(part.format(fifo) for part in command))
    assert result.exit_code == ExitCode.INPUT
    assert result.stderr.splitlines()[0].startswith(f"error: {fifo}: this is a named pipe (FIFO), ")


@pytest.mark.parametrize(
    ("command", "what"),
    [(("mark", "--file"), "a target list"), (("inspect",), "a contact file")],
)
def test_a_folder_is_refused(
    reached_case: Run, tmp_path: Path, command: tuple[str, ...], what: str
) -> None:
    """A folder given as a file is named as a folder."""
    result = reached_case(*command, str(tmp_path))
    assert result.exit_code == ExitCode.INPUT
    assert result.stderr.splitlines()[0] == f"error: {tmp_path}: this is a folder, not {what}"


def test_a_target_list_over_ten_mebibytes_is_refused(reached_case: Run, tmp_path: Path) -> None:
    """A --file of 10 MiB and one byte is refused by its size, before it is read."""
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate((10 << 20) + 1)
    assert _error(reached_case("mark", "--file", str(big))) == (
        ExitCode.INPUT,
        [
            f"error: {big}: the file is 10,485,761 bytes, more than the 10 MiB a target list "
            "may be",
            "hint: a target list holds numbers or names, one a line (or a small CSV): "
            "check that you gave the right file",
        ],
    )


def test_pasted_text_on_stdin_is_capped(reached_case: Run) -> None:
    """mark --text - stops reading standard input past 10 MiB, with a clear error."""
    result = reached_case("mark", "--text", "-", input="1" * ((10 << 20) + 1))
    assert _error(result) == (
        ExitCode.INPUT,
        [
            "error: standard input: more than 10 MiB, the most a text file may be",
            "hint: give the pasted chat or message text, not a whole export: "
            "check that you gave the right file",
        ],
    )


def test_pasted_text_on_stdin_still_marks(reached_case: Run) -> None:
    """mark --text - with a short chat marks the contact whose number it holds."""
    result = reached_case("mark", "--text", "-", "--at", "2026-11-28", input="打给了 13800138000\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["marked: 王秀英 (pasted text:1: 13800138000)"]


def test_attach_hashes_a_regular_file_of_any_size(reached_case: Run, tmp_path: Path) -> None:
    """A 12 MiB evidence file (more than the text cap) is attached with its size."""
    video = tmp_path / "call.mp4"
    with video.open("wb") as out:
        out.truncate(12 << 20)
    result = reached_case("attach", "1", str(video))
    assert result.exit_code == 0, result.output
    assert f"{video} ({12 << 20} bytes, sha256 " in result.stdout


def test_a_contact_file_over_the_cap_is_refused(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contact file larger than the cap (4 GiB; 1 KiB here) is refused by its size."""
    monkeypatch.setattr(readers, "MAX_CONTACT_FILE", 1024)
    card = tmp_path / "big.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nFN:A\r\nNOTE:" + b"x" * 2000 + b"\r\nEND:VCARD\r\n")
    assert _error(cli("inspect", str(card)))[1][0] == (
        f"error: {card}: the file is 2,037 bytes, more than the 1 KiB a contact file may be"
    )


class Endless(io.RawIOBase):
    """A stream that never ends: a card, then the same line forever."""

    def __init__(self, first: bytes, line: bytes) -> None:
        self.first, self.line = first, line

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = (self.first or self.line * (len(buffer) // len(self.line) or 1))[: len(buffer)]
        self.first = b""
        buffer[: len(data)] = data
        return len(data)


@pytest.mark.parametrize(
    ("kind", "first", "line"),
    [
        ("vcard", b"BEGIN:VCARD\r\nFN:A\r\n", b"NOTE:" + b"n" * 200 + b"\r\n"),
        ("csv", b"name,phone,note\nA,13800138000,\n", b",," + b"n" * 200 + b"\n"),
    ],
)
def test_an_endless_stream_stops_at_the_total_cap(
    monkeypatch: pytest.MonkeyPatch, kind: str, first: bytes, line: bytes
) -> None:
    """Lines without end are read up to the total cap (4 GiB; 3 MiB here), then refused."""
    monkeypatch.setattr(encoding, "MAX_CONTACT_FILE", 3 << 20)  # 15,000 lines
    result = FileRead("endless", kind=kind)
    stream = io.BufferedReader(Endless(first, line))
    with pytest.raises(InputDataError) as caught:
        for _ in read_stream(stream, "endless", result, Decoder("gb18030")):
            pass
    assert caught.value.message == (
        "endless: the file is larger than 3 MiB: this is not a contact list"
    )


@pytest.mark.parametrize("kind", ["vcard", "csv"])
def test_endless_zeros_stop_at_the_line_cap(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Bytes without a line end (/dev/zero) stop at the line cap (64 MiB; 2 MiB here)."""
    monkeypatch.setattr(encoding, "MAX_LINE", 2 << 20)
    first = b"BEGIN:VCARD\r\n" if kind == "vcard" else b"name,phone\n"
    stream = io.BufferedReader(Endless(first, b"\x00"))
    with pytest.raises(InputDataError) as caught:
        for _ in read_stream(stream, "zeros", FileRead("zeros", kind=kind), Decoder("gb18030")):
            pass
    assert caught.value.message == (
        "zeros: a line is longer than 2 MiB: this is not a contact file"
    )
