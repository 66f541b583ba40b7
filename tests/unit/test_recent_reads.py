"""RecentReads and the merge of dotted updates: pure parts of the store."""

from __future__ import annotations

from datetime import UTC, datetime

from interview_core.adapters.firestore_store import RecentReads, _applied

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_applied_reaches_into_maps_without_changing_the_original() -> None:
    data = {"status": "invited", "invite": {"uses": 1, "hash": "h"}, "candidate": {"name": "Ada"}}
    after = _applied(data, {"invite.uses": 2, "invite.recent": [T0], "updated_at": T0})
    assert after == {
        "status": "invited",
        "invite": {"uses": 2, "hash": "h", "recent": [T0]},
        "candidate": {"name": "Ada"},
        "updated_at": T0,
    }
    assert data["invite"] == {"uses": 1, "hash": "h"}
    assert after["candidate"] is data["candidate"]  # untouched maps are shared, not copied


def test_recent_reads_keeps_the_most_recently_used_within_capacity() -> None:
    recent = RecentReads(capacity=2)
    recent.put("a", ({"n": 1}, T0))
    recent.put("b", ({"n": 2}, T0))
    assert recent.get("a") == ({"n": 1}, T0)  # a is now the most recent
    recent.put("c", ({"n": 3}, T0))
    assert recent.get("b") is None
    assert len(recent) == 2
    recent.forget("a")
    assert recent.get("a") is None
    assert recent.get("c") == ({"n": 3}, T0)
