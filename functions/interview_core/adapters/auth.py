"""Recruiter authentication: Firebase ID tokens verified by firebase-admin."""

from __future__ import annotations

from ..domain.errors import ApiError
from ..settings import get_settings
from .clients import firebase_app


def verify_recruiter(authorization_header: str | None) -> str:
    """Return the uid of the signed-in recruiter, or raise 401."""
    if not authorization_header or not authorization_header.startswith("Bearer "):
        raise ApiError(401, "unauthenticated", "sign in: a Firebase ID token is required")
    from firebase_admin import auth as firebase_auth  # imported on first use (cold-start time)

    token = authorization_header.removeprefix("Bearer ").strip()
    if not token or len(token) > 4096:
        raise ApiError(401, "unauthenticated", "the ID token is malformed")
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
        firebase_auth.CertificateFetchError,
    ) as error:
        raise ApiError(401, "unauthenticated", "the ID token is invalid or expired") from error
    uid = claims.get("uid") or claims.get("sub")
    if not isinstance(uid, str) or not uid:
        raise ApiError(401, "unauthenticated", "the ID token names no user")
    return uid
