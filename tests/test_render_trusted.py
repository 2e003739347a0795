"""Built-in templates render outside the sandbox, exactly as they would inside it.

The sandbox (:mod:`contact_notify.sandbox`) bounds what a template from a file
may do; the built-in templates are the tool's own, so ``render.load`` compiles
them in :class:`contact_notify.sandbox.Trusted` and renders them the short way
(issue 16).  These tests hold the two ways to the same text, and a file's
template to the sandbox.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from contact_notify import render as render_module
from contact_notify import template_limits
from contact_notify.errors import TemplateError
from contact_notify.render import Vars, builtin_dir, builtin_names, load, render
from contact_notify.sandbox import Sandbox, Trusted

# Values that test every branch of the built-ins: empty, plain, long, hostile.
_TEXTS = ["", "李四", "王总", "Bob O'Neil", "{{ 7*7 }}", "=HYPERLINK(1)", "<b>x</b>", "妈" * 300]
_NUMBERS = ["170 0000 0001", "+852 9123 4567", "021 6543 2100", "{% raw %}"]


def _values(rng: random.Random) -> dict[str, Any]:
    """One random set of the documented template variables (docs/templates.md)."""

    def text() -> str:
        return rng.choice(_TEXTS)

    return {
        "contact": Vars(
            "contact", name=text(), family=text(), given=text(), nickname=text(),
            salutation=text(), relationship=rng.choice(render_module.RELATIONSHIPS),
            org=text(), groups=rng.sample(_TEXTS, rng.randint(0, 3)), phone=rng.choice(_NUMBERS),
        ),
        "sender": Vars("sender", name=text(), short=text(), contact=text()),
        "reach": Vars(
            "reach", at=rng.choice(["", "2026-11-27T21:30:00+08:00", "2026-11-27"]),
            date=rng.choice(["", "2026-11-27"]), by=rng.choice(["", *_NUMBERS]), note=text(),
            count=rng.randint(0, 5),
        ),
        "collectors": rng.sample(_NUMBERS, rng.randint(0, len(_NUMBERS))),
    }  # fmt: skip


def _sandboxed(name: str) -> render_module.Template:
    """The built-in template ``name`` compiled the way a file's template is: in the sandbox."""
    return render_module._compile(name, builtin_dir() / f"{name}.j2")


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_renders_alike_in_and_out_of_the_sandbox(name: str) -> None:
    """Every built-in template writes the same text by the short way as in the sandbox."""
    trusted = load(name)
    sandboxed = _sandboxed(name)
    assert isinstance(trusted.compiled.environment, Trusted)
    assert isinstance(sandboxed.compiled.environment, Sandbox)
    rng = random.Random(name)  # noqa: S311 -- test data, not a secret
    for _round in range(40):
        values = _values(rng)
        assert render(trusted, values) == render(sandboxed, values)


def test_a_file_template_always_renders_in_the_sandbox(tmp_path: Path) -> None:
    """A template from a file, even a copy of a built-in, is compiled in the sandbox."""
    path = tmp_path / "default.sms.zh.j2"
    path.write_bytes((builtin_dir() / "default.sms.zh.j2").read_bytes())
    loaded = load(str(path))
    assert isinstance(loaded.compiled.environment, Sandbox)
    assert loaded.trusted_globals is None


def test_the_sandbox_still_stops_a_file_template(tmp_path: Path) -> None:
    """The sandbox's limits still hold for a file: a huge repeat is refused, not built."""
    path = tmp_path / "mine.j2"
    path.write_text('{{ "x" * 10**9 }}')
    with pytest.raises(TemplateError, match="over the limit"):
        render(load(str(path)), {})


def _trusted_file(tmp_path: Path, text: str) -> render_module.Template:
    path = tmp_path / "mine.j2"
    path.write_text(text)
    return render_module._compile("mine", path, trusted=True)


def test_trusted_failure_names_the_line(tmp_path: Path) -> None:
    """An error in a template rendered the short way still names its template and line."""
    template = _trusted_file(tmp_path, "你好\n\n{{ contact.nmae }}\n")
    with pytest.raises(TemplateError) as caught:
        render(template, {"contact": Vars("contact", name="李四")})
    assert caught.value.message == "template mine, line 3: undefined variable 'contact.nmae'"


def test_trusted_render_keeps_the_text_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text over the limit is refused as the sandbox refuses it, with the template's line."""
    monkeypatch.setattr(template_limits, "LIMITS", template_limits.Limits(text=50))
    template = _trusted_file(tmp_path, "你好\n{{ contact.name }}")
    assert (
        render(template, {"contact": Vars("contact", name="x" * 47)}) == "你好\n" + "x" * 47 + "\n"
    )
    with pytest.raises(TemplateError) as caught:
        render(template, {"contact": Vars("contact", name="x" * 49)})
    assert caught.value.message == (
        "template mine, line 2: the text it writes is longer than the limit of 50 characters"
    )


def _error(template: render_module.Template, values: dict[str, Any]) -> str:
    with pytest.raises(TemplateError) as caught:
        render(template, values)
    return caught.value.message


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("default.sms.zh", {"sender": Vars("sender", name="x" * 2_000_001, short="x" * 2_000_001)}),
        ("before-colleague.email.en", {"collectors": [str(i) for i in range(100_001)]}),
        ("before-colleague.email.en", {"collectors": ["1" * 1_000_001, "2" * 1_000_001]}),
    ],
)
def test_huge_values_meet_the_sandboxs_limits(name: str, values: dict[str, Any]) -> None:
    """Values far beyond a message's render in the sandbox: the same refusal, line included."""
    rng = random.Random(name)  # noqa: S311 -- test data, not a secret
    full = _values(rng) | values
    trusted = _error(load(name), full)
    assert trusted == _error(_sandboxed(name), full)
    assert ", line " in trusted


def test_ordinary_values_never_reach_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    """Values of a message's size render by the short way: the sandbox is never asked."""

    def refuse(name: str, path: Path) -> None:
        raise AssertionError(f"{name} was rendered in the sandbox")

    monkeypatch.setattr(render_module, "_sandboxed", refuse)
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    for name in builtin_names():
        render(load(name), _values(rng))


def test_built_ins_render_without_a_jinja_context_per_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A built-in's short way builds no Jinja Context (it took as long as the template)."""
    import jinja2.runtime

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a Jinja context was built")

    rng = random.Random(17)  # noqa: S311 -- test data, not a secret
    loaded = [load(name) for name in builtin_names()]
    monkeypatch.setattr(jinja2.runtime.Context, "__init__", refuse)
    monkeypatch.setattr(render_module, "_sandboxed", refuse)
    for template in loaded:
        assert render(template, _values(rng)).strip()


def test_ordinary_size_is_counted_over_every_value() -> None:
    """Texts and items are counted across namespaces and lists; anything else is not ordinary."""
    chars, items = render_module.ORDINARY_CHARS, render_module.ORDINARY_ITEMS
    half = "x" * (chars // 2)
    # A namespace's label counts too: "a" (1) + half + half less one = the bound itself.
    assert render_module._ordinary({"a": Vars("a", b=half), "c": [half[:-1]]})
    assert not render_module._ordinary({"a": Vars("a", b=half), "c": [half]})
    assert render_module._ordinary({"collectors": ["1"] * items, "n": 3, "none": None})
    assert not render_module._ordinary({"collectors": ["1"] * (items + 1)})
    assert not render_module._ordinary({"odd": object()})


def _shape(rng: random.Random, depth: int = 0) -> Any:
    """A random value: texts of every size, numbers, None, lists, tuples, namespaces, others."""
    kind = rng.randrange(11 if depth < 3 else 6)
    if kind == 0:
        return "x" * rng.choice([0, 1, 7, 30_000, 60_000, 100_001])
    if kind == 1:
        return rng.choice([0, 3, -1, 2.5, True, None])
    if kind == 2:
        return rng.choice([object(), b"bytes", {"k": "v"}, {1, 2}])
    if kind == 3:
        return type("Text", (str,), {})("y" * rng.choice([1, 60_000]))  # a str subclass
    if kind in (4, 5):
        return ["z" * rng.choice([1, 40_000])] * rng.choice([0, 1, 2, 400, 1_001])
    if kind == 6:
        return [_shape(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 7:
        return tuple(_shape(rng, depth + 1) for _ in range(rng.randrange(4)))
    return Vars(
        rng.choice(["contact", "reach", ""]),
        **{f"v{i}": _shape(rng, depth + 1) for i in range(rng.randrange(5))},
    )


def test_ordinary_agrees_with_walking_every_value() -> None:
    """The direct measure of a message's shapes answers as walking every value does."""
    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    answers = set()
    for _ in range(5_000):
        values = {f"k{i}": _shape(rng) for i in range(rng.randrange(1, 6))}
        expected = render_module._measured(values)
        assert render_module._ordinary(values) == expected, values.keys()
        answers.add(expected)
    assert answers == {True, False}


def test_a_messages_values_are_counted_as_the_render_measures_them() -> None:
    """compose hands the render the size of each message's values, counted while they are
    made: it is the size render.measure counts over them, huge values and empty ones alike,
    so a message with a value too large still renders in the sandbox."""
    from contact_notify.messages import _variables
    from contact_notify.model import Contact, LastReach, Phone, StoredContact

    rng = random.Random(16)  # noqa: S311 -- test data, not a secret
    texts = [*_TEXTS, "x" * (render_module.ORDINARY_CHARS + 1)]
    outside = 0
    for i in range(400):
        contact = Contact(
            rng.choice(texts), rng.choice(texts), rng.choice(texts), rng.choice(texts),
            rng.choice(texts), groups=rng.sample(texts, rng.randint(0, 3)),
            phones=[Phone("13800138000", "mobile", "+8613800138000")] if i % 3 else [],
        )  # fmt: skip
        reach = (
            LastReach(i, rng.choice(["2026-11-27T21:30:00+08:00", "2026-11-27"]),
                      ("+8617000000999",), rng.choice(texts))
            if i % 4 else None
        )  # fmt: skip
        stored = StoredContact(i, contact, 1 if reach else 0, reach, salutation=rng.choice(texts))
        collectors = ["+8617000000999", "+85291234567"][: rng.randint(0, 2)] * rng.choice([1, 600])
        values, size = _variables(
            stored, rng.choice(texts), collectors, sender_short=rng.choice(["", *texts])
        )
        assert size == render_module.measure(values), i
        outside += not render_module._within(size)
    assert outside > 50, outside


def test_trusted_templates_have_the_sandboxs_filters_and_globals(tmp_path: Path) -> None:
    """The short way offers a built-in no filter, test or global the sandbox does not offer."""
    trusted = load("default").compiled.environment
    sandboxed = _sandboxed("default.sms.zh").compiled.environment
    assert set(trusted.filters) == set(sandboxed.filters)
    assert set(trusted.tests) == set(sandboxed.tests)
    assert set(trusted.globals) == set(sandboxed.globals)
    assert "lipsum" not in trusted.globals
