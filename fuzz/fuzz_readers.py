"""Coverage-guided fuzzing of the vCard and CSV readers with atheris (libFuzzer).

The readers must turn any bytes into contacts and issues, or raise the
project's InputDataError; anything else is a crash, saved by libFuzzer as
crash-<hash> (make it a fixture in tests/data and a test).

    python fuzz/fuzz_readers.py -runs=2000 tests/data   # the short run the tests do
    python fuzz/fuzz_readers.py -max_total_time=3600 fuzz/corpus tests/data   # an hour
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports():
    from contact_notify.encoding import Decoder
    from contact_notify.errors import InputDataError
    from contact_notify.readers import FileRead, read_stream

KINDS = ("vcard", "csv")


def test_one_input(data: bytes) -> None:
    """Read the input with the reader its first byte picks; only InputDataError may escape."""
    if not data:
        return
    kind = KINDS[data[0] % 2]
    fallback = ("gb18030", "big5", "shift_jis", "cp1252")[data[0] // 2 % 4]
    result = FileRead("fuzz", kind=kind)
    try:
        for contact in read_stream(io.BytesIO(data[1:]), "fuzz", result, Decoder(fallback)):
            assert isinstance(contact.name, str)
    except InputDataError:
        pass
    for issue in result.issues:
        assert issue.source.line >= 1


def main() -> None:
    """Run libFuzzer with the command-line arguments."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
