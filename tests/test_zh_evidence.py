"""The evidence kit, the send page, complaint errors and the demo speak the interface language."""

from __future__ import annotations

import csv
import gettext
import html
import io
import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from contact_notify import i18n
from contact_notify.complaints import load_complaint
from contact_notify.errors import UsageError
from contact_notify.evidence import Masker, collect, masked, parse_window, to_html, to_markdown
from contact_notify.messages import compose
from contact_notify.rules import RULES
from contact_notify.sendpage import render_page
from contact_notify.store import Case
from contact_notify.textsafe import markdown_cell
from language_check import chinese_runs, english_phrases

from conftest import Run

# Attributes a person reads or hears (a screen reader says aria-label; title shows on hover).
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class _Visible(HTMLParser):
    """The text a person sees or hears on a page: no tags, no script or style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: set[str] = set()
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    parser.close()
    # The send page's script shows the words of its JSON block ("Copied", the progress line).
    block = re.search(r'<script type="application/json" id="labels">(.*?)</script>', page, re.S)
    words = list(json.loads(block.group(1)).values()) if block else []
    return "\n".join([*parser.parts, *words])


def _without(text: str, values: Iterable[str]) -> str:
    """``text`` with every data value taken out (longest first, as written in each format)."""
    forms = {form for v in values if v for form in (v, markdown_cell(v), html.escape(v))}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, " · ")
    return text


@pytest.fixture
def kit_case(reached_case: Run, case_path: Path, tmp_path: Path) -> Run:
    """The examples reached, plus a night-time reach with an English organisation and note, one
    without a time, and an attached file in a Chinese folder that changed since."""
    folder = tmp_path / "证据 截图"
    folder.mkdir()
    shot = folder / "call_recording.m4a"
    shot.write_bytes(b"pretend recording")
    assert reached_case("mark", "王秀英", "--at", "2026-11-28 23:10", "--by", "17012345678",
                        "--org", "Quick Cash Ltd", "--note", "said he would come to her office",
                        ).exit_code == 0  # fmt: skip
    assert (
        reached_case("mark", "李建国", "--at", "2026-11-29", "--channel", "wechat").exit_code == 0
    )
    assert reached_case("attach", "7", str(shot)).exit_code == 0
    shot.write_bytes(b"changed afterwards")
    return reached_case


def _kit_data(case_path: Path, mask: bool = False) -> list[str]:
    """Every value the kit shows from the case: names, numbers, organisations, notes, files."""
    with Case.open(case_path) as case:
        evidence = collect(case)
        if mask:
            evidence = masked(evidence, Masker(case))
    values = [n for n, _count in evidence.summary.collectors]
    values += [rule.name for rule in RULES.values()]  # cited as published, in every language
    for e in evidence.timeline:
        values += [e.name, e.phone, e.org, e.note, *e.numbers]
        values += [v for f in e.files for v in (f.path, f.sha256)]
    return values


def _kit(run: Run, folder: Path, *options: str) -> dict[str, str]:
    """The kit written in the three formats: the text a person reads in each."""
    texts = {}
    for suffix in ("md", "csv", "html"):
        out = folder / f"kit.{suffix}"
        assert run("evidence", str(out), "--force", *options).exit_code == 0
        texts[suffix] = out.read_text(encoding="utf-8-sig")
    rows = csv.reader(io.StringIO(texts["csv"]))
    texts["csv"] = "\n".join(cell for row in rows for cell in row)
    texts["html"] = _visible(texts["html"])
    return texts


def test_chinese_kit_has_no_english_phrase(
    zh: None, kit_case: Run, case_path: Path, tmp_path: Path
) -> None:
    """In Chinese the kit's Markdown, CSV and HTML say nothing in English but the case's data."""
    texts = _kit(kit_case, tmp_path)
    data = _kit_data(case_path)
    for suffix, text in texts.items():
        assert english_phrases(_without(text, data)) == [], suffix
    assert "夜间" in texts["csv"]
    assert "已被改动" in texts["md"]
    assert '<html lang="zh-CN">' in (tmp_path / "kit.html").read_text(encoding="utf-8")


def test_english_kit_has_no_chinese(kit_case: Run, case_path: Path, tmp_path: Path) -> None:
    """In English the kit's Markdown, CSV and HTML hold no Chinese but the case's data."""
    texts = _kit(kit_case, tmp_path)
    data = _kit_data(case_path)
    for suffix, text in texts.items():
        assert chinese_runs(_without(text, data)) == [], suffix
    assert "(night)" in texts["csv"]
    assert '<html lang="en">' in (tmp_path / "kit.html").read_text(encoding="utf-8")


def test_mask_still_hides_contacts_in_chinese(
    zh: None, kit_case: Run, case_path: Path, tmp_path: Path
) -> None:
    """With --mask in Chinese no contact's number or full name is left, and no English phrase."""
    with Case.open(case_path) as case:
        contacts = [(s.name, p.e164 or p.raw) for s in case.contacts(reached=True)
                    for p in s.contact.phones]  # fmt: skip
    texts = _kit(kit_case, tmp_path, "--mask")
    for suffix, text in texts.items():
        for name, number in contacts:
            national = number.removeprefix("+86")
            assert name not in text, suffix
            assert national not in text.replace(" ", ""), suffix
        assert english_phrases(_without(text, _kit_data(case_path, mask=True))) == [], suffix
    assert "王**" in texts["html"]


def _page_data(case_path: Path, lang: str) -> list[str]:
    with Case.open(case_path) as case:
        messages = compose(case, "小林", lang=lang, include_sent=True)
    return [v for m in messages for v in (m.name, m.phone, m.body.rstrip("\n"))]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chinese_send_page_has_no_english_phrase(
    zh: None, reached_case: Run, case_path: Path, tmp_path: Path, lang: str
) -> None:
    """In Chinese the send page's words are Chinese, whatever the language of the messages."""
    out = tmp_path / "send.html"
    assert reached_case("export", str(out), "--lang", lang).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert english_phrases(_without(_visible(page), _page_data(case_path, lang))) == []
    assert '<html lang="zh-CN">' in page
    assert f'<pre class="body" lang="{"zh-CN" if lang == "zh" else "en"}">' in page


def test_english_send_page_has_no_chinese(
    reached_case: Run, case_path: Path, tmp_path: Path
) -> None:
    """In English the send page's words hold no Chinese, even around Chinese messages."""
    out = tmp_path / "send.html"
    assert reached_case("export", str(out), "--lang", "zh").exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert chinese_runs(_without(_visible(page), _page_data(case_path, "zh"))) == []
    assert '<html lang="en">' in page
    assert "Family (elders) (2)" in page


class _Hostile(gettext.NullTranslations):
    """A catalog whose every translation tries to add markup."""

    TAIL = '<img src=x onerror="alert(1)"> *[x](javascript:y)* </script>'

    def gettext(self, message: str) -> str:
        return message + self.TAIL

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return (singular if n == 1 else plural) + self.TAIL


def test_a_translation_cannot_add_markup(reached_case: Run, case_path: Path) -> None:
    """Translations go through the same escaping as data: no tag, link or emphasis gets in."""
    with Case.open(case_path) as case:
        evidence = collect(case)
        messages = compose(case, "小林", include_sent=True)
    i18n.reset("zh")
    i18n._State.catalog = _Hostile()
    pages = {"evidence": to_html(evidence), "send": render_page(messages, "zh")}
    markdown = to_markdown(evidence)
    for name, page in pages.items():
        parser = _Visible()
        parser.feed(page)
        assert "img" not in parser.tags, name
        assert "<img" in _visible(page), name  # the words are there, as text
        assert page.count("</script>") == page.count("<script"), name
    assert re.search(r"(?<!\\)[<*\[]", markdown) is None  # every one escaped
    assert "\\<img" in markdown
    assert "\\*\\[x\\](javascript:y)\\*" in markdown


def test_evidence_and_complaint_errors_in_chinese(zh: None) -> None:
    """A bad --night window and an unknown complaint kind are explained in Chinese."""
    for call in (lambda: parse_window("25:00-1"), lambda: load_complaint("bank", "zh")):
        with pytest.raises(UsageError) as caught:
            call()
        said = f"{caught.value.message}\n{caught.value.hint}"
        assert english_phrases(said) == [], said
        assert chinese_runs(said)


def test_demo_narration_in_chinese(zh: None, cli: Run, tmp_path: Path) -> None:
    """In Chinese the demo's narration says nothing in English but the examples' data."""
    from contact_notify.demo import run

    result = cli("demo")
    assert result.exit_code == 0, result.output
    shown = run(tmp_path).messages
    data = [v for m in shown for v in (m.name, m.phone, m.body.rstrip("\n"), m.template)]
    assert english_phrases(_without(result.output, data)) == []
    assert "$ contact-notify import examples/contacts.vcf" in result.output
