"""The whole flow on the shipped examples, in a throw-away case."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contact_notify.importer import ImportReport, import_files
from contact_notify.marking import Details, MarkReport, mark
from contact_notify.messages import (
    Flag,
    Message,
    Unnamed,
    command_targets,
    compose,
    review,
    unnamed_elders,
)
from contact_notify.reach_input import parse_when, read_targets
from contact_notify.resources import shipped_dir
from contact_notify.store import Case

DEMO_SENDER = {"zh": "小林", "en": "Lin"}
DEMO_REGION = "CN"


@dataclass
class DemoResult:
    """What each step of the demo produced."""

    imported: ImportReport
    marked: MarkReport
    messages: list[Message]
    flags: list[Flag]  # what the review before sending would flag
    unnamed: list[Unnamed]  # elders addressed without a name, with the command to name them


def run(folder: Path, lang: str = "zh") -> DemoResult:
    """Import examples/contacts.vcf, mark examples/reached.txt and render the messages."""
    examples = shipped_dir("examples")
    with Case.open(folder / "demo-case.sqlite3", create=True) as case:
        with case.transaction():
            contacts = examples / "contacts.vcf"
            imported = import_files(
                case, [contacts], region=DEMO_REGION, labels={contacts: "examples/contacts.vcf"}
            )
        with case.transaction():
            marked = mark(
                case,
                read_targets(examples / "reached.txt", DEMO_REGION, "examples/reached.txt"),
                region=DEMO_REGION,
                details=Details(at=parse_when(None), source="file"),
            )
        messages = compose(case, DEMO_SENDER[lang], lang=lang)
        targets = command_targets(case, messages)
        flags, unnamed = review(messages, targets), unnamed_elders(messages, targets)
    return DemoResult(imported, marked, messages, flags, unnamed)
