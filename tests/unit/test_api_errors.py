"""The HTTP edge's one table: every domain error answers the status and code clients rely on."""

from __future__ import annotations

import pytest

from api.errors import api_error, status_of
from http_boundary import error_response
from interview_core.domain import errors

CONTRACT: list[tuple[errors.DomainError, int, str]] = [
    (errors.InvalidCursor(), 400, "invalid_cursor"),
    (errors.Unauthenticated(), 401, "unauthenticated"),
    (errors.InvalidInvite(), 403, "invalid_invite"),
    (errors.CallerNotAllowed(), 403, "forbidden"),
    (errors.InterviewNotFound(), 404, "not_found"),
    (errors.NoReport("cancelled"), 404, "no_report"),
    (errors.IllegalTransition("no"), 409, "illegal_transition"),
    (errors.PlanLocked(), 409, "plan_locked"),
    (errors.InviteNotSent(), 409, "invite_not_sent"),
    (errors.ConcurrentChange(), 409, "conflict"),
    (errors.InterviewInProgress(), 409, "interview_in_progress"),
    (errors.InterviewFinished(), 409, "interview_finished"),
    (errors.InviteCancelled(), 410, "invite_cancelled"),
    (errors.InviteExpired(), 410, "invite_expired"),
    (errors.InviteUsedUp(), 410, "invite_used_up"),
    (errors.TokenRateLimited(7), 429, "rate_limited"),
    (errors.NotConfigured(), 503, "not_configured"),
    (errors.VerificationUnavailable(), 503, "unavailable"),
    (errors.UpstreamUnavailable("down"), 503, "upstream_unavailable"),
    # Gemini's failures, each with its own code: the queue and clients retry only the 503s.
    (errors.ModelUnavailable(), 503, "model_unavailable"),
    (errors.ModelRateLimited(30), 503, "model_rate_limited"),
    (errors.ModelOutputUnusable(), 503, "model_output_unusable"),
    (errors.ModelRequestRejected(404, "NOT_FOUND"), 502, "model_request_rejected"),
    (errors.ModelDeclined("prompt blocked (SAFETY)"), 422, "model_declined"),
    # Teams (issue 18): the codes the web app matches (the contract's "Changes", web app 1, item 3).
    (errors.WorkspaceRequired(), 400, "workspace_required"),
    (errors.EmailNotVerified(), 403, "email_not_verified"),
    (errors.NoWorkspace(), 403, "no_workspace"),
    (errors.InsufficientRole(), 403, "forbidden"),
    (errors.InvitationForAnotherAccount(), 403, "invitation_for_another_account"),
    (errors.DomainJoinNotAllowed(), 403, "domain_join_not_allowed"),
    (errors.WorkspaceNotFound(), 404, "not_found"),
    (errors.MemberNotFound(), 404, "not_found"),
    (errors.InvitationNotFound(), 404, "invitation_not_found"),
    (errors.LastOwner(), 409, "last_owner"),
    (errors.AlreadyMember(), 409, "already_member"),
    (errors.LimitReached("too many"), 409, "limit_reached"),
    (errors.InvitationNotPending(), 409, "invitation_not_pending"),
    (errors.InvitationExpired(), 410, "invitation_expired"),
    (errors.InvitationRevoked(), 410, "invitation_revoked"),
    (errors.InvitationUsed(), 410, "invitation_used"),
    (errors.QuotaExceeded("interviews_per_day", 50, None, 60), 429, "quota_exceeded"),
]


@pytest.mark.parametrize(("error", "status", "code"), CONTRACT, ids=lambda v: type(v).__name__)
def test_each_domain_error_answers_its_status_and_code(
    error: errors.DomainError, status: int, code: str
) -> None:
    answer = api_error(error)
    assert (answer.status, answer.code, answer.message) == (status, code, error.message)


def _all_subclasses(cls: type[errors.DomainError]) -> set[type[errors.DomainError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_domain_error_is_in_the_contract_and_none_is_a_500() -> None:
    pinned = {type(error) for error, _, _ in CONTRACT}
    raisable = {cls for cls in _all_subclasses(errors.DomainError) if cls.__module__ == errors.__name__}
    assert raisable - {errors.InviteGone, errors.InvitationGone} == pinned


def test_an_unmapped_domain_error_is_a_500() -> None:
    class Unmapped(errors.DomainError):
        code = "unmapped"

    assert status_of(Unmapped()) == 500


def test_the_problem_document_names_the_field_and_retry_after_is_a_header() -> None:
    cursor = error_response(errors.InvalidCursor())
    assert cursor.status_code == 400
    assert cursor.mimetype == "application/problem+json"
    assert cursor.get_json() == {
        "type": "tag:ai-interviewer,2026:problem:invalid_cursor",
        "title": "Bad Request",
        "status": 400,
        "detail": "page_token is not valid",
        "code": "invalid_cursor",
        "field": "page_token",
        "error": {"code": "invalid_cursor", "message": "page_token is not valid", "field": "page_token"},
    }
    limited = error_response(errors.TokenRateLimited(12))
    assert limited.headers["Retry-After"] == "12"
    assert "field" not in limited.get_json()
    assert "field" not in limited.get_json()["error"]
    assert error_response(errors.UpstreamUnavailable("down")).headers["Retry-After"] == "5"
    assert "Retry-After" not in error_response(errors.NotConfigured()).headers


def test_a_rate_limited_model_tells_callers_when_to_come_back_and_refusals_do_not() -> None:
    """429 upstream: 503 with the upstream's Retry-After; our bad request (502) and a safety refusal
    (422) carry none, because asking again does not help."""
    assert error_response(errors.ModelRateLimited(42)).headers["Retry-After"] == "42"
    assert error_response(errors.ModelUnavailable()).headers["Retry-After"] == "5"
    assert "Retry-After" not in error_response(errors.ModelRequestRejected(400, "INVALID_ARGUMENT")).headers
    assert "Retry-After" not in error_response(errors.ModelDeclined("answer blocked (SAFETY)")).headers


def test_a_quota_refusal_names_the_limit_its_value_and_reset_with_retry_after() -> None:
    from datetime import UTC, datetime

    reset = datetime(2026, 12, 5, tzinfo=UTC)
    answer = error_response(errors.QuotaExceeded("interviews_per_day", 3, reset, 3600))
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "3600"
    problem = answer.get_json()
    assert (problem["limit"], problem["max"], problem["resets_at"]) == (
        "interviews_per_day",
        3,
        reset.isoformat(),
    )
    body = problem["error"]
    assert body["code"] == "quota_exceeded"
    assert (body["limit"], body["max"], body["resets_at"]) == ("interviews_per_day", 3, reset.isoformat())
    assert body["message"]
