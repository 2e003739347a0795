"""A user template cannot read files, reach Python internals or run code."""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_notify.errors import TemplateError
from contact_notify.messages import variables
from contact_notify.model import Contact, StoredContact
from contact_notify.render import load, render

ESCAPES = [
    "{{ contact.__class__ }}",
    "{{ contact.__class__.__mro__[1].__subclasses__() }}",
    "{{ contact.__dict__ }}",
    "{{ contact.__init__.__globals__ }}",
    "{{ collectors.__class__.__base__.__subclasses__() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ config }}",
    "{{ request }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ range(10**9) | list | length }}",
    "{{ contact.name.format.__globals__ }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(contact) }}",
    "{{ '{x.__class__}'.format_map({'x': contact}) }}",
    "{{ (contact.name | attr('__class__')) }}",
    "{% set x = contact.__class__ %}{{ x }}",
]


def _vars() -> dict[str, object]:
    return variables(StoredContact(1, Contact(name="王秀英")), "小林", [])


@pytest.mark.parametrize("source", ESCAPES)
def test_known_escapes_fail_cleanly(tmp_path: Path, source: str) -> None:
    """Each known escape is refused with a TemplateError (or renders to nothing harmful)."""
    path = tmp_path / "evil.j2"
    path.write_text(source)
    try:
        text = render(load(str(path)), _vars())
    except TemplateError as exc:
        message = exc.message
    else:
        message = ""
    if message:
        assert message.startswith(f"template {path}")
        return
    # Whatever renders must not expose internals or results of code.
    for leak in ("<class", "uid=", "root:", "__builtins__", "<function", "<built-in", "subprocess"):
        assert leak not in text, (source, text)


def test_templates_cannot_read_files_next_to_them(tmp_path: Path) -> None:
    """An include of a file beside the template is only another template, never an arbitrary path."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    path = tmp_path / "t.j2"
    path.write_text("{% include '../../../../../../etc/hostname' %}")
    with pytest.raises(TemplateError):
        render(load(str(path)), _vars())
