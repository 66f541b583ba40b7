"""Rate-limit windows on the Firestore emulator: each window's document carries the expiry that the TTL
policy of infra/firestore.tf deletes it by (tests/infra/test_retention.py checks the policy names this
field), and a window past its end no longer counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any


def _windows(db: Any, collection: str, route: str) -> list[dict[str, Any]]:
    return [snap.to_dict() for snap in db.collection(collection).stream() if snap.id.startswith(f"{route}-")]


def test_each_window_carries_the_expiry_its_ttl_policy_deletes_it_by(stack: dict[str, str]) -> None:
    from interview_core.adapters.rate_limits import (
        COLLECTION,
        EXPIRY_FIELD,
        EXPIRY_GRACE,
        Counter,
        RateLimitStore,
    )

    store = RateLimitStore()
    route = f"ttl{uuid.uuid4().hex[:8]}"
    counter = Counter(route, "identity", "someone", limit=2)
    now = datetime(2026, 12, 4, 20, 30, 15, tzinfo=UTC)

    assert store.count([counter], now, 60) is None
    assert store.count([counter], now + timedelta(seconds=10), 60) is None
    refused = store.count([counter], now + timedelta(seconds=20), 60)
    assert refused is not None
    assert refused.retry_after_seconds == 25  # the window ends at 20:31:00

    (window,) = _windows(store.db, COLLECTION, route)
    assert window["count"] == 3
    window_end = datetime(2026, 12, 4, 20, 31, tzinfo=UTC)
    assert window[EXPIRY_FIELD] == window_end + EXPIRY_GRACE

    # The next minute is a new window (a new document), counted from zero.
    assert store.count([counter], window_end, 60) is None
    assert len(_windows(store.db, COLLECTION, route)) == 2
