"""Issue 16's table, measured: every row against its peer, side by side, in one run.

Each measurement is a whole command in a fresh child process: wall time, CPU
time (user + system, from ``wait4``) and peak resident memory (VmHWM, read by
the child as it exits).  A row's two sides run in alternation (peer, ours,
peer, ours …) so the load of this shared machine hits both alike; a ratio is
the median of the pair-by-pair CPU ratios, the times shown are medians.

Rows against a peer (the ratio is ours / peer):

* import of iPhone-like vCard 3.0 cards: a script that only stream-parses the
  file with ``vobject.readComponents`` and runs ``phonenumbers.parse`` on each
  TEL (100k cards; 1M with ``--full``; 1k for the fixed cost);
* import of a GB18030 CSV: Python's ``csv`` module + ``phonenumbers.parse``
  on the phone column;
* ``export out.csv`` and ``preview`` of 10k reached contacts: ``mailmerge
  --dry-run --no-limit`` on the same 10k rows with a template of the size of
  ``templates/default.sms.zh.j2`` (output to /dev/null, it never sends);
* ``--help`` and ``status`` on an empty case: a bare one-command typer app's
  ``--help`` (and ``python -c pass``, shown for reference).

Scaling rows run our command at two sizes (10x apart unless stated): the time
may grow at most 1.2x the input (12x for 10x), and peak memory must stay
within the row's bound (flat).

The peers live in their own environment, never in the project's:

    python3 -m venv benchmarks/.venv-peers
    benchmarks/.venv-peers/bin/pip install vobject phonenumbers mailmerge typer

Then:

    .venv/bin/python benchmarks/compare.py            # about 15 minutes
    .venv/bin/python benchmarks/compare.py --quick    # sizes / 10, one run each: a minute
    .venv/bin/python benchmarks/compare.py --full     # adds the 1M rows
    .venv/bin/python benchmarks/compare.py --only mark --only "status," --runs 5

Generated inputs and the cases built from them (with the real ``contact-notify
import`` and ``mark``) are cached in ``benchmarks/.data/`` (ignored by git);
cases are rebuilt whenever a file of ``src/contact_notify`` changes.  It exits
non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import gb18030_csv, iphone_vcard

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

PEERS = HERE / ".venv-peers"
PEERS_PYTHON = PEERS / "bin" / "python"
OURS_PYTHON = Path(sys.executable)
OURS_SCRIPT = OURS_PYTHON.parent / "contact-notify"
MIB = 1024 * 1024
MAX_ADDRESS_SPACE = 4096 * MIB

# Run in every child: note the peak RSS (VmHWM) as the process exits, then run the script.
WRAP = """\
import atexit, runpy, sys
def _peak(out=sys.argv[1]):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(out, "w") as handle:
                    handle.write(line.split()[1])
atexit.register(_peak)
sys.argv = sys.argv[2:]
if sys.argv[0] != "-":
    runpy.run_path(sys.argv[0], run_name="__main__")
"""

VOBJECT_PEER = '''\
"""Stream-parse a vCard file with vobject and parse every TEL with phonenumbers."""
import sys

import phonenumbers
import vobject

with open(sys.argv[1], encoding="utf-8") as handle:
    for card in vobject.readComponents(handle):
        for tel in card.contents.get("tel", ()):
            try:
                phonenumbers.parse(tel.value, "CN")
            except phonenumbers.NumberParseException:
                pass
'''

CSV_PEER = '''\
"""Read a GB18030 sheet with the csv module and parse the phone column with phonenumbers."""
import csv
import sys

import phonenumbers

with open(sys.argv[1], encoding="gb18030", newline="") as handle:
    rows = csv.reader(handle)
    header = next(rows)
    phone = header.index("手机")
    for row in rows:
        try:
            phonenumbers.parse(row[phone], "CN")
        except phonenumbers.NumberParseException:
            pass
'''

TYPER_PEER = '''\
"""A bare one-command typer app."""
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    print(f"hello {name}")


app()
'''

# About the size of templates/default.sms.zh.j2 (600 bytes), with the same branches.
MAILMERGE_TEMPLATE = """\
TO: {{email}}
FROM: 小林 <xiaolin@example.com>
SUBJECT: 抱歉打扰

{% if salutation %}{{ salutation }}，{% endif %}您好，我是{{ sender }}。抱歉打扰：催收联系您\
是为我个人的欠款，您不欠钱，无需还款，也不用接听或回复。请勿透露我的信息。可拉黑\
{% if collectors %}{{ collectors.split(" ")[:2] | join("、") }}{% if collectors.split(" ") \
| length > 2 %}等号码{% endif %}{% else %}来电号码{% endif %}，在来电界面标记骚扰或向12321\
举报。方便的话请截图或记下来电时间发我。{{ name }} {{ phone }}
"""

# mailmerge insists on a server configuration; --dry-run never opens it.
MAILMERGE_CONFIG = "[smtp_server]\nhost = 127.0.0.1\nport = 25\nratelimit = 0\n"


@dataclass
class Sample:
    """One run of one command."""

    wall: float
    cpu: float
    peak_mib: float
    error: str = ""


@dataclass
class Side:
    """One side of a row: a command, and how to prepare a fresh run of it."""

    label: str
    python: Path
    script: str  # a script path, or "-" for an empty program
    args: Callable[[Path], Sequence[str]]  # given a fresh work folder, set it up, return argv
    samples: list[Sample] = field(default_factory=list)

    def median(self, what: str) -> float:
        """The median of ``wall``, ``cpu`` or ``peak_mib`` over the good runs."""
        values = [getattr(s, what) for s in self.samples if not s.error]
        return statistics.median(values) if values else float("nan")

    def error(self) -> str:
        """The first failed run's message, if any."""
        return next((s.error for s in self.samples if s.error), "")


@dataclass
class Row:
    """A row of issue 16's table and its targets."""

    name: str
    kind: str  # "peer": ours (b) / peer (a); "scale": ours at 10x (b) / ours at 1x (a)
    a: Side
    b: Side
    max_ratio: float | None = None
    max_peak: float | None = None
    max_wall: float | None = None
    runs: int | None = None
    extra: list[Side] = field(default_factory=list)  # also run in alternation, shown only
    missed: list[str] = field(default_factory=list)

    def ratio(self) -> float:
        """Median of the pair-by-pair CPU ratios b / a."""
        pairs = [
            y.cpu / x.cpu
            for x, y in zip(self.a.samples, self.b.samples, strict=False)
            if not x.error and not y.error and x.cpu > 0
        ]
        return statistics.median(pairs) if pairs else float("nan")


def run_once(side: Side, work: Path, timeout: float) -> Sample:
    """Run ``side`` once in a fresh child process; measure wall, CPU and peak memory."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    argv = list(side.args(work))
    peak_file = work / ".peak"
    env = dict(os.environ, CONTACT_NOTIFY_LANG="en", COLUMNS="100", HOME=str(work))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CONTACT_NOTIFY_CASE", None)
    with (work / ".stderr").open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(side.python), "-c", WRAP, str(peak_file), side.script, *argv],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=limit_memory,
        )
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    try:
        peak = int(peak_file.read_text()) / 1024
    except (OSError, ValueError):
        peak = usage.ru_maxrss / 1024  # includes this process's memory at the fork
    error = ""
    if wall >= timeout:
        error = f"timed out after {timeout:.0f} s"
    elif proc.returncode != 0:
        lines = (work / ".stderr").read_text(errors="replace").strip().splitlines()
        error = f"exit {proc.returncode}: {lines[-1] if lines else ''}"[:160]
    return Sample(wall, cpu, peak, error)


def limit_memory() -> None:
    """In the child: cap its address space, so a command that holds everything fails, not the machine."""
    cap = MAX_ADDRESS_SPACE
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def run_row(row: Row, runs: int, timeout: float, scratch: Path) -> None:
    """Run the row's sides in alternation; a side that fails or times out stops there.

    Fixed-cost rows (``runs == -3``) run three times as often, after one
    untimed run of each side (which writes the bytecode caches).
    """
    sides = [row.a, *row.extra, row.b]
    if row.runs == -3:
        for side in sides:
            run_once(side, scratch / "run", timeout)
    for _ in range(3 * runs if row.runs == -3 else row.runs or runs):
        for side in sides:
            if side.error():
                continue
            side.samples.append(run_once(side, scratch / "run", timeout))
        if all(side.error() for side in sides):
            break


# --- data -----------------------------------------------------------------------------


class Data:
    """Generated inputs and cases, made once and cached under benchmarks/.data/."""

    def __init__(self, folder: Path, scale: int, full: bool) -> None:
        self.folder = folder
        self.scale = scale
        self.full = full
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text("*\n")
        self.inputs = folder / "inputs"
        self.inputs.mkdir(exist_ok=True)
        self.cases = folder / f"cases-{source_digest()}"
        self.cases.mkdir(exist_ok=True)
        for old in folder.glob("cases-*"):
            if old != self.cases:
                shutil.rmtree(old)
        self.peers = folder / "peers"
        self.peers.mkdir(exist_ok=True)
        for name, text in (
            ("vobject_phonenumbers.py", VOBJECT_PEER),
            ("csv_phonenumbers.py", CSV_PEER),
            ("bare_typer.py", TYPER_PEER),
            ("mailmerge_template.txt", MAILMERGE_TEMPLATE),
            ("mailmerge_server.conf", MAILMERGE_CONFIG),
        ):
            (self.peers / name).write_text(text, encoding="utf-8")

    def n(self, size: int) -> int:
        """``size`` at this run's scale."""
        return max(size // self.scale, 10)

    def vcard(self, cards: int) -> Path:
        """An iPhone-like vCard 3.0 file of ``cards`` cards with distinct names."""
        path = self.inputs / f"iphone-{cards}.vcf"
        if not path.exists():
            log(f"generating {path.name}")
            iphone_vcard(path.with_suffix(".tmp"), cards, distinct_names=True)
            path.with_suffix(".tmp").replace(path)
        return path

    def gb_csv(self, rows: int) -> Path:
        """A GB18030 sheet of ``rows`` rows."""
        path = self.inputs / f"gb18030-{rows}.csv"
        if not path.exists():
            log(f"generating {path.name}")
            gb18030_csv(path.with_suffix(".tmp"), rows)
            path.with_suffix(".tmp").replace(path)
        return path

    def paste(self, size: int) -> Path:
        """Chat text of ``size`` characters (bench_paste's generator)."""
        path = self.inputs / f"chat-{size}.txt"
        if not path.exists():
            from bench_paste import chat

            path.write_text(chat(size)[0], encoding="utf-8")
        return path

    def case(self, contacts: int) -> Path:
        """A case of the ``contacts``-card vCard file, imported with the real command."""
        path = self.cases / f"case-{contacts}.sqlite3"
        if not path.exists():
            log(f"building {path.name} (contact-notify import)")
            tmp = path.with_name("building.sqlite3")
            tmp.unlink(missing_ok=True)
            ours(tmp, "import", str(self.vcard(contacts)))
            ours(tmp, "config", "sender", "小林")
            tmp.replace(path)
        return path

    def empty_case(self) -> Path:
        """A case with no contacts (only the sender set)."""
        path = self.cases / "empty.sqlite3"
        if not path.exists():
            ours(path, "config", "sender", "小林")
        return path

    def contacts(self, contacts: int) -> list[dict[str, object]]:
        """The case's contacts as ``contacts --format json`` lists them, in a seeded order."""
        path = self.cases / f"contacts-{contacts}.json"
        if not path.exists():
            listing = ours(self.case(contacts), "contacts", "--format", "json")
            path.write_text(listing, encoding="utf-8")
        people: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))
        people.sort(key=lambda c: hashlib.sha256(str(c["id"]).encode()).digest())
        return people

    def targets(self, kind: str, lines: int) -> Path:
        """A ``mark --file`` input: ``lines`` numbers (as written), names or ``id:N``."""
        path = self.cases / f"targets-{kind}-{lines}.txt"
        if not path.exists():
            people = self.contacts(self.n(10_000))[:lines]
            with path.open("w", encoding="utf-8") as out:
                for c in people:
                    if kind == "numbers":
                        out.write(f"{c['phones'][0]['raw']}\n")  # type: ignore[index]
                    elif kind == "names":
                        out.write(f"{c['name']}\n")
                    else:
                        out.write(f"id:{c['id']}\n")
        return path

    def reach_csv(self, lines: int, *, one_contact: bool = False) -> Path:
        """A ``mark --file`` CSV: target, at, channel, by; collectors from a pool of lines/10."""
        path = self.cases / f"reaches-{lines}{'-one' if one_contact else ''}.csv"
        if not path.exists():
            people = self.contacts(self.n(10_000))
            start = dt.datetime(2026, 6, 1, 8, 0)
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["target", "at", "channel", "by"])
                for i in range(lines):
                    person = people[0] if one_contact else people[i % len(people)]
                    at = start + dt.timedelta(minutes=7 * i)
                    by = f"+86170{i % max(lines // 10, 1):08d}"
                    e164 = person["phones"][0]["e164"]  # type: ignore[index]
                    writer.writerow([e164, at.strftime("%Y-%m-%d %H:%M"), "call", by])
        return path

    def reached(self, lines: int, *, one_contact: bool = False, exported: bool = False) -> Path:
        """The 10k case with ``lines`` reach records (``lines`` contacts, or one contact)."""
        name = f"reached-{lines}{'-one' if one_contact else ''}{'-exported' if exported else ''}"
        path = self.cases / f"{name}.sqlite3"
        if not path.exists():
            log(f"building {path.name} (contact-notify mark --file)")
            tmp = path.with_name("building.sqlite3")
            shutil.copyfile(self.case(self.n(10_000)), tmp)
            ours(tmp, "mark", "--file", str(self.reach_csv(lines, one_contact=one_contact)))
            if exported:
                ours(tmp, "export", "--force", str(self.export_csv(lines)))
            tmp.replace(path)
        return path

    def export_csv(self, lines: int) -> Path:
        """Where the export of the ``lines``-reached case is written (for ``sent --exported``)."""
        return self.cases / f"export-{lines}.csv"

    def mailmerge_db(self, lines: int) -> Path:
        """mailmerge's database: the same ``lines`` reached contacts, one row each."""
        path = self.cases / f"mailmerge-{lines}.csv"
        if not path.exists():
            people = self.contacts(self.n(10_000))[:lines]
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["email", "name", "phone", "salutation", "sender", "collectors"])
                for i, c in enumerate(people):
                    by = f"170{i % max(lines // 10, 1):08d}"
                    phone = c["phones"][0]["e164"]  # type: ignore[index]
                    writer.writerow([f"user{i}@example.com", c["name"], phone, "", "小林", by])
        return path


def source_digest() -> str:
    """A digest of the package's source: cases built by other code are rebuilt."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "contact_notify").rglob("*")):
        if path.suffix in {".py", ".sql", ".j2"} and path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def ours(case: Path, *args: str) -> str:
    """Run contact-notify on ``case`` to build data; return its stdout."""
    env = dict(os.environ, CONTACT_NOTIFY_LANG="en")
    done = subprocess.run(
        [str(OURS_SCRIPT), "--case", str(case), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"building the data failed: contact-notify {' '.join(args)} exited "
            f"{done.returncode}:\n{done.stderr[-2000:]}"
        )
    return done.stdout


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- rows -----------------------------------------------------------------------------


def copy_case(case: Path, work: Path) -> Path:
    """A fresh copy of ``case`` in ``work`` (commands may change it)."""
    target = work / "case.sqlite3"
    shutil.copyfile(case, target)
    return target


def our_side(label: str, case: Callable[[], Path] | None, *args: str) -> Side:
    """contact-notify on a fresh copy of ``case`` (or a new case when None)."""

    def argv(work: Path) -> list[str]:
        path = copy_case(case(), work) if case else work / "new.sqlite3"
        return ["--case", str(path), *args]

    return Side(label, OURS_PYTHON, str(OURS_SCRIPT), argv)


def peer_side(label: str, script: str, *args: str) -> Side:
    """A peer script (in benchmarks/.data/peers/) run by the peers' Python."""
    return Side(label, PEERS_PYTHON, script, lambda _work: list(args))


def build_rows(data: Data) -> list[Row]:
    """Every row of issue 16's table, with its sides and targets, at this run's scale."""
    n = data.n
    peers = data.peers
    vobject_peer = str(peers / "vobject_phonenumbers.py")
    rows: list[Row] = []

    def import_row(cards: int, max_ratio: float, runs: int | None = None) -> None:
        file = str(data.vcard(cards))
        rows.append(
            Row(
                f"import {cards:,} vCards",
                "peer",
                peer_side("vobject+phonenumbers", vobject_peer, file),
                our_side("import", None, "import", file),
                max_ratio=max_ratio,
                max_peak=80,
                runs=runs,
            )
        )

    import_row(n(100_000), 0.3)
    if data.full:
        import_row(n(1_000_000), 0.3, runs=1)
    csv_file = str(data.gb_csv(n(100_000)))
    rows.append(
        Row(
            f"import {n(100_000):,}-row GB18030 CSV",
            "peer",
            peer_side("csv+phonenumbers", str(peers / "csv_phonenumbers.py"), csv_file),
            our_side("import", None, "import", csv_file),
            max_ratio=1.5,
            max_peak=80,
        )
    )
    import_row(n(1_000), 1.0)

    reached = n(10_000)
    mailmerge = peer_side(
        "mailmerge --dry-run",
        str(PEERS / "bin" / "mailmerge"),
        "--dry-run",
        "--no-limit",
        "--output-format",
        "text",
        "--template",
        str(peers / "mailmerge_template.txt"),
        "--database",
        str(data.mailmerge_db(reached)),
        "--config",
        str(peers / "mailmerge_server.conf"),
    )
    rows.append(
        Row(
            f"export out.csv, {reached:,} reached",
            "peer",
            mailmerge,
            our_side("export", lambda: data.reached(reached), "export", "out.csv"),
            max_ratio=0.5,
            max_peak=80,
        )
    )
    rows.append(
        Row(
            f"preview, {reached:,} reached",
            "peer",
            Side(mailmerge.label, mailmerge.python, mailmerge.script, mailmerge.args),
            our_side("preview", lambda: data.reached(reached), "preview"),
            max_ratio=0.5,
        )
    )

    typer_peer = str(peers / "bare_typer.py")
    rows.append(
        Row(
            "contact-notify --help",
            "peer",
            peer_side("typer app --help", typer_peer, "--help"),
            Side("--help", OURS_PYTHON, str(OURS_SCRIPT), lambda _w: ["--help"]),
            max_ratio=1.0,
            runs=-3,
            extra=[peer_side("python -c pass", "-")],
        )
    )
    rows.append(
        Row(
            "status, empty case",
            "peer",
            peer_side("typer app --help", typer_peer, "--help"),
            our_side("status", data.empty_case, "status"),
            max_ratio=1.2,
            runs=-3,
            extra=[peer_side("python -c pass", "-")],
        )
    )

    def scale_row(name: str, small: Side, big: Side, factor: float = 10, **targets: float) -> None:
        rows.append(Row(name, "scale", small, big, max_ratio=1.2 * factor, **targets))

    small, big = n(10_000), n(100_000)
    rows.append(
        Row(
            f"status, {big:,}-contact case",
            "scale",
            our_side(f"{small:,}", lambda: data.case(small), "status"),
            our_side(f"{big:,}", lambda: data.case(big), "status"),
            max_wall=0.3,
            max_peak=60,
        )
    )
    for label, args in (
        ("contacts --format json", ("contacts", "--format", "json")),
        ("inspect --format json", None),
    ):
        sizes = [(small, big)] + ([(big, n(1_000_000))] if data.full else [])
        for lo, hi in sizes:
            if args is None:
                sides = [
                    our_side(f"{k:,}", None, "inspect", "--format", "json", str(data.vcard(k)))
                    for k in (lo, hi)
                ]
            else:
                sides = [our_side(f"{k:,}", lambda k=k: data.case(k), *args) for k in (lo, hi)]
            scale_row(f"{label}, {lo:,} -> {hi:,}", *sides, max_peak=80)
    lo, hi = n(1_000), n(10_000)
    scale_row(
        f"evidence out.md, {lo:,} -> {hi:,} reaches",
        our_side(f"{lo:,}", lambda: data.reached(lo), "evidence", "out.md"),
        our_side(f"{hi:,}", lambda: data.reached(hi), "evidence", "out.md"),
        max_peak=80,
    )
    for kind in ("numbers", "names", "id:N"):
        key = kind.replace(":", "")
        scale_row(
            f"mark --file {kind}, {lo:,} -> {hi:,} lines",
            *[
                our_side(
                    f"{k:,}",
                    lambda: data.case(n(10_000)),
                    "mark",
                    "--at",
                    "2026-11-27 21:30",
                    "--file",
                    str(data.targets(key, k)),
                )
                for k in (lo, hi)
            ],
        )
    scale_row(
        f"mark --file CSV, one contact, {lo:,} -> {hi:,} records",
        *[
            our_side(
                f"{k:,}",
                lambda: data.case(n(10_000)),
                "mark",
                "--file",
                str(data.reach_csv(k, one_contact=True)),
            )
            for k in (lo, hi)
        ],
    )
    text_lo, text_hi = n(256_000), n(1_000_000)
    scale_row(
        f"mark --text, {text_lo // 1000:,} KB -> {text_hi // 1000:,} KB",
        *[
            our_side(
                f"{k // 1000} KB",
                lambda: data.case(n(10_000)),
                "mark",
                "--at",
                "2026-11-27 21:30",
                "--text",
                str(data.paste(k)),
            )
            for k in (text_lo, text_hi)
        ],
        factor=text_hi / text_lo,
    )
    scale_row(
        f"unmark --file numbers, {lo:,} -> {hi:,} lines",
        *[
            our_side(
                f"{k:,}",
                lambda: data.reached(hi),
                "unmark",
                "--file",
                str(data.targets("numbers", k)),
            )
            for k in (lo, hi)
        ],
    )
    scale_row(
        f"sent --exported, {lo:,} -> {hi:,} messages",
        *[
            our_side(
                f"{k:,}",
                lambda k=k: data.reached(k, exported=True),
                "sent",
                "--exported",
                str(data.export_csv(k)),
            )
            for k in (lo, hi)
        ],
    )
    first = data.contacts(n(10_000))[0]
    scale_row(
        f"history, {lo:,} -> {hi:,} records",
        *[
            our_side(
                f"{k:,}",
                lambda k=k: data.reached(k, one_contact=True),
                "history",
                f"id:{first['id']}",
            )
            for k in (lo, hi)
        ],
    )
    scale_row(
        f"collectors, {lo:,} -> {hi:,} reaches",
        *[our_side(f"{k:,}", lambda k=k: data.reached(k), "collectors") for k in (lo, hi)],
    )
    return rows


# --- report ---------------------------------------------------------------------------


def judge(row: Row) -> None:
    """Fill ``row.missed`` with the targets this row misses."""
    for side in (row.a, *row.extra, row.b):
        if side.error():
            row.missed.append(f"{side.label}: {side.error()}")
    if row.missed:
        return
    ratio = row.ratio()
    if row.max_ratio is not None and not ratio <= row.max_ratio:
        row.missed.append(f"ratio {ratio:.2f} > {row.max_ratio:.3g}")
    peak = row.b.median("peak_mib")
    if row.kind == "scale":
        peak = max(peak, row.a.median("peak_mib"))
    if row.max_peak is not None and not peak <= row.max_peak:
        row.missed.append(f"peak {peak:.0f} MiB > {row.max_peak:g}")
    wall = row.b.median("wall")
    if row.max_wall is not None and not wall <= row.max_wall:
        row.missed.append(f"wall {wall:.2f} s > {row.max_wall:g}")


def target_text(row: Row) -> str:
    """The row's targets, short."""
    parts = []
    if row.max_ratio is not None:
        parts.append(f"x<={row.max_ratio:.3g}")
    if row.max_wall is not None:
        parts.append(f"wall<={row.max_wall:g}s")
    if row.max_peak is not None:
        parts.append(f"<={row.max_peak:g}MiB")
    return " ".join(parts)


def side_text(side: Side) -> str:
    """``cpu/wall peak`` of a side, or why it has none."""
    if not any(not s.error for s in side.samples):
        return f"{side.label}: {side.error()[:40]}"
    return (
        f"{side.label} {side.median('cpu'):.2f}/{side.median('wall'):.2f}s "
        f"{side.median('peak_mib'):.0f}M"
    )


def print_row(row: Row) -> None:
    """One line of the table (and one more for sides shown only)."""
    ratio = row.ratio()
    result = "FAIL" if row.missed else "PASS"
    print(
        f"{row.name:54} {side_text(row.a):44} {side_text(row.b):36} "
        f"{ratio:6.2f} {target_text(row):20} {result}",
        flush=True,
    )
    for side in row.extra:
        mine = row.b.median("cpu") / side.median("cpu")
        print(f"{'':54} {side_text(side):44} {'(ours / this: ' + f'{mine:.1f}x)':36}")


def versions() -> str:
    """Python and library versions of both environments."""
    ours_v = subprocess.run(
        [str(OURS_PYTHON), "-c", VERSIONS], capture_output=True, text=True, check=True
    ).stdout.strip()
    peers_v = subprocess.run(
        [str(PEERS_PYTHON), "-c", VERSIONS + PEER_VERSIONS],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return f"ours: {ours_v}\npeers: {peers_v}"


VERSIONS = """\
import importlib.metadata as m, platform
def v(name):
    try:
        return f"{name} {m.version(name)}"
    except m.PackageNotFoundError:
        return f"{name} (none)"
print("Python", platform.python_version(), end="")
for name in ("phonenumbers", "vobject", "typer", "click", "jinja2"):
    print(",", v(name), end="")
"""
PEER_VERSIONS = 'print(",", v("mailmerge"), end="")'


def main() -> int:
    """Generate the data, run every row, print the table; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="sizes / 10, one run each")
    parser.add_argument("--full", action="store_true", help="add the 1M rows (minutes more)")
    parser.add_argument("--runs", type=int, help="runs of each side (default 3; --quick 1)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help="run only the rows whose name contains TEXT (repeatable)",
    )
    parser.add_argument(
        "--timeout", type=float, default=120, help="seconds before a run is stopped (120)"
    )
    parser.add_argument("--data", type=Path, default=HERE / ".data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not PEERS_PYTHON.exists():
        print(
            f"the peers' environment is missing ({PEERS}); create it with:\n"
            f"  python3 -m venv {PEERS.relative_to(ROOT)}\n"
            f"  {PEERS.relative_to(ROOT)}/bin/pip install vobject phonenumbers mailmerge typer",
            file=sys.stderr,
        )
        return 2
    if not OURS_SCRIPT.exists():
        print(f"run this with the project's Python (no {OURS_SCRIPT})", file=sys.stderr)
        return 2
    runs = args.runs or (1 if args.quick else 3)
    data = Data(args.data, 10 if args.quick else 1, args.full)
    log("preparing data")
    rows = build_rows(data)
    if args.only:
        rows = [r for r in rows if any(w in r.name for w in args.only)]
    for row in rows:  # build every case before measuring anything
        for side in (row.a, *row.extra, row.b):
            with tempfile.TemporaryDirectory(prefix="cn-prep-") as tmp:
                side.args(Path(tmp))
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} cores, {platform.platform()}"
    )
    print(versions())
    print(
        f"runs: {runs} a side, alternating (fixed-cost rows {3 * runs}); "
        f"times are median cpu/wall; ratio = median of pairwise cpu ratios"
        + ("; QUICK: sizes / 10, indicative only" if args.quick else "")
    )
    print(f"{'row':54} {'peer (or 1x)':44} {'ours (or 10x)':36} {'ratio':>6} {'target':20} result")
    with tempfile.TemporaryDirectory(prefix="cn-compare-") as tmp:
        scratch = Path(tmp)
        for row in rows:
            log(f"running {row.name}")
            run_row(row, runs, args.timeout, scratch)
            judge(row)
            print_row(row)
    missed = [f"{row.name} ({'; '.join(row.missed)})" for row in rows if row.missed]
    if missed:
        print("targets missed:")
        for line in missed:
            print(f"  {line}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
