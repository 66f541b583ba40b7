"""Verification of OIDC ID tokens (Cloud Tasks, Cloud Scheduler, the agent) against an issuer's keys.

The one path by which `evaluate`, `sweep` and the agent's completion webhook check their callers
(verify_caller), for the cloud and the local stack alike: the issuer's discovery document
(`<issuer>/.well-known/openid-configuration`) names its JWKS, and google-auth's `id_token.verify_token`
checks signature, expiry and audience against it; the issuer and the caller's e-mail are checked
here. In the cloud the issuer is Google (https://accounts.google.com); locally it is the Cloud Tasks
emulator, which signs with a key it makes at each start.

Keys are cached per process for KEY_CACHE_SECONDS. A token whose key id is not in the cached set
refetches once (rate-limited), which follows Google's key rotation and an emulator restart without
letting unauthenticated requests make us fetch on every call.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import google.auth.exceptions
import google.auth.transport
import google.auth.transport.requests
import jwt
from google.oauth2 import id_token

from ..domain.errors import CallerNotAllowed, NotConfigured, Unauthenticated, VerificationUnavailable
from ..settings import GOOGLE_OIDC_ISSUER

log = logging.getLogger(__name__)

KEY_CACHE_SECONDS = 3600.0
MIN_REFRESH_INTERVAL_SECONDS = 10.0
FETCH_TIMEOUT_SECONDS = 5.0
MAX_TOKEN_CHARS = 8192
GOOGLE_ISSUERS = frozenset({GOOGLE_OIDC_ISSUER, "accounts.google.com"})


@dataclass
class _Cached:
    status: int
    headers: Mapping[str, str]
    data: bytes


class _CachingRequest(google.auth.transport.Request):
    """A google-auth transport that remembers successful GETs (discovery document, keys) for a while."""

    def __init__(self) -> None:
        self._inner = google.auth.transport.requests.Request()
        self._cache: dict[str, tuple[float, _Cached]] = {}
        self._lock = threading.Lock()

    def __call__(  # type: ignore[override]
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> _Cached:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(url) if method == "GET" else None
            if hit and now - hit[0] < KEY_CACHE_SECONDS:
                return hit[1]
        response = self._inner(url, method=method, body=body, headers=headers, timeout=FETCH_TIMEOUT_SECONDS)
        cached = _Cached(response.status, dict(response.headers), response.data)
        if method == "GET" and response.status == 200:
            with self._lock:
                self._cache[url] = (now, cached)
        return cached

    def forget(self, url: str) -> None:
        with self._lock:
            self._cache.pop(url, None)


class OidcVerifier:
    """Verifies ID tokens of one issuer for one audience, from one expected service account."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer.rstrip("/")
        self._request = _CachingRequest()
        self._last_refresh = 0.0

    def _jwks_uri(self) -> str:
        url = f"{self.issuer}/.well-known/openid-configuration"
        try:
            response = self._request(url)
        except google.auth.exceptions.TransportError as error:
            raise VerificationUnavailable("the issuer's discovery document is unreachable") from error
        uri = _jwks_uri_in(response)
        if uri is None:
            self._request.forget(url)
            raise VerificationUnavailable(f"the issuer's discovery document is unusable ({response.status})")
        return uri

    def _decode(self, token: str, audience: str) -> Mapping[str, Any]:
        jwks_uri = self._jwks_uri()
        try:
            return id_token.verify_token(token, self._request, audience=audience, certs_url=jwks_uri)  # type: ignore[no-any-return]
        except jwt.PyJWKClientError:
            # An unknown key id: the keys may have rotated. Refetch, but not on every bad token.
            if time.monotonic() - self._last_refresh < MIN_REFRESH_INTERVAL_SECONDS:
                raise
            self._last_refresh = time.monotonic()
            self._request.forget(jwks_uri)
            return id_token.verify_token(token, self._request, audience=audience, certs_url=jwks_uri)  # type: ignore[no-any-return]

    def verify(self, authorization_header: str | None, *, audience: str, email: str) -> Mapping[str, Any]:
        """The token's claims if it is this issuer's, for `audience`, of the account `email`.

        Raises Unauthenticated (no valid token), CallerNotAllowed (a valid token of another account)
        or VerificationUnavailable (the issuer's keys could not be fetched: the caller retries).
        """
        if not authorization_header or not authorization_header.startswith("Bearer "):
            raise Unauthenticated("an OIDC bearer token is required")
        token = authorization_header.removeprefix("Bearer ").strip()
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise Unauthenticated("the bearer token is malformed")
        try:
            claims = self._decode(token, audience)
        except google.auth.exceptions.TransportError as error:  # the keys could not be fetched: retry later
            raise VerificationUnavailable("the issuer's keys are unavailable") from error
        except (ValueError, jwt.PyJWTError, google.auth.exceptions.GoogleAuthError) as error:
            raise Unauthenticated(f"the token is invalid ({type(error).__name__})") from error
        issuers = GOOGLE_ISSUERS if self.issuer in GOOGLE_ISSUERS else {self.issuer}
        if claims.get("iss") not in issuers:
            raise Unauthenticated("the token comes from another issuer")
        if claims.get("email") != email or claims.get("email_verified") is not True:
            raise CallerNotAllowed("the token belongs to another caller")
        return claims


def _jwks_uri_in(response: _Cached) -> str | None:
    """The JWKS address a discovery document names; None for an error or a document without one."""
    if response.status != 200:
        return None
    try:
        document = json.loads(response.data)
    except ValueError:
        return None
    uri = document.get("jwks_uri") if isinstance(document, dict) else None
    return uri if isinstance(uri, str) and uri else None


_verifiers: dict[str, OidcVerifier] = {}
_verifiers_lock = threading.Lock()


def verifier(issuer: str) -> OidcVerifier:
    """One verifier (and key cache) per issuer per process."""
    with _verifiers_lock:
        if issuer not in _verifiers:
            _verifiers[issuer] = OidcVerifier(issuer)
        return _verifiers[issuer]


def verify_caller(
    authorization_header: str | None, *, issuer: str, audience: str | None, email: str | None
) -> Mapping[str, Any]:
    """The claims of the caller's token: issued by `issuer`, for `audience`, to the account `email`.

    Without an audience or an account to expect, any Google-signed token of any project would do,
    so a function missing either refuses every call (NotConfigured) instead.
    """
    if not audience or not email:
        raise NotConfigured("the expected OIDC audience or caller account is not configured")
    return verifier(issuer).verify(authorization_header, audience=audience, email=email)
