"""The ``app`` command: the whole job in the browser (the local web app of :mod:`contact_notify.web`)."""

from __future__ import annotations

from typing import Annotated

import typer

from contact_notify.cli.base import app, say, session
from contact_notify.i18n import _


@app.command("app")
def web_app(
    port: Annotated[
        int, typer.Option(help="The port to listen on [default: a free one].", show_default=False)
    ] = 0,
    host: Annotated[
        str, typer.Option(help="Only this computer's loopback address (127.0.0.1 or ::1).")
    ] = "127.0.0.1",
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open the page in the browser.")
    ] = True,
    idle_minutes: Annotated[
        int, typer.Option(help="Stop after this many minutes without a request.")
    ] = 60,
) -> None:
    """Do the whole job in the browser: import, mark, edit, send with QR codes, evidence.

    The app listens on this computer only; its address holds a secret, so open
    the one printed here.  Stop it with Ctrl-C; it also stops by itself after
    --idle-minutes without a request.

    Example: contact-notify app
    """
    import signal

    from contact_notify.web.server import start

    running = start(session(), host=host, port=port, idle_minutes=idle_minutes)

    def stopped(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # the window closed or the system stops: as Ctrl-C

    for name in ("SIGTERM", "SIGHUP"):  # SIGHUP: not on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stopped)
    try:
        say(_("contact-notify app is running; open this address in your browser:"))
        say(running.url, raw=True)
        say(_("(it holds a secret: do not share it; Ctrl-C stops the app)"))
        if browser:
            import webbrowser

            webbrowser.open(running.opener_uri)
        running.wait()
    except KeyboardInterrupt:  # Ctrl-C is how the app is meant to stop
        say(_("the app stopped"), err=True)
    finally:
        running.stop()  # the server ends, its upload folder goes
