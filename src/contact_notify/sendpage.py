"""The send page: one self-contained HTML file to send the messages from a phone.

Each reached contact gets a card with the message, its SMS parts, an SMS
button (an ``sms:`` link whose body is the message), a copy button (for
WeChat) and a "sent" tick kept in the browser's storage.  A search box and
grouping by template keep long lists usable.  The page makes no request:
its Content-Security-Policy allows only its own inline script and style,
pinned by their SHA-256.

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
from urllib.parse import quote

from contact_notify.messages import Message

LABELS = {
    "zh": {
        "title": "发送清单", "search": "搜索姓名、号码或分组", "sms": "发短信", "copy": "复制（发微信）",
        "copied": "已复制", "sent": "已发送", "progress": "已发送 {n} / {total}", "parts": "{n} 条短信",
        "no_number": "没有手机号，不能发短信（可复制后用微信发）", "hint": "点“发短信”会打开手机的短信应用并填好内容；发完后勾选“已发送”。",
    },
    "en": {
        "title": "Messages to send", "search": "Search names, numbers or groups", "sms": "Send SMS",
        "copy": "Copy (for WeChat)", "copied": "Copied", "sent": "Sent", "progress": "{n} of {total} sent",
        "parts": "{n} SMS part(s)", "no_number": "no mobile number: no SMS (copy it for WeChat)",
        "hint": "'Send SMS' opens the phone's messaging app with the text filled in; tick 'Sent' when done.",
    },
}  # fmt: skip

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
"""

SCRIPT = """
(function () {
  var labels = JSON.parse(document.getElementById("labels").textContent);
  // One store for every page: a tick is per contact and reach, so it survives a re-export.
  var key = "contact-notify-sent";
  var sent = {};
  try { sent = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { sent = {}; }
  function save() { try { window.localStorage.setItem(key, JSON.stringify(sent)); } catch (e) {} }
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  function progress() {
    var n = document.querySelectorAll(".sent:checked").length;
    document.getElementById("progress").textContent =
      labels.progress.replace("{n}", n).replace("{total}", cards.length);
  }
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
      var text = card.querySelector(".body").textContent;
      function done() { button.textContent = labels.copied; }
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
    });
  });
  document.getElementById("search").addEventListener("input", function () {
    var q = this.value.trim().toLowerCase();
    cards.forEach(function (card) {
      card.hidden = q !== "" && card.getAttribute("data-search").toLowerCase().indexOf(q) < 0;
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


def render_page(
    messages: Sequence[Message], lang: str = "zh", groups: dict[int, str] | None = None
) -> str:
    """The send page for these messages, grouped by template."""
    labels = LABELS.get(lang, LABELS["en"])
    esc = html.escape
    csp = (
        f"default-src 'none'; script-src '{_hash(SCRIPT)}'; style-src '{_hash(STYLE)}'; "
        "img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    sections = []
    ordered = sorted(messages, key=lambda m: m.template)
    for template, members in groupby(ordered, key=lambda m: m.template):
        items = list(members)
        cards = []
        for m in items:
            body = m.body.rstrip("\n")
            searchable = " ".join([m.name, m.phone, (groups or {}).get(m.contact_id, "")])
            parts = labels["parts"].format(n=m.segments.parts) if m.segments else ""
            if m.mobile:
                sms = (
                    f'<a class="sms" href="{esc(sms_link(m.phone, body))}">{esc(labels["sms"])}</a>'
                )
            else:
                sms = f'<span class="missing">{esc(labels["no_number"])}</span>'
            cards.append(
                f'<article class="card" data-id="{m.contact_id}-{m.reach_id}" data-search="{esc(searchable)}">'
                f'<h3>{esc(m.name)} <span class="num">{esc(m.phone)}</span></h3>'
                f'<p class="meta">{esc(parts)}</p>'
                f'<pre class="body">{esc(body)}</pre>'
                f'<div class="actions">{sms}'
                f'<button class="copy" type="button">{esc(labels["copy"])}</button>'
                f'<label><input type="checkbox" class="sent"> {esc(labels["sent"])}</label></div>'
                "</article>"
            )
        sections.append(
            f"<section><h2>{esc(template)} ({len(items)})</h2>{''.join(cards)}</section>"
        )
    label_json = json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}">
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
<p class="hint">{esc(labels["hint"])}</p>
</header>
<main>{"".join(sections)}</main>
<script type="application/json" id="labels">{label_json}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
