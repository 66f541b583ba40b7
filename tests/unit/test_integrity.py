"""The integrity of a transcript and of the interview's run, as the report states it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from interview_core.domain.integrity import assess, missing_sequence_numbers
from interview_core.domain.models import Interview, Turn, TurnRole

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _turns(*seqs: int) -> list[Turn]:
    return [Turn(seq=s, role=TurnRole.AGENT, text="x", started_at=NOW, ended_at=NOW) for s in seqs]


def _interview(**fields: Any) -> Interview:
    data: dict[str, Any] = {
        "id": "i1",
        "owner_uid": "u1",
        "candidate": {"name": "Ada", "email": "ada@example.com"},
        "role": "Engineer",
        "job_description": "x" * 40,
        "language": "en",
        "duration_minutes": 20,
        "skills": [{"name": "SQL", "weight": 1.0}],
        "question_plan": [{"skill": "SQL", "question": f"Question {n}?"} for n in range(4)],
        "status": "evaluating",
        "invite": {"secret_hash": "h", "expires_at": NOW, "max_uses": 3},
        "room": "r",
        "created_at": NOW,
        "updated_at": NOW,
        "started_at": NOW - timedelta(minutes=19),
        "ended_at": NOW,
        "end_reason": "completed",
    }
    data.update(fields)
    return Interview.model_validate(data)


def test_gaps_inside_and_after_the_stored_turns_are_named() -> None:
    assert missing_sequence_numbers(6, _turns(0, 1, 3, 4)) == [2, 5]
    assert missing_sequence_numbers(0, _turns(0, 2)) == [1]
    assert missing_sequence_numbers(3, _turns(0, 1, 2)) == []


def test_the_larger_of_the_agents_two_counts_is_expected() -> None:
    result = assess(_interview(turns_recorded=3, turns_announced=5), _turns(0, 1, 2))
    assert result.missing_seqs == [3, 4]
    assert result.transcript_incomplete
    assert result.review_required
    assert result.notes[0].startswith("Transcript incomplete: 2 of 5 turns")


def test_an_interview_that_ran_as_planned_needs_no_review() -> None:
    result = assess(_interview(turns_recorded=3, turns_announced=3), _turns(0, 1, 2))
    assert not result.review_required
    assert result.notes == []


def test_an_error_or_an_early_end_needs_review() -> None:
    forty_nine_seconds = _interview(end_reason="error", started_at=NOW - timedelta(seconds=49))
    result = assess(forty_nine_seconds, _turns(0))
    assert result.ended_by_error
    assert result.short_of_plan
    assert result.review_required
    left_early = _interview(end_reason="candidate_left", plan_progress={"asked": [1]})
    assert assess(left_early, _turns(0)).short_of_plan
    on_time = _interview(end_reason="time_limit", started_at=NOW - timedelta(minutes=3))
    assert not assess(on_time, _turns(0)).review_required
