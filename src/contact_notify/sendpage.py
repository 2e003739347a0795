"""The send page: one self-contained HTML file to send the messages from a phone.

Each reached contact gets a card with the message, its SMS parts, an SMS
button (an ``sms:`` link whose body is the message), a copy button (for
WeChat) and a "sent" tick kept in the browser's storage.  A search box (names,
groups, and numbers in any spelling: spaces, dashes, +86 or 0086, full-width
digits) and sections per relationship (Colleagues, Family (elders) …) keep long
lists usable.  The page's own words are in the interface language (同事, 家人（长辈）…
in Chinese); the messages keep theirs (``--lang``).  The page makes no request:
its Content-Security-Policy allows only its own inline script and style,
pinned by their SHA-256.  Under the progress line, the "sent code" of the
ticked contacts (:mod:`contact_notify.sentcode`, written by the script the same
way) carries the ticks back: ``contact-notify sent --code CODE``.

The link form is ``sms:+8613800138000?&body=…`` (body percent-encoded as
UTF-8): Android reads ``?body=``, older iPhones wanted ``&body=``, and this
form is the one both accept (RFC 5724 plus the iOS habit).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Sequence
from itertools import groupby
from pathlib import PurePath
from urllib.parse import quote

from contact_notify import i18n
from contact_notify.i18n import N_, _
from contact_notify.messages import Message
from contact_notify.phones import clean, national_form
from contact_notify.render import RELATIONSHIPS, SUFFIX, relationship_of

# The page's words, translated when a page is written: the page speaks the interface language
# (the messages keep theirs, ``--lang``).  The script reads them from a JSON block.
LABELS = {
    "title": N_("Messages to send"),
    "search": N_("Search names, numbers or groups"),
    "sms": N_("Send SMS"),
    "copy": N_("Copy (for WeChat)"),
    "copied": N_("Copied"),
    "sent": N_("Sent"),
    "progress": N_("{n} of {total} sent"),
    "parts": N_("{n} SMS part(s)"),
    "no_number": N_("no mobile number: no SMS (copy it for WeChat)"),
    "hint": N_(
        "'Send SMS' opens the phone's messaging app with the text filled in; tick 'Sent' when done."
    ),
    "code_hint": N_(
        "Sent code of the ticked contacts: on the computer, run "
        "contact-notify sent --code CODE to record them in the case."
    ),
    "copy_code": N_("Copy code"),
}

# Section headings: the relationship a template is written for, in words.
RELATIONSHIP_LABELS = {
    "family-elder": N_("Family (elders)"),
    "family-peer": N_("Brothers, sisters, cousins"),
    "friend": N_("Friends"),
    "colleague": N_("Colleagues"),
    "superior": N_("Managers and clients"),
    "default": N_("Others"),
}
CUSTOM = N_("Custom template {file}")
BEFORE = N_("{relationship}: a warning before the call")
_BEFORE = "before-"
CUSTOM_FOR = N_("{relationship} (custom template {file})")
# <html lang> (the interface's) and the messages' lang attribute.
HTML_LANG = {"zh": "zh-CN", "en": "en"}

STYLE = """
body { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 0;
       background: #f6f6f6; color: #222; }
header { position: sticky; top: 0; background: #fff; padding: 0.6rem 0.8rem; border-bottom: 1px solid #ddd; }
h1 { font-size: 1.2rem; margin: 0 0 0.4rem; }
#search { width: 100%; box-sizing: border-box; font-size: 1rem; padding: 0.5rem; }
#progress, .hint { font-size: 0.85rem; color: #555; margin: 0.3rem 0 0; }
h2 { font-size: 0.95rem; color: #555; margin: 1rem 0.8rem 0.3rem; }
.card { background: #fff; margin: 0.5rem 0.6rem; padding: 0.7rem; border-radius: 8px;
        box-shadow: 0 1px 2px rgba(0,0,0,0.1); }
.card.done { opacity: 0.55; }
h3 { font-size: 1.05rem; margin: 0; }
.num, .meta { color: #666; font-size: 0.85rem; font-weight: normal; }
.body { white-space: pre-wrap; font-family: inherit; font-size: 1rem; line-height: 1.5; margin: 0.5rem 0; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.actions a, .actions button { font-size: 1rem; padding: 0.5rem 0.8rem; border-radius: 6px; border: 0;
        background: #1a73e8; color: #fff; text-decoration: none; }
.actions button { background: #07c160; }
.actions label { font-size: 1rem; }
.missing { color: #a00; font-size: 0.9rem; }
#sentcode p { margin: 0.3rem 0 0; }
#code { font-family: ui-monospace, Menlo, "Roboto Mono", "Noto Sans Mono", monospace; font-size: 1.3rem;
        letter-spacing: 0.06em; word-break: break-all; user-select: all; }
#copy-code { font-size: 0.9rem; padding: 0.3rem 0.6rem; border-radius: 6px; border: 0;
        background: #07c160; color: #fff; margin-left: 0.4rem; }
"""

SCRIPT = r"""
(function () {
  var labels = JSON.parse(document.getElementById("labels").textContent);
  // One store for every page: a tick is per contact and reach, so it survives a re-export.
  var key = "contact-notify-sent";
  var sent = {};
  try { sent = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { sent = {}; }
  function save() { try { window.localStorage.setItem(key, JSON.stringify(sent)); } catch (e) {} }
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  // The sent code (contact_notify/sentcode.py, docs/exports.md): the contact ids ticked on
  // this page, typed into "contact-notify sent --code" on the computer.
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  function step(acc) { acc = acc * 2; return (acc & 32) ? acc ^ 37 : acc; }
  function number(value, out) {
    var digits = [];
    do { digits.unshift(value % 16); value = Math.floor(value / 16); } while (value > 0);
    for (var i = 0; i < digits.length; i++) {
      out.push(i < digits.length - 1 ? 16 + digits[i] : digits[i]);
    }
  }
  function sentCode(ids) {
    var values = [1], last = 0, i = 0, acc = 0;
    while (i < ids.length) {
      number(ids[i] - last, values);
      last = ids[i];
      i++;
      var run = 0;
      while (i + run < ids.length && ids[i + run] === last + run + 1) { run++; }
      if (run >= 3) { number(0, values); number(run, values); last += run; i += run; }
    }
    values.forEach(function (v) { acc = step(acc) ^ v; });
    values.push(step(acc));
    var text = values.map(function (v) { return ALPHABET.charAt(v); }).join("");
    return text.match(/.{1,4}/g).join("-");
  }
  var codeBox = document.getElementById("sentcode");
  var code = document.getElementById("code");
  var copyCode = document.getElementById("copy-code");
  function progress() {
    var n = document.querySelectorAll(".sent:checked").length;
    document.getElementById("progress").textContent =
      labels.progress.replace("{n}", n).replace("{total}", cards.length);
    var seen = {}, ids = [];
    cards.forEach(function (card) {
      if (!card.querySelector(".sent").checked) { return; }
      var id = parseInt(card.getAttribute("data-id"), 10);
      if (!seen[id]) { seen[id] = true; ids.push(id); }
    });
    ids.sort(function (a, b) { return a - b; });
    codeBox.hidden = ids.length === 0;
    code.textContent = ids.length ? sentCode(ids) : "";
    copyCode.textContent = labels.copy_code;
  }
  function copy(text, done) {
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { if (document.execCommand("copy")) { done(); } } catch (e) {}
      document.body.removeChild(area);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else { fallback(); }
  }
  copyCode.addEventListener("click", function () {
    copy(code.textContent, function () { copyCode.textContent = labels.copied; });
  });
  cards.forEach(function (card) {
    var id = card.getAttribute("data-id");
    var box = card.querySelector(".sent");
    box.checked = !!sent[id];
    card.classList.toggle("done", box.checked);
    box.addEventListener("change", function () {
      if (box.checked) { sent[id] = new Date().toISOString(); } else { delete sent[id]; }
      save();
      card.classList.toggle("done", box.checked);
      progress();
    });
    var button = card.querySelector(".copy");
    button.addEventListener("click", function () {
      copy(card.querySelector(".body").textContent, function () {
        button.textContent = labels.copied;
      });
    });
  });
  // Full-width digits and letters fold to ASCII; a query written as a number matches its
  // digits whatever the spacing, dashes or +86 / 0086 prefix.
  function fold(text) { return (text.normalize ? text.normalize("NFKC") : text).toLowerCase(); }
  var numberLike = /^(tel:)?[\s+\-\u2010-\u2015().\/]*\d[\d\s+\-\u2010-\u2015().\/]*$/;
  document.getElementById("search").addEventListener("input", function () {
    var q = fold(this.value).trim();
    var digits = numberLike.test(q) ? q.replace(/\D/g, "").replace(/^00/, "") : "";
    cards.forEach(function (card) {
      var found = q === "" || fold(card.getAttribute("data-search")).indexOf(q) >= 0 ||
        (digits !== "" && card.getAttribute("data-digits").indexOf(digits) >= 0);
      card.hidden = !found;
    });
    Array.prototype.forEach.call(document.querySelectorAll("section"), function (section) {
      section.hidden = section.querySelector(".card:not([hidden])") === null;
    });
  });
  progress();
})();
"""


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode(
        "ascii"
    )


def sms_link(phone: str, body: str) -> str:
    """``sms:NUMBER?&body=…`` with the body percent-encoded as UTF-8."""
    return f"sms:{phone}?&body={quote(body, safe='')}"


def search_digits(phone: str) -> str:
    """The digits a number search matches: international and national, ``8613800138000
    13800138000`` (``861012345678 01012345678`` for a landline: the trunk 0 is kept)."""
    text = clean(phone)
    forms = ["".join(ch for ch in text if ch.isdigit())]
    forms.append("".join(ch for ch in national_form(text) if ch.isdigit()))
    return " ".join(dict.fromkeys(f for f in forms if f))


def _section(template: str) -> tuple[int, str]:
    """Where a template's section goes: the built-in relationships in their order, then files."""
    relationship = relationship_of(template.removeprefix(_BEFORE))
    if relationship in RELATIONSHIPS:
        return RELATIONSHIPS.index(relationship), template
    return len(RELATIONSHIPS), template


def heading(template: str) -> str:
    """A section's heading in the interface language: ``colleague.sms.zh`` → Colleagues (同事);
    a file → Custom template NAME.j2 (自定义模板 NAME.j2), with the relationship when its name
    starts with one (``colleague.sms.zh.j2`` copied to edit)."""
    relationship = relationship_of(template)
    if relationship in RELATIONSHIPS:
        return _(RELATIONSHIP_LABELS[relationship])
    warned = relationship_of(template.removeprefix(_BEFORE))
    if template.startswith(_BEFORE) and warned in RELATIONSHIPS:  # before-family-elder.sms.zh
        return _(BEFORE).format(relationship=_(RELATIONSHIP_LABELS[warned]))
    file = PurePath(template).name  # the folders may name the user; the file is what they chose
    first = file.removesuffix(SUFFIX).split(".")[0]
    if first in RELATIONSHIPS:
        return _(CUSTOM_FOR).format(relationship=_(RELATIONSHIP_LABELS[first]), file=file)
    return _(CUSTOM).format(file=file)


def _card(m: Message, labels: dict[str, str], groups: str, lang: str) -> str:
    """One contact's card: name and number, the message, its SMS button, copy and "sent"."""
    esc = html.escape
    body = m.body.rstrip("\n")
    searchable = " ".join([m.name, m.phone, groups])
    parts = labels["parts"].format(n=m.segments.parts) if m.segments else ""
    if m.mobile:
        sms = f'<a class="sms" href="{esc(sms_link(m.phone, body))}">{esc(labels["sms"])}</a>'
    else:
        sms = f'<span class="missing">{esc(labels["no_number"])}</span>'
    return (
        f'<article class="card" data-id="{m.contact_id}-{m.reach_id}" '
        f'data-search="{esc(searchable)}" data-digits="{esc(search_digits(m.phone))}">'
        f'<h3>{esc(m.name)} <span class="num">{esc(m.phone)}</span></h3>'
        f'<p class="meta">{esc(parts)}</p>'
        f'<pre class="body" lang="{esc(lang)}">{esc(body)}</pre>'
        f'<div class="actions">{sms}'
        f'<button class="copy" type="button">{esc(labels["copy"])}</button>'
        f'<label><input type="checkbox" class="sent"> {esc(labels["sent"])}</label></div>'
        "</article>"
    )


def render_page(
    messages: Sequence[Message], lang: str = "zh", groups: dict[int, str] | None = None
) -> str:
    """The send page for these messages (written in ``lang``), a section per template headed by
    its relationship; the page's own words are in the interface language."""
    labels = {key: _(words) for key, words in LABELS.items()}
    body_lang = HTML_LANG.get(lang, lang)
    esc = html.escape
    csp = (
        f"default-src 'none'; script-src '{_hash(SCRIPT)}'; style-src '{_hash(STYLE)}'; "
        "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    sections = []
    ordered = sorted(messages, key=lambda m: _section(m.template))
    for template, members in groupby(ordered, key=lambda m: m.template):
        items = list(members)
        cards = "".join(
            _card(m, labels, (groups or {}).get(m.contact_id, ""), body_lang) for m in items
        )
        sections.append(
            f"<section><h2>{esc(heading(template))} ({len(items)})</h2>{cards}</section>"
        )
    label_json = json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="{HTML_LANG.get(i18n.language(), "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">
<meta name="referrer" content="no-referrer">
<title>{esc(labels["title"])} ({len(messages)})</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{esc(labels["title"])} ({len(messages)})</h1>
<input id="search" type="search" placeholder="{esc(labels["search"])}" aria-label="{esc(labels["search"])}">
<p id="progress"></p>
<div id="sentcode" hidden>
<p class="hint">{esc(labels["code_hint"])}</p>
<p><code id="code"></code><button id="copy-code" type="button">{esc(labels["copy_code"])}</button></p>
</div>
<p class="hint">{esc(labels["hint"])}</p>
</header>
<main>{"".join(sections)}</main>
<script type="application/json" id="labels">{label_json}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
