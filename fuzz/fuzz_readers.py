"""Coverage-guided fuzzing of the vCard and CSV readers with atheris (libFuzzer).

The readers must turn any bytes into contacts and issues, or raise the
project's InputDataError, within a time and memory budget proportional to the
input's size (budget.py); anything else is a crash, saved by libFuzzer as
crash-<hash> (make it a fixture in tests/data and a test).

    python fuzz/fuzz_readers.py -runs=2000 tests/data   # the short run the tests do
    python fuzz/fuzz_readers.py -max_total_time=3600 fuzz/corpus tests/data   # an hour
"""

from __future__ import annotations

import os
import sys

import atheris

with atheris.instrument_imports():
    import budget


# Each input's peak memory: the growth of the resident size (cheap), or, with
# CONTACT_NOTIFY_FUZZ_TRACEMALLOC=1, tracemalloc's peak (precise, several times slower).
MEASURE = (
    budget.measure
    if os.environ.get("CONTACT_NOTIFY_FUZZ_TRACEMALLOC") == "1"
    or not budget.resident_peak_available()
    else budget.measure_resident
)


def test_one_input(data: bytes) -> None:
    """Read the input with the reader its first byte picks; only InputDataError may escape.

    The read must also stay within the time and memory budget for its size (budget.py).
    """
    problems = MEASURE(data, "this input").over()
    if problems:
        raise AssertionError("over budget: " + "; ".join(problems))


def main() -> None:
    """Run libFuzzer with the command-line arguments."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
