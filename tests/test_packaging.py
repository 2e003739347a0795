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


def test_wheel_carries_the_compiled_catalog(tmp_path: Path) -> None:
    """The build compiles every .po into the wheel's contact_notify.mo, which speaks Chinese."""
    import gettext
    import io

    wheel = next(
        iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    )
    mo = "contact_notify/locale/zh_CN/LC_MESSAGES/contact_notify.mo"
    with zipfile.ZipFile(wheel) as archive:
        assert mo in archive.namelist()
        catalog = gettext.GNUTranslations(io.BytesIO(archive.read(mo)))
    assert catalog.gettext("Options") == "选项"
    assert catalog.gettext("Show this message and exit.") == "显示本帮助并退出。"
