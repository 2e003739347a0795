"""A user template cannot exhaust the machine: what it builds, how long it runs, what it changes."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contact_notify import complaints, render, template_limits
from contact_notify.complaints import load_complaint
from contact_notify.errors import ExitCode
from contact_notify.evidence import Entry, Evidence, Summary

from conftest import Run

LIMITS_HINT = 'hint: see "Limits" in docs/templates.md for what a template may build and spend'

# Each attack, and the line of the error that stops it.  The first five are the ones reported
# (2.8 GB, 7.7 GB, over 60 s, over 60 s, the data changed); the others are the neighbouring
# ways to build a large text, list or number, or to spend without end.
ATTACKS = [
    (
        "{{ 'a'*10**9 }}",
        "a text of up to 1,000,000,000 characters is over the limit of 2,000,000 characters",
    ),
    ("{{ [1]*10**9 }}", "a list of 1,000,000,000 items is over the limit of 100,000 items"),
    (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "range() of 100,000 numbers is over the limit of 10,000 numbers",
    ),
    (
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        "the template takes more than 1,000,000 steps (loop rounds, calls, filters, operators "
        "and lookups)",
    ),
    (
        "{{ contact.groups.append(1) }}",
        "a template cannot use 'append' of a list: only some methods of texts, lists and dicts "
        "are allowed, and the data a template gets is read-only",
    ),
    (
        "{{ 'a'.center(10**9) }}",
        "a text of up to 1,000,000,000 characters is over the limit of 2,000,000 characters",
    ),
    (
        "{{ 'a' | indent(999999999) }}",
        "a text of up to 1,000,000,000 characters is over the limit of 2,000,000 characters",
    ),
    (
        "{{ '%0999999999d' % 7 }}",
        "a text of up to 1,000,000,014 characters is over the limit of 2,000,000 characters",
    ),
    (
        "{{ '%0999999999d' | format(7) }}",
        "a text of up to 1,000,000,014 characters is over the limit of 2,000,000 characters",
    ),
    (
        "{{ '{:>999999999}'.format(1) }}",
        "a template cannot use 'format' of a text: only some methods of texts, lists and dicts "
        "are allowed, and the data a template gets is read-only",
    ),
    (
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}",
        "a joined text of up to 2,097,152 characters is over the limit of 2,000,000 characters",
    ),
    (
        "{% set s = 'a' * 100000 %}{{ ([s] * 100000) | join }}",
        "a list holding texts of up to 10,000,400,000 characters is over the limit of 2,000,000 "
        "characters",
    ),
    (
        "{% for i in range(10000) %}{{ 'a' * 1000 }}{% endfor %}",
        "the text it writes is longer than the limit of 2,000,000 characters",
    ),
    (
        "{% set t %}{% for i in range(10000) %}{{ 'a' * 1000 }}{% endfor %}{% endset %}",
        "the text it writes is longer than the limit of 2,000,000 characters",
    ),
    ("{{ 2 ** 10001 }}", "a number of about 3,011 digits is over the limit of 3,000 digits"),
    (
        "{{ (1).to_bytes(10**9, 'big') }}",
        "a template cannot use 'to_bytes' of a number: only some methods of texts, lists and "
        "dicts are allowed, and the data a template gets is read-only",
    ),
    (
        "{{ [1] | batch(999999999, 0) | list }}",
        "a batch of 999,999,999 items is over the limit of 100,000 items",
    ),
    (
        "{% set b = 'a' * 1000000 %}{% for i in range(10000) %}{% set x = b ~ i %}{% endfor %}",
        "the template builds more than 20,000,000 characters and list items in all",
    ),
]


@pytest.fixture
def one_reached(cli: Run, tmp_path: Path) -> Run:
    """A case with one reached contact, 王秀英 in the group 家人, and the sender set."""
    cards = tmp_path / "one.vcf"
    cards.write_text(
        "BEGIN:VCARD\nFN:王秀英\nTEL:13800138000\nCATEGORIES:家人\nEND:VCARD\n", encoding="utf-8"
    )
    assert cli("import", str(cards)).exit_code == ExitCode.OK
    assert cli("mark", "王秀英", "--at", "2026-11-27 21:30").exit_code == ExitCode.OK
    assert cli("config", "sender", "小林").exit_code == ExitCode.OK
    return cli


@pytest.mark.parametrize(("source", "message"), ATTACKS)
def test_an_attack_stops_with_exit_4_naming_template_line_and_limit(
    one_reached: Run, tmp_path: Path, source: str, message: str
) -> None:
    """Each attack fails fast with the template exit code, the template, line 1 and the limit."""
    path = tmp_path / "evil.j2"
    path.write_text(source, encoding="utf-8")
    result = one_reached("preview", "--template", str(path))
    assert (result.exit_code, result.stdout) == (ExitCode.TEMPLATE, "")
    assert result.stderr.splitlines() == [f"error: template {path}, line 1: {message}", LIMITS_HINT]


def test_lipsum_is_not_there(one_reached: Run, tmp_path: Path) -> None:
    """lipsum(n=10**6), which ran past a minute, is not a template function any more."""
    path = tmp_path / "evil.j2"
    path.write_text("{{ lipsum(n=10**6) }}", encoding="utf-8")
    result = one_reached("preview", "--template", str(path))
    assert (result.exit_code, result.stderr.splitlines()) == (
        ExitCode.TEMPLATE,
        [
            f"error: template {path}, line 1: undefined variable 'lipsum'",
            "hint: see docs/templates.md for the variables a template can use",
        ],
    )


@pytest.mark.parametrize(
    "source",
    [
        "{{ ('<a>' * 300000) | striptags }}",
        "{{ ('a' * 600000) | wordwrap(1) }}",
        "{{ ('a.b ' * 200000) | urlize }}",
    ],
)
def test_filters_whose_time_grows_with_the_square_are_gone(
    one_reached: Run, tmp_path: Path, source: str
) -> None:
    """striptags, wordwrap and urlize (time growing with the square of the text) are refused."""
    path = tmp_path / "slow.j2"
    path.write_text(source, encoding="utf-8")
    result = one_reached("preview", "--template", str(path))
    name = source.split("| ")[1].split(" ")[0].split("(")[0]
    assert (result.exit_code, result.stderr) == (
        ExitCode.TEMPLATE,
        f"error: template {path}, line 1: No filter named '{name}'.\n",
    )


def test_compiling_builds_nothing(one_reached: Run, tmp_path: Path) -> None:
    """'a'*10**9 is no longer folded while compiling: rules set takes it, templates check refuses."""
    path = tmp_path / "evil.j2"
    path.write_text("{#-\nchannel: sms\n-#}\n{{ 'a'*10**9 }}", encoding="utf-8")
    assert one_reached("rules", "set", "家人", str(path)).stdout == f"家人 -> {path}\n"
    result = one_reached("templates", "check", str(path))
    assert result.exit_code == ExitCode.TEMPLATE
    assert (
        f"error: template {path}, line 4: a text of up to 1,000,000,000 characters is over the limit "
        "of 2,000,000 characters"
    ) in result.stdout.splitlines()


def test_a_render_stops_when_its_time_is_up(
    one_reached: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slow steps, few of them: the wall clock, read at every step, stops the render."""
    monkeypatch.setattr(
        template_limits, "LIMITS", dataclasses.replace(template_limits.LIMITS, seconds=0.3)
    )
    path = tmp_path / "slow.j2"
    path.write_text(
        "{% set b = 'ab' * 900000 %}{% for i in range(10000) %}"
        "{% if b.count('x') %}{% endif %}{% endfor %}",
        encoding="utf-8",
    )
    started = time.monotonic()
    result = one_reached("preview", "--template", str(path))
    assert time.monotonic() - started < 5  # 10,000 scans of 1.8 million characters take far longer
    assert (result.exit_code, result.stderr.splitlines()) == (
        ExitCode.TEMPLATE,
        [
            f"error: template {path}, line 1: the template takes longer than 0.3 seconds to render",
            LIMITS_HINT,
        ],
    )


def test_a_template_file_over_the_size_limit_is_refused(one_reached: Run, tmp_path: Path) -> None:
    """A template is read no further than its limit, and refused with the limit named."""
    path = tmp_path / "big.j2"
    path.write_text("x" * 100_001, encoding="utf-8")
    result = one_reached("preview", "--template", str(path))
    assert (result.exit_code, result.stderr.splitlines()) == (
        ExitCode.TEMPLATE,
        [
            f"error: template {path}: 'big.j2' is longer than the limit of 100,000 characters "
            "for a template",
            LIMITS_HINT,
        ],
    )


def test_an_expression_nested_too_deeply_is_a_template_error(
    one_reached: Run, tmp_path: Path
) -> None:
    """Deep nesting that exhausts the compiler's recursion is a template error, not exit 1."""
    path = tmp_path / "deep.j2"
    path.write_text("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", encoding="utf-8")
    result = one_reached("preview", "--template", str(path))
    assert (result.exit_code, result.stderr) == (
        ExitCode.TEMPLATE,
        f"error: template {path}: its expressions or blocks are nested too deeply to compile\n",
    )


def test_ordinary_template_code_still_works(one_reached: Run, tmp_path: Path) -> None:
    """Loops, ranges, %-formatting, joins, text methods, macros and literals render as before."""
    path = tmp_path / "ok.j2"
    path.write_text(
        "{% macro sign(n) %}—— {{ n }}{% endmacro %}"
        "{{ contact.name }}{{ '，'.join(['你好', '抱歉']) }}"
        "{% for i in range(3) %}{{ loop.index }}{{ '-' if not loop.last }}{% endfor %}"
        " {{ '%s/%d' % ('a', 2) }} {{ '%05.1f' | format(3.14159) }} {{ 'ab' * 2 }}"
        " {{ {'k': 'v'}.items() | list }} {{ [3, 1, 2] | sort | join(',') }}"
        " {{ 'x'.center(5, '*') }} {{ 2 ** 10 }} {{ sign(sender.name) }}",
        encoding="utf-8",
    )
    result = one_reached("preview", "--template", str(path))
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.splitlines()[1] == (
        "王秀英你好，抱歉1-2-3 a/2 003.1 abab [('k', 'v')] 1,2,3 **x** 1024 —— 小林"
    )


def test_a_complaint_with_thousands_of_reaches_fits_the_limits() -> None:
    """The limits leave room for a complaint draft listing 3,000 reaches (330,000 characters)."""
    timeline = [
        Entry(
            at=f"2026-11-{1 + i % 28:02d}T21:{i % 60:02d}:00+08:00",
            name=f"联系人{i}",
            phone="+8613800138000",
            channel="call",
            numbers=("170 1234 5678", "170 9999 8888"),
            org="某某催收",
            note="问我认不认识他",
            night=True,
        )
        for i in range(3000)
    ]
    summary = Summary(reaches=3000, collectors=[("170 1234 5678", 3000)], first="2026-11-01")
    text = render.render(
        load_complaint("police", "zh"),
        complaints.variables(
            Evidence(timeline, summary), "zh", name="小林", platform="某某贷", today="2026-12-01"
        ),
    )
    assert (
        text.count("被电话联系，催收号码 170 1234 5678、170 9999 8888，对方自称“某某催收”") == 3000
    )
    assert len(text) > 300_000


CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # an old build fails, not the machine
from contact_notify.errors import TemplateError
from contact_notify.messages import variables
from contact_notify.model import Contact, StoredContact
from contact_notify.render import load, render
values = variables(StoredContact(1, Contact(name="王秀英", groups=["家人"])), "小林", [])
outcomes, started = [], time.monotonic()
for i, source in enumerate(json.loads(sys.argv[1])):
    path = f"{sys.argv[2]}/t{i}.j2"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(source)
    try:
        outcomes.append(render(load(path), values)[:20])
    except TemplateError as exc:
        outcomes.append("error")
    except MemoryError:
        outcomes.append("MemoryError")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcomes": outcomes, "peak": peak, "seconds": time.monotonic() - started}))
"""


def _child(sources: list[str], folder: Path) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(sources), str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(run.stdout)
    return result


def test_the_attacks_leave_memory_flat(tmp_path: Path) -> None:
    """Every attack in one process: each refused, peak memory within 100 MB of a plain render."""
    resource = pytest.importorskip("resource")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    assert resource.RUSAGE_SELF is not None
    plain = _child(["{{ contact.name }}，你好"], tmp_path)
    attacked = _child([source for source, _ in ATTACKS], tmp_path)
    assert attacked["outcomes"] == ["error"] * len(ATTACKS)
    growth = (int(str(attacked["peak"])) - int(str(plain["peak"]))) * scale
    assert growth < 100 * 2**20, f"peak memory grew by {growth / 2**20:.0f} MB"
    assert float(str(attacked["seconds"])) < 30  # each attack stops within a second or so
