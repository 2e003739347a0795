"""Hostile values in every output: each format is parsed back with a real parser for that format.

One corpus of hostile values (line breaks, quotes, separators, backslashes, control and escape
characters, bidi overrides, markup, Markdown table breakers, formula starters, template syntax,
very long text, emoji and CJK) goes into names, families, phone labels, groups, organisations,
reach notes and e-mail addresses through the real readers (a CSV contact file and a `mark
--file` CSV), then out through every format: the export CSV, `contacts --format csv`, the vCard
export (vobject), e-mail drafts (Python's email package), the send page and the evidence page
(html.parser), the evidence Markdown (markdown-it-py, CommonMark with tables), the evidence CSV,
the complaint drafts (plain text: one line per value), the e-mail drafts' file names, and the
terminal (`contacts`, `mark`, `history`, `preview`, `contact`).
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner, Result

from contact_notify.cli import app
from contact_notify.csvsafe import protect, unprotect
from contact_notify.evidence import HEADERS, collect
from contact_notify.messages import Message, compose
from contact_notify.store import Case

from conftest import Run
from readers_helpers import read_bytes

# --- the corpus ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """A hostile value, and how one line of terminal text shows it (when that differs).

    ``shown`` is written by hand: control characters, line breaks and bidi controls as escapes.
    ``rendered`` is the text a Markdown table cell renders to, when it differs from ``shown``
    (line breaks become spaces there).
    """

    key: str
    value: str
    shown: str | None = None
    rendered: str | None = None

    @property
    def stored(self) -> str:
        """The value as the CSV reader keeps it (it trims every cell, as documented)."""
        return self.value.strip()

    @property
    def terminal(self) -> str:
        """The stored value as one terminal line shows it."""
        return self.shown if self.shown is not None else self.stored

    @property
    def markdown(self) -> str:
        """The stored value as a rendered Markdown cell reads."""
        return self.rendered if self.rendered is not None else self.terminal


CORPUS = [
    Hostile(
        "crlf", "Li\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Injected",
        "Li\\r\\nEND:VCARD\\r\\nBEGIN:VCARD\\r\\nFN:Injected", "Li END:VCARD BEGIN:VCARD FN:Injected",
    ),
    Hostile("cr", "Chen\r=cmd|' /C calc'!A0", "Chen\\r=cmd|' /C calc'!A0", "Chen =cmd|' /C calc'!A0"),
    Hostile("lf", "two\nlines", "two\\nlines", "two lines"),
    Hostile("inner_formula", "ok\n=cmd|' /C calc'!A0", "ok\\n=cmd|' /C calc'!A0", "ok =cmd|' /C calc'!A0"),
    Hostile("quotes", "Say \"hi\" 'there'"),
    Hostile("separators", "Li, Wei; Jr."),
    Hostile("backslash", "back\\slash\\"),
    Hostile("csi", "Zhang\x1b[2J\x1b[31mred", "Zhang\\x1b[2J\\x1b[31mred"),
    Hostile("osc", "Title\x1b]2;pwned\x07", "Title\\x1b]2;pwned\\x07"),
    Hostile("c1", "c1\x9b31m\x85next", "c1\\x9b31m\\x85next"),
    Hostile("nul", "nul\x00byte", "nul\\x00byte"),
    Hostile("bidi", "\u202eexe.txt\u202c", "\\u202eexe.txt\\u202c"),
    Hostile("isolate", "\u2066abc\u2069 \u2067def\u2069", "\\u2066abc\\u2069 \\u2067def\\u2069"),
    Hostile("lrm", "Li\u200e Wei", "Li\\u200e Wei"),
    Hostile("rlm", "\u200f139 1234\u200f-5678", "\\u200f139 1234\\u200f-5678"),
    Hostile("alm", "\u061cWang\u061c", "\\u061cWang\\u061c"),
    Hostile("script", "<script>alert(1)</script>"),
    Hostile("img", "<img src=x onerror=alert(1)>"),
    Hostile("md_pipes", "a | b | c"),
    Hostile("md_row", "| --- | --- |"),
    Hostile("md_link", "[click](javascript:alert(1))"),
    Hostile("md_image", "![x](http://evil.example/x.png)"),
    Hostile("md_inline", "`rm -rf` **bold** _it_ ~~gone~~"),
    Hostile("md_heading", "# heading"),
    Hostile("md_list", "- item"),
    Hostile("md_ordered", "1. item"),
    Hostile("md_quote", "> quote"),
    Hostile("entities", "&lt;b&gt; &amp; &#124;"),
    Hostile("formula_eq", '=HYPERLINK("http://x","y")'),
    Hostile("formula_plus", "+86 boss"),
    Hostile("formula_minus", "-2+3"),
    Hostile("formula_at", "@SUM(1)"),
    Hostile("formula_tab", "\t=1+1"),
    Hostile("formula_cr", "\r=1+1"),
    Hostile("jinja_expr", "{{ 7*7 }}"),
    Hostile("jinja_stmt", "{% for x in range(9) %}x{% endfor %}"),
    Hostile("long", "长" * 3000 + "end"),
    Hostile("long_latin", "Wang " * 500 + "end"),
    Hostile("emoji_cjk", "王😀秀英 𠀀"),
]  # fmt: skip
# E-mail addresses: hostile, and each either written as one recipient or skipped with a reason.
ADDRESSES = [
    "li+tag@example.com",
    "=cmd@example.com",
    "ok@example.com\r\nBcc: evil@example.com",
    "one@example.com, two@example.com",
    '"li wei"@example.com',
    "王@例子.中国",
]
FIELDS = ("name", "family", "label", "group", "org")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a terminal line must never carry raw: C0 (line feed aside), DEL, C1, the Unicode
# line separators and the bidi controls and marks.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)
# Control characters a vCard value cannot carry (tab and line feed it can, LF as \n).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Every line break a reader might split on (str.splitlines included).
BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _has_controls(text: str) -> bool:
    return RAW.search(text) is not None or "\n" in text


def _number(n: int) -> str:
    return f"1380013{n:04d}"


@dataclass
class Row:
    """One row of the contact file: which hostile value went into which field."""

    hostile: Hostile | None
    field: str
    number: str
    line: int
    email: str
    day: str = ""  # the day of its reach


@dataclass
class Built:
    """The corpus case, with what the files held and what the commands printed."""

    folder: Path
    run: Callable[..., Result]
    rows: list[Row]
    imported: Result
    marked: Result
    contacts: dict[str, dict[str, object]] = field(default_factory=dict)  # by number

    def by_number(self, number: str) -> dict[str, object]:
        """The contact (as ``contacts --format json`` gives it) holding a national number."""
        return self.contacts["+86" + number]

    def rows_of(self, fld: str) -> list[Row]:
        """The rows (imported) whose hostile value went into this field."""
        return [r for r in self.kept if r.field == fld and r.hostile is not None]

    @property
    def kept(self) -> list[Row]:
        """The rows the reader imported (all of them, unless one was rejected and reported)."""
        return [r for r in self.rows if "+86" + r.number in self.contacts]


def _runner(case: Path) -> Callable[..., Result]:
    """Run the CLI in-process as on a terminal: colour on, so click strips no escape sequence."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        env = {"CONTACT_NOTIFY_CASE": str(case), "COLUMNS": "100"}
        return runner.invoke(app, list(args), env=env, color=True)

    return run


def _contact_file(rows: list[Row]) -> str:
    """A Google-style contact CSV (written with Python's csv module, as a spreadsheet would).

    Sets each row's line: where it starts, counting CR, LF and CRLF as line ends like the reader.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "Name", "Family Name", "Group Membership", "Phone 1 - Type", "Phone 1 - Value",
            "E-mail 1 - Value", "Organization 1 - Name",
        ]
    )  # fmt: skip
    for n, r in enumerate(rows):
        value = r.hostile.value if r.hostile else ""

        def put(fld: str, default: str, value: str = value, r: Row = r) -> str:
            return value if r.field == fld else default

        r.line = 1 + len(re.findall(r"\r\n|\r|\n", buffer.getvalue()))
        writer.writerow(
            [
                put("name", f"P{n}"), put("family", ""), put("group", "Friends"),
                put("label", "Mobile"), r.number, r.email, put("org", ""),
            ]
        )  # fmt: skip
    return buffer.getvalue()


def _reach_file(rows: list[Row]) -> str:
    """A `mark --file` CSV: each contact reached once, the note its row's value, the org the next."""
    buffer = io.StringIO(newline="")
    buffer.write("phone,at,channel,org,note\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for n, r in enumerate(rows):
        note = r.hostile.value if r.hostile else ""
        org = CORPUS[(CORPUS.index(r.hostile) + 1) % len(CORPUS)].value if r.hostile else ""
        r.day = f"2025-11-{1 + n // 20:02d}"
        at = f"{r.day} {2 + n % 20:02d}:15"
        writer.writerow([r.number, at, "call", org, note])
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The corpus imported from a CSV contact file, every contact marked from a CSV with notes."""
    folder = tmp_path_factory.mktemp("hostile")
    rows: list[Row] = []
    for hostile in CORPUS:
        for fld in FIELDS:
            n = len(rows)
            # Drafts for names only, and none for the long Chinese name: Python's e-mail header
            # folding takes about 2 ms per CJK character (6 s for this one).
            drafted = fld == "name" and hostile.key != "long"
            address = f"p{n}@example.com" if drafted else ""
            rows.append(Row(hostile, fld, _number(n), 0, address))
    for address in ADDRESSES:
        rows.append(Row(None, "email", _number(len(rows)), 0, address))
    (folder / "people.csv").write_text(_contact_file(rows), encoding="utf-8", newline="")
    (folder / "reaches.csv").write_text(_reach_file(rows), encoding="utf-8", newline="")
    run = _runner(folder / "case.sqlite3")
    imported = run("import", str(folder / "people.csv"))
    assert imported.exit_code == 0, imported.output
    marked = run("mark", "--file", str(folder / "reaches.csv"))
    assert marked.exit_code == 0, marked.output
    assert run("config", "sender", "小林").exit_code == 0
    assert run("config", "sender-contact", "lin@example.com").exit_code == 0
    listing = json.loads(run("contacts", "--format", "json").stdout)
    result = Built(folder, run, rows, imported, marked)
    for c in listing:
        for phone in c["phones"]:
            result.contacts[phone["e164"]] = c
    return result


def _compose(built: Built, channel: str) -> dict[int, Message]:
    """The messages an export writes, by contact id, from the case itself."""
    with Case.open(built.folder / "case.sqlite3") as case:
        return {m.contact_id: m for m in compose(case, "小林", channel=channel, include_sent=True)}


def _reach_notes(built: Built) -> dict[int, tuple[str, str]]:
    """Each contact's reach (note, organisation), as the case keeps them."""
    with Case.open(built.folder / "case.sqlite3") as case:
        return {r.contact_id: (r.note, r.org) for r in case.reaches()}


def _text(path: Path) -> str:
    """A file's text exactly (no newline translation: a lone CR stays a CR)."""
    return path.read_bytes().decode("utf-8")


def _no_formula_line(text: str) -> list[str]:
    """Lines (split on every line break, quotes ignored) that start like a formula."""
    starts = []
    for piece in BREAKS.split(text.lstrip("\ufeff")):
        first = piece[1:] if piece.startswith('"') else piece
        if first[:1] in FORMULA_STARTS:
            starts.append(piece[:40])
    return starts


# --- getting the values in -----------------------------------------------------------------------


def test_corpus_import_keeps_or_reports_every_value(built: Built) -> None:
    """Every row is imported with its value (trimmed, as the reader documents) or reported by line."""
    for r in built.rows:
        if r not in built.kept:
            assert f"people.csv:{r.line}:" in built.imported.stderr, (r.hostile, r.field)
            continue
        c = built.by_number(r.number)
        if r.field == "name" and r.hostile:
            assert c["name"] == r.hostile.stored
        elif r.field == "family" and r.hostile:
            assert c["family"] == r.hostile.stored
        elif r.field == "org" and r.hostile:
            assert c["org"] == r.hostile.stored
        elif r.field == "label" and r.hostile:
            [phone] = c["phones"]  # type: ignore[misc]
            assert phone["label"].casefold() == r.hostile.stored.casefold().lstrip("* ")
        elif r.field == "group" and r.hostile:
            assert c["groups"], r.hostile.key  # split on ';' as Google does, never dropped
    assert built.marked.stdout.count("marked: ") == len(built.kept)


# --- CSV -----------------------------------------------------------------------------------------


def test_corpus_export_csv_parses_back_exactly(built: Built) -> None:
    """The export CSV reads back (csv module, then unprotect) to the case's names and messages."""
    out = built.folder / "out.csv"
    columns = "name,phone,message,template,channel,subject,email,parts,reason,contact_id"
    result = built.run("export", str(out), "--all", "--force", "--columns", columns)
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    messages = _compose(built, "sms")
    assert rows[0] == columns.split(",")
    assert len(rows) == 1 + len(messages) == 1 + len(built.kept)
    for row in rows[1:]:
        cells = dict(zip(rows[0], (unprotect(c) for c in row), strict=True))
        m = messages[int(cells["contact_id"])]
        assert (cells["name"], cells["message"], cells["email"]) == (
            m.name,
            m.body.rstrip("\n"),
            m.email,
        )
        assert cells["phone"] == m.phone.removeprefix("+86")
        if "{{" in m.name or "{%" in m.name:  # template syntax in a name is text, never run
            assert cells["message"].startswith(m.name + "，")
    assert _no_formula_line(text) == []


def test_corpus_contacts_csv_parses_back(built: Built) -> None:
    """`contacts --format csv` parses to one row per contact, values shown visibly, no formula line."""
    result = built.run("contacts", "--format", "csv")
    assert result.exit_code == 0
    text = result.stdout_bytes.decode("utf-8")
    assert RAW.search(text.replace("\r\n", "\n")) is None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(built.kept)
    assert all(len(row) == 6 for row in rows)
    names = {unprotect(row[2]).removeprefix("+86"): unprotect(row[1]) for row in rows[1:]}
    for r in built.rows_of("name"):
        assert r.hostile is not None
        assert names[r.number] == r.hostile.terminal
    assert _no_formula_line(text) == []


def test_corpus_evidence_csv_parses_back_exactly(built: Built) -> None:
    """The evidence CSV reads back to the case's names, notes and organisations; no formula line."""
    out = built.folder / "evidence.csv"
    assert built.run("evidence", str(out), "--force").exit_code == 0
    text = _text(out)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 1 + len(built.kept)
    notes = _reach_notes(built)
    for row in rows[1:]:
        _time, name, number, _channel, _by, org, note, _did, _flags, _files = (
            unprotect(c) for c in row
        )
        c = built.by_number(number.replace(" ", ""))
        assert name == c["name"]
        assert (note, org) == notes[int(str(c["id"]))]
    assert _no_formula_line(text) == []


@pytest.mark.parametrize(
    "cell",
    [
        "=1",
        "a\r=cmd",
        "a\n+1",
        "a\r\n-1",
        "a\n'=x",
        "\r\r=x",
        "x\u2028@y",
        "a\x85\t=b",
        "plain\nline",
    ],
)
def test_protect_covers_every_line_and_unprotect_undoes_it(cell: str) -> None:
    """Each line of a protected cell starts safely; unprotect gives the cell back exactly."""
    protected = protect(cell)
    assert _no_formula_line(protected) == []
    assert unprotect(protected) == cell


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=4), min_size=1, max_size=5))
def test_write_csv_round_trips_any_cells(rows: list[list[str]]) -> None:
    """Any cells written by the one CSV writer read back exactly through csv and unprotect."""
    from contact_notify.csvsafe import write_csv

    text = write_csv(rows)
    assert text.endswith("\r\n")
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert [[unprotect(c) for c in row] for row in back] == rows
    assert _no_formula_line(text) == []


# --- vCard ---------------------------------------------------------------------------------------


def _fn(card: vobject.base.Component) -> str:
    value = card.fn.value
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def test_corpus_vcard_has_one_card_per_contact_and_keeps_every_number(built: Built) -> None:
    """vobject reads one card per contact, every number, and the names, labels, groups, org back."""
    out = built.folder / "reached.vcf"
    assert built.run("export", str(out), "--all", "--force").exit_code == 0
    text = _text(out)
    cards = list(vobject.readComponents(text))
    assert len(cards) == len(built.kept)
    seen = set()
    for card in cards:
        [tel] = card.contents["tel"]
        c = built.contacts[tel.value]
        seen.add(tel.value)
        assert _fn(card) == c["name"]
        [phone] = c["phones"]  # type: ignore[misc]
        labels = {x.group: x.value for x in card.contents.get("x-ablabel", [])}
        if tel.group:  # a label that is no vCard type: an X-ABLabel next to the number
            assert tel.params["TYPE"] == ["VOICE"]
            if not _has_controls(phone["label"]):
                assert labels[tel.group] == phone["label"]
            else:
                assert CONTROL.search(labels[tel.group]) is None
        else:
            assert phone["label"] == "mobile"
            assert tel.params["TYPE"] == ["CELL"]
        categories = card.categories.value
        assert categories[-1] == "contact-notify"
        assert all(CONTROL.search(g) is None for g in categories)
        if not any(_has_controls(g) for g in c["groups"]):  # type: ignore[attr-defined]
            assert categories[:-1] == c["groups"]
        if c["org"] and not _has_controls(str(c["org"])):
            assert card.org.value == [c["org"]]
        if not _has_controls(str(c["family"])):
            assert card.n.value.family == c["family"]
    assert seen == set(built.contacts)
    assert "Injected" not in {_fn(card) for card in cards}
    # The project's own reader finds the same contacts, names and numbers, and no problem.
    contacts, read = read_bytes(out.read_bytes(), "reached.vcf")
    assert read.issues == []
    assert sorted((c.name, c.phones[0].raw) for c in contacts) == sorted(
        (str(c["name"]), e164) for e164, c in built.contacts.items()
    )


# --- e-mail --------------------------------------------------------------------------------------


def test_corpus_email_drafts_keep_their_headers(built: Built) -> None:
    """Each .eml parses with one To (one address), no added header; an unusable address is skipped."""
    folder = built.folder / "drafts"
    result = built.run("export", str(folder), "--all", "--force")
    assert result.exit_code == 0, result.output
    everyone = _compose(built, "email")
    messages = {m.email: m for m in everyone.values() if m.email}
    written = set()
    for path in sorted(folder.iterdir()):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        assert sorted(parsed.keys()) == sorted(
            ["To", "From", "Subject", "X-Unsent", "Content-Type", "Content-Transfer-Encoding",
             "MIME-Version"]
        )  # fmt: skip
        [to] = parsed.get_all("To")
        [address] = to.addresses
        m = messages[address.addr_spec]
        written.add(address.addr_spec)
        assert "\n" not in address.display_name
        assert "\r" not in address.display_name
        if not _has_controls(m.name):
            # Python's parser keeps a space between the encoded words of a folded long name.
            folded = len(m.name) > 40
            assert address.display_name.replace(" " if folded else "", "") == m.name.replace(
                " " if folded else "", ""
            )
        # Mail has only CRLF line ends: a CR or LF of the body comes back as a line end.
        assert BREAKS.sub("\n", parsed.get_content()) == BREAKS.sub("\n", m.body)
        assert parsed["X-Unsent"] == "1"
    skipped = [text for text in result.stderr.splitlines() if text.startswith("skipped: ")]
    assert len(written) + len(skipped) == len(everyone)
    unusable = set(messages) - written
    assert "ok@example.com\r\nBcc: evil@example.com" in unusable
    for address in unusable:  # each one reported, naming the contact and the address
        assert f"skipped: {messages[address].name}: the e-mail address " in result.stderr


# --- HTML ----------------------------------------------------------------------------------------


class _Html(HTMLParser):
    """Every element and attribute of a page, and the text of chosen elements."""

    def __init__(self, collect: Callable[[str, dict[str, str | None]], str | None]) -> None:
        super().__init__(convert_charrefs=True)
        self.collect = collect
        self.tags: list[str] = []
        self.attributes: set[str] = set()
        self.texts: list[tuple[str, str]] = []
        self.open: list[tuple[str, list[str]]] = []
        self.elements: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes |= {name for name, _ in attrs}
        self.elements.append({"tag": tag, **dict(attrs)})
        key = self.collect(tag, dict(attrs))
        if key is not None:
            self.open.append((key, []))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0].split(":")[0] == tag:
            key, parts = self.open.pop()
            self.texts.append((key, "".join(parts)))

    def handle_data(self, data: str) -> None:
        for _, parts in self.open:
            parts.append(data)


def _parsed(text: str, collect: Callable[[str, dict[str, str | None]], str | None]) -> _Html:
    parser = _Html(collect)
    parser.feed(text)
    parser.close()
    return parser


def test_corpus_send_page_has_no_injected_markup(built: Built) -> None:
    """html.parser finds only the page's own elements and attributes; every value reads back whole."""
    out = built.folder / "send.html"
    assert built.run("export", str(out), "--all", "--force").exit_code == 0
    page = _parsed(
        _text(out),
        lambda tag, attrs: "pre" if attrs.get("class") == "body" else None,
    )
    own = {"html", "head", "meta", "title", "style", "body", "header", "h1", "input", "p", "main",
           "section", "h2", "article", "h3", "span", "pre", "div", "a", "button", "label", "script",
           "code"}  # fmt: skip
    assert set(page.tags) <= own
    assert not {a for a in page.attributes if a.startswith("on")}
    assert page.tags.count("script") == 2
    assert page.tags.count("img") == 0
    messages = _compose(built, "sms")
    cards = [e for e in page.elements if e["tag"] == "article"]
    links = [e for e in page.elements if e["tag"] == "a"]
    bodies = [text for key, text in page.texts if key.startswith("pre")]
    assert len(cards) == len(links) == len(bodies) == len(messages)
    by_id = {m.contact_id: m for m in messages.values()}
    for card, link, body in zip(cards, links, bodies, strict=True):
        m = by_id[int(str(card["data-id"]).split("-")[0])]
        assert str(card["data-search"]).startswith(m.name + " " + m.phone)
        assert body == m.body.rstrip("\n")
        assert unquote(str(link["href"]).split("body=", 1)[1]) == m.body.rstrip("\n")


def test_corpus_evidence_html_has_no_injected_markup(built: Built) -> None:
    """The evidence page holds only its own elements; names and notes read back whole."""
    out = built.folder / "evidence.html"
    assert built.run("evidence", str(out), "--force").exit_code == 0
    page = _parsed(
        _text(out),
        lambda tag, attrs: f"td:{attrs.get('data-label')}" if tag == "td" else None,
    )
    own = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "ul", "li", "svg",
           "text", "rect", "table", "thead", "tbody", "tr", "th", "td", "span", "div"}  # fmt: skip
    assert set(page.tags) <= own
    assert page.attributes <= {"lang", "charset", "http-equiv", "content", "name", "xmlns", "role",
                               "class", "viewbox", "width", "height", "aria-label", "x", "y",
                               "font-size", "fill", "scope", "data-label"}  # fmt: skip
    cells = [(key.split(":", 1)[1], text) for key, text in page.texts if key.startswith("td:")]
    names = [text for label, text in cells if label == "contact"]
    notes = [text for label, text in cells if label == "note"]
    assert len(names) == len(notes) == len(built.kept)
    assert sorted(names) == sorted(str(c["name"]) for c in built.contacts.values())
    assert sorted(notes) == sorted(note for note, _ in _reach_notes(built).values())


# --- Markdown ------------------------------------------------------------------------------------


def _markdown_html(text: str) -> str:
    """The evidence Markdown as a CommonMark renderer with GitHub tables makes it (raw HTML on)."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


def test_corpus_evidence_markdown_renders_every_value_as_text(built: Built) -> None:
    """Rendered, the Markdown has only tables, lists and headings; one row per reach; names as text."""
    out = built.folder / "evidence.md"
    assert built.run("evidence", str(out), "--force").exit_code == 0
    rendered = _markdown_html(_text(out))
    page = _parsed(rendered, lambda tag, attrs: "td" if tag == "td" else None)
    assert set(page.tags) <= {
        "h1",
        "h2",
        "h3",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    assert page.attributes == set()
    cells = [text for _, text in page.texts]
    assert all(RAW.search(c) is None for c in cells)
    reaches, days = len(built.kept), len({r.day for r in built.kept})
    with Case.open(built.folder / "case.sqlite3") as case:
        flags = len(collect(case).flags)
    # timeline, collectors, days, and the rule flags (a table only when there are some)
    assert page.tags.count("tr") == (1 + reaches) + 1 + (1 + days) + (1 + flags if flags else 0)
    width = len(HEADERS)
    timeline = [
        cells[i : i + width] for i in range(len(cells) - width * reaches, len(cells), width)
    ]
    by_number = {row[2].replace(" ", ""): row for row in timeline}
    for r in built.rows_of("name"):
        assert r.hostile is not None
        assert by_number[r.number][1] == r.hostile.markdown


# --- complaint drafts and draft file names --------------------------------------------------------

# The timeline's numbered lines in a police draft: "12. 2025年11月1日 02:15：…", "12. 1 November …".
_TIMELINE_LINE = {
    "zh": re.compile(r"(\d+)\. \d{4}年"),
    "en": re.compile(r"(\d+)\. \d{1,2} [A-Z][a-z]+ \d{4}"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_corpus_complaint_draft_keeps_each_value_on_its_line(built: Built, lang: str) -> None:
    """The police draft carries no raw control character; one numbered line per reach; names escaped."""
    out = built.folder / f"complaint.{lang}.txt"
    result = built.run("complaint", "--to", "police", str(out), "--lang", lang, "--force")
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert RAW.findall(text) == []
    numbered = [m.group(1) for m in map(_TIMELINE_LINE[lang].match, text.split("\n")) if m]
    assert numbered == [str(n) for n in range(1, len(built.kept) + 1)]
    for r in built.rows_of("name"):
        assert r.hostile is not None
        assert r.hostile.terminal in text, r.hostile.key


def test_corpus_draft_file_names_hold_no_control_or_format_character(built: Built) -> None:
    """Every e-mail draft's file name is free of controls, bidi and other format characters."""
    folder = built.folder / "drafts-names"
    assert built.run("export", str(folder), "--all", "--force").exit_code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names
    for name in names:
        unsafe = [
            ch
            for ch in name
            if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") or ch in '/\\:*?"<>|'
        ]
        assert unsafe == [], name
        assert re.fullmatch(r"[0-9]{3}-.+\.eml", name), name
    # The names that were nothing but controls and marks around text keep the text.
    assert any(name.endswith("-_Wang_.eml") for name in names)
    assert any(name.endswith("-Li_ Wei.eml") for name in names)


# --- the terminal --------------------------------------------------------------------------------


def _output(result: Result) -> str:
    """Everything a command printed, exactly (Result.stdout turns CRLF into LF)."""
    return (result.stdout_bytes + result.stderr_bytes).decode("utf-8")


def _raw_controls(result: Result) -> list[str]:
    return RAW.findall(_output(result))


def test_corpus_terminal_output_has_no_raw_control_character(built: Built) -> None:
    """contacts, mark, history, preview and contact show every control character as an escape."""
    assert _raw_controls(built.imported) == []
    assert _raw_controls(built.marked) == []
    listing = built.run("contacts")
    assert _raw_controls(listing) == []
    for r in built.rows_of("name"):
        assert r.hostile is not None
        assert r.hostile.terminal in listing.stdout
    preview = built.run("preview", "--all")
    assert preview.exit_code == 0
    assert _raw_controls(preview) == []
    assert preview.stdout.count("\n--- ") == len(built.kept) - 1  # one head line per message
    # history shows a name, a note and an organisation; contact a name, labels and groups
    # (groups are in the listing above too). One value of each kind of control, for speed.
    shows = {"history": "name", "contact": "label"}
    for command, fld in shows.items():
        for r in built.rows_of(fld):
            if r.hostile is None or r.hostile.key not in ("crlf", "osc", "c1", "nul", "bidi"):
                continue
            result = built.run(command, f"id:{built.by_number(r.number)['id']}")
            assert result.exit_code == 0, result.output
            assert _raw_controls(result) == [], (command, r.hostile)
            assert len(result.stdout.splitlines()) == (2 if command == "history" else 6)


# --- the defects, one by one ---------------------------------------------------------------------


def _import_rows(cli: Run, tmp_path: Path, rows: list[list[str]]) -> None:
    sheet = tmp_path / "people.csv"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Name", "Phone 1 - Type", "Phone 1 - Value"])
    writer.writerows(rows)
    sheet.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    assert cli("import", str(sheet)).exit_code == 0
    numbers = [row[2] for row in rows]
    assert cli("mark", *numbers, "--at", "2025-11-27 21:30").exit_code == 0
    assert cli("config", "sender", "小林").exit_code == 0


def test_vcard_export_writes_a_label_with_a_quote(cli: Run, tmp_path: Path) -> None:
    """A phone label `work"x` (from a CSV) no longer makes the vCard export fail; it reads back."""
    _import_rows(cli, tmp_path, [["Wang", 'work"x', "13800138000"]])
    out = tmp_path / "r.vcf"
    result = cli("export", str(out))
    assert result.exit_code == 0, result.output
    [card] = vobject.readComponents(_text(out))
    [tel] = card.contents["tel"]
    assert tel.value == "+8613800138000"
    [label] = card.contents["x-ablabel"]
    assert (label.group, label.value) == (tel.group, 'work"x')


def test_a_phone_label_cannot_add_a_card_or_lose_a_number(cli: Run, tmp_path: Path) -> None:
    """A label holding END:VCARD/BEGIN:VCARD lines stays inside its own card; the number is kept."""
    label = "x\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Injected"
    _import_rows(cli, tmp_path, [["Li", label, "13800138001"], ["Wang", "Mobile", "13800138002"]])
    out = tmp_path / "r.vcf"
    assert cli("export", str(out)).exit_code == 0
    cards = list(vobject.readComponents(_text(out)))
    assert sorted(_fn(c) for c in cards) == ["Li", "Wang"]
    assert sorted(t.value for c in cards for t in c.contents["tel"]) == [
        "+8613800138001", "+8613800138002",
    ]  # fmt: skip
    [li] = [c for c in cards if _fn(c) == "Li"]
    assert li.contents["x-ablabel"][0].value == "x\nend:vcard\nbegin:vcard\nfn:injected"


def test_known_labels_become_vcard_types_and_read_back(cli: Run, tmp_path: Path) -> None:
    """Labels made of vCard type words are written as TYPE values our reader maps back."""
    _import_rows(
        cli, tmp_path,
        [["A", "Mobile", "13800138003"], ["B", "Work Fax", "13800138004"], ["C", "", "13800138005"]],
    )  # fmt: skip
    out = tmp_path / "r.vcf"
    assert cli("export", str(out)).exit_code == 0
    cards = {_fn(c): c for c in vobject.readComponents(_text(out))}
    assert {n: c.tel.params["TYPE"] for n, c in cards.items()} == {
        "A": ["CELL"], "B": ["WORK", "FAX"], "C": ["VOICE"],
    }  # fmt: skip
    contacts, _ = read_bytes(out.read_bytes(), "r.vcf")
    assert {c.name: c.phones[0].label for c in contacts} == {
        "A": "mobile",
        "B": "work fax",
        "C": "",
    }


def test_contacts_csv_writes_no_bare_carriage_return(cli: Run, tmp_path: Path) -> None:
    """`contacts --format csv` ends rows with CRLF and no line, split on CR, starts like a formula."""
    _import_rows(cli, tmp_path, [["Chen\r=cmd|' /C calc'!A0", "Mobile", "13800138006"]])
    text = cli("contacts", "--format", "csv").stdout_bytes.decode("utf-8")
    assert re.search("\r(?!\n)", text) is None
    assert [line[:1] for line in text.split("\r")] == ["i", "\n"]
    assert _no_formula_line(text) == []
    [_, row] = list(csv.reader(io.StringIO(text, newline="")))
    assert unprotect(row[1]) == "Chen\\r=cmd|' /C calc'!A0"


def test_export_and_evidence_csv_protect_each_line_of_a_cell(cli: Run, tmp_path: Path) -> None:
    """A CR or LF inside a name or note never leaves a line that starts like a formula."""
    name = "Chen\r=cmd|' /C calc'!A0"
    _import_rows(cli, tmp_path, [[name, "Mobile", "13800138007"]])
    note = "called\n+cmd|' /C calc'!A0"
    assert cli("mark", "13800138007", "--at", "2025-11-28 09:00", "--note", note).exit_code == 0
    assert cli("export", str(tmp_path / "o.csv"), "--excel").exit_code == 0
    assert cli("evidence", str(tmp_path / "e.csv")).exit_code == 0
    for out in ("o.csv", "e.csv"):
        text = _text(tmp_path / out)
        assert _no_formula_line(text) == [], out
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
        assert unprotect(rows[1][{"o.csv": 0, "e.csv": 1}[out]]) == name
    evidence = list(csv.reader(io.StringIO(_text(tmp_path / "e.csv"), newline="")))
    assert [unprotect(row[6]) for row in evidence[1:]] == ["", note]


def test_evidence_markdown_renders_markup_and_line_breaks_as_text(cli: Run, tmp_path: Path) -> None:
    """Rendered by a CommonMark renderer, names and notes with markup and CRs add no element or row."""
    names = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "Wang\rLi", "a | b"]
    _import_rows(cli, tmp_path, [[n, "Mobile", f"1380013801{k}"] for k, n in enumerate(names)])
    note = "<img src=y onerror=alert(3)>\r| x | y |\r\n[a](javascript:alert(4))"
    assert cli("mark", "13800138010", "--at", "2025-11-28 09:00", "--note", note).exit_code == 0
    out = tmp_path / "e.md"
    assert cli("evidence", str(out)).exit_code == 0
    page = _parsed(_markdown_html(_text(out)), lambda tag, _: tag if tag == "td" else None)
    assert "img" not in page.tags
    assert "script" not in page.tags
    assert "a" not in page.tags
    assert page.tags.count("tr") == (1 + 5) + 1 + (1 + 2)  # timeline, collectors, days
    cells = [text for _, text in page.texts]
    assert "<script>alert(2)</script>" in cells
    assert "Wang Li" in cells
    assert "a | b" in cells
    assert "<img src=y onerror=alert(3)> | x | y | [a](javascript:alert(4))" in cells


def test_markdown_cell_keeps_block_syntax_and_backslashes_literal() -> None:
    """Inside a rendered cell, block markers, backslashes and entities read exactly as written."""
    values = ["# h", "- i", "1. x", "> q", "end\\", "a\\|b", "&amp;", "`x`", "*a* _b_", "~~s~~"]
    from contact_notify.textsafe import markdown_cell

    table = "| v |\n| --- |\n" + "".join(f"| {markdown_cell(v)} |\n" for v in values)
    page = _parsed(_markdown_html(table), lambda tag, _: tag if tag == "td" else None)
    assert [text for _, text in page.texts] == values
    assert set(page.tags) == {"table", "thead", "tbody", "tr", "th", "td"}


@pytest.fixture
def terminal(case_path: Path) -> Callable[..., Result]:
    """The CLI as on a terminal (colour on: click strips no escape sequence from the output)."""
    return _runner(case_path)


def test_terminal_output_shows_escape_sequences(
    terminal: Callable[..., Result], tmp_path: Path
) -> None:
    """A name that would clear the screen or set the window title is printed with ESC visible."""
    name = "Zhang\x1b[2J\x1b]2;pwned\x07\u202eevil"
    sheet = tmp_path / "p.csv"
    sheet.write_text(f"Name,Mobile\r\n{name},13800138020\r\n", encoding="utf-8", newline="")
    assert terminal("import", str(sheet)).exit_code == 0
    shown = "Zhang\\x1b[2J\\x1b]2;pwned\\x07\\u202eevil"
    marked = terminal("mark", "13800138020", "--at", "2025-11-27 21:30", "--note", "ok\x1b[5m")
    assert marked.stdout == f"marked: {shown} (13800138020)\n"
    assert terminal("config", "sender", "小林").exit_code == 0
    outputs = {
        command: terminal(*command.split(" "))
        for command in ("contacts", "history id:1", "preview", "contact id:1")
    }
    for command, result in outputs.items():
        assert result.exit_code == 0, command
        assert _raw_controls(result) == [], command
        assert shown in result.stdout, command
    assert "note ok\\x1b[5m" in outputs["history id:1"].stdout


def test_terminal_rule_keeps_text_and_body_lines() -> None:
    """One line shows every control as an escape; a body keeps its line feeds and nothing else."""
    from contact_notify.textsafe import block, line

    assert line("王秀英 Emily 😀") == "王秀英 Emily 😀"
    assert (
        line("a\tb\r\nc\x00\x7f\x85\u2028\u202e\u2069")
        == "a\\tb\\r\\nc\\x00\\x7f\\x85\\u2028\\u202e\\u2069"
    )
    assert block("line one\nline two\r\n\x1b[2J") == "line one\nline two\\r\n\\x1b[2J"


def test_complaint_draft_shows_escape_sequences_and_keeps_its_list(
    cli: Run, tmp_path: Path
) -> None:
    """A name with ESC/OSC and a note with CRLF are escapes in the police draft; its list holds."""
    name = "Zhang\x1b[2J\x1b]2;T\x07"
    _import_rows(
        cli, tmp_path, [[name, "Mobile", "13800138030"], ["Wang", "Mobile", "13800138031"]]
    )
    note = "called\r\n2. fake entry\x1b[2J"
    assert cli("mark", "13800138030", "--at", "2025-11-28 09:00", "--note", note).exit_code == 0
    out = tmp_path / "cp.txt"
    assert cli("complaint", "--to", "police", str(out)).exit_code == 0
    text = _text(out)
    shown = "Zhang\\x1b[2J\\x1b]2;T\\x07"
    timeline = text.split("四、时间记录\n\n", 1)[1].split("\n\n", 1)[0].split("\n")
    assert timeline == [
        f"1. 2025年11月27日 21:30：{shown}（138 0013 8030）被电话联系。",
        "2. 2025年11月27日 21:30：Wang（138 0013 8031）被电话联系。",
        f"3. 2025年11月28日 09:00：{shown}（138 0013 8030）被电话联系。"
        "记录：called\\r\\n2. fake entry\\x1b[2J。",
    ]
    assert RAW.findall(text) == []


def test_printable_text_holds_nothing_the_terminal_rule_escapes() -> None:
    """Every character line() or block() escapes is one str.isprintable() refuses (their
    quick look), and text of any other characters comes back as it is."""
    from contact_notify import textsafe

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    escaped = [c for c in chars if textsafe._UNSAFE_LINE.match(c)]
    assert len(escaped) == 32 + 1 + 32 + 2 + 12  # C0, DEL, C1, U+2028/9, bidi
    assert not any(c.isprintable() for c in escaped)
    assert all(textsafe._UNSAFE_BLOCK.match(c) for c in escaped if c != "\n")
    kept = "".join(c for c in chars[::97] if c.isprintable())
    assert textsafe.line(kept) == kept
    assert textsafe.block(kept + "\n" + kept) == kept + "\n" + kept
    assert textsafe.block("one\ntwo\u3000\u200d\x1b") == "one\ntwo\u3000\u200d\\x1b"


def test_printable_text_is_not_matched_character_by_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """line() and block() return printable text (and lines of it) without running their pattern."""
    from contact_notify import textsafe

    class Refuse:
        def sub(self, *args: object) -> str:
            raise AssertionError("printable text went through the pattern")

    monkeypatch.setattr(textsafe, "_UNSAFE_LINE", Refuse())
    monkeypatch.setattr(textsafe, "_UNSAFE_BLOCK", Refuse())
    assert textsafe.line("王秀英 Emily 😀") == "王秀英 Emily 😀"
    assert textsafe.block("王秀英\nEmily 😀\n") == "王秀英\nEmily 😀\n"


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u200e", "\u200f", "\u061c",
     "\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\u00ad", "\ufeff", "\ud800", "/", "\\"],
)  # fmt: skip
def test_a_draft_file_name_replaces_controls_and_format_characters(char: str) -> None:
    """C0/C1 controls, line separators, bidi marks and controls, other format characters: one `_`."""
    from contact_notify.exporters import _safe_name

    assert _safe_name(f"Li{char}{char}Wei") == "Li_Wei"
