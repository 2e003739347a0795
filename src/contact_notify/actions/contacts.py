"""Contacts: import files, inspect a file, list the contacts, show or set one of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from contact_notify.actions.session import Session, case_region, changes, checked_region
from contact_notify.errors import InputDataError, UsageError
from contact_notify.i18n import _

if TYPE_CHECKING:
    from contact_notify.importer import ImportReport, Inspection
    from contact_notify.model import Contact, StoredContact
    from contact_notify.readers import FileRead

Which = Literal["all", "reached", "unreached"]


def parse_columns(pairs: Sequence[str] | None) -> list[tuple[str, str]] | None:
    """``FIELD=HEADER`` or ``FIELD=#N`` pairs as (field, header), each field checked."""
    from contact_notify.readers import COLUMN_ALIASES

    if not pairs:
        return None
    mapping = []
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if sep and header.strip() and field.strip() not in COLUMN_ALIASES:
            raise UsageError(
                _("--column {pair}: unknown field {field}").format(
                    pair=repr(pair), field=repr(field.strip())
                ),
                hint=_("fields: {fields}").format(fields=_(", ").join(COLUMN_ALIASES)),
            )
        if not sep or not header.strip():
            raise UsageError(
                _("--column {pair} is not FIELD=HEADER").format(pair=repr(pair)),
                hint=_(
                    "for example: --column name=姓名 --column phone=手机; fields: {fields}"
                ).format(fields=_(", ").join(COLUMN_ALIASES)),
            )
        mapping.append((field.strip(), header.strip()))
    return mapping


@dataclass(frozen=True)
class Imported:
    """What an import did, and the region its numbers were read in."""

    report: ImportReport
    region: str  # the region this import read numbers in
    case_region: str | None  # the case's own region when this import used another one


def import_files(
    session: Session,
    files: Sequence[Path],
    *,
    region: str | None = None,
    encoding: str | None = None,
    columns: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
    labels: Sequence[str] | None = None,
) -> Imported:
    """Import contact files into the case (created if there is none).

    Every file is checked before a new case is made for nothing.  A new case
    takes its first import's region; a later ``region`` applies to that import
    only (changing the case's would make re-imports duplicate everyone).
    ``labels``: how each file is named in warnings and sources (an upload's own name).
    """
    from contact_notify.importer import import_files as run_import
    from contact_notify.readers import MAX_CONTACT_FILE, check_input

    mapping = parse_columns(columns)
    for file in files:
        check_input(file, "contact file", MAX_CONTACT_FILE)
    with session.open(create=True, writes=True) as case:
        chosen = case_region(case, region)
        stored = case.get_setting("region")
        with changes(case, "import"):
            if stored is None:
                case.set_setting("region", chosen)
            report = run_import(
                case, list(files), region=chosen, encoding=encoding, columns=mapping,
                progress=progress, labels=dict(zip(files, labels, strict=True)) if labels else None,
            )  # fmt: skip
    return Imported(report, chosen, stored if stored and stored != chosen else None)


def inspect_file(
    file: Path,
    *,
    region: str = "CN",
    encoding: str | None = None,
    columns: Sequence[str] | None = None,
    label: str | None = None,
) -> Inspection:
    """What importing a file would give, read without any case (``label`` names it)."""
    from contact_notify.importer import Inspection

    report, contacts = iter_inspection(
        file, region=region, encoding=encoding, columns=columns, label=label
    )
    return Inspection(report, list(contacts))


def iter_inspection(
    file: Path,
    *,
    region: str = "CN",
    encoding: str | None = None,
    columns: Sequence[str] | None = None,
    label: str | None = None,
) -> tuple[FileRead, Iterator[Contact]]:
    """The same, one contact at a time, in flat memory; the report is complete after the last."""
    from contact_notify.importer import iter_inspection as run_inspect

    return run_inspect(
        file, region=checked_region(region), encoding=encoding, columns=parse_columns(columns),
        label=label,
    )  # fmt: skip


def read_twice(
    file: Path,
    *,
    region: str = "CN",
    encoding: str | None = None,
    columns: Sequence[str] | None = None,
) -> tuple[FileRead, Callable[[], Iterator[Contact]]]:
    """A whole first reading's report (its contacts dropped), and a second reading's contacts.

    For a listing that starts with counts only known at the end, in flat
    memory.  The second reading refuses to start when the file changed in
    between, so the counts always describe the contacts that follow.
    """
    seen = _identity(file)
    report, contacts = iter_inspection(file, region=region, encoding=encoding, columns=columns)
    for _contact in contacts:
        pass

    def again() -> Iterator[Contact]:
        if _identity(file) != seen:
            raise InputDataError(
                _("{file} changed while it was being read").format(file=file),
                hint=_("run the command again once nothing is writing to the file"),
            )
        return iter_inspection(file, region=region, encoding=encoding, columns=columns)[1]

    return report, again


def _identity(file: Path) -> tuple[int, ...] | None:
    """What changes when a file is replaced or written to (None when it cannot be read)."""
    try:
        st = file.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def list_contacts(session: Session, which: Which = "all") -> list[StoredContact]:
    """The contacts in the case (all, reached or not reached), by name."""
    return list(iter_contacts(session, which))


def iter_contacts(session: Session, which: Which = "all") -> Iterator[StoredContact]:
    """The same contacts one at a time, in flat memory whatever the size of the case.

    The case is opened when the first contact is asked for and closed after the
    last (or when the caller stops early and the iterator is closed).
    """
    reached = {"all": None, "reached": True, "unreached": False}[which]
    with session.open() as case:
        yield from case.iter_contacts(reached=reached)


@dataclass(frozen=True)
class ContactView:
    """One contact, how messages address them, and which template they get and why."""

    stored: StoredContact
    salutation: str
    salutation_from_name: bool  # derived from the name, not set by the user
    template: str
    reason: str


def show_contact(
    session: Session,
    target: str,
    *,
    salutation: str | None = None,
    template: str | None = None,
) -> ContactView:
    """Show one contact; set (or with "" clear) their salutation and template first if given."""
    from contact_notify.marking import resolve_one
    from contact_notify.messages import choose
    from contact_notify.messages import salutation as salutation_of
    from contact_notify.reach_input import Target
    from contact_notify.render import load, relationship_of

    if template:
        load(template)  # refuse a template that does not exist
    changing = salutation is not None or template is not None
    with session.open(writes=changing) as case:
        contact_id = resolve_one(case, Target(target), case_region(case), "contact")
        if changing:
            with changes(case):
                case.set_personal(contact_id, salutation=salutation, template=template)
        stored = case.contact(contact_id)
        choice = choose(stored, case.rules(), None)
    # the salutation the message will use: for the relationship whose template was chosen
    addressed = salutation_of(stored, relationship_of(choice.template))
    return ContactView(stored, addressed, not stored.salutation, choice.template, choice.reason)
