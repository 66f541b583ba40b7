"""Verification of OIDC ID tokens (Cloud Tasks, Cloud Scheduler) against an issuer's published keys.

One code path for the cloud and the local stack: the issuer's discovery document
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

from ..settings import GOOGLE_OIDC_ISSUER

log = logging.getLogger(__name__)

KEY_CACHE_SECONDS = 3600.0
MIN_REFRESH_INTERVAL_SECONDS = 10.0
FETCH_TIMEOUT_SECONDS = 5.0
MAX_TOKEN_CHARS = 8192
GOOGLE_ISSUERS = frozenset({GOOGLE_OIDC_ISSUER, "accounts.google.com"})


class TokenRejected(Exception):
    """The token is missing, malformed, expired, not ours, or not from the expected caller."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


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
            raise TokenRejected(503, "the issuer's discovery document is unreachable") from error
        if response.status != 200:
            self._request.forget(url)
            raise TokenRejected(503, f"the issuer's discovery document is unavailable ({response.status})")
        uri = json.loads(response.data).get("jwks_uri")
        if not isinstance(uri, str) or not uri:
            raise TokenRejected(503, "the issuer's discovery document names no jwks_uri")
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

    def verify(
        self, authorization_header: str | None, *, audience: str, email: str | None
    ) -> Mapping[str, Any]:
        """The token's claims; raises TokenRejected (401 not authenticated, 403 wrong caller)."""
        if not authorization_header or not authorization_header.startswith("Bearer "):
            raise TokenRejected(401, "an OIDC bearer token is required")
        token = authorization_header.removeprefix("Bearer ").strip()
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise TokenRejected(401, "the bearer token is malformed")
        try:
            claims = self._decode(token, audience)
        except TokenRejected:
            raise
        except google.auth.exceptions.TransportError as error:  # the keys could not be fetched: retry later
            raise TokenRejected(503, "the issuer's keys are unavailable") from error
        except (ValueError, jwt.PyJWTError, google.auth.exceptions.GoogleAuthError) as error:
            raise TokenRejected(401, f"the token is invalid ({type(error).__name__})") from error
        issuers = GOOGLE_ISSUERS if self.issuer in GOOGLE_ISSUERS else {self.issuer}
        if claims.get("iss") not in issuers:
            raise TokenRejected(401, "the token comes from another issuer")
        if email is not None and (claims.get("email") != email or claims.get("email_verified") is not True):
            raise TokenRejected(403, "the token belongs to another caller")
        return claims


_verifiers: dict[str, OidcVerifier] = {}
_verifiers_lock = threading.Lock()


def verifier(issuer: str) -> OidcVerifier:
    """One verifier (and key cache) per issuer per process."""
    with _verifiers_lock:
        if issuer not in _verifiers:
            _verifiers[issuer] = OidcVerifier(issuer)
        return _verifiers[issuer]
