"""No input, however broken, produces a traceback: every fixture cut at many byte offsets."""

from __future__ import annotations

import pytest

from contact_notify.errors import InputDataError

from readers_helpers import DATA, read_bytes

FIXTURES = sorted(p.name for p in DATA.iterdir() if p.suffix in (".vcf", ".csv", ".txt"))


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_truncated_anywhere_reads_cleanly_or_fails_cleanly(name: str) -> None:
    """Each cut either reads (with issues) or raises InputDataError, never anything else."""
    data = (DATA / name).read_bytes()
    kind = "vcard" if name.endswith(".vcf") else "csv"
    step = max(1, len(data) // 23)
    offsets = sorted({*range(0, len(data), step), 1, 2, 3, len(data) - 1, len(data) - 2})
    errors: list[str] = []
    for offset in offsets:
        try:
            contacts, result = read_bytes(data[: max(0, offset)], name, kind)
        except InputDataError as exc:
            errors.append(exc.message)
            continue
        for contact in contacts:
            assert contact.name or contact.phones or contact.emails
        for issue in result.issues:
            assert issue.source.file == name
            assert issue.source.line >= 1
    assert all(message.startswith(name) for message in errors)
