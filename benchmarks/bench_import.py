"""Import speed and memory, measured against vobject on the same files.

Targets (issue 3):

* a 100,000-card iPhone-style vCard 3.0 file imports into a new case in at
  most half the time vobject alone needs to stream-parse it (same run);
* that import peaks under 200 MiB, and at most 1.5x the 10,000-card import;
* 2,000 cards each carrying a 30 KB photo import in under 3 seconds.

Each import runs the real command (``contact-notify --case C import F``) in a
fresh child process, which reports its own wall time and peak RSS.

    python benchmarks/bench_import.py            # full run (about a minute)
    python benchmarks/bench_import.py --quick    # 10x smaller, for a smoke test
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import iphone_vcard, photo_vcard


def peak_mib() -> float:
    """This process's peak resident memory in MiB.

    VmHWM from /proc (Linux) starts afresh at exec; ru_maxrss does not (it
    carries the parent's peak), so it is only the fallback elsewhere.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(what: str, case: str, file: str) -> None:
    """Run one measurement in this process; print its seconds and peak MiB as JSON."""
    start = time.perf_counter()
    try:
        if what == "vobject":
            import vobject

            with Path(file).open(encoding="utf-8") as handle:
                for _ in vobject.readComponents(handle):
                    pass
        else:
            from contact_notify.cli import app

            app(["--case", case, "import", file], standalone_mode=False)
    finally:
        elapsed = time.perf_counter() - start
        print(json.dumps({"seconds": elapsed, "peak_mib": peak_mib()}), file=sys.stderr)


def measure(what: str, folder: Path, file: Path) -> dict[str, float]:
    """Run ``what`` (import or vobject) on ``file`` in a fresh child process."""
    case = folder / f"{file.stem}.sqlite3"
    case.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, __file__, "--child", what, str(case), str(file)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stderr.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller files")
    parser.add_argument(
        "--child", nargs=3, metavar=("WHAT", "CASE", "FILE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    scale = 10 if args.quick else 1
    big, small, photos = 100_000 // scale, 10_000 // scale, 2_000 // scale
    failures = []
    with tempfile.TemporaryDirectory(prefix="cn-bench-") as tmp:
        folder = Path(tmp)
        big_file, small_file, photo_file = (
            folder / f"iphone-{big}.vcf",
            folder / f"iphone-{small}.vcf",
            folder / f"photos-{photos}.vcf",
        )
        iphone_vcard(big_file, big)
        iphone_vcard(small_file, small)
        photo_vcard(photo_file, photos)
        print(
            f"files: {big_file.stat().st_size / 2**20:.1f} MiB ({big} cards), "
            f"{photo_file.stat().st_size / 2**20:.1f} MiB ({photos} cards with 30 KB photos)"
        )

        theirs = measure("vobject", folder, big_file)["seconds"]
        ours_big = measure("import", folder, big_file)
        ours_small = measure("import", folder, small_file)
        ours_photos = measure("import", folder, photo_file)

    ratio = ours_big["seconds"] / theirs
    growth = ours_big["peak_mib"] / ours_small["peak_mib"]
    print(
        f"vobject stream-parse, {big} cards:     {theirs:7.2f} s ({theirs / big * 1e6:.0f} µs/card)"
    )
    print(
        f"contact-notify import, {big} cards:    {ours_big['seconds']:7.2f} s "
        f"({ours_big['seconds'] / big * 1e6:.0f} µs/card)"
    )
    print(f"  ratio import / vobject:             {ratio:7.2f}   (target <= 0.50)")
    print(f"  peak memory, {big} cards:          {ours_big['peak_mib']:7.1f} MiB (target < 200)")
    print(f"  peak memory, {small} cards:           {ours_small['peak_mib']:7.1f} MiB")
    print(f"  growth {small} -> {big} cards:       {growth:7.2f} x (target <= 1.50)")
    print(
        f"contact-notify import, {photos} photo cards: {ours_photos['seconds']:5.2f} s "
        f"(target < 3 s at 2000 cards)"
    )
    if ratio > 0.5:
        failures.append("speed ratio")
    if ours_big["peak_mib"] >= 200 or growth > 1.5:
        failures.append("memory")
    if ours_photos["seconds"] >= 3:
        failures.append("photos")
    print("result:", "all targets met" if not failures else "MISSED: " + ", ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
