"""Fixtures for tests that talk to the running api function and the emulators."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import requests

from tests.conftest import Recruiter

JOB_DESCRIPTION = (
    "We are hiring a Senior Data Engineer. You must have strong SQL and Python skills and experience "
    "building data pipelines with Airflow or dbt. Experience with Google Cloud (BigQuery) is required. "
    "You will mentor junior engineers and communicate with product stakeholders."
)


def interview_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "candidate": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "role": "Senior Data Engineer",
        "job_description": JOB_DESCRIPTION,
        "language": "en",
        "duration_minutes": 20,
    }
    body.update(overrides)
    return body


@pytest.fixture
def create_interview(api_url: str) -> Callable[..., dict[str, Any]]:
    """Create an interview through the API; returns the 201 body plus the invite secret."""

    def create(recruiter: Recruiter, **overrides: Any) -> dict[str, Any]:
        response = requests.post(
            f"{api_url}/api/interviews",
            json=interview_body(**overrides),
            headers=recruiter.headers,
            timeout=30,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        body["secret"] = urlparse(body["invite_url"]).fragment
        return body

    return create


@pytest.fixture
def store(stack: dict[str, str]) -> Any:
    from interview_core.adapters.firestore_store import InterviewStore

    return InterviewStore()


def signed_webhook(
    api_url: str,
    payload: dict[str, Any],
    *,
    secret: str = "local-webhook-secret",
    timestamp: int | None = None,
) -> requests.Response:
    """POST the completion webhook the way the agent does (HMAC over timestamp and body)."""
    from interview_core.domain import webhook_signature

    raw = json.dumps(payload).encode()
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": "application/json",
        webhook_signature.TIMESTAMP_HEADER: str(ts),
        webhook_signature.SIGNATURE_HEADER: webhook_signature.sign(secret, ts, raw),
    }
    return requests.post(f"{api_url}/api/webhooks/interview-complete", data=raw, headers=headers, timeout=10)


# -- the evaluation pipeline -----------------------------------------------------------------------
FAST_BACKOFF = (0.2, 1.0)
"""Seconds: the queue's production retry policy with a backoff short enough for tests."""


@pytest.fixture(scope="session")
def queue(stack: dict[str, str]) -> Iterator[Any]:
    """The evaluation queue with a short backoff for this session (restored afterwards)."""
    from interview_core.adapters import tasks
    from interview_core.queue_policy import RETRY, local_retry_policy
    from tests.integration.pipeline_support import Queue

    handle = Queue(stack["CLOUD_TASKS_EMULATOR_HOST"])
    tasks.apply_queue_policy(handle.client, handle.path, RETRY.with_backoff(*FAST_BACKOFF))
    try:
        yield handle
    finally:
        tasks.apply_queue_policy(handle.client, handle.path, local_retry_policy(os.environ))


@pytest.fixture(scope="session")
def evaluate_url(stack: dict[str, str]) -> str:
    return stack["EVALUATE_URL"]


@pytest.fixture(scope="session")
def sweep_url(stack: dict[str, str]) -> str:
    return stack["SWEEP_URL"]


def signed_sweep(sweep_url: str, *, secret: str = "local-webhook-secret") -> requests.Response:
    """POST the sweeper the way the local stack does (the webhook's HMAC over an empty JSON body)."""
    from interview_core.domain import webhook_signature

    raw = b"{}"
    ts = int(time.time())
    headers = {
        "Content-Type": "application/json",
        webhook_signature.TIMESTAMP_HEADER: str(ts),
        webhook_signature.SIGNATURE_HEADER: webhook_signature.sign(secret, ts, raw),
    }
    return requests.post(sweep_url, data=raw, headers=headers, timeout=60)
