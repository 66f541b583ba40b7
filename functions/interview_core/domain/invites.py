"""Invite secrets and the policy around them. Pure: no I/O.

The secret travels only in the invite URL's fragment (never sent to a server by the browser on
navigation) and in the candidate's token request body. Only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from .errors import ApiError
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


def invite_url(public_base_url: str, interview_id: str, secret: str) -> str:
    return f"{public_base_url.rstrip('/')}/i/{interview_id}#{secret}"


def check_invite(invite: Invite, status: InterviewStatus, secret: str, now: datetime) -> None:
    """Whether this invite still opens the interview: raises ApiError 403 (wrong secret),
    409 (finished) or 410 (expired, cancelled or used up).

    The secret is checked first so that nothing about the interview leaks to a wrong secret.
    """
    if not secret_matches(secret, invite.secret_hash):
        raise ApiError(403, "invalid_invite", "this invite link is not valid")
    if status in FINISHED:
        raise ApiError(409, "interview_finished", "this interview has already finished")
    if status == InterviewStatus.CANCELLED:
        raise ApiError(410, "invite_cancelled", "this interview was cancelled by the recruiter")
    if status == InterviewStatus.EXPIRED or now >= invite.expires_at:
        raise ApiError(410, "invite_expired", "this invite link has expired")
    if invite.uses >= invite.max_uses:
        raise ApiError(410, "invite_used_up", "this invite link has been used too many times")


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
    what check_invite raises, or 429.
    """
    check_invite(invite, status, secret, now)
    window_start = now - timedelta(minutes=1)
    recent = [t for t in invite.recent_token_requests if t > window_start]
    if len(recent) >= rate_limit_per_minute:
        retry_after = max(1, int((min(recent) - window_start).total_seconds()) + 1)
        raise ApiError(
            429,
            "rate_limited",
            "too many token requests for this interview; try again shortly",
            headers={"Retry-After": str(retry_after)},
        )
    return recent
