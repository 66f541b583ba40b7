"""The store's compare-and-set on the Firestore emulator: partial reads, races and missing documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Recruiter


def test_get_part_reads_only_the_gate_and_none_when_missing(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    from interview_core.domain.models import InterviewStatus, InviteGate

    created = create_interview(recruiter)
    gate = store.get_part(created["id"], InviteGate)
    assert isinstance(gate, InviteGate)
    assert gate.status == InterviewStatus.INVITED
    assert gate.candidate.name == "Ada Lovelace"
    assert gate.room == f"interview-{created['id']}"
    assert gate.invite.uses == 0
    assert store.get_part("no-such-interview", InviteGate) is None


def test_a_concurrent_write_makes_the_change_decide_again_on_fresh_data(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    """Without the update-time precondition the first decision (uses 0 -> 1) would overwrite the
    other writer's uses = 5; with it, the change runs again, sees 5 and writes 6."""
    from interview_core.domain.models import InviteGate

    interview_id = create_interview(recruiter)["id"]
    seen: list[int] = []

    def change(gate: InviteGate) -> dict[str, Any]:
        seen.append(gate.invite.uses)
        if len(seen) == 1:  # another request lands between this read and this write
            store.interview_ref(interview_id).update({"invite.uses": 5})
        return {"invite.uses": gate.invite.uses + 1}

    after = store.update_part_atomically(interview_id, InviteGate, change)
    assert seen == [0, 5]
    assert after.invite.uses == 6
    assert store.get(interview_id).invite.uses == 6


def test_a_change_that_keeps_losing_the_race_is_a_conflict_and_writes_nothing(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    from interview_core.domain.errors import ConcurrentChange
    from interview_core.domain.models import InviteGate

    interview_id = create_interview(recruiter)["id"]
    calls = 0

    def change(gate: InviteGate) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        store.interview_ref(interview_id).update({"invite.uses": 100 + calls})
        return {"invite.uses": 0}

    with pytest.raises(ConcurrentChange):
        store.update_part_atomically(interview_id, InviteGate, change, attempts=3)
    assert calls == 3
    assert store.get(interview_id).invite.uses == 103  # the other writer's last value, not ours


def test_updates_of_a_missing_interview_are_not_found(store: Any) -> None:
    from interview_core.domain.errors import InterviewNotFound
    from interview_core.domain.models import InviteGate

    for update in (
        lambda: store.update_part_atomically("no-such-interview", InviteGate, lambda gate: {"status": "x"}),
        lambda: store.update_atomically("no-such-interview", lambda interview: {"status": "x"}),
        lambda: store.update_in_transaction("no-such-interview", lambda interview: {"status": "x"}),
    ):
        with pytest.raises(InterviewNotFound):
            update()
    assert store.get("no-such-interview") is None


def test_an_interview_deleted_between_the_read_and_the_write_is_not_found_and_not_recreated(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    from interview_core.domain.errors import InterviewNotFound
    from interview_core.domain.models import InviteGate

    interview_id = create_interview(recruiter)["id"]

    def change(gate: InviteGate) -> dict[str, Any]:
        store.delete_everything(interview_id)
        return {"invite.uses": gate.invite.uses + 1}

    with pytest.raises(InterviewNotFound):
        store.update_part_atomically(interview_id, InviteGate, change)
    assert store.get(interview_id) is None


def test_a_refusal_is_decided_once_and_writes_nothing(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    """A cancel landed before the token request: the change refuses on what it read; no retry."""
    from interview_core.domain.errors import InviteCancelled
    from interview_core.domain.models import InterviewStatus, InviteGate

    interview_id = create_interview(recruiter)["id"]
    store.interview_ref(interview_id).update({"status": "cancelled"})
    before = store.interview_ref(interview_id).get().update_time
    calls = 0

    def only_while_invited(gate: InviteGate) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if gate.status != InterviewStatus.INVITED:
            raise InviteCancelled()
        return {"invite.uses": gate.invite.uses + 1}

    with pytest.raises(InviteCancelled):
        store.update_part_atomically(interview_id, InviteGate, only_while_invited)
    assert calls == 1
    assert store.interview_ref(interview_id).get().update_time == before


def test_a_conditional_write_stores_its_fields_and_only_those(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    """Dotted paths reach into maps and leave their other keys alone; lists of datetimes and maps
    with any keys come back as written; updated_at is stamped."""
    from datetime import UTC, datetime, timedelta

    interview_id = create_interview(recruiter)["id"]
    ref = store.interview_ref(interview_id)
    old = ref.get().to_dict()
    t0 = datetime(2026, 11, 26, 3, 4, 5, 678901, tzinfo=UTC)
    updates = {
        "invite.uses": 2,
        "invite.recent_token_requests": [t0, t0 + timedelta(seconds=1)],
        "metrics.client": {"first audio": {"count": 1, "sum_ms": 812.5, "recent_ms": [812.5]}},
    }
    after = store.update_atomically(interview_id, lambda interview: updates)
    assert after.invite.uses == 2

    data = ref.get().to_dict()
    assert data["invite"]["uses"] == 2
    assert data["invite"]["recent_token_requests"] == [t0, t0 + timedelta(seconds=1)]
    assert data["metrics"]["client"] == updates["metrics.client"]
    assert data["updated_at"] > old["updated_at"]
    # Every field the write did not name is as it was, inside the maps it reached into too.
    assert {k: v for k, v in data["invite"].items() if k not in ("uses", "recent_token_requests")} == {
        k: v for k, v in old["invite"].items() if k not in ("uses", "recent_token_requests")
    }
    assert {k: v for k, v in data.items() if k not in ("invite", "metrics", "updated_at")} == {
        k: v for k, v in old.items() if k not in ("invite", "metrics", "updated_at")
    }
