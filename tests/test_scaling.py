"""Work that grows with the input grows once: guards on call counts, not on timings.

The speed targets themselves are checked by benchmarks/compare.py; these tests
fail when a path goes back to redoing per item what it should do once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from contact_notify import phones, relationships
from contact_notify.store import Case

from conftest import EXAMPLES, Run


def _counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Replace ``owner.name`` by a wrapper that counts its calls; the count is ``calls[0]``."""
    calls = [0]
    real: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _clear_caches() -> None:
    for cached in (phones._valid, phones.display, phones.format_phone, phones.is_mobile,
                   phones.national_digits, phones.national_form, relationships.classify):  # fmt: skip
        cached.cache_clear()


@pytest.fixture
def all_reached(cli: Run, case_path: Path, tmp_path: Path) -> Run:
    """The examples imported, every contact reached from one collector number, sender set."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    ids = tmp_path / "ids.txt"
    with Case.open(case_path) as case:
        ids.write_text("".join(f"id:{i}\n" for i, _name in case.contact_names()))
    result = cli("mark", "--file", str(ids), "--at", "2026-11-27 21:30", "--by", "17012345678")
    assert result.exit_code == 0
    assert cli("config", "sender", "小林").exit_code == 0
    return cli


def _distinct_numbers(case_path: Path) -> int:
    with Case.open(case_path) as case:
        return len({p.raw for s in case.contacts() for p in s.contact.phones}) + 1


@pytest.mark.parametrize("out", ["messages.csv", "send.html", "contacts.vcf"])
def test_export_parses_each_number_once(
    all_reached: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    """An export reads each distinct number with phonenumbers once, not once per use."""
    _clear_caches()
    calls = _counting(monkeypatch, phonenumbers, "parse")
    result = all_reached("export", out)
    assert result.exit_code == 0, result.stderr
    messages = int(result.stdout.split("wrote ")[1].split(" ")[0])
    assert messages >= 25
    # Before: about seven parses per message (variables, display, is_mobile, send_to, _value).
    assert calls[0] <= _distinct_numbers(case_path)


def test_marking_names_reads_the_names_once(
    all_reached: Run, case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marking a list of names and id:N targets reads the case's names once, not per target."""
    with Case.open(case_path) as case:
        names = [name for _i, name in case.contact_names()][:20]
    targets = tmp_path / "names.txt"
    lines = [*names, *(f"id:{i}" for i in range(1, 21)), *(f"nobody {i}" for i in range(30))]
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls = _counting(monkeypatch, Case, "contact_names")
    result = all_reached("mark", "--file", str(targets), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert calls[0] == 1
    # Targets that match nobody get suggestions, the first 20 of them only.
    assert result.stderr.count("no contact matches") == 30


def test_a_json_listing_is_read_in_batches(
    all_reached: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """contacts --format json reads the case a batch at a time and prints exactly one array."""
    import json

    from contact_notify.store import contacts as store_contacts

    with Case.open(case_path) as case:
        expected = [s.id for s in case.contacts()]
    monkeypatch.setattr(store_contacts, "BATCH", 4)

    def whole_list(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the listing asked for the whole case as one list")

    monkeypatch.setattr(Case, "contacts", whole_list)
    fetched: list[int] = []
    real = store_contacts.iter_stored_contacts

    def watched(*args: Any) -> Any:
        for n, stored in enumerate(real(*args), 1):
            fetched.append(n)
            yield stored

    monkeypatch.setattr(store_contacts, "iter_stored_contacts", watched)
    result = all_reached("contacts", "--format", "json")
    listing = json.loads(result.stdout)
    assert [c["id"] for c in listing] == expected
    # Read twice (checked, then printed), one contact at a time: never as one list.
    assert fetched.count(1) == 2
    assert result.stdout == json.dumps(listing, ensure_ascii=False, indent=2) + "\n"


def test_a_contact_reached_once_needs_no_time_comparison(
    all_reached: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """preview asks moment() at most once per reached contact (to order them, when their times
    do not all have one offset), not again for a lone reach."""
    from contact_notify.store import times

    with Case.open(case_path) as case:
        reached = len(case.reached_contacts())
        assert all(s.reach_count == 1 for s in case.reached_contacts())
    calls = _counting(monkeypatch, times, "moment")
    assert all_reached("preview").exit_code == 0
    assert calls[0] == 0  # one form, one offset: ordered as text
    with Case.open(case_path) as case, case.transaction():
        case._conn.execute("UPDATE reaches SET at = '2026-11-27' WHERE id = 1")  # a date alone
    result = all_reached("preview")
    assert result.exit_code == 0, result.stderr
    # Before: once more per contact, to pick its latest reach among one.
    assert 0 < calls[0] <= reached + 2


def test_marking_one_contact_many_times_stays_linear(
    all_reached: Run, case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many reach records of one contact in one mark do not re-sort that contact's reaches per line."""
    from contact_notify.store import times

    records = 60
    rows = ["target,at,channel"]
    rows += [f"id:1,2026-11-{1 + i // 24:02d} {i % 24:02d}:05,call" for i in range(records)]
    sheet = tmp_path / "one.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    calls = _counting(monkeypatch, times, "moment")
    result = all_reached("mark", "--file", str(sheet))
    assert result.exit_code == 0, result.stderr
    with Case.open(case_path) as case:
        assert len(case.reaches(1)) == records + 1  # and the one all_reached made
    # Before: each line loaded the contact with its latest reach, sorting every
    # earlier record with moment(): 1 + 2 + ... + 60 = 1,830 calls.
    assert calls[0] <= 3 * records


def test_status_counts_without_reading_contacts(
    all_reached: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """status reads at most the one contact it names as the latest reached, whatever the case's size."""
    from contact_notify.store import contacts as store_contacts

    read: list[int] = []
    real = store_contacts.iter_stored_contacts

    def watched(*args: Any) -> Any:
        for stored in real(*args):
            read.append(stored.id)
            yield stored

    monkeypatch.setattr(store_contacts, "iter_stored_contacts", watched)
    result = all_reached("status")
    assert result.exit_code == 0, result.stderr
    assert "reached:" in result.stdout
    assert len(read) <= 1


@pytest.mark.parametrize(
    "name", ["contacts.vcf", "contacts.csv", "header only", "data/broken_card_middle.vcf"]
)
def test_inspect_json_streams_the_same_document(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    """inspect --format json prints the whole document byte for byte, never holding the contacts."""
    from contact_notify import importer

    path = (EXAMPLES / name) if not name.startswith("data/") else Path(__file__).parent / name
    if name == "header only":  # no contacts at all: "contacts": []
        path = tmp_path / "header.csv"
        path.write_text("Name,Phone\n", encoding="utf-8")
    whole = importer.inspect_file(path, region="CN")
    monkeypatch.setattr(importer, "inspect_file", None)  # the listing must not build the list
    result = cli("inspect", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    # Exactly what json.dumps makes of the document as a whole, and the contacts read.
    assert result.stdout == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert list(document) == ["file", "kind", "encoding", "records", "contacts", "warnings"]
    assert [c["name"] for c in document["contacts"]] == [c.name for c in whole.contacts]
    assert document["records"] == whole.file.records
    assert len(document["warnings"]) == len(whole.file.issues)


def test_inspect_json_refuses_a_file_changed_between_its_two_reads(
    cli: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A file written to between the counting read and the printing read prints nothing."""
    from contact_notify.actions import contacts as actions

    path = tmp_path / "c.csv"
    path.write_text("Name,Phone\n王芳,13800138000\n", encoding="utf-8")
    real = actions.iter_inspection

    def reading(*args: Any, **kwargs: Any) -> Any:
        report, contacts = real(*args, **kwargs)

        def then_written_to() -> Any:
            yield from contacts
            with path.open("a", encoding="utf-8") as f:  # someone appends a row meanwhile
                f.write("李明,13900139000\n")

        return report, then_written_to()

    monkeypatch.setattr(actions, "iter_inspection", reading)
    result = cli("inspect", str(path), "--format", "json")
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(f"error: {path} changed while it was being read\n")


def test_number_cells_fast_paths_agree_with_the_rule() -> None:
    """Cells of digits, spaces, dashes and + split the same with and without the fast paths."""
    import random

    from contact_notify.readers.columns import split_by_rule, split_numbers

    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    cells = ["187 3350 0036", "+86 187-3350-0036", "13800138000 13900139000", "1380013 8000",
             "187-3350-0036 139-0013-9000", "+8613800138000 +8613900139000", "010-6234 5678"]  # fmt: skip
    cells += ["".join(rng.choice("0123456789 -+") for _ in range(rng.randint(1, 30))).strip()
              for _ in range(20000)]  # fmt: skip
    for cell in filter(None, cells):
        assert split_numbers(cell) == split_by_rule(cell), cell


def test_sms_count_fast_path_agrees_with_packing() -> None:
    """Counting parts from the length gives what packing unit by unit gives, for any text."""
    import random

    from contact_notify import sms

    rng = random.Random(42)  # noqa: S311 -- test data, not a secret
    alphabet = "abc XYZ01{}€^您好，请😀\n"
    for size in [0, 1, 67, 68, 70, 71, 134, 135, 153, 154, 160, 161, 306, 307, *range(0, 500, 7)]:
        for text in ("".join(rng.choice(alphabet) for _ in range(size)), "a" * size, "您" * size):
            assert sms.count(text) == sms.packed(text), text


def test_classify_fast_path_agrees_with_the_general_one() -> None:
    """A name of Chinese characters only reads the same with and without the short way."""
    import random

    from contact_notify.names import COMPOUND_SURNAMES

    words = sorted(relationships.ELDER | relationships.PEER | relationships.TITLES)
    words += sorted(relationships.MARKERS) + sorted(relationships.NOT_FAMILY)
    words += sorted(relationships.PREFIXES) + sorted(COMPOUND_SURNAMES) + ["我", "的"]
    words += list("王李张刘陈杨黄赵周吴建国芳伟秀英丹军兰")
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    names = ["".join(rng.choice(words) for _ in range(rng.randint(1, 4))) for _ in range(20000)]
    lexicon = relationships.Lexicon()
    for name in names:
        assert relationships._ALL_CJK.fullmatch(name), name
        assert relationships._split_notes(name) == (name, []), name
        assert relationships._classify(name, "", lexicon, plain=True) == relationships._classify(
            name, "", lexicon, plain=False
        ), name


def test_a_name_turned_away_by_its_characters_is_one_the_word_list_finds_nothing_in() -> None:
    """A plain name that classify() turns away by its first, last and marker characters is
    one the whole look finds nothing in, whatever the words and characters it is made of."""
    import random

    words = sorted(relationships.ELDER | relationships.PEER | relationships.TITLES)
    words += [*sorted(relationships.MARKERS), "我", "的", "前", "老", "小"]
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    chars = [chr(rng.randint(0x3400, 0x9FFF)) for _ in range(300)] + list("王李建国芳丹")
    names = [
        "".join(
            rng.choice(words if rng.random() < 0.3 else chars) for _ in range(rng.randint(1, 5))
        )
        for _ in range(30000)
    ]
    names += [head + word + tail for word in words for head in ("", "王", "我", "小周")
              for tail in ("", "李建国", "丹")]  # fmt: skip
    lexicon = relationships.Lexicon()
    quiet = found = 0
    for name in names:
        whole = relationships._classify(name, "", lexicon, plain=True)
        if relationships._says_nothing(name):
            quiet += 1
            assert whole is None, name
        found += whole is not None
        relationships.classify.cache_clear()
        assert relationships.classify(name) == whole, name
    assert quiet > 10000, quiet
    assert found > 3000, found


def test_marker_words_are_found_as_looking_for_each_one_finds_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name, note or nickname is turned away from the marker words (同学, 领导…) when it holds
    none of their first characters, and answers as looking for every word answers."""
    import random

    pieces = sorted(relationships.MARKERS) + [word[1:] for word in relationships.MARKERS]
    pieces += ["的", "前", "老", "小周", "王", "芳", "(", ")", " ", "李建国"]
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    people = [
        ("".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))),
         rng.choice(["", "", "老同学", "小周", "领导的朋友"]))
        for _ in range(5000)
    ]  # fmt: skip
    lexicon = relationships.Lexicon()
    found = [relationships._classify(name, nick, lexicon, plain=False) for name, nick in people]
    assert sum(f is not None and f.word in relationships.MARKERS for f in found) > 500
    every = frozenset(ch for person in people for text in person for ch in text)
    monkeypatch.setattr(relationships, "_MARKER_FIRSTS", every)  # nothing turned away
    for (name, nick), expected in zip(people, found, strict=True):
        assert relationships._classify(name, nick, lexicon, plain=False) == expected, name


def test_word_ends_agree_with_comparing_every_word() -> None:
    """The ends a name shares with a word list, found through the first and last characters the
    list keeps, are the ends comparing every word of the list finds, longest first."""
    import random

    lists = [(relationships.ELDER, relationships.PEER), (relationships.TITLES, frozenset()),
             (frozenset({"阿", "阿姨", "大阿姨"}), frozenset({"哥"}))]  # fmt: skip
    alphabet = "".join(sorted({ch for a, b in lists for word in a | b for ch in word})) + "王丹李"
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    names = ["", *("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5)))
                   for _ in range(20000))]  # fmt: skip
    for elder, peer in lists:
        words = relationships._word_table(elder, peer)
        every = sorted(elder | peer, key=len, reverse=True)
        for name in names:
            expected = [w for w in every if name.endswith(w)]
            assert relationships._ends(name, words) == expected, name  # one word per length
            starts = [name[:n] for n in words.lengths if n <= len(name) and name[:n] in words.table]
            assert bool(starts) <= (name[:1] in words.firsts), name


def test_kinship_first_agrees_with_trying_every_term() -> None:
    """A kinship term before a personal name (爸爸李建国) is found as trying every term's
    length finds it, with the names starting otherwise turned away early."""
    import random

    terms = sorted(relationships.ELDER | relationships.PEER)
    given = list("王李张刘陈建国芳伟秀英丹军兰")
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    names = [rng.choice(terms) + "".join(rng.choice(given) for _ in range(rng.randint(0, 3)))
             for _ in range(5000)]  # fmt: skip
    names += ["".join(rng.choice(given) for _ in range(rng.randint(1, 4))) for _ in range(5000)]
    table, lengths, _firsts, _lasts = relationships._word_table(
        relationships.ELDER, relationships.PEER
    )
    for name in names:
        term = next(
            (name[:n] for n in lengths if n <= len(name) and name[:n] in table
             and relationships._personal(name[n:])),
            None,
        )  # fmt: skip
        found = relationships._kin_first(name)
        assert (found.source if found else None) == (term and name), name
        assert (found.word if found else None) == term, name


def test_csv_protect_fast_path_agrees_with_the_rule() -> None:
    """A one-line cell is protected exactly as the rule on every line start protects it."""
    import random

    from contact_notify import csvsafe

    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    alphabet = "'=+-@\t\r\nab,\"\u2028\x0b 您"
    for _ in range(50000):
        cell = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert csvsafe.protect(cell) == csvsafe._FORMULA.sub("'", cell), repr(cell)


def test_an_export_logs_its_messages_in_one_statement(
    all_reached: Run, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export logs all its messages with one executemany at one time, not row by row."""
    import datetime as dt
    import itertools

    from contact_notify import clock
    from contact_notify.store.sendlog import SendLog

    calls = _counting(monkeypatch, SendLog, "add_message")
    start = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ticks = itertools.count()
    clock.set_source(lambda: start + dt.timedelta(seconds=next(ticks)))  # a second a reading
    result = all_reached("export", "messages.csv")
    assert result.exit_code == 0, result.stderr
    assert calls[0] == 0
    with Case.open(case_path) as case:
        logged = case._conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT exported_at) FROM messages"
        ).fetchone()
    assert logged[0] >= 25
    assert logged[1] == 1


def test_a_case_keeps_more_pages_than_sqlites_default(case_path: Path) -> None:
    """An open case asks SQLite to keep PAGE_CACHE_KIB of its pages in memory (SQLite's
    default is 2,000 KiB); the benchmark checks the memory that costs."""
    from contact_notify.store.schema import PAGE_CACHE_KIB

    with Case.open(case_path, create=True) as case:
        (size,) = case._conn.execute("PRAGMA cache_size").fetchone()
    assert size == -PAGE_CACHE_KIB


def test_notes_of_many_contacts_are_printed_in_one_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """say_all hands its lines to the terminal in one write (each control character still made
    visible) and writes nothing for no lines: a write per line cost more than composing."""
    import typer

    from contact_notify.cli.base import say_all

    written: list[tuple[str, bool]] = []
    monkeypatch.setattr(typer, "echo", lambda text, err=False, nl=True: written.append((text, err)))
    say_all([f"note: 李{i}\x1b[2J" for i in range(3)], err=True)
    say_all([], err=True)
    assert written == [("note: 李0\\x1b[2J\nnote: 李1\\x1b[2J\nnote: 李2\\x1b[2J", True)]


def test_the_best_phone_is_the_first_mobile_else_valid_else_any() -> None:
    """The number a message goes to: the first valid mobile, else the first valid number, else
    the first, on 2,000 random lists of numbers, as picking from each kind in turn gives."""
    import random

    from contact_notify.model import Contact, Phone, StoredContact

    def picked(listed: list[Phone], mobile: Callable[[str], bool]) -> Phone | None:
        for kind in (
            [p for p in listed if p.e164 and mobile(p.e164)],
            [p for p in listed if p.e164],
            listed,
        ):
            if kind:
                return kind[0]
        return None

    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    pool = [("13800138000", "+8613800138000"), ("010 6552 9988", "+861065529988"),
            ("95555", None), ("+1 212 555 0100", "+12125550100")]  # fmt: skip
    for _ in range(2_000):
        listed = [Phone(raw, "", e164) for raw, e164 in rng.choices(pool, k=rng.randrange(5))]
        stored = StoredContact(1, Contact("李四", phones=listed))
        assert stored.best_phone(phones.is_mobile) is picked(listed, phones.is_mobile)
