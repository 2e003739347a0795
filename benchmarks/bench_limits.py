"""Very large inputs are streamed (flat memory) or refused with a clear message.

Issue 7's limits, at full size (the test suite checks the same behaviour on
smaller files): a 200 MB vCard (photo-heavy, as phones export), a
1,000,000-row CSV, and a file with a single 10 MB line; and issue 11's card of
a million junk lines (3 MB), whose warnings are counted, not kept.  Each import
runs the real command in a fresh child process that reports its time and peak
memory.

    python benchmarks/bench_limits.py            # about three minutes
    python benchmarks/bench_limits.py --quick    # a tenth of the sizes
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import measure
from generate import photo_vcard

MIB = 1 << 20


def big_csv(path: Path, rows: int, seed: int = 11) -> None:
    """A Chinese-header sheet with ``rows`` people, one mobile each."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("姓名,手机,分组\n")
        for n in range(rows):
            out.write(f"联系人{n},1{rng.choice('3589')}{n:09d},朋友\n")


def long_line(path: Path, size: int) -> None:
    """Two cards around a NOTE of ``size`` bytes on one line."""
    with path.open("wb") as out:
        out.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nTEL:13800138000\r\nNOTE:")
        out.write(b"x" * size)
        out.write(
            b"\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:B\r\nTEL:13912345678\r\nEND:VCARD\r\n"
        )


def junk_lines(path: Path, lines: int) -> None:
    """One card with ``lines`` one-letter lines that are not vCard properties."""
    with path.open("wb") as out:
        out.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nTEL:13800138000\r\n")
        out.write(b"j\r\n" * lines)
        out.write(b"END:VCARD\r\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    failures = []
    with tempfile.TemporaryDirectory(prefix="cn-limits-") as tmp:
        folder = Path(tmp)
        cases = []
        vcf = folder / "photos.vcf"
        photo_vcard(vcf, 6_700 // scale)
        cases.append(("200 MB photo vCard", vcf))
        sheet = folder / "rows.csv"
        big_csv(sheet, 1_000_000 // scale)
        cases.append(("1,000,000-row CSV", sheet))
        line = folder / "line.vcf"
        long_line(line, 10 * MIB)
        cases.append(("single 10 MB line", line))
        junk = folder / "junk.vcf"
        junk_lines(junk, 1_000_000 // scale)
        cases.append(("card, 1,000,000 junk lines", junk))
        for label, path in cases:
            result = measure("import", folder, path)
            size = path.stat().st_size / MIB
            print(
                f"{label:26} {size:7.1f} MiB  {result['seconds']:7.1f} s  peak {result['peak_mib']:6.1f} MiB"
            )
            if result["peak_mib"] > 300:
                failures.append(label)
    print(
        "result:", "memory stayed flat" if not failures else "MEMORY GREW: " + ", ".join(failures)
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
