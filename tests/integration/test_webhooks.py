"""Outbound webhooks end to end (issue 23, item 2; docs/webhooks.md): endpoints managed through the api,
deliveries queued on the Cloud Tasks emulator, run by the `evaluate` function's delivery path, POSTed to
a real receiver on 127.0.0.1 and checked with the `standardwebhooks` library, as an applicant-tracking
system would check them.

The webhooks queue gets a short backoff for these tests (restored afterwards), so a retry comes in well
under a second instead of the production 30 s: nothing here sleeps for it.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.conftest import AuthEmulator, Recruiter
from tests.integration.teams_support import seed_interview

pytestmark = pytest.mark.integration

FAST_BACKOFF = (0.2, 1.0)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An applicant-tracking system's webhook receiver: answers each request with the next scripted
    status (then 200), and keeps what it received."""

    url: str
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 45.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"the receiver got {len(self.received)} of {count} deliveries"
                self.lock.wait(left)
            return list(self.received)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with state.lock:
                status = state.statuses.pop(0) if state.statuses else 200
                state.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                state.lock.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/interviews"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def fast_webhook_queue(stack: dict[str, str]) -> Iterator[None]:
    """The webhooks queue's production policy with a sub-second backoff (restored afterwards)."""
    from interview_core.adapters import clients, tasks
    from interview_core.queue_policy import WEBHOOK_RATE_LIMITS, WEBHOOK_RETRY, local_webhook_retry_policy
    from interview_core.settings import get_settings

    client, path = clients.tasks_client(), tasks.webhook_queue_path(get_settings())
    tasks.apply_queue_policy(client, path, WEBHOOK_RETRY.with_backoff(*FAST_BACKOFF), WEBHOOK_RATE_LIMITS)
    try:
        yield
    finally:
        tasks.apply_queue_policy(client, path, local_webhook_retry_policy(os.environ), WEBHOOK_RATE_LIMITS)


@pytest.fixture
def admin(auth_emulator: AuthEmulator) -> Recruiter:
    return auth_emulator.member("admin")


def create_endpoint(api_url: str, admin: Recruiter, url: str, events: list[str]) -> dict[str, Any]:
    response = requests.post(
        f"{api_url}/api/workspace/webhooks",
        json={"url": url, "events": events},
        headers=admin.headers,
        timeout=15,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def send_test(api_url: str, admin: Recruiter, endpoint_id: str) -> str:
    response = requests.post(
        f"{api_url}/api/workspace/webhooks/{endpoint_id}/test", headers=admin.headers, timeout=15
    )
    assert response.status_code == 202, response.text
    return str(response.json()["delivery_id"])


def deliveries(api_url: str, admin: Recruiter, endpoint_id: str, **params: Any) -> dict[str, Any]:
    response = requests.get(
        f"{api_url}/api/workspace/webhooks/{endpoint_id}/deliveries",
        params=params,
        headers=admin.headers,
        timeout=15,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def wait_until(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.2)


def verified(secret: str, received: Received) -> dict[str, Any]:
    return dict(Webhook(secret).verify(received.body, received.headers))


@pytest.mark.usefixtures("fast_webhook_queue")
def test_a_refused_delivery_is_retried_with_the_same_id_and_both_attempts_are_logged(
    api_url: str, admin: Recruiter, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    endpoint = create_endpoint(api_url, admin, receiver.url, ["interview.completed", "report.ready"])
    secret = endpoint["secret"]
    assert secret.startswith("whsec_")

    delivery_id = send_test(api_url, admin, endpoint["id"])
    first, retry = receiver.wait_for(2)

    assert first.headers["webhook-id"] == retry.headers["webhook-id"] == delivery_id
    for received in (first, retry):
        payload = verified(secret, received)  # standardwebhooks checks signature and timestamp
        assert payload["type"] == "webhook.test"
        assert payload["data"] == {"workspace_id": admin.workspace_id, "endpoint_id": endpoint["id"]}
    assert first.body == retry.body

    def logged() -> dict[str, Any] | None:
        found = deliveries(api_url, admin, endpoint["id"])["deliveries"]
        return found[0] if found and found[0]["status"] == "delivered" else None

    entry = wait_until(logged)
    assert entry["id"] == delivery_id
    assert entry["event_type"] == "webhook.test"
    assert [(a["attempt"], a["status_code"], a["error_kind"]) for a in entry["attempts"]] == [
        (1, 500, "http_status"),
        (2, 200, None),
    ]
    assert all(a["duration_ms"] >= 0 for a in entry["attempts"])
    assert entry["last_status_code"] == 200


@pytest.mark.usefixtures("fast_webhook_queue")
def test_retries_are_bounded_and_the_last_attempt_marks_the_delivery_failed(
    api_url: str, admin: Recruiter, receiver: Receiver, stack: dict[str, str]
) -> None:
    from interview_core.adapters import tasks
    from interview_core.queue_policy import WEBHOOK_RETRY
    from interview_core.settings import get_settings

    receiver.statuses = [503] * (WEBHOOK_RETRY.max_attempts + 2)
    endpoint = create_endpoint(api_url, admin, receiver.url, ["interview.completed"])
    delivery_id = send_test(api_url, admin, endpoint["id"])
    receiver.wait_for(WEBHOOK_RETRY.max_attempts, timeout=90)
    idle = requests.get(
        f"http://{stack['CLOUD_TASKS_EMULATOR_HOST']}/emulator/{tasks.webhook_queue_path(get_settings())}:waitIdle",
        timeout=60,
    )
    assert idle.status_code == 204, idle.text

    assert len(receiver.received) == WEBHOOK_RETRY.max_attempts  # the queue stopped after the last one
    assert {r.headers["webhook-id"] for r in receiver.received} == {delivery_id}
    (entry,) = deliveries(api_url, admin, endpoint["id"])["deliveries"]
    assert entry["status"] == "failed"
    assert [a["attempt"] for a in entry["attempts"]] == list(range(1, WEBHOOK_RETRY.max_attempts + 1))
    assert {a["status_code"] for a in entry["attempts"]} == {503}


@pytest.mark.usefixtures("fast_webhook_queue")
def test_a_cancel_emits_one_event_with_ids_and_status_only(
    api_url: str, admin: Recruiter, receiver: Receiver, store: Any
) -> None:
    endpoint = create_endpoint(api_url, admin, receiver.url, ["interview.cancelled"])
    interview_id, _ = seed_interview(store, admin.workspace_id, admin.uid)

    for _ in range(2):  # a repeated cancel is harmless, and is the same event
        response = requests.post(
            f"{api_url}/api/interviews/{interview_id}/cancel", headers=admin.headers, timeout=15
        )
        assert response.status_code == 200, response.text
    (received,) = receiver.wait_for(1)

    payload = verified(endpoint["secret"], received)
    assert payload["type"] == "interview.cancelled"
    assert payload["data"] == {
        "interview_id": interview_id,
        "workspace_id": admin.workspace_id,
        "status": "cancelled",
    }
    assert b"Ada" not in received.body
    assert b"example.com" not in received.body
    assert len(deliveries(api_url, admin, endpoint["id"])["deliveries"]) == 1


@pytest.mark.usefixtures("fast_webhook_queue")
def test_an_interview_emits_started_completed_and_report_ready_once_each(
    api_url: str, admin: Recruiter, receiver: Receiver, store: Any
) -> None:
    """The candidate's first token (a rejoin's is not another start), the agent's completion (its
    retry is not another completion), and the report that evaluate then writes."""
    from interview_core.domain.models import InterviewStatus
    from tests.integration.conftest import signed_webhook

    endpoint = create_endpoint(
        api_url, admin, receiver.url, ["interview.started", "interview.completed", "report.ready"]
    )
    interview_id, secret = seed_interview(store, admin.workspace_id, admin.uid)
    for _ in range(2):
        token = requests.post(
            f"{api_url}/api/interviews/{interview_id}/token",
            json={"invite": secret, "consent": {"version": "en-1", "language": "en"}},
            timeout=15,
        )
        assert token.status_code == 200, token.text
    store.update_in_transaction(  # the agent's begin: the candidate is in the room
        interview_id, lambda i: {"status": InterviewStatus.IN_PROGRESS, "started_at": datetime.now(UTC)}
    )
    for _ in range(2):
        done = signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"})
        assert done.status_code == 200, done.text

    received = receiver.wait_for(3, timeout=90)
    payloads = {p["type"]: p for p in (verified(endpoint["secret"], r) for r in received)}
    assert set(payloads) == {"interview.started", "interview.completed", "report.ready"}
    assert payloads["interview.started"]["data"]["status"] == "in_progress"
    assert payloads["interview.completed"]["data"]["end_reason"] == "completed"
    assert payloads["report.ready"]["data"] == {
        "interview_id": interview_id,
        "workspace_id": admin.workspace_id,
        "status": "evaluated",
        "generation": 1,
    }
    assert {p["data"]["interview_id"] for p in payloads.values()} == {interview_id}
    assert len(deliveries(api_url, admin, endpoint["id"])["deliveries"]) == 3


@pytest.mark.usefixtures("fast_webhook_queue")
def test_an_endpoint_gets_only_the_events_it_subscribed_to(
    api_url: str, admin: Recruiter, receiver: Receiver, store: Any
) -> None:
    endpoint = create_endpoint(api_url, admin, receiver.url, ["report.ready"])
    interview_id, _ = seed_interview(store, admin.workspace_id, admin.uid)
    response = requests.post(
        f"{api_url}/api/interviews/{interview_id}/cancel", headers=admin.headers, timeout=15
    )
    assert response.status_code == 200, response.text
    assert deliveries(api_url, admin, endpoint["id"])["deliveries"] == []


@pytest.mark.usefixtures("fast_webhook_queue")
def test_rotation_overlaps_then_the_old_secret_is_refused(
    api_url: str, admin: Recruiter, receiver: Receiver
) -> None:
    endpoint = create_endpoint(api_url, admin, receiver.url, ["interview.started"])
    first_secret = endpoint["secret"]
    rotate = f"{api_url}/api/workspace/webhooks/{endpoint['id']}/rotate-secret"

    rotated = requests.post(rotate, json={}, headers=admin.headers, timeout=15)
    assert rotated.status_code == 200, rotated.text
    second_secret = rotated.json()["secret"]
    assert second_secret != first_secret
    assert rotated.json()["previous_secret_expires_at"] is not None
    send_test(api_url, admin, endpoint["id"])
    (during,) = receiver.wait_for(1)
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    verified(first_secret, during)  # the overlap: a receiver still on the old secret keeps working
    verified(second_secret, during)

    ended = requests.post(rotate, json={"overlap_seconds": 0}, headers=admin.headers, timeout=15)
    assert ended.status_code == 200, ended.text
    third_secret = ended.json()["secret"]
    send_test(api_url, admin, endpoint["id"])
    after = receiver.wait_for(2)[1]
    verified(third_secret, after)
    for old in (first_secret, second_secret):
        with pytest.raises(WebhookVerificationError):
            verified(old, after)

    listed = requests.get(f"{api_url}/api/workspace/webhooks", headers=admin.headers, timeout=15)
    assert listed.status_code == 200
    assert not any(s in listed.text for s in (first_secret, second_secret, third_secret))  # shown once only

    audit = requests.get(f"{api_url}/api/workspace/audit", headers=admin.headers, timeout=15).json()[
        "entries"
    ]
    mine = [e for e in audit if e["target"] == endpoint["id"]]
    assert [e["action"] for e in mine] == [
        "webhook.secret_rotated",
        "webhook.secret_rotated",
        "webhook.created",
    ]
    assert [e["detail"].get("overlap_seconds") for e in mine[:2]] == [0, 86400]
    assert not any(first_secret in json.dumps(e) or receiver.url in json.dumps(e) for e in mine)


def test_only_admins_manage_webhooks(
    api_url: str, admin: Recruiter, auth_emulator: AuthEmulator, receiver: Receiver
) -> None:
    endpoint = create_endpoint(api_url, admin, receiver.url, ["interview.completed"])
    base = f"{api_url}/api/workspace/webhooks"
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", base, None),
        ("POST", base, {"url": receiver.url, "events": ["interview.completed"]}),
        ("PATCH", f"{base}/{endpoint['id']}", {"enabled": False}),
        ("DELETE", f"{base}/{endpoint['id']}", None),
        ("POST", f"{base}/{endpoint['id']}/rotate-secret", {}),
        ("POST", f"{base}/{endpoint['id']}/test", None),
        ("GET", f"{base}/{endpoint['id']}/deliveries", None),
    ]
    assert admin.workspace_id is not None
    recruiter = auth_emulator.add(admin.workspace_id, auth_emulator.verified(), "recruiter")
    outsider = auth_emulator.member("admin")  # an admin of another team
    for method, url, body in calls:
        refused = requests.request(method, url, json=body, headers=recruiter.headers, timeout=15)
        assert refused.status_code == 403, (method, url, refused.text)
        assert refused.json()["code"] == "forbidden"
        if url != base:
            hidden = requests.request(method, url, json=body, headers=outsider.headers, timeout=15)
            assert hidden.status_code == 404, (method, url, hidden.text)
    assert receiver.received == []
    assert requests.get(base, headers=admin.headers, timeout=15).json()["endpoints"][0]["enabled"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/hook", "events": ["report.ready"]}, "url"),
        ({"url": "https://user:pw@example.com/hook", "events": ["report.ready"]}, "url"),
        ({"url": "http://10.1.2.3/hook", "events": ["report.ready"]}, "url"),
        ({"url": "http://169.254.169.254/computeMetadata/v1/", "events": ["report.ready"]}, "url"),
        ({"url": "http://[::ffff:192.168.0.1]/hook", "events": ["report.ready"]}, "url"),
        ({"url": "https://example.com/hook", "events": []}, "events"),
        ({"url": "https://example.com/hook", "events": ["interview.exploded"]}, "events.0"),
        ({"url": "https://example.com/hook", "events": ["webhook.test"]}, "events.0"),
        ({"url": "https://example.com/hook", "events": ["report.ready"], "secret": "mine"}, "secret"),
    ],
)
def test_bad_endpoints_are_refused_with_the_field(
    api_url: str, admin: Recruiter, body: dict[str, Any], field: str
) -> None:
    response = requests.post(
        f"{api_url}/api/workspace/webhooks", json=body, headers=admin.headers, timeout=15
    )
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["field"] == field
    assert requests.get(f"{api_url}/api/workspace/webhooks", headers=admin.headers, timeout=15).json() == {
        "endpoints": []
    }


def test_production_refuses_loopback_targets_named_or_resolved(
    api_url: str, admin: Recruiter, receiver: Receiver
) -> None:
    """The delivery task itself, run with production settings against a real receiver on loopback:
    refused before any connection, for the address and for a name that resolves to it."""
    from interview_core.adapters.webhook_store import default_webhook_store
    from interview_core.domain.webhooks import Delivery, EventType, payload_body, webhook_id
    from interview_core.settings import get_settings
    from pipeline.webhook_delivery import DeliveryTaskBody, deliver

    production = get_settings().model_copy(update={"environment": "production"})
    port = receiver.url.split(":")[2].split("/")[0]
    assert admin.workspace_id is not None
    for url in (receiver.url, f"http://localhost:{port}/hooks"):
        endpoint = create_endpoint(api_url, admin, url, ["interview.deleted"])  # allowed locally
        now = datetime.now(UTC)
        delivery = Delivery(
            id=webhook_id(endpoint["id"], EventType.INTERVIEW_DELETED, "probe"),
            event_type=EventType.INTERVIEW_DELETED,
            body=payload_body(EventType.INTERVIEW_DELETED, {"interview_id": "probe"}, now),
            created_at=now,
            updated_at=now,
        )
        default_webhook_store().create_delivery(admin.workspace_id, endpoint["id"], delivery)
        task = DeliveryTaskBody(
            workspace_id=admin.workspace_id, endpoint_id=endpoint["id"], delivery_id=delivery.id
        )

        assert deliver(task, 0, production, now) == (200, "refused")

        (entry,) = deliveries(api_url, admin, endpoint["id"])["deliveries"]
        assert entry["status"] == "refused"
        assert [(a["status_code"], a["error_kind"]) for a in entry["attempts"]] == [(None, "refused_address")]
    assert receiver.received == []  # nothing ever reached the receiver


def test_the_delivery_log_pages(api_url: str, admin: Recruiter, receiver: Receiver) -> None:
    endpoint = create_endpoint(api_url, admin, receiver.url, ["interview.completed"])
    sent = {send_test(api_url, admin, endpoint["id"]) for _ in range(3)}
    first = deliveries(api_url, admin, endpoint["id"], page_size=2)
    assert len(first["deliveries"]) == 2
    assert first["next_page_token"]
    second = deliveries(api_url, admin, endpoint["id"], page_size=2, page_token=first["next_page_token"])
    assert second["next_page_token"] is None
    assert {d["id"] for d in first["deliveries"] + second["deliveries"]} == sent
    bad = requests.get(
        f"{api_url}/api/workspace/webhooks/{endpoint['id']}/deliveries",
        params={"page_token": "bm9wZQ"},
        headers=admin.headers,
        timeout=15,
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"
    too_many = requests.get(
        f"{api_url}/api/workspace/webhooks/{endpoint['id']}/deliveries",
        params={"page_size": 51},
        headers=admin.headers,
        timeout=15,
    )
    assert too_many.status_code == 400
    receiver.wait_for(3)


def test_a_deleted_endpoint_takes_its_log_with_it(api_url: str, admin: Recruiter, receiver: Receiver) -> None:
    endpoint = create_endpoint(api_url, admin, receiver.url, ["interview.completed"])
    url = f"{api_url}/api/workspace/webhooks/{endpoint['id']}"
    assert requests.delete(url, headers=admin.headers, timeout=15).status_code == 204
    assert requests.get(f"{url}/deliveries", headers=admin.headers, timeout=15).status_code == 404
    assert requests.delete(url, headers=admin.headers, timeout=15).status_code == 404
    assert json.loads(
        requests.get(f"{api_url}/api/workspace/webhooks", headers=admin.headers, timeout=15).text
    ) == {"endpoints": []}
