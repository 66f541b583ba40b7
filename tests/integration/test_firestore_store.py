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


def test_a_change_that_keeps_losing_the_race_is_a_409_and_writes_nothing(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    from interview_core.domain.errors import ApiError
    from interview_core.domain.models import InviteGate

    interview_id = create_interview(recruiter)["id"]
    calls = 0

    def change(gate: InviteGate) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        store.interview_ref(interview_id).update({"invite.uses": 100 + calls})
        return {"invite.uses": 0}

    with pytest.raises(ApiError) as raised:
        store.update_part_atomically(interview_id, InviteGate, change, attempts=3)
    assert raised.value.status == 409
    assert calls == 3
    assert store.get(interview_id).invite.uses == 103  # the other writer's last value, not ours


def test_updates_of_a_missing_interview_are_404(store: Any) -> None:
    from interview_core.domain.errors import ApiError
    from interview_core.domain.models import InviteGate

    for update in (
        lambda: store.update_part_atomically("no-such-interview", InviteGate, lambda gate: {"status": "x"}),
        lambda: store.update_atomically("no-such-interview", lambda interview: {"status": "x"}),
    ):
        with pytest.raises(ApiError) as raised:
            update()
        assert raised.value.status == 404


@pytest.fixture
def reads(store: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents the store reads from the emulator (its GetDocument calls), in order."""
    seen: list[str] = []
    api = store.db._firestore_api
    get_document = api.get_document

    def counting(*, request: dict[str, Any], **kwargs: Any) -> Any:
        seen.append(request["name"].rsplit("/", 1)[-1])
        return get_document(request=request, **kwargs)

    monkeypatch.setattr(api, "get_document", counting)
    return seen


def _count_use(gate: Any) -> dict[str, Any]:
    return {"invite.uses": gate.invite.uses + 1}


def test_an_update_after_a_read_of_the_same_part_is_one_round_trip(
    store: Any, reads: list[str], recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    """The welcome page's read, then the token's compare-and-set: the write starts from what was
    read (no second read), and the state it wrote starts the next one."""
    from interview_core.domain.models import InviteGate

    interview_id = create_interview(recruiter)["id"]
    assert store.get_part(interview_id, InviteGate).invite.uses == 0
    assert reads == [interview_id]
    assert store.update_part_atomically(interview_id, InviteGate, _count_use).invite.uses == 1
    assert store.update_part_atomically(interview_id, InviteGate, _count_use).invite.uses == 2
    assert reads == [interview_id]
    assert store.get(interview_id).invite.uses == 2


def test_a_remembered_state_that_is_out_of_date_is_read_again_before_writing(
    store: Any, reads: list[str], recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    """Another instance counted uses after this one read the gate: the remembered update time fails
    the precondition, nothing is written from it, and the change runs on the fresh state."""
    from interview_core.domain.models import InviteGate

    interview_id = create_interview(recruiter)["id"]
    store.get_part(interview_id, InviteGate)
    store.interview_ref(interview_id).update({"invite.uses": 5})
    seen: list[int] = []

    def change(gate: InviteGate) -> dict[str, Any]:
        seen.append(gate.invite.uses)
        return _count_use(gate)

    assert store.update_part_atomically(interview_id, InviteGate, change).invite.uses == 6
    assert seen == [0, 5]
    assert reads == [interview_id, interview_id]
    assert store.get(interview_id).invite.uses == 6


def test_a_refusal_decided_on_a_remembered_state_is_checked_on_a_fresh_read(
    store: Any, reads: list[str], recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    from interview_core.domain.errors import ApiError
    from interview_core.domain.models import InviteGate

    interview_id = create_interview(recruiter)["id"]
    store.get_part(interview_id, InviteGate)  # remembers uses 0
    store.interview_ref(interview_id).update({"invite.uses": 3})

    def change(gate: InviteGate) -> dict[str, Any]:
        if gate.invite.uses < 3:
            raise ApiError(410, "refused", "refused on uses < 3")
        return _count_use(gate)

    assert store.update_part_atomically(interview_id, InviteGate, change).invite.uses == 4
    assert len(reads) == 2


def test_a_cancel_after_the_read_refuses_the_token_and_a_delete_is_404(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    from interview_core.domain.errors import ApiError
    from interview_core.domain.models import InterviewStatus, InviteGate

    def only_while_invited(gate: InviteGate) -> dict[str, Any]:
        if gate.status != InterviewStatus.INVITED:
            raise ApiError(409, "finished", "not invited")
        return _count_use(gate)

    cancelled = create_interview(recruiter)["id"]
    store.get_part(cancelled, InviteGate)
    store.interview_ref(cancelled).update({"status": "cancelled"})
    with pytest.raises(ApiError) as raised:
        store.update_part_atomically(cancelled, InviteGate, only_while_invited)
    assert raised.value.status == 409
    assert store.get(cancelled).invite.uses == 0

    deleted = create_interview(recruiter)["id"]
    store.get_part(deleted, InviteGate)
    store.delete_everything(deleted)
    with pytest.raises(ApiError) as raised:
        store.update_part_atomically(deleted, InviteGate, only_while_invited)
    assert raised.value.status == 404
    assert store.get(deleted) is None


def test_a_conditional_write_stores_its_fields_and_only_those_and_only_if_unchanged(
    store: Any, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]]
) -> None:
    """The compare-and-set's raw-protobuf write, read back through the client library."""
    from datetime import UTC, datetime, timedelta

    from google.api_core import exceptions as gexc

    from interview_core.adapters.firestore_writes import update_if_unchanged

    interview_id = create_interview(recruiter)["id"]
    ref = store.interview_ref(interview_id)
    before = ref.get()
    t0 = datetime(2026, 11, 26, 3, 4, 5, 678901, tzinfo=UTC)
    updates = {
        "invite.uses": 2,
        "invite.recent_token_requests": [t0, t0 + timedelta(seconds=1)],
        "metrics.client": {"first_audio": {"count": 1, "sum_ms": 812.5, "recent_ms": [812.5]}},
        "updated_at": t0,
    }
    stale = before.update_time.timestamp_pb()
    written_at = update_if_unchanged(store.db, ref._document_path, updates, stale)

    after = ref.get()
    assert after.update_time.timestamp_pb() == written_at
    data, old = after.to_dict(), before.to_dict()
    assert data["invite"]["uses"] == 2
    assert data["invite"]["recent_token_requests"] == [t0, t0 + timedelta(seconds=1)]
    assert data["metrics"]["client"] == updates["metrics.client"]
    assert data["updated_at"] == t0
    # Every field the write did not name is as it was, inside the maps it reached into too.
    assert {k: v for k, v in data["invite"].items() if k not in ("uses", "recent_token_requests")} == {
        k: v for k, v in old["invite"].items() if k not in ("uses", "recent_token_requests")
    }
    assert {k: v for k, v in data.items() if k not in ("invite", "metrics", "updated_at")} == {
        k: v for k, v in old.items() if k not in ("invite", "metrics", "updated_at")
    }

    with pytest.raises(gexc.FailedPrecondition):  # the document changed since `stale`
        update_if_unchanged(store.db, ref._document_path, {"invite.uses": 99}, stale)
    assert ref.get().to_dict()["invite"]["uses"] == 2
    missing = store.interview_ref("no-such-interview")._document_path
    with pytest.raises((gexc.FailedPrecondition, gexc.NotFound)):
        update_if_unchanged(store.db, missing, {"invite.uses": 1}, written_at)
    assert store.get("no-such-interview") is None
