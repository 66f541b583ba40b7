"""The `evaluate` function: one Cloud Task in, one report out (DESIGN.md, "evaluate").

Flow of one delivery (task body `{"interview_id", "generation"}`):

1. The OIDC token must come from the queue's service account, for this function's URL, signed by the
   expected issuer (the Cloud Tasks emulator locally, Google in the cloud): else 401/403, nothing read.
2. In a transaction: `completed -> evaluating` on the first attempt, `evaluation.attempts` recorded,
   and the workspace's evaluation of the day counted; when the day's evaluations are used up the
   interview becomes `evaluation_failed` with a reason that says so (200: the recruiter re-evaluates).
   A task of an older generation (the recruiter asked again since), an interview that is already
   evaluated or failed, deleted, or not finished, is answered 200 without work so the queue drops it.
3. The turns are read and compared with the agent's count (domain/integrity.py: missing turns, an
   error or an early end are named at the top of the report, whose recommendation then waits for a
   recruiter's review); a transcript in which the candidate said almost nothing gets a report that says
   so, without a model. Otherwise Gemini answers the evaluation schema and the domain builds the report
   (quotes grounded and relevant to their skill, scores withheld without evidence, verdict computed in
   code).
4. In ONE transaction: reports/{id} is written and the interview becomes `evaluated`, unless a report
   of this generation exists already (a duplicate delivery), which is left alone.
5. The transcript and report are archived to interviews/{id}/transcript.json.

Failures the queue can fix by trying later (Gemini 429/5xx/timeouts/unusable output, Firestore or
Storage unavailable) answer 503 so Cloud Tasks retries with the queue's backoff; the last attempt
(queue_policy.RETRY) instead records `evaluation_failed` with a readable reason and answers 200, so
the queue stops and the recruiter sees why. What retrying cannot fix answers 200 at once: Gemini
refusing the request itself (4xx: our model name, schema or key) records `evaluation_failed`, and
the model declining the transcript for safety writes a report that says so (no scores). Logs carry
the interview id and counts, never transcript text.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.errors import ApiError
from http_boundary import error_response, json_response, parse_json, read_body
from interview_core import metrics, tracing, webhook_events
from interview_core.adapters import archive
from interview_core.adapters.firestore_store import default_store, utcnow
from interview_core.deletion import archive_unless_deleted
from interview_core.domain import integrity
from interview_core.domain.errors import (
    DomainError,
    InterviewNotFound,
    ModelRequestRejected,
    QuotaExceeded,
    UpstreamUnavailable,
)
from interview_core.domain.ids import DocumentId
from interview_core.domain.models import Interview, InterviewStatus, Turn
from interview_core.domain.report import EvaluationInput, with_integrity
from interview_core.domain.status import require_transition
from interview_core.domain.webhooks import EventType
from interview_core.evaluation import produce_report
from interview_core.observability import interview_id_var
from interview_core.queue_policy import RETRY
from interview_core.settings import get_settings
from pipeline.task_request import retry_count as task_retry_count
from pipeline.task_request import verify_task_caller

if TYPE_CHECKING:
    pass

log = logging.getLogger("evaluate")

MAX_TASK_BODY_BYTES = 4 * 1024
TASK_NAME_HEADER = "X-CloudTasks-TaskName"
MAX_ERROR_CHARS = 500


class TaskBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interview_id: DocumentId
    generation: int = Field(ge=1, le=10_000)


@dataclass(frozen=True)
class Outcome:
    """What one delivery did; `status` is the HTTP answer Cloud Tasks acts on."""

    status: int
    result: str
    detail: dict[str, Any]

    def response(self) -> Response:
        headers = {"Retry-After": "10"} if self.status == 503 else None
        return json_response({"result": self.result, **self.detail}, self.status, headers)


store = default_store


def handle(request: Request) -> Response:
    """The HTTP entry point (functions/main.py `evaluate`)."""
    interview_id_var.set(None)
    if request.path == "/health" and request.method == "GET":
        return json_response({"status": "ok"})
    if request.method != "POST":
        return error_response(ApiError(405, "method_not_allowed", "evaluate accepts POST from Cloud Tasks"))
    settings = get_settings()
    try:
        verify_task_caller(request, settings)
    except DomainError as rejected:
        log.warning("evaluate request refused", extra={"code": rejected.code, "reason": rejected.message})
        return error_response(rejected)
    try:
        body = parse_json(read_body(MAX_TASK_BODY_BYTES), TaskBody)
    except ApiError as error:
        log.error("evaluate task body refused", extra={"code": error.code})
        return error_response(error)
    interview_id_var.set(body.interview_id)
    retry_count = task_retry_count(request)
    started = time.monotonic()
    outcome = run_delivery(body, retry_count, request.headers.get(tracing.TRACEPARENT))
    log.info(
        "evaluate delivery done",
        extra={
            "result": outcome.result,
            "status": outcome.status,
            "generation": body.generation,
            "retry_count": retry_count,
            "task": (request.headers.get(TASK_NAME_HEADER) or "")[:200],
            "ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
    return outcome.response()


def run_delivery(body: TaskBody, retry_count: int, traceparent: str | None = None) -> Outcome:
    """One verified delivery: the evaluation inside the interview's trace, a crash turned into an
    answer the queue understands, and the delivery counted on the dashboard (duration, failures,
    redeliveries: interview_core/metrics.py)."""
    started = time.monotonic()
    if retry_count > 0:
        metrics.queue_retry("cloud_tasks")
    try:
        # The task's traceparent header (tasks.build_task) continues the interview's trace.
        with tracing.step(
            "interview.evaluate",
            traceparent=traceparent,
            kind=tracing.trace.SpanKind.SERVER,
            attributes={
                "interviewer.interview_id": body.interview_id,
                "interviewer.retry_count": retry_count,
            },
        ):
            outcome = evaluate_interview(body.interview_id, body.generation, retry_count)
    except Exception as error:  # a bug or an unexpected backend failure: let the queue retry
        log.exception("evaluation crashed", extra={"generation": body.generation, "retry_count": retry_count})
        if RETRY.is_last_attempt(retry_count):
            _record_failure(body.interview_id, body.generation, f"internal error ({type(error).__name__})")
            outcome = Outcome(200, "evaluation_failed", {})
        else:
            outcome = Outcome(503, "retry", {"reason": "internal error"})
    metrics.evaluation_delivered(time.monotonic() - started, outcome.result)
    return outcome


def evaluate_interview(
    interview_id: str, generation: int, retry_count: int, *, now: Callable[[], datetime] = utcnow
) -> Outcome:
    """Steps 2 to 5 of the module docstring, for one delivery."""
    attempt = retry_count + 1
    decision: dict[str, str] = {}

    def start(interview: Interview) -> dict[str, Any] | None:
        if interview.evaluation.generation != generation:
            decision["result"] = "superseded"
            return None
        if interview.status in (InterviewStatus.EVALUATED, InterviewStatus.EVALUATION_FAILED):
            decision["result"] = f"already_{interview.status.value}"
            return None
        if interview.status == InterviewStatus.COMPLETED:
            require_transition(interview.status, InterviewStatus.EVALUATING)
            decision["result"] = "run"
            return {"status": InterviewStatus.EVALUATING, "evaluation.attempts": attempt}
        if interview.status == InterviewStatus.EVALUATING:
            decision["result"] = "run"
            return {"evaluation.attempts": max(interview.evaluation.attempts, attempt)}
        decision["result"] = "not_finished"  # invited, in_progress, cancelled, expired: nothing to evaluate
        return None

    try:
        interview = store().update_in_transaction(interview_id, start)
    except InterviewNotFound:
        return Outcome(200, "gone", {})
    except QuotaExceeded as exceeded:  # the workspace's evaluations for today are used up
        reason = _quota_reason(exceeded)
        _record_failure(interview_id, generation, reason)
        log.warning("evaluation refused by the workspace's quota", extra={"limit": exceeded.limit})
        return Outcome(200, "quota_exceeded", {"reason": reason})
    if decision["result"] == "already_evaluated":
        _ensure_archive(interview)
    if decision["result"] != "run":
        return Outcome(200, decision["result"], {})

    turns = store().turns(interview_id)
    data = EvaluationInput(
        interview_id=interview_id,
        owner_uid=interview.owner_uid,
        workspace_id=interview.workspace_id,
        generation=generation,
        role=interview.role,
        language=interview.language,
        skills=interview.skills,
        turns=turns,
        end_reason=interview.end_reason.value if interview.end_reason else None,
        question_plan=interview.question_plan,
    )
    try:
        report = produce_report(data, interview, now()).model_copy(
            update={"plan_version": interview.plan_version, "plan_hash": interview.plan_hash}
        )
    except UpstreamUnavailable as error:  # 5xx, timeouts, quota, unusable output: the queue retries
        return _failed_attempt(interview_id, generation, str(error), retry_count)
    except ModelRequestRejected as error:  # our request is wrong: the same task would fail again
        log.error(
            "evaluation refused by the model; not retried",
            extra={"status": error.upstream_status, "reason": error.upstream_reason},
        )
        _record_failure(interview_id, generation, str(error))
        return Outcome(200, "evaluation_failed", {"reason": str(error)})

    report = with_integrity(report, integrity.assess(interview, turns))

    def finish(current: Interview) -> dict[str, Any] | None:
        if current.evaluation.generation != generation or current.status != InterviewStatus.EVALUATING:
            return None
        require_transition(current.status, InterviewStatus.EVALUATED)
        return {"status": InterviewStatus.EVALUATED, "evaluation.last_error": None}

    result, saved = store().save_report(interview_id, generation, report.model_dump(mode="python"), finish)
    tracing.record_scores(
        {"overall_score": report.overall_score, "quotes_dropped": report.evidence_check.quotes_dropped}
    )
    detail = {
        "overall_score": report.overall_score,
        "recommendation": report.recommendation.value if report.recommendation else None,
        "model": report.model,
    }
    log.info(
        "report " + result,
        extra={
            "generation": generation,
            "attempt": attempt,
            "model": report.model,
            "assessment": report.assessment.value,
            "overall_score": report.overall_score,
            "quotes_kept": report.evidence_check.quotes_kept,
            "quotes_dropped": report.evidence_check.quotes_dropped,
        },
    )
    if result == "written":
        try:
            archive_unless_deleted(
                store(),
                interview_id,
                archive_document(interview, turns, report.model_dump(mode="json")),
                interview.expire_at,
            )
        except Exception as error:  # the report stands; the archive is retried by the next delivery
            log.error("transcript archive failed", extra={"error": type(error).__name__})
            if not RETRY.is_last_attempt(retry_count):
                return Outcome(503, "retry", {"reason": "the transcript archive could not be written"})
        report_ready(interview, generation)
        return Outcome(200, "evaluated", detail)
    if result == "exists" and saved is not None:
        _ensure_archive(saved)
        return Outcome(200, "already_evaluated", {})
    return Outcome(200, result, {})


def report_ready(interview: Interview, generation: int) -> None:
    """Tell the workspace's webhooks; one event per evaluation generation (a re-evaluation is another)."""
    data: dict[str, str | int | None] = {
        "interview_id": interview.id,
        "workspace_id": interview.workspace_id,
        "status": InterviewStatus.EVALUATED.value,
        "generation": generation,
    }
    webhook_events.emit(interview.workspace_id, EventType.REPORT_READY, f"{interview.id}:{generation}", data)


def _failed_attempt(interview_id: str, generation: int, reason: str, retry_count: int) -> Outcome:
    """503 so the queue retries; on the last attempt, `evaluation_failed` and 200 so it stops."""
    attempt = retry_count + 1
    if RETRY.is_last_attempt(retry_count):
        _record_failure(interview_id, generation, f"{reason} (gave up after {attempt} attempts)")
        log.warning("evaluation failed for good", extra={"attempt": attempt, "reason": reason})
        return Outcome(200, "evaluation_failed", {"reason": reason})

    def note(interview: Interview) -> dict[str, Any] | None:
        if interview.evaluation.generation != generation or interview.status != InterviewStatus.EVALUATING:
            return None
        return {"evaluation.last_error": f"attempt {attempt}: {reason}"[:MAX_ERROR_CHARS]}

    store().update_in_transaction(interview_id, note)
    log.warning("evaluation attempt failed", extra={"attempt": attempt, "reason": reason})
    return Outcome(503, "retry", {"reason": reason})


def _quota_reason(exceeded: QuotaExceeded) -> str:
    when = f"; it resets at {exceeded.resets_at:%Y-%m-%d %H:%M} UTC" if exceeded.resets_at else ""
    return (
        f"the team's limit of {exceeded.maximum} evaluations a day is reached{when}: "
        "ask for the evaluation again then"
    )


def _record_failure(interview_id: str, generation: int, reason: str) -> None:
    def fail(interview: Interview) -> dict[str, Any] | None:
        if interview.evaluation.generation != generation or interview.status not in (
            InterviewStatus.COMPLETED,
            InterviewStatus.EVALUATING,
        ):
            return None
        require_transition(interview.status, InterviewStatus.EVALUATION_FAILED)
        return {
            "status": InterviewStatus.EVALUATION_FAILED,
            "evaluation.last_error": reason[:MAX_ERROR_CHARS],
        }

    with contextlib.suppress(InterviewNotFound):  # deleted meanwhile: nothing left to mark
        store().update_in_transaction(interview_id, fail)


def archive_document(interview: Interview, turns: list[Turn], report: dict[str, Any]) -> dict[str, Any]:
    """interviews/{id}/transcript.json: what was said and what was concluded, self-contained."""
    return {
        "interview_id": interview.id,
        "role": interview.role,
        "language": interview.language,
        "skills": [s.model_dump() for s in interview.skills],
        "started_at": interview.started_at,
        "ended_at": interview.ended_at,
        "end_reason": interview.end_reason.value if interview.end_reason else None,
        "turns": [t.model_dump(mode="json") for t in turns],
        "report": report,
        "archived_at": utcnow(),
    }


def _ensure_archive(interview: Interview) -> None:
    """Heal a delivery that wrote the report but crashed before the archive."""
    try:
        if archive.transcript_exists(interview.id):
            return
        report = store().report(interview.id)
        if report is None:
            return
        if archive_unless_deleted(
            store(),
            interview.id,
            archive_document(interview, store().turns(interview.id), report),
            interview.expire_at,
        ):
            log.info("transcript archive restored")
    except Exception as error:
        log.error("transcript archive check failed", extra={"error": type(error).__name__})
