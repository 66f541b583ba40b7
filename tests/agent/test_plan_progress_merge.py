"""A late plan-progress write (from an agent that is leaving) never takes a newer agent's mark back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent_worker.lifecycle import merged_progress
from interview_core.domain.models import PlanProgress

EARLIER = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
LATER = EARLIER + timedelta(seconds=5)


def test_a_stale_write_keeps_every_question_marked_and_the_newer_state() -> None:
    newer = PlanProgress(asked=[1, 2, 3, 4], current=4, follow_ups={"2": 1}, updated_at=LATER)
    stale = PlanProgress(asked=[1, 2, 3], current=3, follow_ups={"2": 1, "3": 1}, updated_at=EARLIER)
    merged = merged_progress(newer, stale)
    assert merged.asked == [1, 2, 3, 4]
    assert merged.current == 4
    assert merged.updated_at == LATER
    assert merged.follow_ups == {"2": 1, "3": 1}


def test_a_newer_write_moves_the_state_on() -> None:
    stored = PlanProgress(asked=[1, 2], current=2, updated_at=EARLIER)
    merged = merged_progress(stored, PlanProgress(asked=[1, 2, 3], current=3, updated_at=LATER))
    assert (merged.asked, merged.current, merged.updated_at) == ([1, 2, 3], 3, LATER)
