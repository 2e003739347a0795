"""Choosing, personalising and checking templates through the CLI."""

from __future__ import annotations

from pathlib import Path

from contact_notify.errors import ExitCode

from conftest import Run


def _heads(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("--- ")]


def test_rule_change_changes_the_template_preview_uses(reached_case: Run) -> None:
    """徐强 is in 领导 (superior); a new rule for 领导 makes preview use and name the new template."""
    before = [h for h in _heads(reached_case("preview").stdout) if "徐强" in h]
    assert before == ["--- 3/6 徐强 · +8613900001111 · superior.sms.zh (group 领导) · 2 SMS parts"]
    assert reached_case("rules", "set", "领导", "friend").stdout == "领导 -> friend\n"
    after = [h for h in _heads(reached_case("preview").stdout) if "徐强" in h]
    assert after == ["--- 3/6 徐强 · +8613900001111 · friend.sms.zh (group 领导) · 2 SMS parts"]
    assert "领导 -> friend" in reached_case("rules", "list").stdout.splitlines()


def test_removing_a_rule_falls_back_to_default(reached_case: Run) -> None:
    """Without a rule for its group a contact gets the default template, and preview says why."""
    reached_case("rules", "remove", "领导")
    heads = [h for h in _heads(reached_case("preview").stdout) if "徐强" in h]
    assert heads == [
        "--- 3/6 徐强 · +8613900001111 · default.sms.zh (no rule for the contact's groups) · 2 SMS parts"
    ]
    missing = reached_case("rules", "remove", "领导")
    assert (missing.exit_code, missing.stdout, missing.stderr) == (
        ExitCode.INPUT,
        "",
        "error: there is no rule for group '领导'\nhint: see: contact-notify rules list\n",
    )


def test_contact_salutation_and_template(reached_case: Run) -> None:
    """contact TARGET --salutation/--template personalises one contact and shows it."""
    result = reached_case("contact", "徐强", "--salutation", "徐总", "--template", "colleague")
    assert result.stdout.splitlines() == [
        "id:11 徐强",
        "  numbers:    +8613900001111 [mobile], +8675588889999 [work]",
        "  groups:     领导",
        "  salutation: 徐总",
        "  template:   colleague (chosen for this contact)",
        "  reached:    2026-11-27 21:30 (x1)",
    ]
    preview = reached_case("preview").stdout
    assert "--- 3/6 徐强 · +8613900001111 · colleague.sms.zh (chosen for this contact)" in preview
    assert "徐总您好，我是小林。" in preview
    reached_case("contact", "徐强", "--salutation", "", "--template", "")
    assert "徐强您好，我是小林。很抱歉打扰您" in reached_case("preview").stdout


def test_a_contacts_full_template_name_follows_channel_and_language(reached_case: Run) -> None:
    """A contact given colleague.email.zh gets the colleague SMS in English with --lang en."""
    reached_case("contact", "张伟", "--template", "colleague.email.zh")
    preview = reached_case("preview", "--lang", "en").stdout
    assert "张伟 · +8613500001111 · colleague.sms.en (chosen for this contact)" in preview
    assert "Subject:" not in preview


def test_channel_wechat_and_email(reached_case: Run) -> None:
    """--channel wechat renders the fuller text; email shows a subject line; neither counts SMS parts."""
    wechat = reached_case("preview", "--channel", "wechat").stdout
    assert "截个图" in wechat
    assert "SMS part" not in wechat
    email = reached_case("preview", "--channel", "email").stdout
    assert "Subject: 让您担心了：关于最近打给您的催收电话" in email


def test_preview_totals_and_length_warning(reached_case: Run) -> None:
    """preview ends with the total SMS parts; over the limit, each long message is a warning."""
    result = reached_case("preview")
    assert result.stdout.endswith("6 messages, 12 SMS parts in all\n")
    assert "warning:" not in result.stderr  # within the limit: only the notes on the parents
    assert [line.split(":", 2)[1] for line in result.stderr.splitlines()] == [
        " 李建国 is a family elder", " 王秀英 is a family elder",
    ]  # fmt: skip
    reached_case("config", "sms-limit", "1")
    limited = reached_case("preview")
    assert limited.stderr.count("warning: the message to") == 6
    assert "warning: the message to 王秀英 takes 2 SMS parts (limit 1)" in limited.stderr


def test_export_strict_refuses_long_messages(reached_case: Run, tmp_path: Path) -> None:
    """export --strict with messages over the limit exits 4 and writes nothing; without it, all are written."""
    reached_case("config", "sms-limit", "1")
    out = tmp_path / "out.csv"
    result = reached_case("export", str(out), "--strict")
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr.count("warning: the message to") == 6
    assert result.stderr.splitlines()[-2:] == [
        "error: 6 message(s) take more than 1 SMS parts; nothing was written",
        "hint: shorten the template, raise the limit (contact-notify config sms-limit 3) "
        "or leave out --strict",
    ]
    assert not out.exists()
    assert reached_case("export", str(out)).stdout == f"wrote 6 messages to {out}\n"
    assert out.exists()


def test_bad_sms_limit_is_a_usage_error(reached_case: Run) -> None:
    """config sms-limit refuses anything but a positive whole number and keeps the limit it had."""
    assert reached_case("config", "sms-limit", "1").stdout == "sms-limit = 1\n"
    for bad in ("many", "0", "1.5"):
        result = reached_case("config", "sms-limit", bad)
        assert (result.exit_code, result.stdout, result.stderr) == (
            ExitCode.USAGE,
            "",
            f"error: sms-limit must be a whole number of parts, not '{bad}'\n",
        )
    assert reached_case("config", "sms-limit").stdout == "1\n"
    assert "warning: the message to 王秀英 takes 2 SMS parts (limit 1)" in (
        reached_case("preview").stderr
    )


def test_templates_list_show_copy(cli: Run, tmp_path: Path) -> None:
    """list filters by language and channel; show prints the source; copy makes a usable file."""
    listing = cli("templates", "list", "--lang", "en", "--channel", "email").stdout.splitlines()
    assert len(listing) == 2 + 12
    assert listing[2].startswith("before-colleague.email.en")
    shown = cli("templates", "show", "friend.sms.zh").stdout
    assert shown.startswith("{#-\nlang: zh\nchannel: sms\nrelationship: friend\n")
    copied = cli("templates", "copy", "friend.sms.zh", str(tmp_path / "mine"))
    target = tmp_path / "mine" / "friend.sms.zh.j2"
    assert copied.stdout.splitlines()[0] == f"copied friend.sms.zh to {target}"
    assert target.read_text(encoding="utf-8") == shown
    again = cli("templates", "copy", "friend.sms.zh", str(tmp_path / "mine"))
    assert (again.exit_code, again.stdout, again.stderr) == (
        ExitCode.CASE_IO,
        "",
        f"error: {target} already exists; nothing was written\n"
        "hint: choose another file name, or add --force to replace it\n",
    )


def test_templates_check_finds_errors_with_lines(cli: Run, tmp_path: Path) -> None:
    """check reports a syntax error and an unknown variable with template and line, exit 4."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.j2").write_text("ok\n{% if contact.name %}\n")
    (folder / "typo.j2").write_text(
        "{#-\nchannel: sms\nlang: zh\n-#}\n{{ contact.nmae }}好\n{{ sendr }}\n"
    )
    (folder / "long.j2").write_text("{#-\nchannel: sms\nlang: zh\n-#}\n" + "很长" * 100 + "\n")
    result = cli("templates", "check", str(folder))
    assert result.exit_code == 4
    assert result.stdout.splitlines() == [
        f"error: template {folder / 'broken.j2'}, line 2: Unexpected end of template. Jinja was "
        "looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that "
        "needs to be closed is 'if'.",
        f"warning: template {folder / 'long.j2'}: 3 SMS parts for the contact '张伟' (limit 2)",
        f"warning: template {folder / 'long.j2'}: 3 SMS parts for the contact '王秀英' (limit 2)",
        f"warning: template {folder / 'long.j2'}: 3 SMS parts for the contact '欧阳娜娜娜' (limit 2)",
        f"ok: {folder / 'long.j2'} (sms): 3-3 SMS parts for sample contacts",
        f"error: template {folder / 'typo.j2'}, line 6: sendr is not a template variable",
        f"error: template {folder / 'typo.j2'}, line 5: contact.nmae is not a template variable",
    ]
    assert result.stderr == "error: 3 template problem(s) found\n"


def test_templates_check_builtins_pass(cli: Run) -> None:
    """The built-in library checks clean."""
    result = cli("templates", "check")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "72 template(s) checked, no errors"
