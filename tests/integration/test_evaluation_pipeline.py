"""The evaluation pipeline on the real emulators: webhook -> Cloud Task -> evaluate -> report.

Every test runs the whole path: the api function enqueues on the Cloud Tasks emulator, which delivers
to the evaluate function with an OIDC token it signed; evaluate calls the local Gemini emulator and
writes Firestore and the Storage emulator. Failures are injected into the Gemini emulator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.conftest import Recruiter
from tests.integration.conftest import signed_webhook
from tests.integration.pipeline_support import Queue, gemini_stats, golden, seed_finished_interview, wait_for

Create = Callable[..., dict[str, Any]]


def _finished(create_interview: Create, recruiter: Recruiter, store: Any, name: str) -> tuple[str, list[Any]]:
    created = create_interview(recruiter)
    turns = seed_finished_interview(store, created["id"], golden(name))
    return created["id"], turns


def _status(store: Any, interview_id: str, *wanted: str) -> Any:
    interview = store.get(interview_id)
    return interview if interview.status in wanted else None


def test_webhook_to_report_end_to_end(
    api_url: str,
    recruiter: Recruiter,
    other_recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    interview_id, turns = _finished(create_interview, recruiter, store, "strong")
    response = signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"})
    assert response.status_code == 200, response.text

    interview = wait_for(lambda: _status(store, interview_id, "evaluated"), what="status evaluated")
    assert interview.evaluation.attempts == 1
    assert interview.evaluation.generation == 1
    assert interview.evaluation.last_error is None

    report = store.report(interview_id)
    assert report["owner_uid"] == recruiter.uid
    assert report["model"] == "local-emulator"
    assert report["prompt_version"] == "evaluation-v2"
    assert report["generation"] == 1
    assert report["assessment"] == "scored"
    assert report["overall_score"] >= 75
    assert report["recommendation"] in {"strong_hire", "hire"}
    assert [s["name"] for s in report["skills"]] == [
        s["name"] for s in golden("strong")["interview"]["skills"]
    ]
    candidate_text = [t.text for t in turns if t.role == "candidate"]
    for skill in report["skills"]:
        assert skill["status"] == "assessed"
        assert skill["evidence"], skill["name"]
        for quote in skill["evidence"]:
            assert any(quote in text for text in candidate_text), quote
    assert {c["skill"] for c in report["coverage"] if c["probed"]} == {s["name"] for s in report["skills"]}

    # The recruiter's API serves it to the owner only.
    url = f"{api_url}/api/reports/{interview_id}"
    assert (
        requests.get(url, headers=recruiter.headers, timeout=10).json()["overall_score"]
        == report["overall_score"]
    )
    assert requests.get(url, headers=other_recruiter.headers, timeout=10).status_code == 404

    # The transcript and the report are archived beside each other.
    from interview_core.adapters import archive

    # Written right after the transaction that made the interview `evaluated`: wait for it.
    wait_for(lambda: archive.transcript_exists(interview_id) or None, what="the transcript archive")
    archived = json.loads(archive.bucket().blob(archive.transcript_path(interview_id)).download_as_bytes())
    assert [t["text"] for t in archived["turns"]] == [t.text for t in turns]
    assert archived["report"]["overall_score"] == report["overall_score"]


def test_duplicate_completions_and_deliveries_give_exactly_one_report(
    api_url: str,
    gemini_admin: str,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    interview_id, _ = _finished(create_interview, recruiter, store, "weak")
    queue.wait_idle()
    calls_before = gemini_stats(gemini_admin)["calls"]

    payload = {"interview_id": interview_id, "end_reason": "completed"}
    responses = [signed_webhook(api_url, payload) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    wait_for(lambda: _status(store, interview_id, "evaluated"), what="status evaluated")
    first = store.report(interview_id)

    # Cloud Tasks delivers at least once: deliver the same task body again, under another name.
    from interview_core.adapters import tasks

    duplicate = tasks.build_task(
        queue.settings,
        tasks.EvaluationTask(interview_id, 1),
        name=f"{queue.path}/tasks/{interview_id}-duplicate-delivery",
    )
    queue.client.create_task(parent=queue.path, task=duplicate)
    # And the deterministic name refuses a sixth enqueue outright.
    assert tasks.enqueue_evaluation(interview_id, 1) == "exists"
    queue.wait_idle()

    assert store.report(interview_id) == first
    assert gemini_stats(gemini_admin)["calls"] - calls_before == 1
    interview = store.get(interview_id)
    assert interview.status == "evaluated"
    assert interview.evaluation.attempts == 1


def test_a_model_that_fails_twice_then_succeeds_gives_one_report_after_retries(
    api_url: str,
    gemini_faults: str,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    from interview_core.settings import get_settings

    interview_id, _ = _finished(create_interview, recruiter, store, "strong")
    queue.wait_idle()
    before = gemini_stats(gemini_faults)
    # The adapter retries 503s itself within its budget (gemini_attempts calls per delivery), so two
    # failed deliveries take 2 * gemini_attempts failed calls; the third delivery succeeds.
    per_delivery = get_settings().gemini_attempts
    fault = {"fail_next": 2 * per_delivery, "status": 503, "task": "evaluation"}
    requests.post(f"{gemini_faults}/emulator/faults", json=fault, timeout=5).raise_for_status()

    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"}).status_code == 200
    )
    interview = wait_for(lambda: _status(store, interview_id, "evaluated"), what="evaluated after retries")
    assert interview.evaluation.attempts == 3
    assert interview.evaluation.last_error is None
    after = gemini_stats(gemini_faults)
    assert after["injected_failures"] - before["injected_failures"] == 2 * per_delivery
    assert after["ok"] - before["ok"] == 1
    queue.wait_idle()
    assert store.report(interview_id)["generation"] == 1


def test_unusable_model_output_is_retried_by_the_queue(
    api_url: str,
    gemini_faults: str,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    from interview_core.settings import get_settings

    interview_id, _ = _finished(create_interview, recruiter, store, "weak")
    queue.wait_idle()
    # Truncated JSON on every call of the first delivery (the adapter re-asks gemini_attempts times).
    malformed = {"malformed_next": get_settings().gemini_attempts, "task": "evaluation"}
    requests.post(f"{gemini_faults}/emulator/faults", json=malformed, timeout=5).raise_for_status()
    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"}).status_code == 200
    )
    interview = wait_for(lambda: _status(store, interview_id, "evaluated"), what="evaluated after retry")
    assert interview.evaluation.attempts == 2
    assert store.report(interview_id)["assessment"] == "scored"


def test_a_model_that_always_fails_ends_in_evaluation_failed_with_the_reason(
    api_url: str,
    gemini_faults: str,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    from interview_core.queue_policy import RETRY

    interview_id, _ = _finished(create_interview, recruiter, store, "strong")
    queue.wait_idle()
    fault = {"fail_next": 10_000, "status": 503, "task": "evaluation"}
    requests.post(f"{gemini_faults}/emulator/faults", json=fault, timeout=5).raise_for_status()

    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"}).status_code == 200
    )
    interview = wait_for(
        lambda: _status(store, interview_id, "evaluation_failed"), timeout=90, what="evaluation_failed"
    )
    assert interview.evaluation.attempts == RETRY.max_attempts
    assert "language model failed (503 UNAVAILABLE)" in interview.evaluation.last_error
    assert f"after {RETRY.max_attempts} attempts" in interview.evaluation.last_error
    queue.wait_idle()  # the last attempt answered 200: the queue holds nothing more
    assert store.report(interview_id) is None


def test_an_empty_transcript_gets_a_report_that_says_so_without_a_model(
    api_url: str,
    gemini_admin: str,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    interview_id, _ = _finished(create_interview, recruiter, store, "empty")
    queue.wait_idle()
    calls_before = gemini_stats(gemini_admin)["calls"]
    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "candidate_left"}).status_code
        == 200
    )
    wait_for(lambda: _status(store, interview_id, "evaluated"), what="status evaluated")
    report = store.report(interview_id)
    assert report["assessment"] == "insufficient_transcript"
    assert report["overall_score"] is None
    assert report["recommendation"] is None
    assert report["model"] == "none"
    assert all(s["score"] is None and s["status"] == "not_assessed" for s in report["skills"])
    assert report["end_reason"] == "candidate_left"
    assert gemini_stats(gemini_admin)["calls"] == calls_before


@pytest.mark.parametrize("status", ["invited", "cancelled"])
def test_a_task_for_an_unfinished_interview_changes_nothing(
    status: str, recruiter: Recruiter, create_interview: Create, store: Any, queue: Queue
) -> None:
    from interview_core.adapters import tasks

    created = create_interview(recruiter)
    store.interview_ref(created["id"]).update({"status": status})
    assert tasks.enqueue_evaluation(created["id"], 1) == "created"
    queue.wait_idle()
    assert store.get(created["id"]).status == status
    assert store.report(created["id"]) is None


def test_a_transcript_the_model_declines_gets_a_report_that_says_so_after_one_call(
    api_url: str,
    gemini_faults: str,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    """A safety block is the model's answer, not a failure: no retries by the adapter or the queue."""
    interview_id, _ = _finished(create_interview, recruiter, store, "strong")
    queue.wait_idle()
    before = gemini_stats(gemini_faults)
    fault = {"blocked_next": 1, "block": "answer", "task": "evaluation"}
    requests.post(f"{gemini_faults}/emulator/faults", json=fault, timeout=5).raise_for_status()

    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"}).status_code == 200
    )
    interview = wait_for(lambda: _status(store, interview_id, "evaluated", "evaluation_failed"), what="done")
    assert interview.status == "evaluated"
    assert interview.evaluation.attempts == 1
    report = store.report(interview_id)
    assert report["assessment"] == "model_declined"
    assert (report["overall_score"], report["recommendation"]) == (None, None)
    assert "SAFETY" in report["status_notes"][0]
    assert gemini_stats(gemini_faults)["calls"] - before["calls"] == 1


def test_a_request_the_model_rejects_fails_at_once_without_queue_retries(
    api_url: str,
    gemini_faults: str,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    """A 4xx (our model name, schema or key) fails the same way on every try: evaluation_failed on
    the first delivery, with the reason, and one call."""
    interview_id, _ = _finished(create_interview, recruiter, store, "strong")
    queue.wait_idle()
    before = gemini_stats(gemini_faults)
    fault = {"fail_next": 1, "status": 400, "task": "evaluation"}
    requests.post(f"{gemini_faults}/emulator/faults", json=fault, timeout=5).raise_for_status()

    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"}).status_code == 200
    )
    interview = wait_for(lambda: _status(store, interview_id, "evaluation_failed"), what="evaluation_failed")
    assert interview.evaluation.attempts == 1
    assert "rejected the request (400 INVALID_ARGUMENT)" in interview.evaluation.last_error
    queue.wait_idle()
    assert gemini_stats(gemini_faults)["calls"] - before["calls"] == 1
    assert store.report(interview_id) is None


def test_an_over_long_answer_is_clipped_into_the_report_in_one_call(
    api_url: str,
    gemini_faults: str,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
) -> None:
    interview_id, _ = _finished(create_interview, recruiter, store, "strong")
    queue.wait_idle()
    before = gemini_stats(gemini_faults)
    fault = {"overlong_next": 1, "task": "evaluation"}
    requests.post(f"{gemini_faults}/emulator/faults", json=fault, timeout=5).raise_for_status()

    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"}).status_code == 200
    )
    interview = wait_for(lambda: _status(store, interview_id, "evaluated"), what="status evaluated")
    assert interview.evaluation.attempts == 1
    report = store.report(interview_id)
    assert report["assessment"] == "scored"
    assert report["evidence_check"]["fields_clipped"] >= 2
    assert len(report["summary"]) <= 2000
    assert any("shortened" in note for note in report["status_notes"])
    assert gemini_stats(gemini_faults)["calls"] - before["calls"] == 1
