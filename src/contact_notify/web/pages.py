"""The local app's pages: each request becomes one call to :mod:`contact_notify.actions`.

One page per step of the job (Start, Import, Reached, People, Messages, Send,
Evidence), the status always on top.  A handler reads the form (its CSRF token
checked), makes one action call and renders the result; every
:class:`~contact_notify.errors.AppError` becomes the same error box, in one
place (:func:`_view`), and anything unexpected a page that holds no data.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from contact_notify.actions import care, sending
from contact_notify.actions import contacts as people_actions
from contact_notify.actions import evidence as evidence_actions
from contact_notify.actions import messages as message_actions
from contact_notify.actions import reaches as reach_actions
from contact_notify.actions import templates as template_actions
from contact_notify.actions.session import Session, failure_for
from contact_notify.errors import UsageError
from contact_notify.i18n import LANGUAGES, N_, _, gettext, language, ngettext, using
from contact_notify.web import guard
from contact_notify.web.guard import Guard, Secret

if TYPE_CHECKING:
    import jinja2

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
STATIC = HERE / "static"
LANG_COOKIE = "contact_notify_lang"

# The steps of the job, in order: (path, name in the navigation).
STEPS = (
    ("/", N_("Start")),
    ("/import", N_("Import")),
    ("/reached", N_("Who was reached")),
    ("/people", N_("People")),
    ("/messages", N_("Messages")),
    ("/send", N_("Send")),
    ("/evidence", N_("Evidence")),
)
# The language of the messages (the command line's --lang default), not the interface's.
MESSAGE_LANG = "zh"
MAX_FILES = 20  # files in one upload
MAX_FIELDS = 5000  # form fields (the Reached page ticks contacts)


@dataclass
class State:
    """What the app holds while it runs: the case, its secret, a private upload folder."""

    session: Session
    secret: Secret
    uploads: Path  # owner-only, removed at exit
    batches: dict[str, list[tuple[Path, str]]] = field(default_factory=dict)  # previewed uploads
    notices: dict[str, tuple[str, Any]] = field(default_factory=dict)  # shown once after a POST


def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(_=gettext, ngettext=ngettext, steps=STEPS, quote=quote)
    return env


@dataclass
class Page:
    """One request as a page sees it: the state, the language, and how to answer."""

    request: Request
    state: State
    lang: str
    env: jinja2.Environment

    def render(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        """A page of ``pages/``, with the status bar and the navigation."""
        unreadable = False
        try:
            counts = care.status(self.state.session).counts
        except Exception:  # no case yet (the Start page says so), or a broken or busy one
            counts = None
            unreadable = care.has_case(self.state.session)
        body = self.env.get_template(name).render(
            step=_step_of(self.request.url.path),
            lang=self.lang,
            path=self.request.url.path,
            csrf=self.state.secret.csrf,
            counts=counts,
            case_path=str(self.state.session.path),
            unreadable=unreadable,
            **{"notice": "", **values},
        )
        return HTMLResponse(body, status_code=status)


Handler = Callable[[Page, FormData | None], Response]


# The steps that work without a case: Start makes one, Import makes one.
NO_CASE_NEEDED = ("/", "/import", "/static")


def _no_case() -> UsageError:
    """What every other step says while there is no case (in the app's words, no command)."""
    return UsageError(
        _("there is no case yet"),
        hint=_("start one on the Start page, or import a contact file (step 2)"),
    )


def _step_of(path: str) -> str:
    """The step (page) a path belongs to: where an error's "back" link goes."""
    first = "/" + path.strip("/").split("/")[0] if path.strip("/") else "/"
    return {"/download": "/send", "/qr": "/send", "/complaint": "/evidence", "/settings": "/",
            "/case": "/", "/lang": "/"}.get(first, first)  # fmt: skip


def _view(handler: Handler, *, post: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint: form read and checked (POST), the language chosen, errors shown as a page."""

    async def endpoint(request: Request) -> Response:
        state: State = request.app.state.contact_notify
        env: jinja2.Environment = request.app.state.env
        chosen = request.cookies.get(LANG_COOKIE, "")
        lang = chosen if chosen in LANGUAGES else language()  # as the command line chose
        form = None
        if post:
            try:
                form = await request.form(
                    max_files=MAX_FILES, max_fields=MAX_FIELDS, max_part_size=guard.MAX_BODY
                )
            except ClientDisconnect:  # the browser went away mid-upload: nobody to answer
                return Response(status_code=400)
            except (MultiPartException, HTTPException):  # a form past the limits, or garbled
                with using(lang):
                    unread = UsageError(
                        _("the form could not be read: too many files or fields, or damaged"),
                        hint=_("send at most {count} files at a time, and try again").format(
                            count=MAX_FILES
                        ),
                    )
                    return Page(request, state, lang, env).render(
                        "error.html", status=400, error=unread
                    )
            given = form.get("csrf")
            if not isinstance(given, str) or not secrets.compare_digest(
                given.encode(), state.secret.csrf.encode()
            ):
                return HTMLResponse(refused(lang, "csrf"), status_code=403)
        try:
            with using(lang):
                page = Page(request, state, lang, env)
                if _step_of(request.url.path) not in NO_CASE_NEEDED and not care.has_case(
                    state.session
                ):
                    return page.render("error.html", status=400, error=_no_case())
                try:
                    return handler(page, form)
                except Exception as exc:  # never a traceback with personal data in a page
                    # An AppError, or an SQLite failure explained (damaged, locked, read-only).
                    known = failure_for(exc, state.session)
                    status = 500 if known is None else 400
                    return page.render("error.html", status=status, error=known)
        finally:
            if form is not None:
                await form.close()

    return endpoint


def refused(lang: str, reason: str) -> bytes:
    """The page for a request the guard turns away (no data, no link to follow)."""
    with using(lang):
        why = {
            "host": _("This address is not the one the app was started on."),
            "token": _(
                "Open the address printed in the terminal where you started "
                "contact-notify app (it holds a secret)."
            ),
            "origin": _("The request did not come from the app's own page."),
            "csrf": _("The form did not come from the app's own page: reload it and try again."),
            "size": _("The upload is too large: at most 20 MB at a time."),
            "error": _("Something went wrong inside contact-notify"),
        }[reason]
        title = _("Too large") if reason == "size" else _("Not allowed")
    from html import escape

    return (
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8">'
        f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(why)}</p></html>"
    ).encode()


def _text(form: FormData | None, name: str) -> str:
    value = form.get(name) if form is not None else None
    return value.strip() if isinstance(value, str) else ""


def _texts(form: FormData | None, name: str) -> list[str]:
    if form is None:
        return []
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def _contact(form: FormData | None) -> str:
    """The contact a form is about, as a target (``id:N``); a garbled one is a user error."""
    value = _text(form, "contact")
    if not value.isdigit():
        raise UsageError(
            _("the form names no contact: reload the page and try again"),
            hint=_("the page may be old: reload it"),
        )
    return f"id:{int(value)}"


def _back(page: Page, path: str, notice: str = "", result: Any = None) -> RedirectResponse:
    """After a POST: back to a page (303), with a notice (or a result) to show once.

    The redirect makes a reload show the page again instead of sending the form
    twice.  The notice (it may name a contact) stays in the app under a random
    key: a name never goes into an address, so never into the browser's history.
    """
    target = path
    if notice or result is not None:
        key = secrets.token_urlsafe(8)
        page.state.notices = {key: (notice, result)}  # only the latest waits
        target = f"{path}?n={key}"
    return RedirectResponse(target, status_code=303)


def _flash(page: Page) -> tuple[str, Any]:
    """The notice and result a POST left for this page, once (none on a reload)."""
    return page.state.notices.pop(page.request.query_params.get("n", ""), ("", None))


def _notice(page: Page) -> str:
    return _flash(page)[0]


_SAFE_NAME = re.compile(r"[^\w.\-]+")


def _save_uploads(
    state: State, form: FormData | None, name: str, folder: Path | None = None
) -> list[tuple[Path, str]]:
    """Each uploaded file of a field, saved to the private upload folder (or ``folder``):
    (path, its own name).  Written in place, never moved: the folders may be on two disks."""
    saved = []
    for item in form.getlist(name) if form is not None else []:
        if not isinstance(item, UploadFile) or not item.filename:
            continue
        label = Path(item.filename.replace("\\", "/")).name or "upload"
        where = folder or state.uploads
        path = where / f"{secrets.token_hex(8)}-{_SAFE_NAME.sub('_', label)[-80:]}"
        item.file.seek(0)
        with path.open("xb") as out:
            while chunk := item.file.read(1 << 20):
                out.write(chunk)
        path.chmod(0o600)
        saved.append((path, label))
    return saved


# --- Start ------------------------------------------------------------------------------------


def start(page: Page, form: FormData | None) -> Response:
    session = page.state.session
    exists = care.has_case(session)
    settings = {s.name: s.value for s in care.settings(session)} if exists else {}
    return page.render("start.html", exists=exists, settings=settings, notice=_notice(page))


def new_case(page: Page, form: FormData | None) -> Response:
    care.new_case(page.state.session)
    return _back(page, "/", _("The case is ready."))


def save_settings(page: Page, form: FormData | None) -> Response:
    for key in ("sender", "sender-short", "sender-contact"):
        value = _text(form, key)
        if value or care.get_setting(page.state.session, key):
            care.set_setting(page.state.session, key, value)
    return _back(page, "/", _("Saved."))


def switch_language(page: Page, form: FormData | None) -> Response:
    to = page.request.path_params["lang"]
    target = page.request.query_params.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    answer = RedirectResponse(target, status_code=303)
    if to in LANGUAGES:
        answer.set_cookie(LANG_COOKIE, to, httponly=True, samesite="strict")
    return answer


# --- Import -----------------------------------------------------------------------------------


def import_page(page: Page, form: FormData | None) -> Response:
    notice, imported = _flash(page)
    return page.render("import.html", inspections=None, batch="", imported=imported, notice=notice)


def import_files(page: Page, form: FormData | None) -> Response:
    from contact_notify.cli import terminal

    state = page.state
    batch = _text(form, "batch")
    if batch and batch not in state.batches:  # a reload of an import already done
        raise UsageError(
            _("these contacts were already imported (or the look at them is too old)"),
            hint=_("the counts at the top say what the case holds; to import again, choose "
                   "the files again"),
        )  # fmt: skip
    files = state.batches.pop(batch, []) if batch else _save_uploads(state, form, "files")
    if not files:
        raise UsageError(
            _("choose one or more contact files first (vCard .vcf or CSV)"),
            hint=_("drag them onto the page, or press the button to pick them"),
        )
    try:
        if _text(form, "do") == "preview":
            inspections = [
                (label, people_actions.inspect_file(path, label=label)) for path, label in files
            ]
            token = secrets.token_hex(8)
            for old in state.batches.values():  # one preview waits at a time
                for path, _label in old:
                    path.unlink(missing_ok=True)
            state.batches.clear()
            state.batches[token] = files
            files = []  # kept for the import that follows
            return page.render(
                "import.html", inspections=inspections, batch=token, imported=None,
                rows=terminal.inspect_rows, notes=terminal.inspect_notes,
            )  # fmt: skip
        done = people_actions.import_files(
            state.session, [p for p, _l in files], labels=[label for _p, label in files]
        )
        lines = terminal.import_summary(done.report) + terminal.import_details(done.report)
        return _back(page, "/import", "", lines)
    finally:
        for path, _label in files:
            path.unlink(missing_ok=True)


# --- Who was reached ---------------------------------------------------------------------------


def reached_page(page: Page, form: FormData | None) -> Response:
    from contact_notify.behaviours import KEYS, label
    from contact_notify.model import CHANNELS

    contacts = people_actions.list_contacts(page.state.session)
    notice, result = _flash(page)
    return page.render(
        "reached.html", contacts=contacts, channels=CHANNELS,
        behaviours=[(k, label(k)) for k in KEYS], result=result, form={}, notice=notice,
    )  # fmt: skip


def mark(page: Page, form: FormData | None) -> Response:
    from contact_notify.behaviours import KEYS, label
    from contact_notify.cli import terminal
    from contact_notify.model import CHANNELS

    state = page.state
    pasted = _text(form, "text")
    dry = _text(form, "do") != "record"
    text_file = None
    attached: list[Path] = []
    listed: list[tuple[Path, str]] = []
    kept = False  # the evidence copies went into a reach record
    try:
        if pasted:
            text_file = state.uploads / f"{secrets.token_hex(8)}-pasted.txt"
            text_file.write_text(pasted, encoding="utf-8")
            text_file.chmod(0o600)
        listed = _save_uploads(state, form, "targets_file")[:1]  # a reached list: one file
        attached = [] if dry else _save_evidence(state, form)
        done = reach_actions.mark(
            state.session,
            _texts(form, "target"),
            text=text_file,
            # No time given: today's date, not this minute (the calls came earlier; a
            # date alone counts as no time of day, never as a call at night).
            at=_text(form, "at").replace("T", " ") or "今天",
            channel=_text(form, "channel") or "call",
            by=re.split(r"[\s,，;；、]+", _text(form, "by")) if _text(form, "by") else (),
            did=_texts(form, "did"),
            note=_text(form, "note"),
            attach=attached,
            accept=_text(form, "accept") == "yes" and text_file is not None,
            dry_run=dry,
            text_label=_("pasted text"),
            file=listed[0][0] if listed else None,
            file_label=listed[0][1] if listed else None,
        )
        kept = bool(done.report.reach_ids or done.report.reach_of)
    finally:
        if text_file is not None:
            text_file.unlink(missing_ok=True)
        for path, _label in listed:
            path.unlink(missing_ok=True)
        if not kept:  # refused, or nobody recorded: no record points at the copies
            for path in attached:
                path.unlink(missing_ok=True)
    report = done.report
    found = report.marked or report.repeated or report.already or report.updated
    if not (found or report.not_found or done.unknown.shown):
        raise UsageError(
            _("nobody was found: the text holds no number of anyone in the case"),
            hint=_("names are not looked for in pasted text: tick the people below, or upload "
                   "a list"),
        )  # fmt: skip
    lines = terminal.mark_lines(report, dry_run=dry) + terminal.not_found_lines(report)
    lines += [
        ngettext(
            "{number} is written once in the text and is nobody's in the case: probably a "
            "collector's number (put it in \u201cThe collector's numbers\u201d to record it)",
            "{number} is written {count} times in the text and is nobody's in the case: "
            "probably a collector's number (put it in \u201cThe collector's numbers\u201d to "
            "record it)",
            n.count,
        ).format(number=n.raw, count=n.count)
        for n in done.unknown
    ]
    if done.suggested and not dry:
        lines.append(
            _("what the text suggests the collector did was recorded")
            if done.accepted
            else _("what the text suggests the collector did was not recorded (tick \u201cAlso "
                   "record\u2026\u201d to record it with the calls)")
        )  # fmt: skip
    suggestions = terminal.suggestion_lines(done.suggested) if done.suggested else []
    result = {"dry": dry, "lines": lines, "suggestions": suggestions}
    if not dry:  # a reload shows the result again, it does not record the calls twice
        return _back(page, "/reached", "", result)
    contacts = people_actions.list_contacts(state.session)
    values = {k: _text(form, k) for k in ("text", "at", "channel", "by", "note", "accept")}
    # "Look first" keeps the form for the record that follows, with everyone it found ticked
    # (a browser never keeps a chosen file: an uploaded list would be lost).
    ticked = [*_texts(form, "target")]
    from_list = listed[0][1] if listed else None  # the pasted text stays in its own box
    ticked += [
        f"id:{cid}"
        for cid, _name, target in report.marked
        if target.origin and target.origin.file == from_list and f"id:{cid}" not in ticked
    ]
    return page.render(
        "reached.html", contacts=contacts, channels=CHANNELS,
        behaviours=[(k, label(k)) for k in KEYS], notice="", result=result,
        form={**values, "target": ticked, "did": _texts(form, "did")},
    )  # fmt: skip


def _save_evidence(state: State, form: FormData | None) -> list[Path]:
    """Evidence files uploaded with a reach, copied into the case's evidence folder.

    A browser gives the file, not its place on disk, so the app keeps a copy
    beside the case (owner-only); the reach stores that copy's path and hash.
    """
    if form is None or not any(
        isinstance(f, UploadFile) and f.filename for f in form.getlist("evidence")
    ):
        return []
    folder = reach_actions.evidence_folder(state.session)
    return [path for path, _label in _save_uploads(state, form, "evidence", folder)]


# --- People -----------------------------------------------------------------------------------


def people(page: Page, form: FormData | None) -> Response:
    from contact_notify.cli import terminal

    session = page.state.session
    contacts = people_actions.list_contacts(session, "reached")
    views = [people_actions.show_contact(session, f"id:{c.id}") for c in contacts]
    review = message_actions.preview(session, lang=MESSAGE_LANG)
    warnings = terminal.review_warnings(review.flags) + terminal.length_warnings(
        review.too_long, review.sms_limit
    )
    templates = template_actions.relationships()
    rules = template_actions.rules(session)
    return page.render(
        "people.html", views=views, warnings=warnings, notice=_notice(page), templates=templates,
        rules=rules, label=template_actions.template_label,
    )  # fmt: skip


def set_rule(page: Page, form: FormData | None) -> Response:
    group, template = _text(form, "group"), _text(form, "template")
    if _text(form, "do") == "remove":
        template_actions.remove_rule(page.state.session, group)
    elif not group:
        raise UsageError(
            _("a rule needs a group: the group's name as the phone shows it"),
            hint=_("type the group's name in the box, e.g. 同学"),
        )
    elif template == _text(form, "was") and template:
        pass  # unchanged (perhaps a template file set on the command line): kept as it is
    else:
        chosen = template_actions.relationships()
        if template not in chosen:  # the app offers the built-in relationships, never a path
            raise UsageError(
                _("unknown template {name}").format(name=repr(template)),
                hint=_("use one of: {choices}").format(choices=", ".join(chosen)),
            )
        template_actions.set_rule(page.state.session, group, template)
    return _back(page, "/people", _("Saved: {name}").format(name=group))


def set_salutation(page: Page, form: FormData | None) -> Response:
    chosen, was = _text(form, "template"), _text(form, "was")
    if chosen and chosen != was and chosen not in template_actions.relationships():
        raise UsageError(  # the page offers relationships; a file is set on the command line
            _("unknown template {name}").format(name=repr(chosen)),
            hint=_("use one of: {choices}").format(
                choices=", ".join(template_actions.relationships())
            ),
        )
    view = people_actions.show_contact(
        page.state.session,
        _contact(form),
        salutation=_text(form, "salutation"),
        template=None if chosen == was else chosen,  # unchanged: a template set elsewhere stays
    )
    return _back(page, "/people", _("Saved: {name}").format(name=view.stored.name))


# --- Messages ---------------------------------------------------------------------------------


def messages(page: Page, form: FormData | None) -> Response:
    from contact_notify.cli import terminal

    shown = message_actions.preview(page.state.session, lang=MESSAGE_LANG)
    warnings = terminal.review_warnings(shown.flags)
    return page.render("messages.html", shown=shown, warnings=warnings, notice=_notice(page))


def edit_message(page: Page, form: FormData | None) -> Response:
    done = message_actions.edit_message(page.state.session, _contact(form), _text(form, "text"))
    return _back(page, "/messages", _("Saved: {name}").format(name=done.name))


# --- Send -------------------------------------------------------------------------------------


def send(page: Page, form: FormData | None) -> Response:
    found = sending.send_list(page.state.session, lang=MESSAGE_LANG)
    return page.render(
        "send.html", found=found, notice=_notice(page), downloads=sending.DOWNLOADS,
        pace=(sending.PACE_MESSAGES, sending.PACE_MINUTES),
    )  # fmt: skip


def qr(page: Page, form: FormData | None) -> Response:
    image = sending.message_qr(
        page.state.session, int(page.request.path_params["contact"]), lang=MESSAGE_LANG
    )
    return Response(image, media_type="image/png")


def sent(page: Page, form: FormData | None) -> Response:
    done = sending.send_one(
        page.state.session,
        int(_contact(form).removeprefix("id:")),
        _text(form, "shown"),
        lang=MESSAGE_LANG,
    )
    return _back(
        page,
        "/send",
        _("Recorded as sent: {name} (sent {sent} of {reached})").format(
            name=done.name, sent=done.sent, reached=done.reached
        ),
    )


def sent_code(page: Page, form: FormData | None) -> Response:
    done = message_actions.record_sent(page.state.session, code=_text(form, "code"))
    return _back(
        page, "/send", _("Recorded as sent: {names}").format(names=_(", ").join(done.names))
    )


def download(page: Page, form: FormData | None) -> Response:
    out = sending.export_for_download(page.state.session, _text(form, "format"), lang=MESSAGE_LANG)
    return FileResponse(out, filename=out.name)


# --- Evidence ---------------------------------------------------------------------------------


def evidence(page: Page, form: FormData | None) -> Response:
    text, summary = evidence_actions.evidence_text(page.state.session, output_format="md")
    kinds = evidence_actions.complaint_kinds()
    return page.render("evidence.html", text=text, summary=summary, kinds=kinds)


def evidence_bundle(page: Page, form: FormData | None) -> Response:
    done = evidence_actions.bundle_for_download(page.state.session)
    return FileResponse(done.path, filename=done.path.name)


def evidence_download(page: Page, form: FormData | None) -> Response:
    fmt = page.request.path_params["format"]
    text, _summary = evidence_actions.evidence_text(page.state.session, output_format=fmt)
    types = {"md": "text/markdown", "csv": "text/csv", "html": "text/html"}
    return Response(
        text.encode("utf-8"),
        media_type=f"{types[fmt]}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="evidence.{fmt}"'},
    )


def complaint(page: Page, form: FormData | None) -> Response:
    kind = page.request.path_params["kind"]
    text = evidence_actions.complaint_text(page.state.session, kind=kind, lang=MESSAGE_LANG)
    return Response(
        text.encode("utf-8"),
        media_type="text/plain; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="complaint-{kind}.txt"'},
    )


def routes() -> list[Route | Mount]:
    """Every page and form of the app."""
    get, post = ["GET"], ["POST"]
    return [
        Route("/", _view(start), methods=get),
        Route("/case", _view(new_case, post=True), methods=post),
        Route("/settings", _view(save_settings, post=True), methods=post),
        Route("/lang/{lang}", _view(switch_language), methods=get),
        Route("/import", _view(import_page), methods=get),
        Route("/import", _view(import_files, post=True), methods=post),
        Route("/reached", _view(reached_page), methods=get),
        Route("/reached", _view(mark, post=True), methods=post),
        Route("/people", _view(people), methods=get),
        Route("/people/salutation", _view(set_salutation, post=True), methods=post),
        Route("/people/rule", _view(set_rule, post=True), methods=post),
        Route("/messages", _view(messages), methods=get),
        Route("/messages/edit", _view(edit_message, post=True), methods=post),
        Route("/send", _view(send), methods=get),
        Route("/qr/{contact:int}.png", _view(qr), methods=get),
        Route("/send/sent", _view(sent, post=True), methods=post),
        Route("/send/code", _view(sent_code, post=True), methods=post),
        Route("/download", _view(download, post=True), methods=post),
        Route("/evidence", _view(evidence), methods=get),
        Route("/evidence/bundle", _view(evidence_bundle, post=True), methods=post),
        Route("/evidence/{format:str}", _view(evidence_download), methods=get),
        Route("/complaint/{kind:str}", _view(complaint), methods=get),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def make_app(state: State, seen: Callable[[], None] = lambda: None) -> Guard:
    """The app behind its guard (see :mod:`.guard`)."""
    app = Starlette(routes=routes())
    app.state.contact_notify = state
    app.state.env = _environment()
    return Guard(app, state.secret, lambda reason: refused(language(), reason), seen)
