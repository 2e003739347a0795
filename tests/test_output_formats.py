"""Which format an export or the evidence kit is written in: --format, else the file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_notify import evidence, exporters
from contact_notify.errors import UsageError


@pytest.mark.parametrize(
    ("name", "given", "expected"),
    [
        ("messages.csv", None, "csv"),
        ("CONTACTS.VCF", None, "vcf"),
        ("send.htm", None, "html"),
        ("drafts", None, "eml"),
        ("notes.csv", "vcf", "vcf"),
        ("send.html", "eml", "eml"),
    ],
)
def test_an_export_format_comes_from_the_option_or_the_name(
    tmp_path: Path, name: str, given: str | None, expected: str
) -> None:
    """--format wins; else the extension in any case (.htm too); a name without one is drafts."""
    assert exporters.FORMATS.choose(tmp_path / name, given) == expected


def test_an_existing_folder_is_exported_as_email_drafts(tmp_path: Path) -> None:
    """A folder that exists gets e-mail drafts, even when its name looks like a file's."""
    folder = tmp_path / "send.csv.d"
    folder.mkdir()
    assert exporters.FORMATS.choose(folder, None) == "eml"


@pytest.mark.parametrize(
    ("name", "given", "message", "hint"),
    [
        (
            "notes.txt",
            None,
            "cannot tell the format of notes.txt",
            "end it in .csv, .vcf or .html, give a folder for e-mail drafts, or use --format",
        ),
        ("out.csv", "xlsx", "unknown format 'xlsx'", "use csv, vcf, html or eml"),
        ("out.csv", "md", "unknown format 'md'", "use csv, vcf, html or eml"),
    ],
)
def test_an_export_format_that_cannot_be_told_is_a_usage_error(
    tmp_path: Path, name: str, given: str | None, message: str, hint: str
) -> None:
    """An unknown extension or --format is refused with what to write instead."""
    with pytest.raises(UsageError) as caught:
        exporters.FORMATS.choose(tmp_path / name, given)
    assert (caught.value.message, caught.value.hint) == (message, hint)


@pytest.mark.parametrize(
    ("name", "given", "expected"),
    [
        ("kit.md", None, "md"),
        ("kit.Markdown", None, "md"),
        ("kit.HTM", None, "html"),
        ("kit.csv", None, "csv"),
        ("kit.txt", "html", "html"),
    ],
)
def test_an_evidence_format_comes_from_the_option_or_the_name(
    tmp_path: Path, name: str, given: str | None, expected: str
) -> None:
    """--format wins; else .md or .markdown, .csv, .html or .htm, in any case."""
    assert evidence.FORMATS.choose(tmp_path / name, given) == expected


@pytest.mark.parametrize(
    ("name", "given", "message", "hint"),
    [
        (
            "kit",
            None,
            "cannot tell the format from the file name",
            "end it in .md, .csv, .html or .zip, or give --format",
        ),
        (
            "kit.vcf",
            None,
            "cannot tell the format from the file name",
            "end it in .md, .csv, .html or .zip, or give --format",
        ),
        (
            "kit.md",
            "eml",
            "unknown format 'eml'",
            "use md, csv or html (or zip or folder for a bundle with the files)",
        ),
    ],
)
def test_an_evidence_format_that_cannot_be_told_is_a_usage_error(
    tmp_path: Path, name: str, given: str | None, message: str, hint: str
) -> None:
    """A name without an extension is refused: a folder bundle is asked for by --format folder."""
    with pytest.raises(UsageError) as caught:
        evidence.FORMATS.choose(tmp_path / name, given)
    assert (caught.value.message, caught.value.hint) == (message, hint)
