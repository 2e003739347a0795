"""Build hook: compile the gettext catalogs (.po in the repository) into the .mo the wheel ships.

Every ``src/contact_notify/locale/LANG/LC_MESSAGES/*.po`` of a language is
merged into one ``contact_notify.mo`` beside them (ignored by git), for both
wheels and editable installs.  Fuzzy entries are left out, as gettext does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DOMAIN = "contact_notify"


def compile_catalogs(locale_dir: Path) -> list[Path]:
    """Write one DOMAIN.mo per language folder from all its .po files; return them."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for folder in sorted(p for p in locale_dir.glob("*/LC_MESSAGES") if p.is_dir()):
        fixed = datetime(2026, 1, 1, tzinfo=UTC)  # the same bytes from the same .po
        merged = Catalog(
            locale=folder.parent.name,
            domain=DOMAIN,
            project="contact-notify",
            creation_date=fixed,
            revision_date=fixed,
            charset="utf-8",
        )
        for po in sorted(folder.glob("*.po")):
            with po.open("rb") as handle:
                for message in read_po(handle):
                    if message.id and message.string and not message.fuzzy:
                        merged.add(message.id, message.string, context=message.context)
        target = folder / f"{DOMAIN}.mo"
        with target.open("wb") as handle:
            write_mo(handle, merged)
        written.append(target)
    return written


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc]
    """Compile the catalogs before the wheel (or the editable install) is made."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile, and make sure the compiled files go into the wheel."""
        locale_dir = Path(self.root) / "src" / "contact_notify" / "locale"
        for mo in compile_catalogs(locale_dir):
            relative = mo.relative_to(Path(self.root) / "src")
            build_data["force_include"][str(mo)] = str(relative)
