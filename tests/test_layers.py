"""The layers of docs/architecture.md hold: the core knows no front, the fronts reach no SQL."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "contact_notify"
FRAMEWORKS = ("typer", "click", "starlette", "uvicorn", "fastapi", "flask")
# What a front may import from the project at run time (types may come from anywhere).
FRONT_MAY_USE = (
    "actions", "cli", "web", "errors", "model", "textsafe", "csvsafe", "i18n", "choices",
    "behaviours",
)  # fmt: skip


def _layer(path: Path) -> str:
    part = path.relative_to(PACKAGE).parts[0]
    if part == "__main__.py":  # python -m contact_notify: the command line's entry
        return "front"
    return {"cli": "front", "web": "front", "actions": "actions"}.get(part, "core")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import made at run time, at any depth."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _violations(path: Path) -> list[str]:
    layer = _layer(path)
    where = path.relative_to(PACKAGE)
    wrong = []
    for line, module in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        top = module.split(".")[0]
        inner = module.split(".")[1] if module.startswith("contact_notify.") else ""
        if layer != "front" and top in FRAMEWORKS:
            wrong.append(f"{where}:{line}: the {layer} imports {module}")
        if layer == "core" and inner in ("cli", "web", "actions"):
            wrong.append(f"{where}:{line}: the core imports the {inner} layer ({module})")
        if layer == "actions" and inner in ("cli", "web"):
            wrong.append(f"{where}:{line}: the use-case layer imports a front ({module})")
        if layer == "front" and (top == "sqlite3" or (inner and inner not in FRONT_MAY_USE)):
            wrong.append(f"{where}:{line}: the front imports {module}")
    return wrong


def test_every_module_keeps_to_its_layer() -> None:
    """No core module imports a front, typer or the use-case layer; fronts import no store or SQL."""
    wrong = [v for path in sorted(PACKAGE.rglob("*.py")) for v in _violations(path)]
    assert wrong == []


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        ("importer.py", "import typer\n", "importer.py:1: the core imports typer"),
        (
            "marking.py",
            "def f():\n    from contact_notify.cli import terminal\n",
            "marking.py:2: the core imports the cli layer (contact_notify.cli)",
        ),
        (
            "actions/x.py",
            "from contact_notify.cli.base import say\n",
            "actions/x.py:1: the use-case layer imports a front (contact_notify.cli.base)",
        ),
        ("cli/x.py", "import sqlite3\n", "cli/x.py:1: the front imports sqlite3"),
        (
            "cli/x.py",
            "def f():\n    from contact_notify.store import Case\n",
            "cli/x.py:2: the front imports contact_notify.store",
        ),
    ],
)
def test_the_check_finds_each_kind_of_breach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: str, source: str, expected: str
) -> None:
    """A planted import of each forbidden kind is reported with its file and line."""
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    assert _violations(path) == [expected]


def test_type_only_imports_are_allowed_in_a_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A front may name core types for annotations, under TYPE_CHECKING."""
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    path = tmp_path / "cli" / "x.py"
    path.parent.mkdir()
    path.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from contact_notify.store import Counts\n",
        encoding="utf-8",
    )
    assert _violations(path) == []
