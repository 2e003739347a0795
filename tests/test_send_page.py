"""The send page in a real headless browser: links, copy, sent ticks, no requests, phone width."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from contact_notify.case import Case
from contact_notify.messages import compose

from conftest import Run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def chromium() -> str:
    """Debian's chromium; CI installs it (.ci/run), elsewhere the test is skipped without it."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run should have installed it")
        pytest.skip("chromium is not installed")
    return CHROMIUM


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """An HTTP server on loopback for tmp_path, so the page has an origin (clipboard, storage)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_send_page_works_on_a_phone_screen(
    reached_case: Run,
    case_path: Path,
    tmp_path: Path,
    served: str,
    chromium: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every SMS link carries its contact's message; copy and sent work; nothing is fetched."""
    page_file = tmp_path / "send.html"
    result = reached_case("export", str(page_file))  # under the no-network guard
    assert result.exit_code == 0, result.output
    with Case.open(case_path) as case:
        expected = {m.name: m for m in compose(case, "小林", include_sent=True)}
    monkeypatch.undo()  # lift the guard: the browser talks to its driver over a local socket
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )  # fmt: skip
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{served}/send.html")

        cards = page.locator(".card")
        assert cards.count() == len(expected)
        for i in range(cards.count()):
            card = cards.nth(i)
            name = card.locator("h3").inner_text().split(" ")[0]
            href = card.locator("a.sms").get_attribute("href") or ""
            number, _, body = href.removeprefix("sms:").partition("?&body=")
            assert number == expected[name].phone
            assert unquote(body) == expected[name].body.rstrip("\n")
            assert card.locator(".body").inner_text() == expected[name].body.rstrip("\n")

        first = cards.nth(0)
        first.locator("button.copy").click()
        page.wait_for_function("document.querySelector('.card .copy').textContent === '已复制'")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == first.locator(".body").inner_text()

        first.locator("input.sent").check()
        assert page.locator("#progress").inner_text() == f"已发送 1 / {len(expected)}"
        page.reload()
        assert page.locator(".card").nth(0).locator("input.sent").is_checked()
        assert page.locator("#progress").inner_text() == f"已发送 1 / {len(expected)}"

        ticked = page.locator(".card").nth(0).get_attribute("data-id")
        monkeypatch.setenv("CONTACT_NOTIFY_CASE", str(case_path))
        reached_case("mark", "周杰", "--at", "2026-11-28 10:00")  # a new reach: a new page
        assert reached_case("export", str(page_file), "--force").exit_code == 0
        page.reload()
        assert page.locator(".card").count() == len(expected) + 1
        assert page.locator(f'.card[data-id="{ticked}"] input.sent').is_checked()

        page.locator("#search").fill("徐强")
        visible = [c for c in range(cards.count()) if cards.nth(c).is_visible()]
        assert len(visible) == 1
        assert page.locator("section:visible").count() == 1

        page.screenshot(path=str(tmp_path / "send-page-phone.png"), full_page=True)
        browser.close()

    assert (tmp_path / "send-page-phone.png").stat().st_size > 10_000
    assert set(requests) == {f"{served}/send.html"}
    page_text = page_file.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page_text
    assert "http" not in page_text.split("<body", 1)[1]
