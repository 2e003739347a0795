"""Every user action called directly, as a second front would call it: results, not text."""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_notify.actions import Session, care, contacts, evidence, messages, reaches, templates
from contact_notify.errors import (
    CaseError,
    ExitCode,
    InputDataError,
    NothingToDo,
    OutputError,
    TemplateError,
    UsageError,
)

from conftest import EXAMPLES


@pytest.fixture
def session(tmp_path: Path) -> Session:
    """A session on a case of its own, keeping the notes it is given."""
    notes: list[str] = []
    found = Session(tmp_path / "case" / "case.sqlite3", notify=notes.append)
    found.notes = notes  # type: ignore[attr-defined]
    return found


@pytest.fixture
def imported(session: Session) -> Session:
    """The shipped examples imported, the sender set."""
    contacts.import_files(session, [EXAMPLES / "contacts.vcf"])
    care.set_setting(session, "sender", "小林")
    return session


@pytest.fixture
def reached(imported: Session) -> Session:
    """examples/reached.txt marked."""
    reaches.mark(imported, file=EXAMPLES / "reached.txt", at="2026-11-27 21:30")
    return imported


def test_import_sets_the_region_of_a_new_case_only(session: Session, tmp_path: Path) -> None:
    """The first import's region becomes the case's; a later one applies to that import only."""
    first = contacts.import_files(session, [EXAMPLES / "contacts.vcf"], region="cn")
    assert (first.region, first.case_region, first.report.added) == ("CN", None, 33)
    sheet = tmp_path / "hk.csv"
    sheet.write_text("姓名,手机\n陈大文,9876 5432\n", encoding="utf-8")
    second = contacts.import_files(session, [sheet], region="HK")
    assert (second.region, second.case_region) == ("HK", "CN")
    assert care.get_setting(session, "region") == "CN"
    assert [
        c.contact.phones[0].e164 for c in contacts.list_contacts(session) if c.name == "陈大文"
    ] == ["+85298765432"]


def test_import_refuses_a_bad_region_or_column_before_making_a_case(session: Session) -> None:
    """An unknown region or --column field is a usage error, and no case file is created."""
    with pytest.raises(UsageError, match="unknown region 'XX'"):
        contacts.import_files(session, [EXAMPLES / "contacts.vcf"], region="XX")
    with pytest.raises(UsageError, match="unknown field 'person'"):
        contacts.import_files(session, [EXAMPLES / "contacts.csv"], columns=["person=人员"])
    assert not session.path.exists()


def test_inspect_reads_without_a_case(session: Session) -> None:
    """inspect returns the contacts a file holds and touches no case."""
    found = contacts.inspect_file(EXAMPLES / "contacts.vcf")
    assert len(found.contacts) == 33
    assert not session.path.exists()


def test_list_and_show_a_contact(reached: Session) -> None:
    """Listing filters by reached; showing says which template a contact gets, and why."""
    assert len(contacts.list_contacts(reached, "reached")) == 6
    assert len(contacts.list_contacts(reached, "unreached")) == 27
    view = contacts.show_contact(reached, "徐强", salutation="徐总")
    assert (view.salutation, view.salutation_from_name) == ("徐总", False)
    assert (view.template, view.reason) == ("superior", "group 领导")


def test_mark_dry_run_changes_nothing(imported: Session) -> None:
    """A dry-run mark reports what it would record and leaves the case as it was."""
    before = imported.path.read_bytes()
    done = reaches.mark(imported, ["13800138000"], at="2026-11-27 21:30", dry_run=True)
    assert (done.dry_run, [name for _, name, _ in done.report.marked]) == (True, ["王秀英"])
    assert imported.path.read_bytes() == before
    assert contacts.list_contacts(imported, "reached") == []


def test_mark_from_pasted_text_keeps_unknown_numbers(imported: Session, tmp_path: Path) -> None:
    """Numbers of nobody in pasted text are returned as probable collectors, not marked."""
    chat = tmp_path / "chat.txt"
    chat.write_text("170 1234 5678 打给了 138 0013 8000\n", encoding="utf-8")
    done = reaches.mark(imported, text=chat, at="2026-11-27 21:30")
    assert [name for _, name, _ in done.report.marked] == ["王秀英"]
    assert [n.e164 for n in done.unknown] == ["+8617012345678"]
    assert done.at.startswith("2026-11-27T21:30:00")


def test_mark_needs_a_target(imported: Session) -> None:
    """A mark with no target at all, or an empty one, is a usage error."""
    with pytest.raises(UsageError, match="nothing to mark"):
        reaches.mark(imported)
    with pytest.raises(UsageError, match="an empty target was given"):
        reaches.mark(imported, [" "])


def test_history_attach_unmark_and_collectors(reached: Session, tmp_path: Path) -> None:
    """A reach gets evidence; history reports its state; collectors and unmark work by id."""
    reaches.mark(reached, ["王秀英"], at="2026-11-28 09:00", by=["17012345678"])
    found = reaches.history(reached, "王秀英")
    record = found.reaches[-1].id
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"png")
    (attached,) = reaches.attach(reached, record, [shot])
    assert (attached.record, attached.size) == (record, 3)
    shot.write_bytes(b"changed")
    states = [e.state for e in reaches.history(reached, "王秀英").evidence[record]]
    assert states == ["changed"]
    assert [(c.display, c.collector.count) for c in reaches.collectors(reached)] == [
        ("170 1234 5678", 1)
    ]
    with pytest.raises(InputDataError, match="there is no reach record 999"):
        reaches.attach(reached, 999, [shot])
    assert reaches.unmark(reached, records=[record]).removed == {"王秀英": 1}


def test_preview_reports_a_missing_sender(reached: Session, tmp_path: Path) -> None:
    """Without a sender name the preview signs with a placeholder and says so."""
    bare = Session(tmp_path / "other.sqlite3")
    contacts.import_files(bare, [EXAMPLES / "contacts.vcf"])
    reaches.mark(bare, ["13800138000"], at="2026-11-27 21:30")
    shown = messages.preview(bare)
    assert (shown.sender_missing, len(shown.messages)) == (True, 1)
    assert (
        messages.preview(reached, channel="SMS", lang="EN").messages[0].template.endswith(".sms.en")
    )


def test_export_refusals(reached: Session, tmp_path: Path) -> None:
    """No sender, --strict over the limit, a file in the way, then nothing left: each refused."""
    unsigned = Session(tmp_path / "unsigned.sqlite3")
    contacts.import_files(unsigned, [EXAMPLES / "contacts.vcf"])
    reaches.mark(unsigned, ["13800138000"], at="2026-11-27 21:30")
    with pytest.raises(UsageError, match="no sender name"):
        messages.export(unsigned, tmp_path / "u.csv")
    care.set_setting(reached, "sms-limit", "1")
    with pytest.raises(TemplateError) as strict:
        messages.export(reached, tmp_path / "s.csv", strict=True)
    assert len(strict.value.details) == 6
    taken = tmp_path / "taken.csv"
    taken.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists"):
        messages.export(reached, taken)
    assert taken.read_text(encoding="utf-8") == "mine"
    done = messages.export(reached, tmp_path / "o.csv")
    assert (done.result.messages, len(done.too_long), done.sms_limit) == (6, 6, 1)
    messages.record_sent(reached, exported=tmp_path / "o.csv")
    with pytest.raises(NothingToDo) as nothing:
        messages.export(reached, tmp_path / "again.csv")
    assert nothing.value.exit_code == ExitCode.NOTHING_TO_DO


def test_export_dry_run_and_sent(reached: Session, tmp_path: Path) -> None:
    """A dry-run export writes and logs nothing; sent of a page says it marks everyone on it."""
    dry = messages.export(reached, tmp_path / "d.csv", dry_run=True)
    assert (dry.dry_run, dry.result.messages) == (True, 6)
    assert not (tmp_path / "d.csv").exists()
    assert care.status(reached).counts.exported_unsent == 0
    messages.export(reached, tmp_path / "p.html")
    sent = messages.record_sent(reached, exported=tmp_path / "p.html")
    assert (len(sent.names), sent.whole_page) == (6, True)
    assert care.status(reached).counts.pending == 0


def test_templates_and_rules(session: Session, tmp_path: Path) -> None:
    """Templates list, show, copy and check; rules set and remove, refusing unknown ones."""
    assert (
        len(templates.list_templates("zh", "sms")) == 12
    )  # six relationships, and a warning before the call for each
    assert "{{" in templates.template_source("friend.sms.zh")
    copy = templates.copy_template("friend.sms.zh", tmp_path / "mine")
    assert copy.name == "friend.sms.zh.j2"
    bad = tmp_path / "bad.j2"
    bad.write_text("{{ contact.nmae }}", encoding="utf-8")
    result = templates.check_templates(bad)
    assert result.failure is not None
    assert templates.check_templates(copy).failure is None
    templates.set_rule(session, "球友", "friend")
    assert ("球友", "friend") in templates.rules(session)
    with pytest.raises(TemplateError):
        templates.set_rule(session, "球友", "nonsense")
    templates.remove_rule(session, "球友")
    with pytest.raises(InputDataError, match="there is no rule for group '球友'"):
        templates.remove_rule(session, "球友")


def test_evidence_and_complaint(reached: Session, tmp_path: Path) -> None:
    """The evidence kit returns its summary; a complaint draft counts its blanks."""
    kit = evidence.write_evidence(reached, tmp_path / "e.md")
    assert (kit.summary.reaches, kit.summary.contacts_reached) == (6, 6)
    draft = evidence.write_complaint(reached, tmp_path / "c.txt", kind="police")
    assert draft.blanks == 9
    with pytest.raises(UsageError, match="unknown complaint kind"):
        evidence.write_complaint(reached, tmp_path / "x.txt", kind="fbi")


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("region", "hk", "HK"),
        ("sms-limit", "3", "3"),
        ("sender-contact", "微信 lin88", "微信 lin88"),
    ],
)
def test_settings_are_checked_and_normalised(
    session: Session, key: str, value: str, stored: str
) -> None:
    """A setting is stored in its checked form."""
    assert care.set_setting(session, key, value).value == stored
    assert care.get_setting(session, key) == stored


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("colour", "red", "unknown setting 'colour'"),
        ("sms-limit", "many", "sms-limit must be a whole number of parts"),
        ("region", "XX", "unknown region 'XX'"),
        ("sender-contact", "me@home", "is not a valid e-mail address"),
    ],
)
def test_bad_settings_are_refused(session: Session, key: str, value: str, message: str) -> None:
    """An unknown setting or a value of the wrong form is a usage error; nothing is created."""
    with pytest.raises(UsageError, match=message):
        care.set_setting(session, key, value)
    assert not session.path.exists()


def test_doctor_backup_and_wipe(imported: Session, tmp_path: Path) -> None:
    """doctor checks, backup copies, wipe asks and a 'no' keeps the case."""
    assert care.doctor(imported).removed_journal is None
    copy = care.backup(imported, tmp_path / "bk.sqlite3")
    assert care.status(Session(copy)).counts.contacts == 33
    asked: list[Path] = []

    def no(path: Path) -> bool:
        asked.append(path)
        return False

    assert care.wipe(imported, no).declined
    assert asked == [imported.path]
    assert imported.path.exists()
    assert care.wipe(imported, lambda _: True).deleted[0] == imported.path
    with pytest.raises(UsageError, match="there is no case"):
        care.wipe(imported, lambda _: True)
    with pytest.raises(CaseError, match="no case file"):
        care.status(imported)


def test_demo_runs_the_flow() -> None:
    """The demo imports, marks and renders the shipped examples."""
    result = care.demo("en")
    assert (result.imported.added, len(result.marked.marked), len(result.messages)) == (33, 6, 6)
