"""Emit an outbound webhook event: one delivery and one Cloud Task per subscribed endpoint.

Called after a state change has been committed (api routes, evaluate, sweep). It never raises: the
state change already stands, and a receiver's troubles, or ours in reaching Firestore or Cloud Tasks
at that moment, must not fail it (they are logged with the event type, never a payload). Emitting the
same event twice is harmless: the delivery id and the task name are derived from endpoint, event and
subject (domain/webhooks.webhook_id), so a repeat finds both already there, and a repeat after a
crash between the two creates the missing task.
"""

from __future__ import annotations

import logging
from datetime import datetime

from .adapters import tasks
from .adapters.firestore_store import utcnow
from .adapters.webhook_store import default_webhook_store
from .domain.models import Interview
from .domain.webhooks import Delivery, Endpoint, EventType, payload_body, webhook_id

log = logging.getLogger(__name__)

store = default_webhook_store


def emit(
    workspace_id: str | None,
    event: EventType,
    subject: str,
    data: dict[str, str | int | None],
    now: datetime | None = None,
) -> int:
    """Queue `event` for every endpoint of the workspace that subscribed to it; how many were queued.

    `subject` names the occurrence (an interview id, plus the generation for a report), so the same
    occurrence is one delivery per endpoint however often it is emitted.
    """
    if not workspace_id:
        return 0
    try:
        endpoints = store().subscribed(workspace_id, event)
        for endpoint in endpoints:
            queue_delivery(workspace_id, endpoint, event, subject, data, now or utcnow())
    except Exception as error:  # never fail the state change that emitted the event
        log.warning("webhook event not queued", extra={"event": event.value, "error": type(error).__name__})
        return 0
    return len(endpoints)


def queue_delivery(
    workspace_id: str,
    endpoint: Endpoint,
    event: EventType,
    subject: str,
    data: dict[str, str | int | None],
    now: datetime,
) -> Delivery:
    """Record the delivery (unless it exists) and create its task (unless it exists)."""
    delivery = Delivery(
        id=webhook_id(endpoint.id, event, subject),
        event_type=event,
        body=payload_body(event, data, now),
        created_at=now,
        updated_at=now,
    )
    store().create_delivery(workspace_id, endpoint.id, delivery)
    tasks.enqueue_webhook_delivery(tasks.WebhookDeliveryTask(workspace_id, endpoint.id, delivery.id))
    return delivery


def interview_event(interview: Interview, event: EventType, **extra: str | int | None) -> int:
    """Emit an interview's event with the data every interview event carries: ids and its status."""
    data: dict[str, str | int | None] = {
        "interview_id": interview.id,
        "workspace_id": interview.workspace_id,
        "status": interview.status.value,
        **extra,
    }
    return emit(interview.workspace_id, event, interview.id, data)
