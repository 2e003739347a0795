"""E-mail addresses: a bad one skips only its contact; the sender's address is checked when set."""

from __future__ import annotations

import email
import email.policy
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contact_notify.errors import ExitCode
from contact_notify.exporters import email_address, email_draft
from contact_notify.messages import Message

from conftest import Run

# Each address that cannot be written, with the reason the export gives.  The first six
# stopped the whole export before (HeaderParseError, AttributeError); the next six were
# found by fuzzing email.headerregistry.Address with Hypothesis (HeaderParseError,
# AttributeError); the last six were written before, as something else than the contact's
# address (a comment dropped, a bidi override kept, an empty IP literal, a hyphen-edged or
# one-label domain).
BAD = [
    ("a@b..com", "b..com is not a domain such as example.com"),
    ("a@b@c.com", "it must hold exactly one @"),
    ("@c.com", "it needs a name before the @ and a domain after it"),
    ("<x>@y.com", "<x> is not a valid name before the @"),
    ("a@<b>.com", "<b>.com is not a domain such as example.com"),
    ("a@[1.2.3.4", "[1.2.3.4 is not a domain such as example.com"),
    ("@@x.com", "it must hold exactly one @"),
    ("a@[x@y.com", "it must hold exactly one @"),
    ("a@[", "[ is not a domain such as example.com"),
    ("a@b.com.", "b.com. is not a domain such as example.com"),
    ("(a@b.com", "(a is not a valid name before the @"),
    ("a@(b).com", "(b).com is not a domain such as example.com"),
    ("(c)a@b.com", "(c)a is not a valid name before the @"),
    ("a@b\u202e.com", "it contains a space or a control character"),
    ("a@[]", "[] is not an IP address such as [192.0.2.1]"),
    ("a@-b.com", "-b.com is not a domain such as example.com"),
    ("a@b", "b is not a domain such as example.com"),
    ("a b@c.com", "it contains a space or a control character"),
]
GOOD = ["wang@example.com", "a.b+tag@mail.example.co.uk", "x@[192.0.2.1]", "wang@例子.中国"]


def _message(address: str, name: str = "王芳") -> Message:
    return Message(1, 1, name, "", False, "正文\n", "t", "email", subject="主题", email=address)


@pytest.mark.parametrize(("address", "reason"), BAD)
def test_every_bad_address_is_a_value_error_saying_why(address: str, reason: str) -> None:
    """email_draft refuses each malformed address with ValueError naming it and the reason."""
    expected = f"the e-mail address {address!r} is not valid ({reason})"
    with pytest.raises(ValueError, match=re.escape(expected)) as caught:
        email_draft(_message(address), "小林", "")
    assert str(caught.value) == expected


@pytest.mark.parametrize("address", GOOD)
def test_a_good_address_is_written_as_it_is(address: str) -> None:
    """A valid address (an IP literal and an internationalised domain too) is the draft's To."""
    parsed = email.message_from_string(
        email_draft(_message(address), "小林", "").decode("utf-8"), policy=email.policy.default
    )
    assert [a.addr_spec for a in parsed["To"].addresses] == [address]


ADDRESS_PARTS = st.text(alphabet='ab1.@-_+[]<>()"\\,;: \t\r\n\x00例ü\u202e', max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=30), st.builds(lambda a, b: f"{a}@{b}", ADDRESS_PARTS, ADDRESS_PARTS)
    ),
    st.text(max_size=20),
)
def test_any_address_gives_a_draft_to_it_or_a_value_error(address: str, name: str) -> None:
    """Whatever the address and name, a draft goes to exactly that address, or ValueError says no."""
    try:
        data = email_draft(_message(address, name), "小林", "")
    except ValueError:
        return
    parsed = email.message_from_string(data.decode("utf-8"), policy=email.policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == [address.strip()]
    assert email_address(address) == address.strip()


def _contacts(tmp_path: Path, cli: Run, addresses: list[str]) -> None:
    """Import one contact per address (甲, 乙, 丙, …), mark them all, and set the sender."""
    names = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
    cards = "".join(
        f"BEGIN:VCARD\nFN:{names[i]}\nTEL:133000000{i:02d}\nEMAIL:{address}\nEND:VCARD\n"
        for i, address in enumerate(addresses)
    )
    (tmp_path / "c.vcf").write_text(cards, encoding="utf-8")
    assert cli("import", str(tmp_path / "c.vcf")).exit_code == 0
    assert cli("mark", *names[: len(addresses)], "--at", "2026-11-27 10:00").exit_code == 0
    assert cli("config", "sender", "小林").exit_code == 0


def test_a_bad_address_skips_that_contact_and_the_rest_get_drafts(cli: Run, tmp_path: Path) -> None:
    """Six malformed addresses are each skipped with a line naming contact and reason; two drafts."""
    addresses = [a for a, _ in BAD[:6]] + ["wang@example.com", "li@example.org"]
    _contacts(tmp_path, cli, addresses)
    folder = tmp_path / "drafts"
    result = cli("export", str(folder))
    assert (result.exit_code, result.stdout) == (
        ExitCode.OK,
        f"wrote 2 e-mail draft(s) to {folder}\n",
    )
    assert sorted(result.stderr.splitlines()) == sorted(
        [
            "skipped: 甲: the e-mail address 'a@b..com' is not valid "
            "(b..com is not a domain such as example.com); no draft for them",
            "skipped: 乙: the e-mail address 'a@b@c.com' is not valid "
            "(it must hold exactly one @); no draft for them",
            "skipped: 丙: the e-mail address '@c.com' is not valid "
            "(it needs a name before the @ and a domain after it); no draft for them",
            "skipped: 丁: the e-mail address '<x>@y.com' is not valid "
            "(<x> is not a valid name before the @); no draft for them",
            "skipped: 戊: the e-mail address 'a@<b>.com' is not valid "
            "(<b>.com is not a domain such as example.com); no draft for them",
            "skipped: 己: the e-mail address 'a@[1.2.3.4' is not valid "
            "([1.2.3.4 is not a domain such as example.com); no draft for them",
        ]
    )
    drafts = sorted(folder.iterdir())
    recipients = sorted(
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["To"] for p in drafts
    )
    assert recipients == ["庚 <wang@example.com>", "辛 <li@example.org>"]
    sent = cli("sent", "--exported", str(folder), "--channel", "email")
    assert sorted(sent.stdout.splitlines()) == ["sent: 庚", "sent: 辛"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("a@b..com", "b..com is not a domain such as example.com"),
        ("me@home", "home is not a domain such as example.com"),
        ("QQ:12345@qq.com", "QQ:12345 is not a valid name before the @"),
    ],
)
def test_sender_contact_meant_as_an_address_must_be_one(cli: Run, value: str, reason: str) -> None:
    """A sender-contact with an @ and no space is refused unless it is a valid address."""
    assert cli("config", "sender-contact", "微信 xiaolin88").exit_code == ExitCode.OK
    result = cli("config", "sender-contact", value)
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr.splitlines() == [
        f"error: sender-contact {value!r} is not a valid e-mail address ({reason})",
        "hint: give your address alone (contact-notify config sender-contact you@example.com), "
        "or other contact details with a space (微信 xiaolin88), which messages show but e-mail "
        "drafts do not use as the sender",
    ]
    assert cli("config", "sender-contact").stdout == "微信 xiaolin88\n"


def test_sender_contact_with_a_space_is_free_text_and_drafts_have_no_from(
    cli: Run, tmp_path: Path
) -> None:
    """'wechat me@home' is kept as written; every contact still gets a draft, without From."""
    _contacts(tmp_path, cli, ["wang@example.com", "li@example.org"])
    assert cli("config", "sender-contact", "wechat me@home").stdout == (
        "sender-contact = wechat me@home\n"
    )
    folder = tmp_path / "drafts"
    result = cli("export", str(folder))
    assert (result.exit_code, result.stdout, result.stderr) == (
        ExitCode.OK,
        f"wrote 2 e-mail draft(s) to {folder}\n",
        "",
    )
    for path in folder.iterdir():
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert parsed["From"] is None
        assert "wechat me@home" in parsed.get_content()


def test_a_stored_bad_sender_address_is_named_as_the_problem(
    cli: Run, tmp_path: Path, case_path: Path
) -> None:
    """A sender-contact stored before it was checked stops the export naming it, not a recipient."""
    _contacts(tmp_path, cli, ["wang@example.com"])
    with sqlite3.connect(case_path) as conn:  # as an older version would have stored it
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('sender-contact', 'me@b..com')"
        )
    conn.close()
    folder = tmp_path / "drafts"
    result = cli("export", str(folder))
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr.splitlines() == [
        "error: the sender-contact setting 'me@b..com' is not a valid e-mail address "
        "(b..com is not a domain such as example.com), so no draft can be sent from it; "
        "nothing was written",
        "hint: set your address alone (contact-notify config sender-contact you@example.com), "
        "or text with a space (微信 xiaolin88) for drafts without a sender",
    ]
    assert not folder.exists()
