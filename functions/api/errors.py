"""The HTTP face of errors: an RFC 9457 problem document (`application/problem+json`) with a status.

Every error body has `type` (a stable URI per kind: PROBLEM_TYPE_PREFIX + code), `title`, `status`
and `detail`, and the extension members `code` and `field` (the offending field, when one is
known) plus any details of the error (e.g. `limit` and `resets_at` of a quota refusal). It also
carries `error: {code, message, field?, ...}`, the shape clients written before problem documents
read, so they keep working.

The interview core raises DomainError subclasses that know nothing of HTTP; HTTP_STATUS is the one
place that decides which status each of them answers. An error class not listed takes the status of
its nearest listed base class, so a new subclass of InviteGone is a 410 without another entry.
"""

from __future__ import annotations

from http import HTTPStatus

from interview_core.domain import consent, webhooks
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
        """The problem document (RFC 9457) for this error."""
        error: dict[str, object] = {**self.details, "code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        problem: dict[str, object] = {
            **self.details,
            "type": problem_type(self.code),
            "title": title_of(self.status),
            "status": self.status,
            "detail": self.message,
            "code": self.code,
            "error": error,
        }
        if self.field:
            problem["field"] = self.field
        return problem


PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "tag:ai-interviewer,2026:problem:"
"""The `type` of a problem is this prefix and the error's code: a tag URI (RFC 4151), stable and
never dereferenced; docs/api.md lists the codes."""


def problem_type(code: str) -> str:
    return PROBLEM_TYPE_PREFIX + code


def title_of(status: int) -> str:
    """The short, status-level summary RFC 9457 asks for (the same for every problem of a kind)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


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
    webhooks.WebhookEndpointNotFound: 404,
    webhooks.WebhookUrlRefused: 422,
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
