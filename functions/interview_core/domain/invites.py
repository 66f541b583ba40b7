"""Invite secrets and the policy around them. Pure: no I/O.

The secret travels only in the invite URL's fragment (never sent to a server by the browser on
navigation) and in the candidate's token request body. Only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from .errors import (
    InterviewFinished,
    InvalidInvite,
    InviteCancelled,
    InviteExpired,
    InviteNotSent,
    InviteUsedUp,
    TokenRateLimited,
)
from .models import InterviewStatus, Invite
from .status import FINISHED

SECRET_BYTES = 32  # 256 bits of entropy


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret: str, secret_hash: str) -> bool:
    """Constant-time comparison of the presented secret's hash with the stored one."""
    return hmac.compare_digest(hash_secret(secret), secret_hash)


def invite_secret_matches(secret: str, invite: Invite) -> bool:
    """The first link's secret, or one a resent invite or a reminder carried."""
    return any(secret_matches(secret, h) for h in (invite.secret_hash, *invite.extra_secret_hashes))


def invite_url(public_base_url: str, interview_id: str, secret: str) -> str:
    return f"{public_base_url.rstrip('/')}/i/{interview_id}#{secret}"


def check_invite(invite: Invite, status: InterviewStatus, secret: str, now: datetime) -> None:
    """Whether this invite still opens the interview: raises InvalidInvite (wrong secret),
    InterviewFinished, or an InviteGone (cancelled, expired or used up).

    The secret is checked first so that nothing about the interview leaks to a wrong secret.
    """
    if not invite_secret_matches(secret, invite):
        raise InvalidInvite()
    if status == InterviewStatus.DRAFT:
        raise InviteNotSent()
    if status in FINISHED:
        raise InterviewFinished()
    if status == InterviewStatus.CANCELLED:
        raise InviteCancelled()
    if status == InterviewStatus.EXPIRED or now >= invite.expires_at:
        raise InviteExpired()
    if invite.uses >= invite.max_uses:
        raise InviteUsedUp()


def check_token_request(
    invite: Invite,
    status: InterviewStatus,
    secret: str,
    now: datetime,
    *,
    rate_limit_per_minute: int,
) -> list[datetime]:
    """Decide whether a candidate may get a room token now: check_invite, then the rate limit.

    Returns the pruned list of recent request times (to store with the new one appended); raises
    what check_invite raises, or TokenRateLimited with the seconds until a request leaves the window.
    """
    check_invite(invite, status, secret, now)
    window_start = now - timedelta(minutes=1)
    recent = [t for t in invite.recent_token_requests if t > window_start]
    if len(recent) >= rate_limit_per_minute:
        retry_after = max(1, int((min(recent) - window_start).total_seconds()) + 1)
        raise TokenRateLimited(retry_after)
    return recent
