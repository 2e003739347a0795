"""Paths with Chinese characters and spaces work in every command that takes one (as on Windows desktops)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contact_notify.cli import app

from conftest import EXAMPLES


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder named as a Chinese user names folders, with the examples copied in."""
    work = tmp_path / "我的 文档" / "催收 证据（11月）"
    work.mkdir(parents=True)
    for name in ("contacts.vcf", "contacts.csv", "reached.txt"):
        shutil.copyfile(EXAMPLES / name, work / f"通讯录 {name}")
    monkeypatch.chdir(work)
    monkeypatch.delenv("CONTACT_NOTIFY_CASE", raising=False)
    return work


def test_every_command_with_a_path_takes_chinese_and_spaces(folder: Path) -> None:
    """--case, import, inspect, mark --file/--attach, export (csv, html, vcf, eml), evidence,
    complaint, backup and templates copy all work on paths with Chinese characters and spaces."""
    case = folder / "档案 文件" / "借款 档案.sqlite3"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["--case", str(case), *args], env={"COLUMNS": "100"})
        assert result.exit_code == 0, (args, result.output)
        return result.output

    screenshot = folder / "截图 1.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    run("config", "sender", "林小明")
    assert "33" in run("import", str(folder / "通讯录 contacts.vcf"))
    run("inspect", str(folder / "通讯录 contacts.csv"))
    run("mark", "--file", str(folder / "通讯录 reached.txt"), "--at", "2026-11-28 21:40")
    run("attach", "1", str(screenshot))
    outputs = {
        "csv": folder / "发送 列表.csv",
        "html": folder / "发送 页面.html",
        "vcf": folder / "已联系 的人.vcf",
    }
    for path in outputs.values():
        run("export", str(path))
        assert path.is_file()
    with outputs["csv"].open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    drafts = folder / "邮件 草稿"
    run("export", str(drafts), "--format", "eml", "--all")
    assert drafts.is_dir()
    run("sent", "--exported", str(outputs["csv"]))
    evidence = folder / "证据 材料.md"
    run("evidence", str(evidence))
    assert "截图 1.png" in evidence.read_text(encoding="utf-8")
    run("complaint", "--to", "12321", str(folder / "投诉 稿.md"))
    run("backup", str(folder / "备份 文件夹" / "借款 档案 备份.sqlite3"))
    run("templates", "copy", "family-elder.sms.zh", str(folder / "我的 模板"))
    assert (folder / "我的 模板").is_dir()
    assert "6" in run("status")
