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


def test_a_template_includes_a_j2_file_from_its_own_folder(tmp_path: Path) -> None:
    """The one file access a template has: another .j2 file beside it (shared parts)."""
    (tmp_path / "sign.j2").write_text("—— {{ sender.name }}", encoding="utf-8")
    path = tmp_path / "t.j2"
    path.write_text("{{ contact.name }}，你好。\n{% include 'sign.j2' %}", encoding="utf-8")
    assert render(load(str(path)), _vars()) == "王秀英，你好。\n—— 小林\n"


@pytest.mark.parametrize(
    ("include", "why"),
    [
        ("secret.txt", "a template may include only a .j2 file from its own folder"),
        ("sub/part.j2", "a template may include only a .j2 file from its own folder"),
        ("../outside.j2", "a template may include only a .j2 file from its own folder"),
        ("/etc/passwd", "a template may include only a .j2 file from its own folder"),
        (".hidden.j2", "a template may include only a .j2 file from its own folder"),
        ("link.j2", "no such .j2 file in the template's own folder"),
        ("missing.j2", "no such .j2 file in the template's own folder"),
    ],
)
def test_a_template_reads_no_other_file(tmp_path: Path, include: str, why: str) -> None:
    """Any other file, beside the template or elsewhere, is refused with the rule, never shown."""
    folder = tmp_path / "templates"
    (folder / "sub").mkdir(parents=True)
    for path in (folder / "secret.txt", folder / "sub" / "part.j2", tmp_path / "outside.j2"):
        path.write_text("SECRET", encoding="utf-8")
    (folder / ".hidden.j2").write_text("SECRET", encoding="utf-8")
    (folder / "link.j2").symlink_to(tmp_path / "outside.j2")
    path = folder / "t.j2"
    path.write_text(f"{{% include '{include}' %}}", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render(load(str(path)), _vars())
    assert caught.value.message == f"template {path}, line 1: {include!r}: {why}"


@pytest.mark.parametrize(
    "source",
    [
        "{% set _ = contact.groups.append('x') %}",
        "{{ contact.groups.clear() }}",
        "{{ contact.groups.sort(reverse=true) }}",
        "{{ collectors.pop() }}",
        "{{ collectors.extend(['x']) }}",
        "{{ collectors.insert(0, 'x') }}",
    ],
)
def test_a_template_cannot_change_the_data_it_is_given(tmp_path: Path, source: str) -> None:
    """Lists passed in are read-only: a changing method is refused by name, the list unchanged."""
    values = variables(StoredContact(1, Contact(name="王秀英", groups=["家人"])), "小林", ["1"])
    path = tmp_path / "t.j2"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render(load(str(path)), values)
    method = source.split(".")[-1].split("(")[0]
    assert caught.value.message == (
        f"template {path}, line 1: a template cannot use {method!r} of a list: only some methods "
        "of texts, lists and dicts are allowed, and the data a template gets is read-only"
    )
    assert (values["contact"].groups, values["collectors"]) == (["家人"], ["1"])
