"""The command line: parse options, call the core, print.  Nothing else lives here.

Core modules are imported inside each command so that ``contact-notify --help``
does not pay for phonenumbers, jinja2 or vobject.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from contact_notify import __version__, textsafe
from contact_notify.errors import AppError, ExitCode, NothingToDo, UsageError

ENV_CASE = "CONTACT_NOTIFY_CASE"


def _say(text: str, *, err: bool = False, nl: bool = True, raw: bool = False) -> None:
    """Print for a person: every control character a value may carry is shown as an escape.

    Values from contact files and templates could otherwise drive the terminal
    (clear it, set its title, reorder text); line feeds stay.  ``raw`` is for
    machine formats (JSON), which escape on their own terms and must stay stable.
    """
    typer.echo(text if raw else textsafe.block(text), err=err, nl=nl)


class _Interrupts:
    """Remembers a Ctrl-C, however it surfaces.

    SIGINT raises KeyboardInterrupt wherever Python is; when that is inside a
    function SQLite calls back (the time comparison in a query), SQLite turns it
    into "user-defined function raised exception". The flag says it was the user.
    """

    seen = False

    @classmethod
    @contextlib.contextmanager
    def watched(cls) -> Iterator[None]:
        cls.seen = False
        if threading.current_thread() is not threading.main_thread():
            yield  # signals are only delivered to the main thread
            return

        def on_sigint(signum: int, frame: object) -> None:
            cls.seen = True
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGINT, on_sigint)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def _interrupted() -> NoReturn:
    _fail("interrupted; the case is as it was before this command", None, ExitCode.INTERRUPTED)


class _Group(TyperGroup):
    """Maps every error to one line on stderr and its exit code: the only such place."""

    def invoke(self, ctx: Any) -> Any:  # typer's Context lives in a private module
        with _Interrupts.watched():
            try:
                return super().invoke(ctx)
            except typer.Exit:
                raise
            except BaseException as exc:
                if _Interrupts.seen:  # whatever the interrupt became on its way up
                    _interrupted()
                _map_error(exc)


def _map_error(exc: BaseException) -> NoReturn:
    """Print one line (and a hint) for an exception and exit with its code."""
    if isinstance(exc, AppError):
        _fail(exc.message, exc.hint, exc.exit_code, exc.label)
    if isinstance(exc, typer.Abort | typer.TyperException):
        raise exc
    if isinstance(exc, BrokenPipeError):
        # The reader of our output went away (e.g. `| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(ExitCode.OK) from None
    if isinstance(exc, sqlite3.Error):
        # Raised below a command when the case file is damaged, locked or read-only.
        from contact_notify.case import sqlite_failure

        failure = sqlite_failure(exc, _case_path())
        _fail(failure.message, failure.hint, failure.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        _interrupted()
    if not isinstance(exc, Exception):
        raise exc  # SystemExit and the like go on as they are
    _fail(
        f"internal error ({type(exc).__name__}); this is a bug in contact-notify",
        "please report it with the command you ran (no personal data is needed)",
        ExitCode.INTERNAL,
    )


def _fail(message: str, hint: str | None, code: int, label: str | None = "error") -> NoReturn:
    _say(f"{label}: {message}" if label else message, err=True)
    if hint:
        _say(f"hint: {hint}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    cls=_Group,
    name="contact-notify",
    help=(
        "Tell the people debt collectors called that it is not their debt.\n\n"
        "Import your contact list, mark who was reached, preview a personal "
        "apology for each of them, and export it for sending. Everything stays "
        "on this computer, in one case file."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _State:
    case_path: Path | None = None


def _version(value: bool) -> None:
    if value:
        _say(f"contact-notify {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    case: Annotated[
        Path | None,
        typer.Option(
            "--case",
            envvar=ENV_CASE,
            help="The case file to use [default: ~/.local/share/contact-notify/case.sqlite3].",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    _State.case_path = case.expanduser() if case else None


def _case_path() -> Path:
    from contact_notify.case import default_case_path

    return _State.case_path or default_case_path()


def _open(*, create: bool = False, writes: bool = False) -> Any:
    """Open the case: checked (more for a command that writes), interrupted exports settled."""
    from contact_notify.case import Case
    from contact_notify.exportlog import recover

    case = Case.open(_case_path(), create=create, check="quick" if writes else "schema")
    try:
        for line in recover(case):
            _say(f"note: {line}", err=True)
    except BaseException:
        case.close()
        raise
    return case


def _echo_err(lines: list[str]) -> None:
    for line in lines:
        _say(line, err=True)


def _checked_region(code: str) -> str:
    from contact_notify.phones import is_known_region

    if not is_known_region(code):
        raise UsageError(
            f"unknown region {code!r}", hint="use a two-letter code such as CN, HK, TW, US"
        )
    return code.upper()


def _region(case: Any, override: str | None) -> str:
    """``--region`` when given, else the case's region, else CN."""
    from contact_notify.phones import DEFAULT_REGION

    if override:
        return _checked_region(override)
    return str(case.get_setting("region") or DEFAULT_REGION)


RegionOpt = Annotated[
    str | None,
    typer.Option(
        help="Region for numbers written without a country code [default: CN]; kept in the case."
    ),
]
EncodingOpt = Annotated[
    str | None, typer.Option(help="Read the files in this encoding instead of detecting it.")
]
ColumnOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--column",
        help="Map a CSV column by hand: FIELD=HEADER or FIELD=#N (the Nth column, for a file "
        "without a header row); FIELD one of name, given, family, nickname, org, groups, "
        "phone, email. Repeatable.",
        show_default=False,
    ),
]


def _columns(pairs: list[str] | None) -> list[tuple[str, str]] | None:
    from contact_notify.csv_reader import COLUMN_ALIASES

    if not pairs:
        return None
    mapping = []
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if sep and header.strip() and field.strip() not in COLUMN_ALIASES:
            raise UsageError(
                f"--column {pair!r}: unknown field {field.strip()!r}",
                hint="fields: " + ", ".join(COLUMN_ALIASES),
            )
        if not sep or not header.strip():
            raise UsageError(
                f"--column {pair!r} is not FIELD=HEADER",
                hint="for example: --column name=姓名 --column phone=手机; fields: "
                + ", ".join(COLUMN_ALIASES),
            )
        mapping.append((field.strip(), header.strip()))
    return mapping


@contextlib.contextmanager
def _progress(files: list[Path]) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for a terminal; nothing at all otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    total = sum(p.stat().st_size for p in files if p.is_file())
    with typer.progressbar(length=total, label="importing", file=sys.stderr) as bar:
        state = {"done": 0}

        def update(done: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        yield update


@app.command("import")
def import_(
    files: Annotated[
        list[Path], typer.Argument(help="vCard (.vcf) or CSV files to import.", show_default=False)
    ],
    region: RegionOpt = None,
    encoding: EncodingOpt = None,
    column: ColumnOpt = None,
) -> None:
    """Import contacts from vCard or CSV files into the case.

    Cards sharing a number become one contact; importing the same file again
    changes nothing. Unreadable cards and rows are reported with file and line.

    Example: contact-notify import ~/Downloads/contacts.vcf
    """
    from contact_notify import report
    from contact_notify.importer import import_files

    columns = _columns(column)
    from contact_notify.encoding import MAX_CONTACT_FILE
    from contact_notify.readers import check_input

    for file in files:  # before a new case file is created for nothing
        check_input(file, "contact file", MAX_CONTACT_FILE)
    with _open(create=True, writes=True) as case:
        chosen = _region(case, region)
        stored_region = case.get_setting("region")
        with case.transaction("import"), _progress(files) as progress:
            if stored_region is None:
                case.set_setting("region", chosen)  # a new case takes its first import's region
            result = import_files(
                case, files, region=chosen, encoding=encoding, columns=columns, progress=progress
            )
    _echo_err(report.import_details(result))
    if stored_region and chosen != stored_region:
        _say(
            f"note: numbers without a country code were read as {chosen} for this import; the "
            f"case's region stays {stored_region} (change it with: contact-notify config region {chosen})",
            err=True,
        )
    for line in report.import_summary(result):
        _say(line)


@app.command("inspect")
def inspect(
    file: Annotated[Path, typer.Argument(help="A vCard or CSV file.", show_default=False)],
    output_format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    region: Annotated[
        str, typer.Option(help="Region for numbers written without a country code.")
    ] = "CN",
    encoding: EncodingOpt = None,
    column: ColumnOpt = None,
) -> None:
    """Show what importing a file would give, and every warning, without touching the case.

    Example: contact-notify inspect contacts.vcf --format json
    """
    from contact_notify import report
    from contact_notify.importer import inspect_file

    formats = {"table": report.inspect_table, "json": report.inspect_json}
    if output_format not in formats:
        raise UsageError(f"unknown format {output_format!r}", hint="use table or json")
    chosen = _checked_region(region)
    result = inspect_file(file, region=chosen, encoding=encoding, columns=_columns(column))
    _say(formats[output_format](result), raw=output_format == "json")


@app.command("contacts")
def contacts(
    reached: Annotated[
        bool, typer.Option("--reached", help="Only contacts reached by collectors.")
    ] = False,
    unreached: Annotated[
        bool, typer.Option("--unreached", help="Only contacts not reached.")
    ] = False,
    output_format: Annotated[
        str, typer.Option("--format", help="table, csv or json.", case_sensitive=False)
    ] = "table",
) -> None:
    """List the contacts in the case.

    Example: contact-notify contacts --reached --format json
    """
    from contact_notify import report

    if reached and unreached:
        raise UsageError("--reached and --unreached exclude each other")
    formats = {
        "table": report.contacts_table,
        "csv": report.contacts_csv,
        "json": report.contacts_json,
    }
    if output_format.lower() not in formats:
        raise UsageError(f"unknown format {output_format!r}", hint="use table, csv or json")
    with _open() as case:
        found = case.contacts(reached=True if reached else False if unreached else None)
    _say(formats[output_format.lower()](found), raw=output_format.lower() != "table")


def _targets(
    typed: list[str] | None, file: Path | None, region: str, *, required: bool = True
) -> tuple[list[Any], str]:
    from contact_notify.marking import Target, read_targets

    if any(not t.strip() for t in typed or []):
        raise UsageError("an empty target was given", hint="give a number, a name or id:N")
    targets = [Target(t) for t in typed or []]
    source = "typed"
    if file is not None:
        targets += read_targets(file, region)
        source = "file"
    if not targets and required:
        raise UsageError(
            "nothing to mark: give numbers or names, or --file",
            hint="contact-notify mark 13800138000",
        )
    return targets, source


class _Rollback(Exception):
    """Raised inside a transaction to undo it (for --dry-run)."""


@app.command("mark")
def mark(
    targets: Annotated[
        list[str] | None,
        typer.Argument(help="Phone numbers (any format), names, or id:N.", show_default=False),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            "-f",
            help="One target per line, or a CSV with columns target, at, channel, by, org, note.",
        ),
    ] = None,
    text: Annotated[
        Path | None,
        typer.Option(
            "--text",
            help="Pasted text (a file, or - for stdin): every contact's number in it is marked.",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(help="When it happened: 2026-11-27 or '2026-11-27 21:30' [default: now]."),
    ] = None,
    channel: Annotated[str, typer.Option(help="call, sms, wechat, visit or other.")] = "call",
    by: Annotated[
        list[str] | None,
        typer.Option(help="The collector's number (repeatable).", show_default=False),
    ] = None,
    org: Annotated[
        str, typer.Option(help="The organisation or loan platform the collector named.")
    ] = "",
    note: Annotated[str, typer.Option(help="A note to keep with the record.")] = "",
    attach: Annotated[
        list[Path] | None,
        typer.Option(
            help="An evidence file (screenshot, recording) to record with its SHA-256 (repeatable).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be marked; change nothing.")
    ] = False,
) -> None:
    """Record that collectors reached these contacts.

    A name that fits several contacts is an error listing them; a target
    that fits nobody is reported. With --text, numbers that belong to nobody
    are listed as probable collector numbers.

    Example: contact-notify mark "138 0013 8000" 李四 --by 17012345678 --at 2026-11-27
    """
    from contact_notify import report
    from contact_notify.marking import (
        Details,
        check_channel,
        collector_number,
        parse_when,
        read_text_targets,
    )
    from contact_notify.marking import mark as mark_targets

    with _open(writes=True) as case:
        region = _region(case, None)
        items, source = _targets(targets, file, region, required=text is None)
        numbers = tuple(collector_number(n, region) for n in by or [])
        unknown: list[Any] = []
        if text is not None:
            found, unknown = read_text_targets(text, case, region, collectors=numbers)
            items += found
            source = "text" if file is None and not targets else source
        details = Details(
            at=parse_when(at),
            channel=check_channel(channel),
            numbers=numbers,
            org=org,
            note=note,
            source=source,
            attachments=tuple(attach or []),
            at_given=at is not None,
        )
        with contextlib.suppress(_Rollback), case.transaction("mark"):
            result = mark_targets(case, items, region=region, details=details)
            if dry_run:
                raise _Rollback  # undo everything mark_targets wrote
    for line in report.mark_lines(result, dry_run=dry_run):
        _say(line)
    _echo_err(report.not_found_lines(result))
    _echo_err(report.unknown_number_lines(unknown, details.at))


@app.command("unmark")
def unmark(
    targets: Annotated[
        list[str] | None, typer.Argument(help="Numbers, names or id:N.", show_default=False)
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="A file with one target per line.")
    ] = None,
    record: Annotated[
        list[int] | None,
        typer.Option(
            help="Remove only this reach record (see history); repeatable.", show_default=False
        ),
    ] = None,
) -> None:
    """Remove the reach records of these contacts, or single records by id (undo mark).

    Example: contact-notify unmark 13800138000
    """
    from contact_notify import report
    from contact_notify.marking import unmark as unmark_targets

    with _open(writes=True) as case:
        region = _region(case, None)
        items, _ = _targets(targets, file, region, required=not record)
        with case.transaction():
            result = unmark_targets(case, items, region=region, records=record or [])
    for name, count in result.removed.items():
        _say(f"unmarked: {name} ({count} record{'s' if count != 1 else ''} removed)")
    _echo_err(report.not_found_lines(result))


@app.command("history")
def history(
    target: Annotated[str, typer.Argument(help="A number, a name or id:N.", show_default=False)],
) -> None:
    """Show every reach record of one contact, with attached evidence and whether it changed.

    Example: contact-notify history 王秀英
    """
    from contact_notify import report
    from contact_notify.marking import Target, resolve_one

    with _open() as case:
        contact_id = resolve_one(case, Target(target), _region(case, None), "history")
        stored = case.contact(contact_id)
        reaches = case.reaches(contact_id)
        attachments = case.attachments()
    for line in report.history_lines(stored, reaches, attachments):
        _say(line)


@app.command("attach")
def attach(
    record: Annotated[
        int, typer.Argument(help="The reach record's id (see history).", show_default=False)
    ],
    files: Annotated[
        list[Path], typer.Argument(help="Screenshots, recordings…", show_default=False)
    ],
) -> None:
    """Record evidence files with a reach: path, size and SHA-256 (the files are not copied or changed).

    Example: contact-notify attach 3 ~/Pictures/screenshot-2026-11-27.png
    """
    from contact_notify.errors import InputDataError
    from contact_notify.marking import fingerprint

    prints = [fingerprint(f) for f in files]
    with _open(writes=True) as case:
        if case.reach(record) is None:
            raise InputDataError(
                f"there is no reach record {record}", hint="see: contact-notify history TARGET"
            )
        with case.transaction():
            for path, size, sha in prints:
                case.add_attachment(record, path, size, sha)
    for path, size, sha in prints:
        _say(f"attached to record {record}: {path} ({size} bytes, sha256 {sha[:16]}…)")


@app.command("collectors")
def collectors() -> None:
    """List the collectors' numbers recorded with --by: how often, first and last seen.

    Example: contact-notify collectors
    """
    from contact_notify import report

    with _open() as case:
        found = case.collectors()
        region = _region(case, None)
    _say(report.collectors_table(found, region))


TemplateOpt = Annotated[
    str | None,
    typer.Option(
        "--template",
        "-t",
        help="Use this template for everyone: a relationship (colleague), a built-in name or a "
        ".j2 file [default: chosen per contact by the rules].",
    ),
]
LangOpt = Annotated[
    str, typer.Option("--lang", help="Language of the built-in templates: zh or en.")
]
ChannelOpt = Annotated[str, typer.Option("--channel", help="sms, wechat or email.")]
SenderOpt = Annotated[
    str | None,
    typer.Option(
        "--sender", help="Your name as the messages sign it [default: the case's sender]."
    ),
]


AllOpt = Annotated[
    bool,
    typer.Option("--all", help="Include contacts already sent a message for their latest reach."),
]


@app.command("preview")
def preview(
    template: TemplateOpt = None,
    lang: LangOpt = "zh",
    channel: ChannelOpt = "sms",
    sender: SenderOpt = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Show at most this many messages.")
    ] = None,
    everyone: AllOpt = False,
) -> None:
    """Show the message each reached contact would get, with its template and SMS parts. Changes nothing.

    Contacts already sent a message for their latest reach are left out (see --all).

    Example: contact-notify preview --lang en --limit 3
    """
    from contact_notify import report
    from contact_notify.messages import SENDER_PLACEHOLDER, compose, sms_limit, too_long

    with _open() as case:
        name = sender or case.get_setting("sender")
        messages = compose(
            case,
            name or SENDER_PLACEHOLDER,
            template=template,
            lang=lang.lower(),
            channel=channel.lower(),
            limit=limit,
            include_sent=everyone,
        )
        max_parts = sms_limit(case)
    if not name:
        _say(
            "note: no sender name set; using a placeholder (set it with: contact-notify config sender NAME)",
            err=True,
        )
    if not messages:
        _say("nobody to notify: no reached contact is waiting for a message (see --all)", err=True)
        return
    _say(report.preview(messages))
    _echo_err(report.length_warnings(too_long(messages, max_parts), max_parts))


@app.command("export")
def export(
    out: Annotated[
        Path,
        typer.Argument(
            help="OUT.csv, OUT.vcf, OUT.html (send page) or a folder for .eml drafts.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        str | None, typer.Option("--format", help="csv, vcf, html or eml [default: from OUT].")
    ] = None,
    template: TemplateOpt = None,
    lang: LangOpt = "zh",
    channel: Annotated[
        str | None,
        typer.Option("--channel", help="sms, wechat or email [default: email for eml, else sms]."),
    ] = None,
    sender: SenderOpt = None,
    columns: Annotated[
        str | None,
        typer.Option(help="CSV columns in order, e.g. phone,message (see docs/exports.md)."),
    ] = None,
    phone_format: Annotated[
        str, typer.Option(help="CSV phone numbers: national, e164 or digits.")
    ] = "national",
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel/WPS: UTF-8 with BOM, CRLF.")
    ] = False,
    group: Annotated[
        str, typer.Option(help="vCard: the group the contacts are put in.")
    ] = "contact-notify",
    everyone: AllOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse to export when an SMS is over the part limit.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be written; change nothing.")
    ] = False,
) -> None:
    """Write the messages for sending: CSV, a vCard of the contacts, a send page, or e-mail drafts.

    Files are written atomically, owner-only, and never replace an existing
    file unless --force is given. The case records which text went to whom.
    Contacts already sent a message for their latest reach are left out (see --all).

    Example: contact-notify export messages.csv --excel
    """
    from contact_notify import report
    from contact_notify.exporters import CSV_COLUMNS, CsvOptions, format_for
    from contact_notify.exporters import export as write_export
    from contact_notify.messages import compose, refuse_long, sms_limit, too_long
    from contact_notify.sendpage import render_page

    fmt = format_for(out, output_format)
    chosen_channel = (channel or ("email" if fmt == "eml" else "sms")).lower()
    lang = lang.lower()
    with _open(writes=True) as case:
        name = sender or case.get_setting("sender")
        if not name:
            raise UsageError(
                "no sender name: the messages would be unsigned",
                hint="set it once with: contact-notify config sender 你的名字 (or pass --sender)",
            )
        region = _region(case, None)
        options = CsvOptions(
            columns=tuple(c.strip() for c in columns.split(",")) if columns else CSV_COLUMNS,
            phone_format=phone_format,
            excel=excel,
            region=region,
        )
        messages = compose(
            case, name, template=template, lang=lang, channel=chosen_channel, include_sent=everyone
        )
        max_parts = sms_limit(case)
        long = too_long(messages, max_parts)
        if strict and long:
            _echo_err(report.length_warnings(long, max_parts))
            refuse_long(long, max_parts)
        if not messages:
            raise NothingToDo(
                "nothing to export: every reached contact was already sent a message for their "
                "latest reach; nothing was written",
                hint="use --all to export everyone again",
            )
        groups = {s.id: " ".join(s.contact.groups) for s in case.contacts(reached=True)}
        page = render_page(messages, lang, groups) if fmt == "html" else ""
        result = write_export(
            case, out, fmt, messages, force=force, dry_run=dry_run,
            csv_options=options, group=group, page=page,
        )  # fmt: skip
    _echo_err(report.length_warnings(long, max_parts))
    _echo_err(report.skipped_lines(result))
    for line in report.export_lines(result, dry_run):
        _say(line)


@app.command("sent")
def sent(
    targets: Annotated[
        list[str] | None, typer.Argument(help="Numbers, names or id:N.", show_default=False)
    ] = None,
    exported: Annotated[
        Path | None,
        typer.Option(
            "--exported", help="Mark everyone in this export (a file or e-mail folder) as sent."
        ),
    ] = None,
    channel: ChannelOpt = "sms",
    at: Annotated[str | None, typer.Option(help="When it was sent [default: now].")] = None,
) -> None:
    """Record that the messages went out, so nobody gets the same apology twice.

    Example: contact-notify sent --exported messages.csv
    """
    from contact_notify.marking import parse_when
    from contact_notify.sendlog import record_sent

    when = parse_when(at)
    with _open(writes=True) as case:
        region = _region(case, None)
        with case.transaction("sent"):
            done = record_sent(
                case, targets or [], exported, channel=channel, when=when, region=region
            )
    if exported is not None and exported.suffix.lower() in (".html", ".htm"):
        _say(
            "note: this marks everyone on the page as sent, ticked or not (the ticks stay on the "
            "phone); to mark only some: contact-notify sent NAME…",
            err=True,
        )
    for name in done:
        _say(f"sent: {name}")
    if not done:
        _say("nothing new: those messages were already marked sent", err=True)


templates_app = typer.Typer(
    cls=_Group,
    help="List, show, copy and check message templates.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def templates_list(
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language.")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
) -> None:
    """List the built-in templates with their language, channel and relationship.

    Example: contact-notify templates list --lang zh --channel sms
    """
    from contact_notify import report
    from contact_notify.render import builtins

    found = [t for t in builtins() if lang in (None, t.lang) and channel in (None, t.channel)]
    _say(report.templates_table(found))


@templates_app.command("show")
def templates_show(
    name: Annotated[str, typer.Argument(help="A built-in template name.", show_default=False)],
) -> None:
    """Print a built-in template's source.

    Example: contact-notify templates show colleague.wechat.zh
    """
    from contact_notify.render import load

    template = load(name)
    _say(template.path.read_text(encoding="utf-8"), nl=False, raw=True)  # a built-in's source


@templates_app.command("copy")
def templates_copy(
    name: Annotated[str, typer.Argument(help="A built-in template name.", show_default=False)],
    folder: Annotated[Path, typer.Argument(help="Where to put the copy.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing copy.")] = False,
) -> None:
    """Copy a built-in template into a folder, to adapt it and use it with --template.

    Example: contact-notify templates copy friend.sms.zh ./my-templates
    """
    from contact_notify.render import copy

    target = copy(name, folder, force=force)
    _say(f"copied {name} to {target}")
    _say(f"use it with: contact-notify preview --template {target}")


@templates_app.command("check")
def templates_check(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A .j2 file or a folder of them [default: the built-in templates].",
            show_default=False,
        ),
    ] = None,
    sms_limit: Annotated[int, typer.Option(min=1, help="SMS parts above which to warn.")] = 2,
) -> None:
    """Check templates: syntax, unknown variables, and SMS parts for short and long names.

    Example: contact-notify templates check ./my-templates
    """
    from contact_notify.errors import TemplateError
    from contact_notify.template_check import check_templates

    result = check_templates(path, sms_limit=sms_limit)
    for line in result.lines:
        _say(line)
    if result.errors:
        raise TemplateError(f"{result.errors} template problem(s) found")


rules_app = typer.Typer(
    cls=_Group,
    help="Which template each group of contacts gets.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list() -> None:
    """List the rules from contact group to template, in the order they are tried.

    Example: contact-notify rules list
    """

    with _open() as case:
        rules = case.rules()
    for group, template in rules:
        _say(f"{group} -> {template}")


@rules_app.command("set")
def rules_set(
    group: Annotated[
        str, typer.Argument(help="A group name as in the contact file.", show_default=False)
    ],
    template: Annotated[
        str,
        typer.Argument(
            help="A relationship, a built-in template name or a .j2 file.", show_default=False
        ),
    ],
) -> None:
    """Make contacts of a group get a template.

    Relationships: family-elder, family-peer, friend, colleague, superior, default.

    Example: contact-notify rules set 球友 friend
    """
    from contact_notify.render import load

    load(template)  # refuse a template that does not exist
    with _open(create=True, writes=True) as case, case.transaction():
        case.set_rule(group, template)
    _say(f"{group} -> {template}")


@rules_app.command("remove")
def rules_remove(
    group: Annotated[
        str, typer.Argument(help="The group whose rule to remove.", show_default=False)
    ],
) -> None:
    """Remove a group's rule (its contacts then get the default template).

    Example: contact-notify rules remove 同学
    """
    from contact_notify.errors import InputDataError

    with _open(writes=True) as case, case.transaction():
        if not case.remove_rule(group):
            raise InputDataError(
                f"there is no rule for group {group!r}", hint="see: contact-notify rules list"
            )
    _say(f"removed the rule for {group}")


@app.command("contact")
def contact(
    target: Annotated[str, typer.Argument(help="A number, a name or id:N.", show_default=False)],
    salutation: Annotated[
        str | None,
        typer.Option(
            help="How messages address this person, e.g. 张叔叔 or 'Aunt May' ('' to clear)."
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            "-t",
            help="This person's template: a relationship, name or .j2 file ('' to clear).",
        ),
    ] = None,
) -> None:
    """Show one contact, or set how messages address them and which template they get.

    Example: contact-notify contact 徐强 --salutation 徐总 --template superior
    """
    from contact_notify import report
    from contact_notify.marking import Target, resolve_one
    from contact_notify.render import load

    if template:
        load(template)  # refuse a template that does not exist
    with _open(writes=True) as case:
        contact_id = resolve_one(case, Target(target), _region(case, None), "contact")
        if salutation is not None or template is not None:
            with case.transaction():
                case.set_personal(contact_id, salutation=salutation, template=template)
        stored = case.contact(contact_id)
        rules = case.rules()
    for line in report.contact_lines(stored, rules):
        _say(line)


NightOpt = Annotated[
    str, typer.Option("--night", help="The night-time window counted separately, e.g. 21:00-08:00.")
]
MaskOpt = Annotated[
    bool,
    typer.Option(
        "--mask", help="Hide contacts' numbers (138****8000) and shorten their names, for sharing."
    ),
]


def _write_new(out: Path, text: str, force: bool) -> None:
    from contact_notify.fileio import atomic_write

    atomic_write(out, text.encode("utf-8"), force=force)


@app.command("evidence")
def evidence(
    out: Annotated[
        Path, typer.Argument(help="The file to write: .md, .csv or .html.", show_default=False)
    ],
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="md, csv or html [default: from OUT's extension]."),
    ] = None,
    mask: MaskOpt = False,
    night: NightOpt = "21:00-08:00",
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Write the evidence kit: a timeline of every reach and a summary (per day, numbers, night-time).

    The HTML form is one self-contained page with a chart of reaches per day.

    Example: contact-notify evidence evidence.html --mask
    """
    from contact_notify.evidence import RENDERERS, Masker, collect, format_for, masked

    chosen = format_for(out.suffix, output_format)
    with _open() as case:
        found = collect(case, night)
        if mask:
            found = masked(found, Masker(case))
    _write_new(out, RENDERERS[chosen](found), force)
    s = found.summary
    _say(
        f"wrote {out}: {s.reaches} reaches of {s.contacts_reached} contacts, "
        f"{len(s.collectors)} collector numbers, {s.night} at night"
    )


@app.command("complaint")
def complaint(
    out: Annotated[
        Path, typer.Argument(help="The draft to write (a text file).", show_default=False)
    ],
    to: Annotated[str, typer.Option("--to", help="nifa, 12378, 12321, 12315 or police.")],
    lang: LangOpt = "zh",
    mask: MaskOpt = False,
    night: NightOpt = "21:00-08:00",
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Write an editable complaint draft filled with the evidence; blanks are marked 【待填写】.

    Kinds: nifa (互联网金融协会), 12378 (金融消费者投诉), 12321 (骚扰电话短信举报),
    12315 (市场监管), police (报警材料). Your name, contact and the lending platform
    come from: contact-notify config sender / sender-contact / platform.

    Example: contact-notify complaint --to 12321 complaint-12321.txt
    """
    from contact_notify.complaints import draft
    from contact_notify.evidence import Masker, collect, masked

    with _open() as case:
        found = collect(case, night)
        if mask:
            found = masked(found, Masker(case))
        text = draft(case, found, to, lang)
    _write_new(out, text, force)
    blanks = text.count("【待填写") + text.count("[TO FILL IN")
    _say(f"wrote {out}: check it and fill in the {blanks} marked blank(s) before sending")


@app.command("doctor")
def doctor() -> None:
    """Check the case file's integrity (SQLite's integrity and foreign-key checks).

    Example: contact-notify doctor
    """
    from contact_notify.case import Case

    with Case.open(_case_path()) as case:
        problems = case.check()
        path = case.path
        stale = None if problems else case.remove_stale_journal()
    if stale is not None:
        _say(f"removed a stale journal left by a crash: {stale}")
    if problems:
        for problem in problems:
            _say(f"problem: {problem}", err=True)
        from contact_notify.errors import CaseError

        raise CaseError(
            f"the case {path} is damaged ({len(problems)} problem(s))",
            hint="restore it from a backup (contact-notify backup makes one)",
        )
    _say(f"{path}: ok")


@app.command("backup")
def backup(
    destination: Annotated[
        Path, typer.Argument(help="Where to write the copy.", show_default=False)
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace DESTINATION if it exists.")
    ] = False,
) -> None:
    """Write a consistent copy of the case (owner-only), even while it is in use.

    Restore it by pointing --case at the copy, or by copying it back.

    Example: contact-notify backup ~/case-backup-2026-11-28.sqlite3
    """
    from contact_notify.case import Case

    destination = destination.expanduser()
    with Case.open(_case_path()) as case:
        case.backup(destination, force=force)
    _say(f"backed up the case to {destination}")


@app.command("wipe")
def wipe(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask; delete at once.")] = False,
) -> None:
    """Delete the case file: every contact, reach record and message log. Cannot be undone.

    Your contact files and exports are not touched.

    Example: contact-notify wipe
    """
    from contact_notify.case import wipe as wipe_case

    path = _case_path()
    if not path.exists():
        raise UsageError(f"there is no case at {path}")
    if not yes:
        try:
            yes = typer.confirm(f"Delete the case {path} and everything in it?", default=False)
        except typer.Abort:  # the input ended before an answer (Ctrl-C is an interrupt)
            raise UsageError(
                "no answer to the question; nothing was deleted",
                hint="to delete without a question: contact-notify wipe --yes",
            ) from None
        if not yes:  # declining is an answer, not an error
            _say("nothing was deleted")
            return
    for gone in wipe_case(path):
        _say(f"deleted {gone}")


@app.command("status")
def status() -> None:
    """Show how many contacts there are, were reached, were sent a message, and are still to notify.

    Example: contact-notify status
    """
    from contact_notify import report

    with _open() as case:
        counts = case.counts()
        path = case.path
    _say(f"case: {path}")
    for line in report.status_lines(counts):
        _say(line)


SETTINGS = {
    "sender": "your name, as messages sign it",
    "sender-contact": "how people can reach you (shown in the fuller messages)",
    "region": "default region for numbers, such as CN",
    "sms-limit": "SMS parts above which a message is too long (default 2)",
    "platform": "the lending platform the debt is with (for complaint drafts)",
}


@app.command("config")
def config(
    key: Annotated[
        str | None, typer.Argument(help="A setting (see the list).", show_default=False)
    ] = None,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="The new value; several words are joined with spaces.", show_default=False
        ),
    ] = None,
) -> None:
    """Show or change the case's settings.

    Example: contact-notify config sender 小林
    """

    value = " ".join(words) if words else None
    if key is not None and key not in SETTINGS:
        raise UsageError(f"unknown setting {key!r}", hint="settings: " + ", ".join(SETTINGS))
    with _open(create=value is not None, writes=value is not None) as case:
        if key is None:
            stored = case.settings()
            for name, meaning in SETTINGS.items():
                _say(f"{name} = {stored.get(name, '')}    # {meaning}")
            return
        if value is None:
            _say(case.get_setting(key) or "")
            return
        if key == "region":
            value = _region(case, value)
        if key == "sms-limit" and not (value.isdigit() and int(value) >= 1):
            raise UsageError(f"sms-limit must be a whole number of parts, not {value!r}")
        if key == "sms-limit" and not (value.isdigit() and int(value) >= 1):
            raise UsageError(f"sms-limit must be a whole number of parts, not {value!r}")
        if key == "sender-contact":
            from contact_notify.exporters import sender_address

            try:  # an @ and no space: meant as the drafts' From, so it must be a valid address
                sender_address(value)
            except ValueError as exc:
                raise UsageError(
                    f"sender-contact {value!r} is not a valid e-mail address ({exc})",
                    hint="give your address alone (contact-notify config sender-contact "
                    "you@example.com), or other contact details with a space (微信 xiaolin88), "
                    "which messages show but e-mail drafts do not use as the sender",
                ) from None
        with case.transaction():
            case.set_setting(key, value)
    _say(f"{key} = {value}")


@app.command("demo")
def demo(lang: LangOpt = "zh") -> None:
    """Run the whole flow on the shipped examples in a temporary case.

    Imports examples/contacts.vcf, marks examples/reached.txt and prints the
    preview. Your own case and files are not touched.

    Example: contact-notify demo --lang en
    """
    import tempfile

    from contact_notify import report
    from contact_notify.demo import run

    with tempfile.TemporaryDirectory(prefix="contact-notify-demo-") as folder:
        result = run(Path(folder), lang)
    _say("$ contact-notify import examples/contacts.vcf")
    for line in report.import_summary(result.imported):
        _say(line)
    _say("$ contact-notify mark --file examples/reached.txt")
    for line in report.mark_lines(result.marked) + report.not_found_lines(result.marked):
        _say(line)
    _say("$ contact-notify preview")
    _say(report.preview(result.messages))


def main() -> None:
    """Entry point of the ``contact-notify`` command."""
    sys.exit(app(prog_name="contact-notify", standalone_mode=True) or 0)
