"""Data-subject requests: an admin erases everything stored of one candidate email in the workspace.

Every interview of that address (compared case-insensitively) is deleted the way a recruiter's delete
is (interview_core/deletion.py: tombstone, archive files, turns, report, document), a running one
included: its room is closed and its tombstone stops the agent's further turn writes. What stays is
an audit entry that names the request by a SHA-256 digest of the workspace and address, with counts:
the record that it was done, without the address.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response

from http_boundary import json_body, json_response
from interview_core import webhook_events
from interview_core.adapters import livekit_rooms
from interview_core.adapters.firestore_store import default_store, utcnow
from interview_core.adapters.workspace_store import default_workspace_store
from interview_core.deletion import delete_interview
from interview_core.domain.errors import InterviewNotFound
from interview_core.domain.models import InterviewStatus
from interview_core.domain.retention import DeletionReason, ErasureRequest, email_digest
from interview_core.domain.webhooks import EventType
from interview_core.domain.workspaces import AuditAction, Role
from interview_core.observability import interview_id_var
from interview_core.settings import get_settings

from . import access

log = logging.getLogger("api")

privacy = Blueprint("privacy", __name__)
store = default_store
workspaces = default_workspace_store

MAX_ERASURE_BYTES = 1024


@privacy.post("/api/workspace/erasures")
def erase_candidate() -> Response:
    """Delete every interview of the candidate email in this workspace (admin); 200 with the digest
    the record keeps and the counts, also when nothing matched (the answer says 0)."""
    member = access.member(Role.ADMIN)
    body = json_body(ErasureRequest, MAX_ERASURE_BYTES)
    wid = member.workspace.id
    digest = email_digest(wid, str(body.email))
    deleted = files = 0
    for interview_id in store().ids_of_candidate(wid, str(body.email)):
        interview_id_var.set(interview_id)
        files += _erase_one(wid, interview_id)
        deleted += 1
    interview_id_var.set(None)
    workspaces().append_audit(
        wid,
        actor_uid=member.uid,
        action=AuditAction.CANDIDATE_DATA_ERASED,
        target=f"sha256:{digest}",
        detail={"interviews_deleted": deleted, "files_deleted": files},
        now=utcnow(),
    )
    log.info("candidate data erased", extra={"interviews_deleted": deleted, "files_deleted": files})
    return json_response({"email_sha256": digest, "interviews_deleted": deleted, "files_deleted": files})


def _erase_one(workspace_id: str, interview_id: str) -> int:
    """Give back a live slot, close a room that may still be talking, then delete; the files deleted."""
    try:
        interview = store().update_in_transaction(
            interview_id, lambda i: {"live_since": None} if i.live_since else None, workspace_id=workspace_id
        )
    except InterviewNotFound:  # deleted meanwhile: the delete below finds nothing and changes nothing
        interview = None
    if interview is not None and interview.status in (InterviewStatus.IN_PROGRESS, InterviewStatus.INVITED):
        try:
            livekit_rooms.close_room(get_settings(), interview_id)
        except Exception as error:  # the tombstone stops the agent's writes anyway
            log.warning("closing the interview room failed", extra={"error": type(error).__name__})
    deleted = delete_interview(
        store(),
        interview_id,
        workspace_id=workspace_id,
        reason=DeletionReason.DATA_SUBJECT_REQUEST,
        now=utcnow(),
    )
    if interview is not None:  # the ATS deletes its copy too; the payload names ids, never the email
        webhook_events.interview_event(interview, EventType.INTERVIEW_DELETED)
    return deleted.files
