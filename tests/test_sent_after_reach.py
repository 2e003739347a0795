"""When a contact counts as sent: a message at or after their latest reach."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES, Run


def test_a_reach_at_the_very_moment_of_sending_needs_no_second_message(
    cli: Run, tmp_path: Path
) -> None:
    """A message sent at 21:30 answers a reach recorded for 21:30 too ("at or after", not "after")."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("config", "sender", "小林")
    cli("mark", "王秀英", "--at", "2026-11-27 10:00")
    cli("export", str(tmp_path / "a.csv"))
    cli("sent", "--exported", str(tmp_path / "a.csv"), "--at", "2026-11-27 21:30")
    cli("mark", "王秀英", "--at", "2026-11-27 21:30", "--channel", "sms")
    assert cli("status").stdout.splitlines()[-3:] == [
        "still to notify:   0",
        "  exported, not marked sent:          0",
        "  reached again since their message:  0",
    ]
    later = cli("mark", "王秀英", "--at", "2026-11-27 21:31")
    assert later.exit_code == 0
    assert cli("status").stdout.splitlines()[-3:] == [
        "still to notify:   1",
        "  exported, not marked sent:          0",
        "  reached again since their message:  1",
    ]
