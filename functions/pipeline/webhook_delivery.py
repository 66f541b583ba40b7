"""The delivery task of outbound webhooks: one Cloud Task in, one signed POST out (docs/webhooks.md).

Served by the `evaluate` function at settings.WEBHOOK_DELIVERY_PATH: the same Cloud Tasks target, the
same invoker account and OIDC check as evaluations, on the `webhooks` queue with its own retry policy
(queue_policy.WEBHOOK_RETRY). One delivery:

1. The OIDC token must be the queue's service account's, for `evaluate_url` (else 401/403).
2. The delivery and its endpoint are read; a delivery already final (delivered, failed, refused), a
   deleted or disabled endpoint, or a delivery that is gone is answered 200 so the queue drops it.
3. The stored body is signed with every valid secret of the endpoint by `standardwebhooks`
   (`webhook-signature` holds one `v1,` signature per secret, space-separated) with a fresh
   `webhook-timestamp`, under the delivery's fixed `webhook-id`, and POSTed to the address that passed
   the SSRF rule (adapters/webhook_http.py), waiting at most webhook_delivery_timeout_seconds.
4. The attempt is logged (status code, duration, kind of error). A 2xx answers 200. A refused target
   answers 200 (trying again cannot help) and marks the delivery `refused`. Any other failure answers
   502 so Cloud Tasks retries with the queue's backoff, except on the queue's last attempt, which marks
   the delivery `failed` and answers 200.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Request, Response
from pydantic import BaseModel, ConfigDict
from standardwebhooks.webhooks import Webhook

from api.errors import ApiError
from http_boundary import error_response, json_response, parse_json, read_body
from interview_core.adapters import webhook_http
from interview_core.adapters.firestore_store import utcnow
from interview_core.adapters.webhook_store import default_webhook_store
from interview_core.domain.errors import DomainError
from interview_core.domain.ids import DocumentId
from interview_core.domain.webhooks import (
    FINAL,
    Attempt,
    Delivery,
    DeliveryStatus,
    Endpoint,
    WebhookEndpointNotFound,
    after_attempt,
    allows_loopback,
    valid_secrets,
)
from interview_core.queue_policy import WEBHOOK_RETRY
from interview_core.settings import Settings, get_settings
from pipeline.task_request import retry_count as task_retry_count
from pipeline.task_request import verify_task_caller

log = logging.getLogger("webhooks")

MAX_TASK_BODY_BYTES = 1024

store = default_webhook_store
Id = DocumentId


class DeliveryTaskBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workspace_id: Id
    endpoint_id: Id
    delivery_id: Id


def handle(request: Request) -> Response:
    """The HTTP entry point (functions/main.py `evaluate`, at the delivery path)."""
    if request.method != "POST":
        return error_response(ApiError(405, "method_not_allowed", "deliveries are POSTed by Cloud Tasks"))
    settings = get_settings()
    try:
        verify_task_caller(request, settings)
        body = parse_json(read_body(MAX_TASK_BODY_BYTES), DeliveryTaskBody)
    except (DomainError, ApiError) as refused:
        log.warning("webhook delivery task refused", extra={"code": refused.code})
        return error_response(refused)
    retry_count = task_retry_count(request)
    status, result = deliver(body, retry_count, settings, utcnow())
    log.info(
        "webhook delivery task done", extra={"result": result, "status": status, "retry_count": retry_count}
    )
    return json_response({"result": result}, status)


def deliver(task: DeliveryTaskBody, retry_count: int, settings: Settings, now: datetime) -> tuple[int, str]:
    """Steps 2 to 4 of the module docstring: (the HTTP status for Cloud Tasks, what happened)."""
    wid, eid = task.workspace_id, task.endpoint_id
    delivery = store().delivery(wid, eid, task.delivery_id)
    if delivery is None:
        return 200, "gone"
    if delivery.status in FINAL:
        return 200, f"already_{delivery.status.value}"
    try:
        endpoint = store().endpoint(wid, eid)
    except WebhookEndpointNotFound:
        return 200, "gone"
    if not endpoint.enabled:
        store().mark(wid, eid, delivery.id, DeliveryStatus.SKIPPED, now)
        return 200, "skipped"
    sent = webhook_http.post(
        endpoint.url,
        delivery.body.encode(),
        signed_headers(endpoint, delivery, now),
        timeout=settings.webhook_delivery_timeout_seconds,
        allow_loopback=allows_loopback(settings.environment),
    )
    last = WEBHOOK_RETRY.is_last_attempt(retry_count)
    status = after_attempt(sent.ok, sent.error_kind, last_attempt=last)
    attempt = Attempt(
        attempt=retry_count + 1,
        at=now,
        status_code=sent.status_code,
        duration_ms=sent.duration_ms,
        error_kind=sent.error_kind,
    )
    store().record_attempt(wid, eid, delivery.id, attempt, status, utcnow())
    return (502 if status == DeliveryStatus.RETRYING else 200), status.value


def signed_headers(endpoint: Endpoint, delivery: Delivery, now: datetime) -> dict[str, str]:
    """The Standard Webhooks headers: the fixed id, this attempt's time, one signature per valid secret."""
    signatures = [
        Webhook(secret.value).sign(msg_id=delivery.id, timestamp=now, data=delivery.body)
        for secret in valid_secrets(endpoint.secrets, now)
    ]
    return {
        "webhook-id": delivery.id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
