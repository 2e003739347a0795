"""The send page in a real headless browser: links, copy, sent ticks, search, no requests, phone
width; and its section headings."""

from __future__ import annotations

import functools
import html
import http.server
import io
import random
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import unquote

import pytest

from contact_notify import i18n
from contact_notify.messages import Message, compose
from contact_notify.sendpage import render_page
from contact_notify.sentcode import decode, encode
from contact_notify.store import Case

from conftest import Run

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


class _FreshFiles(http.server.SimpleHTTPRequestHandler):
    """Serves every file as it is now: http.server answers a reload with 304 Not Modified when
    the file's mtime is in the same second as the copy the browser holds, which a page exported
    again within that second is."""

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        del self.headers["If-Modified-Since"]
        return super().send_head()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """An HTTP server on loopback for tmp_path, so the page has an origin (clipboard, storage)."""
    handler = functools.partial(_FreshFiles, directory=str(tmp_path))
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
    browser: Browser,
    monkeypatch: pytest.MonkeyPatch,
    zh: None,
) -> None:
    """Every SMS link carries its contact's message; copy and sent work; nothing is fetched."""
    page_file = tmp_path / "send.html"
    result = reached_case("export", str(page_file))  # under the no-network guard
    assert result.exit_code == 0, result.output
    with Case.open(case_path) as case:
        expected = {m.name: m for m in compose(case, "小林", include_sent=True)}
    monkeypatch.undo()  # lift the guard: the browser talks to its driver over a local socket

    requests: list[str] = []
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
    context.close()

    assert (tmp_path / "send-page-phone.png").stat().st_size > 10_000
    assert set(requests) == {f"{served}/send.html"}
    page_text = page_file.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page_text
    assert "http" not in page_text.split("<body", 1)[1]


def _visible_names(page: Page) -> list[str]:
    names: list[str] = page.eval_on_selector_all(
        ".card", "cards => cards.filter(c => c.offsetParent !== null)"
        ".map(c => c.querySelector('h3').firstChild.textContent.trim())",
    )  # fmt: skip
    return names


def test_search_finds_a_number_in_any_spelling(
    reached_case: Run,
    case_path: Path,
    tmp_path: Path,
    browser: Browser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A number typed with spaces, dashes, +86 / 0086 or full-width digits finds its contact, as a name does."""
    page_file = tmp_path / "send.html"
    assert reached_case("export", str(page_file)).exit_code == 0
    with Case.open(case_path) as case:
        messages = compose(case, "小林", include_sent=True)
    owner = next(m.name for m in messages if m.phone == "+8613800138000")
    monkeypatch.undo()  # lift the guard: the browser talks to its driver over a local socket

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    problems: list[str] = []  # a script refused by the CSP would show here
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(page_file.as_uri())
    assert sorted(_visible_names(page)) == sorted(m.name for m in messages)

    for query in (
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "(+86) 138 0013 8000",
        "0086 138 0013 8000",
        "008613800138000",
        "１３８ ００１３ ８０００",
        "＋８６ １３８－００１３－８０００",
        "tel:+86-138-0013-8000",
        " 138 0013 8000 ",
        "0013 8000",
        "13800138000",
        owner,
    ):
        page.locator("#search").fill(query)
        assert _visible_names(page) == [owner], query
        assert page.locator("section:visible").count() == 1, query
    for query in ("170 9999 8888", "+86 170 9999 8888", "nobody"):
        page.locator("#search").fill(query)
        assert _visible_names(page) == [], query
        assert page.locator("section:visible").count() == 0, query
    page.locator("#search").fill("")
    assert len(_visible_names(page)) == len(messages)
    context.close()
    assert problems == []


def _headings(page_file: Path) -> list[str]:
    text = page_file.read_text(encoding="utf-8")
    return [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", text)]


def test_section_headings_name_the_relationship(
    reached_case: Run, tmp_path: Path, zh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sections are headed by the relationship in the interface's language, never a template id."""
    reached_case("contact", "李建国", "--template", "family-peer")
    reached_case("contact", "陈静", "--template", "default")
    # Reached now, one each: 王秀英 family-elder (group 家人), 李建国 family-peer, 刘芳 friend
    # (朋友), 张伟 colleague (同事), 徐强 superior (领导), 陈静 default.
    assert reached_case("export", str(tmp_path / "zh.html")).exit_code == 0
    assert _headings(tmp_path / "zh.html") == [
        "家人（长辈） (1)", "兄弟姐妹/同辈 (1)", "朋友 (1)", "同事 (1)", "领导/客户 (1)", "其他 (1)",
    ]  # fmt: skip
    monkeypatch.setenv(i18n.ENV, "en")
    i18n.reset()
    assert reached_case("export", str(tmp_path / "en.html")).exit_code == 0
    assert _headings(tmp_path / "en.html") == [
        "Family (elders) (1)", "Brothers, sisters, cousins (1)", "Friends (1)", "Colleagues (1)",
        "Managers and clients (1)", "Others (1)",
    ]  # fmt: skip
    monkeypatch.setenv(i18n.ENV, "zh")
    i18n.reset()

    mine = tmp_path / "mine"
    assert reached_case("templates", "copy", "colleague.sms.zh", str(mine)).exit_code == 0
    own = mine / "uncle.sms.zh.j2"
    own.write_text((mine / "colleague.sms.zh.j2").read_text(encoding="utf-8"), encoding="utf-8")
    reached_case("contact", "张伟", "--template", str(mine / "colleague.sms.zh.j2"))
    reached_case("contact", "徐强", "--template", str(own))
    assert reached_case("export", str(tmp_path / "own.html")).exit_code == 0
    assert _headings(tmp_path / "own.html") == [
        "家人（长辈） (1)", "兄弟姐妹/同辈 (1)", "朋友 (1)", "其他 (1)",
        "同事（自定义模板 colleague.sms.zh.j2） (1)", "自定义模板 uncle.sms.zh.j2 (1)",
    ]  # fmt: skip
    assert reached_case("export", str(tmp_path / "all.html"), "--template", str(own)).exit_code == 0
    assert _headings(tmp_path / "all.html") == ["自定义模板 uncle.sms.zh.j2 (6)"]


def test_ticks_come_back_to_the_case_by_the_sent_code(
    reached_case: Run,
    case_path: Path,
    tmp_path: Path,
    browser: Browser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two contacts ticked on the page, the code it then shows given to `sent --code`: those two are sent."""
    page_file = tmp_path / "send.html"
    assert reached_case("export", str(page_file)).exit_code == 0
    with Case.open(case_path) as case:
        everyone = {m.name for m in compose(case, "小林")}
    monkeypatch.undo()  # lift the guard: the browser talks to its driver over a local socket
    monkeypatch.setenv("CONTACT_NOTIFY_CASE", str(case_path))
    monkeypatch.setenv(i18n.ENV, "en")

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    problems: list[str] = []  # a script refused by the CSP would show here
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(page_file.as_uri())
    assert page.locator("#sentcode").is_hidden()  # nothing ticked: no code
    ticked = []
    for name in ("张伟", "刘芳"):
        card = page.locator(".card").filter(has=page.locator("h3", has_text=name))
        card.locator("input.sent").check()
        ticked.append(name)
    assert page.locator("#sentcode").is_visible()
    code = page.locator("#code").inner_text()
    hint = page.locator("#sentcode .hint").inner_text()
    context.close()
    assert problems == []
    assert "contact-notify sent --code" in hint

    result = reached_case("sent", "--code", code)
    assert result.exit_code == 0, result.output
    assert sorted(result.stdout.splitlines()) == sorted(f"sent: {n}" for n in ticked)
    with Case.open(case_path) as case:
        pending = {m.name for m in compose(case, "小林")}
    assert everyone - pending == {"张伟", "刘芳"}


def _message(contact_id: int) -> Message:
    return Message(
        contact_id=contact_id, reach_id=1, name=f"c{contact_id}", phone="+8613800138000",
        phone_valid=True, body="hi", template="colleague.sms.zh", mobile=True,
    )  # fmt: skip


def test_the_page_writes_the_code_as_the_tool_reads_it(
    tmp_path: Path, browser: Browser, monkeypatch: pytest.MonkeyPatch, zh: None
) -> None:
    """The page's code for any ticks (far ids, runs, one id) is the one sentcode.encode writes."""
    rng = random.Random(17)  # noqa: S311 -- test data, not secrets
    ids = sorted(
        {1, 2, 3, 4, 5, 16, 17, 255, 256, 4096, 7000, 7001, 7002, 7100, 7101, 7102, 7103, 2**40 + 3}
        | set(range(600, 640))
        | set(rng.sample(range(6, 5000), 80))
    )
    page_file = tmp_path / "many.html"
    page_file.write_text(render_page([_message(i) for i in ids]), encoding="utf-8")
    monkeypatch.undo()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(page_file.as_uri())
    assert "在电脑上运行 contact-notify sent --code" in page.locator("#sentcode .hint").inner_text()
    subsets = [ids, [ids[-1]], [1], ids[:5], rng.sample(ids, 30), rng.sample(ids, 3)]
    for subset in subsets:
        page.evaluate(
            """wanted => document.querySelectorAll(".card").forEach(card => {
                 const box = card.querySelector(".sent");
                 box.checked = wanted.includes(card.getAttribute("data-id"));
                 box.dispatchEvent(new Event("change"));
               })""",
            [f"{i}-1" for i in subset],
        )
        shown = page.locator("#code").inner_text()
        assert shown == encode(subset)
        assert decode(shown) == sorted(subset)
    page.locator("#copy-code").click()
    page.wait_for_function("document.querySelector('#copy-code').textContent === '已复制'")
    context.close()
