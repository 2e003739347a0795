"""Shared fixtures: an isolated case per test, a CLI runner, and a guard against network use."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from contact_notify.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


class NetworkUsed(AssertionError):
    """Raised when code under test tries to open a network connection."""


NETWORK_ATTEMPTS: list[str] = []


@pytest.fixture(autouse=True)
def _china_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run every test in China's time zone (UTC+8), not the machine's (often UTC)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    time.tzset()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every socket connection and name lookup fail, and remember the attempt."""
    NETWORK_ATTEMPTS.clear()

    def refuse(kind: str) -> Callable[..., object]:
        def _refuse(*args: object, **kwargs: object) -> object:
            NETWORK_ATTEMPTS.append(kind)
            raise NetworkUsed(f"network use attempted: {kind}")

        return _refuse

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))


@pytest.fixture
def case_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case file path of this test's own, chosen through the environment variable."""
    path = tmp_path / "case" / "case.sqlite3"
    monkeypatch.setenv("CONTACT_NOTIFY_CASE", str(path))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)
    return path


Run = Callable[..., Result]


@pytest.fixture
def cli(case_path: Path) -> Run:
    """Run contact-notify in-process with a fixed terminal width; return the result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env={"COLUMNS": "100"})

    return run


@pytest.fixture
def reached_case(cli: Run) -> Run:
    """A case with the shipped examples imported and examples/reached.txt marked."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    assert (
        cli("mark", "--file", str(EXAMPLES / "reached.txt"), "--at", "2026-11-27 21:30").exit_code
        == 0
    )
    assert cli("config", "sender", "小林").exit_code == 0
    return cli
