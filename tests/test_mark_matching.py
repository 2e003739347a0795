"""mark and unmark share one way of matching targets: none is listed, several is an error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from contact_notify.errors import InputDataError
from contact_notify.marking import Details, mark, unmark
from contact_notify.model import Contact, Phone
from contact_notify.reach_input import Target
from contact_notify.store import Case

from conftest import Run

AT = "2026-11-27T21:30:00+08:00"


@pytest.fixture
def case(case_path: Path) -> Iterator[Case]:
    """An open case holding 王秀英 and two contacts named 李明, none reached."""
    with Case.open(case_path, create=True) as opened:
        with opened.transaction():
            for name, number in [
                ("王秀英", "+8613800138000"),
                ("李明", "+8613912345678"),
                ("李明", "+8613700137000"),
            ]:
                opened.add_contact(Contact(name=name, phones=[Phone(number, "mobile", number)]))
        yield opened


def test_mark_lists_unknown_targets_with_suggestions(case: Case) -> None:
    """mark records the targets it matches and lists the others, with names like them."""
    with case.transaction():
        report = mark(
            case, [Target("王秀"), Target("13800138000")], region="CN", details=Details(at=AT)
        )
    assert [(i, name, str(t)) for i, name, t in report.marked] == [(1, "王秀英", "13800138000")]
    assert [str(t) for t in report.not_found] == ["王秀"]
    assert report.suggestions == {"王秀": ["id:1 王秀英"]}


def test_unmark_lists_unknown_targets_without_suggestions(case: Case) -> None:
    """unmark removes the matched contact's reaches and lists the unknown target, suggesting nothing."""
    with case.transaction():
        mark(case, [Target("id:1")], region="CN", details=Details(at=AT))
        report = unmark(case, [Target("王秀"), Target("王秀英")], region="CN")
    assert report.removed == {"王秀英": 1}
    assert [str(t) for t in report.not_found] == ["王秀"]
    assert report.suggestions == {}


@pytest.mark.parametrize("command", ["mark", "unmark"])
def test_an_ambiguous_target_stops_mark_and_unmark(case: Case, command: str) -> None:
    """A name two contacts share is an error naming both, its hint repeating the command."""
    run = {
        "mark": lambda: mark(case, [Target("李明")], region="CN", details=Details(at=AT)),
        "unmark": lambda: unmark(case, [Target("李明")], region="CN"),
    }[command]
    with case.transaction(), pytest.raises(InputDataError) as caught:
        run()
    assert caught.value.message == (
        "李明 matches 2 contacts: id:2 李明 (+8613912345678); id:3 李明 (+8613700137000)"
    )
    assert caught.value.hint == (
        f"nothing was changed; name one of them by number or id, e.g. contact-notify {command} id:2"
    )


def test_a_nameless_contact_is_named_by_its_number(cli: Run, tmp_path: Path) -> None:
    """mark, sent and unmark name a contact without a name by its number, as every listing does."""
    sheet = tmp_path / "numbers.csv"
    sheet.write_text("Phone,E-mail\n138 0013 8000,\n,nobody@example.com\n", encoding="utf-8")
    assert cli("import", str(sheet)).exit_code == 0
    marked = cli("mark", "13800138000", "id:2", "--at", "2026-11-27 21:30")
    assert marked.stdout.splitlines()[:2] == [
        "marked: 138 0013 8000 (13800138000)",
        "marked: nobody@example.com (id:2)",
    ]
    assert cli("sent", "id:2").stdout == "sent: nobody@example.com\n"
    assert cli("unmark", "13800138000").stdout == "unmarked: 138 0013 8000 (1 record removed)\n"
