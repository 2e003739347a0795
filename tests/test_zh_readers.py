"""Reader warnings, input errors and import notes speak the interface language, each line keeping its place."""

from __future__ import annotations

import ast
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

import catalog_check
from contact_notify import i18n
from contact_notify.importer import inspect_file
from contact_notify.model import IssueLog
from language_check import chinese_runs, english_phrases

from conftest import DATA, Run

SOURCE = Path(catalog_check.SOURCE)
# The modules whose warnings these tests are about.
READER_FILES = sorted(
    [*(SOURCE / "readers").glob("*.py"), SOURCE / "importer.py", SOURCE / "model.py"]
)


def _speak(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv(i18n.ENV, lang)
    i18n.reset()


def _card(*lines: str | bytes) -> bytes:
    body = b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)
    return b"BEGIN:VCARD\nVERSION:3.0\n" + body + b"END:VCARD\n"


@dataclass(frozen=True)
class Kind:
    """A file that gives one kind of reader warning (and the values of it a line may quote)."""

    name: str
    data: bytes
    args: tuple[str, ...] = ()
    values: tuple[str, ...] = ()  # text of the file a warning quotes, in any language


def _fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


ROWS_WITHOUT_DATA = "姓名,手机,备注\n" + ",,x\n" * 25
MANY_NUMBERS = " / ".join(f"1380013{n:04d}" for n in range(101))
KINDS = [
    # vCard
    Kind("broken_card.vcf", _fixture("broken_card_middle.vcf")),
    Kind("missing_end.vcf", _fixture("missing_end.vcf")),
    Kind("end_alone.vcf", b"END:VCARD\n" + _card("FN:王伟", "TEL:13800138000")),
    Kind("qp_no_charset.vcf", _fixture("qp_no_charset.vcf")),
    Kind("unknown_charset.vcf", _card("FN;CHARSET=X-NOPE:张伟".encode(), "TEL:13800138000")),
    Kind("not_valid.vcf", _card(b"FN;CHARSET=UTF-8:\xff\xfe\xe5", "TEL:13800138000")),
    Kind("bad_group.vcf", _card("FN:王伟", b"CATEGORIES;CHARSET=UTF-8:\xff\xfe\xe5")),
    Kind("bad_base64.vcf", _card("FN:王伟", "NICKNAME;ENCODING=B:@@@@")),
    Kind("qp_undeclared.vcf", _card("FN:王伟", "NICKNAME:=E5=B0=8F=E6=98=8E")),
    Kind("qp_undecodable.vcf", _card("FN:王伟", "NICKNAME:=E5=E5=E5")),
    Kind("qp_mixed.vcf", _card("FN:王伟", "NICKNAME:a=b=E5=B0=8F")),
    Kind("no_colon.vcf", _card("FN:王伟", 'TEL;TYPE="cell:13800138000')),
    Kind("long_property.vcf", _card("FN:王伟", "TEL:" + "1" * 70_000)),
    Kind("full_card.vcf", _card("FN:王伟", *(f"TEL:1380013{n:04d}" for n in range(505)))),
    Kind("unread_group.vcf", _card("FN:王伟", "X-CATEGORIES:同事")),
    Kind("junk_lines.vcf", _card("FN:王伟", *(["junk"] * 10))),
    Kind("nameless.vcf", _card("NOTE:x") + _card("FN:王伟")),
    Kind("guessed.csv", "name,phone\n陈丹,13800138000\n曹斌,13912345678\n".encode("gb18030")),
    # CSV
    Kind("no_phone.csv", "姓名,邮箱\n王伟,w@example.com\n".encode(), values=("'姓名', '邮箱'",)),
    Kind(
        "replaced.csv",
        b"name,phone\n\xff\xfe,13800138000\n",
        ("--encoding", "utf-8"),
    ),
    Kind("empty_rows.csv", _fixture("row_without_data.csv")),
    Kind("many_empty_rows.csv", ROWS_WITHOUT_DATA.encode()),
    Kind("open_quote.csv", '姓名,手机\n"王伟,13800138000\n李娜,13900000000\n'.encode()),
    Kind("long_cell.csv", ("姓名,手机\n" + "x" * 70_000 + ",13800138000\n").encode()),
    Kind("many_numbers.csv", f"姓名,手机\n王伟,{MANY_NUMBERS}\n".encode()),
    Kind("bare_cr.csv", "姓名,手机\n王\r伟,13800138000\n".encode()),
    Kind("title_row.csv", "我的通讯录\n姓名,手机\n王伟,13800138000\n".encode()),
]


def _warning_lines(output: str, name: str) -> list[str]:
    prefix = re.compile(re.escape(name) + r":\d+: ")
    return [line for line in output.splitlines() if prefix.match(line)]


def _prefix(line: str) -> str:
    return line.split(": ", 1)[0]


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_each_reader_warning_is_chinese_with_its_file_and_line(
    cli: Run, monkeypatch: pytest.MonkeyPatch, kind: Kind
) -> None:
    """inspect gives the same file:line: lines in both languages, the Chinese without English, the English without Chinese."""
    Path(kind.name).write_bytes(kind.data)
    english = cli("inspect", kind.name, *kind.args)
    _speak(monkeypatch, "zh")
    chinese = cli("inspect", kind.name, *kind.args)
    assert (english.exit_code, chinese.exit_code) == (0, 0), chinese.output
    en_lines = _warning_lines(english.stdout, kind.name)
    zh_lines = _warning_lines(chinese.stdout, kind.name)
    assert en_lines, english.stdout
    assert [_prefix(x) for x in zh_lines] == [_prefix(x) for x in en_lines]
    for en, zh in zip(en_lines, zh_lines, strict=True):
        assert english_phrases(zh, allowed=kind.values) == [], zh
        assert chinese_runs(en, allowed=kind.values) == [], en
        assert zh != en


def test_the_kinds_above_give_every_warning_sentence_of_the_readers(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files above give at least 30 different warnings in Chinese, so each reader check is tried."""
    _speak(monkeypatch, "zh")
    said = set()
    for kind in KINDS:
        Path(kind.name).write_bytes(kind.data)
        for line in _warning_lines(cli("inspect", kind.name, *kind.args).stdout, kind.name):
            said.add(re.sub(r"[\d,]+", "N", line.split(": ", 1)[1]))
    assert len(said) >= 30, sorted(said)


def test_import_notes_are_chinese(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Merges, numbers shared by people kept apart and invalid numbers are said in Chinese."""
    Path("c.csv").write_text(
        "姓名,电话\n张伟,010 6234 5678\n李娜,010 6234 5678\n王伟,13800138000\n王伟,13800138000\n"
        "赵六,12345\n",
        encoding="utf-8",
    )
    Path("d.vcf").write_bytes(_card("FN:王伟", "TEL:13800138000", "TEL:010 6234 5678"))
    _speak(monkeypatch, "zh")
    first = cli("import", "c.csv")
    second = cli("import", "d.vcf")
    lines = (first.stderr + second.stderr).splitlines()
    assert len(lines) == 4, lines
    assert any("并入了 王伟（c.csv:4），因为号码都是 +8613800138000" in x for x in lines)
    assert any("李娜 与 张伟（+861062345678） 共用一个号码" in x for x in lines)
    assert any("的号码 +861062345678 已经属于 张伟" in x for x in lines)
    for line in lines:
        assert english_phrases(line) == [], line


ERRORS = [
    ("zip.vcf", _fixture("zip_named_vcf.vcf"), (), ("通讯录/contacts.vcf",)),
    ("sheet.csv", _fixture("xlsx_named_csv.csv"), (), ()),
    ("pdf.vcf", b"%PDF-1.7\n" + bytes(range(256)), (), ()),
    ("png.csv", b"\x89PNG\r\n\x1a\n" + bytes(64), (), ()),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), (), ()),
    ("not_a_vcard.vcf", _fixture("not_a_vcard.vcf"), (), ()),
    ("empty.vcf", b"", (), ()),
    ("empty.csv", b"\n", (), ()),
    ("no_header.csv", _fixture("no_header.csv"), (), ("'王秀英'",)),
    ("binary.csv", b"a\x00b\x01c\x02d\x03,e\n", (), ()),
    ("forced.csv", b"\xe5\xe5\xe5,\xe6\xe6\n1,2\n", ("--encoding", "utf-8"), ()),
    ("guessed.csv", b"\xff\xa1\xff\xa1\xff\xa1,\xff\xa2\xff\xa2\n1,2\n", (), ()),
    ("column.csv", "姓名,手机\n王伟,13800138000\n".encode(), ("--column", "phone=电话"), ()),
    ("encoding.csv", "姓名,手机\n".encode(), ("--encoding", "nosuch"), ()),
    ("missing.vcf", None, (), ()),
    ("folder.vcf", "folder", (), ()),
]
# Chinese in the English hints: examples of Chinese column names, and the file's own headers.
EXAMPLES = ("'姓名', '手机'", "'电话'", "name=姓名", "phone=手机", "phone=电话")


@pytest.mark.parametrize(("name", "data", "args", "values"), ERRORS, ids=[e[0] for e in ERRORS])
def test_each_input_error_is_chinese(
    cli: Run,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    data: bytes | str | None,
    args: tuple[str, ...],
    values: tuple[str, ...],
) -> None:
    """A contact file that cannot be read gets its error and hint in Chinese, and in English without Chinese."""
    if data == "folder":
        Path(name).mkdir()
    elif isinstance(data, bytes):
        Path(name).write_bytes(data)
    english = cli("inspect", name, *args)
    _speak(monkeypatch, "zh")
    chinese = cli("inspect", name, *args)
    assert english.exit_code == chinese.exit_code != 0
    assert chinese.stderr.startswith("错误：")
    assert english.stderr.startswith("error: ")
    assert english_phrases(chinese.stderr, allowed=values) == [], chinese.stderr
    assert chinese_runs(english.stderr, allowed=values + EXAMPLES) == [], english.stderr


CAPS = [
    ("readers.MAX_CONTACT_FILE", 100, "big.vcf"),
    ("readers.encoding.MAX_CONTACT_FILE", 100, "grows.vcf"),
    ("readers.encoding.MAX_LINE", 1000, "long.vcf"),
    ("readers.encoding.MAX_LINE", 1000, "long.csv"),
    ("readers.sheets.MAX_COLUMNS", 5, "wide.csv"),
]


@pytest.mark.parametrize(("cap", "value", "name"), CAPS, ids=[c[2] for c in CAPS])
def test_each_cap_of_a_contact_file_is_said_in_chinese(
    cli: Run, monkeypatch: pytest.MonkeyPatch, cap: str, value: int, name: str
) -> None:
    """A file over one of the readers' caps (made small here) gets its error in Chinese."""
    monkeypatch.setattr(f"contact_notify.{cap}", value)
    row = "王伟," + ",".join(["13800138000"] * 20)
    text = f"姓名,手机\n{row}\n" if name.endswith(".csv") else _card("FN:王伟").decode()
    Path(name).write_text(text + "x" * 1_200_000 + "\n", encoding="utf-8")  # past 1 MiB chunks
    english = cli("inspect", name)
    _speak(monkeypatch, "zh")
    chinese = cli("inspect", name)
    assert english.exit_code == chinese.exit_code != 0
    assert chinese.stderr.startswith(f"错误：{name}：")
    assert english.stderr.startswith(f"error: {name}: ")
    assert english_phrases(chinese.stderr) == [], chinese.stderr
    assert chinese_runs(english.stderr) == [], english.stderr


def test_machine_json_keeps_english_reasons(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """inspect --format json gives the same English reasons whatever the interface language."""
    Path("junk.vcf").write_bytes(_card("FN:王伟", *(["junk"] * 10)))
    english = json.loads(cli("inspect", "junk.vcf", "--format", "json").stdout)
    _speak(monkeypatch, "zh")
    chinese = json.loads(cli("inspect", "junk.vcf", "--format", "json").stdout)
    assert chinese["warnings"] == english["warnings"]
    assert english["warnings"][-1]["reason"] == (
        "… and 7 more lines like this (lines 7 to 13): not a vCard property line; ignored"
    )


def test_a_read_speaks_the_language_it_was_made_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issues and summaries read in English stay English when shown later in Chinese, and the other way."""
    path = tmp_path / "junk.vcf"
    path.write_bytes(_card("FN:王伟", *(["junk"] * 10)))
    _speak(monkeypatch, "zh")
    with i18n.using("en"):
        english = inspect_file(path, region="CN").file
    chinese = inspect_file(path, region="CN").file
    assert [str(i) for i in english.issues][-1].endswith(
        ": warning: … and 7 more lines like this (lines 7 to 13): not a vCard property line; ignored"
    )
    assert [str(i) for i in chinese.issues][-1].endswith(
        ": 警告：……还有 7 处也是这样（第 7 至 13 行）：不是 vCard 格式的一行；已忽略"
    )
    with i18n.using("en"):
        assert str(chinese.issues[0]).endswith(": 警告：不是 vCard 格式的一行；已忽略")


def test_a_log_summarises_in_the_language_of_its_issues() -> None:
    """An IssueLog made in Chinese sums up in Chinese even when asked for its issues in English."""
    i18n.reset("zh")
    log = IssueLog("f.vcf")
    for line in range(1, 26):
        log.add(line, "原因", unit="cards", skipped=True)
    for kind in range(IssueLog.MAX_KINDS):
        log.new_record()
        for line in range(100, 104):
            log.add(line, f"原因 {kind}")
    i18n.reset("en")
    shown = [str(i) for i in log.issues if i.more]
    assert shown[0] == "f.vcf:21: 已跳过：……还有 5 张名片也是这样（第 21 至 25 行）：原因"
    assert shown[-1] == "f.vcf:103: 警告：……还有 1 处也是这样（第 103 行）：其他问题"
    assert all(english_phrases(line) == [] for line in shown), shown


def _unmarked_reasons(paths: list[Path], root: Path) -> list[str]:
    """Reasons given to the readers' warn/add and ReadIssue that are literals, not _()."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            callee = catalog_check._callee(node)
            if callee not in ("warn", "add", "ReadIssue", "Problem"):
                continue
            position = 0 if callee == "Problem" else 1
            spoken = list(node.args[position : position + 1]) + [
                k.value for k in node.keywords if k.arg in ("reason", "kind")
            ]
            found += [
                f"{path.relative_to(root)}:{arg.lineno}"
                for arg in spoken
                if catalog_check._unmarked(arg)
            ]
    return found


def test_every_reader_warning_goes_through_the_catalog(tmp_path: Path) -> None:
    """No reason or kind of a reader warning is a bare literal; a sample with one is caught."""
    assert _unmarked_reasons(READER_FILES, SOURCE) == []
    sample = tmp_path / "sample.py"
    sample.write_text(
        textwrap.dedent(
            """
            read.warn(3, _("marked"), kind=N_("marked kind"))
            read.warn(4, f"line {n} is new and plain")
            log.add(5, "also plain", kind="plain kind")
            """
        ),
        encoding="utf-8",
    )
    assert _unmarked_reasons([sample], tmp_path) == ["sample.py:3", "sample.py:4", "sample.py:4"]
