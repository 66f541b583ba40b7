"""A valid OIDC token presented twice causes one effect (docs/architecture.md, "Replayed tokens").

Replay protection is the idempotency of what the token lets a caller do, not a one-use token cache:
Google's ID tokens carry no `jti`, and the same token is legitimately sent more than once (the agent's
metadata-server token is reused for its hour on every webhook it sends; Cloud Tasks redelivers a task
at least once). So each test replays the very same token, with the same and with another body, and
checks that nothing happened a second time: the interview's ending, the evaluation's attempts, the
model's calls and the report.

Both routes run in this process in their cloud mode (OIDC), trusting a local issuer instead of
Google, against the real emulators (Firestore, Cloud Tasks, the Gemini emulator).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import Recruiter
from tests.integration.pipeline_support import Queue, gemini_stats, golden, seed_finished_interview, wait_for
from tests.oidc_issuer import AGENT_ACCOUNT, WEBHOOK_AUDIENCE, WEBHOOK_PATH, LocalIssuer, webhook_in_oidc_mode

Create = Callable[..., dict[str, Any]]
TASKS_ACCOUNT = "tasks-invoker@demo-interviewer.iam.gserviceaccount.com"
EVALUATE_AUDIENCE = "https://evaluate.example.run.app"


@pytest.fixture
def agent_issuer() -> Iterator[LocalIssuer]:
    from interview_core.settings import get_settings

    issuer = LocalIssuer(WEBHOOK_AUDIENCE, AGENT_ACCOUNT)
    yield issuer
    issuer.stop()
    get_settings.cache_clear()


@pytest.fixture
def tasks_issuer(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalIssuer]:
    """A local issuer standing in for Google as Cloud Tasks' token issuer for `evaluate`."""
    from interview_core.settings import get_settings

    issuer = LocalIssuer(EVALUATE_AUDIENCE, TASKS_ACCOUNT)
    monkeypatch.setenv("TASKS_OIDC_ISSUER", issuer.url)
    monkeypatch.setenv("EVALUATE_URL", EVALUATE_AUDIENCE)
    monkeypatch.setenv("TASKS_SERVICE_ACCOUNT", TASKS_ACCOUNT)
    get_settings.cache_clear()
    yield issuer
    issuer.stop()
    get_settings.cache_clear()


def _evaluate_client() -> Any:
    """`evaluate` as functions/main.py serves it, behind a Flask test client."""
    from flask import Flask, Response, request

    from pipeline import evaluate

    app = Flask("evaluate-under-test")

    def serve() -> Response:
        return evaluate.handle(request)

    app.add_url_rule("/", "evaluate", serve, methods=["POST"])
    return app.test_client()


def test_a_replayed_agent_token_does_not_complete_or_evaluate_an_interview_twice(
    monkeypatch: pytest.MonkeyPatch,
    agent_issuer: LocalIssuer,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    queue: Queue,
    gemini_admin: str,
) -> None:
    client = webhook_in_oidc_mode(monkeypatch, agent_issuer)
    created = create_interview(recruiter)
    seed_finished_interview(store, created["id"], golden("weak"))
    queue.wait_idle()
    calls_before = gemini_stats(gemini_admin)["calls"]
    token = agent_issuer.token()
    notice = {"interview_id": created["id"], "end_reason": "completed", "turn_count": 4}

    def post(body: dict[str, Any]) -> Any:
        return client.post(WEBHOOK_PATH, json=body, headers={"Authorization": f"Bearer {token}"})

    # While the evaluation waits in the (paused) queue: the replays enqueue nothing more.
    queue.client.pause_queue(name=queue.path)
    try:
        first = post(notice)
        assert first.status_code == 200, first.get_data(as_text=True)
        assert first.get_json()["status"] == "completed"
        ended = store.get(created["id"])
        replayed = post(notice)
        assert replayed.status_code == 200, replayed.get_data(as_text=True)
        altered = post({**notice, "end_reason": "time_limit", "turn_count": 99})
        assert altered.status_code == 200, altered.get_data(as_text=True)
        held = [
            task.name for task in queue.client.list_tasks(parent=queue.path) if created["id"] in task.name
        ]
        assert held == [f"{queue.path}/tasks/{created['id']}-evaluation-1"]
    finally:
        queue.client.resume_queue(name=queue.path)

    evaluated = wait_for(
        lambda: (i := store.get(created["id"])).status == "evaluated" and i, what="evaluated"
    )
    assert (evaluated.ended_at, evaluated.end_reason) == (ended.ended_at, "completed")
    assert evaluated.evaluation.generation == ended.evaluation.generation
    report = store.report(created["id"])
    calls_evaluated = gemini_stats(gemini_admin)["calls"]
    assert calls_evaluated > calls_before

    # Once evaluated, the same token again changes nothing and calls the model no more. (The attempts
    # are compared with their own value, not with 1: a delivery the queue retried after a transient
    # failure is the queue at work, not a replay.)
    assert post(notice).status_code == 200
    queue.wait_idle()
    after = store.get(created["id"])
    assert (after.status, after.ended_at, after.end_reason) == ("evaluated", ended.ended_at, "completed")
    assert after.evaluation == evaluated.evaluation
    assert store.report(created["id"]) == report
    assert gemini_stats(gemini_admin)["calls"] == calls_evaluated


def test_a_replayed_task_token_does_not_evaluate_an_interview_twice(
    tasks_issuer: LocalIssuer,
    recruiter: Recruiter,
    create_interview: Create,
    store: Any,
    gemini_admin: str,
) -> None:
    created = create_interview(recruiter)
    seed_finished_interview(store, created["id"], golden("weak"), status="completed")
    client = _evaluate_client()
    token = tasks_issuer.token()
    task = {"interview_id": created["id"], "generation": 1}
    headers = {"Authorization": f"Bearer {token}", "X-CloudTasks-TaskRetryCount": "0"}
    calls_before = gemini_stats(gemini_admin)["calls"]

    first = client.post("/", json=task, headers=headers)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["result"] == "evaluated"
    report = store.report(created["id"])
    assert report is not None

    replayed = client.post("/", json=task, headers=headers)
    assert replayed.status_code == 200, replayed.get_data(as_text=True)
    assert replayed.get_json()["result"] == "already_evaluated"
    assert store.report(created["id"]) == report
    assert store.get(created["id"]).evaluation.attempts == 1
    assert gemini_stats(gemini_admin)["calls"] - calls_before == 1
