"""The case store itself: the "sent" rule, reach lookup by key, status counts, dry-run, paths."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from contact_notify import faults
from contact_notify.model import Contact, Phone, Source
from contact_notify.store import (
    CASE_ENV,
    Case,
    LatestReach,
    answers_reach,
    default_case_path,
    moment,
    sendlog,
)

MOBILE = "+8613800138000"


@pytest.fixture
def case(tmp_path: Path) -> Iterator[Case]:
    """A new, empty case, open for the test."""
    with Case.open(tmp_path / "case.sqlite3", create=True) as opened:
        yield opened


def _person(case: Case, name: str, number: str | None = MOBILE) -> int:
    """Add a contact (a valid number unless told otherwise); return its id."""
    phone = Phone(raw=number or "95555", e164=number)
    return case.add_contact(Contact(name=name, phones=[phone]))


# -- the rule: when a message answers a reach --------------------------------------


def test_a_message_sent_at_the_moment_of_the_reach_answers_it() -> None:
    """Sent at exactly the reach's time counts ("at or after"), also across UTC offsets."""
    assert answers_reach("2026-11-27T21:30:00+08:00", None, 7, "2026-11-27T21:30:00+08:00")
    assert answers_reach("2026-11-27T13:30:00+00:00", None, 7, "2026-11-27T21:30:00+08:00")


def test_a_message_sent_after_the_reach_answers_it() -> None:
    """A message that went out a second after the reach answers it."""
    assert answers_reach("2026-11-27T21:30:01+08:00", 3, 7, "2026-11-27T21:30:00+08:00")


def test_a_message_sent_before_the_reach_does_not_answer_it() -> None:
    """A message that went out before the reach (for another reach) does not answer it."""
    assert not answers_reach("2026-11-27T21:29:59+08:00", 3, 7, "2026-11-27T21:30:00+08:00")
    assert not answers_reach("2026-11-27T21:29:59+08:00", None, 7, "2026-11-27T21:30:00+08:00")


def test_a_message_for_the_same_reach_answers_it_whatever_the_times() -> None:
    """A message exported for this very reach answers it even if its sending time is earlier."""
    assert answers_reach("2026-11-01T08:00:00+08:00", 7, 7, "2026-11-27T21:30:00+08:00")


def test_a_message_not_sent_answers_nothing() -> None:
    """An exported message not marked sent answers no reach, not even its own."""
    assert not answers_reach(None, 7, 7, "2026-11-27T21:30:00+08:00")
    assert not answers_reach(None, None, 7, "2026-11-01")


@pytest.mark.zone("Asia/Shanghai")
def test_a_date_only_reach_is_at_local_midnight() -> None:
    """A reach given as a date alone is at 00:00 local time (here UTC+8): sent from then on."""
    assert answers_reach("2026-11-28T00:00:00+08:00", None, 7, "2026-11-28")
    assert answers_reach("2026-11-27T16:00:00+00:00", None, 7, "2026-11-28")
    assert not answers_reach("2026-11-27T23:59:59+08:00", None, 7, "2026-11-28")
    assert not answers_reach("2026-11-27T15:59:59+00:00", None, 7, "2026-11-28")


def test_the_queries_use_the_python_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Replacing answers_reach changes what the contact and status queries call sent."""
    path = tmp_path / "case.sqlite3"
    with Case.open(path, create=True) as case:
        contact_id = _person(case, "王秀英")
        case.add_reach(contact_id, "2026-11-27T10:00:00+08:00", [])
        case.mark_sent(contact_id, "sms", "2026-11-27T11:00:00+08:00")
        assert (case.contact(contact_id).sent, case.counts().sent) == (True, 1)
    monkeypatch.setattr(sendlog, "answers_reach", lambda *args: False)
    with Case.open(path) as case:
        assert (case.contact(contact_id).sent, case.counts().sent) == (False, 0)


# -- reaches by key -----------------------------------------------------------------


def _steps(case: Case, reach_id: int) -> int:
    """SQLite virtual-machine steps (in hundreds) that case.reach(reach_id) takes."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    case._conn.set_progress_handler(tick, 100)
    try:
        case.reach(reach_id)
    finally:
        case._conn.set_progress_handler(None, 0)
    return steps[0]


def test_reach_by_id_finds_one_record_without_reading_the_others(case: Case) -> None:
    """reach(id) returns that record, None for an unknown id, and its cost does not grow with the case."""
    contact_id = _person(case, "王秀英")
    first = case.add_reach(contact_id, "2026-11-27T10:00:00+08:00", ["+8613911112222"], org="X")
    few = _steps(case, first)
    for minute in range(1000):
        case.add_reach(contact_id, f"2026-11-26T{minute // 60:02}:{minute % 60:02}:00+08:00", [])
    found = case.reach(first)
    assert found is not None
    assert (found.id, found.at, found.numbers, found.org) == (
        first,
        "2026-11-27T10:00:00+08:00",
        ("+8613911112222",),
        "X",
    )
    assert case.reach(first + 5000) is None
    assert _steps(case, first) <= few + 1


# -- status counts -------------------------------------------------------------------


def test_counts_cover_every_state(case: Case) -> None:
    """Sent, exported but unsent, reached again, no valid number: each counted once."""
    sent = _person(case, "甲")
    case.add_reach(sent, "2026-11-27T10:00:00+08:00", [])
    case.mark_sent(sent, "sms", "2026-11-27T12:00:00+08:00")
    exported = _person(case, "乙")
    reach = case.add_reach(exported, "2026-11-27T10:00:00+08:00", [])
    case.add_message(exported, reach, "friend", "sms", MOBILE, "text", "out.csv")
    again = _person(case, "丙")
    case.add_reach(again, "2026-11-20T10:00:00+08:00", [])
    case.mark_sent(again, "sms", "2026-11-20T12:00:00+08:00")
    case.add_reach(again, "2026-11-27T09:00:00+08:00", [])
    _person(case, "丁", number=None)
    counts = case.counts()
    assert (
        counts.contacts,
        counts.without_valid_number,
        counts.reached,
        counts.sent,
        counts.reached_again,
        counts.reaches,
        counts.exported_unsent,
        counts.pending,
    ) == (4, 1, 3, 1, 1, 4, 1, 2)


def test_listings_carry_each_contact_send_state(case: Case) -> None:
    """Every listing reads exported, sent and ever sent of each contact as its state is."""
    quiet = _person(case, "甲")
    case.add_reach(quiet, "2026-11-27T10:00:00+08:00", [])
    exported = _person(case, "乙")
    reach = case.add_reach(exported, "2026-11-27T10:00:00+08:00", [])
    case.add_message(exported, reach, "friend", "sms", MOBILE, "text", "out.csv")
    answered = _person(case, "丙")
    reach = case.add_reach(answered, "2026-11-27T10:00:00+08:00", [])
    case.add_message(answered, reach, "friend", "sms", MOBILE, "text", "out.csv")
    case.mark_sent(answered, "sms", "2026-11-27T12:00:00+08:00")
    again = _person(case, "丁")
    reach = case.add_reach(again, "2026-11-20T10:00:00+08:00", [])
    case.add_message(again, reach, "friend", "sms", MOBILE, "text", "out.csv")
    case.mark_sent(again, "sms", "2026-11-20T12:00:00+08:00")
    case.add_reach(again, "2026-11-27T09:00:00+08:00", [])  # reached again: pending
    never = _person(case, "戊")
    warned = _person(case, "己")  # warned before the call, the warning marked sent after it
    case.add_message(warned, None, "before-friend", "sms", MOBILE, "text", "before.csv")
    case.mark_sent(warned, "sms", "2026-11-27T12:00:00+08:00")
    case.add_reach(warned, "2026-11-27T10:00:00+08:00", [])
    exported_again = _person(case, "庚")  # sent for one reach, exported for the next
    reach = case.add_reach(exported_again, "2026-11-20T10:00:00+08:00", [])
    case.add_message(exported_again, reach, "friend", "sms", MOBILE, "text", "out.csv")
    case.mark_sent(exported_again, "sms", "2026-11-20T12:00:00+08:00")
    reach = case.add_reach(exported_again, "2026-11-27T09:00:00+08:00", [])
    case.add_message(exported_again, reach, "friend", "sms", MOBILE, "text", "out2.csv")
    expected = {
        quiet: (False, False, False),
        exported: (True, False, False),
        answered: (True, True, True),
        again: (False, False, True),
        never: (False, False, False),
        warned: (False, True, True),
        exported_again: (True, False, True),
    }
    for listing in (case.contacts(), case.reached_contacts(), [case.contact(i) for i in expected]):
        states = {s.id: (s.exported, s.sent, s.ever_sent) for s in listing}
        assert states == {i: state for i, state in expected.items() if i in states}
    assert len(case.reached_contacts()) == 6


def test_contacts_without_a_valid_number_are_counted_once_each(case: Case) -> None:
    """Two valid numbers count once, invalid or no numbers count, a stray number row does not."""
    case.add_contact(
        Contact(name="甲", phones=[Phone("1", e164=MOBILE), Phone("2", e164="+8613900139000")])
    )
    case.add_contact(Contact(name="乙", phones=[Phone("95555"), Phone("12345")]))
    case.add_contact(Contact(name="丙"))
    case.add_contact(Contact(name="丁", phones=[Phone("95555"), Phone("3", e164="+8613700137000")]))
    conn = case._conn  # a damaged case: a number whose contact is gone (foreign keys off)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO phones(contact_id, raw, e164, label, key) VALUES (99, 'x', ?, '', ?)",
                 ("+8613600136000", "+8613600136000"))  # fmt: skip
    conn.execute("PRAGMA foreign_keys = ON")
    counts = case.counts()
    assert (counts.contacts, counts.without_valid_number) == (4, 2)


def test_counts_carry_the_latest_reach_as_data(case: Case) -> None:
    """The latest reach is its stored time and the contact, not text; of equal times the first name."""
    assert case.counts().latest_reach is None
    later_name = _person(case, "张伟")  # 张 sorts after 周, though this contact came first
    case.add_reach(later_name, "2026-11-28T01:40:00+00:00", [])
    early = _person(case, "周杰")
    case.add_reach(early, "2026-11-28T09:40:00+08:00", [])  # the same moment
    case.add_reach(early, "2026-11-01", [])
    nameless = case.add_contact(Contact(name="", phones=[Phone(raw="138 0013 8001")]))
    case.add_reach(nameless, "2026-11-27T23:00:00+08:00", [])
    assert case.counts().latest_reach == LatestReach(
        at="2026-11-28T09:40:00+08:00", contact_id=early, name="周杰"
    )
    case.add_reach(nameless, "2026-11-29", [])
    assert case.counts().latest_reach == LatestReach(
        at="2026-11-29", contact_id=nameless, name="138 0013 8001"
    )


def test_counts_do_not_load_every_contact(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """counts() is answered by SQL aggregates: it never lists the contacts."""
    for name in ("甲", "乙", "丙"):
        case.add_reach(_person(case, name), "2026-11-27T10:00:00+08:00", [])

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("counts() listed every contact")

    monkeypatch.setattr(Case, "contacts", refuse)
    monkeypatch.setattr(Case, "reached_contacts", refuse)
    assert (case.counts().contacts, case.counts().reached) == (3, 3)


# -- transactions and paths ---------------------------------------------------------


def test_a_dry_run_transaction_keeps_nothing_and_passes_no_commit_point(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With dry_run the work is visible inside, then undone; no commit point is reached."""
    passed: list[str] = []
    monkeypatch.setattr(faults, "point", passed.append)
    with case.transaction("mark", dry_run=True):
        _person(case, "王秀英")
        assert case.counts().contacts == 1
    assert (case.counts().contacts, passed) == (0, [])
    with case.transaction("mark"):
        _person(case, "王秀英")
    assert (case.counts().contacts, passed) == (1, ["mark:before-commit", "mark:after-commit"])


def test_the_case_path_comes_from_the_one_environment_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """$CONTACT_NOTIFY_CASE (CASE_ENV) names the case, with ~ expanded."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(CASE_ENV, "~/mine.sqlite3")
    assert (CASE_ENV, default_case_path()) == ("CONTACT_NOTIFY_CASE", tmp_path / "mine.sqlite3")


def test_rows_are_read_by_column_name(case: Case) -> None:
    """The store's connection returns rows addressable by column name."""
    row = case._conn.execute("SELECT 1 AS one, 2 AS two").fetchone()
    assert isinstance(row, sqlite3.Row)
    assert (row["two"], row["one"]) == (2, 1)


@pytest.mark.zone("Asia/Shanghai")
def test_a_time_before_the_clock_can_convert_it_orders_first() -> None:
    """Year 1 east of UTC (before the first instant Python can hold) is moment 0.0, not an error."""
    assert moment("0001-01-01") == 0.0
    assert moment("0001-01-01T08:00:00+08:00") < 0  # with its offset it converts


@pytest.mark.zone("America/New_York")
def test_a_time_after_the_clock_can_convert_it_orders_first() -> None:
    """The last second of year 9999 west of UTC is moment 0.0, not an error."""
    assert moment("9999-12-31T23:59:59") == 0.0
    assert moment("9999-12-30") > 0


def test_a_cell_that_holds_no_text_orders_first() -> None:
    """A BLOB or a number where a time belongs is moment 0.0 (its cell is refused where it is read)."""
    assert moment(b"\xff") == 0.0  # type: ignore[arg-type]
    assert moment(20261127) == 0.0  # type: ignore[arg-type]


def _reached_by_contact(case: Case) -> list[tuple[int, int | None, int]]:
    """(id, latest reach id, reach count) of each reached contact, each read by itself, in the
    order of the reached listing's rule: latest moment first, then name, then id."""
    reached = [case.contact(s.id) for s in case.contacts() if s.last_reach is not None]
    reached.sort(key=lambda s: (-moment(s.last_reach.at if s.last_reach else ""),
                                s.contact.name, s.id))  # fmt: skip
    return [(s.id, s.last_reach.id if s.last_reach else None, s.reach_count) for s in reached]


def test_the_reached_listing_is_every_reached_contact_latest_first(case: Case) -> None:
    """reached_contacts() has each reached contact once, with the latest reach and count that
    contact(id) reads, latest first (equal moments in name, then id order), none unreached."""
    for name in ("甲", "乙"):
        _person(case, name)  # never reached
    once = _person(case, "丙")
    case.add_reach(once, "2026-11-20T10:00:00+08:00", ["+8617000000001"])
    several = _person(case, "丁")
    case.add_reach(several, "2026-11-28T09:40:00+08:00", [])  # the latest, recorded first
    case.add_reach(several, "2026-11-27", [])
    same = _person(case, "戊")
    case.add_reach(same, "2026-11-26T01:00:00Z", [])
    case.add_reach(same, "2026-11-26T09:00:00+08:00", [])  # the same moment, recorded last
    tie = _person(case, "一")  # the same moment as `several`, added later: first, by name
    case.add_reach(tie, "2026-11-28T01:40:00Z", [])
    earlier = _person(case, "乙")
    case.add_reach(earlier, "2026-11-28T09:40:00+09:00", [])
    nameless = case.add_contact(Contact(name="", phones=[Phone(raw="138 0013 8001")]))
    case.add_reach(nameless, "2026-11-01", [])
    case.add_reach(nameless, "2026-11-02", [])
    listed = [(s.id, s.last_reach.id if s.last_reach else None, s.reach_count)
              for s in case.reached_contacts()]  # fmt: skip
    assert listed == _reached_by_contact(case)
    assert [i for i, _reach, _count in listed] == [tie, several, earlier, same, once, nameless]
    assert listed[1][1:] == (2, 2)  # the latest moment, not the last record
    assert listed[3][1:] == (5, 2)  # of equal moments, the last record


@pytest.mark.parametrize(
    ("odd", "by_text"),
    [
        ("", True),  # every time of one form with one offset: ordered as text
        ("2026-11-26T10:30:00+09:00", False),  # another offset: 09:30 here, before 10:00
        ("2026-11-26", False),  # a date alone: local midnight
        ("2026-11-26T09:30:00", False),  # no offset: local time
        ("2026-11-26T09:30:00.5+08:00", False),  # a fraction of a second
        ("1960-01-01T00:00:00+08:00", False),  # before 1971
    ],
)
def test_the_reached_listing_orders_one_offsets_times_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: str, by_text: bool
) -> None:
    """When every reach time has one full form and one offset the reached listing orders
    them as texts, asking moment() of none; any other time brings moment() back; either
    way the order is the rule's: latest moment first, then name, then id."""
    from contact_notify.store import times

    asked: list[object] = []

    def counted(at: object) -> float:
        asked.append(at)
        return moment(at)  # type: ignore[arg-type]

    monkeypatch.setattr(times, "moment", counted)
    with Case.open(tmp_path / "case.sqlite3", create=True) as case:
        at = ["2026-11-26T10:00:00+08:00", "2026-11-27T09:00:00+08:00", "2026-11-26T10:00:00+08:00",
              "2026-11-25T23:59:59+08:00", odd or "2026-11-27T08:59:59+08:00"]  # fmt: skip
        for i, when in enumerate(at):
            case.add_reach(_person(case, "丙乙甲丁戊"[i]), when, [])
        asked.clear()
        listed = [(s.id, s.last_reach.id if s.last_reach else None, s.reach_count)
                  for s in case.iter_reached_contacts()]  # fmt: skip
        assert (asked == []) == by_text
        assert listed == _reached_by_contact(case)


def test_the_reached_listing_for_messages_leaves_out_only_the_sources(case: Case) -> None:
    """Without sources (what compose asks for) the reached listing is the same contacts in the
    same order with the same cells, each one's source None instead of its file and line."""
    import dataclasses

    for i, name in enumerate(("甲", "乙", "丙")):
        contact = _person(case, name)
        case.add_reach(contact, f"2026-11-2{i}T10:00:00+08:00", ["+8617000000001"])
    with case.transaction():
        case._conn.execute("UPDATE contacts SET source = 'phone.vcf:' || (id * 7)")
    full = case.reached_contacts()
    bare = list(case.iter_reached_contacts(sources=False))
    assert [s.contact.source for s in full] == [Source("phone.vcf", 7 * s.id) for s in full]
    assert [s.contact.source for s in bare] == [None] * 3
    unsourced = [
        dataclasses.replace(s, contact=dataclasses.replace(s.contact, source=None)) for s in full
    ]
    assert bare == unsourced


def test_the_reached_listing_does_not_visit_unreached_contacts(tmp_path: Path) -> None:
    """Listing the reached contacts takes the same SQLite steps among 30 contacts or 600."""

    def steps(contacts: int) -> int:
        path = tmp_path / f"case-{contacts}.sqlite3"
        with Case.open(path, create=True) as case:
            ids = [_person(case, f"联系人{i}") for i in range(contacts)]
            for contact_id in ids[:3]:
                case.add_reach(contact_id, "2026-11-27T21:30:00+08:00", [])
            case.add_reach(ids[0], "2026-11-28", [])  # one contact reached twice
            counted = [0]

            def count() -> int:
                counted[0] += 1
                return 0

            case._conn.set_progress_handler(count, 10)
            assert len(case.reached_contacts()) == 3
            case._conn.set_progress_handler(None, 10)
        return counted[0]

    small, large = steps(30), steps(600)
    # Before: every contact's latest reach was looked up, reached or not (20 times the steps).
    assert large < 1.5 * small


def test_contact_listings_read_only_what_a_message_uses_of_the_latest_reach(case: Case) -> None:
    """A listing's query reads the latest reach's time, numbers, note and number reached, not the
    cells only a whole reach record shows (each column read costs time for every contact)."""
    reached = _person(case, "甲")
    case.add_reach(
        reached, "2026-11-27T10:00:00+08:00", ["+8617000000001"], org="某贷", note="凌晨"
    )
    statements: list[str] = []
    case._conn.set_trace_callback(statements.append)
    listed = [*case.contacts(), *case.reached_contacts(), case.contact(reached)]
    case._conn.set_trace_callback(None)
    assert {
        (s.last_reach.at, s.last_reach.by, s.last_reach.note) for s in listed if s.last_reach
    } == {("2026-11-27T10:00:00+08:00", "+8617000000001", "凌晨")}
    queries = [q for q in statements if "contacts c" in q]
    assert len(queries) == 3
    for unread in ("recorded_at", "reach_behaviours", "r.org", "r.channel", "r.source"):
        assert not [q for q in queries if unread in q], unread
    assert case.reaches(reached)[0].org == "某贷"  # a whole record still has them


def test_a_listed_row_is_checked_in_one_go_as_cell_by_cell() -> None:
    """A contact's row read in one go gives the contact reading it cell by cell gives, and for
    a damaged cell (any cell: a number, a BLOB, a bad time or number) the same refusal."""
    import random

    from contact_notify.errors import CaseError
    from contact_notify.store import contacts as store_contacts

    base = [7, "王芳", "王", "芳", "芳芳", "华信", '["同事"]', '["a@b.cn"]', "x.vcf:12", "", "",
            2, 40, "2026-11-27T21:30:00+08:00", "+8617000000001\x1f+8617000000002", "楼下",
            "+8613800138000", 5]  # fmt: skip
    odd = [None, 3, 2.5, b"\xff", "", "[]", "not json", '["x", 1]', "2026-02-30", "2026-11-27",
           "+86", "+8613800138000", "x.vcf:z", "\x1f"]  # fmt: skip
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    refused = 0
    for _ in range(4000):
        row = list(base)
        for at in rng.sample(range(1, 17), rng.randint(0, 2)):
            row[at] = rng.choice(odd)
        if rng.random() < 0.1:
            row[12:17] = [None, None, None, None, None]  # never reached
        try:
            expected: object = store_contacts._stored_checked(row, [])
        except CaseError as exc:
            expected = exc.message
        try:
            got: object = store_contacts._stored(row, [])
        except CaseError as exc:
            got = exc.message
        assert got == expected, row
        refused += isinstance(expected, str)
    assert 1000 < refused < 3500, refused


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE reaches SET at = '2026-11-31T09:00:00+08:00' WHERE id = 3",  # no such day
        "UPDATE reaches SET at = '2026-13-01T09:00:00+08:00' WHERE id = 3",  # no such month
        "UPDATE reaches SET at = '2026-11-27T24:00:00+08:00' WHERE id = 3",  # no such hour
        "UPDATE reaches SET at = '2026-11-27T23:59:60+08:00' WHERE id = 3",  # no such second
        "UPDATE contacts SET name = X'ff00' WHERE id = 2",  # another cell, a real time
        "UPDATE reaches SET at = '2026-11-31T09:00:00+08:00' WHERE id IN (3, 4)",
    ],
)
def test_a_damaged_time_is_met_where_the_order_by_moment_meets_it(case: Case, damage: str) -> None:
    """A reach time of the one form and offset that is no real time sorts last by moment
    but anywhere as text: the listing gives the contacts and the refusal the order by moment
    gives, also when only the first few are asked for."""
    import itertools

    from contact_notify.errors import CaseError
    from contact_notify.store import contacts as store_contacts

    for i, name in enumerate("甲乙丙丁戊"):
        case.add_reach(_person(case, name), f"2026-11-2{7 - i}T09:00:00+08:00", [])
    with case.transaction():
        case._conn.execute(damage)

    def read(listing: Iterator[object], count: int | None = None) -> list[object]:
        got: list[object] = []
        try:
            got.extend(getattr(s, "id", s) for s in itertools.islice(listing, count))
        except CaseError as exc:
            got.append(exc.message)
        return got

    def by_moment() -> Iterator[object]:
        return store_contacts._read_stored(case._conn, store_contacts._REACHED, ())

    for count in (None, 1, 2, 3):
        expected = read(by_moment(), count)
        assert read(case.iter_reached_contacts(), count) == expected, count
    assert isinstance(read(by_moment())[-1], str)
