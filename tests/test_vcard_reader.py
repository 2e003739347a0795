"""The vCard reader on one fixture per real-world quirk, and on bytes.

(Charsets, byte order marks and names built from N are proved in test_vcard_fidelity.py.)
"""

from __future__ import annotations

import pytest
import vobject

from contact_notify.errors import InputDataError

from readers_helpers import DATA, read_bytes, read_fixture, summary


def test_android_21_quoted_printable_soft_breaks() -> None:
    """QP soft breaks inside a UTF-8 character and inside an =XX escape rejoin to the right name."""
    contacts, result = read_fixture("android21_qp_softbreak.vcf")
    assert summary(contacts) == [
        ("欧阳娜娜", ["138 0013 8000", "010-62345678"]),
        ("蔡媛", ["+86 139 1234 5678"]),
    ]
    assert (contacts[0].family, contacts[0].given) == ("欧阳", "娜娜")
    assert [p.label for p in contacts[0].phones] == ["mobile", "home"]
    assert result.issues == []


def test_iphone_grouped_labels_become_phone_labels() -> None:
    """item1.X-ABLabel gives its TEL a label, both Apple's _$!<Mobile>!$_ form and custom text."""
    contacts, result = read_fixture("iphone30_grouped_labels.vcf")
    (contact,) = contacts
    assert contact.name == "李建国"
    assert [(p.raw, p.label) for p in contact.phones] == [
        ("+86 139-1234-5678", "mobile"),
        ("0755-88889999", "公司总机"),
    ]
    assert contact.groups == ["家人", "亲戚"]
    assert contact.org == "华信科技"
    assert contact.emails == ["lijianguo@example.com"]
    assert result.issues == []


def test_vcard_40_tel_uris_and_pauses() -> None:
    """tel: URIs, quoted multi-value TYPE and URI values without tel: are read as numbers."""
    contacts, _ = read_fixture("vcard40_tel_uri.vcf")
    (contact,) = contacts
    assert [(p.raw, p.label) for p in contact.phones] == [
        ("tel:+86-135-0000-1111", "mobile"),
        ("02155556666", "work"),
        ("010-62345678p123", "work"),
    ]


def test_folded_lines_rejoin_split_characters() -> None:
    """A fold (space or tab) that splits a UTF-8 character still yields the right text."""
    contacts, result = read_fixture("folded_lines.vcf")
    assert summary(contacts) == [("司马青青", ["1853333 5555"])]
    assert result.issues == []


def test_photos_are_skipped_without_breaking_the_card() -> None:
    """Outlook's blank line after photo data and 2.1's unindented base64 lines are skipped."""
    contacts, result = read_fixture("photo_outlook_and_21.vcf")
    assert summary(contacts) == [("Emily Chen", ["+852 9123 4567"]), ("周杰", ["15811112222"])]
    assert contacts[0].emails == ["emily@example.com"]
    assert result.issues == []


def test_broken_card_is_skipped_and_named_others_import() -> None:
    """A card with nothing readable is skipped with its line; the cards around it still import."""
    contacts, result = read_fixture("broken_card_middle.vcf")
    assert summary(contacts) == [("王秀英", ["138 0013 8000"]), ("刘芳", ["150 1234 5678"])]
    messages = [str(issue) for issue in result.issues]
    assert "broken_card_middle.vcf:8: warning: not a vCard property line; ignored" in messages
    assert (
        "broken_card_middle.vcf:6: skipped: card has no name, phone number or e-mail address"
        in messages
    )
    assert result.records == 3


def test_missing_end_is_repaired_with_a_warning() -> None:
    """A card without END:VCARD ends at the next BEGIN or at the end of the file, with warnings."""
    contacts, result = read_fixture("missing_end.vcf")
    assert summary(contacts) == [("周杰", ["15811112222"]), ("吴敏", ["177 0000 3333"])]
    assert [str(i) for i in result.issues] == [
        "missing_end.vcf:1: warning: card has no END:VCARD; it ends where the next card begins",
        "missing_end.vcf:5: warning: card has no END:VCARD before the end of the file (truncated?)",
    ]


def test_vendor_junk_lines_are_ignored() -> None:
    """Vendor lines, a '/' in a property name and '#' comments neither break nor warn."""
    contacts, result = read_fixture("vendor_junk.vcf")
    assert summary(contacts) == [("马超", ["13122223333"])]
    assert result.issues == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_a_vcard.vcf", "not_a_vcard.vcf: not a vCard file (no BEGIN:VCARD line found)"),
        ("empty.vcf", "empty.vcf: the file is empty"),
    ],
)
def test_files_that_are_no_vcard_are_a_clear_error(name: str, message: str) -> None:
    """An empty file or a text that is not a vCard is one clear InputDataError."""
    with pytest.raises(InputDataError) as caught:
        read_fixture(name)
    assert caught.value.message == message


@pytest.mark.parametrize("newline", [b"\r\n", b"\n", b"\r", b"\r\r\n"])
def test_any_line_ending(newline: bytes) -> None:
    """CRLF, LF, CR alone and CR CR LF all read the same."""
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:黄丽\nTEL:13512340001\nEND:VCARD\n".encode()
    contacts, result = read_bytes(text.replace(b"\n", newline), "x.vcf")
    assert summary(contacts) == [("黄丽", ["13512340001"])]
    assert result.issues == []


def test_same_names_and_numbers_as_vobject_on_clean_files() -> None:
    """On files vobject can read, our reader agrees with it on names and numbers.

    (vobject cannot read android21_qp_softbreak.vcf even with allowQP: a soft
    break inside an =XX escape raises UnicodeDecodeError; that is why the
    reader pre-processes bytes itself.)
    """
    for name in ("iphone30_grouped_labels.vcf", "vcard40_tel_uri.vcf"):
        text = (DATA / name).read_bytes().decode("utf-8")
        theirs = []
        for card in vobject.readComponents(text, allowQP=True):
            fn = card.fn.value if hasattr(card, "fn") else ""
            if isinstance(fn, bytes):
                fn = fn.decode("utf-8")
            tels = [t.value for t in card.contents.get("tel", [])]
            theirs.append((fn, tels))
        ours, _ = read_fixture(name)
        assert summary(ours) == theirs, name
