"""The command line's own words speak the interface language: help, summaries, tables, values typed in Chinese."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from typer.testing import Result

from contact_notify.cli import app
from contact_notify.cli.terminal import width
from contact_notify.i18n import SWITCH_HINT
from language_check import chinese_runs, english_phrases

from conftest import DATA, EXAMPLES, Run


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand of the tool (and the tool itself), walked from the click tree."""

    def walk(command: object, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, (*path, name))

    return list(walk(typer.main.get_command(app), ()))


COMMANDS = _command_paths()
# The Chinese the English help shows as examples of what a person types.
# Values typed on the command line that the Chinese help shows as they are.
TYPED_VALUES = ("phone,message",)
HELP_EXAMPLES = (
    "界面语言", "中文", "徐强", "徐总", "张叔叔", "李四", "王秀英", "小林", "球友", "同学", "家人",
    "同事", "【待填写】", "互联网金融协会", "金融消费者投诉", "骚扰电话短信举报", "市场监管", "报警材料",
    "'昨天 21:40', 晚上9点40, '11月30日 下午3点'",  # how --at may be written in Chinese
    "辱骂", "透露欠款", "威胁",  # mark's examples: behaviours typed in Chinese
)  # fmt: skip


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def test_the_walk_finds_every_command_and_subcommand() -> None:
    """The help tests below cover the root, every command and the subcommands of groups."""
    assert () in COMMANDS
    assert ("import",) in COMMANDS
    assert ("templates", "copy") in COMMANDS
    assert ("rules", "remove") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "contact-notify")
def test_chinese_help_has_no_english_phrase(cli: Run, zh: None, path: tuple[str, ...]) -> None:
    """In Chinese, the --help of the tool and of every command says nothing in English."""
    shown = _ok(cli(*path, "--help"))
    assert chinese_runs(shown)
    flowing = " ".join(shown.split())  # the bilingual switch hint may be wrapped
    assert english_phrases(flowing, allowed=(SWITCH_HINT, *TYPED_VALUES)) == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "contact-notify")
def test_english_help_has_no_chinese(cli: Run, path: tuple[str, ...]) -> None:
    """In English, the --help of the tool and of every command holds no Chinese but its examples."""
    shown = _ok(cli(*path, "--help"))
    assert chinese_runs(" ".join(shown.split()), allowed=(SWITCH_HINT, *HELP_EXAMPLES)) == []


def _columns(line: str) -> str:
    """The line with a filler after each wide character: one string index per terminal column."""
    return "".join(ch + "\0" * (width(ch) - 1) for ch in line)


def test_chinese_option_help_is_aligned(cli: Run, zh: None) -> None:
    """In the Chinese help of export, every option's description starts in the same column."""
    shown = _ok(cli("export", "--help"))
    options = [_columns(line) for line in shown.split("\n选项：\n", 1)[1].splitlines() if line]
    starts = set()
    for line in options:
        gap = line.index("  ", 2) if line.startswith("  -") else 0
        starts.add(len(line[:gap]) + len(line[gap:]) - len(line[gap:].lstrip(" ")))
    assert len(starts) == 1, shown


def _data(case_dir: Path | None = None) -> tuple[str, ...]:
    """Values from the example files and the built-in templates, which no language changes."""
    from contact_notify.actions.templates import list_templates

    found = json.loads(
        _json(EXAMPLES / "contacts.vcf"),
    )
    values: set[str] = set()
    for c in found["contacts"]:
        values.update(v for v in (c["name"], c["family"], c["given"], c["nickname"], c["org"]) if v)
        values.update(c["groups"])
        values.update(p["label"] for p in c["phones"] if p["label"])
        values.update(c["emails"])
    values.update(t.description for t in list_templates())
    values.update(
        line.strip() for line in (EXAMPLES / "reached.txt").read_text("utf-8").splitlines()
    )
    values.update(p.name for p in case_dir.iterdir() if case_dir)
    return tuple(sorted(values, key=len, reverse=True))


def _json(path: Path) -> str:
    """The inspect JSON of a file, made with the library (the same in any language)."""
    from contact_notify.actions.contacts import inspect_file
    from contact_notify.cli.terminal import inspect_json

    return inspect_json(inspect_file(path, region="CN", encoding=None, columns=None))


def _session(cli: Run, tmp_path: Path) -> dict[str, str]:
    """Run the whole flow on the examples; the output of each step, by step."""
    vcf = str(EXAMPLES / "contacts.vcf")
    steps = {
        "import": ("import", vcf),
        "inspect": ("inspect", vcf),
        "mark": ("mark", "--file", str(EXAMPLES / "reached.txt"), "--at", "2026-11-27 21:30",
                 "--by", "17099998888"),
        "config set": ("config", "sender", "小林"),
        "config": ("config",),
        "contacts": ("contacts",),
        "contact": ("contact", "王秀英"),
        "history": ("history", "王秀英"),
        "collectors": ("collectors",),
        "status": ("status",),
        "export": ("export", str(tmp_path / "out.csv")),
        "sent": ("sent", "--exported", str(tmp_path / "out.csv")),
        "templates list": ("templates", "list"),
        "rules list": ("rules", "list"),
        "rules set": ("rules", "set", "球友", "friend"),
        "rules remove": ("rules", "remove", "球友"),
        "doctor": ("doctor",),
        "backup": ("backup", str(tmp_path / "copy.sqlite3")),
        "unmark": ("unmark", "张伟"),
        "mark dry": ("mark", "张伟", "nobody-like-this", "--dry-run"),
    }  # fmt: skip
    outputs = {name: _ok(cli(*args)) for name, args in steps.items()}
    preview = _ok(cli("preview", "--all", "--limit", "2"))
    outputs["preview"] = "\n".join(line for line in preview.splitlines() if line.startswith("---"))
    outputs["preview summary"] = preview.splitlines()[-1]
    return outputs


def test_chinese_summaries_and_tables_have_no_english_phrase(
    cli: Run, zh: None, tmp_path: Path
) -> None:
    """In Chinese, the summaries and tables of every step say nothing in English but the data."""
    outputs = _session(cli, tmp_path)
    data = _data(tmp_path)
    for name, shown in outputs.items():
        assert english_phrases(shown, allowed=data) == [], (name, shown)
    assert "新增联系人：" in outputs["import"]
    assert "编号  姓名" in outputs["contacts"]


def test_english_summaries_and_tables_have_no_chinese(
    cli: Run, tmp_path: Path, case_path: Path
) -> None:
    """In English, the summaries and tables of every step hold no Chinese but the data."""
    outputs = _session(cli, tmp_path)
    with contextlib.closing(sqlite3.connect(case_path)) as case:
        groups = [row[0] for row in case.execute("SELECT group_name FROM rules")]
    # the example salutations for a Chinese message, in the note on a parent
    extra = ("小林", "球友", "nobody-like-this", "妈妈、爸爸、舅舅、姑姑", "妈妈", *groups)
    data = tuple(sorted({*_data(tmp_path), *extra}, key=len, reverse=True))
    for name, shown in outputs.items():
        assert chinese_runs(shown, allowed=data) == [], (name, shown)
    assert "contacts added: 33" in outputs["import"]


def test_chinese_tables_stay_aligned(cli: Run, zh: None) -> None:
    """Chinese headers and values take two columns each, and the columns still line up."""
    _ok(cli("import", str(EXAMPLES / "contacts.vcf")))
    _ok(cli("mark", "王秀英", "--at", "2026-11-27 21:30"))
    lines = _ok(cli("contacts")).splitlines()
    rule = lines[1]
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    assert len(starts) == 5
    for line in map(_columns, lines[:1] + lines[2:]):
        for start in starts[1:]:
            if len(line) > start:
                assert line[start - 2 : start] == "  ", line
                assert line[start] != "\0", line


def test_status_labels_line_up_in_chinese(cli: Run, zh: None) -> None:
    """The values of status start in one column per block, measured in terminal columns."""
    _ok(cli("import", str(EXAMPLES / "contacts.vcf")))
    lines = _ok(cli("status")).splitlines()[1:]
    starts = [width(line.rstrip("0123456789")) for line in lines]
    assert len(lines) == 8
    assert len(set(starts[:6])) == 1
    assert len(set(starts[-2:])) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("inspect", str(EXAMPLES / "contacts.vcf"), "--format", "json"),
        ("inspect", str(EXAMPLES / "contacts.csv"), "--format", "json"),
        ("inspect", str(DATA / "broken_card_middle.vcf"), "--format", "json"),
        ("contacts", "--format", "json"),
        ("contacts", "--format", "csv"),
    ],
)
def test_machine_formats_are_the_same_in_both_languages(
    cli: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """inspect --format json and contacts --format json|csv are identical in Chinese and English."""
    from contact_notify import i18n

    _ok(cli("import", str(EXAMPLES / "contacts.vcf")))
    _ok(cli("mark", "王秀英", "--at", "2026-11-27 21:30"))
    english = cli(*args)
    monkeypatch.setenv(i18n.ENV, "zh")
    i18n.reset()
    chinese = cli(*args)
    assert english.exit_code == chinese.exit_code == 0
    assert chinese.stdout == english.stdout
    assert "编号" in _ok(cli("contacts"))  # the interface did speak Chinese


def test_inspect_json_warnings_stay_english_in_chinese(cli: Run, zh: None) -> None:
    """The warning reasons of inspect --format json are English even when the interface is Chinese."""
    shown = json.loads(
        _ok(cli("inspect", str(DATA / "broken_card_middle.vcf"), "--format", "json"))
    )
    reasons = " ".join(w["reason"] for w in shown["warnings"])
    assert reasons
    assert chinese_runs(reasons) == []


@pytest.mark.parametrize("command", ["inspect", "contacts"])
def test_errors_of_machine_formats_are_in_the_interface_language(
    cli: Run, zh: None, case_path: Path, command: str
) -> None:
    """An error met while making JSON is said as the table's is: in the interface language."""
    args = ("inspect", "nowhere.vcf") if command == "inspect" else ("contacts",)
    if command == "contacts":
        case_path.parent.mkdir()
        case_path.write_text("not a case file", encoding="utf-8")
    table = cli(*args, "--format", "table")
    machine = cli(*args, "--format", "json")
    assert table.exit_code == machine.exit_code != 0
    assert machine.stdout == ""
    assert machine.stderr == table.stderr


@pytest.mark.parametrize("word", ["表格", "表"])
def test_chinese_format_names_work(cli: Run, word: str) -> None:
    """contacts --format 表格 is the table."""
    _ok(cli("import", str(EXAMPLES / "contacts.vcf")))
    assert _ok(cli("contacts", "--format", word)) == _ok(cli("contacts", "--format", "table"))


def test_chinese_channel_and_phone_format_work_for_export(cli: Run, tmp_path: Path) -> None:
    """export --channel 短信 --phone-format 国际 writes what --channel sms --phone-format e164 does."""
    _ok(cli("import", str(EXAMPLES / "contacts.vcf")))
    _ok(cli("mark", "--file", str(EXAMPLES / "reached.txt"), "--at", "2026-11-27 21:30"))
    _ok(cli("config", "sender", "小林"))
    chinese, english = tmp_path / "zh.csv", tmp_path / "en.csv"
    _ok(
        cli("export", str(chinese), "--channel", "短信", "--phone-format", "国际", "--lang", "中文")
    )
    _ok(cli("export", str(english), "--channel", "sms", "--phone-format", "e164", "--lang", "zh"))
    assert chinese.read_bytes() == english.read_bytes()
    assert b"+86" in chinese.read_bytes()


def test_chinese_channel_works_for_preview(cli: Run) -> None:
    """preview --channel 微信 --lang 英文 shows what --channel wechat --lang en does."""
    _ok(cli("import", str(EXAMPLES / "contacts.vcf")))
    _ok(cli("mark", "王秀英", "--at", "2026-11-27 21:30"))
    _ok(cli("config", "sender", "小林"))
    chinese = _ok(cli("preview", "--channel", "微信", "--lang", "英文"))
    assert chinese == _ok(cli("preview", "--channel", "wechat", "--lang", "en"))
    assert ".wechat.en" in chinese


def test_an_unknown_format_is_still_refused_by_name(cli: Run, zh: None) -> None:
    """A format nobody knows is refused in Chinese, naming what was typed."""
    result = cli("contacts", "--format", "图片")
    assert result.exit_code != 0
    assert "图片" in result.output
    assert english_phrases(result.output) == []
