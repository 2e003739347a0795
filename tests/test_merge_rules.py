"""Who is the same person at import: names compared folded, shared landlines kept apart."""

from __future__ import annotations

import json
from pathlib import Path

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
