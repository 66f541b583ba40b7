"""The candidate's invite and reminder emails: texts per language, composed as text + HTML. Pure: no I/O.

A language is one `MailTexts` in TEXTS (keyed by the interview's BCP-47 primary subtag); an interview
in a language without one gets English. Every value put into the HTML is escaped; the texts are
`str.format` templates over the names of `_values`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from .models import MailKind


@dataclass(frozen=True)
class MailTexts:
    """One language's wording. Placeholders: {name}, {role}, {minutes}, {expires}."""

    invite_subject: str
    reminder_subject: str
    greeting: str
    invite_body: str
    reminder_body: str
    button: str
    expiry: str
    link_hint: str
    footer: str


ENGLISH = MailTexts(
    invite_subject="Your interview for {role}",
    reminder_subject="Reminder: your interview for {role}",
    greeting="Hello {name},",
    invite_body=(
        "you are invited to a {minutes}-minute voice interview for the role of {role}, with an AI "
        "interviewer. Take it whenever suits you, in a quiet place with a microphone."
    ),
    reminder_body=(
        "your {minutes}-minute voice interview for the role of {role} is still waiting for you. "
        "The link below stops working soon."
    ),
    button="Start the interview",
    expiry="The link works until {expires} (UTC).",
    link_hint="If the button does not work, copy this link into your browser:",
    footer="You receive this email because a hiring team invited you to an interview.",
)

GERMAN = MailTexts(
    invite_subject="Ihr Interview für {role}",
    reminder_subject="Erinnerung: Ihr Interview für {role}",
    greeting="Hallo {name},",
    invite_body=(
        "Sie sind zu einem {minutes}-minütigen Sprachinterview für die Stelle {role} mit einem "
        "KI-Interviewer eingeladen. Führen Sie es durch, wann es Ihnen passt, an einem ruhigen Ort "
        "mit Mikrofon."
    ),
    reminder_body=(
        "Ihr {minutes}-minütiges Sprachinterview für die Stelle {role} wartet noch auf Sie. "
        "Der Link unten ist nur noch kurz gültig."
    ),
    button="Interview starten",
    expiry="Der Link ist bis {expires} (UTC) gültig.",
    link_hint="Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:",
    footer="Sie erhalten diese E-Mail, weil ein Recruiting-Team Sie zu einem Interview eingeladen hat.",
)

TEXTS: dict[str, MailTexts] = {"en": ENGLISH, "de": GERMAN}
"""Add a language here; interviews in any other language get English."""


@dataclass(frozen=True)
class InviteMail:
    """What one email says, independent of who sends it."""

    kind: MailKind
    language: str
    candidate_name: str
    candidate_email: str
    role: str
    duration_minutes: int
    expires_at: datetime
    url: str


def texts_for(language: str) -> MailTexts:
    return TEXTS.get(language.split("-")[0].lower(), ENGLISH)


def _values(mail: InviteMail) -> dict[str, str]:
    return {
        "name": mail.candidate_name,
        "role": mail.role,
        "minutes": str(mail.duration_minutes),
        "expires": f"{mail.expires_at:%Y-%m-%d %H:%M}",
    }


def compose(mail: InviteMail, *, sender: str) -> EmailMessage:
    """The message, text first and HTML as the alternative, ready for smtplib's send_message."""
    words = texts_for(mail.language)
    values = _values(mail)
    invite = mail.kind == MailKind.INVITE
    subject = (words.invite_subject if invite else words.reminder_subject).format(**values)
    body = (words.invite_body if invite else words.reminder_body).format(**values)
    greeting = words.greeting.format(**values)
    expiry = words.expiry.format(**values)

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = formataddr((mail.candidate_name, mail.candidate_email))
    message["Message-ID"] = make_msgid(domain="ai-interviewer")
    message.set_content(
        f"{greeting}\n\n{body}\n\n{words.button}: {mail.url}\n\n{expiry}\n\n-- \n{words.footer}\n"
    )
    message.add_alternative(_html(words, greeting, body, expiry, mail), subtype="html")
    message["Content-Language"] = mail.language  # after the parts: set_content drops Content-* headers
    return message


def _html(words: MailTexts, greeting: str, body: str, expiry: str, mail: InviteMail) -> str:
    e = html.escape
    url = e(mail.url, quote=True)
    return (
        f'<!doctype html><html lang="{e(mail.language)}"><body style="font-family:sans-serif;'
        'line-height:1.5;color:#1f2933;max-width:36rem">'
        f"<p>{e(greeting)}</p><p>{e(body)}</p>"
        f'<p><a href="{url}" style="display:inline-block;padding:.6rem 1.2rem;background:#2557d6;'
        f'color:#fff;text-decoration:none;border-radius:.3rem">{e(words.button)}</a></p>'
        f'<p>{e(expiry)}</p><p style="font-size:.85rem">{e(words.link_hint)}<br>'
        f'<a href="{url}">{e(mail.url)}</a></p>'
        f'<hr><p style="font-size:.8rem;color:#616e7c">{e(words.footer)}</p></body></html>'
    )
