"""Pasted text is searched in time linear in its length, and every number in it is found.

``mark --text`` looks for numbers with phonenumbers' matcher, piece by piece
(``phones.find_numbers``).  Four kinds of paste at 0.25, 0.5 and 1 MB: a chat
with a time stamp and a number per line, order lines with a number now and
then, one line of comma-separated numbers, and one line of time stamps with no
place to cut.  Each is searched in this process; the run fails when 1 MB takes
more than five times as long as 0.25 MB (linear is four), or when a number is
missed.

    python benchmarks/bench_paste.py            # about half a minute
    python benchmarks/bench_paste.py --quick    # a tenth of the sizes
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from contact_notify.phones import find_numbers

MB = 1_000_000


def chat(size: int) -> tuple[str, int]:
    """Chat lines, each with a time stamp and a mobile number."""
    lines, n, length = [], 0, 0
    while length < size:
        lines.append(f"2026-11-27 21:{n % 60:02d} 打来 139{n:08d} 电话\n")
        length += len(lines[-1])
        n += 1
    return "".join(lines), n


def orders(size: int) -> tuple[str, int]:
    """Order lines (an order number and an amount), a mobile number every hundredth line."""
    lines, n, k, length = [], 0, 0, 0
    while length < size:
        if n % 100 == 99:
            lines.append(f"客服 138{k:08d}\n")
            k += 1
        else:
            lines.append(f"order {n:06d} amount {n % 977}.00\n")
        length += len(lines[-1])
        n += 1
    return "".join(lines), k


def numbers_line(size: int) -> tuple[str, int]:
    """One line of comma-separated mobile numbers."""
    count = size // 12
    return ",".join(f"137{n:08d}" for n in range(count)), count


def time_stamps(size: int) -> tuple[str, int]:
    """One line of time stamps (nowhere safe to cut), then one number."""
    return "2026-11-27 21:30 " * (size // 17) + "打给了 13912345678", 1


def measure(make: Callable[[int], tuple[str, int]], size: int) -> float:
    """Seconds to search a paste of ``size`` characters; fails if a number is missed."""
    text, expected = make(size)
    cuts: list[int] = []
    start = time.perf_counter()
    found = sum(1 for _ in find_numbers(text, on_cut=cuts.append))
    seconds = time.perf_counter() - start
    if found != expected or cuts:
        raise SystemExit(f"{make.__name__}: found {found} of {expected}, {len(cuts)} cut(s)")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    sizes = [int(MB * f * scale) for f in (0.25, 0.5, 1.0)]
    worst = 0.0
    for make in (chat, orders, numbers_line, time_stamps):
        times = [measure(make, size) for size in sizes]
        ratio = times[-1] / max(times[0], 1e-9)
        worst = max(worst, ratio)
        shown = "  ".join(f"{s / MB:.3g} MB {t:6.2f} s" for s, t in zip(sizes, times, strict=True))
        print(f"{make.__name__:13} {shown}   x{ratio:.1f} for 4x the text")
    ok = worst <= 5.0
    print("result: linear" if ok else "result: NOT linear")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
