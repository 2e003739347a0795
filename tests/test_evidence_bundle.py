"""The evidence bundle: timeline, copies of the evidence files, a manifest that matches them, whole or nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from contact_notify import faults
from contact_notify.bundle import bundled_name

from conftest import EXAMPLES, Run

SHOT = "截图：王秀英 13800138000 说你欠钱".encode() + b"\x89PNG\x00\xff"
CALL = b"pretend recording " * 20
MTIME = datetime(2026, 11, 20, 0, 0, tzinfo=UTC).timestamp()  # 08:00 in Shanghai
NAMES = re.compile(
    r"files/\d{4}(\.[a-z0-9]{1,10})?|README\.txt|SHA256SUMS|manifest\.(csv|json)"
    r"|timeline\.(html|md|csv)"
)
KILLED = -signal.SIGKILL


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A screenshot (its name holds a contact's name and number) and a recording, dated."""
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    shot = evidence / "王秀英 13800138000.png"
    shot.write_bytes(SHOT)
    call = evidence / "call.M4A"
    call.write_bytes(CALL)
    for path in (shot, call):
        os.utime(path, (MTIME, MTIME))
    return {"shot": shot.resolve(), "call": call.resolve()}


@pytest.fixture
def attached(cli: Run, files: dict[str, Path], clock_at: Callable[[str], None]) -> Run:
    """A case with two reaches, each with one evidence file, marked on 2026-12-01 at 10:00."""
    clock_at("2026-12-01 10:00")
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    assert (
        cli("mark", "王秀英", "--at", "2026-11-27 21:30", "--by", "17012345678",
            "--attach", str(files["shot"])).exit_code == 0
    )  # fmt: skip
    assert (
        cli("mark", "李建国", "--at", "2026-11-27 22:30", "--attach", str(files["call"])).exit_code
        == 0
    )
    return cli


def _entries(out: Path) -> dict[str, bytes]:
    """Every file of a bundle (zip or folder) by its name inside it."""
    if out.is_dir():
        return {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _manifest(entries: dict[str, bytes]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(entries["manifest.csv"].decode("utf-8-sig"))))


def _hidden(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


README_EN = """\ufeffEvidence bundle: debt collectors contacting my contacts

Made by contact-notify on 2026-12-01 10:00.

What is in it:
- timeline.html: the timeline and summary, to open in a web browser
- timeline.md, timeline.csv: the same timeline as text and as a table
- files/: a copy of every evidence file attached to a reach record, named by the attachment's number
- manifest.csv, manifest.json: for each evidence file, its name here, its reach record, where it was, its size and SHA-256 when attached and of the copy, when it was last modified, and its state
- SHA256SUMS: the SHA-256 of every other file in this bundle

Evidence files: 2 copied, 0 changed since they were attached, 0 missing.

How to check a file: compute its SHA-256 and compare it with the manifest ("SHA-256 recorded" is the file as it was attached).
- Windows: certutil -hashfile files\\0001.png SHA256
- macOS: shasum -a 256 files/0001.png
- Linux: sha256sum files/0001.png
To check every file at once (macOS, Linux): shasum -a 256 -c SHA256SUMS

Not masked: this bundle shows your contacts' names and numbers. Give it only to whoever handles your complaint.
"""


@pytest.mark.zone("Asia/Shanghai")
def test_zip_bundle_holds_everything_and_the_manifest_matches_the_copies(
    attached: Run, files: dict[str, Path], tmp_path: Path
) -> None:
    """The zip holds the three timelines, both copies, the manifest, sums and README, all exact."""
    out = tmp_path / "bundle.zip"
    result = attached("evidence", str(out))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"wrote {out}: 2 reaches of 2 contacts, 2 evidence files bundled, "
        "0 changed since attached (flagged), 0 missing\n"
    )
    entries = _entries(out)
    assert sorted(entries) == [
        "README.txt", "SHA256SUMS", "files/0001.png", "files/0002.m4a", "manifest.csv",
        "manifest.json", "timeline.csv", "timeline.html", "timeline.md",
    ]  # fmt: skip
    assert entries["files/0001.png"] == SHOT
    assert entries["files/0002.m4a"] == CALL
    header = (
        "file in the bundle,reach record,reach time,original path,size recorded (bytes),"
        "SHA-256 recorded,size of the copy (bytes),SHA-256 of the copy,modified,attached,state"
    )
    shot, call = _sha(SHOT), _sha(CALL)
    assert entries["manifest.csv"].decode("utf-8") == (
        f"\ufeff{header}\r\n"
        f"files/0001.png,1,2026-11-27 21:30:00,{files['shot']},{len(SHOT)},{shot},{len(SHOT)},"
        f"{shot},2026-11-20 08:00:00,2026-12-01 10:00:00,unchanged\r\n"
        f"files/0002.m4a,2,2026-11-27 22:30:00,{files['call']},{len(CALL)},{call},{len(CALL)},"
        f"{call},2026-11-20 08:00:00,2026-12-01 10:00:00,unchanged\r\n"
    )
    # The manifest's hashes are those of the bytes in the bundle.
    for row in _manifest(entries):
        assert _sha(entries[row["file in the bundle"]]) == row["SHA-256 of the copy"]
    sums = dict(reversed(line.split("  ")) for line in entries["SHA256SUMS"].decode().splitlines())
    assert sorted(sums) == sorted(set(entries) - {"SHA256SUMS"})
    assert all(_sha(entries[name]) == digest for name, digest in sums.items())
    document = json.loads(entries["manifest.json"])
    assert (document["made"], document["masked"]) == ("2026-12-01T10:00:00+08:00", False)
    assert document["files"][1] == {
        "name": "files/0002.m4a", "attachment": 2, "reach": 2,
        "reach_at": "2026-11-27T22:30:00+08:00", "path": str(files["call"]), "size": len(CALL),
        "sha256": call, "copy_size": len(CALL), "copy_sha256": call,
        "modified": "2026-11-20T08:00:00+08:00", "attached": "2026-12-01T10:00:00+08:00",
        "state": "unchanged",
    }  # fmt: skip
    assert entries["README.txt"].decode("utf-8") == README_EN.replace("\n", "\r\n")
    # The timelines are the evidence kit's own, as `evidence OUT.html` etc. write them.
    for name in ("timeline.html", "timeline.md", "timeline.csv"):
        alone = tmp_path / name
        assert attached("evidence", str(alone)).exit_code == 0
        assert entries[name] == alone.read_bytes(), name
    with zipfile.ZipFile(out) as archive:
        infos = archive.infolist()
    assert {i.date_time for i in infos} == {(2026, 12, 1, 10, 0, 0)}  # the clock, not the machine
    assert {(i.external_attr >> 16) & 0o777 for i in infos} == {0o600}


def test_folder_bundle_holds_the_same_files_owner_only(attached: Run, tmp_path: Path) -> None:
    """--format folder, or an existing empty folder, gets the zip's files; 0700 folders, 0600 files."""
    previous = os.umask(0)  # whatever the umask
    try:
        assert attached("evidence", str(tmp_path / "b.zip")).exit_code == 0
        assert attached("evidence", str(tmp_path / "named"), "--format", "folder").exit_code == 0
        (tmp_path / "empty").mkdir()
        assert attached("evidence", str(tmp_path / "empty")).exit_code == 0
        assert attached("evidence", str(tmp_path / "plain"), "--format", "zip").exit_code == 0
    finally:
        os.umask(previous)
    zipped = _entries(tmp_path / "b.zip")
    assert zipfile.is_zipfile(tmp_path / "plain")
    assert (tmp_path / "b.zip").stat().st_mode & 0o777 == 0o600
    for name in ("named", "empty"):
        folder = tmp_path / name
        assert _entries(folder) == zipped
        assert {p.stat().st_mode & 0o777 for p in folder.rglob("*") if p.is_file()} == {0o600}
        assert folder.stat().st_mode & 0o777 == 0o700
        assert (folder / "files").stat().st_mode & 0o777 == 0o700
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_file_changed_after_attaching_is_flagged(
    attached: Run, files: dict[str, Path], tmp_path: Path
) -> None:
    """A changed file is bundled as it is now, flagged in manifest and README, warned about; exit 0."""
    files["shot"].write_bytes(b"edited")
    out = tmp_path / "bundle.zip"
    result = attached("evidence", str(out))
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: files/0001.png ({files['shot']}, record 1) changed since it was attached: "
        'bundled as it is now and flagged "changed" in the manifest\n'
    )
    assert (
        "2 evidence files bundled, 1 changed since attached (flagged), 0 missing" in result.stdout
    )
    entries = _entries(out)
    row = _manifest(entries)[0]
    assert entries["files/0001.png"] == b"edited"
    assert (row["state"], row["size recorded (bytes)"], row["size of the copy (bytes)"]) == (
        "changed",
        str(len(SHOT)),
        "6",
    )
    assert (row["SHA-256 recorded"], row["SHA-256 of the copy"]) == (_sha(SHOT), _sha(b"edited"))
    assert _manifest(entries)[1]["state"] == "unchanged"
    readme = entries["README.txt"].decode("utf-8-sig")
    assert "Evidence files: 2 copied, 1 changed since they were attached, 0 missing." in readme
    assert "Warning: 1 file(s) changed after they were attached" in readme


def test_a_missing_file_is_listed_without_a_copy(
    attached: Run, files: dict[str, Path], tmp_path: Path
) -> None:
    """A file gone since it was attached is in the manifest as missing, with no copy; warned."""
    files["call"].unlink()
    out = tmp_path / "bundle.zip"
    result = attached("evidence", str(out))
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {files['call']} (record 2) is missing: listed in the manifest without a copy\n"
    )
    assert (
        "1 evidence files bundled, 0 changed since attached (flagged), 1 missing" in result.stdout
    )
    entries = _entries(out)
    assert [n for n in entries if n.startswith("files/")] == ["files/0001.png"]
    row = _manifest(entries)[1]
    assert row == {
        "file in the bundle": "", "reach record": "2", "reach time": "2026-11-27 22:30:00",
        "original path": str(files["call"]), "size recorded (bytes)": str(len(CALL)),
        "SHA-256 recorded": _sha(CALL), "size of the copy (bytes)": "",
        "SHA-256 of the copy": "", "modified": "", "attached": "2026-12-01 10:00:00",
        "state": "missing",
    }  # fmt: skip
    assert "1 file(s) could not be found" in entries["README.txt"].decode("utf-8-sig")


def test_mask_covers_timeline_and_manifest_but_not_the_files(
    attached: Run, files: dict[str, Path], tmp_path: Path
) -> None:
    """--mask hides names, numbers and folders in timeline and manifest; files are copied as they are."""
    out = tmp_path / "bundle.zip"
    result = attached("evidence", str(out), "--mask")
    assert result.stderr == (
        "note: the timeline and manifest are masked; the evidence files are copied as they are "
        "and may show numbers and names\n"
    )
    entries = _entries(out)
    assert [r["original path"] for r in _manifest(entries)] == ["王** 138****8000.png", "call.M4A"]
    for name in ("timeline.html", "timeline.md", "timeline.csv", "manifest.csv", "manifest.json"):
        text = entries[name].decode("utf-8")
        for secret in ("王秀英", "李建国", "13800138000", "138 0013 8000", str(tmp_path)):
            assert secret not in text, (name, secret)
    assert json.loads(entries["manifest.json"])["masked"] is True
    assert entries["files/0001.png"] == SHOT  # the number in the screenshot stays
    readme = entries["README.txt"].decode("utf-8-sig")
    assert (
        "Masked: in the timeline and the manifest, contacts' numbers are hidden and their names "
        "shortened, and the manifest shows only each file's name, not its folder. The evidence "
        "files are copied as they are: screenshots and recordings may still show numbers and "
        "names. Look at them before you share this bundle.\r\n"
    ) in readme
    assert "Not masked" not in readme


def test_an_existing_output_is_replaced_only_with_force(
    attached: Run, files: dict[str, Path], tmp_path: Path
) -> None:
    """An existing zip or folder is kept without --force; --force never replaces a non-bundle folder."""
    out = tmp_path / "bundle.zip"
    out.write_bytes(b"old")
    result = attached("evidence", str(out))
    assert (result.exit_code, result.stderr) == (
        5,
        f"error: {out} already exists; nothing was written\n"
        "hint: choose another file name, or add --force to replace it\n",
    )
    assert out.read_bytes() == b"old"
    assert attached("evidence", str(out), "--force").exit_code == 0
    assert "files/0002.m4a" in _entries(out)

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my own notes")
    assert attached("evidence", str(mine)).exit_code == 5
    refused = attached("evidence", str(mine), "--force")
    assert (refused.exit_code, refused.stderr) == (
        5,
        f"error: {mine} is a folder that does not hold an evidence bundle; nothing was written\n"
        "hint: give a new or empty folder: --force replaces only an earlier bundle\n",
    )
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]

    earlier = tmp_path / "earlier"
    assert attached("evidence", str(earlier), "--format", "folder").exit_code == 0
    files["shot"].write_bytes(b"edited")
    assert attached("evidence", str(earlier), "--format", "folder").exit_code == 5
    assert attached("evidence", str(earlier), "--format", "folder", "--force").exit_code == 0
    assert _manifest(_entries(earlier))[0]["state"] == "changed"
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("../x", "files/0007"),
        ("/home/u/a.<script>", "files/0007"),
        ("/home/u/a.\x1b[2J", "files/0007"),
        ("C:\\Users\\王\\shot.PNG", "files/0007.png"),
        ("/home/u/rec.tar.gz", "files/0007.gz"),
        ("/home/u/noext", "files/0007"),
        ("/home/u/a.abcdefghijk", "files/0007"),
        ("/home/u/a.ｐｎｇ", "files/0007"),
    ],
)
def test_bundled_names_keep_nothing_of_the_path_but_a_plain_suffix(
    path: str, expected: str
) -> None:
    """A bundled name is the attachment number and a short ASCII suffix, whatever the path holds."""
    assert bundled_name(7, path) == expected


def test_hostile_file_names_stay_inside_and_escaped(cli: Run, tmp_path: Path) -> None:
    """Markup, control characters and formula starts in a file name never escape the bundle or its formats."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    folder = tmp_path / "sub"
    folder.mkdir()
    hostile = folder / "..\\..\\<script>alert(1)<\\script>\x1b[2J.p\x07ng"
    hostile.write_bytes(b"one")
    formula = folder / "=HYPERLINK(1).png"
    formula.write_bytes(b"two")
    assert cli("mark", "张伟", "--at", "2026-11-27 21:30", "--attach", str(hostile),
               "--attach", str(formula)).exit_code == 0  # fmt: skip
    plain, masked, drawer = tmp_path / "b.zip", tmp_path / "m.zip", tmp_path / "drawer"
    assert cli("evidence", str(plain)).exit_code == 0
    assert cli("evidence", str(masked), "--mask").exit_code == 0
    assert cli("evidence", str(drawer), "--format", "folder").exit_code == 0
    for out in (plain, masked, drawer):
        entries = _entries(out)
        assert [n for n in entries if not NAMES.fullmatch(n)] == []
        assert sorted(n for n in entries if n.startswith("files/")) == [
            "files/0001",
            "files/0002.png",
        ]
        assert entries["files/0001"] == b"one"
        html_page = entries["timeline.html"].decode("utf-8")
        assert "<script" not in html_page
        assert "&lt;script&gt;" in html_page
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "b.zip", "case", "drawer", "m.zip", "sub"
    ]  # fmt: skip
    raw = _entries(plain)["manifest.json"].decode("utf-8")
    assert "\x1b" not in raw
    assert "\x07" not in raw
    assert json.loads(raw)["files"][0]["path"] == str(hostile.resolve())
    assert _manifest(_entries(plain))[0]["original path"] == str(hostile.resolve())
    # Masked, a path is only its file name, so the formula would start the cell: it is defused.
    assert _manifest(_entries(masked))[1]["original path"] == "'=HYPERLINK(1).png"


def test_a_large_file_is_copied_whole_across_chunks(cli: Run, tmp_path: Path) -> None:
    """A recording bigger than the copy buffer arrives whole, its hash matching what was recorded."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    big = tmp_path / "long call.mp3"
    data = bytes(range(256)) * (3 * 4096 + 1)  # 3 MiB and a bit: four reads
    big.write_bytes(data)
    assert cli("mark", "张伟", "--at", "2026-11-27 21:30", "--attach", str(big)).exit_code == 0
    out = tmp_path / "b.zip"
    assert cli("evidence", str(out)).exit_code == 0
    entries = _entries(out)
    assert entries["files/0001.mp3"] == data
    assert _manifest(entries)[0]["state"] == "unchanged"


def test_chinese_bundle(attached: Run, tmp_path: Path, zh: None) -> None:
    """In Chinese the README, the manifest's columns and states and the result line are Chinese."""
    out = tmp_path / "证据包.zip"
    result = attached("evidence", str(out))
    assert result.stdout == (
        f"已生成 {out}：2 位联系人共被催收联系 2 次，打包证据文件 2 个，"
        "其中添加后被改动过的 0 个（已标出），找不到的 0 个\n"
    )
    entries = _entries(out)
    readme = entries["README.txt"].decode("utf-8-sig").splitlines()
    assert readme[0] == "证据包：催收人员联系我的通讯录联系人"
    assert (
        readme[-1]
        == "未隐去个人信息：这个证据包里有联系人的名字和号码。只交给处理您投诉的机构或人员。"
    )
    rows = _manifest(entries)
    assert [r["状态"] for r in rows] == ["未改动", "未改动"]
    assert rows[0]["包内文件"] == "files/0001.png"


# -- killed while writing: nothing partial under the name ---------------------------


def _kill_at(point: str, case: Path, *args: str) -> None:
    """Run ``contact-notify --case CASE ARGS`` and make it die at ``point``."""
    done = subprocess.run(
        [sys.executable, "-m", "contact_notify", "--case", str(case), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, faults.ENV: point},
    )
    assert done.returncode == KILLED, (point, done.returncode, done.stderr)


KILL_POINTS = ["bundle:copying", "output:staged"]


@pytest.mark.parametrize("point", KILL_POINTS)
@pytest.mark.parametrize("form", ["zip", "folder"])
def test_a_killed_bundle_leaves_nothing_under_its_name(
    attached: Run, case_path: Path, tmp_path: Path, point: str, form: str
) -> None:
    """Killed mid-copy or when whole but not in place: no OUT; the next bundle clears the leftover."""
    out = tmp_path / ("bundle.zip" if form == "zip" else "bundle")
    args = ["evidence", str(out), *(["--format", "folder"] if form == "folder" else [])]
    _kill_at(point, case_path, *args)
    assert not out.exists()
    assert len(_hidden(tmp_path, out.name)) == 1  # the hidden copy the kill left
    assert attached(*args).exit_code == 0
    assert _hidden(tmp_path, out.name) == []
    assert sorted(_entries(out))[:2] == ["README.txt", "SHA256SUMS"]


@pytest.mark.parametrize("point", KILL_POINTS)
@pytest.mark.parametrize("form", ["zip", "folder"])
def test_a_killed_forced_bundle_keeps_the_old_one_whole(
    attached: Run, files: dict[str, Path], case_path: Path, tmp_path: Path, point: str, form: str
) -> None:
    """--force over an earlier bundle, killed: the name still holds the earlier bundle, whole."""
    out = tmp_path / ("bundle.zip" if form == "zip" else "bundle")
    args = ["evidence", str(out), *(["--format", "folder"] if form == "folder" else [])]
    assert attached(*args).exit_code == 0
    old = _entries(out)
    files["shot"].write_bytes(b"edited")
    _kill_at(point, case_path, *args, "--force")
    assert _entries(out) == old


@pytest.mark.parametrize("form", ["zip", "folder"])
def test_ctrl_c_while_copying_leaves_nothing(
    attached: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    """Ctrl-C in the middle of the copies: exit 130, no OUT, and no hidden copy left behind."""

    def interrupt(name: str) -> None:
        if name == "bundle:copying":
            raise KeyboardInterrupt

    monkeypatch.setattr(faults, "point", interrupt)
    out = tmp_path / ("bundle.zip" if form == "zip" else "bundle")
    args = ["evidence", str(out), *(["--format", "folder"] if form == "folder" else [])]
    assert attached(*args).exit_code == 130
    assert not out.exists()
    assert _hidden(tmp_path, out.name) == []
