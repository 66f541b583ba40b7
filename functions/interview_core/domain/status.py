"""The interview's status machine. Pure: callers apply a transition inside a Firestore transaction."""

from __future__ import annotations

from .errors import IllegalTransition
from .models import InterviewStatus as S

ALLOWED_TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.INVITED, S.CANCELLED}),  # the recruiter sends the invite, or drops the draft
    S.INVITED: frozenset({S.IN_PROGRESS, S.EXPIRED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.CANCELLED}),
    # completed -> evaluation_failed: the sweeper gives up on an evaluation that never started.
    S.COMPLETED: frozenset({S.EVALUATING, S.EVALUATION_FAILED}),
    S.EVALUATING: frozenset({S.EVALUATED, S.EVALUATION_FAILED}),
    S.EVALUATION_FAILED: frozenset({S.EVALUATING}),
    S.EVALUATED: frozenset({S.EVALUATING}),  # the recruiter may ask for a fresh evaluation
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
}

FINISHED = frozenset({S.COMPLETED, S.EVALUATING, S.EVALUATED, S.EVALUATION_FAILED})
"""The interview itself is over; only its evaluation can still change."""

AWAITING_EVALUATION = frozenset({S.COMPLETED, S.EVALUATING})
"""An evaluation task should exist (or be running) for the interview's current generation."""

REEVALUABLE = frozenset({S.EVALUATED, S.EVALUATION_FAILED})
"""The recruiter may ask for a fresh evaluation."""

JOINABLE = frozenset({S.INVITED, S.IN_PROGRESS})
"""A candidate may (re)join the room."""


def can_transition(current: S, target: S) -> bool:
    return target in ALLOWED_TRANSITIONS[current]


def require_transition(current: S, target: S) -> None:
    """Raise IllegalTransition unless the status machine allows current -> target."""
    if not can_transition(current, target):
        raise IllegalTransition(f"an interview that is {current.value} cannot become {target.value}")
