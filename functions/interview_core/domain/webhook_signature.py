"""HMAC signature of the agent's completion webhook (the local stand-in for an OIDC token).

The agent signs `"{timestamp}.{body}"` with the shared secret; the API recomputes it, compares in
constant time and refuses timestamps outside the allowed skew, so a captured request cannot be
replayed later.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Interviewer-Timestamp"
SIGNATURE_HEADER = "X-Interviewer-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(
    secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    now: float,
    max_skew_seconds: int,
) -> bool:
    if not timestamp_header or not signature_header:
        return False
    try:
        timestamp = int(timestamp_header)
    except ValueError:
        return False
    if abs(now - timestamp) > max_skew_seconds:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature_header.strip())
