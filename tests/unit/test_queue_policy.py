"""The evaluation queue's policy, its last-attempt rule, and the tasks adapter's task shape."""

from __future__ import annotations

import json

import pytest

from interview_core.queue_policy import (
    DISPATCH_DEADLINE_SECONDS,
    RETRY,
    local_retry_policy,
    queue_rest_body,
)
from interview_core.settings import Settings


def test_production_values() -> None:
    assert (
        RETRY.max_attempts,
        RETRY.min_backoff_seconds,
        RETRY.max_backoff_seconds,
        RETRY.max_doublings,
    ) == (
        5,
        10,
        300,
        4,
    )
    assert 15 <= DISPATCH_DEADLINE_SECONDS <= 1800  # Cloud Tasks' bounds for HTTP targets


def test_the_last_attempt_is_the_one_with_retry_count_max_attempts_minus_one() -> None:
    assert [RETRY.is_last_attempt(n) for n in range(6)] == [False, False, False, False, True, True]


def test_the_local_stack_may_shorten_only_the_backoff() -> None:
    fast = local_retry_policy({"TASKS_MIN_BACKOFF_SECONDS": "0.2", "TASKS_MAX_BACKOFF_SECONDS": "1"})
    assert (fast.min_backoff_seconds, fast.max_backoff_seconds) == (0.2, 1.0)
    assert (fast.max_attempts, fast.max_doublings) == (RETRY.max_attempts, RETRY.max_doublings)
    assert local_retry_policy({}) == RETRY
    with pytest.raises(ValueError, match="backoff"):
        local_retry_policy({"TASKS_MIN_BACKOFF_SECONDS": "5", "TASKS_MAX_BACKOFF_SECONDS": "1"})


def test_the_rest_body_is_what_cloud_tasks_reads() -> None:
    body = queue_rest_body("projects/p/locations/l/queues/q", RETRY.with_backoff(0.25, 2))
    assert body["retryConfig"] == {
        "maxAttempts": 5,
        "minBackoff": "0.25s",
        "maxBackoff": "2s",
        "maxDoublings": 4,
        "maxRetryDuration": "0s",
    }
    json.dumps(body)


def test_tasks_are_named_by_interview_and_generation_and_carry_an_oidc_token() -> None:
    from interview_core.adapters import tasks

    settings = Settings(_env_file=None, evaluate_url="https://evaluate.example.run.app")  # type: ignore[call-arg]
    assert tasks.task_id("abc", 1) == tasks.task_id("abc", 1)
    assert tasks.task_id("abc", 1) != tasks.task_id("abc", 2)
    task = tasks.build_task(settings, tasks.EvaluationTask("abc", 2))
    assert task.name.endswith("/queues/evaluations/tasks/abc-evaluation-2")
    assert task.http_request.url == "https://evaluate.example.run.app"
    assert task.http_request.oidc_token.audience == "https://evaluate.example.run.app"
    assert task.http_request.oidc_token.service_account_email == settings.tasks_service_account
    assert json.loads(task.http_request.body) == {"interview_id": "abc", "generation": 2}
    assert task.dispatch_deadline.seconds == DISPATCH_DEADLINE_SECONDS


def test_the_webhook_queue_has_its_own_bounded_policy_shortened_like_the_evaluations_one() -> None:
    from interview_core.queue_policy import WEBHOOK_RETRY, local_webhook_retry_policy

    assert local_webhook_retry_policy({}) == WEBHOOK_RETRY
    assert 1 < WEBHOOK_RETRY.max_attempts <= 10  # bounded: the last attempt marks the delivery failed
    fast = local_webhook_retry_policy({"TASKS_MIN_BACKOFF_SECONDS": "0.2", "TASKS_MAX_BACKOFF_SECONDS": "1"})
    assert (fast.min_backoff_seconds, fast.max_backoff_seconds) == (0.2, 1.0)
    assert fast.max_attempts == WEBHOOK_RETRY.max_attempts
    assert fast.is_last_attempt(WEBHOOK_RETRY.max_attempts - 1)
    assert not fast.is_last_attempt(0)


def test_webhook_tasks_are_named_by_delivery_and_go_to_evaluates_delivery_path() -> None:
    from interview_core.adapters import tasks
    from interview_core.queue_policy import WEBHOOK_DISPATCH_DEADLINE_SECONDS

    settings = Settings(_env_file=None, evaluate_url="https://evaluate.example.run.app")  # type: ignore[call-arg]
    delivery = tasks.WebhookDeliveryTask("team-1", "ep1", "msg_0123456789abcdef0123456789abcdef")
    task = tasks.build_webhook_task(settings, delivery)
    assert task.name.endswith("/queues/webhooks/tasks/0123456789abcdef0123456789abcdef-webhook")
    assert task.http_request.url == "https://evaluate.example.run.app/webhook-deliveries"
    assert task.http_request.oidc_token.audience == "https://evaluate.example.run.app"
    assert task.http_request.oidc_token.service_account_email == settings.tasks_service_account
    assert json.loads(task.http_request.body) == {
        "workspace_id": "team-1",
        "endpoint_id": "ep1",
        "delivery_id": "msg_0123456789abcdef0123456789abcdef",
    }
    assert task.dispatch_deadline.seconds == WEBHOOK_DISPATCH_DEADLINE_SECONDS
