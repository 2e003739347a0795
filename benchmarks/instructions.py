"""Instructions, not seconds: what a few commands cost, counted by valgrind's callgrind.

Times on this shared 2-core machine move by 10 % and more from one run to the next
(benchmarks/README.md), which is more than most single changes save.  The number of
instructions a command executes moves by well under 1 %: good for telling whether a
change to the code made a command cheaper, and by how much.  It is no target: the
targets are in seconds, against the peers, and compare.py checks them.

    .venv/bin/python benchmarks/instructions.py
    .venv/bin/python benchmarks/instructions.py --other /path/to/old/checkout/.venv/bin/python

Each command runs once to write Python's bytecode caches, then once under
``valgrind --tool=callgrind`` with ``PYTHONHASHSEED=0``, on a fresh copy of the case
compare.py builds with 1,000 reached contacts among 10,000 (the same seeded data).
``--other`` runs the same commands with another Python (another checkout's
environment, which imports its own contact_notify) and shows the difference.  Needs
valgrind (Debian: ``apt-get install valgrind``); about a minute per Python.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from compare import HERE, Data

COMMANDS = (("preview",), ("export", "out.csv"), ("status",), ("--help",))
_COLLECTED = re.compile(r"Collected : (\d+)")


def count(python: Path, case: Path, args: tuple[str, ...], work: Path) -> int:
    """Instructions ``python -m contact_notify --case CASE ARGS`` executes, in a fresh ``work``."""
    env = dict(os.environ, CONTACT_NOTIFY_LANG="en", COLUMNS="100", PYTHONHASHSEED="0")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the second run reads the caches the first wrote
    env.pop("CONTACT_NOTIFY_CASE", None)
    command = [str(python), "-m", "contact_notify", "--case", "case.sqlite3", *args]
    collected = 0
    for under_valgrind in (False, True):
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        shutil.copyfile(case, work / "case.sqlite3")
        (work / "case.sqlite3").chmod(0o600)
        prefix = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
        done = subprocess.run(
            [*prefix, *command] if under_valgrind else command,
            cwd=work,
            env=dict(env, HOME=str(work)),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(
                f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}"
            )
        if under_valgrind:
            found = _COLLECTED.search(done.stderr)
            if found is None:
                raise SystemExit(f"callgrind printed no count:\n{done.stderr[-2000:]}")
            collected = int(found.group(1))
    return collected


def where(python: Path) -> str:
    """The contact_notify a Python imports (so a comparison says what it compared)."""
    done = subprocess.run(
        [str(python), "-c", "import contact_notify; print(contact_notify.__file__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def main() -> int:
    """Count each command's instructions with this Python (and ``--other``); print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--other", type=Path, help="another checkout's Python, to compare with")
    parser.add_argument("--data", type=Path, default=HERE / ".data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    case = Data(args.data, 1, False).reached(1_000)
    # absolute(), not resolve(): a venv's python is a link whose own place names the venv
    pythons = [Path(sys.executable)] + ([args.other.absolute()] if args.other else [])
    for number, python in enumerate(pythons):
        print(f"{'this' if number == 0 else 'other'}: {where(python)}")
    print("1,000 reached contacts among 10,000; millions of instructions")
    with tempfile.TemporaryDirectory(prefix="cn-instructions-") as tmp:
        for command in COMMANDS:
            counts = [count(p, case, command, Path(tmp) / "work") / 1e6 for p in pythons]
            line = f"{' '.join(command):20} this {counts[0]:9.1f}"
            if len(counts) == 2:
                line += f"   other {counts[1]:9.1f}   this/other {counts[0] / counts[1]:.3f}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
