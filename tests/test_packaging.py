"""The wheel ships the built-in templates and the examples inside the package."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_templates_and_examples(tmp_path: Path) -> None:
    """A non-editable wheel carries templates/ and examples/ under contact_notify/."""
    wheel = next(
        iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    )
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").glob("*.j2"):
        assert f"contact_notify/templates/{template.name}" in names
    for example in ("contacts.vcf", "contacts.csv", "reached.txt"):
        assert f"contact_notify/examples/{example}" in names
    assert "contact_notify/cli/__init__.py" in names
