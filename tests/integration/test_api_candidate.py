"""Candidate routes: token minting from the invite secret, and latency metrics."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from livekit import api

from tests.conftest import Recruiter

CONSENT = {"version": "en-1", "language": "en"}
"""What the candidate page sends with its token request once the candidate accepted the consent."""


def token_url(api_url: str, interview_id: str) -> str:
    return f"{api_url}/api/interviews/{interview_id}/token"


def test_token_grants_exactly_one_room_microphone_only(
    api_url: str, stack: dict[str, str], recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    created = create_interview(recruiter)
    response = requests.post(
        token_url(api_url, created["id"]), json={"invite": created["secret"], "consent": CONSENT}, timeout=10
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["livekit_url"] == stack["LIVEKIT_URL"]
    assert body["room"] == f"interview-{created['id']}"

    claims = api.TokenVerifier(stack["LIVEKIT_API_KEY"], stack["LIVEKIT_API_SECRET"]).verify(body["token"])
    assert claims.identity == f"candidate-{created['id']}"
    grants = claims.video
    assert grants is not None
    assert grants.room_join is True
    assert grants.room == f"interview-{created['id']}"
    assert grants.can_publish is True
    assert grants.can_publish_sources == ["microphone"]
    assert grants.can_subscribe is True
    assert grants.can_publish_data is False
    assert not grants.room_admin
    assert not grants.room_create
    assert not grants.room_list
    assert not grants.room_record
    assert not grants.can_update_own_metadata
    assert claims.room_config is not None
    agents = list(claims.room_config.agents)
    assert [a.agent_name for a in agents] == ["interviewer"]
    metadata = json.loads(agents[0].metadata)
    # Only the interview id, and the W3C traceparent of its trace when traces are on: nothing private.
    assert set(metadata) <= {"interview_id", "traceparent"}
    assert metadata["interview_id"] == created["id"]
    if "traceparent" in metadata:
        assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]", metadata["traceparent"])
    # Short-lived: minutes, not hours. (TokenVerifier checked the signature and expiry.)
    import jwt

    raw = jwt.decode(body["token"], options={"verify_signature": False})
    assert 60 <= raw["exp"] - raw["nbf"] <= 60 * 60
    assert created["secret"] not in body["token"]


def test_a_warm_token_takes_the_live_slot_and_carries_the_warm_attribute(
    api_url: str,
    stack: dict[str, str],
    recruiter: Recruiter,
    create_interview: Callable[..., dict[str, Any]],
    store: Any,
) -> None:
    """The page's join during the microphone check (the warm start): the first token, so it records the
    consent and takes the team's live slot, and the agent learns from the token to wait for Start."""
    from interview_core.adapters.livekit_tokens import WARM_ATTRIBUTE

    created = create_interview(recruiter)
    url = token_url(api_url, created["id"])
    warm = requests.post(
        url, json={"invite": created["secret"], "consent": CONSENT, "warm": True}, timeout=10
    )
    assert warm.status_code == 200, warm.text
    verifier = api.TokenVerifier(stack["LIVEKIT_API_KEY"], stack["LIVEKIT_API_SECRET"])
    assert verifier.verify(warm.json()["token"]).attributes == {WARM_ATTRIBUTE: "1"}
    stored = store.get(created["id"])
    assert stored.status == "invited", "a warm join does not start the interview"
    assert stored.consent is not None, "the warm token recorded the consent"
    assert stored.live_since is not None, "the warm join holds the team's live slot"
    cold = requests.post(url, json={"invite": created["secret"]}, timeout=10)
    assert cold.status_code == 200, cold.text
    assert not verifier.verify(cold.json()["token"]).attributes
    refused = requests.post(url, json={"invite": created["secret"], "warm": "yes"}, timeout=10)
    assert refused.status_code == 422, refused.text


def test_wrong_secret_and_unknown_interview_are_403(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    created = create_interview(recruiter)
    wrong = requests.post(
        token_url(api_url, created["id"]), json={"invite": "x" * 43, "consent": CONSENT}, timeout=10
    )
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "invalid_invite"
    unknown = requests.post(
        token_url(api_url, "nosuchinterview"),
        json={"invite": created["secret"], "consent": CONSENT},
        timeout=10,
    )
    assert unknown.status_code == 403
    short = requests.post(
        token_url(api_url, created["id"]), json={"invite": "short", "consent": CONSENT}, timeout=10
    )
    assert short.status_code == 422
    assert short.json()["error"]["field"] == "invite"


def test_expired_used_up_and_cancelled_invites_are_410(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    expired = create_interview(recruiter)
    store.interview_ref(expired["id"]).update({"invite.expires_at": datetime.now(UTC) - timedelta(minutes=1)})
    response = requests.post(
        token_url(api_url, expired["id"]), json={"invite": expired["secret"], "consent": CONSENT}, timeout=10
    )
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "invite_expired"

    used = create_interview(recruiter, options={"invite_max_uses": 2})
    for _ in range(2):
        ok = requests.post(
            token_url(api_url, used["id"]), json={"invite": used["secret"], "consent": CONSENT}, timeout=10
        )
        assert ok.status_code == 200
    used_up = requests.post(
        token_url(api_url, used["id"]), json={"invite": used["secret"], "consent": CONSENT}, timeout=10
    )
    assert used_up.status_code == 410
    assert used_up.json()["error"]["code"] == "invite_used_up"
    assert store.get(used["id"]).invite.uses == 2

    cancelled = create_interview(recruiter)
    requests.post(f"{api_url}/api/interviews/{cancelled['id']}/cancel", headers=recruiter.headers, timeout=10)
    gone = requests.post(
        token_url(api_url, cancelled["id"]),
        json={"invite": cancelled["secret"], "consent": CONSENT},
        timeout=10,
    )
    assert gone.status_code == 410


def test_finished_interview_is_409(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    created = create_interview(recruiter)
    store.interview_ref(created["id"]).update({"status": "completed"})
    response = requests.post(
        token_url(api_url, created["id"]), json={"invite": created["secret"], "consent": CONSENT}, timeout=10
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "interview_finished"


def test_token_requests_are_rate_limited_per_interview(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    limited = create_interview(recruiter)
    other = create_interview(recruiter)
    statuses = [
        requests.post(
            token_url(api_url, limited["id"]),
            json={"invite": limited["secret"], "consent": CONSENT},
            timeout=10,
        ).status_code
        for _ in range(8)
    ]
    assert statuses[:6] == [200] * 6
    assert statuses[6:] == [429, 429]
    throttled = requests.post(
        token_url(api_url, limited["id"]), json={"invite": limited["secret"], "consent": CONSENT}, timeout=10
    )
    assert int(throttled.headers["Retry-After"]) >= 1
    # The limit is per interview: another interview is unaffected.
    assert requests.post(
        token_url(api_url, other["id"]), json={"invite": other["secret"], "consent": CONSENT}, timeout=10
    ).ok


def test_concurrent_token_requests_never_exceed_max_uses(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    created = create_interview(recruiter, options={"invite_max_uses": 3})

    def ask(_: int) -> int:
        url = token_url(api_url, created["id"])
        return requests.post(
            url, json={"invite": created["secret"], "consent": CONSENT}, timeout=30
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(ask, range(6)))
    assert statuses.count(200) == 3, statuses
    assert store.get(created["id"]).invite.uses == 3


def test_latency_metrics_are_validated_bounded_and_stored(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    created = create_interview(recruiter)
    store.interview_ref(created["id"]).update({"status": "in_progress"})
    url = f"{api_url}/api/metrics/latency"
    samples = [{"kind": "agent_response", "ms": 400 + n} for n in range(60)]
    ok = requests.post(
        url, json={"interview_id": created["id"], "invite": created["secret"], "samples": samples}, timeout=10
    )
    assert ok.status_code == 202, ok.text
    stored = store.get(created["id"]).metrics["client"]["agent_response"]
    assert stored["count"] == 60
    assert stored["max_ms"] == 459
    assert len(stored["recent_ms"]) == 50  # bounded

    wrong = requests.post(
        url, json={"interview_id": created["id"], "invite": "y" * 43, "samples": samples[:1]}, timeout=10
    )
    assert wrong.status_code == 403
    too_many = requests.post(
        url,
        json={"interview_id": created["id"], "invite": created["secret"], "samples": samples * 2},
        timeout=10,
    )
    assert too_many.status_code == 422
    assert too_many.json()["error"]["field"] == "samples"
    absurd = requests.post(
        url,
        json={
            "interview_id": created["id"],
            "invite": created["secret"],
            "samples": [{"kind": "agent_response", "ms": -5}],
        },
        timeout=10,
    )
    assert absurd.status_code == 422
    huge = requests.post(
        url, data=b"{" + b" " * 20_000 + b"}", headers={"Content-Type": "application/json"}, timeout=10
    )
    assert huge.status_code == 413


def test_latency_metrics_are_taken_only_while_live_bounded_and_leave_updated_at(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    """Telemetry is not activity: an interview that is not live refuses samples, and samples for a
    live one never move `updated_at`, which the sweeper judges abandonment by."""
    created = create_interview(recruiter)
    ref = store.interview_ref(created["id"])
    url = f"{api_url}/api/metrics/latency"

    def send(count: int = 1) -> requests.Response:
        samples = [{"kind": "agent_response", "ms": 300.0}] * count
        body = {"interview_id": created["id"], "invite": created["secret"], "samples": samples}
        return requests.post(url, json=body, timeout=10)

    not_joined = send()
    assert (not_joined.status_code, not_joined.json()["code"]) == (409, "interview_not_live")
    assert "client" not in store.get(created["id"]).metrics

    # The candidate's first token takes the live slot: the room is live before the agent starts.
    token = {"invite": created["secret"], "consent": CONSENT}
    assert requests.post(token_url(api_url, created["id"]), json=token, timeout=10).ok
    assert send(3).status_code == 202
    ref.update({"status": "in_progress"})
    before = ref.get().to_dict()["updated_at"]
    assert send(2).status_code == 202
    assert ref.get().to_dict()["updated_at"] == before
    assert store.get(created["id"]).metrics["client"]["agent_response"]["count"] == 5

    # Bounded per interview (LATENCY_SAMPLES_PER_INTERVIEW, 2,000 by default), all kinds together.
    ref.update({"metrics.client.agent_response.count": 1_999})
    full = send(2)
    assert (full.status_code, full.json()["code"]) == (409, "limit_reached")
    assert send(1).status_code == 202

    for finished in ("completed", "evaluated", "cancelled", "expired"):
        ref.update({"status": finished})
        refused = send()
        assert (refused.status_code, refused.json()["code"]) == (409, "interview_not_live"), finished
    assert store.get(created["id"]).metrics["client"]["agent_response"]["count"] == 2_000


def test_invite_info_shows_the_welcome_details_without_using_the_invite(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    created = create_interview(recruiter, duration_minutes=25, options={"invite_max_uses": 1})
    url = f"{api_url}/api/interviews/{created['id']}/invite"
    for _ in range(3):
        response = requests.post(url, json={"invite": created["secret"]}, timeout=10)
        assert response.status_code == 200, response.text
    body = response.json()
    assert body["duration_minutes"] == 25
    assert body["candidate_name"] == "Ada Lovelace"
    assert body["role"] == "Senior Data Engineer"
    assert body["status"] == "invited"
    assert "email" not in json.dumps(body)  # the page needs no more than this
    assert store.get(created["id"]).invite.uses == 0
    assert requests.post(url, json={"invite": "z" * 43}, timeout=10).status_code == 403
    assert requests.post(
        token_url(api_url, created["id"]), json={"invite": created["secret"], "consent": CONSENT}, timeout=10
    ).ok
    used_up = requests.post(url, json={"invite": created["secret"]}, timeout=10)
    assert used_up.status_code == 410
    assert used_up.json()["error"]["code"] == "invite_used_up"
