"""Recruiter authentication: Firebase ID tokens verified by firebase-admin."""

from __future__ import annotations

from ..domain.errors import Unauthenticated, VerificationUnavailable
from ..settings import get_settings
from .clients import firebase_app


def verify_recruiter(authorization_header: str | None) -> str:
    """Return the uid of the signed-in recruiter, or raise Unauthenticated.

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
    uid = claims.get("uid") or claims.get("sub")
    if not isinstance(uid, str) or not uid:
        raise Unauthenticated("the ID token names no user")
    return uid
