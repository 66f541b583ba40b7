"""The interview's status around an agent session: may it start, mark it started, record metrics, and
note a hand-over to another agent when a worker shuts down.

Blocking Firestore calls (run them in a thread). Every status change goes through the shared store's
transaction and the status machine; only `invited` (first join) and `in_progress` (a rejoin, or a new
agent after a crash) may run an interview.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, ClassVar

from interview_core.adapters.firestore_store import InterviewStore
from interview_core.domain.errors import IllegalTransition, InterviewNotFound
from interview_core.domain.models import Interview, InterviewPart, InterviewStatus, PlanProgress
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


def release_unstarted(store: InterviewStore, interview_id: str) -> bool:
    """Give back the live slot of an interview whose warm session closed before the candidate started
    it (still invited); True when a slot was given back. The status stays `invited`, so the candidate
    can come back, and no model time is counted: the interview never ran."""

    released = False

    def change(interview: Interview) -> dict[str, Any] | None:
        nonlocal released
        released = interview.status == InterviewStatus.INVITED and interview.live_since is not None
        return {"live_since": None} if released else None

    try:
        store.update_in_transaction(interview_id, change)
    except InterviewNotFound:
        return False
    return released


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
    """The plan's state on the interview, merged with what is stored, in one transaction.

    Two agents can write it around a restart or a hand-over, and a slow write from the one leaving
    can land after the newer agent's: merging keeps every question either one marked asked (asked is
    only ever added to) and the newer state of the rest, so a late write never takes a mark back."""
    store.update_in_transaction(
        interview_id,
        lambda current: {"plan_progress": merged_progress(current.plan_progress, progress).model_dump()},
    )


def merged_progress(stored: PlanProgress, incoming: PlanProgress) -> PlanProgress:
    """`incoming` over `stored`: the union of asked questions (stored order first), the larger
    follow-up count per question, and the rest from whichever state was updated last."""
    asked = stored.asked + [number for number in incoming.asked if number not in stored.asked]
    follow_ups = {
        key: max(stored.follow_ups.get(key, 0), incoming.follow_ups.get(key, 0))
        for key in stored.follow_ups.keys() | incoming.follow_ups.keys()
    }
    newer = incoming
    if (
        stored.updated_at is not None
        and incoming.updated_at is not None
        and stored.updated_at > incoming.updated_at
    ):
        newer = stored
    return newer.model_copy(update={"asked": asked, "follow_ups": follow_ups})


# -- hand-over: a worker shutting down passes a live interview to another ----------------------------

HANDOVER_PENDING = "pending"
HANDOVER_TAKEN = "taken"


class HandoverPart(InterviewPart):
    """The fields a hand-over reads and writes: the status and the `handover` note.

    `handover` is not a field of the shared Interview model (which ignores it): it is the agent's own
    record, `{state, reason, requested_at, from_job, next_seq, turns_stored, count, taken_at, to_job}`,
    for the next agent, the logs and an operator looking at the document.
    """

    FIELDS: ClassVar[tuple[str, ...]] = ("status", "handover")

    status: InterviewStatus
    handover: dict[str, Any] | None = None


def record_handover(
    store: InterviewStore, interview_id: str, *, reason: str, job_id: str, next_seq: int, turns_stored: bool
) -> bool:
    """Note on the interview that it is being handed to another agent; the status stays as it is.

    False (nothing written) when the interview is no longer joinable (ended or cancelled meanwhile):
    then there is nothing to hand over.
    """

    def change(part: HandoverPart) -> dict[str, Any] | None:
        if part.status not in JOINABLE:
            return None
        count = int((part.handover or {}).get("count", 0)) + 1
        return {
            "handover": {
                "state": HANDOVER_PENDING,
                "reason": reason,
                "requested_at": datetime.now(UTC),
                "from_job": job_id,
                "next_seq": next_seq,
                "turns_stored": turns_stored,
                "count": count,
            }
        }

    try:
        after = store.update_part_atomically(interview_id, HandoverPart, change)
    except InterviewNotFound:
        return False
    return after.status in JOINABLE and (after.handover or {}).get("from_job") == job_id


def take_over(store: InterviewStore, interview_id: str, job_id: str) -> dict[str, Any] | None:
    """Mark a pending hand-over as taken by this job; the note as it was (None: no hand-over pending)."""
    taken: dict[str, Any] | None = None

    def change(part: HandoverPart) -> dict[str, Any] | None:
        nonlocal taken
        note = part.handover or {}
        if note.get("state") != HANDOVER_PENDING:
            taken = None
            return None
        taken = dict(note)
        return {
            "handover.state": HANDOVER_TAKEN,
            "handover.taken_at": datetime.now(UTC),
            "handover.to_job": job_id,
        }

    try:
        store.update_part_atomically(interview_id, HandoverPart, change)
    except InterviewNotFound:
        return None
    return taken
