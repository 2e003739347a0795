"""What reading one input may cost: time and memory in proportion to its size.

Whatever its bytes, every input is read (or refused with InputDataError) within

    seconds  <=  SECONDS + SECONDS_PER_MIB * size / MiB
    memory   <=  MEMORY + MEMORY_PER_BYTE * size

where memory is the peak above what was in use before.  ``fuzz_readers.py``
checks every input libFuzzer makes (memory: tracemalloc's peak, on inputs of a
few KiB); ``tests/test_fuzz.py`` checks generated inputs of the shapes that once
cost far more, one of them several MiB (memory: the peak resident size of a
forked child, since tracemalloc slows a million small allocations tenfold).

    python fuzz/budget.py FILE...        # measure files, one JSON line each
    python fuzz/budget.py --shapes 64    # the generated shapes at about 64 MiB each

Both exit 1 when an input is over budget.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from contact_notify.errors import InputDataError
from contact_notify.readers import Decoder, FileRead, read_stream

MIB = 1 << 20
# Starting up a read (the charset detector on a sample, a first chunk) and the slowest
# read per byte: CSV rows of three bytes, a contact each, about 15 s a MiB on the project's
# shared 2-core machine under load.  A quadratic or backtracking reader is far beyond it.
SECONDS = 2.0
SECONDS_PER_MIB = 40.0
# One 1 MiB chunk and its lines, the charset detector's working set; and a huge CSV cell,
# which the csv module holds as 4-byte characters (about 10 bytes per byte of the cell).
MEMORY = 32 * MIB
MEMORY_PER_BYTE = 12

KINDS = ("vcard", "csv")
FALLBACKS = ("gb18030", "big5", "shift_jis", "cp1252")


def read(data: bytes) -> int:
    """Read an input as the fuzzer does: its first byte picks the reader and the fallback charset.

    Returns the number of contacts.  Only InputDataError may end the read (it
    is caught here); every contact has a text name, every issue a line.
    """
    if not data:
        return 0
    kind = KINDS[data[0] % 2]
    fallback = FALLBACKS[data[0] // 2 % 4]
    result = FileRead("fuzz", kind=kind)
    count = 0
    try:
        for contact in read_stream(io.BytesIO(data[1:]), "fuzz", result, Decoder(fallback)):
            assert isinstance(contact.name, str)
            count += 1
    except InputDataError:
        pass
    for issue in result.issues:
        assert issue.source.line >= 1
    return count


@dataclass
class Cost:
    """What reading one input took: its size, seconds and peak memory in bytes."""

    name: str
    size: int
    seconds: float
    memory: int

    def over(self) -> list[str]:
        """Each way the cost is over budget, as a sentence; empty when within it."""
        problems = []
        seconds = SECONDS + SECONDS_PER_MIB * self.size / MIB
        if self.seconds > seconds:
            problems.append(
                f"{self.name}: {self.seconds:.2f} s to read {self.size:,} bytes "
                f"(budget {seconds:.2f} s)"
            )
        memory = MEMORY + MEMORY_PER_BYTE * self.size
        if self.memory > memory:
            problems.append(
                f"{self.name}: {self.memory / MIB:.1f} MiB to read {self.size:,} bytes "
                f"(budget {memory / MIB:.1f} MiB)"
            )
        return problems


def measure(data: bytes, name: str = "input") -> Cost:
    """Read an input twice in this process: timed, then under tracemalloc for its peak memory.

    Precise, and slow (tracemalloc slows a read of many short lines several times):
    for the fuzzer's long runs, with ``CONTACT_NOTIFY_FUZZ_TRACEMALLOC=1``.
    Cheaper: :func:`measure_resident`.
    """
    start = time.perf_counter()
    read(data)
    seconds = time.perf_counter() - start
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        read(data)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        if not tracing:
            tracemalloc.stop()
    return Cost(name, len(data), seconds, peak)


def _status(field: str) -> int:
    """A size in bytes from /proc/self/status (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def resident_peak_available() -> bool:
    """True where the peak resident size can be reset and read (Linux)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        _status("VmHWM")
    except (OSError, LookupError):
        return False
    return True


def measure_resident(data: bytes, name: str = "input") -> Cost:
    """Read an input once in this process; memory is the growth of the peak resident size.

    Cheap (no tracing), and coarse: memory freed earlier may be reused unseen, so it
    can only under-count; fit for a budget of tens of MiB.  Linux only.
    """
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts from here
    before = _status("VmRSS")
    start = time.perf_counter()
    read(data)
    seconds = time.perf_counter() - start
    return Cost(name, len(data), seconds, max(0, _status("VmHWM") - before))


def measure_forked(data: bytes, name: str = "input") -> Cost:
    """Read an input in a forked child, which holds nothing else: see :func:`measure_resident`.

    For large inputs: tracemalloc would slow a read of millions of lines tenfold.
    """
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, report, leave without running any cleanup
        code = 0
        try:
            os.close(reader)
            cost = measure_resident(data, name)
            os.write(writer, json.dumps([cost.seconds, cost.memory]).encode())
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        report = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not report:
        raise RuntimeError(f"{name}: the measuring child failed (status {status})")
    seconds, memory = json.loads(report)
    return Cost(name, len(data), seconds, memory)


# --- Generated inputs of the shapes that once cost far more than their size ------------------

VCARD, CSV = b"\x00", b"\x01"  # first bytes that pick the reader (and GB18030 as fallback)


def junk_lines(size: int) -> bytes:
    """A card with a name, a number and ``size`` bytes of one-letter lines that are not properties."""
    return (
        VCARD
        + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nTEL:13800138000\r\n"
        + b"j\r\n" * (size // 3)
        + b"END:VCARD\r\n"
    )


def many_numbers(size: int) -> bytes:
    """A card with ``size`` bytes of TEL lines: far more numbers than anyone has."""
    return VCARD + b"BEGIN:VCARD\r\nFN:A\r\n" + b"TEL:1\r\n" * (size // 7) + b"END:VCARD\r\n"


def folded_name(size: int) -> bytes:
    """A name folded over ``size`` bytes of continuation lines."""
    return VCARD + b"BEGIN:VCARD\r\nFN:A\r\n" + b" x\r\n" * (size // 4) + b"END:VCARD\r\n"


def quoted_parameters(size: int) -> bytes:
    """TEL lines whose parameters hold long quoted values full of semicolons."""
    line = b'TEL;X="' + b"a;" * 30_000 + b'":13800138000\r\n'
    return VCARD + b"BEGIN:VCARD\r\nFN:A\r\n" + line * (size // len(line)) + b"END:VCARD\r\n"


def huge_cell(size: int) -> bytes:
    """A sheet whose second row has a name cell of ``size`` bytes."""
    return CSV + b"name,phone\nA,13800138000\n" + b"n" * size + b",13912345678\n"


def deep_quoting(size: int) -> bytes:
    """A quoted cell of ``size`` bytes of doubled quotes, then a quote left open to the end."""
    pairs = b'""' * (size // 4)
    return CSV + b'name,phone\nA,"' + pairs + b'"\nB,"' + pairs + b"\nC,1\n" * 1000


def open_quote(size: int) -> bytes:
    """A quote opened in a phone cell and never closed: every later line is in that cell."""
    return CSV + b'name,phone\nA,"13800138000\n' + b"B,1\n" * (size // 4)


SHAPES: dict[str, Callable[[int], bytes]] = {
    "junk_lines": junk_lines,
    "many_numbers": many_numbers,
    "folded_name": folded_name,
    "quoted_parameters": quoted_parameters,
    "huge_cell": huge_cell,
    "deep_quoting": deep_quoting,
    "open_quote": open_quote,
}


def main() -> int:
    """Measure files, or the generated shapes at a size, each in a forked child."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("files", nargs="*", type=Path, help="inputs (first byte picks the reader)")
    parser.add_argument("--shapes", type=float, metavar="MIB", help="generated shapes of this size")
    args = parser.parse_args()
    inputs: list[tuple[str, Callable[[], bytes]]] = [
        (str(path), path.read_bytes) for path in args.files
    ]
    if args.shapes:
        size = int(args.shapes * MIB)
        inputs += [(name, lambda make=make: make(size)) for name, make in SHAPES.items()]
    failed = False
    for name, load in inputs:
        cost = measure_forked(load(), name)
        problems = cost.over()
        failed = failed or bool(problems)
        print(json.dumps({**asdict(cost), "over": problems}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
