"""Exports interrupted by a crash: finished when their output is whole, else undone.

An export is recorded in the case (state "writing") before its output is put
under its name, and marked done after (see ``exporters.export``).  This module,
light enough for every command to run on opening a case, settles the ones a
kill left in between, so the case and the files agree again.
"""

from __future__ import annotations

from pathlib import Path

from contact_notify.errors import OutputError
from contact_notify.fileio import (
    Staged,
    digest_of,
    discard,
    is_staging_for,
    publish,
    published,
)
from contact_notify.i18n import _
from contact_notify.store import Case


def recover(case: Case) -> list[str]:
    """Finish or undo exports a crash interrupted; return what was done, for the user.

    An export recorded but not marked done is finished when its output is in
    place (or still waits, whole, beside it: it is then put in place), and
    forgotten with its messages when neither is there; what it left aside is
    removed.  Only names the tool itself gives its hidden outputs are ever
    touched: a record naming any other file (a case edited by hand, or not
    ours) is forgotten without touching a file.
    """
    done = []
    for export_id, path, staging, folder, digest, force in case.unfinished_exports():
        staged = Staged(Path(path), Path(staging), digest, folder=folder)
        if not is_staging_for(staged.staging, staged.final):
            done.append(
                _("ignored a recorded export to {path} whose files are not the tool's").format(
                    path=path
                )
            )
        elif digest and _finish(staged, force):
            with case.transaction():
                case.finish_export(export_id)
            done.append(_("finished an interrupted export to {path}").format(path=path))
            continue
        else:
            discard(staged)
            done.append(
                _("undid an interrupted export to {path} (nothing of it was written)").format(
                    path=path
                )
            )
        with case.transaction():
            case.drop_export(export_id)
    return done


def _finish(staged: Staged, force: bool) -> bool:
    """Put a staged output that waits whole in place; True when it is in place now."""
    try:
        if not published(staged) and digest_of(staged.staging, staged.folder) == staged.digest:
            publish(staged, force=force)
    except OutputError:
        pass
    if published(staged):
        discard(staged)
        return True
    return False
