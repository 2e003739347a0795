"""Run the local app: loopback only, a secret in the address, stopped by Ctrl-C or when idle."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from contact_notify.actions.session import Session
from contact_notify.errors import UsageError
from contact_notify.i18n import _

# The app stops by itself after this long without a request (the page holds personal data).
IDLE_MINUTES = 60


def check_loopback(host: str) -> str:
    """``host`` when it is this computer's loopback address; anything else is refused."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise UsageError(
            _("the app only listens on this computer (127.0.0.1), not on {host}").format(
                host=repr(host)
            ),
            hint=_(
                "the pages hold other people's names and numbers: leave out --host, "
                "and open the app on the computer it runs on"
            ),
        )
    return str(address)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on a loopback address (``port`` 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            _("cannot listen on port {port}: {reason}").format(port=port, reason=exc.strerror),
            hint=_("leave out --port to take a free one"),
        ) from None
    sock.listen(64)
    return sock


@dataclass
class Running:
    """The address to open, with its secret, and how to wait for the end."""

    url: str
    wait: Callable[[], None]
    stop: Callable[[], None]
    opener: Path  # an owner-only page that goes to ``url``: what a browser is started with

    @property
    def opener_uri(self) -> str:
        """``file://`` of :attr:`opener`: the secret stays off every command line."""
        return self.opener.as_uri()


def start(
    session: Session,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    idle_minutes: float = IDLE_MINUTES,
) -> Running:
    """Start the app on a loopback address in a background thread; :attr:`Running.wait` blocks."""
    import uvicorn

    from contact_notify.web.guard import Secret
    from contact_notify.web.pages import State, make_app

    address = check_loopback(host)
    sock = bind(address, port)
    chosen = sock.getsockname()[1]
    secret = Secret(chosen)
    uploads = Path(tempfile.mkdtemp(prefix="contact-notify-app-"))  # 0700
    last = [time.monotonic()]

    def seen() -> None:
        last[0] = time.monotonic()

    app = make_app(State(session, secret, uploads), seen)
    # No access log and no error log: a log line could hold a name or the secret; the guard
    # answers every failure itself (a page without data).
    config = uvicorn.Config(
        app, log_level="critical", access_log=False, server_header=False, lifespan="off",
        timeout_graceful_shutdown=2, ws="none",
    )  # fmt: skip
    server = uvicorn.Server(config)

    def idle_watch() -> None:
        while not server.should_exit:
            if time.monotonic() - last[0] > idle_minutes * 60:
                server.should_exit = True
            time.sleep(1)

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        finally:
            sock.close()
            shutil.rmtree(uploads, ignore_errors=True)

    thread = threading.Thread(target=serve, name="contact-notify-app", daemon=True)
    thread.start()
    threading.Thread(target=idle_watch, name="contact-notify-idle", daemon=True).start()
    shown = f"[{address}]" if ":" in address else address
    url = f"http://{shown}:{chosen}/?token={secret.token}"
    # A browser started with the address would show the secret to every user of this
    # computer (the process list); it is started with this private page instead (as Jupyter).
    opener = uploads / "open.html"
    opener.write_text(
        f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}">'
        f'<a href="{url}">contact-notify</a>',
        encoding="utf-8",
    )
    opener.chmod(0o600)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)
        shutil.rmtree(uploads, ignore_errors=True)

    def wait() -> None:
        try:
            while thread.is_alive():
                thread.join(0.5)
        finally:
            stop()

    return Running(url, wait, stop, opener)
