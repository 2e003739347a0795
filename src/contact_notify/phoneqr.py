"""What a phone's camera reads to open a message in its SMS app: ``SMSTO:`` text as a QR code.

``SMSTO:NUMBER:TEXT`` is the form camera scanners on Android and iPhone open
in the SMS app with the number and the text filled in.  The QR code is made
here, on this computer (segno, pure Python), never by a web service.
"""

from __future__ import annotations

import io

# Error correction M: survives a screen's glare and a slightly blurred photo; a 70-character
# Chinese SMS fits in a version 14 code, which a phone reads from a laptop screen.
ERROR_LEVEL = "m"


def smsto(number: str, text: str) -> str:
    """The ``SMSTO:`` contents for a number (E.164) and a message text."""
    return f"SMSTO:{number}:{text}"


def qr_png(contents: str, *, scale: int = 4) -> bytes:
    """A QR code of ``contents`` (UTF-8) as a PNG image, with the standard quiet zone."""
    import segno

    code = segno.make(contents, error=ERROR_LEVEL, micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
