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
