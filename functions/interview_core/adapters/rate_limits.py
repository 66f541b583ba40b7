"""Request counters in Firestore, shared by every instance of the api (fixed one-minute windows).

One document per (route, subject, window): `rate_limits/{route}-{kind}-{digest}-{window}`. A check
increments the caller's counters in one batched write, whose results carry the new counts; the count
includes the request being checked, so refused requests count too and a flood stays refused until
its window ends. The subject (a uid, an interview id, a client address) is stored only as a digest.
Not the team quotas' mechanism (adapters/workspace_store.apply_usage), on purpose: a quota is checked
and changed in a transaction with the interview's own change, exact, refundable; a rate limit is a
flood guard whose every request costs one blind increment, with no read first and no transaction to
contend on (docs/architecture.md, "HTTP API").
Old windows carry `expires_at` (EXPIRY_FIELD) for a Firestore TTL policy (infra/firestore.tf) to
delete them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from google.cloud import firestore

from .clients import firestore_client, per_process

COLLECTION = "rate_limits"
EXPIRY_FIELD = "expires_at"
"""When a window's document may go: a Firestore TTL policy on this field deletes it (infra/firestore.tf,
checked against this name by tests/infra/test_retention.py)."""
EXPIRY_GRACE = timedelta(hours=1)
"""Kept this long past its window's end (the TTL deletes within a day anyway): long enough to read a
flood's counts back when looking into one."""


@dataclass(frozen=True)
class Counter:
    """One counted subject: `kind` is "identity" or "address"; `limit` requests per window."""

    route: str
    kind: str
    subject: str
    limit: int


@dataclass(frozen=True)
class Exceeded:
    """The first counter past its limit, and the seconds until its window ends."""

    counter: Counter
    count: int
    retry_after_seconds: int


class RateLimitStore:
    def __init__(self, db: firestore.Client | None = None) -> None:
        self.db = db or firestore_client()

    def count(self, counters: Sequence[Counter], now: datetime, window_seconds: int) -> Exceeded | None:
        """Count one request against each counter; the first one now past its limit, if any."""
        if not counters:
            return None
        window = int(now.timestamp()) // window_seconds
        window_end = datetime.fromtimestamp((window + 1) * window_seconds, tz=now.tzinfo)
        refs = [self.db.collection(COLLECTION).document(_doc_id(c, window)) for c in counters]
        batch = self.db.batch()
        for ref in refs:
            batch.set(
                ref,
                {"count": firestore.Increment(1), EXPIRY_FIELD: window_end + EXPIRY_GRACE},
                merge=True,
            )
        # Each write's result carries its increment's outcome (the count after this request), so
        # counting is one round trip: no read afterwards.
        results = batch.commit()
        retry_after = max(1, int((window_end - now).total_seconds() + 0.999))
        for counter, result in zip(counters, results, strict=True):
            seen = int(result.transform_results[0].integer_value)
            if seen > counter.limit:
                return Exceeded(counter, seen, retry_after)
        return None


def _doc_id(counter: Counter, window: int) -> str:
    digest = hashlib.sha256(counter.subject.encode()).hexdigest()[:32]
    return f"{counter.route}-{counter.kind}-{digest}-{window}"


@per_process
def default_rate_limit_store() -> RateLimitStore:
    return RateLimitStore()
