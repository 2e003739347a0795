"""The message catalog is complete: every word the interface says has its Chinese, and no word escapes it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import catalog_check as check

PO_HEADER = """msgid ""
msgstr ""
"Language: zh_CN\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

"""


def _sample(tmp_path: Path, source: str, po: str) -> tuple[list[str], list[str]]:
    """Check a one-file source against a one-file catalog: (catalog problems, unmarked literals)."""
    module = tmp_path / "sample.py"
    module.write_text(textwrap.dedent(source), encoding="utf-8")
    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "sample.po").write_text(PO_HEADER + textwrap.dedent(po), encoding="utf-8")
    found = check.problems(check.extract([module]), check.catalog(folder))
    unmarked = [line.split(": ", 1)[1] for line in check.unmarked_literals([module], tmp_path)]
    return found, unmarked


def test_every_message_has_a_chinese_translation() -> None:
    """Each marked string and each help text has a Chinese entry that is neither empty nor fuzzy."""
    found = check.problems(check.needed(), check.catalog(), stale=False)
    assert found == []


def test_no_catalog_entry_is_stale() -> None:
    """Every .po entry is still said somewhere: a changed English text leaves no dead translation."""
    found = [p for p in check.problems(check.needed(), check.catalog()) if p.startswith("stale")]
    assert found == []


def test_no_user_facing_literal_escapes_the_catalog() -> None:
    """No string literal reaches the printing or error helpers without going through _()."""
    assert list(check.unmarked_literals(check.source_files())) == []


def test_a_new_untranslated_string_is_caught(tmp_path: Path) -> None:
    """A sample with a translated, an untranslated, a fuzzy and a stale entry gets each reported."""
    found, _ = _sample(
        tmp_path,
        """
        from contact_notify.i18n import _, N_, ngettext
        _("imported {count} contacts")
        _("a brand-new sentence nobody translated")
        N_("a fuzzy one")
        ngettext("{n} file", "{n} files", 2)
        """,
        """
        msgid "imported {count} contacts"
        msgstr "导入了 {count} 个联系人"

        #, fuzzy
        msgid "a fuzzy one"
        msgstr "模糊"

        msgid "{n} file"
        msgid_plural "{n} files"
        msgstr[0] "{n} 个文件"

        msgid "said nowhere any more"
        msgstr "已不再使用"
        """,
    )
    assert found == [
        "untranslated: 'a brand-new sentence nobody translated' (needed at sample.py:4)",
        "fuzzy: 'a fuzzy one' (sample.po:12)",
        "stale: 'said nowhere any more' (sample.po:19) is no longer in the source",
    ]


def test_a_translation_must_keep_the_placeholders(tmp_path: Path) -> None:
    """A translation that drops or renames a {placeholder} is reported (it would crash at run time)."""
    found, _ = _sample(
        tmp_path,
        """
        from contact_notify.i18n import _
        _("cannot open {path}")
        """,
        """
        msgid "cannot open {path}"
        msgstr "无法打开 {file}"
        """,
    )
    assert found == [
        "placeholders differ: 'cannot open {path}' (sample.po:8): ['file'] != ['path']"
    ]


def test_unmarked_literals_are_found(tmp_path: Path) -> None:
    """Literals, f-strings and "…".format given to say, errors and hints unmarked are each found."""
    _, unmarked = _sample(
        tmp_path,
        """
        from contact_notify.i18n import _
        say("imported the file")
        say(f"imported {n} contacts")
        raise UsageError(_("fine"), hint="use --force to replace it")
        notify("skipped {n} rows".format(n=3))
        say(_("marked {n}").format(n=3))
        say(f"{name}")
        say("---")
        """,
        "",
    )
    assert unmarked == [
        "'imported the file'",
        "f'imported {n} contacts'",
        "'use --force to replace it'",
        "'skipped {n} rows'.format(n=3)",
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_compiled_catalog_is_the_one_loaded(lang: str) -> None:
    """The interface says a frame word in the language asked for, from the compiled catalog."""
    from contact_notify import i18n

    with i18n.using(lang):
        assert i18n.gettext("Options") == {"zh": "选项", "en": "Options"}[lang]
