"""The local web app (``contact-notify app``): a second front on the same actions.

* :mod:`.guard`: what every request passes (host, secret, origin, size, headers);
* :mod:`.pages`: one handler per page or form, each one action call;
* :mod:`.server`: loopback only, uvicorn in a thread, the idle stop.

Nothing here is imported by the command line until ``app`` runs, so
``contact-notify --help`` loads neither Starlette, uvicorn nor segno.
"""
