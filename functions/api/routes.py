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
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, ValidationError

from http_boundary import (
    accepts_query,
    error_response,
    json_body,
    json_response,
    parse_json,
    query_params,
    read_body,
    refuse_undeclared_query,
    require_hmac_signature,
    require_json_content_type,
)
from interview_core import metrics, tracing, webhook_events
from interview_core.adapters import gemini, livekit_rooms, livekit_tokens, tasks
from interview_core.adapters.firestore_store import MAX_PAGE_SIZE, default_store, utcnow
from interview_core.adapters.workspace_store import default_workspace_store
from interview_core.deletion import delete_interview as delete_interview_data
from interview_core.domain import consent, invites, plan_review, prompts
from interview_core.domain.client_latency import client_latency_scores
from interview_core.domain.consent import ConsentRequired
from interview_core.domain.errors import (
    DomainError,
    IllegalTransition,
    InterviewInProgress,
    InterviewNotFound,
    InvalidInvite,
    ModelOutputUnusable,
    NoReport,
)
from interview_core.domain.ids import ID_CHARS, MAX_ID_CHARS, MAX_UID_CHARS, RESERVED_PATTERN, is_document_id
from interview_core.domain.models import (
    CompletionNotice,
    CreateInterviewRequest,
    Interview,
    InterviewStatus,
    Invite,
    InviteEmails,
    InviteGate,
    LatencyReport,
    MailKind,
    SkillPlan,
    TokenRequest,
)
from interview_core.domain.quotas import Limit
from interview_core.domain.retention import DeletionReason, expiry_for
from interview_core.domain.status import AWAITING_EVALUATION, FINISHED, REEVALUABLE, require_transition
from interview_core.domain.webhooks import EventType
from interview_core.domain.workspaces import AuditAction, Role, at_least
from interview_core.invite_delivery import deliver, reminder_due_at, resend, sending
from interview_core.observability import interview_id_var
from interview_core.settings import Settings, get_settings

from . import access, limits
from .errors import ApiError, api_error
from .exports import exports
from .privacy import privacy
from .report_review import report_review
from .review import review
from .teams import teams
from .webhooks import webhooks

log = logging.getLogger("api")

MAX_CREATE_BYTES = 128 * 1024
MAX_SMALL_BYTES = 4 * 1024
MAX_METRICS_BYTES = 16 * 1024
MAX_WEBHOOK_BYTES = 16 * 1024
CLIENT_LATENCY_KEEP = 50


class InterviewIdConverter(BaseConverter):
    """Document ids only (domain/ids.py); anything else is a 404 before any lookup."""

    regex = rf"{ID_CHARS}{{1,{MAX_ID_CHARS}}}"
    reserved_pattern = RESERVED_PATTERN  # refused by to_python, and said so in the OpenAPI document
    max_chars = MAX_ID_CHARS

    def to_python(self, value: str) -> str:
        if not is_document_id(value, self.max_chars):  # Firestore's reserved `__name__` form
            raise ValidationError()
        return value


class UidConverter(InterviewIdConverter):
    """Firebase Auth uids (at most 128 characters)."""

    regex = rf"{ID_CHARS}{{1,{MAX_UID_CHARS}}}"
    max_chars = MAX_UID_CHARS


app = Flask("interviewer-api")
app.url_map.converters["iid"] = InterviewIdConverter
app.url_map.converters["uid"] = UidConverter
app.register_blueprint(teams)
app.register_blueprint(exports)
app.register_blueprint(privacy)
app.register_blueprint(report_review)
app.register_blueprint(review)
app.register_blueprint(webhooks)

app.config["MAX_CONTENT_LENGTH"] = MAX_CREATE_BYTES  # no route takes more; each route bounds its own
app.before_request(refuse_undeclared_query)

store = default_store
workspaces = default_workspace_store

HTTP_ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    500: "internal_error",
}
HTTP_ERROR_MESSAGES = {
    404: "no such route",
    500: "the server failed to answer; try again later",
}


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
def http_problem(error: HTTPException) -> Response:
    """Flask's and Werkzeug's own refusals (404, 405, 413, 415, ...) as problem documents; main.py
    gives the functions-framework's own app the same answer."""
    status = error.code or 500
    code = HTTP_ERROR_CODES.get(status, "http_error")
    message = HTTP_ERROR_MESSAGES.get(status) or error.description or code
    allow = {key: value for key, value in error.get_headers() if key.lower() == "allow"}  # 405 (RFC 9110)
    return error_response(ApiError(status, code, message, headers=allow))


@app.errorhandler(Exception)
def _unexpected_error(error: Exception) -> Response:
    """A bug: logged with its traceback, answered as a problem document that tells nothing of it."""
    log.exception("request crashed", extra={"error": type(error).__name__})
    return error_response(ApiError(500, "internal_error", "the server failed to answer; try again later"))


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


@app.get("/api/openapi.json")
def openapi() -> Response:
    """This API's OpenAPI 3.1 document, generated from the routes and their pydantic models."""
    from .openapi import openapi_document  # imported on first use (cold-start time)

    return json_response(openapi_document(app))


# -- recruiter: interviews ------------------------------------------------------------------------
@app.post("/api/interviews")
def create_interview() -> Response:
    """Create an interview in the caller's workspace: the day's quota is counted first (429 when it
    is used up, before Gemini is called), and given back if the interview is not created."""
    member = access.member(Role.RECRUITER)
    limits.enforce("create", member.uid)
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
    plan, model_version, clipped = generate_plan(
        body.role, body.language, body.duration_minutes, body.job_description
    )

    now = utcnow()
    interview_id = store().new_id()
    interview_id_var.set(interview_id)
    tracing.trace.get_current_span().set_attribute("interviewer.interview_id", interview_id)
    secret = invites.new_secret()
    ttl_hours = body.options.invite_ttl_hours or settings.invite_ttl_hours
    expires_at = now + timedelta(hours=ttl_hours)
    emailed = body.options.send_invite_email and not body.draft  # a draft is emailed at send-invite
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
        status=InterviewStatus.DRAFT if body.draft else InterviewStatus.INVITED,
        invite=Invite(
            secret_hash=invites.hash_secret(secret),
            expires_at=expires_at,
            max_uses=body.options.invite_max_uses or settings.invite_max_uses,
        ),
        emails=InviteEmails(
            invite=sending(MailKind.INVITE, now) if emailed else None,
            reminder_due_at=reminder_due_at(now, expires_at, settings) if emailed else None,
            on_send=body.options.send_invite_email,
        ),
        room=livekit_tokens.room_name(interview_id),
        created_at=now,
        updated_at=now,
        expire_at=expiry_for(now + timedelta(hours=ttl_hours), member.workspace.settings.retention_days),
        model=model_version,
        metrics={"plan": {"clipped_fields": clipped}} if clipped else {},
        plan_hash=plan_review.plan_hash(plan.skills, plan.question_plan),
        trace_id=tracing.current_trace_id(),
        traceparent=tracing.current_traceparent(),
    )
    store().create(interview)
    log.info(
        "interview created",
        extra={"skills": len(plan.skills), "model": model_version, "clipped": clipped},
    )
    delivery = deliver(store(), interview, secret, MailKind.INVITE, settings, now) if emailed else None
    return json_response(
        {
            "id": interview_id,
            # A draft's secret is thrown away: send-invite mints the one that works.
            "invite_url": None
            if body.draft
            else invites.invite_url(settings.public_base_url, interview_id, secret),
            "plan_version": interview.plan_version,
            "plan_hash": interview.plan_hash,
            "status": interview.status.value,
            "skills": [s.model_dump() for s in plan.skills],
            "question_plan": [q.model_dump() for q in plan.question_plan],
            "expires_at": interview.invite.expires_at.isoformat(),
            "model": model_version,
            "invite_email": delivery.model_dump(mode="json") if delivery else None,
        },
        201,
        {"Location": f"/api/interviews/{interview_id}"},
    )


def generate_plan(
    role: str, language: str, duration_minutes: int, job_description: str, cv_text: str | None = None
) -> tuple[SkillPlan, str, int]:
    """The skills, anchors and question plan Gemini extracts (from the CV too, when given): the
    normalised plan, the model version and how many fields were clipped to their bounds."""
    result = gemini.generate_structured(
        system=prompts.SKILL_EXTRACTION_SYSTEM,
        user=prompts.skill_extraction_user_prompt(role, language, duration_minutes, job_description, cv_text),
        schema=SkillPlan,
        budget=gemini.CallBudget.for_requests(get_settings()),
        operation="skill_extraction",
        prompt_version=prompts.SKILL_EXTRACTION_PROMPT_VERSION,
    )
    try:
        plan = result.value.normalised()
    except ValueError as error:
        raise ModelOutputUnusable(f"the language model gave an unusable plan: {error}") from error
    generated = [q.model_copy(update={"must_ask": False}) for q in plan.question_plan]
    return plan.model_copy(update={"question_plan": generated}), result.model_version, len(result.clipped)


class ListInterviewsQuery(BaseModel):
    """The query parameters of GET /api/interviews."""

    model_config = ConfigDict(extra="forbid")

    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    mine: bool = False
    page_token: str | None = Field(None, max_length=200)


@app.get("/api/interviews")
@accepts_query(ListInterviewsQuery)
def list_interviews() -> Response:
    """The workspace's interviews, newest first; `mine=true`: only those the caller created."""
    member = access.member(Role.VIEWER)
    limits.enforce("list", member.uid)
    query = query_params(ListInterviewsQuery)
    page_token = query.page_token or None
    interviews, next_token = store().list_in_workspace(
        member.workspace.id,
        owner_uid=member.uid if query.mine else None,
        page_size=query.page_size,
        page_token=page_token,
    )
    return json_response({"interviews": [_summary(i) for i in interviews], "next_page_token": next_token})


@app.get("/api/interviews/<iid:interview_id>")
def get_interview(interview_id: str) -> Response:
    member = access.member(Role.VIEWER)
    interview = store().get_in_workspace(interview_id, member.workspace.id)
    turns = store().turns(interview_id)
    view = interview.public_view()
    if not at_least(member.role, Role.ADMIN):
        # The trace is an operator's view of the whole pipeline (docs/observability.md): admins only.
        view.pop("trace_id", None)
        view.pop("traceparent", None)
    return json_response({**view, "turns": [t.model_dump(mode="json") for t in turns]})


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
    if interview.status == InterviewStatus.CANCELLED:  # a repeat emits the same delivery id: one event
        webhook_events.interview_event(interview, EventType.INTERVIEW_CANCELLED)
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
    deleted = delete_interview_data(
        store(), interview_id, workspace_id=wid, reason=DeletionReason.RECRUITER, now=utcnow()
    )
    log.info("interview deleted", extra={"files_deleted": deleted.files})
    webhook_events.interview_event(interview, EventType.INTERVIEW_DELETED)  # status: the last one it had
    return Response(status=204)


@app.post("/api/interviews/<iid:interview_id>/invite-email")
def resend_invite_email(interview_id: str) -> Response:
    """Email the candidate a fresh invite link (recruiter+); earlier links keep working. 409 when the
    interview is no longer invited or the invite was emailed too often."""
    member = access.member(Role.RECRUITER)
    read_body(MAX_SMALL_BYTES)
    delivery = resend(store(), interview_id, member.workspace.id, get_settings(), utcnow())
    return json_response({"id": interview_id, "invite_email": delivery.model_dump(mode="json")})


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
    limits.enforce("report", member.uid)
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
        return json_response(
            {**report, "consent": interview.consent.model_dump(mode="json") if interview.consent else None}
        )
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
    limits.enforce("token", interview_id)
    settings = get_settings()
    now = utcnow()

    started: list[str] = []  # the workspace, when this token took the live slot: the candidate is joining

    def change(gate: InviteGate, *, may_take_slot: bool) -> dict[str, Any]:
        started.clear()
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
        if gate.consent is None:  # no token without the candidate's consent on record
            if body.consent is None:
                raise ConsentRequired()
            updates["consent"] = consent.record(body.consent, now).model_dump()
        if gate.workspace_id and gate.live_since is None and gate.status == InterviewStatus.INVITED:
            if not may_take_slot:
                raise _SlotNeeded(gate.workspace_id)
            updates["live_since"] = now
            started.append(gate.workspace_id)
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
        token = livekit_tokens.candidate_token(
            settings, interview_id, tracing.current_traceparent(), warm=body.warm
        )
        if gate.status == InterviewStatus.IN_PROGRESS:
            _ensure_agent(settings, interview_id, tracing.current_traceparent())
    log.info("candidate token minted", extra={"uses": gate.invite.uses})
    if started:
        data: dict[str, str | int | None] = {
            "interview_id": interview_id,
            "workspace_id": started[0],
            "status": InterviewStatus.IN_PROGRESS.value,
        }
        webhook_events.emit(started[0], EventType.INTERVIEW_STARTED, interview_id, data)
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
            "rejoin_grace_seconds": settings.rejoin_grace_seconds,
        }
    )


def _ensure_agent(settings: Settings, interview_id: str, traceparent: str | None) -> None:
    """A rejoin finds an agent in the room, even when the worker that held the interview died
    (livekit_rooms.ensure_agent). LiveKit unreachable here only costs this: the token still works."""
    try:
        livekit_rooms.ensure_agent(settings, interview_id, traceparent)
    except Exception as error:
        log.warning("could not check the room for an agent", extra={"error": type(error).__name__})


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
            "consent": dict(
                zip(("version", "language", "sha256"), consent.shown_text(gate.language), strict=True)
            ),
        }
    )


@app.post("/api/metrics/latency")
def latency_metrics() -> Response:
    """The candidate page's latency samples, kept on the interview while it is live (in progress, or
    invited with the candidate's live slot taken), at most latency_samples_per_interview in all.

    The write leaves `updated_at` alone: telemetry is not activity, and the sweeper judges an
    abandoned interview by it.
    """
    body = json_body(LatencyReport, MAX_METRICS_BYTES)
    interview_id_var.set(body.interview_id)
    limits.enforce("latency", body.interview_id)
    most = get_settings().latency_samples_per_interview

    def change(interview: Interview) -> dict[str, Any]:
        if not invites.invite_secret_matches(body.invite, interview.invite):
            raise InvalidInvite()
        if not _is_live(interview):
            raise ApiError(
                409, "interview_not_live", f"the interview is {interview.status.value}; it takes no samples"
            )
        client = dict(interview.metrics.get("client") or {})  # type: ignore[call-overload]
        stored = sum(int(dict(entry).get("count", 0)) for entry in client.values())
        if stored + len(body.samples) > most:
            raise ApiError(409, "limit_reached", f"an interview keeps at most {most} latency samples")
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
        store().update_atomically(body.interview_id, change, touch=False)
    except InterviewNotFound as error:
        raise InvalidInvite() from error
    for sample in body.samples:  # stored: now counted on the dashboard's first-audio chart too
        if sample.kind == "first_audio":
            metrics.first_audio(sample.ms)
    return json_response({"accepted": len(body.samples)}, 202)


def _is_live(interview: Interview) -> bool:
    """In the room: in progress, or invited with a live slot taken by the candidate's first token."""
    if interview.status == InterviewStatus.IN_PROGRESS:
        return True
    return interview.status == InterviewStatus.INVITED and interview.live_since is not None


# -- agent ----------------------------------------------------------------------------------------
@app.post("/api/webhooks/interview-complete")
def interview_complete() -> Response:
    raw = read_body(MAX_WEBHOOK_BYTES)
    _authenticate_agent(raw)
    require_json_content_type()
    notice = parse_json(raw, CompletionNotice)
    interview_id_var.set(notice.interview_id)
    limits.enforce("webhook", notice.interview_id)

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
        if notice.turn_count is not None:
            updates["turns_announced"] = notice.turn_count
        return updates

    before = time.monotonic()
    interview = store().update_in_transaction(notice.interview_id, change)
    # After the commit, and again on every repeat: a crash between the two heals when the agent
    # retries. The task name (interview id + evaluation generation) makes repeats no-ops.
    enqueued = None
    if interview.status in AWAITING_EVALUATION:
        with tracing.step("interview.complete", traceparent=interview.traceparent):
            tracing.record_scores(notice.metrics or {})  # the agent's latency figures, drops, turns
            # and the candidate page's (first audio, response times), final now: the route takes no
            # sample once the interview is no longer live
            tracing.record_scores(client_latency_scores(interview.metrics.get("client")))
            enqueued = tasks.enqueue_evaluation(interview.id, interview.evaluation.generation)
        webhook_events.interview_event(
            interview,
            EventType.INTERVIEW_COMPLETED,
            end_reason=interview.end_reason.value if interview.end_reason else None,
        )
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
        "emails": interview.emails.model_dump(mode="json"),
    }
