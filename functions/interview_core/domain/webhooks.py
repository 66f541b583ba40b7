"""Outbound webhooks: what a workspace subscribes to, what is sent, and how a delivery's state moves.

Pure: no I/O. The api (api/webhooks.py) manages endpoints, `interview_core/webhook_events.py` turns a
state change into one delivery per subscribed endpoint, and the delivery task
(pipeline/webhook_delivery.py) sends it. Deliveries follow the Standard Webhooks specification
(headers `webhook-id`, `webhook-timestamp`, `webhook-signature`, secrets `whsec_` + base64), signed
by the `standardwebhooks` library in the delivery task; docs/webhooks.md is the receiver's guide.

Secrets are kept server-side only (the store's collection is closed to every client by
firestore.rules) and shown once, when an endpoint is created or its secret rotated. Rotation keeps the
previous secret valid for a bounded overlap (`overlap_seconds`, default 24 h, at most 7 days): during
it every delivery carries one signature per valid secret, space-separated as the specification
allows, so a receiver may switch its secret at any moment inside the overlap.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from .errors import DomainError

SECRET_PREFIX = "whsec_"  # noqa: S105 (the specification's prefix, not a secret)
SECRET_BYTES = 32
"""Random bytes per secret: inside the 24-64 the specification recommends."""
MAX_ENDPOINTS = 20
"""Endpoints per workspace: every state change reads them, so the list stays small."""
MAX_URL_CHARS = 2048
MAX_DESCRIPTION_CHARS = 200
DEFAULT_OVERLAP = timedelta(hours=24)
MAX_OVERLAP_SECONDS = 7 * 24 * 3600
MAX_KEPT_SECRETS = 2
"""The current secret and at most one previous one still in its overlap."""
MAX_PAYLOAD_BYTES = 4 * 1024
"""A payload carries ids and statuses only; this bound catches a mistake that would put more in it."""


class EventType(StrEnum):
    INTERVIEW_STARTED = "interview.started"
    INTERVIEW_COMPLETED = "interview.completed"
    REPORT_READY = "report.ready"
    INTERVIEW_CANCELLED = "interview.cancelled"
    INTERVIEW_DELETED = "interview.deleted"
    TEST = "webhook.test"
    """Sent only by "Send test event", to the one endpoint; never subscribed to."""


SUBSCRIBABLE = tuple(e for e in EventType if e is not EventType.TEST)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    FAILED = "failed"
    """Every attempt the queue allows was answered with an error: no more attempts."""
    REFUSED = "refused"
    """The target resolved to an address deliveries may not reach (docs/webhooks.md, SSRF rule)."""
    SKIPPED = "skipped"
    """The endpoint was deleted or disabled before the delivery ran."""


FINAL = frozenset(
    {DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.REFUSED, DeliveryStatus.SKIPPED}
)


class ErrorKind(StrEnum):
    """Why an attempt failed, in a word: the log never keeps an answer's body or an exception text."""

    HTTP_STATUS = "http_status"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    DNS = "dns"
    TLS = "tls"
    REFUSED_ADDRESS = "refused_address"
    INVALID_URL = "invalid_url"


# -- errors ---------------------------------------------------------------------------------------
class WebhookEndpointNotFound(DomainError):
    code = "not_found"
    default_message = "no such webhook endpoint"


class WebhookUrlRefused(DomainError):
    """The URL is malformed, or its host is (or resolves to) an address deliveries may not reach."""

    code = "webhook_url_refused"
    default_message = "this URL cannot receive webhooks"

    def __init__(self, message: str | None = None, *, field: str | None = "url") -> None:
        super().__init__(message, field=field)


# -- URLs and addresses ---------------------------------------------------------------------------
def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a webhook URL, or WebhookUrlRefused: http(s) only, a host, no
    credentials in the URL (they would be stored and shown like any other part of it)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise WebhookUrlRefused("the URL is not valid") from error
    if parts.scheme not in ("http", "https"):
        raise WebhookUrlRefused("the URL must start with https:// (or http://)")
    if not parts.hostname:
        raise WebhookUrlRefused("the URL has no host")
    if parts.username or parts.password:
        raise WebhookUrlRefused("the URL may not carry a user name or password")
    if parts.fragment:
        raise WebhookUrlRefused("the URL may not have a #fragment")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def address_refusal(address: str, *, allow_loopback: bool) -> str | None:
    """Why a delivery may not connect to this IP address, or None when it may.

    Private, loopback, link-local (cloud metadata lives there), reserved, multicast and unspecified
    addresses are internal to someone: a webhook aimed at them would let a workspace admin probe or
    reach services behind our network edge (SSRF). An IPv4 address inside IPv6 is judged as IPv4.
    `allow_loopback` is for the local stack only, so tests can run a receiver on 127.0.0.1.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    checks = (
        ("private", ip.is_private),
        ("link-local", ip.is_link_local),
        ("reserved", ip.is_reserved),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("not global", not ip.is_global),
    )
    return next((name for name, refused in checks if refused), None)


def allows_loopback(environment: str) -> bool:
    """Only the local stack may deliver to loopback; production (and anything unknown) may not."""
    return environment == "local"


# -- secrets --------------------------------------------------------------------------------------
class SigningSecret(BaseModel):
    """One signing secret of an endpoint; `expires_at` is set once a newer secret replaced it."""

    model_config = ConfigDict(extra="forbid")

    value: str
    created_at: datetime
    expires_at: datetime | None = None


def new_secret() -> str:
    """`whsec_` + base64 of 32 random bytes: the form `standardwebhooks.Webhook` reads."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def valid_secrets(kept: list[SigningSecret], now: datetime) -> list[SigningSecret]:
    """The secrets a delivery signs with at `now`: the current one and any still in their overlap."""
    return [s for s in kept if s.expires_at is None or s.expires_at > now]


def rotate(kept: list[SigningSecret], fresh: str, now: datetime, overlap: timedelta) -> list[SigningSecret]:
    """The secrets after a rotation: `fresh` first, the current one valid for `overlap` more
    (none with a zero overlap), and nothing older: one overlap at a time."""
    current = [s for s in valid_secrets(kept, now) if s.expires_at is None][:1]
    previous = [s.model_copy(update={"expires_at": now + overlap}) for s in current] if overlap else []
    return [SigningSecret(value=fresh, created_at=now), *previous][:MAX_KEPT_SECRETS]


# -- requests -------------------------------------------------------------------------------------
def _distinct(events: list[EventType]) -> list[EventType]:
    if not events:
        raise ValueError("choose at least one event")
    return sorted(set(events), key=SUBSCRIBABLE.index)


def _subscribable(event: EventType) -> EventType:
    if event not in SUBSCRIBABLE:
        raise ValueError(f"{event.value} cannot be subscribed to")
    return event


WebhookUrl = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=MAX_URL_CHARS)]
Events = Annotated[
    list[Annotated[EventType, AfterValidator(_subscribable)]],
    Field(min_length=1, max_length=len(SUBSCRIBABLE) * 2),
    AfterValidator(_distinct),
]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_DESCRIPTION_CHARS)]


class CreateEndpointRequest(BaseModel):
    """POST /api/workspace/webhooks."""

    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl
    events: Events
    description: Description = ""


class UpdateEndpointRequest(BaseModel):
    """PATCH /api/workspace/webhooks/{id}: only the named parts change."""

    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl | None = None
    events: Events | None = None
    description: Description | None = None
    enabled: StrictBool | None = None


class RotateSecretRequest(BaseModel):
    """POST /api/workspace/webhooks/{id}/rotate-secret: how long the current secret stays valid."""

    model_config = ConfigDict(extra="forbid")

    overlap_seconds: int = Field(
        int(DEFAULT_OVERLAP.total_seconds()), ge=0, le=MAX_OVERLAP_SECONDS, strict=True
    )


# -- stored shapes --------------------------------------------------------------------------------
class Endpoint(BaseModel):
    """workspaces/{wid}/webhook_endpoints/{id}."""

    model_config = ConfigDict(extra="ignore")

    id: str
    url: str
    events: list[EventType]
    description: str = ""
    enabled: bool = True
    secrets: list[SigningSecret] = Field(default_factory=list)
    created_at: datetime
    created_by: str
    updated_at: datetime

    def public_view(self, now: datetime) -> dict[str, Any]:
        """What admins see: never a secret, only how many are valid and until when the old one is."""
        valid = valid_secrets(self.secrets, now)
        previous = [s.expires_at for s in valid if s.expires_at is not None]
        return {
            "id": self.id,
            "url": self.url,
            "events": [e.value for e in self.events],
            "description": self.description,
            "enabled": self.enabled,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "previous_secret_expires_at": previous[0].isoformat() if previous else None,
        }


class Attempt(BaseModel):
    """One try of a delivery, as the log shows it: no body, no headers, no exception text."""

    model_config = ConfigDict(extra="forbid")

    attempt: int = Field(ge=1)
    at: datetime
    status_code: int | None = None
    duration_ms: float = Field(ge=0)
    error_kind: ErrorKind | None = None


class Delivery(BaseModel):
    """workspaces/{wid}/webhook_endpoints/{eid}/deliveries/{webhook id}."""

    model_config = ConfigDict(extra="ignore")

    id: str
    event_type: EventType
    body: str
    """The exact JSON text sent (and signed) on every attempt: ids and statuses only."""
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: list[Attempt] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime

    def public_view(self) -> dict[str, Any]:
        last = self.attempts[-1] if self.attempts else None
        return {
            "id": self.id,
            "event_type": self.event_type.value,
            "status": self.status.value,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "last_status_code": last.status_code if last else None,
            "attempts": [a.model_dump(mode="json") for a in self.attempts],
            "payload": json.loads(self.body),
        }


# -- what is sent ---------------------------------------------------------------------------------
def webhook_id(endpoint_id: str, event: EventType, subject: str) -> str:
    """The delivery's id and `webhook-id` header: the same event to the same endpoint always gets the
    same id, so emitting twice (a retried request, a sweep after the agent) creates one delivery and
    one task, and a receiver that saw it already can tell."""
    digest = hashlib.sha256(f"{endpoint_id}\n{event.value}\n{subject}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


def payload_body(event: EventType, data: dict[str, str | int | None], now: datetime) -> str:
    """The JSON body of a delivery, in the specification's recommended envelope `{type, timestamp,
    data}`. `data` holds ids and statuses: never names, emails, transcripts or scores' reasons."""
    body = json.dumps(
        {"type": event.value, "timestamp": now.isoformat(), "data": data},
        separators=(",", ":"),
        sort_keys=True,
    )
    if len(body.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError("a webhook payload is larger than its bound")
    return body


def after_attempt(ok: bool, kind: ErrorKind | None, *, last_attempt: bool) -> DeliveryStatus:
    """The delivery's status after one attempt: delivered, refused for good, failed on the queue's
    last attempt, else retrying (the task answers an error and Cloud Tasks tries again later)."""
    if ok:
        return DeliveryStatus.DELIVERED
    if kind in (ErrorKind.REFUSED_ADDRESS, ErrorKind.INVALID_URL):
        return DeliveryStatus.REFUSED
    return DeliveryStatus.FAILED if last_attempt else DeliveryStatus.RETRYING
