"""A user's mistake gets one clear message and changes nothing; what the user is given fits their data.

Mistakes: a collector "number" that is none, part of a name, nothing left to export, marking a vCard
or a page as sent, a wrong --encoding, a missing file, no answer to wipe, unquoted words, upper-case
option values.  Fit: a masked evidence kit names no folder, the police draft names the reporter, the
send page offers no SMS to a landline.
"""

from __future__ import annotations

from pathlib import Path

from contact_notify.errors import ExitCode

from conftest import DATA, EXAMPLES, Run


def test_collector_numbers_must_look_like_numbers(cli: Run) -> None:
    """--by abc or --by 12 is refused and marks nothing; a 1069 gateway number is kept as written."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    for bad in ("abc", "12"):
        result = cli("mark", "王秀英", "--by", bad)
        assert (result.exit_code, result.stdout, result.stderr) == (
            ExitCode.USAGE,
            "",
            f"error: '{bad}' is not a phone number\n"
            "hint: give the collector's number as it appeared, e.g. --by 17012345678\n",
        )
    assert "reached:           0" in cli("status").stdout.splitlines()
    assert cli("mark", "王秀英", "--by", "10690000123456", "--at", "2026-11-27 21:30").stdout == (
        "marked: 王秀英 (王秀英)\n"
    )
    assert cli("collectors").stdout.splitlines()[2] == (
        "10690000123456  1        2026-11-27 21:30  2026-11-27 21:30  1"
    )


def test_close_names_are_suggested_never_guessed(cli: Run, tmp_path: Path) -> None:
    """A name that is only part of a contact's name marks nothing but suggests the contact."""
    sheet = tmp_path / "c.csv"
    sheet.write_text("姓名,手机\n欧阳娜娜（大学室友，住在杭州）,15233334444\n", encoding="utf-8")
    cli("import", str(sheet))
    result = cli("mark", "欧阳娜娜")
    assert result.stdout == ""
    assert result.stderr == (
        "no contact matches 欧阳娜娜; did you mean: id:1 欧阳娜娜（大学室友，住在杭州）\n"
    )
    shown = cli("contact", "欧阳娜娜")
    assert (shown.exit_code, shown.stdout, shown.stderr) == (
        ExitCode.INPUT,
        "",
        "error: no contact matches 欧阳娜娜\nhint: did you mean: id:1 欧阳娜娜（大学室友，住在杭州）\n",
    )
    assert "reached:           0" in cli("status").stdout.splitlines()


def test_nothing_to_export_writes_no_file(reached_case: Run, tmp_path: Path) -> None:
    """With everyone already sent a message, export says so and leaves the name free."""
    first = tmp_path / "a.csv"
    reached_case("export", str(first))
    reached_case("sent", "--exported", str(first))
    empty = reached_case("export", str(tmp_path / "b.csv"))
    assert (empty.exit_code, empty.stdout, empty.stderr) == (
        ExitCode.NOTHING_TO_DO,
        "",
        "nothing to export: every reached contact was already sent a message for their latest "
        "reach; nothing was written\nhint: use --all to export everyone again\n",
    )
    assert not (tmp_path / "b.csv").exists()


def test_sent_explains_vcard_and_page_exports(reached_case: Run, tmp_path: Path) -> None:
    """A vCard export has no messages to mark (nothing is marked); marking a page's export warns about the ticks."""
    reached_case("export", str(tmp_path / "r.vcf"))
    vcf = reached_case("sent", "--exported", str(tmp_path / "r.vcf"))
    assert (vcf.exit_code, vcf.stdout, vcf.stderr) == (
        ExitCode.INPUT,
        "",
        f"error: no messages were exported to {tmp_path / 'r.vcf'}\n"
        "hint: a vCard export holds contacts, not messages; name them: contact-notify sent NAME…\n",
    )
    assert "sent:              0" in reached_case("status").stdout.splitlines()
    reached_case("export", str(tmp_path / "p.html"))
    page = reached_case("sent", "--exported", str(tmp_path / "p.html"))
    assert (page.exit_code, page.stderr) == (
        0,
        "note: this marks everyone on the page as sent, ticked or not (the ticks stay on the "
        "phone); to mark only some: contact-notify sent NAME…\n",
    )
    assert len(page.stdout.splitlines()) == 6
    assert "sent:              6" in reached_case("status").stdout.splitlines()


def test_wrong_encoding_is_named_as_such(cli: Run, case_path: Path) -> None:
    """--encoding utf-8 on a GBK sheet says the header does not read as utf-8, not 'use --column'."""
    sheet = DATA / "gbk_wps.csv"
    result = cli("import", str(sheet), "--encoding", "utf-8")
    assert (result.exit_code, result.stdout) == (ExitCode.INPUT, "")
    error, hint = result.stderr.splitlines()
    # The error goes on to show the header as it read, replacement characters and all.
    assert error.startswith(f"error: {sheet}: the header row does not read as utf-8 (columns: ")
    assert hint == (
        "hint: leave out --encoding to let the file's encoding be detected, or give the right one"
    )
    assert not case_path.exists()


def test_missing_input_file_creates_no_case(cli: Run, case_path: Path, tmp_path: Path) -> None:
    """Importing a file that is not there says so and fails before a case file is created."""
    missing = tmp_path / "nofile.vcf"
    result = cli("import", str(missing))
    assert (result.exit_code, result.stdout, result.stderr) == (
        ExitCode.INPUT,
        "",
        f"error: cannot open {missing}: no such file\nhint: check the path\n",
    )
    assert not case_path.exists()


def test_wipe_without_an_answer_keeps_the_case(cli: Run, case_path: Path) -> None:
    """wipe with no input to answer the question keeps the case (exit 2), not 'Aborted!'."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    result = cli("wipe", input="")
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE,
        "error: no answer to the question; nothing was deleted\n"
        "hint: to delete without a question: contact-notify wipe --yes\n",
    )
    assert case_path.exists()


def test_config_value_of_several_words(cli: Run) -> None:
    """config sender-contact 微信 zhangming88 keeps both words."""
    assert cli("config", "sender-contact", "微信", "zhangming88").stdout == (
        "sender-contact = 微信 zhangming88\n"
    )


def test_upper_case_language_and_channel(reached_case: Run) -> None:
    """--lang EN and --channel SMS choose each contact's English SMS template, as en and sms do."""
    upper = reached_case("preview", "--lang", "EN", "--channel", "SMS")
    lower = reached_case("preview", "--lang", "en", "--channel", "sms")
    assert (upper.exit_code, upper.stdout, upper.stderr) == (0, lower.stdout, lower.stderr)
    heads = [line.split(" · ") for line in upper.stdout.splitlines() if line.startswith("--- ")]
    assert [(head[0], head[2].split(" (")[0]) for head in heads] == [
        ("--- 1/6 刘芳", "friend.sms.en"),
        ("--- 2/6 张伟", "colleague.sms.en"),
        ("--- 3/6 徐强", "superior.sms.en"),
        ("--- 4/6 李建国", "family-elder.sms.en"),
        ("--- 5/6 王秀英", "family-elder.sms.en"),
        ("--- 6/6 陈静", "colleague.sms.en"),
    ]


def test_upper_case_channel_counts_sms_parts(reached_case: Run) -> None:
    """preview --channel SMS counts SMS parts and warns about long messages exactly as --channel sms."""
    reached_case("config", "sms-limit", "1")
    lower = reached_case("preview", "--channel", "sms", "--limit", "1")
    assert (lower.stdout.splitlines()[0], lower.stderr) == (
        "--- 1/1 刘芳 · +8615012345678 · friend.sms.zh (group 朋友) · 2 SMS parts",
        "warning: the message to 刘芳 takes 2 SMS parts (limit 1)\n",
    )
    upper = reached_case("preview", "--channel", "SMS", "--limit", "1")
    assert (upper.stdout, upper.stderr) == (lower.stdout, lower.stderr)


def test_masked_evidence_names_only_the_file(reached_case: Run, tmp_path: Path) -> None:
    """With --mask an evidence file is named without its folders (which may name the user)."""
    shot = tmp_path / "zhangming-private" / "shot.png"
    shot.parent.mkdir()
    shot.write_bytes(b"png")
    reached_case("mark", "王秀英", "--at", "2026-11-28 09:00", "--attach", str(shot))
    reached_case("evidence", str(tmp_path / "e.md"), "--mask")
    text = (tmp_path / "e.md").read_text(encoding="utf-8")
    assert "shot.png" in text
    assert "zhangming-private" not in text


def test_police_draft_names_the_reporter(reached_case: Run, tmp_path: Path) -> None:
    """The police draft says 报案人, and only the marked blanks are counted."""
    result = reached_case("complaint", "--to", "police", str(tmp_path / "p.txt"))
    text = (tmp_path / "p.txt").read_text(encoding="utf-8")
    assert "报案人：小林" in text
    assert "投诉人" not in text
    # police station, ID number, contact, platform (twice), collector numbers, what the
    # collectors did, evidence, requests
    assert "fill in the 9 marked blank(s)" in result.stdout
    assert text.count("【待填写") == 9


def test_page_offers_no_sms_to_a_landline(cli: Run, tmp_path: Path, zh: None) -> None:
    """The send page shows no SMS button for a landline, only the copy button (said in Chinese)."""
    cards = tmp_path / "c.vcf"
    cards.write_text("BEGIN:VCARD\nFN:老张\nTEL:010 6234 5678\nEND:VCARD\n", encoding="utf-8")
    cli("import", str(cards))
    cli("config", "sender", "小林")
    cli("mark", "老张")
    cli("export", str(tmp_path / "p.html"))
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert 'href="sms:' not in page
    assert "没有手机号，不能发短信" in page
