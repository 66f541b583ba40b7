"""Firestore access for outbound webhooks: a workspace's endpoints and each endpoint's delivery log.

`workspaces/{wid}/webhook_endpoints/{eid}` holds the URL, the events, and the signing secrets; no
client reads it (firestore.rules closes every path it does not open), and the api never answers a
secret except once, at creation or rotation. `.../deliveries/{webhook id}` is one delivery: the body
sent and its attempts (bounded by the webhook queue's attempts). A delivery's id is derived from the
endpoint, the event and its subject (domain/webhooks.webhook_id), so emitting an event twice finds the
delivery already there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore
from pydantic import BaseModel

from ..domain.errors import InvalidCursor, LimitReached
from ..domain.webhooks import (
    MAX_ENDPOINTS,
    Attempt,
    Delivery,
    DeliveryStatus,
    Endpoint,
    EventType,
    SigningSecret,
    WebhookEndpointNotFound,
)
from ..queue_policy import WEBHOOK_RETRY
from .clients import firestore_client, per_process, run_transaction
from .firestore_store import to_firestore
from .page_cursors import decode_cursor, encode_cursor

WORKSPACES = "workspaces"
ENDPOINTS = "webhook_endpoints"
DELIVERIES = "deliveries"


class WebhookStore:
    """Repository for webhook endpoints and their deliveries."""

    def __init__(self, db: firestore.Client | None = None) -> None:
        self.db = db or firestore_client()

    def endpoints_ref(self, workspace_id: str) -> firestore.CollectionReference:
        return self.db.collection(WORKSPACES).document(workspace_id).collection(ENDPOINTS)

    def endpoint_ref(self, workspace_id: str, endpoint_id: str) -> firestore.DocumentReference:
        return self.endpoints_ref(workspace_id).document(endpoint_id)

    def delivery_ref(
        self, workspace_id: str, endpoint_id: str, delivery_id: str
    ) -> firestore.DocumentReference:
        return self.endpoint_ref(workspace_id, endpoint_id).collection(DELIVERIES).document(delivery_id)

    # -- endpoints ----------------------------------------------------------------------------------
    def endpoints(self, workspace_id: str) -> list[Endpoint]:
        snapshots = self.endpoints_ref(workspace_id).order_by("created_at").limit(MAX_ENDPOINTS).stream()
        return [_endpoint(s) for s in snapshots]

    def subscribed(self, workspace_id: str, event: EventType) -> list[Endpoint]:
        """The enabled endpoints that asked for `event` (an array-contains query: no composite index)."""
        query = (
            self.endpoints_ref(workspace_id)
            .where(filter=firestore.FieldFilter("events", "array_contains", event.value))
            .limit(MAX_ENDPOINTS)
        )
        return [e for e in (_endpoint(s) for s in query.stream()) if e.enabled]

    def endpoint(self, workspace_id: str, endpoint_id: str) -> Endpoint:
        snapshot = self.endpoint_ref(workspace_id, endpoint_id).get()
        if not snapshot.exists:
            raise WebhookEndpointNotFound()
        return _endpoint(snapshot)

    def create_endpoint(
        self,
        workspace_id: str,
        *,
        url: str,
        events: list[EventType],
        description: str,
        secret: str,
        actor_uid: str,
        now: datetime,
    ) -> Endpoint:
        """A new endpoint; LimitReached past MAX_ENDPOINTS (counted in the transaction that adds it)."""
        ref = self.endpoints_ref(workspace_id).document()
        endpoint = Endpoint(
            id=ref.id,
            url=url,
            events=events,
            description=description,
            secrets=[SigningSecret(value=secret, created_at=now)],
            created_at=now,
            created_by=actor_uid,
            updated_at=now,
        )

        def create(transaction: firestore.Transaction) -> None:
            existing = list(
                self.endpoints_ref(workspace_id).limit(MAX_ENDPOINTS).stream(transaction=transaction)
            )
            if len(existing) >= MAX_ENDPOINTS:
                raise LimitReached(f"a team may have at most {MAX_ENDPOINTS} webhook endpoints")
            transaction.create(ref, _document(endpoint))

        run_transaction(self.db, create)
        return endpoint

    def update_endpoint(
        self, workspace_id: str, endpoint_id: str, change: Callable[[Endpoint], dict[str, Any]], now: datetime
    ) -> Endpoint:
        """Apply `change` (the fields to set) to the endpoint read in the same transaction."""
        ref = self.endpoint_ref(workspace_id, endpoint_id)

        def update(transaction: firestore.Transaction) -> Endpoint:
            snapshot = ref.get(transaction=transaction)
            if not snapshot.exists:
                raise WebhookEndpointNotFound()
            current = _endpoint(snapshot)
            fields = {**change(current), "updated_at": now}
            transaction.update(ref, _plain(fields))
            return current.model_copy(update=fields)

        result: Endpoint = run_transaction(self.db, update)
        return result

    def delete_endpoint(self, workspace_id: str, endpoint_id: str, *, batch_size: int = 200) -> None:
        """The endpoint and its delivery log; its queued tasks then find nothing and stop."""
        ref = self.endpoint_ref(workspace_id, endpoint_id)
        if not ref.get().exists:
            raise WebhookEndpointNotFound()
        deliveries = ref.collection(DELIVERIES)
        while True:
            batch = list(deliveries.limit(batch_size).stream())
            if not batch:
                break
            writer = self.db.batch()
            for snapshot in batch:
                writer.delete(snapshot.reference)
            writer.commit()
        ref.delete()

    # -- deliveries ---------------------------------------------------------------------------------
    def create_delivery(self, workspace_id: str, endpoint_id: str, delivery: Delivery) -> bool:
        """Record a delivery to make; False when it exists already (the same event emitted again)."""
        try:
            self.delivery_ref(workspace_id, endpoint_id, delivery.id).create(_document(delivery))
        except gexc.AlreadyExists:
            return False
        return True

    def delivery(self, workspace_id: str, endpoint_id: str, delivery_id: str) -> Delivery | None:
        snapshot = self.delivery_ref(workspace_id, endpoint_id, delivery_id).get()
        return (
            Delivery.model_validate({"id": snapshot.id, **(snapshot.to_dict() or {})})
            if snapshot.exists
            else None
        )

    def record_attempt(
        self,
        workspace_id: str,
        endpoint_id: str,
        delivery_id: str,
        attempt: Attempt,
        status: DeliveryStatus,
        now: datetime,
    ) -> None:
        """Add one attempt to the log (a retried task's repeat of an attempt number replaces it)."""
        ref = self.delivery_ref(workspace_id, endpoint_id, delivery_id)

        def record(transaction: firestore.Transaction) -> None:
            snapshot = ref.get(transaction=transaction)
            if not snapshot.exists:
                return
            kept = [
                a
                for a in (snapshot.to_dict() or {}).get("attempts", [])
                if a.get("attempt") != attempt.attempt
            ]
            attempts = [*kept, to_firestore(attempt.model_dump(mode="python"))][-WEBHOOK_RETRY.max_attempts :]
            transaction.update(ref, {"attempts": attempts, "status": status.value, "updated_at": now})

        run_transaction(self.db, record)

    def mark(
        self, workspace_id: str, endpoint_id: str, delivery_id: str, status: DeliveryStatus, now: datetime
    ) -> None:
        ref = self.delivery_ref(workspace_id, endpoint_id, delivery_id)
        try:
            ref.update({"status": status.value, "updated_at": now})
        except gexc.NotFound:
            return

    def deliveries(
        self, workspace_id: str, endpoint_id: str, *, page_size: int, page_token: str | None
    ) -> tuple[list[Delivery], str | None]:
        """The endpoint's delivery log, newest first, one page at a time."""
        collection = self.endpoint_ref(workspace_id, endpoint_id).collection(DELIVERIES)
        query = collection.order_by("created_at", direction=firestore.Query.DESCENDING).order_by(
            "__name__", direction=firestore.Query.DESCENDING
        )
        if page_token:
            after = collection.document(decode_cursor(page_token)).get()
            if not after.exists:
                raise InvalidCursor()
            query = query.start_after(after)
        snapshots = list(query.limit(page_size + 1).stream())
        found = [Delivery.model_validate({"id": s.id, **(s.to_dict() or {})}) for s in snapshots[:page_size]]
        next_token = encode_cursor(snapshots[page_size - 1].id) if len(snapshots) > page_size else None
        return found, next_token


def _endpoint(snapshot: firestore.DocumentSnapshot) -> Endpoint:
    return Endpoint.model_validate({"id": snapshot.id, **(snapshot.to_dict() or {})})


def _document(model: Endpoint | Delivery) -> dict[str, Any]:
    return dict(to_firestore(model.model_dump(mode="python", exclude={"id"})))


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    """Pydantic values (secrets in a list, enums) as Firestore stores them."""

    def plain(value: Any) -> Any:
        if isinstance(value, BaseModel):
            return value.model_dump(mode="python")
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return dict(to_firestore({key: plain(value) for key, value in fields.items()}))


@per_process
def default_webhook_store() -> WebhookStore:
    return WebhookStore()
