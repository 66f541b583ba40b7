"""The outbound webhook routes of the api function: a workspace's endpoints, their secrets, a test
event and the delivery log (docs/webhooks.md). Admins and owners only, as the team's other settings.

A URL is checked when it is saved (scheme, host, and every address its host resolves to, under the
same SSRF rule the delivery applies), so an admin learns at once that a target is refused; the
delivery checks again, and connects to the address it checked, because DNS may answer differently by
then. A secret is answered once, by the create and rotate routes, and never again.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from http_boundary import accepts_query, json_body, json_response, query_params, read_body
from interview_core import webhook_events
from interview_core.adapters import webhook_http
from interview_core.adapters.firestore_store import utcnow
from interview_core.adapters.webhook_store import default_webhook_store
from interview_core.adapters.workspace_store import default_workspace_store
from interview_core.domain.webhooks import (
    CreateEndpointRequest,
    Endpoint,
    EventType,
    RotateSecretRequest,
    UpdateEndpointRequest,
    WebhookUrlRefused,
    allows_loopback,
    new_secret,
    rotate,
)
from interview_core.domain.workspaces import AuditAction, AuditValue, Role
from interview_core.settings import get_settings

from . import access

log = logging.getLogger("api")

webhooks = Blueprint("webhooks", __name__)
store = default_webhook_store
workspaces = default_workspace_store

MAX_WEBHOOK_BODY_BYTES = 8 * 1024
MAX_SMALL_BYTES = 1024
MAX_DELIVERY_PAGE = 50


@webhooks.get("/api/workspace/webhooks")
def list_endpoints() -> Response:
    """The workspace's webhook endpoints (admin+), oldest first; never their secrets."""
    member = access.member(Role.ADMIN)
    now = utcnow()
    return json_response({"endpoints": [e.public_view(now) for e in store().endpoints(member.workspace.id)]})


@webhooks.post("/api/workspace/webhooks")
def create_endpoint() -> Response:
    """201 with the endpoint and its signing secret, shown this once."""
    member = access.member(Role.ADMIN)
    body = json_body(CreateEndpointRequest, MAX_WEBHOOK_BODY_BYTES)
    check_target(body.url)
    secret = new_secret()
    endpoint = store().create_endpoint(
        member.workspace.id,
        url=body.url,
        events=list(body.events),
        description=body.description,
        secret=secret,
        actor_uid=member.uid,
        now=utcnow(),
    )
    log.info("webhook endpoint created", extra={"events": len(endpoint.events)})
    audit(member, AuditAction.WEBHOOK_CREATED, endpoint.id, {"events": ",".join(endpoint.events)})
    return json_response({**endpoint.public_view(utcnow()), "secret": secret}, 201)


@webhooks.patch("/api/workspace/webhooks/<iid:endpoint_id>")
def update_endpoint(endpoint_id: str) -> Response:
    """Change the URL, the events, the description or whether it is enabled (only the named parts)."""
    member = access.member(Role.ADMIN)
    body = json_body(UpdateEndpointRequest, MAX_WEBHOOK_BODY_BYTES)
    if body.url is not None:
        check_target(body.url)
    fields = body.model_dump(exclude_none=True)
    now = utcnow()
    endpoint = store().update_endpoint(member.workspace.id, endpoint_id, lambda _: fields, now)
    changed = {key: value for key, value in fields.items() if key in ("enabled",)}
    audit(member, AuditAction.WEBHOOK_CHANGED, endpoint.id, {**changed, "fields": ",".join(sorted(fields))})
    return json_response(endpoint.public_view(now))


@webhooks.delete("/api/workspace/webhooks/<iid:endpoint_id>")
def delete_endpoint(endpoint_id: str) -> Response:
    """204: the endpoint and its delivery log; deliveries still queued find it gone and stop."""
    member = access.member(Role.ADMIN)
    store().delete_endpoint(member.workspace.id, endpoint_id)
    log.info("webhook endpoint deleted")
    audit(member, AuditAction.WEBHOOK_DELETED, endpoint_id, {})
    return Response(status=204)


@webhooks.post("/api/workspace/webhooks/<iid:endpoint_id>/rotate-secret")
def rotate_secret(endpoint_id: str) -> Response:
    """A new secret, shown this once; the current one stays valid for `overlap_seconds` (default 24 h)."""
    member = access.member(Role.ADMIN)
    body = json_body(RotateSecretRequest, MAX_SMALL_BYTES)
    secret = new_secret()
    now = utcnow()
    overlap = timedelta(seconds=body.overlap_seconds)

    def change(endpoint: Endpoint) -> dict[str, Any]:
        return {"secrets": rotate(endpoint.secrets, secret, now, overlap)}

    endpoint = store().update_endpoint(member.workspace.id, endpoint_id, change, now)
    log.info("webhook secret rotated", extra={"overlap_seconds": body.overlap_seconds})
    audit(member, AuditAction.WEBHOOK_SECRET_ROTATED, endpoint.id, {"overlap_seconds": body.overlap_seconds})
    return json_response({**endpoint.public_view(now), "secret": secret})


@webhooks.post("/api/workspace/webhooks/<iid:endpoint_id>/test")
def send_test_event(endpoint_id: str) -> Response:
    """202: a `webhook.test` event queued to this endpoint alone; its delivery shows in the log."""
    member = access.member(Role.ADMIN)
    read_body(MAX_SMALL_BYTES)
    wid = member.workspace.id
    endpoint = store().endpoint(wid, endpoint_id)
    data: dict[str, str | int | None] = {"workspace_id": wid, "endpoint_id": endpoint.id}
    delivery = webhook_events.queue_delivery(wid, endpoint, EventType.TEST, uuid.uuid4().hex, data, utcnow())
    return json_response({"delivery_id": delivery.id, "status": delivery.status.value}, 202)


class DeliveriesQuery(BaseModel):
    """The query parameters of GET /api/workspace/webhooks/{id}/deliveries."""

    model_config = ConfigDict(extra="forbid")

    page_size: int = Field(20, ge=1, le=MAX_DELIVERY_PAGE)
    page_token: str | None = Field(None, max_length=200)


@webhooks.get("/api/workspace/webhooks/<iid:endpoint_id>/deliveries")
@accepts_query(DeliveriesQuery)
def list_deliveries(endpoint_id: str) -> Response:
    """The endpoint's delivery log, newest first: each delivery's event, state, attempts and payload."""
    member = access.member(Role.ADMIN)
    query = query_params(DeliveriesQuery)
    wid = member.workspace.id
    store().endpoint(wid, endpoint_id)  # 404 for another team's or an unknown endpoint
    found, next_token = store().deliveries(
        wid, endpoint_id, page_size=query.page_size, page_token=query.page_token or None
    )
    return json_response({"deliveries": [d.public_view() for d in found], "next_page_token": next_token})


def audit(
    member: access.Access, action: AuditAction, endpoint_id: str, detail: dict[str, AuditValue]
) -> None:
    """Who changed where the team's events go: in the audit log, by endpoint id (never a URL or secret)."""
    workspaces().append_audit(
        member.workspace.id,
        actor_uid=member.uid,
        action=action,
        target=endpoint_id,
        detail=detail,
        now=utcnow(),
    )


def check_target(url: str) -> None:
    """422 `webhook_url_refused` (field `url`) for a URL no delivery could be made to."""
    try:
        webhook_http.resolve_allowed(url, allow_loopback=allows_loopback(get_settings().environment))
    except webhook_http.Refused as refused:
        raise WebhookUrlRefused(refused.reason) from refused
