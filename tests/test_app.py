"""The local app (`contact-notify app`) behind its guard: secret, host, origin, CSRF, size,
headers; and each step's page calling the same actions as the command line."""

from __future__ import annotations

import html
import io
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from contact_notify.actions.session import Session
from contact_notify.errors import UsageError
from contact_notify.web import guard
from contact_notify.web.guard import CSP, Secret
from contact_notify.web.pages import State, make_app, routes
from contact_notify.web.server import check_loopback

from conftest import EXAMPLES, Run

PORT = 8123
ORIGIN = f"http://127.0.0.1:{PORT}"
HOSTILE = '<script>alert("x")</script>'
HOSTILE_2 = '"><img src=x onerror=alert(2)>'

Client = Callable[..., TestClient]


@pytest.fixture
def secret() -> Secret:
    """The app's secret, for a fixed port."""
    return Secret(PORT)


@pytest.fixture
def client(case_path: Path, tmp_path: Path, secret: Secret) -> Client:
    """A test client of the app on the test's case; ``login=True`` swaps the token first."""
    uploads = tmp_path / "uploads"
    uploads.mkdir(mode=0o700)
    app = make_app(State(Session(case_path), secret, uploads))

    def make(*, login: bool = True, origin: str | None = ORIGIN) -> TestClient:
        headers = {"origin": origin} if origin else {}
        made = TestClient(app, base_url=ORIGIN, headers=headers, follow_redirects=False)
        if login:
            assert made.get(f"/?token={secret.token}").status_code == 303
        return made

    return make


def _text(page: str) -> str:
    """A page's words (its title left out), tags dropped and spaces collapsed."""
    page = re.sub(r"<title>.*?</title>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def _post_routes() -> list[str]:
    return sorted(
        r.path for r in routes() if isinstance(r, Route) and "POST" in (r.methods or set())
    )


def _settings(case_path: Path) -> dict[str, str]:
    with sqlite3.connect(case_path) as conn:
        return dict(conn.execute("SELECT key, value FROM settings").fetchall())


@pytest.mark.parametrize("path", ["/", "/import", "/reached", "/send", "/qr/1.png", "/evidence/md"])
def test_a_page_without_the_secret_is_refused(client: Client, path: str) -> None:
    """Without the token or its cookie every page answers 403 and says where the address is."""
    answer = client(login=False).get(path)
    assert answer.status_code == 403
    assert _text(answer.text) == (
        "Not allowed Open the address printed in the terminal where you started "
        "contact-notify app (it holds a secret)."
    )


def test_a_wrong_token_is_refused(client: Client) -> None:
    """A token that is not this app's gives no cookie and a 403."""
    answer = client(login=False).get("/?token=not-the-secret")
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers


def test_the_token_becomes_a_strict_cookie_and_leaves_the_address(
    client: Client, secret: Secret
) -> None:
    """The token in the address is swapped for an HttpOnly SameSite=Strict cookie, then dropped."""
    browser = client(login=False)
    answer = browser.get(f"/send?token={secret.token}")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/send"
    cookie = answer.headers["set-cookie"]
    assert cookie == (
        f"contact_notify_{PORT}={secret.cookie_value}; HttpOnly; SameSite=Strict; Path=/"
    )
    assert secret.token not in cookie
    assert browser.get("/").status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", f"evil.example:{PORT}", "127.0.0.1:9999", "0.0.0.0:8123", ""]
)
def test_a_wrong_host_is_refused_even_with_the_cookie(client: Client, host: str) -> None:
    """A Host other than this server's loopback address and port is refused (DNS rebinding)."""
    answer = client().get("/", headers={"host": host})
    assert answer.status_code == 403
    assert _text(answer.text) == ("Not allowed This address is not the one the app was started on.")


@pytest.mark.parametrize(
    ("origin", "csrf", "reason"),
    [
        ("http://evil.example", True, "The request did not come from the app's own page."),
        (f"http://127.0.0.1:{PORT + 1}", True, "The request did not come from the app's own page."),
        (None, True, "The request did not come from the app's own page."),
        (
            ORIGIN,
            False,
            "The form did not come from the app's own page: reload it and try again.",
        ),
    ],
)
def test_a_cross_origin_post_is_refused_and_writes_nothing(
    reached_case: Run,
    case_path: Path,
    client: Client,
    secret: Secret,
    origin: str | None,
    csrf: bool,
    reason: str,
) -> None:
    """A POST from another origin, or without the form's CSRF token, is 403 and changes nothing."""
    before = _settings(case_path)
    form = {"sender": "Mallory", **({"csrf": secret.csrf} if csrf else {})}
    answer = client(origin=origin).post("/settings", data=form)
    assert answer.status_code == 403
    assert _text(answer.text) == f"Not allowed {reason}"
    assert _settings(case_path) == before


@pytest.mark.parametrize("path", _post_routes())
def test_every_form_needs_the_csrf_token(
    reached_case: Run, case_path: Path, client: Client, path: str
) -> None:
    """Every state-changing route refuses a POST without the CSRF token, the case untouched."""
    before = case_path.read_bytes()
    answer = client().post(path, data={"contact": "1", "format": "csv", "csrf": "wrong"})
    assert answer.status_code == 403
    assert case_path.read_bytes() == before


def test_no_get_changes_the_case(
    reached_case: Run, client: Client, case_path: Path, tmp_path: Path
) -> None:
    """Every page, picture and download read by GET leaves the case and its folder as they were."""
    assert reached_case("config", "sender", "小林").exit_code == 0
    browser = client()

    def state() -> tuple[bytes, list[str]]:
        return case_path.read_bytes(), sorted(p.name for p in case_path.parent.iterdir())

    before = state()
    for path in ("/", "/import", "/reached", "/people", "/messages", "/send", "/evidence",
                 "/qr/1.png", "/evidence/md", "/evidence/csv", "/evidence/html",
                 "/complaint/12321", "/lang/zh", "/lang/en"):  # fmt: skip
        assert browser.get(path).status_code in (200, 303), path
    assert state() == before


def test_pages_are_never_changed_by_get(client: Client) -> None:
    """Only POST routes change anything: every GET route is a page, a picture or a download."""
    changing = {"/", "/import", "/reached", "/people", "/messages", "/send", "/evidence"}
    gets = {r.path for r in routes() if isinstance(r, Route) and "GET" in (r.methods or set())}
    assert gets - {"/lang/{lang}", "/qr/{contact:int}.png", "/evidence/{format:str}",
                   "/complaint/{kind:str}"} == changing  # fmt: skip
    assert set(_post_routes()) == {
        "/case", "/settings", "/import", "/reached", "/people/salutation", "/people/rule",
        "/messages/edit",
        "/send/sent", "/send/code", "/download", "/evidence/bundle",
    }  # fmt: skip


@pytest.mark.parametrize("login", [True, False])
def test_every_answer_carries_the_security_headers(client: Client, login: bool) -> None:
    """Pages, refusals and static files forbid framing, inline script and caching."""
    browser = client(login=login)
    for path in ("/", "/static/app.js", "/no-such-page"):
        answer = browser.get(path)
        assert answer.headers["content-security-policy"] == CSP
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in CSP
    assert "script-src 'self';" in CSP
    assert "unsafe-inline" not in CSP


def test_pages_hold_no_inline_script(client: Client, reached_case: Run) -> None:
    """No page has a script element with a body or an on… attribute (the CSP would block it)."""
    browser = client()
    for path in ("/", "/import", "/reached", "/people", "/messages", "/send", "/evidence"):
        page = browser.get(path).text
        assert re.findall(r"<script[^>]*>(?!</script>)", page) == [], path
        assert page.count("<script") == 1, path
        assert re.findall(r"\son[a-z]+=", page) == [], path
        assert "javascript:" not in page, path
        assert re.search(r"<title>[^<]+ · contact-notify</title>", page), path  # a plain title


def test_an_oversized_upload_is_refused_with_a_clear_message(
    client: Client, secret: Secret, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body over the limit is refused (413) before it is read, with what the limit is."""
    monkeypatch.setattr(guard, "MAX_BODY", 10_000)
    data = (EXAMPLES / "contacts.vcf").read_bytes() * 2
    assert len(data) > 10_000
    answer = client().post(
        "/import",
        data={"csrf": secret.csrf, "do": "import"},
        files=[("files", ("big.vcf", data))],
    )
    assert answer.status_code == 413
    assert _text(answer.text) == "Too large The upload is too large: at most 20 MB at a time."
    assert not case_path.exists()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.com", "10.0.0.1"])  # noqa: S104 -- refused
def test_a_non_loopback_address_is_refused(host: str) -> None:
    """The app listens on this computer only: any other address is a usage error."""
    with pytest.raises(UsageError) as raised:
        check_loopback(host)
    assert raised.value.message == (
        f"the app only listens on this computer (127.0.0.1), not on {host!r}"
    )


@pytest.mark.parametrize(
    ("host", "address"), [("127.0.0.1", "127.0.0.1"), ("localhost", "127.0.0.1"), ("::1", "::1")]
)
def test_loopback_addresses_are_accepted(host: str, address: str) -> None:
    """127.0.0.1, localhost and ::1 are this computer."""
    assert check_loopback(host) == address


def test_the_command_refuses_a_public_address(cli: Run) -> None:
    """`contact-notify app --host 0.0.0.0` exits 2 with one message and a hint, before listening."""
    done = cli("app", "--host", "0.0.0.0", "--no-browser")  # noqa: S104 -- the refusal is tested
    assert done.exit_code == 2
    assert done.output == (
        "error: the app only listens on this computer (127.0.0.1), not on '0.0.0.0'\n"
        "hint: the pages hold other people's names and numbers: leave out --host, and open the "
        "app on the computer it runs on\n"
    )


def _hostile_vcf(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{HOSTILE}\r\nTEL;TYPE=CELL:13800138000\r\nNOTE:{HOSTILE_2}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{HOSTILE_2}\r\nTEL;TYPE=CELL:13900001111\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    return path


def test_hostile_names_are_shown_as_text(
    cli: Run, tmp_path: Path, client: Client, secret: Secret
) -> None:
    """Names that are markup reach every page escaped, never as elements."""
    assert cli("import", str(_hostile_vcf(tmp_path))).exit_code == 0
    assert cli("mark", "13800138000", "13900001111").exit_code == 0
    assert cli("config", "sender", "小林").exit_code == 0
    browser = client()
    for path in ("/reached", "/people", "/messages", "/send", "/evidence"):
        page = browser.get(path).text
        assert "<script>alert" not in page, path
        assert "<img src=x" not in page, path
        if path != "/evidence":  # there, Markdown text: its own escapes, inside <pre>
            assert "&lt;img src=x onerror=alert(2)&gt;" in page, path


def _sent_form(page: str, contact: int, secret: Secret) -> dict[str, str]:
    """The "I sent it" form of one contact on a Send page, as the browser posts it."""
    digest = re.search(
        rf'name="contact" value="{contact}">\s*<input type="hidden" name="shown" value="(\w+)"',
        page,
    )
    assert digest is not None
    return {"csrf": secret.csrf, "contact": str(contact), "shown": digest[1]}


def _pending_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article class="send" id="send-(\d+)"', page)]


def test_the_qr_code_opens_the_message_in_the_sms_app(reached_case: Run, client: Client) -> None:
    """The Send page's QR code decodes to exactly SMSTO:+86…: and the message it shows."""
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    browser = client()
    page = browser.get("/send").text
    first = re.search(
        r'<article class="send" id="send-(\d+)">\s*<h2>(.*?) <span class="muted">([\d ]+)</span>'
        r'.*?<p class="body" id="body-\1">(.*?)</p>',
        page,
        re.S,
    )
    assert first is not None
    contact, name, shown_number, body = first.groups()
    answer = browser.get(f"/qr/{contact}.png")
    assert answer.headers["content-type"] == "image/png"
    found = zxingcpp.read_barcodes(image.open(io.BytesIO(answer.content)))
    number = "+86" + shown_number.replace(" ", "")  # shown as at home: 150 1234 5678
    assert [code.text for code in found] == [f"SMSTO:{number}:{html.unescape(body).rstrip()}"]
    assert re.fullmatch(r"\+861\d{10}", number), name


def test_sent_logs_the_text_shown_and_counts_it(
    reached_case: Run, client: Client, secret: Secret, case_path: Path
) -> None:
    """ "Sent" logs the message exactly as shown, marks it sent, and the status says so."""
    browser = client()
    page = browser.get("/send").text
    contact = _pending_ids(page)[0]
    shown = html.unescape(re.search(rf'id="body-{contact}">(.*?)</p>', page, re.S)[1])  # type: ignore[index]
    answer = browser.post("/send/sent", data=_sent_form(page, contact, secret))
    assert answer.status_code == 303
    after = browser.get(answer.headers["location"]).text
    assert contact not in _pending_ids(after)
    with sqlite3.connect(case_path) as conn:
        rows = conn.execute(
            "SELECT body, exported_to, sent_at IS NOT NULL FROM messages WHERE contact_id = ?",
            (contact,),
        ).fetchall()
    assert rows == [(shown + "\n", "contact-notify app", 1)]  # logged with its line end, as exports
    status = reached_case("status").output.splitlines()
    assert {"reached:           6", "sent:              1", "still to notify:   5"} <= set(status)


def test_a_user_mistake_is_a_page_with_a_hint(
    reached_case: Run, client: Client, secret: Secret
) -> None:
    """An action's error is shown as its message and hint (400), never as a crash."""
    answer = client().post("/send/sent", data={"csrf": secret.csrf, "contact": "999"})
    assert answer.status_code == 400
    assert _text(answer.text).endswith(
        "no message is waiting for id:999: already sent, or not reached "
        "reload the page to see what is still to send Back"
    )
    assert '<a href="/send" class="back">' in answer.text  # back to the step, not the start


def test_an_unexpected_error_shows_no_data(
    reached_case: Run, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug shows a page without the exception's text (which may hold names)."""
    from contact_notify.actions import sending

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("王秀英 13800138000")

    monkeypatch.setattr(sending, "send_list", broken)
    answer = client().get("/send")
    assert answer.status_code == 500
    assert "王秀英" not in answer.text
    assert "Something went wrong inside contact-notify" in _text(answer.text)


def test_a_sent_code_from_the_phone_marks_exactly_those(
    reached_case: Run, client: Client, secret: Secret
) -> None:
    """The static send page's sent code typed on the Send page records exactly its contacts."""
    from contact_notify.sentcode import encode

    browser = client()
    pending = _pending_ids(browser.get("/send").text)
    chosen = sorted(pending[:2])
    answer = browser.post("/send/code", data={"csrf": secret.csrf, "code": encode(chosen)})
    assert answer.status_code == 303
    left = _pending_ids(browser.get("/send").text)
    assert sorted(set(pending) - set(left)) == chosen
    bad = browser.post("/send/code", data={"csrf": secret.csrf, "code": "1ZZZZ"})
    assert bad.status_code == 400
    assert _pending_ids(browser.get("/send").text) == left


def test_a_reached_list_can_be_uploaded(
    cli: Run, client: Client, secret: Secret, case_path: Path
) -> None:
    """A file of who was reached, uploaded on the Reached page, marks them; its own name is
    the source, not where the upload was kept."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    listed = (EXAMPLES / "reached.txt").read_bytes()
    browser = client()
    answer = browser.post(
        "/reached",
        data={"csrf": secret.csrf, "do": "record"},
        files=[("targets_file", ("reached.txt", listed))],
    )
    assert answer.status_code == 303  # then a reload shows the result, it records nothing
    page = _text(browser.get(answer.headers["location"]).text)
    assert "Recorded marked: 王秀英 (reached.txt:3: 13800138000)" in page
    status = cli("status").output.splitlines()
    assert "reached:           6" in status  # 徐强 twice; one number is nobody
    with sqlite3.connect(case_path) as conn:
        assert conn.execute("SELECT DISTINCT source FROM reaches").fetchall() == [("file",)]


def test_a_template_is_chosen_per_contact(
    reached_case: Run, client: Client, secret: Secret
) -> None:
    """The People page sets a contact's template (and back to the group's rule)."""
    browser = client()
    answer = browser.post(
        "/people/salutation",
        data={
            "csrf": secret.csrf,
            "contact": "1",
            "salutation": "",
            "template": "superior",
            "was": "",
        },
    )
    assert answer.status_code == 303
    shown = reached_case("contact", "id:1").output
    assert "template:   superior (chosen for this contact)" in shown
    browser.post(
        "/people/salutation",
        data={
            "csrf": secret.csrf,
            "contact": "1",
            "salutation": "",
            "template": "",
            "was": "superior",
        },
    )
    assert "(chosen for this contact)" not in reached_case("contact", "id:1").output


def test_the_evidence_bundle_downloads_as_a_zip(
    reached_case: Run, client: Client, secret: Secret, case_path: Path
) -> None:
    """The Evidence page's bundle is the command line's zip, written beside the case."""
    import zipfile

    answer = client().post("/evidence/bundle", data={"csrf": secret.csrf})
    assert answer.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert {"timeline.html", "timeline.md", "timeline.csv", "SHA256SUMS"} <= {
        n.split("/")[-1] for n in names
    }
    kept = list((case_path.parent / "case-exports").glob("evidence-*.zip"))
    assert len(kept) == 1
    assert kept[0].stat().st_mode & 0o077 == 0


def test_the_app_stops_by_itself_when_idle(
    case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no request for --idle-minutes, the server stops and removes its upload folder."""
    import tempfile
    import threading

    from contact_notify.web.server import start

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    running = start(Session(case_path), port=0, idle_minutes=0.02)  # about a second
    assert [p.name[:19] for p in tmp_path.iterdir()] == ["contact-notify-app-"]
    waiting = threading.Thread(target=running.wait, daemon=True)
    waiting.start()
    waiting.join(15)
    assert not waiting.is_alive(), "the app did not stop by itself"
    assert list(tmp_path.iterdir()) == []


def test_only_an_accepted_request_keeps_the_app_awake(secret: Secret) -> None:
    """The idle clock is reset by a request that passes the guard, not by a refused one."""
    import asyncio

    seen: list[str] = []

    async def app(scope: object, receive: object, send: object) -> None:
        return None

    async def send(message: object) -> None:
        return None

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    def scope(cookie: str) -> dict[str, object]:
        return {
            "type": "http", "method": "GET", "path": "/", "query_string": b"",
            "headers": [(b"host", f"127.0.0.1:{PORT}".encode()), (b"cookie", cookie.encode())],
        }  # fmt: skip

    guarded = guard.Guard(app, secret, lambda reason: b"", lambda: seen.append("seen"))
    asyncio.run(guarded(scope("nothing=here"), receive, send))  # type: ignore[arg-type]
    assert seen == []
    good = f"{secret.cookie_name}={secret.cookie_value}"
    asyncio.run(guarded(scope(good), receive, send))  # type: ignore[arg-type]
    assert seen == ["seen"]


# Requests a browser (or anything else on this computer) might make, from another process:
# pages with names, a refused host, a garbled request, a form cut off half-way.
_VISITOR = """
import http.client, socket, sys, urllib.request
url = sys.argv[1]
host, port = url.split("/")[2].split(":")
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
for path in ("", "people", "send", "evidence", "no-such-page"):
    try:
        opener.open(url if not path else url.split("?")[0] + path).read()
    except Exception:
        pass
for raw in (b"GET / HTTP/1.1\\r\\nHost: evil.example\\r\\n\\r\\n", b"NONSENSE\\r\\n\\r\\n",
            b"POST /import HTTP/1.1\\r\\nHost: 127.0.0.1:" + port.encode() + b"\\r\\n"
            b"Content-Length: 1000\\r\\n\\r\\nhalf"):
    with socket.create_connection((host, int(port))) as s:
        s.sendall(raw)
        s.settimeout(2)
        try:
            s.recv(65536)
        except OSError:
            pass
"""


def test_ctrl_c_stops_the_app_quietly(reached_case: Run, case_path: Path, tmp_path: Path) -> None:
    """`contact-notify app` prints its address with the secret; after pages with names, refused
    and garbled requests, Ctrl-C (its way to stop) ends it with one line and exit 0: nothing
    else on the terminal (no name, no traceback, no log), the upload folder gone."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "CONTACT_NOTIFY_LANG": "en", "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "contact_notify", "--case", str(case_path), "app", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    address = process.stdout.readline()
    third = process.stdout.readline()
    assert first == "contact-notify app is running; open this address in your browser:\n"
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{40,}\n", address)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("contact-notify-app-")]
    visit = subprocess.run(
        [sys.executable, "-c", _VISITOR, address.strip()], capture_output=True, timeout=60
    )
    assert visit.returncode == 0, visit.stderr
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert third == "(it holds a secret: do not share it; Ctrl-C stops the app)\n"
    assert out == ""
    assert err == "the app stopped\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("contact-notify-app-")] == []


def test_group_rules_are_set_and_removed_on_the_people_page(
    reached_case: Run, client: Client, secret: Secret
) -> None:
    """A group's template is set, changed and removed there as with `rules`; a path is refused."""
    browser = client()
    form = {"csrf": secret.csrf, "group": "球友", "template": "friend"}
    assert browser.post("/people/rule", data=form).status_code == 303
    assert "球友" in reached_case("rules", "list").output
    page = _text(browser.get("/people").text)
    assert "Which template each group gets 家人 Family (elders)" in page
    assert (
        "球友 Family (elders) Brothers, sisters, cousins Friends Colleagues Managers and clients "
        "Others Save Remove"
    ) in page
    refused = browser.post("/people/rule", data={**form, "template": "/etc/passwd"})
    assert refused.status_code == 400
    assert "unknown template '/etc/passwd'" in _text(refused.text)
    assert browser.post("/people/rule", data={**form, "do": "remove"}).status_code == 303
    assert "球友" not in reached_case("rules", "list").output


def test_sent_refuses_a_message_changed_since_the_page(
    reached_case: Run, client: Client, secret: Secret, case_path: Path
) -> None:
    """A message edited after the Send page was shown is not logged with a text never sent."""
    browser = client()
    page = browser.get("/send").text
    contact = _pending_ids(page)[0]
    edited = browser.post(
        "/messages/edit", data={"csrf": secret.csrf, "contact": str(contact), "text": "新的文字"}
    )
    assert edited.status_code == 303
    answer = browser.post("/send/sent", data=_sent_form(page, contact, secret))
    assert answer.status_code == 400
    assert "changed since the page was shown; nothing was recorded" in _text(answer.text)
    with sqlite3.connect(case_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM messages").fetchone() == (0,)
    fresh = browser.get("/send").text
    assert browser.post("/send/sent", data=_sent_form(fresh, contact, secret)).status_code == 303


def test_no_name_goes_into_an_address(reached_case: Run, client: Client, secret: Secret) -> None:
    """After a form, the notice (which names a contact) is shown once, never put in the URL."""
    browser = client()
    page = browser.get("/send").text
    contact = _pending_ids(page)[0]
    answer = browser.post("/send/sent", data=_sent_form(page, contact, secret))
    location = answer.headers["location"]
    name = re.search(rf'id="send-{contact}">\s*<h2>(.*?) <', page, re.S)[1]  # type: ignore[index]
    assert name not in location
    assert re.fullmatch(r"/send\?n=[\w-]+", location)
    assert f"Recorded as sent: {name}" in _text(browser.get(location).text)
    assert "Recorded as sent" not in _text(browser.get(location).text)  # once only


def _evidence_form(secret: Secret, at: str) -> dict[str, str]:
    return {"csrf": secret.csrf, "do": "record", "target": "id:1", "at": at, "text": ""}


def test_evidence_is_written_beside_the_case_without_moving_files(
    reached_case: Run,
    client: Client,
    secret: Secret,
    case_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An evidence upload is written straight into CASE-evidence/ (the temporary folder may be
    on another disk, where a rename fails), and the reach records that copy."""
    import errno

    def no_rename(self: Path, target: object) -> Path:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(Path, "replace", no_rename)
    monkeypatch.setattr(Path, "rename", no_rename)
    answer = client().post(
        "/reached",
        data=_evidence_form(secret, "2026-11-27 22:10"),
        files=[("evidence", ("call.png", b"\x89PNG screenshot"))],
    )
    assert answer.status_code == 303
    kept = list((case_path.parent / "case-evidence").iterdir())
    assert [p.name.split("-", 1)[1] for p in kept] == ["call.png"]
    assert kept[0].stat().st_mode & 0o077 == 0
    assert list((tmp_path / "uploads").iterdir()) == []
    assert str(kept[0]) in reached_case("history", "id:1").output


def test_a_refused_record_keeps_no_evidence_copy(
    reached_case: Run, client: Client, secret: Secret, case_path: Path
) -> None:
    """When the record is refused (a bad time), the evidence copy is not left behind."""
    answer = client().post(
        "/reached",
        data=_evidence_form(secret, "not a time"),
        files=[("evidence", ("call.png", b"\x89PNG screenshot"))],
    )
    assert answer.status_code == 400
    assert list((case_path.parent / "case-evidence").glob("*")) == []


def test_a_chunked_body_is_refused(secret: Secret) -> None:
    """A POST without a length (chunked) cannot slip past the size limit: 413 before the app."""
    import asyncio

    reached: list[str] = []

    async def app(scope: object, receive: object, send: object) -> None:
        reached.append("app")

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http", "method": "POST", "path": "/import", "query_string": b"",
        "headers": [
            (b"host", f"127.0.0.1:{PORT}".encode()), (b"origin", ORIGIN.encode()),
            (b"cookie", f"{secret.cookie_name}={secret.cookie_value}".encode()),
            (b"content-length", b"5"), (b"transfer-encoding", b"chunked"),
        ],
    }  # fmt: skip
    guarded = guard.Guard(app, secret, lambda reason: reason.encode())
    asyncio.run(guarded(scope, receive, send))  # type: ignore[arg-type]
    assert reached == []
    assert sent[0]["status"] == 413


def test_the_login_redirect_stays_on_the_app(client: Client, secret: Secret) -> None:
    """The address the token is swapped on is kept, but only ever as a path of this app."""
    answer = client(login=False).get(f"{ORIGIN}//evil.example/x?token={secret.token}")
    assert answer.headers["location"] == "/evil.example/x"  # never //evil.example: elsewhere


def test_an_error_outside_a_page_shows_no_traceback(
    client: Client, secret: Secret, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception the pages do not catch (here: reading the form) is a bare 500 page."""
    from starlette.requests import Request

    async def broken(self: Request, **kwargs: object) -> object:
        raise RuntimeError("王秀英 13800138000")

    monkeypatch.setattr(Request, "form", broken)
    answer = client().post("/settings", data={"csrf": secret.csrf})
    assert answer.status_code == 500
    assert "王秀英" not in answer.text


def test_the_browser_is_opened_without_the_secret_on_its_command_line(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The browser gets an owner-only local page that forwards to the address, not the address
    (a command line is visible to every user of the computer)."""
    import webbrowser

    opened: list[tuple[str, str, int]] = []

    def fake_open(uri: str) -> bool:
        path = Path(uri.removeprefix("file://"))
        opened.append((uri, path.read_text(encoding="utf-8"), path.stat().st_mode & 0o777))
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    done = cli("app", "--idle-minutes", "0")
    assert done.exit_code == 0
    token = re.search(r"token=([\w-]+)", done.output)[1]  # type: ignore[index]
    [(uri, page, mode)] = opened
    assert uri.startswith("file:///")
    assert token not in uri
    assert "url=http://127.0.0.1:" in page
    assert token in page
    assert mode == 0o600


def test_two_downloads_in_one_second_get_two_files(
    reached_case: Run,
    client: Client,
    secret: Secret,
    case_path: Path,
    clock_at: Callable[[str], None],
) -> None:
    """A double click on a download does not fail on the first file's name."""
    clock_at("2026-11-28 12:00")
    browser = client()
    for _ in range(2):
        answer = browser.post("/download", data={"csrf": secret.csrf, "format": "csv"})
        assert answer.status_code == 200
    names = sorted(p.name for p in (case_path.parent / "case-exports").iterdir())
    assert names == ["messages-20261128-120000-2.csv", "messages-20261128-120000.csv"]


def test_a_reload_after_record_records_nothing_twice(
    reached_case: Run,
    client: Client,
    secret: Secret,
    case_path: Path,
    clock_at: Callable[[str], None],
) -> None:
    """Recording answers with a redirect: reloading shows the page, never posts the form again,
    and the result is shown once."""
    clock_at("2026-11-28 12:00")
    browser = client()
    chat = "刚才 170 9999 8888 打给 186-0000-1234 说你欠钱"
    answer = browser.post("/reached", data={"csrf": secret.csrf, "do": "record", "text": chat})
    assert answer.status_code == 303
    first = _text(browser.get(answer.headers["location"]).text)
    assert "Recorded marked: 陈静" in first
    again = _text(browser.get(answer.headers["location"]).text)
    assert "Recorded" not in again
    with sqlite3.connect(case_path) as conn:
        rows = conn.execute(
            "SELECT at FROM reaches r JOIN contacts c ON c.id = r.contact_id WHERE c.name = '陈静'"
        ).fetchall()
    assert len(rows) == 2  # reached.txt's, and this one
    assert rows[-1] == ("2026-11-28",)  # no time given: today's date, no time of day


def test_an_import_confirmed_twice_imports_once(
    case_path: Path, client: Client, secret: Secret, cli: Run
) -> None:
    """Pressing "import these contacts" again (a reload) says they were imported, adds none."""
    browser = client()
    files = [("files", ("contacts.vcf", (EXAMPLES / "contacts.vcf").read_bytes()))]
    look = browser.post("/import", data={"csrf": secret.csrf, "do": "preview"}, files=files)
    batch = re.search(r'name="batch" value="(\w+)"', look.text)[1]  # type: ignore[index]
    form = {"csrf": secret.csrf, "do": "import", "batch": batch}
    assert browser.post("/import", data=form).status_code == 303
    again = browser.post("/import", data=form)
    assert again.status_code == 400
    assert "these contacts were already imported" in _text(again.text)
    assert "contacts:          33" in cli("status").output.splitlines()


def test_pasted_names_alone_find_nobody_and_say_so(
    reached_case: Run, client: Client, secret: Secret, case_path: Path
) -> None:
    """Text with no number of anyone is refused with what to do, not shown as recorded."""
    before = case_path.read_bytes()
    answer = client().post(
        "/reached", data={"csrf": secret.csrf, "do": "record", "text": "王秀英\n张伟"}
    )
    assert answer.status_code == 400
    assert (
        "nobody was found: the text holds no number of anyone in the case names are not looked "
        "for in pasted text: tick the people below, or upload a list"
    ) in _text(answer.text)
    assert case_path.read_bytes() == before


def test_a_look_ticks_everyone_it_found(cli: Run, client: Client, secret: Secret) -> None:
    """After "look first" with an uploaded list, the people found are ticked for the record
    (the browser does not keep the chosen file)."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    answer = client().post(
        "/reached",
        data={"csrf": secret.csrf, "do": "preview"},
        files=[("targets_file", ("reached.txt", (EXAMPLES / "reached.txt").read_bytes()))],
    )
    assert answer.status_code == 200
    ticked = re.findall(r'name="target" value="(id:\d+)" checked', answer.text)
    assert len(ticked) == 6
    assert "Choose the evidence files (and a list) again" in answer.text


def test_a_long_pasted_chat_is_read(reached_case: Run, client: Client, secret: Secret) -> None:
    """A chat paste past a megabyte is read (the form's part limit is the upload limit)."""
    chat = "聊天记录 " * 150_000 + "13800138000 又打来了"
    assert len(chat.encode()) > 1_100_000
    answer = client().post("/reached", data={"csrf": secret.csrf, "do": "preview", "text": chat})
    assert answer.status_code == 200
    assert "王秀英" in _text(answer.text)


def test_complaint_drafts_are_named_in_the_interface_language(
    reached_case: Run, client: Client, zh: None
) -> None:
    """The Evidence page names each complaint draft in Chinese only, for a Chinese interface."""
    page = client().get("/evidence").text
    names = re.findall(r'<a href="/complaint/[\w]+">(.*?)</a>', page)
    assert names[0] == "中国互联网金融协会"
    assert all("(" not in n for n in names)


def test_a_busy_case_is_explained_not_a_crash(
    reached_case: Run, client: Client, case_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SQLite failure below an action (here: the case locked) is a page saying so (400)."""
    from contact_notify.actions import sending

    def locked(*args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(sending, "send_list", locked)
    answer = client().get("/send")
    assert answer.status_code == 400
    assert _text(answer.text).endswith(
        f"the case {case_path} is busy: another command is writing to it another contact-notify "
        "is working on this case; try again when it is done Back"
    )


def test_a_template_set_elsewhere_survives_a_salutation(
    reached_case: Run, client: Client, secret: Secret, tmp_path: Path
) -> None:
    """A contact's own template file (set with the command line) is shown and kept when the
    People page saves their salutation; a path typed into the form is refused."""
    assert reached_case("templates", "copy", "friend.sms.zh", str(tmp_path / "mine")).exit_code == 0
    own = str(tmp_path / "mine" / "friend.sms.zh.j2")
    assert reached_case("contact", "id:1", "--template", own).exit_code == 0
    browser = client()
    page = browser.get("/people").text
    assert f'<option value="{own}" selected>' in page
    form = {"csrf": secret.csrf, "contact": "1", "salutation": "妈妈", "template": own, "was": own}
    assert browser.post("/people/salutation", data=form).status_code == 303
    shown = reached_case("contact", "id:1").output
    assert "salutation: 妈妈" in shown
    assert own in shown
    other = browser.post("/people/salutation", data={**form, "was": "", "template": "/etc/x.j2"})
    assert other.status_code == 400
    assert "unknown template '/etc/x.j2'" in _text(other.text)


def test_a_look_keeps_the_accept_tick_and_ticks_only_the_list(
    reached_case: Run, client: Client, secret: Secret
) -> None:
    """After "look first", the "also record" tick stays, and only contacts from the uploaded
    list are ticked (those in the pasted text stay found through the text)."""
    answer = client().post(
        "/reached",
        data={
            "csrf": secret.csrf,
            "do": "preview",
            "accept": "yes",
            "text": "13800138000 说你欠钱",
        },
        files=[("targets_file", ("list.txt", b"186-0000-1234\n"))],
    )
    assert answer.status_code == 200
    assert 'name="accept" value="yes" checked' in answer.text
    ticked = re.findall(r'name="target" value="(id:\d+)" checked', answer.text)
    assert len(ticked) == 1  # 陈静 from the list; 王秀英 stays found by the text


def test_what_the_text_suggests_is_said_recorded_or_not(
    reached_case: Run, client: Client, secret: Secret
) -> None:
    """After a record, the page says whether the suggested behaviours were recorded."""
    browser = client()
    form = {"csrf": secret.csrf, "do": "record", "text": "13800138000 说你欠钱"}
    answer = browser.post("/reached", data=form)
    page = _text(browser.get(answer.headers["location"]).text)
    assert "what the text suggests the collector did was not recorded" in page
    answer = browser.post("/reached", data={**form, "accept": "yes", "at": "2026-11-27T22:00"})
    page = _text(browser.get(answer.headers["location"]).text)
    assert "what the text suggests the collector did was recorded" in page


def test_steps_without_a_case_say_so_in_the_app_s_words(client: Client) -> None:
    """With no case yet, every step but Start and Import says to start one, without a command."""
    browser = client()
    for path in ("/reached", "/people", "/messages", "/send", "/evidence"):
        page = _text(browser.get(path).text)
        assert page.endswith(
            "there is no case yet start one on the Start page, or import a contact file (step 2) "
            "Back"
        ), path
        assert "contact-notify import" not in page


def test_a_garbled_form_is_a_user_error(reached_case: Run, client: Client, secret: Secret) -> None:
    """A form whose contact is not a number (an old page, a hand-made request) gets a 400."""
    browser = client()
    for path in ("/send/sent", "/messages/edit", "/people/salutation"):
        answer = browser.post(path, data={"csrf": secret.csrf, "contact": "", "text": "x"})
        assert answer.status_code == 400, path
        assert "the form names no contact" in _text(answer.text), path


def test_a_rule_needs_a_group(reached_case: Run, client: Client, secret: Secret) -> None:
    """An empty group is refused by the app and by the command line alike."""
    answer = client().post(
        "/people/rule", data={"csrf": secret.csrf, "group": "", "template": "friend"}
    )
    assert answer.status_code == 400
    assert "a rule needs a group" in _text(answer.text)
    done = reached_case("rules", "set", " ", "friend")
    assert done.exit_code == 2
    assert "a rule needs a group" in done.output


def test_one_contact_s_message_is_the_one_of_the_whole_list(
    reached_case: Run, case_path: Path
) -> None:
    """compose(only=id), which a QR code and "I sent it" use, gives exactly that contact's
    message of the whole list (same text, template, parts), and nothing for a contact not
    pending."""
    from contact_notify.messages import compose
    from contact_notify.store import Case

    with Case.open(case_path) as case:
        everyone = compose(case, "小林")
        assert len(everyone) == 6
        for message in everyone:
            assert compose(case, "小林", only=message.contact_id) == [message]
        assert compose(case, "小林", only=999) == []


def test_a_download_needs_the_sender_name(
    cli: Run, client: Client, secret: Secret, case_path: Path
) -> None:
    """Without a sender name, a download is refused with the Start page's step, writing nothing."""
    assert cli("import", str(EXAMPLES / "contacts.vcf")).exit_code == 0
    assert cli("mark", "13800138000").exit_code == 0
    answer = client().post("/download", data={"csrf": secret.csrf, "format": "csv"})
    assert answer.status_code == 400
    assert _text(answer.text).endswith(
        "no sender name: the messages would be unsigned set your name on the Start page first Back"
    )
    assert not (case_path.parent / "case-exports").exists()
