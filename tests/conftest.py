"""Shared fixtures: an isolated case per test, a CLI runner, and a guard against network use."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner, Result

import contact_notify
from contact_notify import clock, i18n
from contact_notify.cli import app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


class NetworkUsed(AssertionError):
    """Raised when code under test tries to open a network connection."""


NETWORK_ATTEMPTS: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options that move every test in time, to prove no test depends on the calendar."""
    group = parser.getgroup("contact-notify clock")
    group.addoption(
        "--clock-shift",
        default="0",
        help="shift the injected clock of every test by this many days (e.g. 3650); "
        "also $CONTACT_NOTIFY_TEST_CLOCK_SHIFT",
    )
    group.addoption(
        "--tz",
        default="",
        help="the time zone every test runs in [default: Asia/Shanghai]; also $CONTACT_NOTIFY_TEST_TZ",
    )


def _option(config: pytest.Config, name: str, env: str, default: str) -> str:
    given = str(config.getoption(name))
    return given if given not in ("", "0") else os.environ.get(env, default)


def clock_shift_days(config: pytest.Config) -> float:
    """The days this run moves the clock by (--clock-shift, else the environment, else 0)."""
    return float(_option(config, "--clock-shift", "CONTACT_NOTIFY_TEST_CLOCK_SHIFT", "0"))


def _stale_files(installed: Path) -> list[str]:
    """Files of the working tree that the imported (installed) copy lacks or holds otherwise."""
    pairs = [(ROOT / "src" / "contact_notify", installed)]
    pairs += [(ROOT / name, installed / name) for name in ("templates", "examples")]
    stale = []
    for tree, copy in pairs:
        for path in sorted(
            p for p in tree.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            other = copy / path.relative_to(tree)
            if not other.is_file() or other.read_bytes() != path.read_bytes():
                stale.append(str(path.relative_to(ROOT)))
    return stale


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to test an installed copy that differs from the working tree; register markers.

    CI tests the installed package (pip install '.[test]'), which is the tree's
    own copy; after editing src/ such a copy is stale, and a green run would
    prove nothing, so the run stops and says to use an editable install.
    """
    installed = Path(contact_notify.__file__).resolve().parent
    if installed != (ROOT / "src" / "contact_notify").resolve():
        stale = _stale_files(installed)
        if stale:
            raise pytest.UsageError(
                f"the contact_notify imported from {installed} is not this working tree's: "
                f"{len(stale)} file(s) differ, such as {stale[0]}. Install for development with: "
                ".venv/bin/python -m pip install -e '.[test]'"
            )
    elif (ROOT / "hatch_build.py").is_file():
        # An editable install: compile the catalogs as the build does, so the run
        # sees the .po files as they are now, not as they were at install time.
        sys.path.insert(0, str(ROOT))
        try:
            from hatch_build import compile_catalogs
        finally:
            sys.path.remove(str(ROOT))
        compile_catalogs(ROOT / "src" / "contact_notify" / "locale")
    config.addinivalue_line(
        "markers",
        "zone(name): run this test in this time zone whatever --tz says (for output that "
        "shows a UTC offset, or behaviour defined in one zone)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    """Say which clock shift and time zone this run uses."""
    shift = _option(config, "--clock-shift", "CONTACT_NOTIFY_TEST_CLOCK_SHIFT", "0")
    zone = _option(config, "--tz", "CONTACT_NOTIFY_TEST_TZ", "Asia/Shanghai")
    return f"contact-notify clock: shifted {shift} day(s), TZ={zone}"


@pytest.fixture(autouse=True)
def _test_time(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run every test in one time zone (China's by default) with the clock shifted as asked.

    The core reads time only through contact_notify.clock; this moves that clock
    by --clock-shift days, so a test that passes only on some dates fails here.
    """
    config = request.config
    pinned = request.node.get_closest_marker("zone")
    zone = (
        str(pinned.args[0])
        if pinned
        else _option(config, "--tz", "CONTACT_NOTIFY_TEST_TZ", "Asia/Shanghai")
    )
    shift = timedelta(days=clock_shift_days(config))
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    with clock.use(lambda: clock.system_now() + shift):
        yield
    time.tzset()


@pytest.fixture
def clock_at() -> Callable[[str], None]:
    """Freeze the core's clock at a local time such as "2026-11-28 12:00" for the rest of a test.

    The autouse _test_time fixture puts the shifted system clock back afterwards.
    """

    def freeze(text: str) -> None:
        clock.set_source(clock.frozen(datetime.fromisoformat(text).astimezone()))

    return freeze


@pytest.fixture(autouse=True)
def _interface_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Speak English unless a test asks otherwise (``zh`` fixture), whatever the machine's locale."""
    monkeypatch.setenv(i18n.ENV, "en")
    i18n.reset()
    yield
    i18n.reset()


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the interface Chinese for this test (in-process and for child processes)."""
    monkeypatch.setenv(i18n.ENV, "zh")
    i18n.reset()


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


# Debian's chromium, driven by playwright (no browser download); .ci/run installs it.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for a module's tests (each test opens its own context); CI
    installs it, elsewhere the browser tests are skipped without it."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run should have installed it")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )  # fmt: skip
        yield launched
        launched.close()
