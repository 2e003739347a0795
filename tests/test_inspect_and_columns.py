"""inspect (read without the case), --column mapping, --encoding, and import progress."""

from __future__ import annotations

import json
from pathlib import Path

from contact_notify.importer import import_files
from contact_notify.store import Case

from conftest import DATA, Run


def test_inspect_json_is_stable_and_touches_no_case(cli: Run, case_path: Path) -> None:
    """inspect --format json gives the documented document and creates no case file."""
    result = cli("inspect", str(DATA / "missing_end.vcf"), "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    source = str(DATA / "missing_end.vcf")
    assert document == {
        "file": source,
        "kind": "vcard",
        "encoding": "utf-8",
        "records": 2,
        "contacts": [
            {
                "name": "周杰", "family": "", "given": "", "nickname": "", "org": "",
                "phones": [{"raw": "15811112222", "e164": "+8615811112222", "label": ""}],
                "emails": [], "groups": [], "source": {"file": source, "line": 1},
            },
            {
                "name": "吴敏", "family": "", "given": "", "nickname": "", "org": "",
                "phones": [{"raw": "177 0000 3333", "e164": "+8617700003333", "label": ""}],
                "emails": [], "groups": [], "source": {"file": source, "line": 5},
            },
        ],
        "warnings": [
            {"line": 1, "reason": "card has no END:VCARD; it ends where the next card begins",
             "skipped": False},
            {"line": 5, "reason": "card has no END:VCARD before the end of the file (truncated?)",
             "skipped": False},
        ],
    }  # fmt: skip
    assert not case_path.exists()


def test_inspect_table(cli: Run) -> None:
    """The table shows each number with its label, the groups, and the detected encoding."""
    result = cli("inspect", str(DATA / "outlook_zh_gb2312.csv"))
    assert result.stdout.splitlines() == [
        "line  name    number          label   groups",
        "----  ------  --------------  ------  ----------",
        "2     李建国  +861062345678   work    同事, 领导",
        "              +8613912345678  mobile",
        "3     王秀英  +862155556666   home    家人",
        "              +8613800138000  mobile",
        f"{DATA / 'outlook_zh_gb2312.csv'}: 2 rows, 2 contacts, encoding: gb18030",
    ]


def test_column_option_maps_headers(cli: Run, tmp_path: Path) -> None:
    """--column name=… --column phone=… imports a sheet whose headers are not recognised."""
    sheet = tmp_path / "odd.csv"
    sheet.write_text("人员,移动,备注\n王秀英,13800138000,\n", encoding="utf-8")
    refused = cli("import", str(sheet))
    assert refused.exit_code == 3
    assert "--column name=姓名 --column phone=手机" in refused.stderr
    done = cli("import", str(sheet), "--column", "name=人员", "--column", "phone=移动")
    assert done.exit_code == 0
    assert "contacts added: 1" in done.stdout


def test_bad_column_option_is_a_usage_error(cli: Run, tmp_path: Path) -> None:
    """A --column that is not FIELD=HEADER, or names an unknown field, exits 2 with the fields."""
    sheet = tmp_path / "odd.csv"
    sheet.write_text("人员,号码\n王秀英,13800138000\n", encoding="utf-8")
    result = cli("import", str(sheet), "--column", "person=人员")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --column 'person=人员': unknown field 'person'")
    assert cli("import", str(sheet), "--column", "name").exit_code == 2


def test_encoding_option(cli: Run) -> None:
    """--encoding big5 reads a Big5 sheet even in region CN."""
    result = cli("inspect", str(DATA / "big5_taiwan.csv"), "--encoding", "big5")
    assert "陳美玲" in result.stdout
    assert result.stdout.rstrip().endswith("encoding: big5")
    assert cli("inspect", str(DATA / "big5_taiwan.csv"), "--encoding", "klingon").exit_code == 2


def test_progress_reports_bytes_read(tmp_path: Path) -> None:
    """The import's progress callback climbs to the total size of the files."""
    files = [DATA / "iphone30_grouped_labels.vcf", DATA / "chinese_headers_bom.csv"]
    seen: list[int] = []
    with Case.open(tmp_path / "c.sqlite3", create=True) as case, case.transaction():
        import_files(case, files, region="CN", progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == sum(f.stat().st_size for f in files)


def test_import_summary_names_skips_and_encoding(cli: Run) -> None:
    """The summary gives rows read, added, skipped with reasons and the encoding used."""
    result = cli("import", str(DATA / "row_without_data.csv"), str(DATA / "gbk_wps.csv"))
    assert result.stdout.splitlines() == [
        f"{DATA / 'row_without_data.csv'}: 3 rows read (encoding: utf-8)",
        f"{DATA / 'gbk_wps.csv'}: 2 rows read (encoding: gb18030)",
        "contacts added: 4, merged: 0, already in the case: 0, skipped: 1, numbers not valid: 0",
    ]
    assert result.stderr == (
        f"{DATA / 'row_without_data.csv'}:3: skipped: row has no name, phone number or e-mail address\n"
    )


def test_progress_bar_only_on_a_terminal(tmp_path: Path, case_path: Path) -> None:
    """On a terminal, import draws a progress bar on stderr; piped, it prints nothing extra."""
    import os
    import pty
    import subprocess
    import sys

    main, secondary = pty.openpty()
    args = [sys.executable, "-m", "contact_notify", "import", str(DATA / "chinese_headers_bom.csv")]
    env = {**os.environ, "CONTACT_NOTIFY_CASE": str(case_path)}
    done = subprocess.run(
        args, stdout=subprocess.PIPE, stderr=secondary, env=env, timeout=60, check=True
    )
    os.close(secondary)
    drawn = os.read(main, 65536).decode("utf-8", errors="replace")
    os.close(main)
    assert "importing" in drawn
    assert "contacts added: 3" in done.stdout.decode()
    piped = subprocess.run(args, capture_output=True, env=env, timeout=60, check=True)
    assert piped.stderr == b""
