"""Commands for contacts: import, inspect, contacts, contact."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from contact_notify import i18n
from contact_notify.choices import canonical
from contact_notify.cli.base import app, say, say_all, session
from contact_notify.errors import AppError, UsageError
from contact_notify.i18n import _

if TYPE_CHECKING:
    from contact_notify.actions.contacts import Which

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


_T = TypeVar("_T")


def _machine_stream(make: Callable[[], Iterator[str]]) -> None:
    """Print a machine format (JSON, CSV) piece by piece, in English, then a line end.

    The listing is read twice, in flat memory: once to check that every record
    reads (a damaged case fails before anything is printed, as a whole listing
    would, so a script never gets half a JSON array), then to print it.  An error
    is made again in the interface language: the action only reads, so it fails
    the same way.
    """
    try:
        with i18n.using("en"):
            for _chunk in make():
                pass
    except AppError:
        for _chunk in make():
            pass
        raise
    with i18n.using("en"):
        for chunk in make():
            say(chunk, nl=False, raw=True)
    say("", raw=True)


def _machine(make: Callable[[], _T]) -> _T:
    """A machine format (JSON, CSV), made in English whatever the interface language.

    An error on the way is made again in the interface language: the action
    only reads, so it fails the same way, and the person reads it in theirs.
    """
    try:
        with i18n.using("en"):
            return make()
    except AppError:
        return make()


@contextlib.contextmanager
def _progress(files: list[Path]) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for a terminal; nothing at all otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    total = sum(p.stat().st_size for p in files if p.is_file())
    with typer.progressbar(length=total, label=_("importing"), file=sys.stderr) as bar:
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
    from contact_notify.actions import contacts as actions
    from contact_notify.cli import terminal

    with _progress(files) as progress:
        done = actions.import_files(
            session(), files, region=region, encoding=encoding, columns=column, progress=progress
        )
    say_all(terminal.import_details(done.report), err=True)
    if done.case_region:
        say(
            _(
                "note: numbers without a country code were read as {region} for this import; "
                "the case's region stays {case_region} (change it with: contact-notify config "
                "region {region})"
            ).format(region=done.region, case_region=done.case_region),
            err=True,
        )
    say_all(terminal.import_summary(done.report))


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
    from contact_notify.actions import contacts as actions
    from contact_notify.cli import terminal

    chosen = canonical(output_format)
    if chosen not in ("table", "json"):
        raise UsageError(
            _("unknown format {format}").format(format=repr(output_format)),
            hint=_("use table or json"),
        )

    if chosen == "table":
        found = actions.inspect_file(file, region=region, encoding=encoding, columns=column)
        say(terminal.inspect_table(found))
        return

    # JSON is a machine format: its warning reasons stay English.  The file is
    # read twice in flat memory: once for the counts and warnings the document
    # starts with (an unreadable file fails there, before anything is printed),
    # then for the contacts, printed as they are read.
    report, again = _machine(
        lambda: actions.read_twice(file, region=region, encoding=encoding, columns=column)
    )
    contacts = again()  # a file changed in between is refused before anything is printed
    with i18n.using("en"):
        for chunk in terminal.inspect_json_chunks(report, contacts):
            say(chunk, nl=False, raw=True)
    say("", raw=True)


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
    from contact_notify.actions import contacts as actions
    from contact_notify.cli import terminal

    if reached and unreached:
        raise UsageError(_("--reached and --unreached exclude each other"))
    chosen = canonical(output_format)
    if chosen not in ("table", "csv", "json"):
        raise UsageError(
            _("unknown format {format}").format(format=repr(output_format)),
            hint=_("use table, csv or json"),
        )
    which: Which = "reached" if reached else "unreached" if unreached else "all"
    if chosen == "table":  # the columns' widths need every row
        say(terminal.contacts_table(actions.list_contacts(session(), which)))
        return
    # CSV and JSON are machine formats: they stay English, and are written as they are read.
    chunks = terminal.contacts_json_chunks if chosen == "json" else terminal.contacts_csv_chunks
    _machine_stream(
        lambda: terminal.without_last_line_end(chunks(actions.iter_contacts(session(), which)))
    )


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
    from contact_notify.actions import contacts as actions
    from contact_notify.cli import terminal

    view = actions.show_contact(session(), target, salutation=salutation, template=template)
    say_all(terminal.contact_lines(view))
