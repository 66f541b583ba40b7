"""The sweeper: abandoned interviews are finalised and evaluated, old invites expire, stalled
evaluations are enqueued again or given up; every change is made once, and only when due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tests.conftest import Recruiter
from tests.integration.conftest import signed_sweep
from tests.integration.pipeline_support import Queue, golden, seed_finished_interview, wait_for

Create = Callable[..., dict[str, Any]]


def test_sweep_requires_the_signature(sweep_url: str) -> None:
    assert requests.post(sweep_url, json={}, timeout=10).status_code == 401
    assert signed_sweep(sweep_url, secret="wrong-secret").status_code == 401
    assert requests.get(sweep_url, timeout=10).status_code == 405


def test_abandoned_interviews_are_finalised_and_evaluated(
    sweep_url: str, recruiter: Recruiter, create_interview: Create, store: Any, queue: Queue
) -> None:
    now = datetime.now(UTC)
    long_ago = now - timedelta(hours=2)
    abandoned = create_interview(recruiter)["id"]
    turns = seed_finished_interview(
        store,
        abandoned,
        golden("strong"),
        turns_ended_at=long_ago,
        extra={"updated_at": long_ago - timedelta(minutes=30)},
    )
    # Turns still arriving (the agent writes turns without touching the interview): not abandoned.
    talking = create_interview(recruiter)["id"]
    seed_finished_interview(store, talking, golden("strong"), extra={"updated_at": long_ago})
    # Recently updated: not abandoned.
    recent = create_interview(recruiter)["id"]
    seed_finished_interview(store, recent, golden("strong"), turns_ended_at=long_ago)

    response = signed_sweep(sweep_url)
    assert response.status_code == 200, response.text
    assert response.json()["abandoned"] >= 1

    finalised = store.get(abandoned)
    assert finalised.status in {"completed", "evaluating", "evaluated"}
    assert finalised.end_reason == "abandoned"
    assert finalised.ended_at == max(t.ended_at for t in turns)  # the last sign of life: its last turn
    assert store.get(talking).status == "in_progress"
    assert store.get(recent).status == "in_progress"

    evaluated = wait_for(
        lambda: (i := store.get(abandoned)).status == "evaluated" and i,
        what="the abandoned interview evaluated",
    )
    assert evaluated.end_reason == "abandoned"
    report = store.report(abandoned)
    assert report["end_reason"] == "abandoned"
    assert report["overall_score"] is not None

    # A second run finds nothing more to do for these interviews.
    before = store.report(abandoned)
    assert signed_sweep(sweep_url).status_code == 200
    queue.wait_idle()
    assert store.report(abandoned) == before
    assert store.get(talking).status == "in_progress"


def test_invites_past_their_expiry_expire(
    sweep_url: str, recruiter: Recruiter, create_interview: Create, store: Any
) -> None:
    now = datetime.now(UTC)
    old = create_interview(recruiter)["id"]
    store.interview_ref(old).update({"invite.expires_at": now - timedelta(minutes=1)})
    fresh = create_interview(recruiter)["id"]

    first = signed_sweep(sweep_url)
    assert first.status_code == 200
    assert first.json()["expired"] >= 1
    assert store.get(old).status == "expired"
    assert store.get(fresh).status == "invited"
    updated_at = store.get(old).updated_at
    assert signed_sweep(sweep_url).status_code == 200
    assert store.get(old).updated_at == updated_at  # nothing written twice


def test_stalled_evaluations_are_enqueued_again_or_given_up(
    sweep_url: str, recruiter: Recruiter, create_interview: Create, store: Any, queue: Queue
) -> None:
    now = datetime.now(UTC)
    # Completed 20 minutes ago, but the enqueue was lost (no agent retry): the sweeper enqueues it.
    lost = create_interview(recruiter)["id"]
    seed_finished_interview(
        store, lost, golden("weak"), status="completed", extra={"updated_at": now - timedelta(minutes=20)}
    )
    # Evaluating and untouched for two hours: the evaluation is given up, visibly.
    stuck = create_interview(recruiter)["id"]
    seed_finished_interview(
        store, stuck, golden("weak"), status="evaluating", extra={"updated_at": now - timedelta(hours=2)}
    )

    response = signed_sweep(sweep_url)
    assert response.status_code == 200, response.text
    assert response.json()["requeued"] >= 1
    assert response.json()["evaluations_timed_out"] >= 1

    failed = store.get(stuck)
    assert failed.status == "evaluation_failed"
    assert "did not finish in time" in failed.evaluation.last_error
    wait_for(lambda: store.get(lost).status == "evaluated", what="the lost evaluation done")
    assert store.report(lost)["generation"] == 1
