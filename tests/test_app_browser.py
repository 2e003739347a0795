"""The local app in a real headless Chromium: the whole job through the browser, then the CLI's
status on the same case; hostile names stay text; screenshots at phone and desktop widths."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from contact_notify.actions.session import Session
from contact_notify.web.server import Running, start

from conftest import EXAMPLES, ROOT, Run

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Where the screenshots go: CI keeps this folder as its artefacts (README, "For developers").
SCREENSHOTS = Path(os.environ.get("CONTACT_NOTIFY_SCREENSHOTS", ROOT / "build" / "screenshots"))
WIDTHS = (390, 1280)

# What a mother, a colleague and a friend forwarded: three contacts' numbers, a collector's.
CHAT = (
    "妈妈：今天下午有个 170 9999 8888 打到我手机 138 0013 8000 上，说你欠钱不还，还威胁要上门。\n"
    "张伟（135-0000-1111）：刚才有人打我电话找你，我没理。\n"
    "刘芳：+86 150 1234 5678 这个号码也接到了，说要起诉你。\n"
)
EDITED = (
    "刘芳，不好意思又打扰你：催收的电话是冲我来的，跟你没关系，不用理，直接拉黑就好。谢谢你！——小林"
)


@pytest.fixture
def app(case_path: Path) -> Iterator[Running]:
    """`contact-notify app` on the test's case, on a free loopback port, stopped at the end."""
    running = start(Session(case_path), port=0, idle_minutes=10)
    yield running
    running.stop()


def _base(running: Running) -> str:
    return running.url.split("/?token=")[0]


def _shoot(page: Page, name: str) -> None:
    """Screenshots of the page at a phone's and a desktop's width, for CI's artefacts."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"app-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_whole_job_in_the_browser(
    app: Running, browser: Browser, cli: Run, case_path: Path, tmp_path: Path, zh: None
) -> None:
    """Start, import both examples, mark from pasted chat, fix a salutation, edit a message,
    press "sent" twice, download the CSV, read the evidence: the CLI's status agrees."""
    base = _base(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))

    from playwright.sync_api import expect

    page.goto(app.url)
    assert page.url == f"{base}/"  # the token left the address bar for a cookie
    assert page.locator("h1").inner_text() == "告诉被催收找过的亲友：这笔债与他们无关"
    page.click("#new-case")
    page.fill("input[name=sender]", "小林")
    page.click("#save-sender")
    assert page.locator(".notice").inner_text() == "已保存。"
    _shoot(page, "start")

    page.click("nav a[href='/import']")
    page.set_input_files(
        "input[name=files]", [str(EXAMPLES / "contacts.vcf"), str(EXAMPLES / "contacts.csv")]
    )
    page.click("button[value=preview]")
    # An assertion that waits for the page the click brings (reading at once raced its load).
    expect(page.locator("section.result h3")).to_have_text(["contacts.vcf", "contacts.csv"])
    first = page.locator("table.inspect").first
    assert first.locator("tbody tr").first.inner_text().split("\t")[:3] == [
        "1",
        "王秀英",
        "+8613800138000",
    ]
    notes = page.locator("ul.notes").first.inner_text()
    assert notes == "contacts.vcf：33 张名片，33 位联系人，编码：utf-8"  # as the command line says
    assert page.locator("#status").inner_text().startswith("联系人：0")  # nothing saved yet
    _shoot(page, "import-preview")
    page.click("#import-confirm")
    expect(page.locator("#status")).to_contain_text("联系人：33")
    summary = page.locator("section.result pre").inner_text()
    assert "contacts.vcf" in summary
    assert "contacts.csv" in summary
    assert page.locator("#status").inner_text().startswith("联系人：33")
    _shoot(page, "import")

    page.click("nav a[href='/reached']")
    page.fill("textarea[name=text]", CHAT)
    page.click("button[value=preview]")
    expect(page.locator("#mark-result h2")).to_have_text("会记下这些（现在还没有保存）")
    assert page.locator("#status").inner_text().startswith("联系人：33 · 被催收联系过：0")
    page.check("input[name=accept]")
    page.click("#record")
    expect(page.locator("#mark-result h2")).to_have_text("已记录")  # the preview's heading before
    recorded = page.locator("#mark-result").inner_text()
    assert all(name in recorded for name in ("王秀英", "张伟", "刘芳"))
    assert "170 9999 8888" in recorded  # a number of nobody: probably the collector's
    assert page.locator("textarea[name=text]").input_value() == ""  # not recorded twice
    _shoot(page, "reached")

    page.click("nav a[href='/people']")
    row = page.locator("tr", has_text="王秀英")
    row.locator("input[name=salutation]").fill("妈妈")
    row.locator("button").click()
    expect(page.locator(".notice")).to_have_text("已保存：王秀英")
    assert page.locator("tr", has_text="王秀英").locator("input").last.input_value() == "妈妈"
    _shoot(page, "people")

    page.click("nav a[href='/messages']")
    mother = page.locator("article.message", has_text="王秀英").locator("textarea").input_value()
    assert mother.startswith("妈妈")  # the salutation just set
    friend = page.locator("article.message", has_text="刘芳")
    friend.locator("textarea").fill(EDITED)
    friend.locator("button").click()
    expect(page.locator(".notice")).to_have_text("已保存：刘芳")
    edited = page.locator("article.message", has_text="刘芳")
    assert edited.locator(".tag").inner_text() == "已修改"
    assert edited.locator("textarea").input_value() == EDITED
    _shoot(page, "messages")

    page.click("nav a[href='/send']")
    assert page.locator("#progress").inner_text() == "已发送 0 人，共 3 人"
    for img in page.locator("img.qr").all():
        img.scroll_into_view_if_needed()
        assert img.evaluate("async i => { await i.decode(); return i.naturalWidth; }") > 0
    _shoot(page, "send")
    for name in ("王秀英", "张伟"):
        page.locator("article.send", has_text=name).locator("button.sent").click()
    expect(page.locator("#progress")).to_have_text("已发送 2 人，共 3 人")
    expect(page.locator("article.send h2")).to_have_text(["刘芳 150 1234 5678"])
    with page.expect_download() as download:
        page.click("button[value=csv]")
    saved = tmp_path / "download.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [(r["name"], r["message"]) for r in rows] == [("刘芳", EDITED)]

    page.click("nav a[href='/evidence']")
    timeline = page.locator("#timeline").inner_text()
    assert all(name in timeline for name in ("王秀英", "张伟", "刘芳"))
    _shoot(page, "evidence")

    assert dialogs == []
    assert elsewhere == []
    context.close()

    status = cli("status").output.splitlines()
    assert status[1:] == [
        "联系人：         33",
        "  没有有效号码： 1",
        "被催收联系过：   3",
        status[4],  # reach records and the latest one's time (the clock's)
        "已发送：         2",
        "待通知：         1",
        "  已导出、未记为已发送：  1",
        "  发消息后又被联系：      0",
    ]
    # No time was given: today's date alone (no time of day, so never a call "at night").
    assert re.fullmatch(
        r"  联系记录：     3，最近一次 \d{4}-\d\d-\d\d (王秀英|张伟|刘芳)", status[4]
    )


HOSTILE = '<script>alert("x")</script>'
HOSTILE_2 = '"><img src=x onerror=alert(2)>'


def test_hostile_names_run_no_script(
    app: Running, browser: Browser, cli: Run, tmp_path: Path
) -> None:
    """Names that are markup show as text on every page and no script ever runs."""
    vcf = tmp_path / "hostile.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{HOSTILE}\r\nTEL;TYPE=CELL:13800138000\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{HOSTILE_2}\r\nTEL;TYPE=CELL:13900001111\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    assert cli("import", str(vcf)).exit_code == 0
    assert cli("mark", "13800138000", "13900001111", "--note", HOSTILE).exit_code == 0
    assert cli("config", "sender", HOSTILE_2).exit_code == 0
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app.url)
    base = _base(app)
    for path in ("/", "/reached", "/people", "/messages", "/send", "/evidence"):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.locator("img[src=x]").count() == 0, path
        assert page.locator("script:not([src])").count() == 0, path
        if path in ("/reached", "/people", "/send"):
            assert HOSTILE in page.locator("main").inner_text(), path
    assert dialogs == []
    context.close()
