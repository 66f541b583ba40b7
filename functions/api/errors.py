"""The HTTP face of errors: `{"error": {"code", "message", "field"?}}` with a status.

The interview core raises DomainError subclasses that know nothing of HTTP; HTTP_STATUS is the one
place that decides which status each of them answers. An error class not listed takes the status of
its nearest listed base class, so a new subclass of InviteGone is a 410 without another entry.
"""

from __future__ import annotations

from interview_core.domain import consent
from interview_core.domain import errors as domain


class ApiError(Exception):
    """An error with an HTTP status, a stable machine code and a human message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}
        self.details = details or {}

    def body(self) -> dict[str, object]:
        error: dict[str, object] = {**self.details, "code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


HTTP_STATUS: dict[type[domain.DomainError], int] = {
    domain.InvalidCursor: 400,
    domain.WorkspaceRequired: 400,
    domain.EmailNotVerified: 403,
    domain.NoWorkspace: 403,
    domain.InsufficientRole: 403,
    domain.InvitationForAnotherAccount: 403,
    domain.DomainJoinNotAllowed: 403,
    domain.WorkspaceNotFound: 404,
    domain.MemberNotFound: 404,
    domain.InvitationNotFound: 404,
    domain.LastOwner: 409,
    domain.AlreadyMember: 409,
    domain.LimitReached: 409,
    domain.InvitationNotPending: 409,
    domain.InvitationGone: 410,
    domain.QuotaExceeded: 429,
    domain.Unauthenticated: 401,
    domain.InvalidInvite: 403,
    consent.ConsentRequired: 403,
    consent.UnknownConsentText: 422,
    domain.CallerNotAllowed: 403,
    domain.InterviewNotFound: 404,
    domain.NoReport: 404,
    domain.IllegalTransition: 409,
    domain.ConcurrentChange: 409,
    domain.InterviewInProgress: 409,
    domain.InterviewFinished: 409,
    domain.InviteGone: 410,
    domain.InviteNotSent: 409,
    domain.TokenRateLimited: 429,
    domain.NotConfigured: 503,
    domain.VerificationUnavailable: 503,
    domain.UpstreamUnavailable: 503,
    domain.ModelDeclined: 422,
    domain.ModelRequestRejected: 502,
}
"""The status of each domain error; a class not listed answers as its nearest listed base class."""

RETRY_AFTER_UNAVAILABLE_SECONDS = 5
"""Told to callers of a 503 caused by a dependency (not by a missing setting, which retrying
cannot fix), so they come back after the dependency's own retries."""


def status_of(error: domain.DomainError) -> int:
    """The HTTP status for `error`; 500 for a DomainError subclass nobody mapped (a bug)."""
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 500


def api_error(error: domain.DomainError) -> ApiError:
    """The HTTP answer to a domain error: its status, code, message and field, plus Retry-After."""
    status = status_of(error)
    headers: dict[str, str] = {}
    if isinstance(error, domain.TokenRateLimited | domain.ModelRateLimited | domain.QuotaExceeded):
        headers["Retry-After"] = str(error.retry_after_seconds)
    elif isinstance(error, domain.UpstreamUnavailable | domain.VerificationUnavailable):
        headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE_SECONDS)
    return ApiError(
        status, error.code, error.message, field=error.field, headers=headers, details=error.details()
    )
