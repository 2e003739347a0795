"""The sent code: the contacts ticked "sent" on the send page, in a few characters to type.

The send page (:mod:`contact_notify.sendpage`) shows it under its progress line;
``contact-notify sent --code CODE`` reads it back, so the ticks made on the
phone reach the case.  It is made to be read off a phone screen and typed:

* Symbols: Crockford's base 32, ``0-9 A-H J K M N P-T V-Z`` (no I, L, O, U).
  Read case-insensitively; ``O`` reads as ``0``, ``I`` and ``L`` as ``1``;
  dashes and spaces are ignored (the page shows dashes every four symbols).
* The first symbol is the version: ``1``.
* The last symbol is a check: the code's symbol values ``v0 … vn`` as the
  polynomial ``Σ vi·x^(n-i)`` over GF(32) (modulus ``x^5 + x^2 + 1``) must be
  zero.  One wrong symbol, and any two symbols swapped (in a code of up to 31
  symbols; any one wrong symbol at any length), always fail the check.
* Between them, numbers, each written in hexadecimal, most significant digit
  first, as one symbol per digit: the last digit of a number as ``0-9 A-F``,
  every digit before it as ``G-Z`` (``G`` = 0 … ``Z`` = 15).  The ids are
  sorted; the first number is the first id, each next one the step to the
  next id.  A step of ``0`` followed by a number ``n`` stands for the ``n``
  ids right after the last one (a run of consecutive ids).

Example: ids 3, 5, 6, 7, 8, 9 and 300 are ``1320-4HJ3-J``: version ``1``; ``3``
(id 3); ``2`` (5 = 3 + 2); ``0`` ``4`` (6 to 9, four ids after 5); ``HJ3``
(300 = 9 + 291, 291 = 0x123: 1 and 2 as ``H`` and ``J``, then ``3``); check ``J``.
"""

from __future__ import annotations

from collections.abc import Iterable

from contact_notify.errors import UsageError
from contact_notify.i18n import _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VERSION = 1
# Read as: the confusable letters fold to the digits they look like.
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
_IGNORED = frozenset(" -\t")
_MODULUS = 0b100101  # x^5 + x^2 + 1, primitive: x has order 31
_RUN_MIN = 3  # a run of this many consecutive ids (after one) is written as 0 n
_GROUP = 4  # symbols between dashes as shown
# A code names at most this many contacts, each at most this id (what the page's script
# counts exactly): a code typed by hand never makes the tool build a huge list.
MAX_IDS = 1_000_000
MAX_ID = 2**53 - 1


def _step(acc: int) -> int:
    """acc · x in GF(32)."""
    acc <<= 1
    return acc ^ _MODULUS if acc & 32 else acc


def _residue(values: Iterable[int]) -> int:
    acc = 0
    for value in values:
        acc = _step(acc) ^ value
    return acc


def _number(value: int) -> list[int]:
    digits = []
    while True:
        digits.append(value & 15)
        value >>= 4
        if not value:
            break
    digits.reverse()
    return [16 + d for d in digits[:-1]] + [digits[-1]]


def encode(ids: Iterable[int]) -> str:
    """The sent code of these contact ids (positive), dashed every four symbols."""
    ordered = sorted(set(ids))
    if ordered and ordered[0] < 1:
        raise ValueError(f"contact ids are positive: {ordered[0]}")
    values = [VERSION]
    last, i = 0, 0
    while i < len(ordered):
        values += _number(ordered[i] - last)
        last, i = ordered[i], i + 1
        run = 0
        while i + run < len(ordered) and ordered[i + run] == last + run + 1:
            run += 1
        if run >= _RUN_MIN:
            values += _number(0) + _number(run)
            last, i = last + run, i + run
    values.append(_step(_residue(values)))
    text = "".join(ALPHABET[v] for v in values)
    return "-".join(text[k : k + _GROUP] for k in range(0, len(text), _GROUP))


def _garbage() -> UsageError:
    return UsageError(
        _("that is not a sent code: it holds only the letters and digits the send page shows"),
        hint=_(
            "copy the code from the box under the progress line of the send page: "
            "contact-notify sent --code CODE"
        ),
    )


def decode(code: str) -> list[int]:
    """The contact ids a sent code names, sorted; a UsageError for a code mistyped or unknown."""
    try:
        values = [_VALUES[ch] for ch in code.upper() if ch not in _IGNORED]
    except KeyError:
        raise _garbage() from None
    if len(values) < 2:
        raise _garbage()
    if _residue(values) != 0:
        raise UsageError(
            _("the sent code {code} is mistyped: its check character does not match").format(
                code=code.strip().upper()
            ),
            hint=_(
                "compare it character by character with the code on the send page "
                "(or copy it from there) and run the command again"
            ),
        )
    if values[0] != VERSION:
        raise UsageError(
            _("the sent code is of a version this contact-notify does not know ({version})").format(
                version=ALPHABET[values[0]]
            ),
            hint=_("export the send page again with this contact-notify, then tick and copy"),
        )
    ids: list[int] = []
    numbers = _numbers(values[1:-1])
    last = 0
    for k, number in enumerate(numbers):
        if number == 0:  # a run: the next number says how many ids follow the last
            if not ids or k + 1 >= len(numbers) or numbers[k + 1] == 0:
                raise _garbage()
            continue
        if k > 0 and numbers[k - 1] == 0:
            if last + number > MAX_ID or len(ids) + number > MAX_IDS:
                raise _garbage()
            ids.extend(range(last + 1, last + number + 1))
        else:
            if last + number > MAX_ID or len(ids) >= MAX_IDS:
                raise _garbage()
            ids.append(last + number)
        last = ids[-1]
    return ids


def _numbers(values: list[int]) -> list[int]:
    """The numbers the payload's symbols write (a number cut short is garbage)."""
    numbers = []
    value, open_ = 0, False
    for v in values:
        value = (value << 4) | (v & 15)
        if value > MAX_ID:
            raise _garbage()
        open_ = v >= 16
        if not open_:
            numbers.append(value)
            value = 0
    if open_:
        raise _garbage()
    return numbers
