"""Checks of the message catalog, shared by tests/test_catalog.py and by hand.

What the interface says is English in the source, marked ``_("…")``,
``N_("…")`` or ``ngettext("…", "…", n)``; help texts are the docstrings and
``help=`` of the typer commands.  The Chinese is in
``src/contact_notify/locale/zh_CN/LC_MESSAGES/*.po``.  These functions find:

* msgids the source needs that no .po translates (or only with a fuzzy entry);
* .po entries the source no longer needs (stale);
* translations whose ``{placeholders}`` differ from their msgid's;
* user-facing literals not marked at all: a string literal (or f-string, or
  ``"…".format``) handed to the printing and error helpers.

Run ``python tests/catalog_check.py`` to print the missing entries as .po
stubs (msgstr empty) to paste into a catalog file and translate.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "contact_notify"
LOCALE = SOURCE / "locale" / "zh_CN" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}

# Calls whose first argument (and hint=) a person reads: a literal there must be marked.
SPEAKERS = {
    "say", "say_all", "_fail", "echo", "secho", "print", "confirm", "prompt", "notify", "note",
    "AppError", "UsageError", "InputDataError", "TemplateError", "CaseError", "OutputError",
    "NothingToDo", "ReadIssue", "warn", "warning", "Exit",
}  # fmt: skip
SPOKEN_KEYWORDS = {"hint", "message", "reason", "label", "help"}
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
_LETTERS = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Entry:
    """One msgid (a str, or a (singular, plural) pair) and where it is needed."""

    msgid: str | tuple[str, str]
    where: str


def _entry(message: object, where: str) -> list[Entry]:
    """The entry an extractor's message makes: a msgid, or a (singular, plural) pair."""
    if isinstance(message, tuple):
        parts = tuple(m for m in message if m)
        return [Entry((parts[0], parts[1]), where)] if len(parts) == 2 else []
    return [Entry(message, where)] if isinstance(message, str) and message else []


def extract(paths: Iterable[Path]) -> list[Entry]:
    """Every marked message in these Python files (Babel's extractor, as the build would)."""
    from babel.messages.extract import extract_python

    entries: list[Entry] = []
    for path in paths:
        with path.open("rb") as handle:
            for lineno, _funcname, message, _comments in extract_python(
                handle, list(KEYWORDS), [], {"encoding": "utf-8"}
            ):
                entries += _entry(message, f"{path.name}:{lineno}")
    return entries


def source_files() -> list[Path]:
    """The package's Python files."""
    return sorted(p for p in SOURCE.rglob("*.py") if "__pycache__" not in p.parts)


def page_files() -> list[Path]:
    """The local app's page templates (Jinja2), whose ``_("…")`` are messages too."""
    return sorted((SOURCE / "web" / "pages").glob("*.html"))


def extract_pages(paths: Iterable[Path]) -> list[Entry]:
    """Every ``_("…")`` and ``ngettext(…)`` in these Jinja2 templates (jinja2's Babel extractor)."""
    from jinja2.ext import babel_extract

    entries: list[Entry] = []
    for path in paths:
        with path.open("rb") as handle:
            for lineno, _funcname, message, _comments in babel_extract(
                handle, list(KEYWORDS), [], {"trim_blocks": "true", "lstrip_blocks": "true"}
            ):
                entries += _entry(message, f"{path.name}:{lineno}")
    return entries


def help_texts() -> list[Entry]:
    """Every help text of the command line: commands, groups, options and arguments."""
    import typer.main

    from contact_notify.cli import app
    from contact_notify.i18n import SWITCH_HINT

    entries: list[Entry] = []

    def walk(command: object, path: str) -> None:
        for attr in ("help", "short_help", "epilog"):
            text = getattr(command, attr, None)
            if text and text != SWITCH_HINT:
                entries.append(Entry(inspect.cleandoc(text), f"{path} ({attr})"))
        for param in getattr(command, "params", []):
            text = getattr(param, "help", None)
            if text:
                entries.append(Entry(inspect.cleandoc(text), f"{path} {param.name}"))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "contact-notify")
    return entries


def needed() -> list[Entry]:
    """Every message the interface can say."""
    return extract(source_files()) + extract_pages(page_files()) + help_texts()


@dataclass(frozen=True)
class Translation:
    """One .po entry."""

    msgid: str | tuple[str, str]
    msgstr: str | tuple[str, ...]
    fuzzy: bool
    where: str


def catalog(folder: Path = LOCALE) -> list[Translation]:
    """Every entry of every .po file in ``folder`` (the header excepted)."""
    from babel.messages.pofile import read_po

    found = []
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle, abort_invalid=True):
                if not message.id:
                    continue
                msgid = message.id if isinstance(message.id, str) else tuple(message.id)
                msgstr = (
                    message.string if isinstance(message.string, str) else tuple(message.string)
                )
                lineno = message.lineno if message.lineno else 0
                found.append(Translation(msgid, msgstr, message.fuzzy, f"{po.name}:{lineno}"))  # type: ignore[arg-type]
    return found


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def problems(
    entries: Iterable[Entry], translations: Iterable[Translation], *, stale: bool = True
) -> list[str]:
    """What is wrong with the catalog for these needed entries, one line each."""
    by_id: dict[object, list[Translation]] = {}
    for t in translations:
        by_id.setdefault(t.msgid, []).append(t)
    wanted: dict[object, Entry] = {}
    for entry in entries:
        wanted.setdefault(entry.msgid, entry)
    found = []
    for msgid, entry in wanted.items():
        known = by_id.get(msgid)
        if not known:
            found.append(f"untranslated: {msgid!r} (needed at {entry.where})")
            continue
        for t in known:
            strings = [t.msgstr] if isinstance(t.msgstr, str) else list(t.msgstr)
            if t.fuzzy:
                found.append(f"fuzzy: {msgid!r} ({t.where})")
            elif not all(strings):
                found.append(f"untranslated: {msgid!r} ({t.where} has an empty msgstr)")
            ids = [msgid] if isinstance(msgid, str) else list(msgid)
            wanted_names = set().union(*(_placeholders(str(i)) for i in ids))
            for s in strings:
                if s and _placeholders(s) != wanted_names:
                    found.append(
                        f"placeholders differ: {msgid!r} ({t.where}): "
                        f"{sorted(_placeholders(s))} != {sorted(wanted_names)}"
                    )
        if len({t.msgstr for t in known}) > 1:
            found.append(
                f"translated differently in {', '.join(t.where for t in known)}: {msgid!r}"
            )
    if stale:
        for msgid, known in by_id.items():
            if msgid not in wanted:
                found.append(f"stale: {msgid!r} ({known[0].where}) is no longer in the source")
    return found


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _unmarked(node: ast.expr | None) -> bool:
    """Whether ``node`` is text a person reads that did not go through the catalog."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_LETTERS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and isinstance(v.value, str) and _LETTERS.search(v.value)
            for v in node.values
        )
    if isinstance(node, ast.BinOp):  # "a" + "b", "a %s" % x
        return _unmarked(node.left) or _unmarked(node.right)
    if isinstance(node, ast.Call) and _callee(node) == "format":
        target = node.func.value if isinstance(node.func, ast.Attribute) else None
        return _unmarked(target)
    return False


def unmarked_literals(paths: Iterable[Path], root: Path = ROOT) -> Iterator[str]:
    """Literals given to the printing and error helpers without ``_()``: ``file:line: text``."""
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _callee(node) not in SPEAKERS:
                continue
            spoken = list(node.args[:1]) + [
                k.value for k in node.keywords if k.arg in SPOKEN_KEYWORDS
            ]
            for arg in spoken:
                if _unmarked(arg):
                    text = ast.unparse(arg)
                    yield f"{path.relative_to(root)}:{arg.lineno}: {text[:80]}"


def _stub(msgid: str | tuple[str, str], where: str) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    if isinstance(msgid, tuple):
        return (
            f'#: {where}\nmsgid {quoted(msgid[0])}\nmsgid_plural {quoted(msgid[1])}\nmsgstr[0] ""\n'
        )
    return f'#: {where}\nmsgid {quoted(msgid)}\nmsgstr ""\n'


def main(argv: list[str]) -> int:
    """Print .po stubs for what is missing, then the other problems; exit 1 if any."""
    entries = needed()
    translations = catalog()
    known = {t.msgid for t in translations}
    seen: set[object] = set()
    for entry in entries:
        if entry.msgid not in known and entry.msgid not in seen:
            seen.add(entry.msgid)
            print(_stub(entry.msgid, entry.where))
    rest = [p for p in problems(entries, translations) if not p.startswith("untranslated")]
    unmarked = list(unmarked_literals(source_files()))
    for line in rest + [f"unmarked: {u}" for u in unmarked]:
        print(f"# {line}", file=sys.stderr)
    return 1 if seen or rest or unmarked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
