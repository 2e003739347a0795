"""The evidence page in a real headless browser: it reads on a phone (390 px) and on a desktop."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from contact_notify.evidence import HEADERS, collect
from contact_notify.store import Case

from conftest import Run

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


NOTE = (
    "对方自称是某某金融信息服务有限公司的法务专员，语气非常凶，说如果三天内不还款就要上门，"
    "并且通知所有联系人和单位领导，还问我是不是借款人的担保人，我说不是他就一直骂人，打了十几分钟才挂"
)
ORG = "某某金融信息服务有限公司（自称受第三方委托催收）"
COLLECTORS = "170 1234 5678;133 1234 5678;0571 8888 6666;+852 9123 4567"
# What the collectors did, by the reach's place in its day: the 22:xx reaches are at night too.
DID = ["透露欠款、要求代还", "辱骂", "冒充公检法、P图/伪造律师函、威胁、骚扰单位、群发短信"]
# Where the browser tests leave their screenshots (CI keeps this folder as an artefact).
SCREENSHOTS = os.environ.get("CONTACT_NOTIFY_SCREENSHOTS", "")


@pytest.fixture
def evidence_page(reached_case: Run, case_path: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """An evidence page of 30 reaches over 13 days, each with four collector numbers, a long
    Chinese note and organisation, one with two evidence files in a long folder; and the
    phone numbers it shows (contacts' and collectors')."""
    sheet = tmp_path / "reaches.csv"
    names = ["王秀英", "李建国", "张伟", "刘芳", "陈静", "徐强", "周杰"]
    rows = [["target", "at", "channel", "by", "org", "note", "did"]]
    for day in range(12):
        for k in range(1 + day % 3):
            at = f"2026-11-{10 + day:02d} {8 + 7 * k:02d}:{(7 * day) % 60:02d}"
            rows.append([names[(day + k) % 7], at, "call", COLLECTORS, ORG, NOTE, DID[k]])
    with sheet.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    assert reached_case("mark", "--file", str(sheet)).exit_code == 0
    folder = tmp_path / "证据截图_2026年11月_催收电话录音和短信" / "screenshots"
    folder.mkdir(parents=True)
    shot = folder / "Screenshot_20261110_080012_com.android.incallui.png"
    shot.write_bytes(b"\x89PNG pretend screenshot")
    recording = tmp_path / "call_recording_20261110_080012.m4a"
    recording.write_bytes(b"pretend recording")
    assert reached_case("attach", "8", str(shot), str(recording)).exit_code == 0
    out = tmp_path / "evidence.html"
    assert reached_case("evidence", str(out)).exit_code == 0
    with Case.open(case_path) as case:
        evidence = collect(case)
    numbers = {e.phone for e in evidence.timeline} | {
        n for e in evidence.timeline for n in e.numbers
    }
    assert {"170 1234 5678", "0571 8888 6666", "+852 9123 4567", "138 0013 8000"} <= numbers
    return out, sorted(numbers)


def _open(browser: Browser, page_file: Path, width: int, height: int) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=width < 600
    )
    page = context.new_page()
    page.goto(page_file.as_uri())
    return page


# For each number: on how many lines each of its occurrences in the page's text is drawn.
LINES_OF_NUMBERS = """numbers => {
  const found = Object.fromEntries(numbers.map(n => [n, []]));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("svg")) continue;
    for (const number of numbers) {
      for (let at = node.data.indexOf(number); at >= 0; at = node.data.indexOf(number, at + 1)) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + number.length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        found[number].push(tops.size);
      }
    }
  }
  return found;
}"""

# Boxes of the chart and of every label in it.
CHART_BOXES = """() => {
  const svg = document.querySelector("svg");
  const box = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  return {svg: box(svg.getBoundingClientRect()),
          texts: [...svg.querySelectorAll("text")].map(t => box(t.getBoundingClientRect()))};
}"""


def _each_number_on_one_line(page: Page, numbers: list[str]) -> None:
    lines: dict[str, list[int]] = page.evaluate(LINES_OF_NUMBERS, numbers)
    for number in numbers:
        assert lines[number], f"{number} is not on the page"
        assert set(lines[number]) == {1}, f"{number} is drawn on {max(lines[number])} lines"


def _chart_labels_inside(page: Page) -> None:
    boxes = page.evaluate(CHART_BOXES)
    svg = boxes["svg"]
    assert len(boxes["texts"]) == 2 * 13  # a day and a count for each of the 13 days
    outside = [
        text
        for text in boxes["texts"]
        if text["left"] < svg["left"] - 0.5
        or text["top"] < svg["top"] - 0.5
        or text["right"] > svg["right"] + 0.5
        or text["bottom"] > svg["bottom"] + 0.5
    ]
    assert outside == [], f"labels cut off by the chart's edge {svg}"


# The text and box of every cell of a column (by its data-label), and of the flags table's rows.
CELLS_OF = """label => [...document.querySelectorAll(`td[data-label="${label}"]`)].map(c => {
  const b = c.getBoundingClientRect();
  return {text: c.textContent.trim(), left: b.left, right: b.right, height: b.height};
})"""


def _behaviours_and_flags_shown(page: Page, width: int) -> None:
    """Every reach shows what the collector did and its flags, on the screen and legible."""
    did = page.evaluate(CELLS_OF, "what the collector did")
    assert len(did) == 30
    assert {c["text"] for c in did} == {
        "",  # the examples' reaches, marked without --did
        "disclosed the debt, asked the contact to pay",
        "insulted",
        "threatened, impersonated police, a court, lawyers or officials, sent doctored images "
        "or fake legal letters, contacted the workplace, mass SMS to the contact list",
    }
    flags = page.evaluate(CELLS_OF, "rule flags")
    # The first reach of a day disclosed the debt; the third (22:xx) was at night.
    assert sorted({c["text"] for c in flags}) == [
        "",
        "contacted at night",
        "the debt disclosed to a third party",
    ]
    shown = [c for c in did + flags if c["text"]]
    assert all(c["left"] >= 0 and c["right"] <= width and c["height"] > 0 for c in shown)
    table = page.evaluate(CELLS_OF, "rule flag")
    assert len(table) == 12 + 4  # a disclosure on each of the 12 days, 4 days with a 22:xx reach
    assert all(c["left"] >= 0 and c["right"] <= width for c in table)


def _screenshot(page: Page, name: str) -> None:
    """The whole page as an image, kept where CI collects them (when it says where)."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=True)


def test_evidence_page_reads_on_a_phone(
    evidence_page: tuple[Path, list[str]], browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 390 px nothing widens the page, no phone number wraps, every chart label is drawn."""
    page_file, numbers = evidence_page
    monkeypatch.undo()  # lift the network guard: the browser talks to its driver locally
    page = _open(browser, page_file, 390, 844)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _each_number_on_one_line(page, numbers)
    _chart_labels_inside(page)
    svg = page.evaluate(CHART_BOXES)["svg"]
    assert svg["right"] <= 390
    # Every value of the timeline is on the screen, not beyond its right edge.
    cells = page.eval_on_selector_all(
        "td", "cells => cells.map(c => c.getBoundingClientRect()).map(r => [r.left, r.right])"
    )
    assert len(cells) >= 30 * len(HEADERS)
    assert [(left, right) for left, right in cells if left < 0 or right > 390] == []
    _behaviours_and_flags_shown(page, 390)
    _screenshot(page, "evidence-phone.png")
    page.context.close()


def test_evidence_page_is_a_table_on_a_desktop(
    evidence_page: tuple[Path, list[str]], browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1280 px the timeline is a table: one header row, each reach one row of aligned cells."""
    page_file, numbers = evidence_page
    monkeypatch.undo()  # lift the network guard: the browser talks to its driver locally
    page = _open(browser, page_file, 1280, 800)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    table = page.evaluate(
        """headers => {
          const table = [...document.querySelectorAll("table")].find(
            t => [...t.querySelectorAll("th")].map(th => th.textContent.trim()).join("|") === headers);
          const rows = [...table.querySelectorAll("tr")];
          return {display: getComputedStyle(table).display,
                  header: [...rows[0].querySelectorAll("th")].map(c => c.getBoundingClientRect().height > 0),
                  rows: rows.slice(1).map(r => [...r.cells].map(c => {
                    const b = c.getBoundingClientRect();
                    return [Math.round(b.left), Math.round(b.top), Math.round(b.width)];
                  }))};
        }""",
        "|".join(HEADERS),
    )
    assert table["display"] == "table"
    assert table["header"] == [True] * len(HEADERS)
    assert len(table["rows"]) == 30
    columns = [(left, width) for left, _, width in table["rows"][0]]
    for row in table["rows"]:
        assert len({top for _, top, _ in row}) == 1  # the cells of a reach side by side
        assert [(left, width) for left, _, width in row] == columns  # under their headers
    assert all(width >= 40 for _, width in columns)
    _each_number_on_one_line(page, numbers)
    _chart_labels_inside(page)
    _behaviours_and_flags_shown(page, 1280)
    _screenshot(page, "evidence-desktop.png")
    page.context.close()
