"""The command line's frame speaks the interface language: choice of language, usage errors, prompts, consoles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from contact_notify import i18n
from language_check import chinese_runs, english_phrases

from conftest import DATA, ROOT, Run

CLI = [sys.executable, "-c", "from contact_notify.cli import main; main()"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"CONTACT_NOTIFY_LANG": "zh"}, "zh"),
        ({"CONTACT_NOTIFY_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"CONTACT_NOTIFY_LANG": "zh_TW", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LC_MESSAGES": "zh_CN.GBK"}, "zh"),
        ({"LANGUAGE": "zh_CN:en_US"}, "zh"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({}, "en"),
        ({"CONTACT_NOTIFY_LANG": "klingon", "LANG": "zh_HK.UTF-8"}, "zh"),
    ],
)
def test_the_language_follows_the_setting_then_the_locale(
    environ: dict[str, str], expected: str
) -> None:
    """CONTACT_NOTIFY_LANG wins, else the first locale variable set; Chinese for zh*, else English."""
    assert i18n.choose_language(environ) == expected


def test_help_says_how_to_switch_in_both_languages(cli: Run, zh: None) -> None:
    """The tool's --help ends with how to switch the interface language, in Chinese and English."""
    result = cli("--help")
    assert result.exit_code == 0
    assert "界面语言 / Interface language: CONTACT_NOTIFY_LANG=zh" in " ".join(
        result.output.split()
    )
    assert result.output.startswith("用法：contact-notify [选项] 命令 [参数]...")
    assert "\n选项：\n" in result.output
    assert "\n命令：\n" in result.output


@pytest.mark.parametrize(
    ("args", "zh_error", "en_error"),
    [
        (("preview", "--lim", "3"), "错误：没有这个选项：--lim（可用的选项：--all, --in, --limit）",
         "Error: no such option: --lim (possible options: --all, --in, --limit)"),
        (("preview", "--limit", "x"), "错误：'--limit' 的值不对：需要一个整数",
         "Error: invalid value for '--limit': a whole number is needed"),
        (("preview", "--limit", "0"), "错误：'--limit' 的值不对：不能小于 1",
         "Error: invalid value for '--limit': it must be at least 1"),
        (("backup",), "错误：缺少参数 DESTINATION", "Error: missing argument DESTINATION"),
        (("expor",), "错误：没有这个命令：'expor'；您是不是要用 'export'？",
         "Error: no such command: 'expor'; did you mean 'export'?"),
        (("mark", "--channel"), "错误：选项 '--channel' 后面要跟一个值",
         "Error: option '--channel' needs a value after it"),
        (("status", "extra"), "错误：多余的参数：extra", "Error: too many arguments: extra"),
    ],
)  # fmt: skip
def test_usage_errors_of_the_library_are_in_the_interface_language(
    cli: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], zh_error: str, en_error: str
) -> None:
    """What typer says about a bad command line is said in Chinese or English, exit 2, no other language."""
    for lang, error in (("zh", zh_error), ("en", en_error)):
        monkeypatch.setenv(i18n.ENV, lang)
        i18n.reset()
        result = cli(*args)
        assert result.exit_code == 2, (lang, result.output)
        assert result.stderr.splitlines()[-1] == error
        if lang == "zh":
            assert english_phrases(result.stderr) == []
        else:
            assert chinese_runs(result.stderr) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_command_typed_in_chinese_gets_a_chinese_answer(
    cli: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """导入 is answered in Chinese whatever the interface language, with the command meant and every command."""
    monkeypatch.setenv(i18n.ENV, lang)
    i18n.reset()
    result = cli("导入", "contacts.vcf")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        "错误：没有这个命令：导入",
        "您要找的可能是：contact-notify import",
        "命令要用英文字母输入，全部命令如下：",
    ]
    listed = [line.split()[0] for line in lines[3:]]
    assert listed[:3] == ["import", "inspect", "contacts"]
    assert "wipe" in listed
    assert english_phrases("\n".join(lines[:3])) == []


def test_the_question_before_wiping_accepts_chinese_answers(
    cli: Run, zh: None, case_path: Path
) -> None:
    """wipe asks in Chinese; 否 keeps the case, 是 deletes it."""
    assert cli("import", str(DATA / "names-outside-gbk.vcf")).exit_code == 0
    kept = cli("wipe", input="否\n")
    assert kept.exit_code == 0
    assert case_path.exists()
    assert "删除档案文件" in kept.output
    assert "[是 y / 否 N]" in kept.output
    gone = cli("wipe", input="是\n")
    assert gone.exit_code == 0
    assert not case_path.exists()


def test_an_unclear_answer_is_asked_again(cli: Run, case_path: Path) -> None:
    """An answer that is neither yes nor no is asked again, and an empty one means no."""
    assert cli("import", str(DATA / "names-outside-gbk.vcf")).exit_code == 0
    result = cli("wipe", input="maybe\n\n")
    assert result.exit_code == 0
    assert case_path.exists()
    assert "please answer y (yes, 是) or n (no, 否)" in result.stderr


def _gbk_run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(CLI + args, env=env, capture_output=True, timeout=120, check=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_gbk_console_gets_every_character_it_can_show(tmp_path: Path, lang: str) -> None:
    """With a GBK console (Chinese Windows), names with emoji or rare characters never crash a command.

    What GBK cannot hold is written as [U+XXXX]; everything else comes out exact.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON"))} | {
        "PYTHONIOENCODING": "gbk",
        "PYTHONUTF8": "0",
        "CONTACT_NOTIFY_LANG": lang,
        "CONTACT_NOTIFY_CASE": str(tmp_path / "案件 文件夹" / "case.sqlite3"),
        "COLUMNS": "100",
    }
    source = tmp_path / "通讯录 导出.vcf"
    source.write_bytes((DATA / "names-outside-gbk.vcf").read_bytes())
    runs = [
        ["import", str(source)],
        ["inspect", str(source)],
        ["contacts"],
        ["mark", "13800138001", "13800138002", "--at", "2026-11-28 21:40"],
        ["preview"],
        ["status"],
        ["export", str(tmp_path / "发送 列表.csv"), "--sender", "林小明"],
    ]
    shown = ""
    for args in runs:
        done = _gbk_run(args, env)
        out, err = done.stdout.decode("gbk"), done.stderr.decode("gbk")
        assert done.returncode == 0, (args, err)
        assert "Traceback" not in err
        shown += out + err
    assert "王小明[U+1F600]" in shown
    assert "李[U+2A6A5]" in shown
    assert "张三" in shown
    assert (tmp_path / "发送 列表.csv").read_text(encoding="utf-8-sig").count("😀") >= 1


def test_the_source_tree_ships_the_catalog_it_is_tested_with() -> None:
    """Each language folder holds .po files and the compiled catalog built from them."""
    folder = ROOT / "src" / "contact_notify" / "locale" / "zh_CN" / "LC_MESSAGES"
    assert sorted(p.name for p in folder.glob("*.po"))
    assert (folder / "contact_notify.mo").is_file()


def _every_command() -> list[tuple[str, ...]]:
    """The path of the root, every command and every subcommand."""
    import typer.main

    from contact_notify.cli import app

    paths: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


@pytest.mark.parametrize("width", [60, 80, 100])
def test_chinese_help_fits_the_terminal(
    cli: Run, zh: None, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """Every --help line in Chinese fits the terminal's columns (a Chinese character takes two)."""
    from contact_notify.cli.frame import columns

    monkeypatch.setenv("COLUMNS", str(width))
    too_wide = []
    for path in _every_command():
        result = CliRunnerWide(width).invoke(path)
        for line in result.splitlines():
            # an example command stays whole on its line, to be copied as it is, and one
            # piece with no place to break (a long path) may stand alone
            if columns(line) > width and "contact-notify " not in line and len(line.split()) > 1:
                too_wide.append((" ".join(path), line))
    assert too_wide == []


class CliRunnerWide:
    """Runs --help at a given terminal width."""

    def __init__(self, width: int) -> None:
        self.width = width

    def invoke(self, path: tuple[str, ...]) -> str:
        from typer.testing import CliRunner

        from contact_notify.cli import app

        result = CliRunner().invoke(app, [*path, "--help"], terminal_width=self.width)
        assert result.exit_code == 0, result.output
        return result.output


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("发生的时间：2026-11-27、'2026-11-27 21:30'", 20, ["发生的时间：", "2026-11-27、", "'2026-11-27 21:30'"]),
        ("一二三四五，六七八", 10, ["一二三四", "五，六七八"]),
        ("see 11月30日 here", 10, ["see", "11月30日", "here"]),
        ("\b\n第一行\n第二行", 40, ["第一行", "第二行"]),
    ],
)  # fmt: skip
def test_wrapping_counts_columns_and_keeps_punctuation(
    text: str, width: int, lines: list[str]
) -> None:
    """Lines break between Chinese characters and at spaces, never before "，", never inside "11月30日"."""
    from contact_notify.cli.frame import wrap

    assert wrap(text, width, cjk_breaks=True) == lines


def test_the_command_list_cuts_chinese_descriptions_by_columns() -> None:
    """A one-line description is its first sentence, cut with … to the columns left for it."""
    from contact_notify.cli.frame import columns, short_help

    text = "显示每个被催收联系过的联系人会收到的消息，以及所用模板。\n\n后面的段落不显示。"
    assert short_help(text, 80) == "显示每个被催收联系过的联系人会收到的消息，以及所用模板。"
    cut = short_help(text, 30)
    assert cut == "显示每个被催收联系过的联系人…"
    assert columns(cut) <= 30


@pytest.mark.parametrize(
    ("typed", "value"),
    [("电话", "call"), ("短信", "sms"), ("微信", "wechat"), ("邮件", "email"), ("表格", "table"),
     ("中文", "zh"), ("国际", "e164"), ("报警", "police"), ("互金协会", "nifa"), ("JSON", "json"),
     (" sms ", "sms"), ("未知", "未知")],
)  # fmt: skip
def test_chinese_words_stand_for_fixed_values(typed: str, value: str) -> None:
    """Words typed in Chinese map to the value the core knows; anything else passes unchanged."""
    from contact_notify.choices import canonical

    assert canonical(typed) == value


def test_a_complaint_can_be_addressed_in_chinese(cli: Run, tmp_path: Path, zh: None) -> None:
    """complaint --to 报警 writes the police report draft."""
    assert cli("import", str(DATA / "names-outside-gbk.vcf")).exit_code == 0
    assert cli("mark", "13800138003", "--at", "2026-11-28 21:40").exit_code == 0
    result = cli("complaint", "--to", "报警", str(tmp_path / "投诉.md"))
    assert result.exit_code == 0, result.output
    police = cli("complaint", "--to", "police", str(tmp_path / "police.md"))
    assert police.exit_code == 0
    assert (tmp_path / "投诉.md").read_bytes() == (tmp_path / "police.md").read_bytes()
