"""Chinese words accepted wherever a fixed English value is typed (``--channel 电话``).

The core works with the English values (``call``, ``sms``, ``table`` …); the
fronts and the readers of target files pass what a person typed through
:func:`canonical` first.  A value not in the table is returned as it is, so
the usual check still names it and lists the accepted values.
"""

from __future__ import annotations

# Chinese (and a few common spellings) → the value the core knows.
ALIASES: dict[str, str] = {
    # how a collector reached a contact (mark --channel)
    "电话": "call", "打电话": "call", "来电": "call", "通话": "call",
    "短信": "sms", "信息": "sms", "彩信": "sms",
    "微信": "wechat", "weixin": "wechat",
    "上门": "visit", "登门": "visit",
    "其他": "other", "其它": "other",
    # the channel a message goes out by (preview/export --channel)
    "邮件": "email", "电子邮件": "email", "邮箱": "email", "mail": "email",
    # output formats
    "表格": "table", "表": "table",
    # languages of the messages (--lang)
    "中文": "zh", "汉语": "zh", "英文": "en", "英语": "en",
    # how numbers are written in an export (--phone-format)
    "国内": "national", "国内格式": "national", "国际": "e164", "国际格式": "e164",
    "纯数字": "digits", "数字": "digits",
    # where a complaint goes (complaint --to)
    "报警": "police", "公安": "police", "派出所": "police", "警察": "police", "110": "police",
    "互金协会": "nifa", "中国互联网金融协会": "nifa", "金融协会": "nifa",
    "金融监管": "12378", "工信部": "12321", "市场监管": "12315",
}  # fmt: skip


def canonical(value: str) -> str:
    """The English value for ``value`` typed in Chinese (or as it is, trimmed and lower-cased)."""
    key = value.strip()
    return ALIASES.get(key, ALIASES.get(key.lower(), key.lower() if key.isascii() else key))
