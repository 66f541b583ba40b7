"""`evaluate` accepts only Cloud Tasks' OIDC tokens: right issuer, signature, audience and caller.

Forged tokens are posted directly; a wrong audience and a wrong service account come from the real
emulator (a probe queue whose first attempt is read back), so the refusals are of genuinely signed
tokens. After each, the interview is untouched and no report exists.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import Recruiter
from tests.integration.pipeline_support import Queue, golden, seed_finished_interview, wait_for

Create = Callable[..., dict[str, Any]]


@pytest.fixture
def completed_interview(recruiter: Recruiter, create_interview: Create, store: Any) -> Iterator[str]:
    """A completed interview that was never enqueued: only the test's own requests reach evaluate."""
    created = create_interview(recruiter)
    seed_finished_interview(store, created["id"], golden("weak"), status="completed")
    yield created["id"]
    interview = store.get(created["id"])
    assert interview.status == "completed", "a refused request changed the interview"
    assert interview.evaluation.attempts == 0
    assert store.report(created["id"]) is None


def _claims(stack: dict[str, str], **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": stack["TASKS_OIDC_ISSUER"],
        "aud": stack["EVALUATE_URL"],
        "email": "tasks-invoker@demo-interviewer.iam.gserviceaccount.com",
        "email_verified": True,
        "sub": "1" + "0" * 20,
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return claims


def _emulator_kid(stack: dict[str, str]) -> str:
    jwks = requests.get(f"{stack['TASKS_OIDC_ISSUER']}/jwks", timeout=5).json()
    return str(jwks["keys"][0]["kid"])


def _forged(stack: dict[str, str], **overrides: Any) -> str:
    """Signed with a key of our own under the emulator's key id: the signature cannot verify."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(
        _claims(stack, **overrides), key, algorithm="RS256", headers={"kid": _emulator_kid(stack)}
    )


def _post(evaluate_url: str, interview_id: str, token: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json", "X-CloudTasks-TaskRetryCount": "0"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"interview_id": interview_id, "generation": 1})
    return requests.post(evaluate_url, data=body, headers=headers, timeout=10)


def test_requests_without_a_valid_token_are_refused(
    stack: dict[str, str], evaluate_url: str, completed_interview: str
) -> None:
    assert _post(evaluate_url, completed_interview, None).status_code == 401
    assert _post(evaluate_url, completed_interview, "not-a-jwt").status_code == 401
    assert _post(evaluate_url, completed_interview, _forged(stack)).status_code == 401
    wrong_issuer = _forged(stack, iss="https://issuer.example.com")
    assert _post(evaluate_url, completed_interview, wrong_issuer).status_code == 401
    unsigned = jwt.encode(_claims(stack), key=None, algorithm="none")
    assert _post(evaluate_url, completed_interview, unsigned).status_code == 401
    refused = _post(evaluate_url, completed_interview, None)
    assert refused.json()["error"]["code"] == "unauthenticated"


def _deliver_once(
    queue: Queue, interview_id: str, *, audience: str | None = None, email: str | None = None
) -> int:
    """Deliver a task through a probe queue and return the HTTP status evaluate answered."""
    from google.api_core import exceptions as gexc
    from google.cloud import tasks_v2
    from google.protobuf import duration_pb2

    from interview_core.adapters import tasks

    location = queue.path.rsplit("/queues/", 1)[0]
    probe = f"{location}/queues/auth-probe-{uuid.uuid4().hex[:12]}"
    queue.client.create_queue(
        parent=location,
        queue=tasks_v2.Queue(
            name=probe,
            retry_config=tasks_v2.RetryConfig(max_attempts=2, min_backoff=duration_pb2.Duration(seconds=600)),
        ),
    )
    try:
        task = tasks.build_task(
            queue.settings, tasks.EvaluationTask(interview_id, 1), name=f"{probe}/tasks/probe"
        )
        if audience is not None:
            task.http_request.oidc_token.audience = audience
        if email is not None:
            task.http_request.oidc_token.service_account_email = email
        queue.client.create_task(parent=probe, task=task)

        def answered() -> int | None:
            try:
                got = queue.client.get_task(name=f"{probe}/tasks/probe")
            except gexc.NotFound:
                return 200  # a 2xx answer completes the task, which removes it
            if not got.last_attempt.response_time:
                return None
            code = got.last_attempt.response_status.code
            return {0: 200, 16: 401, 7: 403}.get(code, 1000 + code)

        status = wait_for(answered, timeout=30, what="the probe task's first attempt")
    finally:
        queue.client.delete_queue(name=probe)
    return status


def test_a_token_for_another_audience_is_refused(queue: Queue, completed_interview: str) -> None:
    assert _deliver_once(queue, completed_interview, audience="https://another-service.example.com") == 401


def test_a_token_of_another_service_account_is_refused(queue: Queue, completed_interview: str) -> None:
    assert (
        _deliver_once(queue, completed_interview, email="intruder@demo-interviewer.iam.gserviceaccount.com")
        == 403
    )


def test_the_queues_own_token_is_accepted(
    queue: Queue, recruiter: Recruiter, create_interview: Create, store: Any
) -> None:
    """The control: the same probe with the product's task settings reaches evaluate and is served."""
    created = create_interview(recruiter)
    seed_finished_interview(store, created["id"], golden("weak"), status="completed")
    assert _deliver_once(queue, created["id"]) == 200
    assert store.get(created["id"]).status == "evaluated"
