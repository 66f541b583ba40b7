"""The agent's completion webhook: authenticated, idempotent, status-machine safe."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.conftest import Recruiter
from tests.integration.conftest import signed_webhook


def test_webhook_rejects_missing_wrong_and_stale_signatures(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    created = create_interview(recruiter)
    store.interview_ref(created["id"]).update({"status": "in_progress"})
    payload = {"interview_id": created["id"], "end_reason": "completed"}
    unsigned = requests.post(f"{api_url}/api/webhooks/interview-complete", json=payload, timeout=10)
    assert unsigned.status_code == 401
    assert signed_webhook(api_url, payload, secret="not-the-secret").status_code == 401
    assert signed_webhook(api_url, payload, timestamp=int(time.time()) - 3600).status_code == 401
    # A valid signature over a different body does not carry over.
    raw = json.dumps(payload).encode()
    from interview_core.domain import webhook_signature as sig

    ts = int(time.time())
    tampered = requests.post(
        f"{api_url}/api/webhooks/interview-complete",
        data=raw.replace(b"completed", b"time_limit"),
        headers={
            sig.TIMESTAMP_HEADER: str(ts),
            sig.SIGNATURE_HEADER: sig.sign("local-webhook-secret", ts, raw),
        },
        timeout=10,
    )
    assert tampered.status_code == 401
    assert store.get(created["id"]).status == "in_progress"


def test_webhook_completes_once_and_is_idempotent(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    created = create_interview(recruiter)
    store.interview_ref(created["id"]).update({"status": "in_progress"})
    payload = {
        "interview_id": created["id"],
        "end_reason": "completed",
        "turn_count": 12,
        "metrics": {"agent_response_p50_ms": 420.0},
    }
    responses = [signed_webhook(api_url, payload) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    assert responses[0].json()["status"] == "completed"
    # The evaluation it enqueued may already be running or done by the later repeats.
    finished = {"completed", "evaluating", "evaluated"}
    assert {r.json()["status"] for r in responses} <= finished
    stored = store.get(created["id"])
    assert stored.status in finished
    assert stored.end_reason == "completed"
    assert stored.ended_at is not None
    assert stored.metrics["agent"] == {"agent_response_p50_ms": 420.0}
    # A later duplicate with another reason does not rewrite the first outcome.
    signed_webhook(api_url, {**payload, "end_reason": "time_limit"})
    assert store.get(created["id"]).end_reason == "completed"


def test_webhook_after_a_cancel_changes_nothing_and_is_not_an_error(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    """Cancel closes the room; the agent then reports its ending, which must not undo the cancel."""
    created = create_interview(recruiter)
    store.interview_ref(created["id"]).update({"status": "in_progress"})
    cancel = requests.post(
        f"{api_url}/api/interviews/{created['id']}/cancel", headers=recruiter.headers, timeout=15
    )
    assert cancel.status_code == 200, cancel.text
    response = signed_webhook(api_url, {"interview_id": created["id"], "end_reason": "error"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    stored = store.get(created["id"])
    assert stored.status == "cancelled"
    assert stored.end_reason is None


def test_webhook_refuses_interviews_that_never_started(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    created = create_interview(recruiter)
    response = signed_webhook(api_url, {"interview_id": created["id"], "end_reason": "completed"})
    assert response.status_code == 409
    assert store.get(created["id"]).status == "invited"
    unknown = signed_webhook(api_url, {"interview_id": "nosuch", "end_reason": "completed"})
    assert unknown.status_code == 404
    invalid = signed_webhook(api_url, {"interview_id": created["id"], "end_reason": "bored"})
    assert invalid.status_code == 422
    assert invalid.json()["error"]["field"] == "end_reason"


def test_in_oidc_mode_the_agents_token_completes_the_interview_and_another_audience_does_not(
    monkeypatch: pytest.MonkeyPatch,
    recruiter: Recruiter,
    create_interview: Callable[..., dict[str, Any]],
    store: Any,
) -> None:
    """The api as deployed (WEBHOOK_AUTH=oidc), in this process, with a local issuer standing in for
    Google: the whole path from the token check to the status change on the Firestore emulator."""
    from interview_core.settings import get_settings
    from tests.oidc_issuer import (
        AGENT_ACCOUNT,
        WEBHOOK_AUDIENCE,
        WEBHOOK_PATH,
        LocalIssuer,
        webhook_in_oidc_mode,
    )

    issuer = LocalIssuer(WEBHOOK_AUDIENCE, AGENT_ACCOUNT)
    try:
        client = webhook_in_oidc_mode(monkeypatch, issuer)
        created = create_interview(recruiter)
        store.interview_ref(created["id"]).update({"status": "in_progress"})
        notice = {"interview_id": created["id"], "end_reason": "completed"}

        def post(token: str) -> Any:
            return client.post(WEBHOOK_PATH, json=notice, headers={"Authorization": f"Bearer {token}"})

        refused = post(issuer.token(aud="https://evaluate.example.run.app"))
        assert refused.status_code == 401
        assert store.get(created["id"]).status == "in_progress"
        accepted = post(issuer.token())
        assert accepted.status_code == 200, accepted.get_data(as_text=True)
        assert accepted.get_json()["status"] == "completed"
        assert store.get(created["id"]).end_reason == "completed"
    finally:
        issuer.stop()
        get_settings.cache_clear()
