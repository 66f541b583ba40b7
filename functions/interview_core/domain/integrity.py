"""Whether a report rests on the whole interview: turns missing from the transcript, an interview that
ended by error or far short of its plan. Pure: no I/O.

The agent counts the turns it stored (interviews/{id}.turns_recorded, written in the same transaction
as the turns) and announces how many it numbered in its completion webhook (`turns_announced`, which
also counts turns it could not store). The evaluation compares the larger of the two with the
sequence numbers it reads: a gap is named in the report with the missing numbers, instead of being
scored in silence. A report with a gap, of an interview that ended by error, or of one far short of
its plan says so at the top, and its recommendation is withheld until a recruiter marks it reviewed
(POST /api/interviews/{id}/report/review).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from .models import EndReason, Interview, Turn

MAX_LISTED_MISSING = 200
SHORT_OF_PLAN = 0.5
"""An interview that ran less than this share of its planned minutes, or asked less than this share
of its planned questions, and did not end as planned, is "far short of its plan"."""


class Integrity(BaseModel):
    """reports/{id}.integrity: what the report could not see, and whether a recruiter has looked."""

    turns_expected: int = Field(ge=0)
    turns_stored: int = Field(ge=0)
    missing_seqs: list[int] = Field(default_factory=list, max_length=MAX_LISTED_MISSING)
    missing_count: int = 0
    transcript_incomplete: bool = False
    ended_by_error: bool = False
    short_of_plan: bool = False
    notes: list[str] = Field(default_factory=list)
    """What the report's top says, one sentence each."""
    review_required: bool = False
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


def missing_sequence_numbers(expected: int, turns: Sequence[Turn]) -> list[int]:
    """Sequence numbers below the highest known one (expected, or a stored turn's) with no stored turn."""
    stored = {t.seq for t in turns}
    upper = max([expected, *(s + 1 for s in stored)])
    return [seq for seq in range(upper) if seq not in stored]


def _short_of_plan(interview: Interview) -> bool:
    if interview.end_reason in (None, EndReason.COMPLETED, EndReason.TIME_LIMIT):
        return False
    planned_questions = len(interview.question_plan)
    asked = len(set(interview.plan_progress.asked))
    if asked and planned_questions and asked < SHORT_OF_PLAN * planned_questions:
        return True
    if interview.started_at is None or interview.ended_at is None:
        return False
    minutes = (interview.ended_at - interview.started_at).total_seconds() / 60
    return minutes < SHORT_OF_PLAN * interview.duration_minutes


def assess(interview: Interview, turns: Sequence[Turn]) -> Integrity:
    """The integrity of this interview's transcript and run, for its report."""
    expected = max(interview.turns_recorded, interview.turns_announced or 0)
    missing = missing_sequence_numbers(expected, turns)
    error = interview.end_reason == EndReason.ERROR
    short = _short_of_plan(interview)
    notes = []
    if missing:
        listed = ", ".join(str(s) for s in missing[:20]) + (" ..." if len(missing) > 20 else "")
        notes.append(
            f"Transcript incomplete: {len(missing)} of {max(expected, len(turns) + len(missing))} turns are "
            f"missing (sequence numbers {listed}); the scores do not see them."
        )
    if error:
        notes.append(
            "The interview ended by an error"
            + (f" ({interview.end_detail})." if interview.end_detail else ".")
        )
    if short:
        notes.append("The interview ended far short of its plan (time or planned questions).")
    return Integrity(
        turns_expected=expected,
        turns_stored=len(turns),
        missing_seqs=missing[:MAX_LISTED_MISSING],
        missing_count=len(missing),
        transcript_incomplete=bool(missing),
        ended_by_error=error,
        short_of_plan=short,
        notes=notes,
        review_required=bool(notes),
    )
