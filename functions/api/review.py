"""Review before invite (docs/architecture.md, "Review before invite"): the routes a recruiter uses on a
draft interview, created with `"draft": true`, before the candidate can join.

- PUT  /api/interviews/{id}/plan: replace the skills (weights, rubric anchors) and the question plan;
- POST /api/interviews/{id}/cv: attach the candidate's CV (a PDF body) and, unless `?replan=0`,
  regenerate the plan from the job description and the CV, keeping the recruiter's must-ask questions;
- GET  /api/interviews/{id}/cv: the CV file, to members of the interview's workspace only;
- DELETE /api/interviews/{id}/cv: remove the CV (file and extracted text), in any status, audited;
- POST /api/interviews/{id}/send-invite: draft -> invited, minting the invite link that works.

Every change runs in a Firestore transaction that checks the interview is still a draft, so nothing
changes the plan after the invite is out: the plan the agent asks and the evaluation grades is the
approved one, and the report names its version and hash. Removing the CV is the one exception to the
lock: it takes data away (data minimisation) and never touches the plan.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, request
from pydantic import BaseModel, ConfigDict

from http_boundary import accepts_query, json_body, json_response, read_body
from interview_core import deletion
from interview_core.adapters import cv_files
from interview_core.adapters.firestore_store import default_store, utcnow
from interview_core.adapters.workspace_store import default_workspace_store
from interview_core.domain import invites, plan_review
from interview_core.domain.errors import ConcurrentChange, PlanLocked
from interview_core.domain.models import CvInfo, Interview, InterviewStatus, MailKind, PlannedQuestion, Skill
from interview_core.domain.plan_review import PlanEdit
from interview_core.domain.workspaces import AuditAction, Role
from interview_core.invite_delivery import deliver, reminder_due_at, sending
from interview_core.settings import get_settings

from . import access, cv_file
from .errors import ApiError

log = logging.getLogger("api")

review = Blueprint("review", __name__)
store = default_store
workspaces = default_workspace_store

MAX_PLAN_BYTES = 96 * 1024
MAX_SMALL_BYTES = 4 * 1024
MAX_FILENAME_CHARS = 200


def _require_draft(interview: Interview) -> None:
    if interview.status != InterviewStatus.DRAFT:
        raise PlanLocked(f"the plan is locked: the interview is {interview.status.value}, not a draft")


def _plan_fields(skills: list[Skill], questions: list[PlannedQuestion], version: int) -> dict[str, Any]:
    return {
        "skills": [s.model_dump(mode="json") for s in skills],
        "question_plan": [q.model_dump(mode="json") for q in questions],
        "plan_version": version,
        "plan_hash": plan_review.plan_hash(skills, questions),
    }


def _plan_view(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.id,
        "status": interview.status.value,
        "plan_version": interview.plan_version,
        "plan_hash": interview.plan_hash,
        "skills": [s.model_dump(mode="json") for s in interview.skills],
        "question_plan": [q.model_dump(mode="json") for q in interview.question_plan],
        "cv": interview.cv.model_dump(mode="json") if interview.cv else None,
    }


@review.put("/api/interviews/<iid:interview_id>/plan")
def edit_plan(interview_id: str) -> Response:
    """Replace the draft's plan; 409 `conflict` when it changed since `base_version`."""
    member = access.member(Role.RECRUITER)
    body = json_body(PlanEdit, MAX_PLAN_BYTES)
    skills, questions = body.normalised()

    def change(interview: Interview) -> dict[str, Any] | None:
        _require_draft(interview)
        if plan_review.plan_hash(skills, questions) == interview.plan_hash:
            return None  # the same plan again (a retried request): nothing changes
        if interview.plan_version != body.base_version:
            raise ConcurrentChange(
                f"the plan changed meanwhile (version {interview.plan_version}); reload it and edit again"
            )
        return _plan_fields(skills, questions, interview.plan_version + 1)

    interview = store().update_in_transaction(interview_id, change, workspace_id=member.workspace.id)
    log.info("plan edited", extra={"plan_version": interview.plan_version, "questions": len(questions)})
    return json_response(_plan_view(interview))


@review.post("/api/interviews/<iid:interview_id>/send-invite")
def send_invite(interview_id: str) -> Response:
    """draft -> invited: the plan is approved and frozen; the answer carries the only working invite
    link (its secret is stored hashed). The invite's lifetime starts now."""
    member = access.member(Role.RECRUITER)
    read_body(MAX_SMALL_BYTES)
    secret = invites.new_secret()
    now = utcnow()

    def change(interview: Interview) -> dict[str, Any]:
        if interview.status != InterviewStatus.DRAFT:
            raise PlanLocked(f"the invite was already sent: the interview is {interview.status.value}")
        ttl = interview.invite.expires_at - interview.created_at
        changes: dict[str, Any] = {
            "status": InterviewStatus.INVITED,
            "invite.secret_hash": invites.hash_secret(secret),
            "invite.expires_at": now + ttl,
            "updated_at": now,
        }
        if interview.emails.on_send:
            changes["emails.invite"] = sending(MailKind.INVITE, now).model_dump()
            changes["emails.reminder_due_at"] = reminder_due_at(now, now + ttl, settings)
        return changes

    settings = get_settings()
    interview = store().update_in_transaction(interview_id, change, workspace_id=member.workspace.id)
    log.info("invite sent", extra={"plan_version": interview.plan_version})
    emailed = interview.emails.on_send
    delivery = deliver(store(), interview, secret, MailKind.INVITE, settings, now) if emailed else None
    return json_response(
        {
            "invite_email": delivery.model_dump(mode="json") if delivery else None,
            "id": interview.id,
            "status": interview.status.value,
            "invite_url": invites.invite_url(get_settings().public_base_url, interview.id, secret),
            "expires_at": interview.invite.expires_at.isoformat(),
            "plan_version": interview.plan_version,
            "plan_hash": interview.plan_hash,
        }
    )


class CvUploadQuery(BaseModel):
    """The query parameters of a CV upload (the body is the file itself)."""

    model_config = ConfigDict(extra="forbid")

    filename: str | None = None
    replan: str = "1"


@review.post("/api/interviews/<iid:interview_id>/cv")
@accepts_query(CvUploadQuery)
def attach_cv(interview_id: str) -> Response:
    """Check and read the PDF in memory, replan, store the file, then point the interview at it in a
    transaction; a failure at any step leaves the interview and the bucket as they were."""
    from .routes import generate_plan  # routes imports this module: resolved at call time

    member = access.member(Role.RECRUITER)
    filename = _filename(request.args.get("filename"))
    replan = request.args.get("replan", "1").lower()
    if replan not in ("1", "0", "true", "false"):
        raise ApiError(422, "invalid_field", "replan must be 1 or 0", field="replan")
    interview = store().get_in_workspace(interview_id, member.workspace.id)
    _require_draft(interview)
    data = _read_cv_body()
    cv_file.check_type(request.content_type, data)
    extracted = cv_file.extract_text(data)
    generated = None
    if replan in ("1", "true"):
        plan, _model, _clipped = generate_plan(
            interview.role,
            interview.language,
            interview.duration_minutes,
            interview.job_description,
            extracted.text,
        )
        generated = plan
    path = cv_files.cv_path(interview_id, extracted.sha256)
    info = CvInfo(
        path=path,
        filename=filename,
        content_type=cv_files.CV_CONTENT_TYPE,
        size_bytes=len(data),
        sha256=extracted.sha256,
        pages=extracted.pages,
        text_chars=len(extracted.text),
        uploaded_at=utcnow(),
    )
    previous: list[str] = []

    def change(current: Interview) -> dict[str, Any]:
        _require_draft(current)
        previous[:] = [current.cv.path] if current.cv else []
        updates: dict[str, Any] = {"cv": info.model_dump(mode="python"), "cv_text": extracted.text}
        if generated is not None:
            questions = plan_review.keep_must_ask(
                generated.question_plan, generated.skills, current.question_plan
            )
            updates |= _plan_fields(list(generated.skills), questions, current.plan_version + 1)
        return updates

    cv_files.write_cv(path, data)
    try:
        updated = store().update_in_transaction(interview_id, change, workspace_id=member.workspace.id)
    except BaseException:
        if previous != [path]:  # the same file uploaded again is the stored one: keep it
            deletion.delete_cv(interview_id, path, reason="upload_failed")
        raise
    if previous and previous[0] != path:
        deletion.delete_cv(interview_id, previous[0], reason="replaced")
    log.info(
        "cv attached",
        extra={"pages": extracted.pages, "bytes": len(data), "replanned": generated is not None},
    )
    return json_response(_plan_view(updated), 201)


@review.get("/api/interviews/<iid:interview_id>/cv")
def download_cv(interview_id: str) -> Response:
    """The CV file itself, for members of the interview's workspace (viewer+); never cached."""
    member = access.member(Role.VIEWER)
    interview = store().get_in_workspace(interview_id, member.workspace.id)
    data = cv_files.read_cv(interview.cv.path) if interview.cv else None
    if interview.cv is None or data is None:
        raise ApiError(404, "no_cv", "this interview has no CV")
    return Response(
        data,
        status=200,
        mimetype=interview.cv.content_type,
        headers={
            "Content-Disposition": 'attachment; filename="cv.pdf"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@review.delete("/api/interviews/<iid:interview_id>/cv")
def delete_cv(interview_id: str) -> Response:
    """Remove the candidate's CV (recruiter+), in any status; 204, or 404 `no_cv` when there is none.

    Allowed after the invite too, so a recruiter can minimise what is kept; the plan stays as it is
    (a sent interview is never replanned, and a draft's recruiter edits the plan themselves). The
    audit entry comes first, one per CV however often a failed removal is repeated; then the file,
    then the interview's `cv` and `cv_text` in a transaction. A CV that replaced it meanwhile is
    removed too: the recruiter asked for no CV.
    """
    member = access.member(Role.RECRUITER)
    wid = member.workspace.id
    interview = store().get_in_workspace(interview_id, wid)
    if interview.cv is None:
        raise ApiError(404, "no_cv", "this interview has no CV")
    seen = interview.cv.path
    workspaces().append_audit(
        wid,
        actor_uid=member.uid,
        action=AuditAction.CV_DELETED,
        target=interview_id,
        detail={"status": interview.status.value, "pages": interview.cv.pages},
        now=utcnow(),
        entry_id=f"cv-deleted-{interview_id}-{interview.cv.sha256[:16]}",
    )
    deletion.delete_cv(interview_id, seen, reason="recruiter_removed")
    removed: list[str] = []

    def change(current: Interview) -> dict[str, Any] | None:
        removed[:] = [current.cv.path] if current.cv else []
        return {"cv": None, "cv_text": None} if current.cv or current.cv_text else None

    store().update_in_transaction(interview_id, change, workspace_id=wid)
    for path in removed:
        if path != seen:
            deletion.delete_cv(interview_id, path, reason="recruiter_removed")
    log.info("cv deleted", extra={"status": interview.status.value})
    return Response(status=204)


def _read_cv_body() -> bytes:
    try:
        return read_body(cv_file.MAX_CV_BYTES)
    except ApiError as error:
        if error.status == 413:
            raise ApiError(
                413, "cv_too_large", f"the CV is larger than {cv_file.MAX_CV_BYTES // (1024 * 1024)} MB"
            ) from error
        raise


def _filename(raw: str | None) -> str:
    name = " ".join((raw or "cv.pdf").split())
    if not name or len(name) > MAX_FILENAME_CHARS or any(not ch.isprintable() for ch in name):
        raise ApiError(
            422,
            "invalid_field",
            f"filename must be 1 to {MAX_FILENAME_CHARS} printable characters",
            field="filename",
        )
    return name
