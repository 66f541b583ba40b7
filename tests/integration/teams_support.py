"""Helpers for the teams tests: interviews written straight to Firestore (no model call), and
snapshots of every collection a request could write to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from interview_core.domain import invites
from interview_core.domain.models import Candidate, Interview, InterviewStatus, Invite, PlannedQuestion, Skill

COLLECTION_GROUPS = (
    "interviews",
    "turns",
    "reports",
    "workspaces",
    "members",
    "invitations",
    "audit",
    "usage",
)
"""Every collection the api writes to (collection-group names)."""


def seed_interview(
    store: Any,
    workspace_id: str | None,
    owner_uid: str,
    status: InterviewStatus = InterviewStatus.INVITED,
    **overrides: Any,
) -> tuple[str, str]:
    """An interview as the API writes it, in `status`; returns (id, invite secret)."""
    now = datetime.now(UTC)
    interview_id = store.new_id()
    secret = invites.new_secret()
    fields: dict[str, Any] = {
        "id": interview_id,
        "owner_uid": owner_uid,
        "workspace_id": workspace_id,
        "candidate": Candidate(name="Ada Lovelace", email="ada@example.com"),
        "role": "Data Engineer",
        "job_description": "Strong SQL and Python; pipelines with Airflow on Google Cloud.",
        "language": "en",
        "duration_minutes": 20,
        "skills": [Skill(name="SQL", weight=1.0)],
        "question_plan": [PlannedQuestion(skill="SQL", question="Tell me about a SQL query you tuned.")],
        "status": status,
        "invite": Invite(
            secret_hash=invites.hash_secret(secret), expires_at=now + timedelta(days=1), max_uses=20
        ),
        "room": f"interview-{interview_id}",
        "created_at": now,
        "updated_at": now,
    }
    fields.update(overrides)
    store.create(Interview(**fields))
    return interview_id, secret


def seed_report(store: Any, interview_id: str, workspace_id: str | None, owner_uid: str) -> None:
    store.report_ref(interview_id).set(
        {"workspace_id": workspace_id, "owner_uid": owner_uid, "overall_score": 70, "generation": 1}
    )


def snapshot(db: Any) -> dict[str, set[str]]:
    """The path of every document in every collection the api writes: compare two to prove a
    request wrote nothing."""
    return {
        group: {s.reference.path for s in db.collection_group(group).select([]).stream()}
        for group in COLLECTION_GROUPS
    }
