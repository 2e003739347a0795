"""Text, path and number options convert without pydantic, exactly as typer's own would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer import _coercion
from typer._click.core import Command, Context, Parameter

from contact_notify.cli import app, coercion


def _parameters() -> Iterator[tuple[str, Parameter]]:
    """Every parameter of the command tree, named by its command path."""

    def walk(command: Command, path: str) -> Iterator[tuple[str, Parameter]]:
        for param in command.params:
            yield f"{path} {param.name}", param
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")

    yield from walk(typer.main.get_command(app), "contact-notify")


PARAMETERS = list(_parameters())
SAMPLES: dict[Any, list[Any]] = {
    str: ["", "小林", "a b", "-", "id:3"],
    bool: [True, False],
    Path: ["", "out.csv", "-", "目录/通讯录 1.vcf", Path("x.vcf"), "/"],
    int: ["1", "3", "12", 5, "8080"],  # within every number option's range (min 1 at most)
}


def _samples(annotation: Any) -> list[Any]:
    many = getattr(annotation, "__origin__", None) is list
    item = annotation.__args__[0] if many else annotation
    values = SAMPLES.get(item, [])
    return [tuple(values[:3]), ()] if many else values


def test_text_path_and_flag_options_use_the_plain_converter() -> None:
    """Every str, bool and Path option (and list of them) of the tree gets the plain converter."""
    plain = [name for name, _p in PLAIN]
    kinds = {
        str(p.type_descriptor.annotation)  # type: ignore[attr-defined]
        for _n, p in PARAMETERS
        if coercion.plain(p.type_descriptor) is None  # type: ignore[attr-defined]
    }
    assert len(plain) >= 80
    # Nothing is left to typer (and pydantic) unless written oddly: no command loads it.
    assert kinds == set()


PLAIN = [(n, p) for n, p in PARAMETERS if coercion.plain(p.type_descriptor) is not None]  # type: ignore[attr-defined]


def _converters(param: Parameter) -> tuple[Any, Any, Any, Context]:
    """An option's type descriptor, our plain converter, typer's own, and a context."""
    descriptor = param.type_descriptor  # type: ignore[attr-defined]
    ours = coercion.plain(descriptor)
    assert ours is not None
    return (
        descriptor,
        ours,
        _coercion.build_runtime_param(descriptor),
        Context(typer.main.get_command(app)),
    )


@pytest.mark.parametrize(("name", "param"), PLAIN, ids=[n for n, _p in PLAIN])
def test_plain_conversion_equals_typers_own(name: str, param: Parameter) -> None:
    """For each option it takes, the plain converter returns what typer's converter returns."""
    descriptor, ours, theirs, ctx = _converters(param)
    for value in _samples(descriptor.annotation):
        assert ours.coerce(value, param, ctx) == theirs.coerce(value, param, ctx), value  # type: ignore[arg-type]
        assert type(ours.coerce(value, param, ctx)) is type(theirs.coerce(value, param, ctx))  # type: ignore[arg-type]
    assert ours.coerce(None, param, ctx) == theirs.coerce(None, param, ctx)  # type: ignore[arg-type]


NUMBERS = [(n, p) for n, p in PLAIN if "int" in str(p.type_descriptor.annotation)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "param"), NUMBERS, ids=[n for n, _p in NUMBERS])
def test_odd_or_out_of_range_numbers_get_typers_own_answer(name: str, param: Parameter) -> None:
    """A number out of range or oddly written converts, or is refused, as typer does it."""
    descriptor, ours, theirs, ctx = _converters(param)
    many = "list" in str(descriptor.annotation)
    for value in ["0", "-1", "+3", "007", "1_000", "abc", "3.0", " 4", "", "९", 10**30]:
        given: Any = (value,) if many else value
        answers = []
        for converter in (ours, theirs):
            try:
                answers.append(("value", converter.coerce(given, param, ctx)))  # type: ignore[arg-type]
            except Exception as exc:  # compared below, whatever it is
                answers.append(("error", f"{type(exc).__name__}: {exc}"))
        assert answers[0] == answers[1], value


def test_an_unreadable_path_is_refused_as_typer_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain converter keeps typer's check that an existing path can be read."""
    import os

    locked = tmp_path / "locked.vcf"
    locked.write_text("x")
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as for a file not ours
    param = next(p for n, p in PARAMETERS if n == "contact-notify import files")
    ctx = Context(typer.main.get_command(app))
    ours = coercion.plain(param.type_descriptor)  # type: ignore[attr-defined]
    assert ours is not None
    with pytest.raises(Exception, match="is not readable"):
        ours.coerce((str(locked),), param, ctx)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", [["status"], ["preview"], ["preview", "--limit", "3"]])
def test_commands_do_not_load_pydantic(tmp_path: Path, command: list[str]) -> None:
    """status, and preview with its number option given or not, run without importing pydantic."""
    case = tmp_path / "case.sqlite3"
    code = (
        "import sys\n"
        "from contact_notify.cli import app\n"
        f"assert app(['--case', {str(case)!r}, 'config', 'sender', 'x'], standalone_mode=False) == 0\n"
        f"assert app(['--case', {str(case)!r}, *{command!r}], standalone_mode=False) == 0\n"
        "print('pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "False"
