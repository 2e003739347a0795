"""Friction a first-time user met, each fixed and held by a test."""

from __future__ import annotations

from pathlib import Path

from contact_notify.errors import ExitCode

from conftest import DATA, EXAMPLES, Run


def test_collector_numbers_must_look_like_numbers(cli: Run) -> None:
    """--by abc or --by 12 is refused; a 1069 gateway number is kept as written."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    bad = cli("mark", "王秀英", "--by", "abc")
    assert bad.exit_code == ExitCode.USAGE
    assert bad.stderr.startswith("error: 'abc' is not a phone number")
    assert cli("mark", "王秀英", "--by", "12").exit_code == ExitCode.USAGE
    assert cli("mark", "王秀英", "--by", "10690000123456").exit_code == 0
    assert "10690000123456" in cli("collectors").stdout


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
    assert shown.exit_code == ExitCode.INPUT
    assert "hint: did you mean: id:1 欧阳娜娜（大学室友，住在杭州）" in shown.stderr


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
    """A vCard export has no messages to mark; marking a page's export warns about the ticks."""
    reached_case("export", str(tmp_path / "r.vcf"))
    vcf = reached_case("sent", "--exported", str(tmp_path / "r.vcf"))
    assert vcf.exit_code == ExitCode.INPUT
    assert "hint: a vCard export holds contacts, not messages" in vcf.stderr
    reached_case("export", str(tmp_path / "p.html"))
    page = reached_case("sent", "--exported", str(tmp_path / "p.html"))
    assert page.stderr.startswith("note: this marks everyone on the page as sent, ticked or not")


def test_wrong_encoding_is_named_as_such(cli: Run) -> None:
    """--encoding utf-8 on a GBK sheet says the header does not read as utf-8, not 'use --column'."""
    result = cli("import", str(DATA / "gbk_wps.csv"), "--encoding", "utf-8")
    assert result.exit_code == ExitCode.INPUT
    assert "the header row does not read as utf-8" in result.stderr
    assert "leave out --encoding" in result.stderr


def test_missing_input_file_creates_no_case(cli: Run, case_path: Path, tmp_path: Path) -> None:
    """Importing a file that is not there fails before a case file is created."""
    assert cli("import", str(tmp_path / "nofile.vcf")).exit_code == ExitCode.INPUT
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
    """--lang EN and --channel SMS are read like en and sms."""
    assert reached_case("preview", "--lang", "EN", "--channel", "SMS").exit_code == 0


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
    # police station, ID number, contact, platform (twice), collector numbers, evidence, requests
    assert "fill in the 8 marked blank(s)" in result.stdout
    assert text.count("【待填写") == 8


def test_page_offers_no_sms_to_a_landline(cli: Run, tmp_path: Path) -> None:
    """The send page shows no SMS button for a landline, only the copy button."""
    cards = tmp_path / "c.vcf"
    cards.write_text("BEGIN:VCARD\nFN:老张\nTEL:010 6234 5678\nEND:VCARD\n", encoding="utf-8")
    cli("import", str(cards))
    cli("config", "sender", "小林")
    cli("mark", "老张")
    cli("export", str(tmp_path / "p.html"))
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert 'href="sms:' not in page
    assert "没有手机号，不能发短信" in page
