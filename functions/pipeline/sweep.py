"""The `sweep` function: housekeeping that no request triggers (Cloud Scheduler calls it every few minutes).

One run, each step bounded by `sweep_batch_limit` and idempotent (every change re-checks its
condition inside a transaction, so overlapping runs or a retried run change nothing twice):

1. Abandoned interviews: `in_progress`, with neither an update nor a new turn for `abandon_after_minutes`
   (the agent crashed, the candidate vanished and no completion webhook came): `completed` with
   `end_reason: abandoned`, `ended_at` at the last sign of life, and enqueued for evaluation with what
   was said.
2. Expired invites: `invited` past `invite.expires_at`: `expired`. Unused live slots: an `invited`
   interview that took one of its workspace's live-interview slots at token time and never started
   within the token's lifetime (plus a grace) gives the slot back.
3. Stalled evaluations: `completed` or `evaluating` untouched for `requeue_evaluation_after_minutes`
   are enqueued again (same task name, so a task that exists is not duplicated; this heals a crash
   between the webhook's commit and its enqueue when the agent never retried, or a re-evaluation whose
   enqueue failed). Untouched for `fail_evaluation_after_minutes` they become `evaluation_failed`, so
   the recruiter sees it and can ask again.
4. Retention: interviews whose `expire_at` has passed are deleted with everything stored of them
   (tombstone, archive files, turns, report, document: interview_core/deletion.py), then reports and
   tombstones past their own `expire_at`. In the cloud the Firestore TTL policies and the bucket's
   lifecycle rule delete on the same field; locally, where the emulators have no TTL, this is what
   deletes, and what the retention test drives with a clock moved forward.
5. Invite reminders: an `invited` interview whose `emails.reminder_due_at` has passed gets its reminder
   email (interview_core/invite_delivery.py), once; one that started gets none.

Authentication (decided here, DESIGN.md leaves it open): in the cloud an OIDC token of Cloud Scheduler's
service account for the sweep URL (SWEEP_AUTH=oidc, SWEEP_OIDC_AUDIENCE, SCHEDULER_SERVICE_ACCOUNT),
verified like `evaluate`'s; locally the completion webhook's HMAC (same secret and headers), because
a scheduler is not there and a loopback-only rule would also let any local process in. Unset,
SWEEP_AUTH follows WEBHOOK_AUTH.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from flask import Request, Response

from api.errors import ApiError
from http_boundary import error_response, json_response, read_body, require_hmac_signature
from interview_core import metrics, tracing, webhook_events
from interview_core.adapters import oidc, tasks
from interview_core.adapters.firestore_store import REPORTS, TOMBSTONES, default_store, utcnow
from interview_core.deletion import delete_interview
from interview_core.domain.errors import DomainError, NotConfigured, UpstreamUnavailable
from interview_core.domain.models import EndReason, Interview, InterviewStatus
from interview_core.domain.quotas import LIVE_SLOT_GRACE
from interview_core.domain.retention import DeletionReason, is_expired
from interview_core.domain.status import require_transition
from interview_core.domain.webhooks import EventType
from interview_core.invite_delivery import send_due_reminders
from interview_core.observability import interview_id_var
from interview_core.settings import GOOGLE_OIDC_ISSUER, Settings, get_settings

log = logging.getLogger("sweep")

MAX_SWEEP_BODY_BYTES = 4 * 1024

store = default_store


def handle(request: Request) -> Response:
    """The HTTP entry point (functions/main.py `sweep`)."""
    interview_id_var.set(None)
    if request.path == "/health" and request.method == "GET":
        return json_response({"status": "ok"})
    if request.method != "POST":
        return error_response(ApiError(405, "method_not_allowed", "sweep accepts POST"))
    try:
        raw = read_body(MAX_SWEEP_BODY_BYTES)
        authenticate(request, raw, get_settings())
    except (ApiError, DomainError) as error:
        level = logging.ERROR if isinstance(error, NotConfigured) else logging.WARNING
        log.log(level, "sweep request refused", extra={"code": error.code, "reason": error.message})
        return error_response(error)
    started = time.monotonic()
    with tracing.step("sweep", kind=tracing.trace.SpanKind.SERVER):
        counts = run_sweep(get_settings(), utcnow())
    counts["ms"] = round((time.monotonic() - started) * 1000, 1)
    log.info("sweep done", extra={k: v for k, v in counts.items() if isinstance(v, int | float | bool)})
    return json_response(counts)


def authenticate(request: Request, raw: bytes, settings: Settings) -> None:
    """The local HMAC, or Cloud Scheduler's OIDC token (NotConfigured without SWEEP_OIDC_AUDIENCE and
    SCHEDULER_SERVICE_ACCOUNT: a sweep open to any Google account is worse than none)."""
    if settings.effective_sweep_auth == "hmac":
        require_hmac_signature(request.headers, raw, settings, "sweep")
        return
    oidc.verify_caller(
        request.headers.get("Authorization"),
        issuer=GOOGLE_OIDC_ISSUER,
        audience=settings.sweep_oidc_audience,
        email=settings.scheduler_service_account,
    )


def run_sweep(settings: Settings, now: datetime) -> dict[str, Any]:
    """All four steps; returns what changed and whether a step hit its limit (`more`)."""
    limit = settings.sweep_batch_limit
    counts: dict[str, Any] = {
        "abandoned": 0,
        "expired": 0,
        "slots_released": 0,
        "evaluations_timed_out": 0,
        "requeued": 0,
        "enqueue_failed": 0,
        "purged": 0,
        "purged_documents": 0,
        "more": False,
    }
    _abandon(now - timedelta(minutes=settings.abandon_after_minutes), limit, counts)
    _expire_invites(now, limit, counts)
    _release_unused_slots(
        now - timedelta(minutes=settings.livekit_token_ttl_minutes) - LIVE_SLOT_GRACE, limit, counts
    )
    _stalled_evaluations(
        now - timedelta(minutes=settings.requeue_evaluation_after_minutes),
        now - timedelta(minutes=settings.fail_evaluation_after_minutes),
        limit,
        counts,
    )
    _purge_expired(now, limit, counts)
    reminders = send_due_reminders(store(), settings, now, limit)
    counts.update(reminders)
    counts["more"] |= sum(reminders.values()) >= limit
    interview_id_var.set(None)
    return counts


def _purge_expired(now: datetime, limit: int, counts: dict[str, Any]) -> None:
    """Step 4: delete what is past its expiry (an interview's tombstone keeps its own, later one)."""
    expired = store().expired(now, limit)
    counts["more"] |= len(expired) >= limit
    for interview_id in expired:
        interview_id_var.set(interview_id)
        interview = store().get(interview_id)
        if interview is None or not is_expired(interview.expire_at, now):
            continue
        delete_interview(
            store(),
            interview_id,
            workspace_id=interview.workspace_id,
            reason=DeletionReason.RETENTION,
            now=now,
        )
        webhook_events.interview_event(interview, EventType.INTERVIEW_DELETED)  # the team's retention ran
        counts["purged"] += 1
    interview_id_var.set(None)
    for collection in (REPORTS, TOMBSTONES):
        for ref in store().expired_in(collection, now, limit):
            ref.delete()
            counts["purged_documents"] += 1


def _enqueue(interview: Interview, counts: dict[str, Any]) -> str | None:
    try:
        with tracing.step("interview.requeue", traceparent=interview.traceparent):
            return tasks.enqueue_evaluation(interview.id, interview.evaluation.generation)
    except UpstreamUnavailable:
        counts["enqueue_failed"] += 1  # step 3 of a later run enqueues it
        return None


def _abandon(cutoff: datetime, limit: int, counts: dict[str, Any]) -> None:
    candidates = store().idle_since(InterviewStatus.IN_PROGRESS, cutoff, limit)
    counts["more"] |= len(candidates) >= limit
    for candidate in candidates:
        interview_id_var.set(candidate.id)
        last_turn = store().last_turn(candidate.id)
        signs_of_life = [
            candidate.updated_at,
            candidate.started_at,
            last_turn.ended_at if last_turn else None,
        ]
        last_activity = max(t for t in signs_of_life if t is not None)
        if last_activity >= cutoff:
            continue  # turns are still coming in; the agent just does not touch the interview itself

        def change(interview: Interview, last_activity: datetime = last_activity) -> dict[str, Any] | None:
            if interview.status != InterviewStatus.IN_PROGRESS or interview.updated_at >= cutoff:
                return None
            require_transition(interview.status, InterviewStatus.COMPLETED)
            return {
                "status": InterviewStatus.COMPLETED,
                "end_reason": EndReason.ABANDONED,
                "ended_at": last_activity,
            }

        interview = store().update_in_transaction(candidate.id, change)
        if interview.status == InterviewStatus.COMPLETED and interview.end_reason == EndReason.ABANDONED:
            counts["abandoned"] += 1
            log.info("abandoned interview finalised")
            _enqueue(interview, counts)
            webhook_events.interview_event(
                interview, EventType.INTERVIEW_COMPLETED, end_reason=EndReason.ABANDONED.value
            )


def _expire_invites(now: datetime, limit: int, counts: dict[str, Any]) -> None:
    candidates = store().invites_expired_before(now, limit)
    counts["more"] |= len(candidates) >= limit
    for candidate in candidates:
        interview_id_var.set(candidate.id)

        def change(interview: Interview) -> dict[str, Any] | None:
            if interview.status != InterviewStatus.INVITED or interview.invite.expires_at > now:
                return None
            require_transition(interview.status, InterviewStatus.EXPIRED)
            return {"status": InterviewStatus.EXPIRED}

        if store().update_in_transaction(candidate.id, change).status == InterviewStatus.EXPIRED:
            counts["expired"] += 1


def _release_unused_slots(cutoff: datetime, limit: int, counts: dict[str, Any]) -> None:
    candidates = store().unused_live_slots(cutoff, limit)
    counts["more"] |= len(candidates) >= limit
    for candidate in candidates:
        interview_id_var.set(candidate.id)

        def change(interview: Interview) -> dict[str, Any] | None:
            if interview.status != InterviewStatus.INVITED or interview.live_since is None:
                return None
            return {"live_since": None} if interview.live_since < cutoff else None

        if store().update_in_transaction(candidate.id, change).live_since is None:
            counts["slots_released"] += 1


def _stalled_evaluations(
    requeue_before: datetime, fail_before: datetime, limit: int, counts: dict[str, Any]
) -> None:
    for status in (InterviewStatus.COMPLETED, InterviewStatus.EVALUATING):
        candidates = store().idle_since(status, requeue_before, limit)
        counts["more"] |= len(candidates) >= limit
        for candidate in candidates:
            interview_id_var.set(candidate.id)
            if candidate.updated_at >= fail_before:
                if _enqueue(candidate, counts) == "created":
                    counts["requeued"] += 1
                    metrics.queue_retry("sweep")
                    log.info("stalled evaluation enqueued again", extra={"status": status.value})
                continue

            def change(interview: Interview, status: InterviewStatus = status) -> dict[str, Any] | None:
                if interview.status != status or interview.updated_at >= fail_before:
                    return None
                require_transition(interview.status, InterviewStatus.EVALUATION_FAILED)
                return {
                    "status": InterviewStatus.EVALUATION_FAILED,
                    "evaluation.last_error": "the evaluation did not finish in time; ask for it again",
                }

            updated = store().update_in_transaction(candidate.id, change)
            if updated.status == InterviewStatus.EVALUATION_FAILED:
                counts["evaluations_timed_out"] += 1
                log.warning("stalled evaluation marked failed", extra={"status": status.value})
