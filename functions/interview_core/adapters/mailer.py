"""Sending one email over SMTP (stdlib smtplib): the stack's mail catcher locally, a provider's relay
in production (SMTP_HOST, SMTP_PORT, SMTP_SECURITY; SMTP_USERNAME and SMTP_PASSWORD from Secret
Manager).

A failure is returned as a short reason made of the SMTP reply code and the error's class, never the
server's text: a refused recipient's reply names the address, and addresses stay out of logs and
out of what the dashboard stores.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from interview_core.settings import Settings

log = logging.getLogger("mailer")


class MailNotSent(Exception):
    """The relay did not take the message; `reason` is safe to store and show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def send(message: EmailMessage, settings: Settings) -> None:
    """Hand `message` to the relay; raises MailNotSent with a storable reason."""
    if not settings.smtp_host:
        raise MailNotSent("no mail server is configured (SMTP_HOST)")
    try:
        with _connect(settings) as smtp:
            if settings.smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.secret("smtp_password"))
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = sorted({code for code, _ in error.recipients.values()})
        raise MailNotSent(f"recipient refused ({', '.join(map(str, codes))})") from None
    except smtplib.SMTPResponseException as error:
        raise MailNotSent(f"{_describe(error)} ({error.smtp_code})") from None
    except smtplib.SMTPException as error:
        raise MailNotSent(_describe(error)) from None
    except (OSError, TimeoutError) as error:
        raise MailNotSent(f"mail server unreachable ({type(error).__name__})") from None


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_security == "tls":
        return smtplib.SMTP_SSL(
            settings.smtp_host,
            settings.smtp_port,
            timeout=settings.smtp_timeout_seconds,
            context=ssl.create_default_context(),
        )
    return smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds)


_NAMES = {
    smtplib.SMTPAuthenticationError: "authentication refused",
    smtplib.SMTPSenderRefused: "sender refused",
    smtplib.SMTPDataError: "message refused",
    smtplib.SMTPHeloError: "greeting refused",
    smtplib.SMTPNotSupportedError: "not supported by the server",
    smtplib.SMTPServerDisconnected: "server disconnected",
}


def _describe(error: smtplib.SMTPException) -> str:
    for cls in type(error).__mro__:
        if cls in _NAMES:
            return _NAMES[cls]
    return f"smtp error ({type(error).__name__})"
