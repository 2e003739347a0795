"""Who is the same person at import: names compared folded, shared landlines kept apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run


def _names(cli: Run) -> list[str]:
    return sorted(c["name"] for c in json.loads(cli("contacts", "--format", "json").stdout))


def test_same_name_in_other_case_and_spacing_merges_on_a_shared_landline(
    cli: Run, tmp_path: Path
) -> None:
    """ "Emily Chen" and "EMILY  CHEN" sharing a landline are one person (names folded by name_key)."""
    sheet = tmp_path / "c.csv"
    sheet.write_text(
        "Name,Phone,E-mail\nEmily Chen,010 6234 5678,\nEMILY  CHEN,010 6234 5678,emily@example.com\n",
        encoding="utf-8",
    )
    result = cli("import", str(sheet))
    assert result.stdout.splitlines()[-1].startswith("contacts added: 1, merged: 1,")
    (contact,) = json.loads(cli("contacts", "--format", "json").stdout)
    assert contact["emails"] == ["emily@example.com"]


def test_different_names_on_a_shared_landline_stay_apart(cli: Run, tmp_path: Path) -> None:
    """Two people behind one family landline stay two contacts."""
    sheet = tmp_path / "c.csv"
    sheet.write_text(
        "Name,Phone\nEmily Chen,010 6234 5678\nDavid Chen,010 6234 5678\n", encoding="utf-8"
    )
    cli("import", str(sheet))
    assert _names(cli) == ["David Chen", "Emily Chen"]


@pytest.mark.parametrize("bits", [1 << 23, 1 << 3])  # 8 bits: every number "maybe" known
def test_merging_works_across_the_write_batches(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bits: int
) -> None:
    """A record merges with one read earlier whether or not that one was written yet."""
    from contact_notify import importer

    monkeypatch.setattr(importer, "WRITE_BATCH", 3)
    monkeypatch.setattr(importer.KeyFilter, "BITS", bits)
    rows = [f"人{n},133{n:08d}" for n in range(7)]
    rows += ["人1,133 0000 0001", "人5,+86 133-0000-0005", "人6 同事,13300000006", "无号,", "无号,"]
    sheet = tmp_path / "c.csv"
    sheet.write_text("姓名,手机\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = cli("import", str(sheet))
    assert result.stdout.splitlines()[-1].startswith("contacts added: 8, merged: 4,"), result.stdout
    listing = json.loads(cli("contacts", "--format", "json").stdout)
    assert sorted(c["name"] for c in listing) == [*(f"人{n}" for n in range(7)), "无号"]
    assert [c["id"] for c in sorted(listing, key=lambda c: c["id"])] == list(range(1, 9))


def test_the_key_filter_never_forgets_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The import's filter of known numbers may say "maybe" wrongly, never "no" for a held key."""
    from contact_notify.importer import KeyFilter

    keys = [f"+86133{n:08d}" for n in range(20000)]
    seen = KeyFilter(keys[:10000])
    seen.update(keys[10000:15000])
    assert all(k in seen for k in keys[:15000])
    assert sum(k in seen for k in keys[15000:]) < 50  # 15,000 keys in 8 million bits
    monkeypatch.setattr(KeyFilter, "BITS", 1 << 6)  # a tiny filter says "maybe" to nearly all
    small = KeyFilter(keys[:100])
    assert all(k in small for k in keys[:100])
