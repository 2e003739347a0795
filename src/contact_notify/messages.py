"""Compose the message for each reached contact: template choice, variables, rendering, length.

The template for a contact is, in this order: ``--template`` when given; the
contact's own choice (``contact-notify contact TARGET --template …``); the
first rule (``contact-notify rules``) whose group the contact is in; else
``default``.  A rule or choice names a relationship (``colleague``), a
built-in template or a file; a relationship picks the channel and language.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from contact_notify.errors import TemplateError
from contact_notify.i18n import _
from contact_notify.model import Phone, StoredContact, digits_only, has_cjk, name_key, name_keys
from contact_notify.phones import DEFAULT_REGION, display, is_mobile
from contact_notify.relationships import Lexicon, classify, clean_name, is_name_rule
from contact_notify.render import (
    RELATIONSHIPS,
    Template,
    Vars,
    info,
    load,
    relationship_of,
    render,
)
from contact_notify.sms import Segments, count
from contact_notify.store import Case

# In a preview without a sender: a gap in the message's own language, plain to see.
SENDER_PLACEHOLDERS = {"zh": "〔您的名字〕", "en": "[your name]"}
SENDER_PLACEHOLDER = SENDER_PLACEHOLDERS["en"]
DEFAULT_SMS_LIMIT = 2
_SUBJECT = "Subject:"


class Choice(NamedTuple):
    """Which template a contact gets, and why (a tuple: one is made per message)."""

    template: str
    reason: str


@dataclass(slots=True)
class Message:
    """One rendered message for one reached contact.

    Not frozen: a run builds one per reached contact (a frozen dataclass takes
    three times as long to build), and :func:`compose` puts in the user's edited
    texts once the round is composed.  Nothing changes one after that.
    """

    contact_id: int
    reach_id: int | None
    name: str
    phone: str
    phone_valid: bool
    body: str
    template: str
    channel: str = "sms"
    reason: str = ""
    subject: str = ""
    segments: Segments | None = None
    email: str = ""
    mobile: bool = False  # the phone is a valid mobile number: it can take an SMS
    relationship: str = "default"  # the relationship whose template was chosen
    salutation: str = ""  # contact.salutation as the template received it
    asked_salutation: str = ""  # the salutation the user set for this contact
    plain_name: str = ""  # the contact's personal name when it is no kinship form
    collectors: tuple[str, ...] = ()  # this contact's own collector numbers, display form
    elder: bool = False  # the contact is a family elder, whatever template --template forced
    edited: bool = False  # the body is the user's own text for this round, not the template's


def send_to(stored: StoredContact) -> Phone | None:
    """The number a message goes to: the one the collector reached, when it is a mobile;
    else the contact's first mobile, else the first valid number, else the first."""
    reached = stored.last_reach.contact_number if stored.last_reach else ""
    if reached and is_mobile(reached):
        for phone in stored.contact.phones:
            if phone.e164 == reached:
                return phone
    return stored.best_phone(is_mobile)


def salutation(
    stored: StoredContact, relationship: str | None = None, lexicon: Lexicon | None = None
) -> str:
    """How the message addresses the contact (``contact.salutation``, see docs/templates.md).

    The user's own choice for this contact; else, for a family elder, the
    kinship name as it stands (老妈, 舅舅, a note 李建国(爸爸) or a nickname),
    a titled name (王总) and "" for a plain personal name (the message opens
    without a name); else
    the form the name gives (王总 → 王总, 王芳老师 → 王老师, 小王同事 → 小王);
    else the nickname; else, for a Latin-script name, the given name; else the
    name without its bracketed notes when it has two characters or more (``李``
    alone gives "").  ``relationship`` is the one whose
    template was chosen (derived from the name when not given).
    """
    contact = stored.contact
    if stored.salutation:
        return stored.salutation
    name = stored.name  # a property: read once
    found = classify(name, contact.nickname, lexicon)
    chosen = relationship or (_relationship_of(found.template) if found else "default")
    if chosen == "family-elder":
        return found.salutation if found and (found.kinship or found.titled) else ""
    if found and found.salutation:
        return found.salutation
    if contact.nickname:
        return clean_name(contact.nickname)
    if not has_cjk(contact.name) and contact.given:
        return contact.given
    if contact.name:
        name = clean_name(name)
    return name if len(name) >= 2 else ""  # 李 alone is no way to address anyone


@functools.lru_cache(maxsize=256)
def _relationship_of(template: str) -> str:
    """The relationship a rule's or choice's template means; "default" for any other file."""
    found = relationship_of(template)
    return found if found in RELATIONSHIPS else "default"


def template_relationship(template: Template) -> str:
    """The relationship of a loaded template: its name's, else its metadata's, else default."""
    found = relationship_of(template.name)
    if found in RELATIONSHIPS:
        return found
    declared = info(template.name, template.path).relationship
    return declared if declared in RELATIONSHIPS else "default"


def choose(
    stored: StoredContact,
    rules: Sequence[tuple[str, str]],
    forced: str | None,
    lexicon: Lexicon | None = None,
) -> Choice:
    """The template a contact gets and the reason, as ``preview`` and ``export`` report it.

    ``--template``; the contact's own choice; the first group rule whose group
    the contact is in; what the name says (the user's ``name:`` rules, then the
    built-in list of :mod:`contact_notify.relationships`); else ``default``.
    """
    if forced:
        return Choice(forced, "--template")
    if stored.template:
        return Choice(stored.template, _("chosen for this contact"))
    if stored.contact.groups:
        groups = {_group_key(g): g for g in stored.contact.groups}
        for key, template in _group_rules(rules if type(rules) is tuple else tuple(rules)):
            if key in groups:
                return _group_choice(template, _("group {group}"), groups[key])
    found = classify(stored.name, stored.contact.nickname, lexicon or Lexicon.from_rules(rules))
    if found:
        nickname = clean_name(stored.contact.nickname) if stored.contact.nickname else ""
        if nickname and found.source == nickname and nickname not in stored.name:
            reason = _("nickname {name} → {relationship}").format(
                name=nickname, relationship=found.template
            )
        else:
            reason = _("name {name} → {relationship}").format(
                name=stored.name, relationship=found.template
            )
        if found.rule:
            reason = _("{reason} (rule {rule})").format(reason=reason, rule=found.rule)
        return Choice(found.template, reason)
    return Choice("default", _("no rule for the contact's groups"))


# A group's compared form (a case has few groups, and most contacts are in one or two).
_group_key = functools.lru_cache(maxsize=1024)(name_key)


@functools.lru_cache(maxsize=1024)
def _group_choice(template: str, frame: str, group: str) -> Choice:
    """The choice a group rule makes, with its reason in ``frame`` (one object per group)."""
    return Choice(template, frame.format(group=group))


@functools.lru_cache(maxsize=16)
def _group_rules(rules: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The group rules (not ``name:`` rules) in order, each group in its compared form."""
    return tuple(
        (name_key(group), template) for group, template in rules if not is_name_rule(group)
    )


def variables(
    stored: StoredContact,
    sender: str,
    collectors: list[str],
    region: str = DEFAULT_REGION,
    sender_contact: str = "",
    *,
    sender_short: str = "",
    relationship: str | None = None,
    lexicon: Lexicon | None = None,
    phone: Phone | Literal[False] | None = False,
) -> dict[str, Any]:
    """The documented template variables for one contact (see docs/templates.md).

    ``collectors`` are this contact's own collector numbers, latest reach
    first (:func:`own_collectors`).  Numbers are written the way people of the
    case's region write them (``170 1234 5678`` at home, ``+852 9123 4567``
    abroad).  ``relationship`` is the one whose template was chosen (derived
    from the name when not given); ``sender_short`` falls back to ``sender``; ``phone``:
    :func:`send_to`'s answer, when the caller has it.
    """
    return _variables(
        stored, sender, collectors, region, sender_contact,
        sender_short=sender_short, relationship=relationship, lexicon=lexicon, phone=phone,
    )[0]  # fmt: skip


def _variables(
    stored: StoredContact,
    sender: str,
    collectors: list[str],
    region: str = DEFAULT_REGION,
    sender_contact: str = "",
    *,
    sender_short: str = "",
    relationship: str | None = None,
    lexicon: Lexicon | None = None,
    phone: Phone | Literal[False] | None = False,
) -> tuple[dict[str, Any], tuple[int, int]]:
    """:func:`variables`, and their size as :func:`render.measure` counts it (characters and
    list items), counted while they are made: compose hands it to the render, which
    would otherwise walk every value of every message to learn it."""
    contact = stored.contact
    if phone is False:
        phone = send_to(stored)
    reach = stored.last_reach
    name = stored.name
    if relationship is None:
        found = classify(name, contact.nickname, lexicon)
        relationship = _relationship_of(found.template) if found else "default"
    groups = list(contact.groups)
    about = {
        "name": name,
        "family": contact.family,
        "given": contact.given,
        "nickname": contact.nickname,
        "salutation": salutation(stored, relationship, lexicon),
        "relationship": relationship,
        "org": contact.org,
        "groups": groups,
        "phone": phone.number if phone else "",
    }
    at = reach.at if reach else ""
    reached: dict[str, Any] = {
        "at": at,
        "date": at[:10],
        "by": display(reach.by, region) if reach and reach.by else "",
        "note": reach.note if reach else "",
    }
    shown = _displayed(collectors, region)
    signed = _sender(sender, sender_short or sender, sender_contact)
    # Every text once (the groups' list counted by its texts, not its length), with the
    # namespaces' own labels, as render.measure counts them.
    chars = (
        sum(map(len, about.values())) - len(groups) + sum(map(len, groups))
        + sum(map(len, reached.values())) + sum(map(len, shown))
        + _sender_chars(signed) + len("contact") + len("reach")
    )  # fmt: skip
    reached["count"] = stored.reach_count
    values: dict[str, Any] = {
        "contact": Vars.of("contact", about),
        "sender": signed,
        "reach": Vars.of("reach", reached),
        "collectors": shown,
    }
    return values, (chars, len(groups) + len(shown))


@functools.lru_cache(maxsize=4)
def _sender_chars(sender: Vars) -> int:
    """The characters of the sender's variables (one object for every message of a run)."""
    return sum(map(len, sender.__dict__.values()))


@functools.lru_cache(maxsize=4)
def _sender(name: str, short: str, contact: str) -> Vars:
    """The ``sender`` variables, one object for every message of a run (templates only read it)."""
    return Vars("sender", name=name, short=short, contact=contact)


def _displayed(numbers: list[str], region: str) -> list[str]:
    """Numbers in display form, each once (two stored forms may show alike)."""
    shown: list[str] = []
    for number in numbers:
        form = display(number, region)
        if form not in shown:
            shown.append(form)
    return shown


def own_collectors(reaches: list[tuple[int, tuple[str, ...]]]) -> dict[int, list[str]]:
    """Each contact's own collector numbers: its latest reach's first, each number once.

    ``reaches``: (contact id, collector numbers) of each record, oldest first, as
    :meth:`Case.reach_numbers` gives them.
    """
    found: dict[int, list[str]] = {}
    for contact_id, reach_numbers in reversed(reaches):
        numbers = found.setdefault(contact_id, [])
        numbers.extend(n for n in reach_numbers if n not in numbers)
    return found


def split_subject(template: str, text: str) -> tuple[str, str]:
    """An e-mail template's rendered text: the ``Subject:`` first line, then the body."""
    first, _newline, rest = text.partition("\n")
    if not first.startswith(_SUBJECT):
        raise TemplateError(
            _("template {name}: an e-mail template must start with a '{subject} …' line").format(
                name=template, subject=_SUBJECT
            )
        )
    return first.removeprefix(_SUBJECT).strip(), rest.lstrip("\n")


def render_message(
    template: Template,
    values: dict[str, Any],
    channel: str,
    size: tuple[int, int] | None = None,
) -> tuple[str, str, Segments | None]:
    """A template rendered for a channel: the subject (e-mail), the text, and its SMS parts (sms).

    ``size``: the values' size, when counted as they were made (see :func:`render.render`).
    """
    text = render(template, values, size=size)
    subject = ""
    if channel == "email":
        subject, text = split_subject(template.name, text)
    return subject, text, count(text.rstrip("\n")) if channel == "sms" else None


def compose(
    case: Case,
    sender: str,
    *,
    template: str | None = None,
    lang: str = "zh",
    channel: str = "sms",
    limit: int | None = None,
    include_sent: bool = False,
    sender_short: str | None = None,
    only: int | None = None,
) -> list[Message]:
    """Render the message for each reached contact, most recently reached first.

    Contacts already sent a message for their latest reach are left out
    unless ``include_sent``: nobody gets the same apology twice.  ``sender_short``
    overrides ``config sender-short`` (a --sender given for this run signs every message).
    A contact whose latest reach has an edited message on ``channel`` gets that
    text as the body instead of the template's (an e-mail keeps the rendered subject).
    ``only``: that one contact's message, if it has one (the app's QR code and "sent").
    """
    reached: Iterable[StoredContact] = (
        s
        for s in case.iter_reached_contacts(sources=False)
        if (include_sent or not s.sent) and (only is None or s.id == only)
    )
    if limit is not None:
        reached = itertools.islice(reached, max(limit, 0))
    several: dict[int, list[str]] | None = None  # read when the first message is composed
    region = case.get_setting("region") or DEFAULT_REGION
    sender_contact = case.get_setting("sender-contact") or ""
    if sender_short is None:
        sender_short = case.get_setting("sender-short") or ""
    rules = tuple(case.rules())  # a tuple: choose() looks its group rules up by it
    lexicon = Lexicon.from_rules(rules)
    loaded: dict[str, tuple[Template, str]] = {}  # each template and its relationship
    if template:  # fail on a wrong --template even when nobody is reached yet
        loaded[template] = _loaded(template, lang, channel)
    messages = []
    for stored in reached:
        choice = choose(stored, rules, template, lexicon)
        if choice.reason != "--template":
            # A rule or choice naming one built-in (colleague.email.zh) means its relationship:
            # the message follows --channel and --lang, never an e-mail text in an SMS.
            meant = relationship_of(choice.template)
            if meant != choice.template:
                choice = Choice(meant, choice.reason)
        if choice.template not in loaded:
            loaded[choice.template] = _loaded(choice.template, lang, channel)
        chosen, relationship = loaded[choice.template]
        if several is None:
            # The collectors of every contact reached more than once: the others' one reach
            # gives theirs.
            several = own_collectors(case.reach_numbers(several=True))
        own = several.get(stored.id)
        if own is None:
            own = list(dict.fromkeys(stored.last_reach.numbers)) if stored.last_reach else []
        phone = send_to(stored)
        values, size = _variables(
            stored, sender, own, region, sender_contact,
            sender_short=sender_short, relationship=relationship, lexicon=lexicon, phone=phone,
        )  # fmt: skip
        subject, text, segments = render_message(chosen, values, channel, size)
        own_choice = (
            choose(stored, rules, None, lexicon) if choice.reason == "--template" else choice
        )
        messages.append(
            make_message(
                stored, values, (subject, text, segments), chosen.name, channel, choice.reason,
                relationship, stored.last_reach.id if stored.last_reach else None, phone, lexicon,
                "family-elder" in (relationship, _relationship_of(own_choice.template)),
            )
        )  # fmt: skip
    if messages:
        # The user's own text for this round, read for the contacts composed (only theirs).
        edits = case.message_edits(channel, {m.contact_id for m in messages})
        for m in messages:
            edited = edits.get(m.contact_id)
            if edited is not None:
                m.body = edited_body(edited)
                m.segments = count(m.body.rstrip("\n")) if channel == "sms" else None
                m.edited = True
    return messages


def _loaded(name: str, lang: str, channel: str) -> tuple[Template, str]:
    """A template, loaded, and its relationship (read once per run, not once per message)."""
    template = load(name, lang, channel)
    return template, template_relationship(template)


# The most characters an edited message may hold (a long e-mail; an SMS is far shorter).
EDIT_LIMIT = 2000


def clean_edit(text: str) -> str:
    """An edited message as stored: line ends as ``\\n``, no blank space around it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def edited_body(text: str) -> str:
    """An edited message as a body: cleaned, ending with a line end as a rendered one does."""
    return clean_edit(text) + "\n"


def make_message(
    stored: StoredContact,
    values: dict[str, Any],
    rendered: tuple[str, str, Segments | None],
    template: str,
    channel: str,
    reason: str,
    relationship: str,
    reach_id: int | None,
    phone: Phone | None,
    lexicon: Lexicon | None = None,
    elder: bool = False,
    edited: bool = False,
) -> Message:
    """The :class:`Message` for one contact from its rendered text (``compose`` and warnings).

    ``phone``: the number it goes to, :func:`send_to`'s answer (the caller has it already).
    ``compose`` passes every argument by position (a call with keywords takes longer, once
    per message); other callers name them.
    """
    subject, text, segments = rendered
    contact = stored.contact
    name = stored.name  # a property: read once
    found = classify(name, contact.nickname, lexicon)
    # Positional, in the fields' order: keywords take longer, once per message.
    return Message(
        stored.id,
        reach_id,
        name,
        phone.number if phone else "",
        bool(phone and phone.valid),
        text,
        template,
        channel,
        reason,
        subject,
        segments,
        contact.emails[0] if contact.emails else "",
        bool(phone and phone.e164 and is_mobile(phone.e164)),
        relationship,
        values["contact"].salutation,
        stored.salutation,
        "" if found and (found.kinship or found.titled) else clean_name(name),
        tuple(values["collectors"]),
        elder,
        edited,
    )


def sms_limit(case: Case) -> int:
    """The number of SMS parts above which a message is too long (``config sms-limit``)."""
    value = case.get_setting("sms-limit")
    return int(value) if value and value.isdigit() else DEFAULT_SMS_LIMIT


def too_long(messages: list[Message], limit: int) -> list[Message]:
    """The SMS messages that take more parts than the limit."""
    return [m for m in messages if m.segments is not None and m.segments.parts > limit]


def refuse_long(messages: list[Message], limit: int) -> None:
    """``export --strict``: refuse when messages are over the SMS part limit."""
    if messages:
        raise TemplateError(
            _("{count} message(s) take more than {limit} SMS parts; nothing was written").format(
                count=len(messages), limit=limit
            ),
            hint=_(
                "shorten the template, raise the limit (contact-notify config sms-limit 3) "
                "or leave out --strict"
            ),
            details=tuple(
                _("warning: the message to {name} takes {parts} SMS parts (limit {limit})").format(
                    name=m.name, parts=m.segments.parts, limit=limit
                )
                for m in messages
                if m.segments is not None
            ),
        )


# What a review finds in a message before it is sent (besides the SMS parts).
ELDER_BY_NAME = "elder-by-name"  # a family elder addressed by their personal name
NO_SALUTATION = "no-salutation"  # the salutation the user set does not appear
NO_COLLECTOR = "no-collector"  # no collector number named, though this contact's are known


@dataclass(frozen=True)
class Flag:
    """One thing to look at in a message before sending it."""

    message: Message
    kind: str  # ELDER_BY_NAME, NO_SALUTATION or NO_COLLECTOR
    text: str  # the warning, in the interface language


def _names_a_number(body: str, numbers: tuple[str, ...]) -> bool:
    """True when the text writes one of the numbers (as displayed, or its digits)."""
    for number in numbers:
        if number in body:
            return True  # as displayed: the usual case, and no need to fold the text
    digits = digits_only(body)
    return any(digits_only(n) and digits_only(n) in digits for n in numbers)


def _by_name(m: Message, text: str | None = None) -> bool:
    """True when a message to a family elder calls them by their plain personal name
    (``text``: the subject and body as :func:`review` joins them, when it has them)."""
    return (
        (m.relationship == "family-elder" or m.elder)
        and len(m.plain_name) >= 2
        and m.plain_name in (f"{m.subject}\n{m.body}" if text is None else text)
    )


def review(messages: list[Message], targets: dict[int, str] | None = None) -> list[Flag]:
    """What to look at before sending: an elder addressed by name, a salutation left out,
    no collector number named though this contact's are known (SMS parts: :func:`too_long`).

    ``targets``: how a command names each contact (:func:`command_targets`).
    """
    flags = []
    targets = targets or {}
    for m in messages:
        text = f"{m.subject}\n{m.body}"
        if _by_name(m, text):
            target = targets.get(m.contact_id, m.name)
            flags.append(
                Flag(m, ELDER_BY_NAME, _(
                    "the message to {name} addresses a family elder by their own name; set how "
                    "to address them: {command}"
                ).format(name=m.name, command=salutation_command(target, message_lang(m))))
            )  # fmt: skip
        if m.asked_salutation and m.asked_salutation not in text:
            flags.append(
                Flag(m, NO_SALUTATION, _(
                    "the message to {name} does not use the salutation you set ({salutation}); "
                    "its template leaves out contact.salutation"
                ).format(name=m.name, salutation=m.asked_salutation))
            )  # fmt: skip
        if m.collectors and not _names_a_number(text, m.collectors):
            flags.append(
                Flag(m, NO_COLLECTOR, _(
                    "the message to {name} names no collector number, though theirs is known "
                    "({numbers})"
                ).format(name=m.name, numbers=_(", ").join(m.collectors)))
            )  # fmt: skip
    return flags


# An example salutation in the language of the message it goes into, and others to choose from
# (the tool cannot tell a mother from a father by the name).
EXAMPLE_SALUTATION = {"zh": "妈妈", "en": "Mum"}
OTHER_SALUTATIONS = {"zh": "妈妈、爸爸、舅舅、姑姑", "en": "Mum, Dad, Uncle Wang"}


def salutation_command(target: str, lang: str | None = None) -> str:
    """The command that sets a contact's salutation, ready to copy (``--salutation 爸爸``).

    The example is in the message's language (a Chinese message gets 妈妈, not
    Mum); without one, in the interface language.
    """
    example = EXAMPLE_SALUTATION.get(lang or "") or _("Mum")  # translated only when needed
    return f"contact-notify contact {_shell_word(target)} --salutation {example}"


def message_lang(message: Message) -> str | None:
    """The language of a built-in template's message (``….zh``), else None."""
    suffix = message.template.rsplit(".", 1)[-1]
    return suffix if suffix in EXAMPLE_SALUTATION else None


# Characters a shell (sh, PowerShell, cmd) treats specially in a bare word.
_SHELL_SPECIAL = frozenset(" \t\n\r'\"\\$`|&;<>()*?[]{}!#~%^=,")
_SHELL_SPECIAL_CHAR = re.compile("[" + re.escape("".join(sorted(_SHELL_SPECIAL))) + "]")


def _shell_word(word: str) -> str:
    """A word as typed on a command line: as it is (Chinese too), quoted when it has to be."""
    if word and _SHELL_SPECIAL_CHAR.search(word) is None:
        return word
    return "'" + word.replace("'", "'\"'\"'") + "'"


def command_targets(case: Case, messages: list[Message]) -> dict[int, str]:
    """How a command names each message's contact: the name, or ``id:N`` when it is not unique.

    A message's name is its contact's name (or, for a contact without one, its number or
    address, which no contact is named after unless one is): it is unique when exactly one
    contact's name compares equal to it.
    """
    counts = Counter(name_keys(case.names()))
    keys = name_keys([m.name for m in messages])
    return {
        m.contact_id: m.name if m.name and counts[key] == 1 else f"id:{m.contact_id}"
        for m, key in zip(messages, keys, strict=True)
    }


@dataclass(frozen=True)
class Unnamed:
    """A family elder whose message opens without a name, and the command to give one."""

    name: str
    command: str
    others: str = ""  # other salutations to choose from instead of the example


def unnamed_elders(messages: list[Message], targets: dict[int, str] | None = None) -> list[Unnamed]:
    """Family elders addressed without a name (their name is a plain personal name)."""
    others = _("Mum, Dad, Uncle Wang")  # once a run: a run may hold thousands of elders
    targets = targets or {}
    unnamed = []
    for m in messages:
        if (
            m.relationship == "family-elder"
            and not m.salutation
            and not m.asked_salutation
            and not _by_name(m)  # flagged by review instead
        ):
            lang = message_lang(m)
            unnamed.append(
                Unnamed(
                    m.name,
                    salutation_command(targets.get(m.contact_id, m.name), lang),
                    OTHER_SALUTATIONS.get(lang or "", others),
                )
            )
    return unnamed


def refuse_flagged(long: list[Message], flags: list[Flag], limit: int) -> None:
    """``export --strict``: refuse when a message is over the SMS limit or was flagged."""
    if not flags:
        refuse_long(long, limit)
        return
    count = len({m.contact_id for m in long} | {f.message.contact_id for f in flags})
    raise TemplateError(
        _("{count} message(s) need a look before sending; nothing was written").format(count=count),
        hint=_("fix what the warnings say, or leave out --strict"),
        details=tuple(
            _("warning: the message to {name} takes {parts} SMS parts (limit {limit})").format(
                name=m.name, parts=m.segments.parts, limit=limit
            )
            for m in long
            if m.segments is not None
        )
        + tuple(_("warning: {text}").format(text=f.text) for f in flags),
    )
