"""The evaluation queue's retry policy, rate limits and dispatch deadline: the one place in code.

Cloud Tasks, not our code, retries a failed evaluation, so this policy decides how often and how
late an evaluation is tried again. Three readers must agree on it:

- the `evaluate` function: the attempt whose retry count + 1 reaches `max_attempts` is the last one,
  and it records `evaluation_failed` instead of answering 503;
- the local stack (devstack/services.py), which applies it to the Cloud Tasks emulator's queue at start;
- Terraform, through infra/queue.json (same numbers; a test in tests/infra compares the two).

Stdlib only and free of I/O.
Backoff: Cloud Tasks doubles from `min_backoff` `max_doublings` times, then grows linearly, capped at
`max_backoff`: 10, 20, 40, 80 s between the 5 attempts of the production policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

QUEUE_NAME = "evaluations"


@dataclass(frozen=True)
class RetryPolicy:
    """Cloud Tasks RetryConfig. `max_attempts` counts the first attempt; 0 s retry duration = unlimited."""

    max_attempts: int
    min_backoff_seconds: float
    max_backoff_seconds: float
    max_doublings: int
    max_retry_duration_seconds: int = 0

    def is_last_attempt(self, retry_count: int) -> bool:
        """The attempt after which Cloud Tasks gives up? (retry_count: X-CloudTasks-TaskRetryCount)"""
        return retry_count + 1 >= self.max_attempts

    def with_backoff(self, min_seconds: float | None, max_seconds: float | None) -> RetryPolicy:
        """The same policy with shorter (or longer) backoff, for the local stack's tests."""
        low = self.min_backoff_seconds if min_seconds is None else min_seconds
        high = self.max_backoff_seconds if max_seconds is None else max_seconds
        if not 0 < low <= high:
            raise ValueError("backoff must satisfy 0 < min <= max")
        return replace(self, min_backoff_seconds=low, max_backoff_seconds=high)


@dataclass(frozen=True)
class RateLimits:
    """Keeps Gemini calls under quota when many interviews end at once."""

    max_dispatches_per_second: float
    max_concurrent_dispatches: int


RETRY = RetryPolicy(max_attempts=5, min_backoff_seconds=10, max_backoff_seconds=300, max_doublings=4)
RATE_LIMITS = RateLimits(max_dispatches_per_second=2, max_concurrent_dispatches=5)
DISPATCH_DEADLINE_SECONDS = 300
"""How long Cloud Tasks waits for `evaluate` to answer; the function's timeout is not shorter."""

WEBHOOK_QUEUE_NAME = "webhooks"
WEBHOOK_RETRY = RetryPolicy(max_attempts=8, min_backoff_seconds=30, max_backoff_seconds=3600, max_doublings=7)
"""Outbound webhooks (docs/webhooks.md): 8 attempts in all, 30 s doubling to 1 h between them (30 s,
1, 2, 4, 8, 16, 32 min: about an hour of retries in all), so a receiver that is down for a deploy
gets the event, and one that is gone stops being called the same day. Mirrored by
infra/webhook_queue.json."""
WEBHOOK_RATE_LIMITS = RateLimits(max_dispatches_per_second=10, max_concurrent_dispatches=20)
WEBHOOK_DISPATCH_DEADLINE_SECONDS = 60
"""How long Cloud Tasks waits for a delivery task: the receiver's timeout (settings
webhook_delivery_timeout_seconds, 10 s) plus the task's own reads and writes."""

MIN_BACKOFF_ENV = "TASKS_MIN_BACKOFF_SECONDS"
MAX_BACKOFF_ENV = "TASKS_MAX_BACKOFF_SECONDS"


def local_retry_policy(env: Mapping[str, str]) -> RetryPolicy:
    """The production policy, with the backoff the local stack may shorten through the environment."""

    def seconds(name: str) -> float | None:
        raw = env.get(name, "").strip()
        return float(raw) if raw else None

    return RETRY.with_backoff(seconds(MIN_BACKOFF_ENV), seconds(MAX_BACKOFF_ENV))


def local_webhook_retry_policy(env: Mapping[str, str]) -> RetryPolicy:
    """The webhook queue's policy with the local stack's shortened backoff, as for evaluations."""
    local = local_retry_policy(env)
    if local == RETRY:
        return WEBHOOK_RETRY
    return WEBHOOK_RETRY.with_backoff(local.min_backoff_seconds, local.max_backoff_seconds)


def _duration(seconds: float) -> str:
    """A protobuf Duration in its JSON form ("0.2s", "10s")."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".") + "s"


def queue_rest_body(
    queue_name: str, retry: RetryPolicy = RETRY, rates: RateLimits = RATE_LIMITS
) -> dict[str, Any]:
    """The Cloud Tasks v2 REST Queue for UpdateQueue (mask: retryConfig,rateLimits)."""
    return {
        "name": queue_name,
        "retryConfig": {
            "maxAttempts": retry.max_attempts,
            "minBackoff": _duration(retry.min_backoff_seconds),
            "maxBackoff": _duration(retry.max_backoff_seconds),
            "maxDoublings": retry.max_doublings,
            "maxRetryDuration": _duration(retry.max_retry_duration_seconds),
        },
        "rateLimits": {
            "maxDispatchesPerSecond": rates.max_dispatches_per_second,
            "maxConcurrentDispatches": rates.max_concurrent_dispatches,
        },
    }
