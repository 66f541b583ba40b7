"""Quota periods, resets and what an interview's change does to the counters (domain/quotas.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_core.domain import quotas
from interview_core.domain.errors import QuotaExceeded
from interview_core.domain.quotas import Limit, UsageChange, usage_changes
from interview_core.domain.workspaces import Quotas

NOW = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)


def test_periods_and_resets_are_utc() -> None:
    assert quotas.day_period(NOW) == "day-2026-12-31"
    assert quotas.month_period(NOW) == "month-2026-12"
    assert quotas.next_day(NOW) == datetime(2027, 1, 1, tzinfo=UTC)
    assert quotas.next_month(NOW) == datetime(2027, 1, 1, tzinfo=UTC)
    assert quotas.next_month(datetime(2026, 3, 15, tzinfo=UTC)) == datetime(2026, 4, 1, tzinfo=UTC)
    later_elsewhere = datetime(2027, 1, 1, 0, 30, tzinfo=UTC).astimezone(datetime.now().astimezone().tzinfo)
    assert quotas.day_period(later_elsewhere) == "day-2027-01-01"


def test_check_refuses_at_the_limit_with_seconds_to_the_reset() -> None:
    limits = Quotas(interviews_per_day=2)
    quotas.check(Limit.INTERVIEWS_PER_DAY, 1, limits, NOW)
    with pytest.raises(QuotaExceeded) as refused:
        quotas.check(Limit.INTERVIEWS_PER_DAY, 2, limits, NOW)
    assert refused.value.limit == "interviews_per_day"
    assert refused.value.maximum == 2
    assert refused.value.resets_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert refused.value.retry_after_seconds == 90 * 60


def test_model_minutes_are_counted_in_seconds_and_live_slots_have_no_clock() -> None:
    limits = Quotas(model_minutes_per_month=10, live_interviews=1)
    quotas.check(Limit.MODEL_MINUTES_PER_MONTH, 599, limits, NOW)
    with pytest.raises(QuotaExceeded):
        quotas.check(Limit.MODEL_MINUTES_PER_MONTH, 600, limits, NOW)
    with pytest.raises(QuotaExceeded) as refused:
        quotas.check(Limit.LIVE_INTERVIEWS, 1, limits, NOW)
    assert refused.value.resets_at is None
    assert refused.value.retry_after_seconds == quotas.LIVE_RETRY_AFTER_SECONDS


def test_a_zero_limit_refuses_everything() -> None:
    with pytest.raises(QuotaExceeded):
        quotas.check(Limit.EVALUATIONS_PER_DAY, 0, Quotas(evaluations_per_day=0), NOW)


def _fields(changes: list[UsageChange]) -> list[tuple[str, int, str | None]]:
    return [(c.counter.field, c.amount, c.limit.value if c.limit else None) for c in changes]


def test_a_first_token_takes_a_slot_checking_live_and_model_minutes() -> None:
    changes, extra = usage_changes({"status": "invited"}, {"live_since": NOW}, NOW)
    assert _fields(changes) == [
        ("interviews", 1, "live_interviews"),
        ("model_seconds", 0, "model_minutes_per_month"),
    ]
    assert extra == {}
    held = {"status": "invited", "live_since": NOW}
    assert usage_changes(held, {"invite.uses": 2}, NOW) == ([], {})


def test_ending_a_running_interview_gives_the_slot_back_and_adds_its_minutes() -> None:
    started = NOW - timedelta(minutes=12)
    before = {"status": "in_progress", "live_since": started, "started_at": started}
    changes, extra = usage_changes(before, {"status": "completed", "ended_at": NOW}, NOW)
    assert _fields(changes) == [("interviews", -1, None), ("model_seconds", 720, None)]
    assert extra == {"live_since": None}
    # Cancelled while running: the same; and a clock gone wrong adds at most four hours, never less than 0.
    long_ago = {**before, "started_at": NOW - timedelta(days=3)}
    changes, _ = usage_changes(long_ago, {"status": "cancelled"}, NOW)
    assert ("model_seconds", quotas.MAX_COUNTED_SECONDS, None) in _fields(changes)
    future = {**before, "started_at": NOW + timedelta(minutes=5)}
    assert ("model_seconds", 0, None) not in _fields(usage_changes(future, {"status": "completed"}, NOW)[0])


def test_an_unused_slot_is_given_back_by_expiry_cancel_or_the_sweep() -> None:
    held = {"status": "invited", "live_since": NOW}
    for updates in ({"status": "expired"}, {"status": "cancelled"}, {"live_since": None}):
        changes, extra = usage_changes(held, updates, NOW)
        assert _fields(changes) == [("interviews", -1, None)], updates
        assert extra == {"live_since": None}
    # An interview without a slot gives nothing back.
    assert usage_changes({"status": "invited"}, {"status": "expired"}, NOW) == ([], {})


def test_moving_into_evaluating_counts_an_evaluation_once() -> None:
    for old in ("completed", "evaluated", "evaluation_failed"):
        changes, _ = usage_changes({"status": old}, {"status": "evaluating"}, NOW)
        assert _fields(changes) == [("evaluations", 1, "evaluations_per_day")], old
    # A second delivery of the same generation only records its attempt.
    assert usage_changes({"status": "evaluating"}, {"evaluation.attempts": 2}, NOW) == ([], {})
