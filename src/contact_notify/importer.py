"""Import contact files into the case: normalise numbers, merge duplicates, report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from contact_notify.case import Case, now
from contact_notify.model import Contact, ReadIssue
from contact_notify.phones import to_e164
from contact_notify.readers import FileRead, make_decoder, read_file

# An invalid number's digits must be at least this long to merge two contacts on it.
MIN_MERGE_DIGITS = 7


@dataclass
class ImportReport:
    """What an import did, for the summary."""

    files: list[FileRead] = field(default_factory=list)
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    merges: list[str] = field(default_factory=list)
    invalid_numbers: list[str] = field(default_factory=list)

    @property
    def issues(self) -> list[ReadIssue]:
        """Every issue of every file."""
        return [issue for f in self.files for issue in f.issues]

    @property
    def skipped(self) -> int:
        """Records skipped because they could not be read."""
        return sum(1 for issue in self.issues if issue.skipped)


def normalise(contact: Contact, region: str) -> None:
    """Fill in the E.164 form of each of the contact's numbers, dropping exact repeats."""
    seen: set[str] = set()
    phones = []
    for phone in contact.phones:
        phone.e164 = to_e164(phone.raw, region)
        if phone.key in seen and phone.key:
            continue
        seen.add(phone.key)
        phones.append(phone)
    contact.phones = phones


def import_files(
    case: Case,
    paths: Iterable[Path],
    *,
    region: str,
    encoding: str | None = None,
    columns: dict[str, str] | None = None,
    labels: dict[Path, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read each file and merge its contacts into the case (the caller holds the transaction).

    ``labels`` gives a file a shorter name for messages (the demo's shipped examples);
    ``progress`` is called with the bytes read so far across all files.
    """
    report = ImportReport()
    decoder = make_decoder(region, encoding)
    merger = _Merger(case, report)
    offset = 0
    for path in paths:
        label = (labels or {}).get(path, str(path))
        result = FileRead(label, kind="")
        report.files.append(result)
        tick = None if progress is None else _offset(progress, offset)
        for contact in read_file(path, result, decoder, columns, label, tick):
            normalise(contact, region)
            for phone in contact.phones:
                if not phone.valid:
                    report.invalid_numbers.append(
                        f"{contact.source}: {contact.display_name}: {phone.raw}"
                    )
            merger.add(contact)
        offset += _size(path)
    return report


def _offset(progress: Callable[[int], None], offset: int) -> Callable[[int], None]:
    return lambda done: progress(offset + done)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _Merger:
    """Adds contacts, merging one into an existing contact that shares a number.

    Lookups go to the case's indexes rather than to dictionaries in memory, so
    memory stays flat however large the file is.
    """

    def __init__(self, case: Case, report: ImportReport) -> None:
        self.case = case
        self.report = report
        self.first_new_id = case.max_contact_id() + 1
        self.added_at = now()

    def add(self, contact: Contact) -> None:
        keys = [p.key for p in contact.phones if p.valid or len(p.key) >= MIN_MERGE_DIGITS]
        target = self.case.contact_id_by_phone_keys(keys) if keys else None
        if target is None and not keys:
            # Nothing to match on but the name: only the same name with the same numbers merges.
            wanted = {p.key for p in contact.phones}
            target = next(
                (
                    i
                    for i in self.case.contact_ids_by_name(contact.name)
                    if {p.key for p in self.case.contact(i).contact.phones} == wanted
                ),
                None,
            )
        if target is None:
            self.case.add_contact(contact, self.added_at)
            self.report.added += 1
            return
        existing = self.case.contact(target).contact
        existing_keys = {q.key for q in existing.phones}
        shared = next((p.e164 or p.raw for p in contact.phones if p.key in existing_keys), "")
        new_phones = [p for p in contact.phones if p.key not in existing_keys]
        changed = bool(new_phones)
        for attr in ("family", "given", "nickname", "org"):
            if not getattr(existing, attr) and getattr(contact, attr):
                setattr(existing, attr, getattr(contact, attr))
                changed = True
        for attr in ("groups", "emails"):
            values: list[str] = getattr(existing, attr)
            for value in getattr(contact, attr):
                if value not in values:
                    values.append(value)
                    changed = True
        if not changed and target < self.first_new_id:
            self.report.unchanged += 1  # already in the case: a re-import changes nothing
            return
        if changed:
            self.case.update_contact(target, existing)
            self.case.add_phones(target, new_phones)
        self.report.merged += 1
        why = f"same number {shared}" if shared else "same name, no number"
        self.report.merges.append(
            f"{contact.source}: {contact.display_name} merged into {existing.display_name} "
            f"({existing.source}): {why}"
        )


@dataclass
class Inspection:
    """What importing one file would give, read without touching the case."""

    file: FileRead
    contacts: list[Contact]


def inspect_file(
    path: Path,
    *,
    region: str,
    encoding: str | None = None,
    columns: dict[str, str] | None = None,
) -> Inspection:
    """Read one file and normalise its numbers, without a case."""
    result = FileRead(str(path), kind="")
    contacts = []
    for contact in read_file(path, result, make_decoder(region, encoding), columns):
        normalise(contact, region)
        contacts.append(contact)
    return Inspection(result, contacts)
