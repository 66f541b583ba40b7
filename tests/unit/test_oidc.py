"""OIDC caller checks against an issuer served over local HTTP (discovery document and JWKS)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from interview_core.adapters import oidc
from interview_core.domain import errors
from tests.oidc_issuer import DISCOVERY_PATH, JWKS_PATH, LocalIssuer, new_key

AUDIENCE = "https://evaluate.example.run.app"
EMAIL = "tasks-invoker@demo.iam.gserviceaccount.com"


@pytest.fixture
def issuer(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalIssuer]:
    monkeypatch.setattr(oidc, "MIN_REFRESH_INTERVAL_SECONDS", 0.0)
    served = LocalIssuer(AUDIENCE, EMAIL)
    yield served
    served.stop()


def _verify(issuer: LocalIssuer, token: str | None, verifier: oidc.OidcVerifier | None = None) -> Any:
    header = None if token is None else f"Bearer {token}"
    return (verifier or oidc.OidcVerifier(issuer.url)).verify(header, audience=AUDIENCE, email=EMAIL)


def test_a_valid_token_passes_and_the_keys_are_fetched_once(issuer: LocalIssuer) -> None:
    verifier = oidc.OidcVerifier(issuer.url)
    for _ in range(3):
        assert _verify(issuer, issuer.token(), verifier)["email"] == EMAIL
    assert issuer.fetches == [DISCOVERY_PATH, JWKS_PATH]


@pytest.mark.parametrize(
    ("make", "refusal"),
    [
        (lambda i: None, errors.Unauthenticated),
        (lambda i: "garbage", errors.Unauthenticated),
        (lambda i: "x" * (oidc.MAX_TOKEN_CHARS + 1), errors.Unauthenticated),
        (lambda i: i.token(key=new_key()), errors.Unauthenticated),
        (
            lambda i: jwt.encode({"iss": i.url, "aud": AUDIENCE, "email": EMAIL}, None, "none"),
            errors.Unauthenticated,
        ),
        (lambda i: i.token(iss="https://accounts.google.com"), errors.Unauthenticated),
        (lambda i: i.token(aud="https://other.example.com"), errors.Unauthenticated),
        (lambda i: i.token(exp=int(time.time()) - 60, iat=int(time.time()) - 600), errors.Unauthenticated),
        (lambda i: i.token(email="intruder@demo.iam.gserviceaccount.com"), errors.CallerNotAllowed),
        (lambda i: i.token(email_verified=False), errors.CallerNotAllowed),
    ],
    ids=[
        "missing",
        "garbage",
        "too-long",
        "bad-signature",
        "unsigned",
        "wrong-issuer",
        "wrong-audience",
        "expired",
        "other-account",
        "unverified-email",
    ],
)
def test_bad_tokens_are_refused(issuer: LocalIssuer, make: Any, refusal: type[errors.DomainError]) -> None:
    with pytest.raises(errors.DomainError) as refused:
        _verify(issuer, make(issuer))
    assert refused.type is refusal


def test_rotated_keys_are_fetched_again(issuer: LocalIssuer) -> None:
    verifier = oidc.OidcVerifier(issuer.url)
    _verify(issuer, issuer.token(), verifier)
    issuer.rotate()
    assert _verify(issuer, issuer.token(), verifier)["iss"] == issuer.url
    assert issuer.fetches.count(JWKS_PATH) == 2


def test_an_unreachable_issuer_is_unavailable_not_unauthenticated(issuer: LocalIssuer) -> None:
    verifier = oidc.OidcVerifier(issuer.url)
    token = issuer.token()
    issuer.stop()
    with pytest.raises(errors.VerificationUnavailable):
        _verify(issuer, token, verifier)


@pytest.mark.parametrize("fetched_before", [False, True], ids=["cold", "discovery-cached"])
def test_keys_that_cannot_be_fetched_are_unavailable_and_fetched_when_back(
    issuer: LocalIssuer, fetched_before: bool
) -> None:
    verifier = oidc.OidcVerifier(issuer.url)
    if fetched_before:  # discovery cached, the keys then refetched for a new key id
        _verify(issuer, issuer.token(), verifier)
        issuer.rotate()
    issuer.failing = True
    with pytest.raises(errors.VerificationUnavailable):
        _verify(issuer, issuer.token(), verifier)
    issuer.failing = False
    assert _verify(issuer, issuer.token(), verifier)["email"] == EMAIL


@pytest.mark.parametrize(("audience", "email"), [(None, EMAIL), ("", EMAIL), (AUDIENCE, None), (None, None)])
def test_a_caller_check_without_an_audience_or_account_refuses_everyone(
    issuer: LocalIssuer, audience: str | None, email: str | None
) -> None:
    with pytest.raises(errors.NotConfigured):
        oidc.verify_caller(f"Bearer {issuer.token()}", issuer=issuer.url, audience=audience, email=email)
    assert issuer.fetches == []


def test_verify_caller_checks_issuer_audience_and_account(issuer: LocalIssuer) -> None:
    def check(token: str) -> Any:
        return oidc.verify_caller(f"Bearer {token}", issuer=issuer.url, audience=AUDIENCE, email=EMAIL)

    assert check(issuer.token())["aud"] == AUDIENCE
    with pytest.raises(errors.Unauthenticated):
        check(issuer.token(aud="https://api.example.run.app"))
    with pytest.raises(errors.Unauthenticated):
        check(issuer.token(iss="https://issuer.example.com"))
    with pytest.raises(errors.CallerNotAllowed):
        check(issuer.token(email="someone-else@demo.iam.gserviceaccount.com"))
