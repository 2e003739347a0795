"""One notice for many: a text for WeChat Moments (朋友圈) or a group chat, naming nobody.

The built-in texts are ``templates/broadcast/{moments|group}.{zh|en}.j2``
(kept apart from the per-contact library, like the complaint drafts: they
see no contact).  A notice sees one variable, ``sender`` (``name``, the
signature, and ``short``); it never sees a contact, so it cannot name one.
Every notice says that people may get calls about the sender's debt, that
it is not theirs, not to give out any information, that they may block and
report the number, and to send a screenshot or the time if called.

A Moments post longer than :data:`MOMENTS_LIMIT` characters is flagged:
WeChat shows the first few lines of a post and folds the rest behind 全文
("Full text"), so a long notice is read by few.  The limits are ours, a rule
of thumb (about a dozen lines on a phone), not WeChat's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contact_notify.errors import TemplateError, UsageError
from contact_notify.i18n import _
from contact_notify.render import (
    SUFFIX,
    Vars,
    builtin_dir,
    check_language,
    compile_file,
    render,
)

KINDS = ("moments", "group")
# Characters (a Chinese character, a letter, a space: one each) above which a Moments post is flagged.
MOMENTS_LIMIT = {"zh": 200, "en": 500}


@dataclass(frozen=True)
class Notice:
    """A rendered notice, ready to copy, and whether it is too long for where it goes."""

    text: str  # the notice, ending with one line feed
    kind: str  # moments | group
    lang: str
    template: str  # the built-in name (broadcast/moments.zh) or the file given
    signature: str  # the name it is signed with
    limit: int | None  # characters; None: no limit for this kind

    @property
    def length(self) -> int:
        """The notice's length in characters, as the limit counts them."""
        return len(self.text.rstrip("\n"))

    @property
    def too_long(self) -> bool:
        """Over the limit for where it goes."""
        return self.limit is not None and self.length > self.limit


def check_kind(kind: str) -> str:
    """The kind of notice asked for (``moments`` or ``group``), or a usage error."""
    if kind not in KINDS:
        raise UsageError(
            _("unknown place {value} for a notice").format(value=repr(kind)),
            hint=_("use --for moments (朋友圈) or --for group (群)"),
        )
    return kind


def builtin_path(kind: str, lang: str) -> Path:
    """The built-in template of a kind of notice in a language."""
    return builtin_dir() / "broadcast" / f"{kind}.{lang}{SUFFIX}"


def compose(
    kind: str, lang: str, signature: str, *, short: str = "", template: Path | None = None
) -> Notice:
    """Render the notice for ``kind`` in ``lang``, signed ``signature``.

    ``template`` is the user's own ``.j2`` file, rendered in the same sandbox
    with the same single variable.
    """
    check_kind(kind)
    check_language(lang)
    if template is not None:
        if not template.is_file():
            raise TemplateError(_("template file {path} not found").format(path=template))
        name, path = str(template), template.resolve()
    else:
        name, path = f"broadcast/{kind}.{lang}", builtin_path(kind, lang)
    compiled = compile_file(name, path)
    values = {"sender": Vars("sender", name=signature, short=short or signature)}
    text = render(compiled, values)
    limit = MOMENTS_LIMIT[lang] if kind == "moments" else None
    return Notice(text, kind, lang, name, signature, limit)
