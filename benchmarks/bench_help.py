"""``contact-notify --help`` with the catalog loaded costs no more than 10 % over the build before it.

Issue 13 (the Chinese-first interface): the catalog must load without
noticeable start-up cost.  This runs ``--help`` of the current tree (in
English and in Chinese) and of a baseline install side by side, alternating
runs so the machine's load hits both alike, and compares the medians of the
CPU time of each child process (user + system; wall time on a shared machine
is noise).  It also reports whether phonenumbers, jinja2 or vobject were
loaded (they must not be).

    python benchmarks/bench_help.py --baseline /tmp/base/.venv/bin/python
    python benchmarks/bench_help.py --baseline … --runs 41

Make the baseline from the commit before the catalog:

    git archive 9fa2373 | tar -x -C /tmp/base/src
    python3 -m venv /tmp/base/.venv && /tmp/base/.venv/bin/pip install /tmp/base/src

It exits non-zero when the Chinese or English --help costs more than 1.10 x
the baseline's.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys

RUN_HELP = "import sys; sys.argv = ['contact-notify', '--help']; from contact_notify.cli import main; main()"
HEAVY = "import sys; from contact_notify.cli import app; import typer.main; " + (
    "typer.main.get_command(app); print(sorted({m for m in ('phonenumbers', 'jinja2', 'vobject') "
    "if m in sys.modules}))"
)


def cpu_of(python: str, lang: str) -> float:
    """CPU seconds (user + system) of one ``--help`` in a fresh process."""
    env = dict(os.environ, CONTACT_NOTIFY_LANG=lang, COLUMNS="100")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # both sides run from compiled bytecode
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([python, "-c", RUN_HELP], env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    """Measure, print the medians and ratios, exit 1 when over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the python of a baseline install")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    current = sys.executable
    times: dict[str, list[float]] = {"baseline": [], "en": [], "zh": []}
    for python in (args.baseline, current):  # warm up: write the .pyc files, fill the disk cache
        cpu_of(python, "en")
        cpu_of(python, "zh")
    for _ in range(args.runs):
        times["baseline"].append(cpu_of(args.baseline, "en"))
        times["en"].append(cpu_of(current, "en"))
        times["zh"].append(cpu_of(current, "zh"))
    medians = {k: statistics.median(v) for k, v in times.items()}
    heavy = subprocess.run(
        [current, "-c", HEAVY], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"--help CPU, median of {args.runs} runs each (alternating):")
    for key, value in medians.items():
        print(f"  {key:9s} {value * 1000:7.1f} ms")
    worst = 0.0
    for key in ("en", "zh"):
        ratio = medians[key] / medians["baseline"]
        worst = max(worst, ratio)
        print(f"  {key} / baseline: {ratio:.3f} (target <= 1.10)")
    print(f"  heavy modules loaded by --help: {heavy} (target [])")
    ok = worst <= 1.10 and heavy == "[]"
    print("result: " + ("target met" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
