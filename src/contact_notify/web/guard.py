"""What every request to the local app passes before a page sees it.

The app holds other people's names and numbers, so it trusts no request by
default (the way Jupyter and datasette guard a local server):

* the ``Host`` header must be this server's own loopback address and port, so
  a web page whose domain was pointed at 127.0.0.1 (DNS rebinding) is refused;
* a request must carry the secret: once as ``?token=…`` in the address printed
  at start, which is swapped for an HttpOnly, SameSite=Strict cookie (the
  address bar then drops the token); without either, 403;
* a state-changing request is a POST whose ``Origin`` is this server (the CSRF
  token in its form is checked where the form is read, :func:`checked_form`);
* a request body must say its length, at most :data:`MAX_BODY` bytes;
* every answer forbids framing, inline script and any other origin (CSP),
  and is never cached (the pages hold personal data).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Uploads: a phone's contact export is a few MiB at most; 20 MiB leaves room for several.
MAX_BODY = 20 * 1024 * 1024

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on a POST.
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


@dataclass
class Secret:
    """The token printed at start, the cookie it becomes, and the CSRF token of forms."""

    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def cookie_name(self) -> str:
        # Cookies are not kept apart by port: two apps on one machine keep two cookies.
        return f"contact_notify_{self.port}"

    @property
    def cookie_value(self) -> str:
        return _derive(self.token, "cookie")

    @property
    def csrf(self) -> str:
        return _derive(self.token, "csrf")

    def hosts(self) -> set[str]:
        """The Host headers this server answers to."""
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}", f"[::1]:{self.port}"}

    def origins(self) -> set[str]:
        return {f"http://{host}" for host in self.hosts()}


def _derive(token: str, purpose: str) -> str:
    return hmac.new(token.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _cookie(scope: Scope, name: str) -> str:
    for part in _header(scope, b"cookie").split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


class Guard:
    """ASGI middleware: host, secret, origin, body size and security headers (see module)."""

    def __init__(
        self,
        app: ASGIApp,
        secret: Secret,
        refused: Callable[[str], bytes],
        seen: Callable[[], None] = lambda: None,
    ) -> None:
        self.app = app
        self.secret = secret
        self.refused = refused  # the 403/413 page for a reason, in the interface language
        self.seen = seen  # called on every request that passes (the idle timer)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # no websocket (nor anything else) is served
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        started = False

        async def secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0] not in dict(HEADERS)),
                    *HEADERS,
                ]
            await send(message)

        try:
            await self._checked(scope, receive, secured)
        except Exception:  # never a traceback (it may hold names) on the user's terminal
            if not started:
                await self._deny(secured, 500, "error")

    async def _checked(self, scope: Scope, receive: Receive, secured: Send) -> None:
        """The checks of the module's docstring, then the app."""
        if _header(scope, b"host") not in self.secret.hosts():
            await self._deny(secured, 403, "host")
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        token = query.get("token", "")
        if token and _same(token, self.secret.token) and scope["method"] == "GET":
            await self._login(scope, query, secured)
            return
        if not _same(_cookie(scope, self.secret.cookie_name), self.secret.cookie_value):
            await self._deny(secured, 403, "token")
            return
        if scope["method"] not in ("GET", "HEAD"):
            if scope["method"] != "POST" or _header(scope, b"origin") not in self.secret.origins():
                await self._deny(secured, 403, "origin")
                return
            # Browsers send a form's length; the server holds the body to it (HTTP framing).
            # A chunked body has no length to check beforehand: refused.
            length = _header(scope, b"content-length")
            chunked = _header(scope, b"transfer-encoding")
            if chunked or not length.isdigit() or int(length) > MAX_BODY:
                await self._deny(secured, 413, "size")
                return
        self.seen()
        await self.app(scope, receive, secured)

    async def _login(self, scope: Scope, query: dict[str, str], send: Send) -> None:
        """Swap the token in the address for the cookie, and drop it from the address bar."""
        rest = {k: v for k, v in query.items() if k != "token"}
        # Always a path of this app: one leading slash, every other character quoted.
        path = "/" + quote(str(scope.get("path", "/")).lstrip("/\\"), safe="/")
        location = path + (f"?{urlencode(rest)}" if rest else "")
        cookie = (
            f"{self.secret.cookie_name}={self.secret.cookie_value}; HttpOnly; SameSite=Strict; "
            "Path=/"
        )
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode())],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _deny(self, send: Send, status: int, reason: str) -> None:
        body = self.refused(reason)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
