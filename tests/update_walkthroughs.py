"""Rewrite the output in the READMEs' walk-throughs from what the tool prints now.

    .venv/bin/python tests/update_walkthroughs.py          # both READMEs
    .venv/bin/python tests/update_walkthroughs.py --check  # exit 1 if one would change

tests/test_readme.py and tests/test_readme_zh.py compare each walk-through
with a real run; after a deliberate change of wording, run this, read the
diff, and commit it.  It runs the commands as those tests do: in a temporary
folder holding ``examples/``, a case of its own, 100 columns, China's time
zone, and the README's interface language.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# (file, heading of the walk-through, interface language, how the case path is shown)
WALKTHROUGHS = (
    ("README.md", "## Walk-through", "en", None),
    (
        "README.zh-CN.md",
        "## 完整示例",
        "zh",
        r"C:\Users\小林\.local\share\contact-notify\case.sqlite3",
    ),
)


def _block(text: str, heading: str) -> tuple[int, int]:
    """Start and end offsets of the ```console block under ``heading``."""
    start = text.index(heading + "\n")
    start = text.index("```console\n", start) + len("```console\n")
    return start, text.index("```", start)


def rerun(block: str, lang: str, shown_case: str | None) -> str:
    """The block with each command's output replaced by what the tool prints now."""
    from typer.testing import CliRunner

    from contact_notify import i18n
    from contact_notify.cli import app

    chunks = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "examples").symlink_to(ROOT / "examples")
        case = folder / "case" / "case.sqlite3"
        old_cwd = Path.cwd()
        os.chdir(folder)
        os.environ.update(
            {"CONTACT_NOTIFY_CASE": str(case), "COLUMNS": "100", "TZ": "Asia/Shanghai"}
        )
        time.tzset()
        os.environ[i18n.ENV] = lang
        i18n.reset()
        try:
            out = []
            for chunk in chunks:
                command, _, old = chunk.partition("\n")
                result = CliRunner().invoke(app, shlex.split(command)[1:], env={"COLUMNS": "100"})
                if result.exit_code != 0:
                    raise SystemExit(f"{command!r} exited {result.exit_code}:\n{result.output}")
                output = result.output
                if shown_case is not None:
                    output = output.replace(str(case), shown_case)
                else:  # keep the README's own case line
                    kept = re.search(r"^case: .*$", old, flags=re.MULTILINE)
                    if kept:
                        line = kept.group(0)
                        output = re.sub(
                            r"^case: .*$", lambda _m, line=line: line, output, flags=re.M
                        )
                out.append(f"$ {command}\n{output}")
            return "".join(out)
        finally:
            os.chdir(old_cwd)


def main(argv: list[str]) -> int:
    """Rewrite (or with --check, compare) every walk-through; exit 1 if one differs."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    from hatch_build import compile_catalogs  # the catalogs as the .po files are now

    compile_catalogs(ROOT / "src" / "contact_notify" / "locale")
    changed = []
    for name, heading, lang, shown_case in WALKTHROUGHS:
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        start, end = _block(text, heading)
        new = rerun(text[start:end], lang, shown_case)
        if new != text[start:end]:
            changed.append(name)
            if "--check" not in argv:
                path.write_text(text[:start] + new + text[end:], encoding="utf-8")
    print("changed: " + ", ".join(changed) if changed else "no change")
    return 1 if changed and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
