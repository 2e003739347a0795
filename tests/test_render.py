"""Templates render strictly; errors name the template, line and variable.

(Sandbox escapes are proved in test_sandbox.py, the built-in library in test_template_library.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_notify.errors import TemplateError
from contact_notify.render import Vars, load, render

from conftest import EXAMPLES, Run


def _vars() -> dict[str, object]:
    return {
        "contact": Vars("contact", name="李四", salutation="李四"),
        "sender": Vars("sender", name="小林"),
    }


def test_misspelt_variable_names_variable_template_and_line(tmp_path: Path) -> None:
    """An undefined attribute is reported as contact.nmae, with the template path and line."""
    path = tmp_path / "mine.j2"
    path.write_text("你好，\n{{ contact.nmae }}，我是{{ sender.name }}\n")
    with pytest.raises(TemplateError) as caught:
        render(load(str(path)), _vars())
    assert caught.value.message == f"template {path}, line 2: undefined variable 'contact.nmae'"


def test_unknown_top_level_variable(tmp_path: Path) -> None:
    """An unknown top-level name is reported by name."""
    path = tmp_path / "mine.j2"
    path.write_text("{{ sendr.name }}")
    with pytest.raises(TemplateError, match=r"line 1: undefined variable 'sendr'"):
        render(load(str(path)), _vars())


def test_syntax_error_names_line(tmp_path: Path) -> None:
    """A syntax error names the template and its line."""
    path = tmp_path / "bad.j2"
    path.write_text("ok\n{% if contact.name %}\nno endif\n")
    with pytest.raises(TemplateError) as caught:
        load(str(path))
    assert caught.value.message.startswith(f"template {path}, line 3: Unexpected end of template")


def test_unknown_builtin_lists_the_known_ones() -> None:
    """An unknown template name is an error whose hint lists the relationships and where to look."""
    with pytest.raises(TemplateError) as caught:
        load("nosuch")
    assert (caught.value.message, caught.value.hint) == (
        "no built-in template named 'nosuch'",
        "relationships: family-elder, family-peer, friend, colleague, superior, default; "
        "see contact-notify templates list, or give the path of a .j2 file",
    )


def test_cli_misspelt_variable_exit_code_and_one_message(cli: Run, tmp_path: Path) -> None:
    """preview with a misspelt variable exits 4 with one message naming it, and no traceback."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("mark", "13800138000")
    path = tmp_path / "mine.j2"
    path.write_text("{{ contact.salutaton }}，您好")
    result = cli("preview", "--template", str(path), "--sender", "小林")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == (
        f"error: template {path}, line 1: undefined variable 'contact.salutaton'\n"
        "hint: see docs/templates.md for the variables a template can use\n"
    )
    assert "Traceback" not in result.output


def test_english_default_template(cli: Run) -> None:
    """The English default greets by given name and says the debt is the sender's own."""
    cli("import", str(EXAMPLES / "contacts.vcf"))
    cli("mark", "+852 9123 4567")
    out = cli("preview", "--lang", "en", "--sender", "Lin").stdout
    assert "Hi Emily, it's Lin. Sorry for the trouble" in out
    assert "about my own debt. You owe nothing" in out
