"""A message edited for one contact before sending: stored per round and channel, used everywhere."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from contact_notify.actions import Session, care, contacts, messages, reaches
from contact_notify.csvsafe import unprotect
from contact_notify.errors import CaseError, InputDataError, UsageError
from contact_notify.messages import NO_COLLECTOR, Message, compose
from contact_notify.store import Case

from conftest import EXAMPLES

COLLECTOR = "17012345678"
TARGET = "15012345678"  # 刘芳, whom examples/reached.txt names (in full-width digits)
EDIT = "刘芳，我自己改的话：那是我的欠款，和你无关。催收号码 170 1234 5678，可拉黑。小林"


@pytest.fixture
def reached(tmp_path: Path) -> Session:
    """The shipped examples imported, examples/reached.txt marked from one collector number."""
    session = Session(tmp_path / "case" / "case.sqlite3")
    contacts.import_files(session, [EXAMPLES / "contacts.vcf"])
    care.set_setting(session, "sender", "小林")
    reaches.mark(session, file=EXAMPLES / "reached.txt", at="2026-11-27 21:30", by=[COLLECTOR])
    return session


def _message(session: Session, contact_id: int, channel: str = "sms") -> Message:
    """The message preview shows for one contact on a channel."""
    found = [
        m for m in messages.preview(session, channel=channel).messages if m.contact_id == contact_id
    ]
    assert len(found) == 1
    return found[0]


def _stored_edits(session: Session) -> list[tuple[int, int, str, str]]:
    """Every row of the message_edits table, read directly."""
    with Case.open(session.path) as case:
        return [
            (int(r[0]), int(r[1]), str(r[2]), str(r[3]))
            for r in case._conn.execute(
                "SELECT contact_id, reach_id, channel, body FROM message_edits ORDER BY 1, 2, 3"
            )
        ]


def test_an_edit_replaces_the_text_in_preview_and_export(reached: Session, tmp_path: Path) -> None:
    """An edited message is what preview shows, the CSV carries and the send log records."""
    before = {m.contact_id: m.body for m in messages.preview(reached).messages}
    edited = messages.edit_message(reached, TARGET, f"  {EDIT}\r\n\n")
    assert (edited.name, edited.cleared) == ("刘芳", False)
    shown = _message(reached, edited.contact_id)
    assert (shown.body, shown.edited) == (EDIT + "\n", True)
    others = [m for m in messages.preview(reached).messages if m.contact_id != edited.contact_id]
    assert len(others) == 5
    assert all(not m.edited and m.body == before[m.contact_id] for m in others)
    out = tmp_path / "out.csv"
    messages.export(reached, out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [unprotect(r["message"]) for r in rows if unprotect(r["name"]) == "刘芳"] == [EDIT]
    with Case.open(reached.path) as case:
        logged = [
            str(r[0])
            for r in case._conn.execute(
                "SELECT body FROM messages WHERE contact_id = ?", (edited.contact_id,)
            )
        ]
    assert logged == [EDIT + "\n"]


def test_clearing_restores_the_template_text(reached: Session) -> None:
    """An empty or blank edit drops the stored one: the template's text applies again."""
    contact_id = messages.edit_message(reached, TARGET, " ").contact_id  # nothing to clear yet
    template_text = _message(reached, contact_id).body
    messages.edit_message(reached, TARGET, EDIT)
    assert _message(reached, contact_id).body == EDIT + "\n"
    cleared = messages.edit_message(reached, TARGET, " \n\t ")
    assert (cleared.contact_id, cleared.cleared) == (contact_id, True)
    shown = _message(reached, contact_id)
    assert (shown.edited, shown.body) == (False, template_text)
    assert "刘芳" in template_text
    assert EDIT not in template_text
    assert _stored_edits(reached) == []


def test_a_new_reach_ends_the_edit(reached: Session) -> None:
    """A later reach starts a new round without the edit; an earlier one recorded late does not."""
    contact_id = messages.edit_message(reached, TARGET, EDIT).contact_id
    reaches.mark(reached, [TARGET], at="2026-11-20 09:00")  # earlier: the round is the same
    assert _message(reached, contact_id).body == EDIT + "\n"
    reaches.mark(reached, [TARGET], at="2026-11-29 09:00")  # later: a new round
    shown = _message(reached, contact_id)
    assert (shown.edited, EDIT in shown.body) == (False, False)
    assert [row[3] for row in _stored_edits(reached)] == [EDIT]  # kept, no longer applying
    messages.edit_message(reached, TARGET, "新一轮的话")
    assert _message(reached, contact_id).body == "新一轮的话\n"
    reaches.unmark(reached, [TARGET])
    assert _stored_edits(reached) == []  # they went with their reach records


def test_the_edit_is_per_channel(reached: Session) -> None:
    """An SMS edit leaves the e-mail alone; an e-mail edit is its body under the rendered subject."""
    contact_id = messages.edit_message(reached, TARGET, EDIT).contact_id
    email = _message(reached, contact_id, "email")
    assert (email.edited, EDIT in email.body, email.subject != "") == (False, False, True)
    messages.edit_message(reached, f"id:{contact_id}", "邮件正文\n\n第二段", channel="EMAIL")
    edited_email = _message(reached, contact_id, "email")
    assert (edited_email.subject, edited_email.body) == (email.subject, "邮件正文\n\n第二段\n")
    assert edited_email.segments is None
    assert _message(reached, contact_id).body == EDIT + "\n"
    assert {row[2] for row in _stored_edits(reached)} == {"sms", "email"}


def test_review_and_sms_parts_apply_to_an_edited_text(reached: Session) -> None:
    """An edit that drops the collector number is flagged, and its SMS parts are its own."""
    contact_id = messages.edit_message(reached, TARGET, EDIT).contact_id
    flagged = {(f.message.contact_id, f.kind) for f in messages.preview(reached).flags}
    assert (contact_id, NO_COLLECTOR) not in flagged  # the edit names the number
    messages.edit_message(reached, TARGET, "刘芳，抱歉打扰，催收的电话请直接拉黑。小林")
    flagged = {(f.message.contact_id, f.kind) for f in messages.preview(reached).flags}
    assert (contact_id, NO_COLLECTOR) in flagged
    long_text = "抱歉" * 150  # 300 Chinese characters: several SMS parts
    messages.edit_message(reached, TARGET, long_text)
    preview = messages.preview(reached)
    shown = next(m for m in preview.messages if m.contact_id == contact_id)
    assert shown.segments is not None
    assert shown.segments.units == 300
    assert shown.segments.parts > preview.sms_limit
    assert contact_id in {m.contact_id for m in preview.too_long}


def test_refusals_say_what_is_wrong_and_store_nothing(reached: Session) -> None:
    """Editing a contact never reached, a text over the limit or an unknown channel is refused."""
    with pytest.raises(InputDataError) as never:
        messages.edit_message(reached, "周杰", EDIT)
    assert str(never.value.message) == (
        "周杰 was never marked as reached; there is no message to edit"
    )
    assert never.value.hint == "mark them first: contact-notify mark 周杰"
    with pytest.raises(InputDataError, match="never marked as reached"):
        messages.edit_message(reached, "周杰", "")  # clearing needs a round too
    with pytest.raises(UsageError) as long:
        messages.edit_message(reached, TARGET, "字" * 2001)
    assert long.value.message == (
        "the edited message is 2001 characters long; it can hold at most 2000"
    )
    assert long.value.hint == "shorten it, or leave it empty to go back to the template's text"
    with pytest.raises(UsageError) as channel:
        messages.edit_message(reached, TARGET, EDIT, channel="fax")
    assert channel.value.message == "unknown channel 'fax'"
    assert channel.value.hint == "use one of: sms, wechat, email"
    assert _stored_edits(reached) == []
    assert messages.edit_message(reached, TARGET, "字" * 2000).cleared is False  # the limit itself


def test_compose_reads_the_edits_in_one_query(reached: Session) -> None:
    """compose asks for the edits once, however many of the contacts it renders were edited."""
    ids = [m.contact_id for m in messages.preview(reached).messages]
    for contact_id in ids:
        messages.edit_message(reached, f"id:{contact_id}", f"第 {contact_id} 条")
    statements: list[str] = []
    with Case.open(reached.path) as case:
        conn: sqlite3.Connection = case._conn
        conn.set_trace_callback(statements.append)
        composed = compose(case, "小林")
        conn.set_trace_callback(None)
    assert len(composed) == len(ids) == 6
    assert all(m.edited and m.body == f"第 {m.contact_id} 条\n" for m in composed)
    assert len([s for s in statements if "message_edits" in s]) == 1


def _damage_edit(session: Session, contact_id: int) -> None:
    """Store an unreadable edited text (a BLOB) for the contact's latest reach, as damage would."""
    with Case.open(session.path) as case, case.transaction():
        reach = case._conn.execute(
            "SELECT MAX(id) FROM reaches WHERE contact_id = ?", (contact_id,)
        ).fetchone()[0]
        case._conn.execute(
            "INSERT OR REPLACE INTO message_edits(contact_id, reach_id, channel, body, edited_at) "
            "VALUES (?, ?, 'sms', ?, '2026-11-27T21:40:00+08:00')",
            (contact_id, reach, b"\x00"),
        )


def test_a_damaged_edit_of_a_contact_not_composed_stops_nothing(reached: Session) -> None:
    """Only the composed contacts' edits are read: one of a contact already sent, or past
    --limit, does not stop a preview; one of a composed contact is refused as damage."""
    ids = [m.contact_id for m in messages.preview(reached).messages]
    first, last = ids[0], ids[-1]
    _damage_edit(reached, last)
    assert len(messages.preview(reached, limit=1).messages) == 1  # the last is past the limit
    messages.record_sent(reached, [f"id:{last}"])
    assert [m.contact_id for m in messages.preview(reached).messages] == ids[:-1]
    _damage_edit(reached, first)
    with pytest.raises(CaseError, match="edited message"):
        messages.preview(reached)


def test_nothing_more_is_read_when_nobody_is_pending(reached: Session) -> None:
    """With every message sent, compose reads no collector numbers: a damaged number of an
    older reach does not turn "nobody to notify" into an error."""
    target = messages.preview(reached).messages[0]
    reaches.mark(
        reached, targets=[f"id:{target.contact_id}"], at="2026-11-28 09:00", by=["17000000001"]
    )
    everyone = [f"id:{m.contact_id}" for m in messages.preview(reached).messages]
    messages.record_sent(reached, everyone)
    with Case.open(reached.path) as case, case.transaction():
        older = case._conn.execute(
            "SELECT MIN(id) FROM reaches WHERE contact_id = ?", (target.contact_id,)
        ).fetchone()[0]
        case._conn.execute(
            "UPDATE reach_numbers SET number = ? WHERE reach_id = ?", (b"\xff", older)
        )
    assert messages.preview(reached).messages == []
