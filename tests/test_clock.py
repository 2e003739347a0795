"""The core reads one injectable clock, and nothing else tells the time."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from contact_notify import clock

from conftest import EXAMPLES, ROOT, Run, clock_shift_days

SRC = ROOT / "src" / "contact_notify"


def test_mark_without_at_records_the_clock(cli: Run, clock_at: Callable[[str], None]) -> None:
    """A reach marked without --at is stamped with the injected clock, not the machine's."""
    clock_at("2031-03-04 05:06")
    cli("import", str(EXAMPLES / "contacts.vcf"))
    assert cli("mark", "13800138000").exit_code == 0
    (record,) = json.loads(cli("contacts", "--reached", "--format", "json").stdout)
    assert record["last_reached"].startswith("2031-03-04T05:06:00")


def test_future_check_follows_the_clock(cli: Run, clock_at: Callable[[str], None]) -> None:
    """A date accepted today is refused when the clock says it is still ahead, and vice versa."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    clock_at("2020-01-01 12:00")
    assert cli("mark", "13800138000", "--at", "2020-01-05").exit_code == 2
    clock_at("2020-01-06 12:00")
    assert cli("mark", "13800138000", "--at", "2020-01-05").exit_code == 0


def test_complaint_is_dated_by_the_clock(
    cli: Run, clock_at: Callable[[str], None], tmp_path: Path
) -> None:
    """The complaint draft's date is the clock's today."""
    clock_at("2029-07-08 09:00")
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("mark", "13800138000", "--at", "2029-07-01")
    cli("complaint", "--to", "12321", str(tmp_path / "c.txt"))
    assert "日期：2029年7月8日" in (tmp_path / "c.txt").read_text(encoding="utf-8")


def test_shifted_clock_keeps_the_local_zone() -> None:
    """A clock source in another zone is read back in the local zone, at the same moment."""
    moment = datetime.fromisoformat("2026-11-28T01:30:00+00:00")
    with clock.use(clock.frozen(moment)):
        assert clock.now() == moment
        assert clock.now().utcoffset() == datetime.now().astimezone().utcoffset()


def test_frozen_clock_needs_an_aware_time() -> None:
    """A naive time would be ambiguous, so a frozen clock refuses it."""
    with pytest.raises(ValueError, match="aware"):
        clock.frozen(datetime(2026, 1, 1))


def test_suite_runs_on_the_shifted_clock(request: pytest.FixtureRequest) -> None:
    """The clock the tests see is the machine's plus --clock-shift days (0 by default)."""
    days = clock_shift_days(request.config)
    gap = clock.now() - clock.system_now()
    assert abs(gap - timedelta(days=days)) < timedelta(seconds=5)


_TIME_CALLS = {("datetime", "now"), ("date", "today"), ("time", "time"), ("datetime", "utcnow")}


def test_only_the_clock_module_reads_the_time() -> None:
    """No core module calls datetime.now(), date.today() or time.time() but clock.py."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and (node.func.value.id, node.func.attr) in _TIME_CALLS
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []
