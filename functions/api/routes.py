"""The recruiter and candidate REST API (DESIGN.md, "HTTP API").

Handlers are thin: check who is asking (api/access.py: a verified member of the chosen workspace
with the role the route needs), validate the body, call the store or an adapter, answer JSON.
Another team's interview answers 404, never 403, so ids cannot be probed. The team routes are in
api/teams.py.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from flask import Flask, Response, request
from google.api_core import exceptions as gexc
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from http_boundary import (
    error_response,
    json_body,
    json_response,
    parse_json,
    read_body,
    require_hmac_signature,
)
from interview_core import tracing
from interview_core.adapters import archive, gemini, livekit_rooms, livekit_tokens, tasks
from interview_core.adapters.firestore_store import MAX_PAGE_SIZE, default_store, utcnow
from interview_core.adapters.workspace_store import default_workspace_store
from interview_core.domain import invites, prompts
from interview_core.domain.errors import (
    DomainError,
    IllegalTransition,
    InterviewInProgress,
    InterviewNotFound,
    InvalidCursor,
    InvalidInvite,
    ModelOutputUnusable,
    NoReport,
)
from interview_core.domain.models import (
    CompletionNotice,
    CreateInterviewRequest,
    Interview,
    InterviewStatus,
    Invite,
    InviteGate,
    LatencyReport,
    SkillPlan,
    TokenRequest,
)
from interview_core.domain.quotas import Limit
from interview_core.domain.status import AWAITING_EVALUATION, FINISHED, REEVALUABLE, require_transition
from interview_core.domain.workspaces import AuditAction, Role
from interview_core.observability import interview_id_var
from interview_core.settings import get_settings

from . import access
from .errors import ApiError, api_error
from .teams import teams

log = logging.getLogger("api")

MAX_CREATE_BYTES = 128 * 1024
MAX_SMALL_BYTES = 4 * 1024
MAX_METRICS_BYTES = 16 * 1024
MAX_WEBHOOK_BYTES = 16 * 1024
CLIENT_LATENCY_KEEP = 50


class InterviewIdConverter(BaseConverter):
    """Firestore-style ids only; anything else is a 404 before any lookup."""

    regex = r"[A-Za-z0-9_-]{1,64}"


class UidConverter(BaseConverter):
    """Firebase Auth uids (at most 128 characters)."""

    regex = r"[A-Za-z0-9_-]{1,128}"


app = Flask("interviewer-api")
app.url_map.converters["iid"] = InterviewIdConverter
app.url_map.converters["uid"] = UidConverter
app.register_blueprint(teams)

store = default_store
workspaces = default_workspace_store


@app.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error_response(error)


@app.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Response:
    """The interview core's refusals, answered with the status api/errors.py gives each."""
    answer = api_error(error)
    if answer.status >= 500:
        log.warning("request failed", extra={"code": error.code, "reason": error.message})
    return error_response(answer)


@app.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    code = {404: "not_found", 405: "method_not_allowed"}.get(error.code or 500, "http_error")
    return error_response(ApiError(error.code or 500, code, error.description or code))


@app.errorhandler(gexc.GoogleAPICallError)
def _google_error(error: gexc.GoogleAPICallError) -> Response:
    log.error("google api call failed", extra={"error": type(error).__name__})
    return error_response(ApiError(503, "backend_unavailable", "a backend service failed; try again"))


@app.before_request
def _reset_context() -> None:
    interview_id_var.set(request.view_args.get("interview_id") if request.view_args else None)


# -- health ---------------------------------------------------------------------------------------
@app.get("/health")
def health() -> Response:
    return json_response({"status": "ok"})


# -- recruiter: interviews ------------------------------------------------------------------------
@app.post("/api/interviews")
def create_interview() -> Response:
    """Create an interview in the caller's workspace: the day's quota is counted first (429 when it
    is used up, before Gemini is called), and given back if the interview is not created."""
    member = access.member(Role.RECRUITER)
    body = json_body(CreateInterviewRequest, MAX_CREATE_BYTES)
    wid = member.workspace.id
    charged = workspaces().charge(wid, Limit.INTERVIEWS_PER_DAY, utcnow())
    try:
        # The interview's trace starts here: every later step parents its spans on it.
        with tracing.step("interview.create", kind=tracing.trace.SpanKind.SERVER):
            return _create_interview(member, body)
    except BaseException:
        try:
            workspaces().refund(wid, charged, utcnow())
        except Exception as error:  # the interview still failed; the count is one too high today
            log.error("quota refund failed", extra={"error": type(error).__name__})
        raise


def _create_interview(member: access.Access, body: CreateInterviewRequest) -> Response:
    settings = get_settings()
    result = gemini.generate_structured(
        system=prompts.SKILL_EXTRACTION_SYSTEM,
        user=prompts.skill_extraction_user_prompt(
            body.role, body.language, body.duration_minutes, body.job_description
        ),
        schema=SkillPlan,
        budget=gemini.CallBudget.for_requests(settings),
        operation="skill_extraction",
        prompt_version=prompts.SKILL_EXTRACTION_PROMPT_VERSION,
    )
    model_version = result.model_version
    try:
        plan = result.value.normalised()
    except ValueError as error:
        raise ModelOutputUnusable(f"the language model gave an unusable plan: {error}") from error

    now = utcnow()
    interview_id = store().new_id()
    interview_id_var.set(interview_id)
    tracing.trace.get_current_span().set_attribute("interviewer.interview_id", interview_id)
    secret = invites.new_secret()
    ttl_hours = body.options.invite_ttl_hours or settings.invite_ttl_hours
    interview = Interview(
        id=interview_id,
        owner_uid=member.uid,
        workspace_id=member.workspace.id,
        candidate=body.candidate,
        role=body.role,
        job_description=body.job_description,
        language=body.language,
        duration_minutes=body.duration_minutes,
        skills=plan.skills,
        question_plan=plan.question_plan,
        status=InterviewStatus.INVITED,
        invite=Invite(
            secret_hash=invites.hash_secret(secret),
            expires_at=now + timedelta(hours=ttl_hours),
            max_uses=body.options.invite_max_uses or settings.invite_max_uses,
        ),
        room=livekit_tokens.room_name(interview_id),
        created_at=now,
        updated_at=now,
        model=model_version,
        metrics={"plan": {"clipped_fields": len(result.clipped)}} if result.clipped else {},
        trace_id=tracing.current_trace_id(),
        traceparent=tracing.current_traceparent(),
    )
    store().create(interview)
    log.info(
        "interview created",
        extra={"skills": len(plan.skills), "model": model_version, "clipped": len(result.clipped)},
    )
    return json_response(
        {
            "id": interview_id,
            "invite_url": invites.invite_url(settings.public_base_url, interview_id, secret),
            "status": interview.status.value,
            "skills": [s.model_dump() for s in plan.skills],
            "question_plan": [q.model_dump() for q in plan.question_plan],
            "expires_at": interview.invite.expires_at.isoformat(),
            "model": model_version,
        },
        201,
        {"Location": f"/api/interviews/{interview_id}"},
    )


@app.get("/api/interviews")
def list_interviews() -> Response:
    """The workspace's interviews, newest first; `mine=true`: only those the caller created."""
    member = access.member(Role.VIEWER)
    raw_size = request.args.get("page_size", "20")
    if not raw_size.isdigit() or not 1 <= int(raw_size) <= MAX_PAGE_SIZE:
        raise ApiError(422, "invalid_field", f"page_size must be 1 to {MAX_PAGE_SIZE}", field="page_size")
    mine = request.args.get("mine", "false").lower()
    if mine not in ("true", "false", "1", "0"):
        raise ApiError(422, "invalid_field", "mine must be true or false", field="mine")
    page_token = request.args.get("page_token") or None
    if page_token and len(page_token) > 200:
        raise InvalidCursor()
    interviews, next_token = store().list_in_workspace(
        member.workspace.id,
        owner_uid=member.uid if mine in ("true", "1") else None,
        page_size=int(raw_size),
        page_token=page_token,
    )
    return json_response({"interviews": [_summary(i) for i in interviews], "next_page_token": next_token})


@app.get("/api/interviews/<iid:interview_id>")
def get_interview(interview_id: str) -> Response:
    member = access.member(Role.VIEWER)
    interview = store().get_in_workspace(interview_id, member.workspace.id)
    turns = store().turns(interview_id)
    return json_response({**interview.public_view(), "turns": [t.model_dump(mode="json") for t in turns]})


@app.post("/api/interviews/<iid:interview_id>/cancel")
def cancel_interview(interview_id: str) -> Response:
    member = access.member(Role.RECRUITER)
    read_body(MAX_SMALL_BYTES)

    was: list[InterviewStatus] = []

    def change(interview: Interview) -> dict[str, Any] | None:
        was[:] = [interview.status]
        if interview.status == InterviewStatus.CANCELLED:
            return None  # repeating a cancel is harmless
        require_transition(interview.status, InterviewStatus.CANCELLED)
        return {"status": InterviewStatus.CANCELLED, "ended_at": utcnow()}

    interview = store().update_in_transaction(interview_id, change, workspace_id=member.workspace.id)
    # A running interview stops now: closing the room disconnects the candidate and the agent, whose
    # completion webhook then finds the interview cancelled and changes nothing. Turns already said
    # stay stored. An invited interview may have a candidate waiting in the room, so it is closed too.
    room_closed = False
    if was and was[0] in (InterviewStatus.IN_PROGRESS, InterviewStatus.INVITED):
        try:
            room_closed = livekit_rooms.close_room(get_settings(), interview_id)
        except Exception as error:  # the cancel stands; the agent ends at its time limit at the latest
            log.warning("closing the interview room failed", extra={"error": type(error).__name__})
    log.info("interview cancelled", extra={"was": was[0].value if was else None, "room_closed": room_closed})
    return json_response({"id": interview_id, "status": interview.status.value, "room_closed": room_closed})


@app.delete("/api/interviews/<iid:interview_id>")
def delete_interview(interview_id: str) -> Response:
    """Delete the interview and everything about it. The audit entry is written first (one per
    interview, however often a failed delete is repeated), and a live slot it holds is given back."""
    member = access.member(Role.RECRUITER)
    wid = member.workspace.id
    interview = store().get_in_workspace(interview_id, wid)
    if interview.status == InterviewStatus.IN_PROGRESS:
        raise InterviewInProgress()
    if interview.live_since is not None:
        store().update_in_transaction(
            interview_id, lambda i: {"live_since": None} if i.live_since else None, workspace_id=wid
        )
    workspaces().append_audit(
        wid,
        actor_uid=member.uid,
        action=AuditAction.INTERVIEW_DELETED,
        target=interview_id,
        detail={"status": interview.status.value, "created_by": interview.owner_uid},
        now=utcnow(),
        entry_id=f"interview-deleted-{interview_id}",
    )
    files = archive.delete_interview_files(interview_id)
    store().delete_everything(interview_id)
    log.info("interview deleted", extra={"files_deleted": files})
    return Response(status=204)


@app.post("/api/interviews/<iid:interview_id>/reevaluate")
def reevaluate_interview(interview_id: str) -> Response:
    """Run the evaluation again: evaluated | evaluation_failed -> evaluating, new generation, enqueue.

    The status goes straight to `evaluating` (the machine has no way back to `completed`) with
    attempts 0 until the task starts. The previous report stays readable until the new one replaces
    it (reports carry their `generation`). Repeating the call before the task has started enqueues
    the same generation again, which is a no-op, so a failed enqueue can simply be retried.
    """
    member = access.member(Role.RECRUITER)
    read_body(MAX_SMALL_BYTES)

    def change(interview: Interview) -> dict[str, Any] | None:
        if interview.status == InterviewStatus.EVALUATING and interview.evaluation.attempts == 0:
            return None  # asked already and not started: enqueue the same generation again below
        if interview.status not in REEVALUABLE:
            raise IllegalTransition(
                f"an interview that is {interview.status.value} cannot be evaluated again"
            )
        require_transition(interview.status, InterviewStatus.EVALUATING)
        return {
            "status": InterviewStatus.EVALUATING,
            "evaluation": {
                "generation": interview.evaluation.generation + 1,
                "attempts": 0,
                "last_error": None,
            },
        }

    with workspaces().turn(member.workspace.id):  # the evaluation is counted in this transaction
        interview = store().update_in_transaction(interview_id, change, workspace_id=member.workspace.id)
    with tracing.step("interview.reevaluate", traceparent=interview.traceparent):
        tasks.enqueue_evaluation(interview.id, interview.evaluation.generation)
    log.info("re-evaluation requested", extra={"generation": interview.evaluation.generation})
    return json_response(
        {"id": interview.id, "status": interview.status.value, "generation": interview.evaluation.generation},
        202,
    )


# -- recruiter: reports ---------------------------------------------------------------------------
@app.get("/api/reports/<iid:interview_id>")
def get_report(interview_id: str) -> Response:
    """The report (viewer+). Each view is audited, at most once per viewer, report and hour."""
    member = access.member(Role.VIEWER)
    wid = member.workspace.id
    interview = store().get_in_workspace(interview_id, wid)
    report = store().report(interview_id)
    if report is not None:
        now = utcnow()
        workspaces().append_audit(
            wid,
            actor_uid=member.uid,
            action=AuditAction.REPORT_VIEWED,
            target=interview_id,
            now=now,
            entry_id=f"report-viewed-{interview_id}-{member.uid}-{now:%Y%m%d%H}",
        )
        return json_response(report)
    if interview.status in (InterviewStatus.EXPIRED, InterviewStatus.CANCELLED):
        raise NoReport(f"this interview was {interview.status.value}; it has no report")
    return json_response(
        {
            "status": interview.status.value,
            "evaluation": interview.evaluation.model_dump(),
            "message": "the report is not ready yet",
        },
        202,
        {"Retry-After": "5"},
    )


# -- candidate ------------------------------------------------------------------------------------
@app.post("/api/interviews/<iid:interview_id>/token")
def candidate_token(interview_id: str) -> Response:
    """A room token for the candidate. The first token of an invited interview takes one of the
    workspace's live-interview slots (429 when none is free or the month's model minutes are used
    up); that one goes through a transaction with the usage counters, rejoins stay a compare-and-set."""
    body = json_body(TokenRequest, MAX_SMALL_BYTES)
    settings = get_settings()
    now = utcnow()

    def change(gate: InviteGate, *, may_take_slot: bool) -> dict[str, Any]:
        recent = invites.check_token_request(
            gate.invite,
            gate.status,
            body.invite,
            now,
            rate_limit_per_minute=settings.token_rate_limit_per_minute,
        )
        updates: dict[str, Any] = {
            "invite.uses": gate.invite.uses + 1,
            "invite.recent_token_requests": [*recent, now],
        }
        if gate.workspace_id and gate.live_since is None and gate.status == InterviewStatus.INVITED:
            if not may_take_slot:
                raise _SlotNeeded(gate.workspace_id)
            updates["live_since"] = now
        return updates

    try:
        try:
            gate = store().update_part_atomically(
                interview_id, InviteGate, lambda g: change(g, may_take_slot=False)
            )
        except _SlotNeeded as needed:
            with workspaces().turn(needed.workspace_id):
                gate = store().update_part_in_transaction(
                    interview_id, InviteGate, lambda g: change(g, may_take_slot=True)
                )
    except InterviewNotFound as error:  # unknown id: indistinguishable from a wrong secret
        raise InvalidInvite() from error
    with tracing.step("interview.token", traceparent=gate.traceparent):
        # The agent this token dispatches continues the interview's trace (dispatch metadata).
        token = livekit_tokens.candidate_token(settings, interview_id, tracing.current_traceparent())
    log.info("candidate token minted", extra={"uses": gate.invite.uses})
    return json_response(
        {
            "livekit_url": settings.livekit_url,
            "token": token,
            "room": gate.room,
            "expires_at": (now + timedelta(minutes=settings.livekit_token_ttl_minutes)).isoformat(),
            "duration_minutes": gate.duration_minutes,
            "candidate_name": gate.candidate.name,
            "role": gate.role,
            "language": gate.language,
        }
    )


@app.post("/api/interviews/<iid:interview_id>/invite")
def invite_info(interview_id: str) -> Response:
    """What the candidate's welcome page shows before consent: who, what role, how long.

    Read-only: it counts no use and mints nothing. The same checks as the token route, so the page
    can show an expired or finished invite before the candidate does anything.
    """
    body = json_body(TokenRequest, MAX_SMALL_BYTES)
    gate = store().get_part(interview_id, InviteGate)
    if gate is None:
        raise InvalidInvite()
    invites.check_invite(gate.invite, gate.status, body.invite, utcnow())
    return json_response(
        {
            "candidate_name": gate.candidate.name,
            "role": gate.role,
            "duration_minutes": gate.duration_minutes,
            "language": gate.language,
            "status": gate.status.value,
            "expires_at": gate.invite.expires_at.isoformat(),
        }
    )


@app.post("/api/metrics/latency")
def latency_metrics() -> Response:
    body = json_body(LatencyReport, MAX_METRICS_BYTES)
    interview_id_var.set(body.interview_id)

    def change(interview: Interview) -> dict[str, Any]:
        if not invites.secret_matches(body.invite, interview.invite.secret_hash):
            raise InvalidInvite()
        client = dict(interview.metrics.get("client") or {})  # type: ignore[call-overload]
        for sample in body.samples:
            entry = dict(client.get(sample.kind) or {})
            recent = [*list(entry.get("recent_ms") or []), round(sample.ms, 1)][-CLIENT_LATENCY_KEEP:]
            client[sample.kind] = {
                "count": int(entry.get("count", 0)) + 1,
                "sum_ms": float(entry.get("sum_ms", 0.0)) + sample.ms,
                "max_ms": max(float(entry.get("max_ms", 0.0)), sample.ms),
                "recent_ms": recent,
            }
        return {"metrics.client": client}

    try:
        store().update_atomically(body.interview_id, change)
    except InterviewNotFound as error:
        raise InvalidInvite() from error
    return json_response({"accepted": len(body.samples)}, 202)


# -- agent ----------------------------------------------------------------------------------------
@app.post("/api/webhooks/interview-complete")
def interview_complete() -> Response:
    raw = read_body(MAX_WEBHOOK_BYTES)
    _authenticate_agent(raw)
    notice = parse_json(raw, CompletionNotice)
    interview_id_var.set(notice.interview_id)

    def change(interview: Interview) -> dict[str, Any] | None:
        if interview.status in FINISHED:
            return None  # already finalised: the webhook is idempotent
        if interview.status == InterviewStatus.CANCELLED:
            return None  # the recruiter stopped it (and closed the room): the agent's report changes nothing
        require_transition(interview.status, InterviewStatus.COMPLETED)
        updates: dict[str, Any] = {
            "status": InterviewStatus.COMPLETED,
            "ended_at": notice.ended_at or utcnow(),
            "end_reason": notice.end_reason,
        }
        if notice.end_detail:
            updates["end_detail"] = notice.end_detail
        if notice.metrics:
            updates["metrics.agent"] = notice.metrics
        return updates

    before = time.monotonic()
    interview = store().update_in_transaction(notice.interview_id, change)
    # After the commit, and again on every repeat: a crash between the two heals when the agent
    # retries. The task name (interview id + evaluation generation) makes repeats no-ops.
    enqueued = None
    if interview.status in AWAITING_EVALUATION:
        with tracing.step("interview.complete", traceparent=interview.traceparent):
            tracing.record_scores(notice.metrics or {})  # the agent's latency figures, drops, turns
            enqueued = tasks.enqueue_evaluation(interview.id, interview.evaluation.generation)
    log.info(
        "interview completion received",
        extra={
            "status": interview.status.value,
            "enqueued": enqueued,
            "ms": round((time.monotonic() - before) * 1000, 1),
        },
    )
    return json_response({"id": interview.id, "status": interview.status.value})


def _authenticate_agent(raw: bytes) -> None:
    """HMAC locally; in the cloud an OIDC token of the agent's service account for this webhook's
    audience, checked like evaluate's and sweep's callers (adapters/oidc.verify_caller)."""
    settings = get_settings()
    if settings.webhook_auth == "hmac":
        require_hmac_signature(request.headers, raw, settings, "webhook")
        return
    from interview_core.adapters import oidc  # imported on first use (cold-start time)

    oidc.verify_caller(
        request.headers.get("Authorization"),
        issuer=settings.effective_webhook_oidc_issuer,
        audience=settings.webhook_oidc_audience,
        email=settings.agent_service_account,
    )


class _SlotNeeded(Exception):
    """The token request must take a live slot, which only the transactional path can count."""

    def __init__(self, workspace_id: str) -> None:
        super().__init__(workspace_id)
        self.workspace_id = workspace_id


def _summary(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.id,
        "candidate": interview.candidate.model_dump(),
        "role": interview.role,
        "status": interview.status.value,
        "language": interview.language,
        "duration_minutes": interview.duration_minutes,
        "created_at": interview.created_at.isoformat(),
        "ended_at": interview.ended_at.isoformat() if interview.ended_at else None,
        "end_reason": interview.end_reason.value if interview.end_reason else None,
        "owner_uid": interview.owner_uid,
    }
