"""The interview's status around an agent session: may it start, mark it started, record metrics.

Blocking Firestore calls (run them in a thread). Every status change goes through the shared store's
transaction and the status machine; only `invited` (first join) and `in_progress` (a rejoin, or a new
agent after a crash) may run an interview.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from interview_core.adapters.firestore_store import InterviewStore
from interview_core.domain.errors import IllegalTransition, InterviewNotFound
from interview_core.domain.models import Interview, InterviewStatus, PlanProgress
from interview_core.domain.status import JOINABLE, require_transition

INTERVIEW_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class NotJoinableError(Exception):
    """The interview does not exist or its status allows no interview (finished, cancelled...)."""

    def __init__(self, interview_id: str, status: str) -> None:
        super().__init__(f"interview {interview_id} is {status}")
        self.status = status


def parse_job_metadata(raw: str | None) -> str:
    """The interview id from the dispatch metadata `{"interview_id": "..."}`; ValueError otherwise."""
    import json

    try:
        data = json.loads(raw or "")
    except ValueError as error:
        raise ValueError("job metadata is not JSON") from error
    interview_id = data.get("interview_id") if isinstance(data, dict) else None
    if not isinstance(interview_id, str) or not INTERVIEW_ID_RE.match(interview_id):
        raise ValueError("job metadata has no valid interview_id")
    return interview_id


def load_joinable(store: InterviewStore, interview_id: str) -> Interview:
    interview = store.get(interview_id)
    if interview is None:
        raise NotJoinableError(interview_id, "missing")
    if interview.status not in JOINABLE:
        raise NotJoinableError(interview_id, interview.status.value)
    return interview


def begin(store: InterviewStore, interview_id: str, now: datetime) -> Interview:
    """invited -> in_progress with started_at (in a transaction); in_progress stays as it is (rejoin)."""

    def change(interview: Interview) -> dict[str, Any] | None:
        if interview.status == InterviewStatus.IN_PROGRESS:
            return None if interview.started_at else {"started_at": now}
        if interview.status not in JOINABLE:
            raise NotJoinableError(interview_id, interview.status.value)
        require_transition(interview.status, InterviewStatus.IN_PROGRESS)
        return {"status": InterviewStatus.IN_PROGRESS, "started_at": now}

    try:
        return store.update_in_transaction(interview_id, change)
    except InterviewNotFound as error:
        raise NotJoinableError(interview_id, "missing") from error
    except IllegalTransition as error:
        raise NotJoinableError(interview_id, error.code) from error


def record_agent_metrics(
    store: InterviewStore, interview_id: str, metrics: dict[str, float], end_detail: str | None = None
) -> None:
    """metrics.agent (and why it ended, when there is more to say than the reason) on the interview;
    the webhook stores the same; this survives a failed webhook."""
    updates: dict[str, Any] = {"metrics.agent": metrics}
    if end_detail:
        updates["end_detail"] = end_detail[:300]
    store.update_in_transaction(interview_id, lambda _: updates)


def record_plan_progress(store: InterviewStore, interview_id: str, progress: PlanProgress) -> None:
    """The plan's state on the interview, whole (a later write never depends on an earlier one)."""
    store.update_in_transaction(interview_id, lambda _: {"plan_progress": progress.model_dump()})
