"""OIDC verification against an issuer's discovery document and JWKS, with a fake issuer in memory."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from interview_core.adapters import oidc

ISSUER = "http://issuer.test"
AUDIENCE = "https://evaluate.example.run.app"
EMAIL = "tasks-invoker@demo.iam.gserviceaccount.com"


class FakeIssuer:
    """Serves discovery and JWKS to the verifier's transport, counting fetches."""

    def __init__(self) -> None:
        self.fetches: list[str] = []
        self.rotate()

    def rotate(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = f"k{time.monotonic_ns()}"

    def respond(self, url: str) -> tuple[int, bytes]:
        self.fetches.append(url)
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return 200, json.dumps({"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"}).encode()
        if url == f"{ISSUER}/jwks":
            jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
            jwk.update(kid=self.kid, alg="RS256", use="sig")
            return 200, json.dumps({"keys": [jwk]}).encode()
        return 404, b""

    def token(self, key: Any = None, kid: str | None = None, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "email": EMAIL,
            "email_verified": True,
            "iat": now,
            "exp": now + 300,
        }
        claims.update(overrides)
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})


class _Response:
    def __init__(self, status: int, data: bytes) -> None:
        self.status, self.data, self.headers = status, data, {}


@pytest.fixture
def issuer(monkeypatch: pytest.MonkeyPatch) -> FakeIssuer:
    fake = FakeIssuer()

    class Transport:
        def __call__(self, url: str, method: str = "GET", **_: Any) -> _Response:
            return _Response(*fake.respond(url))

    monkeypatch.setattr(oidc.google.auth.transport.requests, "Request", Transport)
    monkeypatch.setattr(oidc, "MIN_REFRESH_INTERVAL_SECONDS", 0.0)
    return fake


def verify(token: str | None, **kwargs: Any) -> Any:
    header = None if token is None else f"Bearer {token}"
    return oidc.OidcVerifier(ISSUER).verify(header, audience=kwargs.get("audience", AUDIENCE), email=EMAIL)


def test_a_valid_token_passes_and_keys_are_cached(issuer: FakeIssuer) -> None:
    verifier = oidc.OidcVerifier(ISSUER)
    for _ in range(3):
        claims = verifier.verify(f"Bearer {issuer.token()}", audience=AUDIENCE, email=EMAIL)
        assert claims["email"] == EMAIL
    assert len(issuer.fetches) == 2  # discovery and keys, once


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (lambda i: None, 401),
        (lambda i: "garbage", 401),
        (lambda i: i.token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)), 401),
        (lambda i: i.token(iss="https://accounts.google.com"), 401),
        (lambda i: i.token(aud="https://other.example.com"), 401),
        (lambda i: i.token(exp=int(time.time()) - 60, iat=int(time.time()) - 600), 401),
        (lambda i: i.token(email="intruder@demo.iam.gserviceaccount.com"), 403),
        (lambda i: i.token(email_verified=False), 403),
    ],
    ids=["missing", "garbage", "signature", "issuer", "audience", "expired", "email", "unverified-email"],
)
def test_bad_tokens_are_refused(issuer: FakeIssuer, make: Any, status: int) -> None:
    with pytest.raises(oidc.TokenRejected) as refused:
        verify(make(issuer))
    assert refused.value.status == status


def test_rotated_keys_are_fetched_again(issuer: FakeIssuer) -> None:
    verifier = oidc.OidcVerifier(ISSUER)
    verifier.verify(f"Bearer {issuer.token()}", audience=AUDIENCE, email=EMAIL)
    issuer.rotate()  # an emulator restart, or Google rotating its keys
    assert verifier.verify(f"Bearer {issuer.token()}", audience=AUDIENCE, email=EMAIL)["iss"] == ISSUER
