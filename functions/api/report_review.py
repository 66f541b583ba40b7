"""A recruiter's review of a report that cannot be taken at face value (domain/integrity.py): turns
missing from the transcript, an interview that ended by error or far short of its plan. Until the
review, such a report carries no recommendation; the review records who looked and when, and
releases it."""

from __future__ import annotations

import logging

from flask import Blueprint, Response

from http_boundary import json_response, read_body
from interview_core.adapters.firestore_store import default_store, utcnow
from interview_core.domain.errors import NoReport
from interview_core.domain.workspaces import Role

from . import access

log = logging.getLogger("api")

report_review = Blueprint("report_review", __name__)
store = default_store

MAX_REVIEW_BYTES = 1024


@report_review.post("/api/interviews/<iid:interview_id>/report/review")
def review_report(interview_id: str) -> Response:
    """Mark the report reviewed (recruiter+); 200 with the report, also when there was nothing to do."""
    member = access.member(Role.RECRUITER)
    read_body(MAX_REVIEW_BYTES)
    store().get_in_workspace(interview_id, member.workspace.id)
    report = store().mark_report_reviewed(interview_id, member.uid, utcnow())
    if report is None:
        raise NoReport("this interview has no report yet")
    log.info(
        "report reviewed",
        extra={"review_required": bool((report.get("integrity") or {}).get("review_required"))},
    )
    return json_response(report)
