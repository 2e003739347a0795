"""The case file: permissions, schema migrations, transactions, merging on import."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from contact_notify.errors import CaseError
from contact_notify.importer import ImportReport, import_files
from contact_notify.store import MIGRATIONS, SCHEMA_VERSION, Case

DATA = Path(__file__).resolve().parent / "data"


def test_new_case_is_owner_only(tmp_path: Path) -> None:
    """A new case file is 0600 and a folder created for it 0700."""
    path = tmp_path / "new" / "case.sqlite3"
    Case.open(path, create=True).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_schema_version_is_recorded(tmp_path: Path) -> None:
    """A new case is at the current schema version in PRAGMA user_version."""
    path = tmp_path / "case.sqlite3"
    Case.open(path, create=True).close()
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
        )


def test_an_older_case_is_migrated(tmp_path: Path) -> None:
    """A case at schema version 1 (with a contact) is brought up to the current schema."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(MIGRATIONS[0])
        conn.execute(
            "INSERT INTO contacts(name, added_at) VALUES ('王秀英', '2026-11-01T10:00:00+08:00')"
        )
        conn.execute("PRAGMA user_version = 1")
    with Case.open(path) as case:
        assert [s.name for s in case.contacts()] == ["王秀英"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A case written by a newer version is refused with a clear message."""
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(CaseError, match="newer contact-notify"):
        Case.open(path)


def test_not_a_database_is_a_case_error(tmp_path: Path) -> None:
    """A file that is not SQLite gives a CaseError, not a traceback."""
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a database at all" * 100)
    with pytest.raises(CaseError, match="not a contact-notify case file"):
        Case.open(path)


def test_missing_case_is_not_created_by_readers(tmp_path: Path) -> None:
    """Opening a missing case without create fails and creates nothing."""
    path = tmp_path / "missing.sqlite3"
    with pytest.raises(CaseError, match="no case file"):
        Case.open(path)
    assert not path.exists()


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    """An error inside a command's transaction leaves the case as it was."""
    path = tmp_path / "case.sqlite3"
    with Case.open(path, create=True) as case:

        def import_then_fail() -> None:
            with case.transaction():
                import_files(case, [DATA / "chinese_headers_bom.csv"], region="CN")
                assert case.counts().contacts == 3
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            import_then_fail()
        assert case.counts().contacts == 0


def test_cards_sharing_a_number_merge_and_say_so(tmp_path: Path) -> None:
    """Two records with one number become one contact, the merge is reported, numbers are united."""
    a = tmp_path / "a.csv"
    a.write_text("姓名,手机,电话\n李建国,13912345678,\n李建国,+86 139 1234 5678,010-62345678\n")
    with Case.open(tmp_path / "case.sqlite3", create=True) as case, case.transaction():
        report = import_files(case, [a], region="CN")
        (stored,) = case.contacts()
    assert (report.added, report.merged) == (1, 1)
    assert report.merges == [
        f"{a}:3: 李建国 merged into 李建国 ({a}:2): same number +8613912345678"
    ]
    assert [p.e164 for p in stored.contact.phones] == ["+8613912345678", "+861062345678"]


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    """A second import of a file adds and merges nothing and leaves the database as it was."""
    path = tmp_path / "case.sqlite3"
    examples = Path(__file__).resolve().parents[1] / "examples"
    files = [examples / "contacts.vcf", examples / "contacts.csv"]
    with Case.open(path, create=True) as case, case.transaction():
        first = import_files(case, files, region="CN")
    with sqlite3.connect(path) as conn:
        before = list(conn.iterdump())
    with Case.open(path) as case, case.transaction():
        second = import_files(case, files, region="CN")
    with sqlite3.connect(path) as conn:
        after = list(conn.iterdump())
    assert first.added == 33
    assert (second.added, second.merged, second.unchanged) == (0, 0, 66)
    assert before == after


def _import(tmp_path: Path, *files: Path) -> tuple[Case, ImportReport]:
    case = Case.open(tmp_path / "merge.sqlite3", create=True)
    with case.transaction():
        report = import_files(case, list(files), region="CN")
    return case, report


def test_switchboard_and_family_landline_keep_people_apart(tmp_path: Path) -> None:
    """Different names sharing only a landline stay two contacts, and the import says why."""
    sheet = tmp_path / "office.csv"
    sheet.write_text(
        "姓名,手机,电话\n"
        "张伟,13800138000,0755-88889999p801\n"
        "李娜,13912345678,0755-88889999p802\n"
        "王芳,,010-62345678\n"
        "王建国,,010-62345678\n",
        encoding="utf-8",
    )
    case, report = _import(tmp_path, sheet)
    with case:
        assert [s.name for s in case.contacts()] == ["张伟", "李娜", "王建国", "王芳"]
        assert (report.added, report.merged) == (4, 0)
        assert len(report.shared) == 2
        assert report.shared[0].endswith(
            "李娜 shares a number with 张伟 (+8675588889999): kept as a separate contact "
            "(not a mobile number, not the same name)"
        )


def test_a_record_never_takes_another_contacts_number(tmp_path: Path) -> None:
    """A row holding Alice's and Bob's mobiles merges into Alice; Bob's number stays only Bob's."""
    first = tmp_path / "a.csv"
    first.write_text("Name,Mobile\nAlice,13800000001\nBob,13900000002\n", encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text("Name,Mobile,Home Phone\nAlice W,13800000001,13900000002\n", encoding="utf-8")
    case, report = _import(tmp_path, first, second)
    with case:
        phones = {s.name: [p.e164 for p in s.contact.phones] for s in case.contacts()}
    assert phones == {"Alice": ["+8613800000001"], "Bob": ["+8613900000002"]}
    assert report.shared == [
        f"{second}:2: +8613900000002 of Alice W already belongs to Bob; not added to Alice"
    ]


def test_invalid_numbers_and_empty_names_never_merge(tmp_path: Path) -> None:
    """Excel's 1.38001E+10 and nameless e-mail-only cards do not merge different people."""
    sheet = tmp_path / "sci.csv"
    sheet.write_text("姓名,手机\n张伟,1.38001E+10\n李娜,1.38001E+10\n", encoding="utf-8")
    cards = tmp_path / "mail.vcf"
    cards.write_text(
        "BEGIN:VCARD\nEMAIL:a@example.com\nEND:VCARD\nBEGIN:VCARD\nEMAIL:b@example.com\nEND:VCARD\n",
        encoding="utf-8",
    )
    case, report = _import(tmp_path, sheet, cards)
    with case:
        assert len(case.contacts()) == 4
        assert report.merged == 0
        with case.transaction():
            again = import_files(case, [sheet, cards], region="CN")
        assert (again.added, again.merged, again.unchanged) == (0, 0, 4)
