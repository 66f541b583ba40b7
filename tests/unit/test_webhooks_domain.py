"""Outbound webhooks' pure rules (functions/interview_core/domain/webhooks.py): the SSRF address rule,
secret rotation with its overlap (on an injected clock), delivery ids, payloads and delivery states."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from interview_core.domain.webhooks import (
    MAX_KEPT_SECRETS,
    CreateEndpointRequest,
    DeliveryStatus,
    ErrorKind,
    EventType,
    SigningSecret,
    WebhookUrlRefused,
    address_refusal,
    after_attempt,
    allows_loopback,
    check_url,
    new_secret,
    payload_body,
    rotate,
    valid_secrets,
    webhook_id,
)

T0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.9.9.9",
        "::1",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "fe80::1",
        "fc00::1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "240.0.0.1",  # reserved
        "::ffff:10.0.0.1",  # IPv4-mapped
        "::ffff:127.0.0.1",
        "2002:a00:1::",  # 6to4 of 10.0.0.1
    ],
)
def test_internal_addresses_are_refused_in_production(address: str) -> None:
    assert address_refusal(address, allow_loopback=False) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_refusal(address, allow_loopback=False) is None


def test_only_the_local_stack_allows_loopback_and_nothing_else_internal() -> None:
    assert allows_loopback("local")
    assert not allows_loopback("production")
    assert address_refusal("127.0.0.1", allow_loopback=True) is None
    assert address_refusal("::1", allow_loopback=True) is None
    assert address_refusal("10.0.0.1", allow_loopback=True) == "private"
    assert address_refusal("127.0.0.1", allow_loopback=False) == "loopback"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "https://",
        "https://u:p@example.com/",
        "https://example.com/#x",
        "https://a:99999/",
    ],
)
def test_malformed_urls_are_refused(url: str) -> None:
    with pytest.raises(WebhookUrlRefused):
        check_url(url)


def test_urls_name_their_default_port() -> None:
    assert check_url("https://ats.example.com/hooks?x=1") == ("https", "ats.example.com", 443)
    assert check_url("http://ats.example.com:8080/") == ("http", "ats.example.com", 8080)


def test_secrets_are_whsec_and_32_random_bytes() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert new_secret() != secret


def test_rotation_keeps_the_old_secret_for_the_overlap_only() -> None:
    kept = [SigningSecret(value="whsec_old", created_at=T0)]
    rotated = rotate(kept, "whsec_new", T0, timedelta(hours=24))
    assert [s.value for s in valid_secrets(rotated, T0 + timedelta(hours=23, minutes=59))] == [
        "whsec_new",
        "whsec_old",
    ]
    assert [s.value for s in valid_secrets(rotated, T0 + timedelta(hours=24))] == ["whsec_new"]


def test_rotation_without_overlap_drops_the_old_secret_at_once() -> None:
    kept = [SigningSecret(value="whsec_old", created_at=T0)]
    assert [s.value for s in rotate(kept, "whsec_new", T0, timedelta(0))] == ["whsec_new"]


def test_a_second_rotation_inside_the_overlap_keeps_one_previous_secret() -> None:
    once = rotate([SigningSecret(value="a", created_at=T0)], "b", T0, timedelta(hours=1))
    twice = rotate(once, "c", T0 + timedelta(minutes=5), timedelta(hours=1))
    assert [s.value for s in twice] == ["c", "b"]
    assert len(twice) <= MAX_KEPT_SECRETS


def test_the_webhook_id_is_the_same_for_the_same_event_and_differs_otherwise() -> None:
    first = webhook_id("ep1", EventType.REPORT_READY, "iv1:1")
    assert first == webhook_id("ep1", EventType.REPORT_READY, "iv1:1")
    assert first.startswith("msg_")
    assert first != webhook_id("ep1", EventType.REPORT_READY, "iv1:2")
    assert first != webhook_id("ep2", EventType.REPORT_READY, "iv1:1")
    assert first != webhook_id("ep1", EventType.INTERVIEW_COMPLETED, "iv1:1")


def test_the_payload_is_the_standard_envelope_and_bounded() -> None:
    body = json.loads(payload_body(EventType.INTERVIEW_COMPLETED, {"interview_id": "iv1"}, T0))
    assert body == {
        "type": "interview.completed",
        "timestamp": T0.isoformat(),
        "data": {"interview_id": "iv1"},
    }
    with pytest.raises(ValueError, match="larger"):
        payload_body(EventType.INTERVIEW_COMPLETED, {"x": "y" * 5000}, T0)


@pytest.mark.parametrize(
    ("ok", "kind", "last", "status"),
    [
        (True, None, False, DeliveryStatus.DELIVERED),
        (False, ErrorKind.HTTP_STATUS, False, DeliveryStatus.RETRYING),
        (False, ErrorKind.TIMEOUT, True, DeliveryStatus.FAILED),
        (False, ErrorKind.REFUSED_ADDRESS, False, DeliveryStatus.REFUSED),
        (False, ErrorKind.INVALID_URL, False, DeliveryStatus.REFUSED),
    ],
)
def test_delivery_state_after_an_attempt(
    ok: bool, kind: ErrorKind | None, last: bool, status: DeliveryStatus
) -> None:
    assert after_attempt(ok, kind, last_attempt=last) == status


def test_events_are_deduplicated_in_order_and_the_test_event_is_not_subscribable() -> None:
    request = CreateEndpointRequest(
        url="https://ats.example.com/h", events=["report.ready", "interview.started", "report.ready"]
    )
    assert request.events == [EventType.INTERVIEW_STARTED, EventType.REPORT_READY]
    with pytest.raises(ValidationError):
        CreateEndpointRequest(url="https://ats.example.com/h", events=["webhook.test"])
    with pytest.raises(ValidationError):
        CreateEndpointRequest(url="https://ats.example.com/h", events=[])
