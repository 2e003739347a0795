"""Import contact files into the case: normalise numbers, merge duplicates, report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from contact_notify.i18n import _
from contact_notify.model import Contact, IssueLog, ReadIssue, Source, digits_only, name_key
from contact_notify.phones import is_mobile, to_e164
from contact_notify.readers import ColumnMap, FileRead, make_decoder, read_file
from contact_notify.store import Case, now


@dataclass
class Notes:
    """Notes of one kind (merges, say): the first few kept with file:line, the rest counted.

    The rule of :class:`~contact_notify.model.IssueLog`: memory stays flat
    however many there are; :attr:`more` says how many were not kept and
    :attr:`last` where the last one was.
    """

    kept: list[str] = field(default_factory=list)
    count: int = 0
    last: Source | None = None

    def add(self, where: Source | None, text: str) -> None:
        """A note about the record at ``where``."""
        self.count += 1
        self.last = where
        if len(self.kept) < IssueLog.PER_KIND:
            self.kept.append(f"{where}: {text}")

    @property
    def more(self) -> int:
        """How many notes were counted but not kept."""
        return self.count - len(self.kept)


@dataclass
class ImportReport:
    """What an import did, for the summary: counts, and the first few notes of each kind."""

    files: list[FileRead] = field(default_factory=list)
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    merge_notes: Notes = field(default_factory=Notes)  # a record merged into a contact
    shared_notes: Notes = field(default_factory=Notes)  # a number shared, people kept apart
    invalid_notes: Notes = field(default_factory=Notes)  # a number not valid, kept as written

    @property
    def merges(self) -> list[str]:
        """The first few merges, each naming both records (``merge_notes`` counts them all)."""
        return self.merge_notes.kept

    @property
    def shared(self) -> list[str]:
        """The first few numbers shared by people kept apart (``shared_notes`` counts them)."""
        return self.shared_notes.kept

    @property
    def invalid_numbers(self) -> list[str]:
        """The first few numbers not valid (``invalid_notes`` counts them all)."""
        return self.invalid_notes.kept

    @property
    def issues(self) -> list[ReadIssue]:
        """Every issue of every file."""
        return [issue for f in self.files for issue in f.issues]

    @property
    def skipped(self) -> int:
        """Records skipped because they could not be read (a summary counts all it stands for)."""
        return sum(issue.count for issue in self.issues if issue.skipped)


def normalise(contact: Contact, region: str) -> None:
    """Fill in the E.164 form of each of the contact's numbers, dropping exact repeats."""
    if len(contact.phones) == 1:  # most records: nothing to compare
        phone = contact.phones[0]
        phone.e164 = to_e164(phone.raw, region)
        return
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
    columns: ColumnMap | None = None,
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
                    report.invalid_notes.add(contact.source, f"{contact.display_name}: {phone.raw}")
            merger.add(contact)
        # After an error nothing is written: the caller rolls the whole import back.
        merger.flush()
        offset += _size(path)
    return report


def _offset(progress: Callable[[int], None], offset: int) -> Callable[[int], None]:
    return lambda done: progress(offset + done)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# New contacts are written this many at a time (one statement for all, not one each).
WRITE_BATCH = 500


class _Merger:
    """Adds contacts, merging a record into an existing contact only when they are the same person.

    Same person means: they share a valid mobile number, or they share a valid
    number and have the same name.  Two people behind one switchboard or one
    family landline stay apart (and the import says they share a number).
    Numbers that are not valid never merge anything: a record without a valid
    number merges only with an identical one (same name, numbers, e-mails), so
    that importing a file twice changes nothing.  A number already held by
    another contact is never copied onto a second one.

    Lookups go to the case's indexes rather than to dictionaries in memory, so
    memory stays flat however large the file is; a fixed-size filter of the
    numbers known (:class:`KeyFilter`) spares the lookup for a number surely
    new, and new contacts are written :data:`WRITE_BATCH` at a time (the batch
    is written before any lookup, so a lookup sees every earlier record).
    """

    def __init__(self, case: Case, report: ImportReport) -> None:
        self.case = case
        self.report = report
        self.first_new_id = case.max_contact_id() + 1
        self.next_id = self.first_new_id
        self.added_at = now()
        self.seen = KeyFilter(case.valid_phone_keys())
        self.pending: list[tuple[int, Contact]] = []

    def flush(self) -> None:
        """Write the new contacts held back, before anything reads the case."""
        batch, self.pending = self.pending, []
        if batch:
            self.case.add_contacts(batch, self.added_at)

    def _same_person(self, contact: Contact, candidate: Contact, shared: set[str]) -> bool:
        if _identity(contact) == _identity(candidate):
            return True  # the same record again (a re-import), whatever its numbers
        if contact.name and name_key(contact.name) == name_key(candidate.name):
            return True
        # Only a number that is surely a mobile is personal; +1 numbers may be landlines.
        return any(is_mobile(key, strict=True) for key in shared)

    def _add_new(self, contact: Contact, keys: list[str]) -> None:
        self.pending.append((self.next_id, contact))
        self.next_id += 1
        self.seen.update(keys)
        self.report.added += 1
        if len(self.pending) >= WRITE_BATCH:
            self.flush()

    def _find(self, contact: Contact) -> int | None:
        keys = [p.e164 for p in contact.phones if p.e164]
        if not keys:
            wanted = _identity(contact)
            return next(
                (
                    i
                    for i in self.case.contact_ids_by_name(contact.name)
                    if _identity(self.case.contact(i).contact) == wanted
                ),
                None,
            )
        apart = []
        for candidate_id in self.case.contact_ids_by_phone_keys(keys):
            candidate = self.case.contact(candidate_id).contact
            shared = set(keys) & {p.key for p in candidate.phones}
            if self._same_person(contact, candidate, shared):
                return candidate_id
            apart.append(
                _("{name} ({numbers})").format(
                    name=candidate.display_name, numbers=", ".join(sorted(shared))
                )
            )
        if apart:
            self.report.shared_notes.add(
                contact.source,
                _(
                    "{name} shares a number with {others}: kept as a separate contact "
                    "(not a mobile number, not the same name)"
                ).format(name=contact.display_name, others="; ".join(apart)),
            )
        return None

    def add(self, contact: Contact) -> None:
        keys = [p.e164 for p in contact.phones if p.e164]
        if keys and not any(key in self.seen for key in keys):
            # None of its numbers is in the case: a new contact, written with the next batch.
            self._add_new(contact, keys)
            return
        self.flush()
        target = self._find(contact)
        if target is None:
            self._add_new(contact, keys)
            return
        self.seen.update(keys)
        existing = self.case.contact(target).contact
        existing_keys = {q.key for q in existing.phones}
        shared = next((p.number for p in contact.phones if p.key in existing_keys), "")
        new_phones = []
        for phone in contact.phones:
            if phone.key in existing_keys:
                continue
            owners = self.case.contact_ids_by_phone_key(phone.key) if phone.e164 else []
            if owners:
                self.report.shared_notes.add(
                    contact.source,
                    _(
                        "{number} of {name} already belongs to {owner}; not added to {target}"
                    ).format(
                        number=phone.e164,
                        name=contact.display_name,
                        owner=self.case.contact(owners[0]).name,
                        target=existing.display_name,
                    ),
                )
                continue
            new_phones.append(phone)
        changed = bool(new_phones)
        if contact.name and _placeholder_name(existing):
            # A call-log entry named by its number, then the real card: keep the real name.
            existing.name = contact.name
            changed = True
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
        why = (
            _("same number {number}").format(number=shared)
            if shared
            else _("same name, numbers and e-mail")
        )
        self.report.merge_notes.add(
            contact.source,
            _("{name} merged into {target} ({source}): {why}").format(
                name=contact.display_name,
                target=existing.display_name,
                source=existing.source,
                why=why,
            ),
        )


class KeyFilter:
    """A set of phone keys that may answer "maybe" for a key it does not hold, never "no" for
    one it does (a Bloom filter of fixed size: memory stays flat however large the case).

    The importer asks it before asking the case's index: most imported numbers
    are new, and an index lookup per contact was a tenth of a large import.
    """

    BITS = 1 << 23  # 1 MiB: about 9 % false "maybe" at 1.5 million keys, far fewer below

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._bits = bytearray(self.BITS // 8)
        self.update(keys)

    def update(self, keys: Iterable[str]) -> None:
        bits, mask = self._bits, self.BITS - 1
        for key in keys:
            h = hash(key)
            a, b = h & mask, (h >> 23) & mask
            bits[a >> 3] |= 1 << (a & 7)
            bits[b >> 3] |= 1 << (b & 7)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        bits, mask = self._bits, self.BITS - 1
        h = hash(key)
        a, b = h & mask, (h >> 23) & mask
        return bool(bits[a >> 3] & (1 << (a & 7))) and bool(bits[b >> 3] & (1 << (b & 7)))


def _placeholder_name(contact: Contact) -> bool:
    """True when a contact has no real name: none, or one of its own numbers."""
    name = contact.name.strip()
    return not name or any(digits_only(name) == digits_only(p.raw) for p in contact.phones)


def _identity(contact: Contact) -> tuple[str, frozenset[str], frozenset[str]]:
    """What two records without a valid number must share to be the same contact."""
    return (
        name_key(contact.name),
        frozenset(p.key for p in contact.phones),
        frozenset(contact.emails),
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
    columns: ColumnMap | None = None,
) -> Inspection:
    """Read one file and normalise its numbers, without a case."""
    result, contacts = iter_inspection(path, region=region, encoding=encoding, columns=columns)
    return Inspection(result, list(contacts))


def iter_inspection(
    path: Path,
    *,
    region: str,
    encoding: str | None = None,
    columns: ColumnMap | None = None,
    label: str | None = None,
) -> tuple[FileRead, Iterator[Contact]]:
    """The same, one contact at a time: the file's report is complete once they are all read.

    ``label`` names the file in messages (an upload's own name, not where it was saved).
    """
    result = FileRead(label or str(path), kind="")

    def contacts() -> Iterator[Contact]:
        for contact in read_file(path, result, make_decoder(region, encoding), columns, label):
            normalise(contact, region)
            yield contact

    return result, contacts()
