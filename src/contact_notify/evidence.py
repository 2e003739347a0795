"""The evidence kit: a timeline of reaches and a summary, as Markdown, CSV or a self-contained HTML page.

Facts only, from the case: when, whom, how, from which numbers, what was
said, which files back it up (with their SHA-256 and whether they changed
since).  ``mask`` hides contacts' numbers and shortens their names, for
sharing with someone who does not need them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from pathlib import PurePath

from contact_notify import i18n
from contact_notify.behaviours import label as behaviour_label
from contact_notify.behaviours import ordered
from contact_notify.csvsafe import write_csv
from contact_notify.errors import UsageError
from contact_notify.filters import mask as mask_number
from contact_notify.formats import OutputFormats
from contact_notify.i18n import N_, _
from contact_notify.model import Attachment, StoredContact, digits_only, has_cjk
from contact_notify.names import split_chinese
from contact_notify.phones import display, national_digits
from contact_notify.reach_input import attachment_state
from contact_notify.rules import (
    DEFAULT_MAX_PER_DAY,
    DEFAULT_NIGHT,
    KINDS,
    Attempt,
    Flag,
    breaches,
    flags,
    kind_label,
)
from contact_notify.store import Case
from contact_notify.textsafe import markdown_cell

# The evidence's formats: --format, else the file's extension.
FORMATS = OutputFormats(
    names=("md", "csv", "html"),
    suffixes={"md": "md", "markdown": "md", "csv": "csv", "html": "html", "htm": "html"},
    unknown_hint=N_("use md, csv or html (or zip or folder for a bundle with the files)"),
    unclear=N_("cannot tell the format from the file name"),
    unclear_hint=N_("end it in .md, .csv, .html or .zip, or give --format"),
)


@dataclass(frozen=True)
class EvidenceFile:
    """An attached file as recorded, and its state now."""

    path: str
    size: int
    sha256: str
    state: str  # unchanged, changed or missing


@dataclass(frozen=True)
class Entry:
    """One reach in the timeline."""

    at: str
    name: str
    phone: str
    channel: str
    numbers: tuple[str, ...]
    org: str
    note: str
    files: tuple[EvidenceFile, ...] = ()
    night: bool = False
    behaviours: tuple[str, ...] = ()  # what the collector did (keys of behaviours.VOCABULARY)
    flags: tuple[str, ...] = ()  # the kinds of rule flag this reach carries (see rules.KINDS)


@dataclass
class Summary:
    """The numbers a complaint leads with."""

    contacts_total: int = 0
    contacts_reached: int = 0
    reaches: int = 0
    per_day: list[tuple[str, int]] = field(default_factory=list)
    collectors: list[tuple[str, int]] = field(default_factory=list)
    night: int = 0
    untimed: int = 0
    night_window: str = DEFAULT_NIGHT
    first: str = ""
    last: str = ""
    files: int = 0
    files_changed: int = 0
    max_per_day: int = DEFAULT_MAX_PER_DAY
    behaviours: list[tuple[str, int]] = field(default_factory=list)  # key, reaches; vocab order
    flags: dict[str, int] = field(default_factory=dict)  # kind of flag -> how many; every kind
    cited: dict[str, int] = field(default_factory=dict)  # kind -> how many of them cite rules

    @property
    def share(self) -> str:
        """The reached share of the contact list, as a percentage."""
        if not self.contacts_total:
            return "0%"
        return f"{100 * self.contacts_reached / self.contacts_total:.0f}%"


@dataclass
class Evidence:
    """Timeline, summary, and the rule flags (oldest first)."""

    timeline: list[Entry]
    summary: Summary
    flags: list[Flag] = field(default_factory=list)


def parse_window(text: str) -> tuple[time, time]:
    """``21:00-08:00`` → (21:00, 08:00); the window may wrap past midnight."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 <= 23 and h2 <= 23 and m1 <= 59 and m2 <= 59 and (h1, m1) != (h2, m2):
            return time(h1, m1), time(h2, m2)
    raise UsageError(
        _("--night {value} is not a time window").format(value=repr(text)),
        hint=_("write it as 21:00-08:00"),
    )


def at_night(at: str, window: tuple[time, time]) -> bool | None:
    """True when a reach happened inside the window; None when it has no time of day."""
    if len(at) <= 10:
        return None
    moment = datetime.fromisoformat(at).time()
    start, end = window
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


def parse_limit(value: int) -> int:
    """The attempts a day above which a day is flagged: a whole number, at least 1."""
    if value < 1:
        raise UsageError(
            _("--max-per-day must be at least 1, not {value}").format(value=value),
            hint=_("the usual limit is {limit}").format(limit=DEFAULT_MAX_PER_DAY),
        )
    return value


def collect(
    case: Case, night: str = DEFAULT_NIGHT, max_per_day: int = DEFAULT_MAX_PER_DAY
) -> Evidence:
    """Build the timeline (sorted by time), the summary and the rule flags from the case."""
    window = parse_window(night)
    limit = parse_limit(max_per_day)
    region = case.get_setting("region") or "CN"
    # Only the reached contacts are read: the kit's memory grows with the reaches, not the list.
    contacts = {s.id: _Reached.of(s, region) for s in case.iter_contacts(reached=True)}
    attachments = case.attachments()
    timeline = []
    summary = Summary(
        contacts_total=case.contact_count(), night_window=night.strip(), max_per_day=limit
    )
    per_day: Counter[str] = Counter()
    behaviours: Counter[str] = Counter()
    attempts = []
    for reach in case.reaches():
        stored = contacts[reach.contact_id]
        phone = display(reach.contact_number, region) if reach.contact_number else stored.phone
        files = tuple(_file(a) for a in attachments.get(reach.id, []))
        is_night = at_night(reach.at, window)
        if is_night is None:
            summary.untimed += 1
        summary.night += bool(is_night)
        summary.files += len(files)
        summary.files_changed += sum(1 for f in files if f.state != "unchanged")
        per_day[reach.at[:10]] += 1
        behaviours.update(reach.behaviours)
        numbers = tuple(display(n, region) for n in reach.numbers)
        attempts.append(
            Attempt(
                reach.at, reach.contact_id, stored.name, numbers, reach.behaviours, bool(is_night)
            )
        )
        timeline.append(
            Entry(
                at=reach.at,
                name=stored.name,
                phone=phone,
                channel=reach.channel,
                numbers=numbers,
                org=reach.org,
                note=reach.note,
                files=files,
                night=bool(is_night),
                behaviours=reach.behaviours,
            )
        )
    found, marks = flags(attempts, limit)
    summary.contacts_reached = len({a.contact_id for a in attempts})
    del attempts, contacts
    for i, marked in enumerate(marks):  # in place: never two timelines at once
        if marked:
            timeline[i] = replace(timeline[i], flags=tuple(k for k in KINDS if k in marked))
    summary.behaviours = [(key, behaviours[key]) for key in ordered(behaviours)]
    summary.flags = {kind: sum(1 for f in found if f.kind == kind) for kind in KINDS}
    summary.cited = {kind: sum(1 for f in found if f.kind == kind and f.cited) for kind in KINDS}
    summary.reaches = len(timeline)
    summary.per_day = sorted(per_day.items())
    summary.collectors = [(display(c.number, region), c.count) for c in case.collectors()]
    if timeline:
        summary.first, summary.last = timeline[0].at, timeline[-1].at
    return Evidence(timeline, summary, found)


@dataclass(frozen=True, slots=True)
class _Reached:
    """What the timeline needs of a reached contact: its name and the number it shows."""

    name: str
    phone: str  # the first number, for a reach that does not say which number was called

    @classmethod
    def of(cls, stored: StoredContact, region: str) -> _Reached:
        phones = stored.contact.phones
        first = next((display(p.e164, region) if p.e164 else p.raw for p in phones), "")
        return cls(stored.name, first)


def _file(a: Attachment) -> EvidenceFile:
    return EvidenceFile(a.path, a.size, a.sha256, attachment_state(a.path, a.size, a.sha256))


# -- masking ------------------------------------------------------------------

_DIGIT_RUN = re.compile(r"\+?\d[\d\s\-().]{3,}\d")
MIN_MASKED_DIGITS = 5


def short_name(name: str) -> str:
    """王秀英 → 王**, 欧阳娜娜 → 欧阳**, Emily Chen → E. C."""
    family, given = split_chinese(name)
    if family:
        return family + "*" * min(len(given), 2)
    if has_cjk(name):
        return name[:1] + "**"
    return " ".join(f"{word[0]}." for word in name.split()) or name


class Masker:
    """Hides contacts' numbers and names wherever they appear in free text.

    Text is folded (NFKC) first, so full-width digits and letters are caught;
    any run of digits that contains a contact's number is masked whole; names
    match regardless of letter case and spacing.
    """

    def __init__(self, case: Case) -> None:
        self.numbers: set[str] = set()
        names: set[str] = set()
        for stored in case.contacts():
            for phone in stored.contact.phones:
                for digits in (national_digits(phone.number), digits_only(phone.raw)):
                    if len(digits) >= MIN_MASKED_DIGITS:
                        self.numbers.add(digits)
            if stored.name.strip():
                names.add(unicodedata.normalize("NFKC", stored.name.strip()))
        self.names = [
            (
                re.compile(r"\s*".join(re.escape(word) for word in name.split()), re.IGNORECASE),
                short_name(name),
            )
            for name in sorted(names, key=len, reverse=True)
        ]

    def _number(self, match: re.Match[str]) -> str:
        digits = "".join(ch for ch in match.group(0) if ch.isdigit())
        if any(number in digits for number in self.numbers):
            return mask_number(digits)
        return match.group(0)

    def text(self, text: str) -> str:
        """Mask every contact number and name in a text."""
        text = _DIGIT_RUN.sub(self._number, unicodedata.normalize("NFKC", text))
        for pattern, short in self.names:
            text = pattern.sub(short, text)
        return text

    def entry(self, entry: Entry) -> Entry:
        """A timeline entry with the contact's number and name hidden."""
        return replace(
            entry,
            name=short_name(entry.name),
            phone=mask_number(entry.phone) if entry.phone else "",
            org=self.text(entry.org),
            note=self.text(entry.note),
            # Only the file's name: the folders may name the user (/home/zhangming/...).
            files=tuple(replace(f, path=self.text(PurePath(f.path).name)) for f in entry.files),
        )


def masked(evidence: Evidence, masker: Masker) -> Evidence:
    """The evidence with every contact's number and name hidden."""
    return Evidence(
        [masker.entry(e) for e in evidence.timeline],
        evidence.summary,
        [replace(f, name=short_name(f.name)) if f.name else f for f in evidence.flags],
    )


# -- rendering ----------------------------------------------------------------
# Every word of the kit is in the interface language (translated when written, see i18n);
# values from the case (names, numbers, notes, paths) are never translated.

# The timeline's columns.  A word that names something else elsewhere carries its meaning before
# a "|" ("reach|note": a remark on a reach, not the "note:" label): only the part after the "|"
# is English, and the Chinese says the meaning the prefix gives (see :func:`_column`).
COLUMNS = (
    N_("time"),
    N_("contact"),
    N_("contact number"),
    N_("reach|channel"),
    N_("collector numbers"),
    N_("organisation"),
    N_("reach|note"),
    N_("what the collector did"),
    N_("rule flags"),
    N_("evidence files"),
)
HEADERS = tuple(column.split("|", 1)[-1] for column in COLUMNS)  # in English


def _column(marked: str) -> str:
    """A column's name in the interface language, its meaning's prefix dropped."""
    translated = _(marked)
    return translated.split("|", 1)[-1] if translated == marked else translated


# How a collector reached a contact (the values of mark --channel), in words.
CHANNELS = {
    "call": N_("call"),
    "sms": N_("sms"),
    "wechat": N_("wechat"),
    "visit": N_("visit"),
    "other": N_("other"),
}
# An evidence file's state now, in words (see :func:`contact_notify.reach_input.attachment_state`).
STATES = {"unchanged": N_("unchanged"), "changed": N_("changed"), "missing": N_("missing")}


def headers() -> tuple[str, ...]:
    """The timeline's column names in the interface language."""
    return tuple(_column(c) for c in COLUMNS)


def _title() -> str:
    return _("Evidence: debt collectors contacting my contacts")


def _state(state: str) -> str:
    return _(STATES[state]) if state in STATES else state


def _channel(channel: str) -> str:
    return _(CHANNELS[channel]) if channel in CHANNELS else channel


def _when(at: str) -> str:
    return at[:16].replace("T", " ")


def _night() -> str:
    """``{when} (night)``: a reach's time marked as night-time."""
    return _("{when} (night)")


def _file_words() -> str:
    """How an evidence file is described: ``{path}``, ``{sha256}``, ``{size}``, ``{state}``."""
    return _("{path} (sha256 {sha256}, {size} bytes, {state})")


def _files(entry: Entry) -> str:
    return "; ".join(
        _file_words().format(path=f.path, sha256=f.sha256, size=f.size, state=_state(f.state))
        for f in entry.files
    )


def _row(entry: Entry) -> tuple[str, ...]:
    when = _when(entry.at)
    return (
        _night().format(when=when) if entry.night else when,
        entry.name,
        entry.phone,
        _channel(entry.channel),
        ", ".join(entry.numbers),
        entry.org,
        entry.note,
        _behaviours(entry.behaviours),
        _flag_kinds(entry.flags),
        _files(entry),
    )


def _behaviours(keys: tuple[str, ...]) -> str:
    return _(", ").join(behaviour_label(k) for k in keys)


def _flag_kinds(kinds: tuple[str, ...]) -> str:
    return _(", ").join(kind_label(k) for k in kinds)


def flag_line(s: Summary, kind: str, count: int) -> str:
    """A kind of flag's count, with the rules it may breach (see :func:`with_rules`)."""
    words = {
        "per-number": _(
            "A number making more than {limit} attempts in a day: {count} (number and day)"
        ),
        "per-contact": _(
            "A contact reached more than {limit} times in a day: {count} (contact and day)"
        ),
        "disclosed": _("Reaches on which the debt was disclosed to the contact: {count}"),
    }[kind]
    said = words.format(window=s.night_window, limit=s.max_per_day, count=count)
    return with_rules(said, kind, count, s.cited.get(kind, 0))


def with_rules(fact: str, kind: str, count: int, cited: int) -> str:
    """A counted fact with the rules it may breach: for all of them, some of them, or none.

    Only the flags beyond what a rule is reported to allow cite it (a wider --night
    or a lower --max-per-day adds flags that are facts only; see rules.Flag.cited).
    """
    if not cited or not breaches(kind):
        return fact
    if cited == count:
        return _("{fact}; {rules}").format(fact=fact, rules=breaches(kind))
    return _("{fact}; {cited} of them: {rules}").format(
        fact=fact, cited=cited, rules=breaches(kind)
    )


def flag_cells(flag: Flag) -> tuple[str, str, str, str]:
    """A flag as table cells: when, what, whom or which number, and the rules it may breach."""
    if flag.kind in ("per-number", "per-contact"):
        whom = _("{who}: {count} attempts").format(who=flag.number or flag.name, count=flag.count)
    else:
        whom = flag.name
    return (_when(flag.at), kind_label(flag.kind), whom, breaches(flag.kind) if flag.cited else "")


FLAG_COLUMNS = (N_("time"), N_("rule flag"), N_("contact or number"), N_("rules"))


def summary_lines(s: Summary) -> list[str]:
    """The summary as plain sentences."""
    night = (
        _(
            "Reaches at night ({window}): {night} "
            "({untimed} reaches have no time of day and are not counted)"
        )
        if s.untimed
        else _("Reaches at night ({window}): {night}")
    )
    night = night.format(window=s.night_window, night=s.night, untimed=s.untimed)
    night = with_rules(night, "night", s.night, s.cited.get("night", 0))
    lines = [
        _("Contacts reached: {reached} of {total} in the contact list ({share})").format(
            reached=s.contacts_reached, total=s.contacts_total, share=s.share
        ),
        _("Reaches recorded: {count}, from {first} to {last}").format(
            count=s.reaches, first=_when(s.first) or "-", last=_when(s.last) or "-"
        ),
        night,
        _("Distinct collector numbers: {count}").format(count=len(s.collectors)),
    ]
    if s.behaviours:
        lines.append(
            _("What the collectors did: {behaviours}").format(
                behaviours=_(", ").join(
                    _("{behaviour} {count}").format(behaviour=behaviour_label(k), count=n)
                    for k, n in s.behaviours
                )
            )
        )
    lines += [flag_line(s, kind, n) for kind, n in s.flags.items() if n and kind != "night"]
    if s.files:
        lines.append(
            _("Evidence files: {files}, changed or missing since recorded: {changed}").format(
                files=s.files, changed=s.files_changed
            )
        )
    return lines


def _md_row(cells: tuple[str, ...] | list[str]) -> str:
    """A table row; every cell literal text (no HTML, link, emphasis or row break can start)."""
    return "| " + " | ".join(markdown_cell(c) for c in cells) + " |"


def to_markdown(evidence: Evidence) -> str:
    """The evidence as a Markdown document (CommonMark with GitHub's tables)."""
    s = evidence.summary

    def heading(level: int, words: str) -> str:
        # Our words too are literal text: a translation cannot add markup.
        return "#" * level + " " + markdown_cell(words)

    out = [heading(1, _title()), "", heading(2, _("Summary")), ""]
    out += ["- " + markdown_cell(line) for line in summary_lines(s)]
    out += ["", heading(3, _("Reaches per day")), ""]
    out += [_md_row([_("day"), _("reaches")]), "| --- | --- |"]
    out += [_md_row([day, str(count)]) for day, count in s.per_day]
    out += ["", heading(3, _("Collector numbers")), ""]
    out += [_md_row([_("number"), _("reaches")]), "| --- | --- |"]
    out += [_md_row([number, str(count)]) for number, count in s.collectors]
    if evidence.flags:
        out += ["", heading(3, _("Rule flags")), ""]
        out += [_md_row([_(c) for c in FLAG_COLUMNS]), "| --- | --- | --- | --- |"]
        out += [_md_row(flag_cells(f)) for f in evidence.flags]
    out += ["", heading(2, _("Timeline")), "", _md_row(headers()), "|" + " --- |" * len(HEADERS)]
    out += [_md_row(_row(e)) for e in evidence.timeline]
    return "\n".join(out) + "\n"


def to_csv(evidence: Evidence) -> str:
    """The timeline as CSV, one row per reach, with a BOM so Excel and WPS read it as UTF-8."""
    return write_csv([headers(), *(_row(entry) for entry in evidence.timeline)], bom=True)


_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Below this width the timeline's rows become stacked cards, each value under its column's name:
# eight columns do not fit a phone, and a table scrolled sideways hides most of each reach.
_NARROW = "720px"
_STYLE = f"""
body {{ font-family: sans-serif; margin: 1rem; color: #222; line-height: 1.45; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem; }}
th, td {{ border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }}
th {{ background: #f4f4f4; }}
.num, .when {{ white-space: nowrap; }}
.path, .hash {{ overflow-wrap: anywhere; }}
.hash {{ font-family: monospace, monospace; font-size: 0.85em; }}
.chart {{ display: block; max-width: 100%; height: auto; }}
.flag {{ color: #b03a2e; font-weight: bold; }}
@media (max-width: {_NARROW}) {{
  body {{ margin: 0.6rem; }}
  .timeline, .timeline tbody, .timeline tr, .timeline td {{ display: block; }}
  .timeline thead {{ display: none; }}
  .timeline tr {{ border: 1px solid #ccc; border-radius: 6px; margin: 0 0 0.8rem; padding: 0.3rem 0.6rem; }}
  .timeline td {{ border: 0; padding: 0.15rem 0; }}
  .timeline td:empty {{ display: none; }}
  .timeline td::before {{ content: attr(data-label) "{{separator}}"; color: #666; }}
}}
"""
# What follows a column's name in a card: a fixed character per language, never a translation
# (nothing from the catalog goes into the style sheet).
_SEPARATORS = {"zh": "：", "en": ": "}
# The page's language, for <html lang>.
_HTML_LANG = {"zh": "zh-CN", "en": "en"}


def _style() -> str:
    return _STYLE.replace("{separator}", _SEPARATORS.get(i18n.language(), ": "))


def _chart(per_day: list[tuple[str, int]]) -> str:
    """An inline SVG chart of reaches per day: one bar per day, the day and the count beside it.

    Bars run across, so the chart keeps its width whatever the number of days and fits a
    phone at full size (it shrinks only on screens narrower than itself); every label is
    inside the drawing.
    """
    if not per_day:
        return ""
    top = max(count for _day, count in per_day)
    width, row, bar = 360, 24, 16
    start, room = 94, 230  # the bars begin after the day's label; room for the longest bar
    height = len(per_day) * row + 8
    label = html.escape(_("Reaches per day"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{label}">'
    ]
    for n, (day, count) in enumerate(per_day):
        length = max(1, round(room * count / top))
        y = 4 + n * row
        parts.append(
            f'<text x="2" y="{y + 14}" font-size="13">{html.escape(day)}</text>'
            f'<rect x="{start}" y="{y + 1}" width="{length}" height="{bar}" fill="#b03a2e">'
            f"<title>{html.escape(day)}: {count}</title></rect>"
            f'<text x="{start + length + 5}" y="{y + 14}" font-size="13">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _cells(entry: Entry) -> tuple[str, ...]:
    """A timeline row as HTML: numbers and times never break inside, long paths and hashes may."""
    esc = html.escape
    # Our words are escaped first, then the values (escaped, in their spans) fill the blanks:
    # a translation cannot add markup.
    words = esc(_file_words())
    files = "".join(
        "<div>"
        + words.format(
            path=f'<span class="path">{esc(f.path)}</span>',
            sha256=f'<span class="hash">{esc(f.sha256)}</span>',
            size=f.size,
            state=esc(_state(f.state)),
        )
        + "</div>"
        for f in entry.files
    )
    when = f'<span class="when">{esc(_when(entry.at))}</span>'
    return (
        esc(_night()).format(when=when) if entry.night else when,
        esc(entry.name),
        f'<span class="num">{esc(entry.phone)}</span>' if entry.phone else "",
        esc(_channel(entry.channel)),
        ", ".join(f'<span class="num">{esc(n)}</span>' for n in entry.numbers),
        esc(entry.org),
        esc(entry.note),
        esc(_behaviours(entry.behaviours)),
        f'<span class="flag">{esc(_flag_kinds(entry.flags))}</span>' if entry.flags else "",
        files,
    )


def to_html(evidence: Evidence) -> str:
    """A self-contained HTML page: no scripts, no external requests (a CSP forbids them).

    It reads on a phone as on a desktop: at a narrow width the timeline's rows become cards.
    """
    s = evidence.summary
    esc = html.escape
    names = headers()
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td data-label="{esc(h)}">{c}</td>' for h, c in zip(names, _cells(e), strict=True)
        )
        + "</tr>"
        for e in evidence.timeline
    )
    collectors = "".join(
        f'<tr><td><span class="num">{esc(n)}</span></td><td>{c}</td></tr>' for n, c in s.collectors
    )
    summary = "".join(f"<li>{esc(line)}</li>" for line in summary_lines(s))
    flag_head = "".join(f'<th scope="col">{esc(_(c))}</th>' for c in FLAG_COLUMNS)
    flag_rows = "".join(
        "<tr>"
        + "".join(
            f'<td data-label="{esc(_(h))}">{esc(c)}</td>'
            for h, c in zip(FLAG_COLUMNS, flag_cells(f), strict=True)
        )
        + "</tr>"
        for f in evidence.flags
    )
    flag_table = (
        f'<h3>{esc(_("Rule flags"))}</h3><table class="timeline flags"><thead><tr>{flag_head}'
        f"</tr></thead><tbody>{flag_rows}</tbody></table>"
        if evidence.flags
        else ""
    )
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in names)
    words = {
        "title": esc(_title()),
        "summary": esc(_("Summary")),
        "per_day": esc(_("Reaches per day")),
        "collectors": esc(_("Collector numbers")),
        "number": esc(_("number")),
        "reaches": esc(_("reaches")),
        "timeline": esc(_("Timeline")),
    }
    return f"""<!DOCTYPE html>
<html lang="{_HTML_LANG.get(i18n.language(), "en")}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{words["title"]}</title>
<style>{_style()}</style>
</head>
<body>
<h1>{words["title"]}</h1>
<h2>{words["summary"]}</h2>
<ul>{summary}</ul>
<h3>{words["per_day"]}</h3>
{_chart(s.per_day)}
<h3>{words["collectors"]}</h3>
<table><tr><th>{words["number"]}</th><th>{words["reaches"]}</th></tr>{collectors}</table>
{flag_table}
<h2>{words["timeline"]}</h2>
<table class="timeline"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
</body>
</html>
"""


RENDERERS = {"md": to_markdown, "csv": to_csv, "html": to_html}
