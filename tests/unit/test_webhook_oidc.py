"""The completion webhook in the cloud's mode (WEBHOOK_AUTH=oidc): the agent's token is checked by
the same verifier as evaluate's and sweep's callers; every refusal happens before anything is read."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from interview_core.adapters import oidc
from interview_core.domain import webhook_signature
from interview_core.settings import get_settings
from tests.oidc_issuer import (
    AGENT_ACCOUNT,
    WEBHOOK_AUDIENCE,
    WEBHOOK_PATH,
    LocalIssuer,
    new_key,
    webhook_in_oidc_mode,
)

NOTICE = {"interview_id": "abc123", "end_reason": "completed"}


@pytest.fixture
def issuer(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalIssuer]:
    monkeypatch.setattr(oidc, "MIN_REFRESH_INTERVAL_SECONDS", 0.0)
    served = LocalIssuer(WEBHOOK_AUDIENCE, AGENT_ACCOUNT)
    yield served
    served.stop()
    get_settings.cache_clear()


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch, issuer: LocalIssuer) -> Any:
    return webhook_in_oidc_mode(monkeypatch, issuer)


def _post(client: Any, token: str | None, body: Any = NOTICE, **headers: str) -> Any:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(WEBHOOK_PATH, data=json.dumps(body), headers=headers, content_type="application/json")


def _error(response: Any) -> tuple[int, str]:
    return response.status_code, response.get_json()["error"]["code"]


def test_the_agents_token_passes_authentication(client: Any, issuer: LocalIssuer) -> None:
    """A body that fails validation answers 422, which only happens after the caller was accepted
    (nothing is read from Firestore on the way)."""
    assert _error(_post(client, issuer.token(), body={"interview_id": "abc123"})) == (422, "invalid_field")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda i: None, (401, "unauthenticated")),
        (lambda i: i.token(aud="https://evaluate.example.run.app"), (401, "unauthenticated")),
        (lambda i: i.token(iss="https://accounts.google.com"), (401, "unauthenticated")),
        (lambda i: i.token(exp=int(time.time()) - 60, iat=int(time.time()) - 900), (401, "unauthenticated")),
        (lambda i: i.token(key=new_key()), (401, "unauthenticated")),
        (lambda i: i.token(email="intruder@demo-interviewer.iam.gserviceaccount.com"), (403, "forbidden")),
    ],
    ids=["missing", "wrong-audience", "wrong-issuer", "expired", "bad-signature", "other-account"],
)
def test_tokens_that_are_not_the_agents_for_this_webhook_are_refused(
    client: Any, issuer: LocalIssuer, make: Any, expected: tuple[int, str]
) -> None:
    assert _error(_post(client, make(issuer))) == expected


def test_the_local_hmac_is_not_accepted_in_oidc_mode(client: Any) -> None:
    raw = json.dumps(NOTICE).encode()
    ts = int(time.time())
    signed = {
        webhook_signature.TIMESTAMP_HEADER: str(ts),
        webhook_signature.SIGNATURE_HEADER: webhook_signature.sign("local-webhook-secret", ts, raw),
    }
    assert _error(_post(client, None, **signed)) == (401, "unauthenticated")


def test_keys_that_cannot_be_fetched_answer_503_so_the_agent_retries(
    client: Any, issuer: LocalIssuer
) -> None:
    issuer.failing = True
    response = _post(client, issuer.token())
    assert _error(response) == (503, "unavailable")
    assert response.headers["Retry-After"] == "5"
    issuer.failing = False
    assert _error(_post(client, issuer.token(), body={})) == (422, "invalid_field")


@pytest.mark.parametrize("unset", ["WEBHOOK_OIDC_AUDIENCE", "AGENT_SERVICE_ACCOUNT"])
def test_without_an_audience_or_an_account_every_call_is_refused(
    client: Any, issuer: LocalIssuer, monkeypatch: pytest.MonkeyPatch, unset: str
) -> None:
    monkeypatch.delenv(unset)
    get_settings.cache_clear()
    assert _error(_post(client, issuer.token())) == (503, "not_configured")
    assert issuer.fetches == []
