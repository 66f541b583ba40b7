"""Cloud Tasks: enqueue the evaluation of an interview as an HTTP task to the `evaluate` function.

The task name is derived from the interview id and the evaluation generation, so a duplicate
completion (agent retry, sweeper, crash between commit and enqueue) creates the same task and Cloud
Tasks refuses it with ALREADY_EXISTS, which counts as success. Cloud Tasks keeps a finished task's
name for a while (up to about an hour in the cloud, a day in the emulator); after that a duplicate
becomes a new task, which `evaluate` answers 200 without work because the generation's report exists.
A recruiter's re-evaluation bumps the generation, hence a new name.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from .. import tracing
from ..domain.errors import UpstreamUnavailable
from ..queue_policy import DISPATCH_DEADLINE_SECONDS, RATE_LIMITS, RETRY, RateLimits, RetryPolicy
from ..settings import Settings, get_settings
from .clients import tasks_client

if TYPE_CHECKING:  # the client library is imported on first use (cold-start time)
    from google.api_core import retry as api_retry
    from google.cloud import tasks_v2  # type: ignore[attr-defined]
    from google.protobuf import duration_pb2

log = logging.getLogger(__name__)

ENQUEUE_TIMEOUT_SECONDS = 10.0


@cache
def _create_retry() -> api_retry.Retry:
    """CreateTask is not retried by default; with a fixed name it is idempotent, so transient errors are."""
    from google.api_core import exceptions as gexc
    from google.api_core import retry as api_retry

    return api_retry.Retry(
        predicate=api_retry.if_exception_type(gexc.ServiceUnavailable, gexc.DeadlineExceeded),
        initial=0.2,
        maximum=2.0,
        timeout=ENQUEUE_TIMEOUT_SECONDS,
    )


@dataclass(frozen=True)
class EvaluationTask:
    """What the evaluate function receives as the task body."""

    interview_id: str
    generation: int

    def body(self) -> bytes:
        return json.dumps({"interview_id": self.interview_id, "generation": self.generation}).encode()


def queue_path(settings: Settings) -> str:
    return f"projects/{settings.project_id}/locations/{settings.region}/queues/{settings.tasks_queue}"


def task_id(interview_id: str, generation: int) -> str:
    """Deterministic and well spread: Firestore ids are random, so they lead (Cloud Tasks shards by name)."""
    return f"{interview_id}-evaluation-{generation}"


def task_path(settings: Settings, interview_id: str, generation: int) -> str:
    return f"{queue_path(settings)}/tasks/{task_id(interview_id, generation)}"


def build_task(settings: Settings, task: EvaluationTask, *, name: str | None = None) -> tasks_v2.Task:
    """The HTTP task: POST to evaluate, OIDC token of the queue's service account for its URL."""
    from google.cloud import tasks_v2
    from google.protobuf import duration_pb2

    return tasks_v2.Task(
        name=name or task_path(settings, task.interview_id, task.generation),
        http_request=tasks_v2.HttpRequest(
            http_method=tasks_v2.HttpMethod.POST,
            url=settings.evaluate_url,
            # The caller's trace context (traceparent), so evaluate continues the interview's trace.
            headers={"Content-Type": "application/json", **tracing.headers_for_current()},
            body=task.body(),
            oidc_token=tasks_v2.OidcToken(
                service_account_email=settings.tasks_service_account, audience=settings.evaluate_url
            ),
        ),
        dispatch_deadline=duration_pb2.Duration(seconds=DISPATCH_DEADLINE_SECONDS),
    )


def enqueue_evaluation(
    interview_id: str, generation: int, *, client: tasks_v2.CloudTasksClient | None = None
) -> Literal["created", "exists"]:
    """Create the evaluation task; "exists" when this interview's generation was enqueued before.

    Raises UpstreamUnavailable when Cloud Tasks cannot be reached, so callers answer 503 and their
    caller retries (the completion webhook is idempotent).
    """
    from google.api_core import exceptions as gexc

    settings = get_settings()
    task = build_task(settings, EvaluationTask(interview_id, generation))
    try:
        (client or tasks_client()).create_task(
            parent=queue_path(settings), task=task, retry=_create_retry(), timeout=ENQUEUE_TIMEOUT_SECONDS
        )
    except gexc.AlreadyExists:
        log.info(
            "evaluation already enqueued", extra={"interview_id": interview_id, "generation": generation}
        )
        return "exists"
    except gexc.GoogleAPICallError as error:
        log.error(
            "enqueue failed",
            extra={"interview_id": interview_id, "generation": generation, "error": type(error).__name__},
        )
        raise UpstreamUnavailable("the evaluation could not be queued; try again") from error
    log.info("evaluation enqueued", extra={"interview_id": interview_id, "generation": generation})
    return "created"


def apply_queue_policy(
    client: tasks_v2.CloudTasksClient,
    queue_name: str,
    retry: RetryPolicy = RETRY,
    rates: RateLimits = RATE_LIMITS,
) -> tasks_v2.Queue:
    """UpdateQueue with the retry policy and rate limits (creates the queue if it is missing).

    Terraform owns the queue in the cloud; this is for emulators and tests.
    """
    from google.cloud import tasks_v2
    from google.protobuf import field_mask_pb2

    queue = tasks_v2.Queue(
        name=queue_name,
        retry_config=tasks_v2.RetryConfig(
            max_attempts=retry.max_attempts,
            min_backoff=_duration(retry.min_backoff_seconds),
            max_backoff=_duration(retry.max_backoff_seconds),
            max_doublings=retry.max_doublings,
            max_retry_duration=_duration(retry.max_retry_duration_seconds),
        ),
        rate_limits=tasks_v2.RateLimits(
            max_dispatches_per_second=rates.max_dispatches_per_second,
            max_concurrent_dispatches=rates.max_concurrent_dispatches,
        ),
    )
    mask = field_mask_pb2.FieldMask(paths=["retry_config", "rate_limits"])
    return client.update_queue(queue=queue, update_mask=mask, timeout=ENQUEUE_TIMEOUT_SECONDS)


def _duration(seconds: float) -> duration_pb2.Duration:
    from google.protobuf import duration_pb2

    whole = int(seconds)
    return duration_pb2.Duration(seconds=whole, nanos=round((seconds - whole) * 1e9))


# -- outbound webhooks ------------------------------------------------------------------------------
@dataclass(frozen=True)
class WebhookDeliveryTask:
    """What the delivery handler (pipeline/webhook_delivery.py) receives: where to find the delivery."""

    workspace_id: str
    endpoint_id: str
    delivery_id: str

    def body(self) -> bytes:
        return json.dumps(
            {
                "workspace_id": self.workspace_id,
                "endpoint_id": self.endpoint_id,
                "delivery_id": self.delivery_id,
            }
        ).encode()

    def task_id(self) -> str:
        """The delivery id's hash first (well spread), so the same delivery is one task: a duplicate
        emission gets ALREADY_EXISTS."""
        return f"{self.delivery_id.removeprefix('msg_')}-webhook"


def webhook_queue_path(settings: Settings) -> str:
    return f"projects/{settings.project_id}/locations/{settings.region}/queues/{settings.webhook_tasks_queue}"


def build_webhook_task(settings: Settings, task: WebhookDeliveryTask) -> tasks_v2.Task:
    """POST to the delivery path of `evaluate`, with the OIDC token evaluate already trusts."""
    from google.cloud import tasks_v2
    from google.protobuf import duration_pb2

    from ..queue_policy import WEBHOOK_DISPATCH_DEADLINE_SECONDS

    return tasks_v2.Task(
        name=f"{webhook_queue_path(settings)}/tasks/{task.task_id()}",
        http_request=tasks_v2.HttpRequest(
            http_method=tasks_v2.HttpMethod.POST,
            url=settings.webhook_delivery_url,
            headers={"Content-Type": "application/json"},
            body=task.body(),
            oidc_token=tasks_v2.OidcToken(
                service_account_email=settings.tasks_service_account, audience=settings.evaluate_url
            ),
        ),
        dispatch_deadline=duration_pb2.Duration(seconds=WEBHOOK_DISPATCH_DEADLINE_SECONDS),
    )


def enqueue_webhook_delivery(
    task: WebhookDeliveryTask, *, client: tasks_v2.CloudTasksClient | None = None
) -> Literal["created", "exists"]:
    """Create the delivery's task; "exists" when it was queued before. Raises UpstreamUnavailable."""
    from google.api_core import exceptions as gexc

    settings = get_settings()
    try:
        (client or tasks_client()).create_task(
            parent=webhook_queue_path(settings),
            task=build_webhook_task(settings, task),
            retry=_create_retry(),
            timeout=ENQUEUE_TIMEOUT_SECONDS,
        )
    except gexc.AlreadyExists:
        return "exists"
    except gexc.GoogleAPICallError as error:
        log.error("webhook enqueue failed", extra={"error": type(error).__name__})
        raise UpstreamUnavailable("the webhook delivery could not be queued") from error
    return "created"
