"""Settings (``region``, ``sender`` …) and the rules from a contact group to a template."""

from __future__ import annotations

import sqlite3


class Settings:
    """Settings and rules: that part of :class:`~contact_notify.store.Case`."""

    _conn: sqlite3.Connection

    def get_setting(self, key: str) -> str | None:
        """A stored setting such as ``region`` or ``sender``."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        self._conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def settings(self) -> dict[str, str]:
        """All stored settings."""
        rows = self._conn.execute("SELECT key, value FROM settings")
        return {str(r["key"]): str(r["value"]) for r in rows}

    # -- rules ------------------------------------------------------------------

    def rules(self) -> list[tuple[str, str]]:
        """(group, template) rules, in the order they were made."""
        rows = self._conn.execute("SELECT group_name, template FROM rules ORDER BY rowid")
        return [(str(r["group_name"]), str(r["template"])) for r in rows]

    def set_rule(self, group: str, template: str) -> None:
        """Map a group to a template (a relationship such as ``colleague``, a name or a path)."""
        self._conn.execute(
            "INSERT INTO rules(group_name, template) VALUES (?, ?) "
            "ON CONFLICT(group_name) DO UPDATE SET template = excluded.template",
            (group, template),
        )

    def remove_rule(self, group: str) -> bool:
        """Remove a group's rule; True when there was one."""
        return self._conn.execute("DELETE FROM rules WHERE group_name = ?", (group,)).rowcount > 0
