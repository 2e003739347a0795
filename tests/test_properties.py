"""Property-based tests: hostile input of every shape, with a bounded number of examples."""

from __future__ import annotations

import contextlib
import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contact_notify.csvsafe import protect, unprotect
from contact_notify.errors import InputDataError
from contact_notify.exporters import contacts_vcard, messages_csv
from contact_notify.messages import Message
from contact_notify.model import Contact, Phone, StoredContact
from contact_notify.phones import clean, to_e164

from readers_helpers import read_bytes

FAST = settings(
    max_examples=int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Names as people and attackers write them: any Unicode (control characters, newlines, emoji,
# right-to-left text), sometimes very long.
names = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=3000),
    st.sampled_from(['=HYPERLINK("x")', "+86 boss", "-1", "@SUM(1)", "מרים 😀", "a\r\nb", "\x00x"]),
).filter(lambda s: s.strip() != "")
mobiles = st.integers(min_value=0, max_value=99_999_999).map(lambda n: f"+86138{n:08d}")


@FAST
@given(st.text(max_size=200))
def test_phone_normalisation_never_raises_and_is_idempotent(text: str) -> None:
    """Any string normalises without raising; an E.164 result normalises to itself."""
    clean(text)
    e164 = to_e164(text, "CN")
    if e164 is not None:
        assert e164.startswith("+")
        assert to_e164(e164, "CN") == e164
        assert to_e164(e164, "US") == e164


@FAST
@given(st.text(max_size=200))
def test_formula_protection_round_trips(text: str) -> None:
    """unprotect(protect(x)) == x, and protected cells never start like a formula."""
    assert unprotect(protect(text)) == text
    assert protect(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def _stored(n: int, name: str, number: str) -> StoredContact:
    return StoredContact(n, Contact(name=name, phones=[Phone(number, "mobile", number)]))


@FAST
@given(st.lists(st.tuples(names, mobiles), min_size=1, max_size=5, unique_by=lambda t: t[1]))
def test_any_contact_survives_vcard_export_and_import(people: list[tuple[str, str]]) -> None:
    """Names and numbers read back unchanged from our own vCard export."""
    data = contacts_vcard(
        [_stored(n, name, number) for n, (name, number) in enumerate(people)], "g"
    )
    contacts, result = read_bytes(data, "export.vcf")
    assert [(c.name, [p.raw for p in c.phones]) for c in contacts] == [
        (name, [number]) for name, number in people
    ]
    assert result.issues == []


@FAST
@given(st.lists(st.tuples(names, mobiles), min_size=1, max_size=5, unique_by=lambda t: t[1]))
def test_any_contact_survives_csv_export_and_import(people: list[tuple[str, str]]) -> None:
    """Names, numbers and messages read back unchanged, with csv.reader and with our reader.

    Our CSV reader trims whitespace around cells (spreadsheets are full of stray
    spaces), so names are compared trimmed there; Python's csv module gets them exact.
    """
    messages = [
        Message(n, n, name, number, True, f"{name}，您好\n第二行", "t")
        for n, (name, number) in enumerate(people)
    ]
    data = messages_csv(messages)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [[unprotect(c) for c in row[:3]] for row in rows[1:]] == [
        [name, number[3:], f"{name}，您好\n第二行"] for name, number in people
    ]
    contacts, _ = read_bytes(data, "export.csv", "csv")
    assert [(c.name, [p.raw for p in c.phones]) for c in contacts] == [
        (name.strip(), [number[3:]]) for name, number in people
    ]


@FAST
@given(st.binary(max_size=3000))
def test_vcard_reader_raises_only_its_own_errors(data: bytes) -> None:
    """Arbitrary bytes read as a vCard give contacts and issues, or an InputDataError."""
    with contextlib.suppress(InputDataError):
        read_bytes(data, "random.vcf")


@FAST
@given(st.binary(max_size=3000))
def test_csv_reader_raises_only_its_own_errors(data: bytes) -> None:
    """Arbitrary bytes read as CSV give contacts and issues, or an InputDataError."""
    with contextlib.suppress(InputDataError):
        read_bytes(data, "random.csv", "csv")


vcard_like = st.lists(
    st.sampled_from(
        [
            b"BEGIN:VCARD",
            b"END:VCARD",
            b"VERSION:2.1",
            b"VERSION:3.0",
            b"FN:x",
            b"N:a;b;;;",
            b"TEL;CELL:13800138000",
            b"FN;CHARSET=GB2312:\xd6\xd0",
            b"FN;ENCODING=QUOTED-PRINTABLE:=E4=",
            b"=B8=AD",
            b" folded",
            b"PHOTO;ENCODING=b:AAAA",
            b"item1.TEL:1",
            b"item1.X-ABLabel:x",
            b"FN;CHARSET=hex:00",
            b"FN;ENCODING=b:@@@",
            b'TEL;TYPE="a:b":1',
            b"\xef\xbb\xbfBEGIN:VCARD",
        ]
    ),
    max_size=30,
).map(lambda lines: b"\r\n".join(lines))


@FAST
@given(vcard_like)
def test_vcard_reader_on_card_shaped_noise(data: bytes) -> None:
    """Shuffled real vCard lines never raise anything but InputDataError."""
    try:
        _contacts, result = read_bytes(data, "noise.vcf")
    except InputDataError:
        return
    for issue in result.issues:
        assert issue.source.line >= 1
