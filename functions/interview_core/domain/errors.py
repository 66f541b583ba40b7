"""What the interview core refuses with: the domain's rules, the store and the caller checks.

Each error names its cause with a stable machine `code` (what clients, logs and other deployables
match on) and a human `message`. None of them knows about HTTP: the api and pipeline functions map
them to statuses in one table (functions/api/errors.py), and the agent worker reads them as they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar


class DomainError(Exception):
    """A refusal with a stable machine code and a message meant for the person who asked."""

    code: ClassVar[str] = "refused"
    default_message: ClassVar[str] = "the request was refused"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)

    def details(self) -> dict[str, object]:
        """Machine-readable facts a client acts on, added to the error body beside code and message."""
        return {}


# -- interviews -----------------------------------------------------------------------------------
class InterviewNotFound(DomainError):
    """No such interview, or not the asker's: the same answer, so ids cannot be probed."""

    code = "not_found"
    default_message = "no such interview"


class IllegalTransition(DomainError):
    """The status machine does not allow this change from the interview's current status."""

    code = "illegal_transition"


class PlanLocked(IllegalTransition):
    """The plan and the CV can change only while the interview is a draft, before its invite is sent."""

    code = "plan_locked"
    default_message = "the plan can only be changed before the invite is sent"


class ConcurrentChange(DomainError):
    """The interview kept changing under a compare-and-set; asking again will most likely succeed."""

    code = "conflict"
    default_message = "the interview changed at the same moment; try again"


class InterviewInProgress(DomainError):
    """A running interview must be cancelled before it can be deleted."""

    code = "interview_in_progress"
    default_message = "cancel the running interview before deleting it"


class NoReport(DomainError):
    """The interview ended without being evaluated (expired or cancelled): no report will come."""

    code = "no_report"


class InvalidCursor(DomainError):
    """A page token that this service did not hand out to this recruiter."""

    code = "invalid_cursor"
    default_message = "page_token is not valid"

    def __init__(self, message: str | None = None, *, field: str | None = "page_token") -> None:
        super().__init__(message, field=field)


# -- invites --------------------------------------------------------------------------------------
class InvalidInvite(DomainError):
    """Wrong secret or unknown interview: nothing else about the interview is revealed."""

    code = "invalid_invite"
    default_message = "this invite link is not valid"


class InterviewFinished(DomainError):
    """The interview took place already; its invite opens nothing any more."""

    code = "interview_finished"
    default_message = "this interview has already finished"


class InviteNotSent(DomainError):
    """The interview is a draft under review: its invite has not been sent yet."""

    code = "invite_not_sent"
    default_message = "this interview's invite has not been sent yet"


class InviteGone(DomainError):
    """The invite was valid once and never will be again."""

    code = "invite_gone"
    default_message = "this invite link no longer opens the interview"


class InviteCancelled(InviteGone):
    code = "invite_cancelled"
    default_message = "this interview was cancelled by the recruiter"


class InviteExpired(InviteGone):
    code = "invite_expired"
    default_message = "this invite link has expired"


class InviteUsedUp(InviteGone):
    code = "invite_used_up"
    default_message = "this invite link has been used too many times"


class TokenRateLimited(DomainError):
    """Too many room tokens for one interview in the last minute; the candidate may ask again later."""

    code = "rate_limited"
    default_message = "too many token requests for this interview; try again shortly"

    def __init__(self, retry_after_seconds: int, message: str | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


# -- callers --------------------------------------------------------------------------------------
class Unauthenticated(DomainError):
    """No credential, or one that does not prove who the caller is (bad signature, expired...)."""

    code = "unauthenticated"
    default_message = "authentication is required"


class CallerNotAllowed(DomainError):
    """A genuine credential of someone who may not make this call."""

    code = "forbidden"
    default_message = "this caller may not make this call"


class VerificationUnavailable(DomainError):
    """The keys that prove a credential could not be fetched: the caller should retry later."""

    code = "unavailable"
    default_message = "the caller's credential cannot be checked right now"


class NotConfigured(DomainError):
    """The deployment lacks a setting this call needs; it refuses rather than accept anyone."""

    code = "not_configured"
    default_message = "this function is not configured"


# -- teams: who may enter a workspace, and what a role allows ---------------------------------------
class EmailNotVerified(DomainError):
    """A password account whose email address is not verified yet: it may read /api/me, nothing else."""

    code = "email_not_verified"
    default_message = "verify your email address first (follow the link in the verification email)"


class NoWorkspace(DomainError):
    """A signed-in account that no workspace has admitted: nothing is read or written for it."""

    code = "no_workspace"
    default_message = "this account is not a member of any hiring team; ask an admin for an invitation"


class WorkspaceRequired(DomainError):
    """The account belongs to several workspaces and the request did not name one (X-Workspace-Id)."""

    code = "workspace_required"
    default_message = "this account belongs to several workspaces: name one in the X-Workspace-Id header"


class WorkspaceNotFound(DomainError):
    """No such workspace, or the caller is not a member: the same answer, so ids cannot be probed."""

    code = "not_found"
    default_message = "no such workspace"


class MemberNotFound(DomainError):
    code = "not_found"
    default_message = "no such member"


class InsufficientRole(DomainError):
    """A member whose role does not allow this call (a viewer creating an interview...)."""

    code = "forbidden"
    default_message = "your role in this workspace does not allow this"


class LastOwner(DomainError):
    """Demoting or removing the last owner would leave the workspace with nobody who can run it."""

    code = "last_owner"
    default_message = "a workspace keeps at least one owner: make someone else owner first"


class AlreadyMember(DomainError):
    code = "already_member"
    default_message = "this person is already a member of the workspace"


class LimitReached(DomainError):
    """A size bound of a workspace (members, pending invitations) that keeps its documents small."""

    code = "limit_reached"


class InvitationNotFound(DomainError):
    """Unknown invitation or wrong secret: the same answer, so nothing about invitations leaks."""

    code = "invitation_not_found"
    default_message = "this invitation link is not valid"


class InvitationForAnotherAccount(DomainError):
    code = "invitation_for_another_account"
    default_message = "this invitation was sent to another email address: sign in with that address"


class InvitationGone(DomainError):
    """The invitation was valid once and never will be again."""

    code = "invitation_gone"
    default_message = "this invitation can no longer be used"


class InvitationExpired(InvitationGone):
    code = "invitation_expired"
    default_message = "this invitation has expired: ask for a new one"


class InvitationUsed(InvitationGone):
    code = "invitation_used"
    default_message = "this invitation has already been used"


class InvitationRevoked(InvitationGone):
    code = "invitation_revoked"
    default_message = "this invitation was revoked"


class InvitationNotPending(DomainError):
    """Revoking an invitation that was accepted already."""

    code = "invitation_not_pending"
    default_message = "this invitation was accepted already; remove the member instead"


class DomainJoinNotAllowed(DomainError):
    code = "domain_join_not_allowed"
    default_message = "this workspace does not let accounts of your email domain join by themselves"


class QuotaExceeded(DomainError):
    """A workspace limit (interviews per day, live interviews...) is used up until `resets_at`.

    `resets_at` is None for the live-interview limit: a slot frees when a running interview ends.
    """

    code = "quota_exceeded"

    def __init__(
        self, limit: str, maximum: int, resets_at: datetime | None, retry_after_seconds: int
    ) -> None:
        super().__init__(f"the workspace's limit {limit} ({maximum}) is used up")
        self.limit = limit
        self.maximum = maximum
        self.resets_at = resets_at
        self.retry_after_seconds = retry_after_seconds

    def details(self) -> dict[str, object]:
        return {
            "limit": self.limit,
            "max": self.maximum,
            "resets_at": self.resets_at.isoformat() if self.resets_at else None,
        }


# -- dependencies ---------------------------------------------------------------------------------
class UpstreamUnavailable(DomainError):
    """A dependency (Gemini, Cloud Tasks) failed after its bounded retries; nothing was written."""

    code = "upstream_unavailable"
    default_message = "a service this request needs is unavailable; try again"


# -- the language model ---------------------------------------------------------------------------
# How a Gemini call failed decides who should act: the queue (try later), the operator (our request
# is wrong) or nobody (the model declined this content, and asking again would not change that).
class ModelUnavailable(UpstreamUnavailable):
    """Gemini answered 5xx, timed out, or gave no answer within the call's time budget."""

    code = "model_unavailable"
    default_message = "the language model is unavailable; try again"


class ModelRateLimited(UpstreamUnavailable):
    """Gemini answered 429 RESOURCE_EXHAUSTED (quota) and its retry delay did not fit the budget."""

    code = "model_rate_limited"
    default_message = "the language model's quota is exhausted for now; try again shortly"

    def __init__(self, retry_after_seconds: int, message: str | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class ModelOutputUnusable(UpstreamUnavailable):
    """Every attempt's output failed the schema (cut off, wrong shape); a later try may do better."""

    code = "model_output_unusable"
    default_message = "the language model gave unusable output; try again"


class ModelRequestRejected(DomainError):
    """Gemini refused the request itself (4xx other than 429): an unknown model, a schema or setting
    the model rejects, a bad key. Our configuration or our bug: retrying cannot help."""

    code = "model_request_rejected"
    default_message = "the language model rejected the request; the service is misconfigured"

    def __init__(self, upstream_status: int, upstream_reason: str, message: str | None = None) -> None:
        super().__init__(message)
        self.upstream_status = upstream_status
        self.upstream_reason = upstream_reason


class ModelDeclined(DomainError):
    """Gemini's safety filters blocked the prompt or the answer (blockReason / finishReason)."""

    code = "model_declined"
    default_message = "the language model declined to process this content"

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
