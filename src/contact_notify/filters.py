"""Jinja filters for messages: Chinese name parts, phone masks and dates in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from contact_notify.names import given_name, surname

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def mask(number: str) -> str:
    """Hide most of a number: ``+8613800138000`` → ``138****8000``, ``+85291234567`` → ``****4567``.

    Eleven digits or more keep the first three and last four (as Chinese
    services print mobile numbers); shorter numbers keep only the last four,
    and very short ones only the last two, so at least half is always hidden.
    """
    from contact_notify.phones import national_digits

    digits = national_digits(number)
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    keep = 4 if len(digits) >= 8 else 2
    return "*" * max(0, len(digits) - keep) + digits[-keep:]


def _parse(value: str) -> tuple[date, str]:
    text = str(value).strip()
    if len(text) >= 16:
        moment = datetime.fromisoformat(text)
        return moment.date(), moment.strftime("%H:%M")
    return date.fromisoformat(text[:10]), ""


def date_zh(value: str) -> str:
    """``2026-11-27T21:30:00+08:00`` → ``2026年11月27日 21:30``; "" stays ""."""
    if not value:
        return ""
    day, time = _parse(value)
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text} {time}" if time else text


def date_en(value: str) -> str:
    """``2026-11-27T21:30:00+08:00`` → ``27 November 2026, 21:30``; "" stays ""."""
    if not value:
        return ""
    day, time = _parse(value)
    text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{text}, {time}" if time else text


_CHANNEL_ZH = {
    "call": "电话",
    "sms": "短信",
    "wechat": "微信",
    "visit": "上门",
    "other": "其他方式",
}
_CHANNEL_EN = {
    "call": "phone",
    "sms": "text message",
    "wechat": "WeChat",
    "visit": "a visit",
    "other": "other means",
}


def channel_zh(channel: str) -> str:
    """A reach channel in Chinese: ``call`` → ``电话``."""
    return _CHANNEL_ZH.get(channel, channel)


def channel_en(channel: str) -> str:
    """A reach channel in English words: ``sms`` → ``text message``."""
    return _CHANNEL_EN.get(channel, channel)


FILTERS: dict[str, Callable[..., Any]] = {
    "channel_zh": channel_zh,
    "channel_en": channel_en,
    "surname": surname,
    "given_name": given_name,
    "mask": mask,
    "date_zh": date_zh,
    "date_en": date_en,
}
