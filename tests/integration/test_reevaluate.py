"""POST /api/interviews/{id}/reevaluate: owner only, only once evaluated or failed, a new generation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from tests.conftest import Recruiter
from tests.integration.conftest import signed_webhook
from tests.integration.pipeline_support import Queue, golden, seed_finished_interview, wait_for

Create = Callable[..., dict[str, Any]]


def _evaluated(api_url: str, recruiter: Recruiter, create_interview: Create, store: Any) -> str:
    interview_id = create_interview(recruiter)["id"]
    seed_finished_interview(store, interview_id, golden("strong"))
    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"}).status_code == 200
    )
    wait_for(lambda: store.get(interview_id).status == "evaluated", what="the first evaluation")
    return interview_id


def test_reevaluate_runs_a_new_generation_for_the_owner_only(
    api_url: str,
    recruiter: Recruiter,
    other_recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    interview_id = _evaluated(api_url, recruiter, create_interview, store)
    first = store.report(interview_id)
    url = f"{api_url}/api/interviews/{interview_id}/reevaluate"

    assert requests.post(url, timeout=10).status_code == 401
    assert requests.post(url, headers=other_recruiter.headers, timeout=10).status_code == 404
    assert store.get(interview_id).status == "evaluated"

    response = requests.post(url, headers=recruiter.headers, timeout=10)
    assert response.status_code == 202, response.text
    assert response.json()["generation"] == 2
    assert response.json()["status"] == "evaluating"

    wait_for(lambda: (store.report(interview_id) or {}).get("generation") == 2, what="the second report")
    interview = wait_for(lambda: (i := store.get(interview_id)).status == "evaluated" and i, what="evaluated")
    assert interview.evaluation.generation == 2
    assert interview.evaluation.attempts == 1
    second = store.report(interview_id)
    assert second["created_at"] > first["created_at"]
    assert second["overall_score"] == first["overall_score"]  # the local model is deterministic

    # A late task of the first generation is superseded: it changes nothing.
    from interview_core.adapters import tasks

    duplicate = tasks.build_task(
        queue.settings,
        tasks.EvaluationTask(interview_id, 1),
        name=f"{queue.path}/tasks/{interview_id}-late-g1",
    )
    queue.client.create_task(parent=queue.path, task=duplicate)
    queue.wait_idle()
    assert store.report(interview_id) == second


def test_reevaluate_is_refused_until_the_interview_is_evaluated_or_failed(
    api_url: str, recruiter: Recruiter, create_interview: Create, store: Any, queue: Queue
) -> None:
    interview_id = create_interview(recruiter)["id"]
    url = f"{api_url}/api/interviews/{interview_id}/reevaluate"
    for status in ("invited", "in_progress", "completed", "cancelled"):
        store.interview_ref(interview_id).update({"status": status})
        refused = requests.post(url, headers=recruiter.headers, timeout=10)
        assert refused.status_code == 409, status
        assert refused.json()["error"]["code"] == "illegal_transition"

    # A failed evaluation can be run again.
    seed_finished_interview(
        store,
        interview_id,
        golden("weak"),
        status="evaluation_failed",
        extra={
            "evaluation": {"generation": 1, "attempts": 5, "last_error": "the language model failed (503)"}
        },
    )
    queue.client.pause_queue(name=queue.path)  # hold the task, to ask twice before it starts
    try:
        accepted = requests.post(url, headers=recruiter.headers, timeout=10)
        assert accepted.status_code == 202
        # Asking again before the task starts is harmless: the same generation, deduplicated.
        again = requests.post(url, headers=recruiter.headers, timeout=10)
        assert again.status_code == 202
        assert accepted.json()["generation"] == again.json()["generation"] == 2
        assert store.get(interview_id).status == "evaluating"
    finally:
        queue.client.resume_queue(name=queue.path)
    interview = wait_for(lambda: (i := store.get(interview_id)).status == "evaluated" and i, what="evaluated")
    assert interview.evaluation.generation == 2
    assert interview.evaluation.last_error is None
    assert store.report(interview_id)["generation"] == 2
