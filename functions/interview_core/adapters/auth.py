"""Recruiter authentication: Firebase ID tokens verified by firebase-admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.errors import EmailNotVerified, Unauthenticated, VerificationUnavailable
from ..settings import get_settings
from .clients import firebase_app

VERIFIED_PROVIDERS = frozenset({"google.com"})
"""Sign-in providers whose accounts' email addresses were verified by the provider itself."""


@dataclass(frozen=True)
class Caller:
    """Who signed in, from the verified ID token's claims (never from the request body)."""

    uid: str
    email: str
    email_verified: bool

    def require_verified_email(self) -> None:
        """Password accounts must prove their address: an invitation or a domain names an address."""
        if not self.email_verified:
            raise EmailNotVerified()


def verify_caller(authorization_header: str | None) -> Caller:
    """The signed-in account: uid, lower-cased email, and whether the address is verified.

    Verified means the token says `email_verified: true`, or the account signed in with a provider
    that verifies addresses itself (Google).
    """
    claims = _claims(authorization_header)
    uid = claims.get("uid") or claims.get("sub")
    if not isinstance(uid, str) or not uid:
        raise Unauthenticated("the ID token names no user")
    email = claims.get("email")
    email = email.strip().lower() if isinstance(email, str) else ""
    provider = (claims.get("firebase") or {}).get("sign_in_provider")
    verified = bool(email) and (claims.get("email_verified") is True or provider in VERIFIED_PROVIDERS)
    return Caller(uid=uid, email=email, email_verified=verified)


def verify_recruiter(authorization_header: str | None) -> str:
    """Return the uid of the signed-in recruiter, or raise Unauthenticated."""
    return verify_caller(authorization_header).uid


def _claims(authorization_header: str | None) -> dict[str, Any]:
    """The verified token's claims, or Unauthenticated.

    VerificationUnavailable when Google's keys could not be fetched: the token may well be valid,
    so the SPA is told to retry rather than to sign in again.
    """
    if not authorization_header or not authorization_header.startswith("Bearer "):
        raise Unauthenticated("sign in: a Firebase ID token is required")
    from firebase_admin import auth as firebase_auth  # imported on first use (cold-start time)

    token = authorization_header.removeprefix("Bearer ").strip()
    if not token or len(token) > 4096:
        raise Unauthenticated("the ID token is malformed")
    try:
        claims = firebase_auth.verify_id_token(
            token, app=firebase_app(), check_revoked=get_settings().auth_check_revoked
        )
    except (
        ValueError,
        firebase_auth.InvalidIdTokenError,
        firebase_auth.ExpiredIdTokenError,
        firebase_auth.RevokedIdTokenError,
        firebase_auth.UserDisabledError,
    ) as error:
        raise Unauthenticated("the ID token is invalid or expired") from error
    except firebase_auth.CertificateFetchError as error:
        raise VerificationUnavailable("the ID token's keys cannot be fetched; try again") from error
    return dict(claims)
