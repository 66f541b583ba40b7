"""Emailing the candidate their invite link: at creation, when the recruiter resends, and as a reminder
before the invite expires (the sweeper). Each delivery's state (sending, sent, failed and why) is
kept on the interview (`emails`), where the dashboard reads it.

Only the hash of an invite secret is stored, so a later email cannot repeat the first link: a resend
or a reminder mints a new secret for the same interview and adds its hash beside the first
(`invite.extra_secret_hashes`, at most MAX_EMAILED_LINKS), and every link works until the invite
expires. The state is written in its own transaction before and after the SMTP exchange, never
around it, so a retried transaction cannot send twice; a reminder is claimed (its due time cleared)
before it is sent, so overlapping sweeps send it once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from interview_core.adapters import mailer
from interview_core.adapters.firestore_store import InterviewStore
from interview_core.domain import invites
from interview_core.domain.errors import IllegalTransition, LimitReached
from interview_core.domain.invite_email import InviteMail, compose
from interview_core.domain.models import (
    MAX_EMAILED_LINKS,
    EmailDelivery,
    Interview,
    InterviewStatus,
    MailKind,
)
from interview_core.observability import interview_id_var
from interview_core.settings import Settings

log = logging.getLogger("invite_delivery")


def reminder_due_at(created_at: datetime, expires_at: datetime, settings: Settings) -> datetime | None:
    """When the reminder goes: the lead time before expiry; None if reminders are off or it would
    be due as soon as the invite is made."""
    if settings.invite_reminder_lead_hours <= 0:
        return None
    due = expires_at - timedelta(hours=settings.invite_reminder_lead_hours)
    return due if due > created_at else None


def sending(kind: MailKind, now: datetime) -> EmailDelivery:
    return EmailDelivery(kind=kind, status="sending", at=now)


def deliver(
    store: InterviewStore,
    interview: Interview,
    secret: str,
    kind: MailKind,
    settings: Settings,
    now: datetime,
) -> EmailDelivery:
    """Send one email with the link for `secret` and record how it went under emails.<kind>."""
    mail = InviteMail(
        kind=kind,
        language=interview.language,
        candidate_name=interview.candidate.name,
        candidate_email=str(interview.candidate.email),
        role=interview.role,
        duration_minutes=interview.duration_minutes,
        expires_at=interview.invite.expires_at,
        url=invites.invite_url(settings.public_base_url, interview.id, secret),
    )
    try:
        mailer.send(compose(mail, sender=settings.mail_from), settings)
        delivery = EmailDelivery(kind=kind, status="sent", at=now)
        log.info("candidate email sent", extra={"kind": kind.value, "language": interview.language})
    except mailer.MailNotSent as error:
        delivery = EmailDelivery(kind=kind, status="failed", at=now, reason=error.reason)
        log.warning("candidate email failed", extra={"kind": kind.value, "reason": error.reason})
    field = f"emails.{kind.value}"
    store.update_in_transaction(interview.id, lambda _: {field: delivery.model_dump()})
    return delivery


def _new_link(interview: Interview, now: datetime, kind: MailKind) -> tuple[str, dict[str, Any]]:
    """A fresh secret and the updates that make its link valid (refused when the invite is not open)."""
    if interview.status != InterviewStatus.INVITED or now >= interview.invite.expires_at:
        raise IllegalTransition(f"an interview that is {interview.status.value} takes no invite email")
    if len(interview.invite.extra_secret_hashes) >= MAX_EMAILED_LINKS:
        raise LimitReached(f"the invite was emailed {MAX_EMAILED_LINKS + 1} times already")
    secret = invites.new_secret()
    updates: dict[str, Any] = {
        "invite.extra_secret_hashes": [
            *interview.invite.extra_secret_hashes,
            invites.hash_secret(secret),
        ],
        f"emails.{kind.value}": sending(kind, now).model_dump(),
        "emails.sends": interview.emails.sends + 1,
    }
    return secret, updates


def resend(
    store: InterviewStore, interview_id: str, workspace_id: str, settings: Settings, now: datetime
) -> EmailDelivery:
    """The recruiter's resend: a new link by email (the earlier links keep working)."""
    minted: list[str] = []

    def change(interview: Interview) -> dict[str, Any]:
        secret, updates = _new_link(interview, now, MailKind.INVITE)
        minted[:] = [secret]
        return updates

    interview = store.update_in_transaction(interview_id, change, workspace_id=workspace_id)
    return deliver(store, interview, minted[0], MailKind.INVITE, settings, now)


def send_due_reminders(
    store: InterviewStore, settings: Settings, now: datetime, limit: int
) -> dict[str, int]:
    """The sweeper's step: remind each candidate whose reminder is due and who has not started."""
    counts = {"reminders_sent": 0, "reminders_failed": 0, "reminders_skipped": 0}
    for candidate in store.reminders_due(now, limit):
        interview_id_var.set(candidate.id)
        delivery = _remind(store, candidate.id, settings, now)
        if delivery is None:
            counts["reminders_skipped"] += 1
        else:
            counts["reminders_sent" if delivery.status == "sent" else "reminders_failed"] += 1
    return counts


def _remind(
    store: InterviewStore, interview_id: str, settings: Settings, now: datetime
) -> EmailDelivery | None:
    """Claim the reminder (clear its due time) and send it; None when it is no longer wanted."""
    minted: list[str] = []

    def claim(interview: Interview) -> dict[str, Any] | None:
        minted.clear()
        due_at = interview.emails.reminder_due_at
        if due_at is None or due_at > now:
            return None  # another sweep claimed it
        if (
            interview.status != InterviewStatus.INVITED
            or now >= interview.invite.expires_at
            or len(interview.invite.extra_secret_hashes) >= MAX_EMAILED_LINKS
        ):
            return {"emails.reminder_due_at": None}  # started, finished, gone or out of links
        secret, updates = _new_link(interview, now, MailKind.REMINDER)
        minted.append(secret)
        return {**updates, "emails.reminder_due_at": None}

    interview = store.update_in_transaction(interview_id, claim)
    if not minted:
        return None
    return deliver(store, interview, minted[0], MailKind.REMINDER, settings, now)
