"""A workspace's quotas: which counter each limit reads, its period and when it resets. Pure: no I/O.

The counters live in workspaces/{wid}/usage/{period} and are changed only inside Firestore
transactions (adapters/workspace_store.py), so a limit holds across any number of function
instances. Periods are UTC: `day-YYYY-MM-DD`, `month-YYYY-MM`, and `live` (no period: a slot is
taken when a candidate first gets a room token and given back when the interview ends).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from .errors import QuotaExceeded
from .workspaces import Quotas

LIVE_RETRY_AFTER_SECONDS = 60
"""Told to a candidate refused a live slot: slots free as running interviews end, not on a clock."""

LIVE_SLOT_GRACE = timedelta(minutes=5)
"""A slot taken at token time and not used (the interview never started) is given back by the sweep
after the token's lifetime plus this grace."""


class Limit(StrEnum):
    INTERVIEWS_PER_DAY = "interviews_per_day"
    LIVE_INTERVIEWS = "live_interviews"
    EVALUATIONS_PER_DAY = "evaluations_per_day"
    MODEL_MINUTES_PER_MONTH = "model_minutes_per_month"


@dataclass(frozen=True)
class Counter:
    """Where a limit's count is kept: the field `field` of usage/{period}."""

    period: str
    field: str


def day_period(now: datetime) -> str:
    return f"day-{now.astimezone(UTC):%Y-%m-%d}"


def month_period(now: datetime) -> str:
    return f"month-{now.astimezone(UTC):%Y-%m}"


LIVE_PERIOD = "live"


def next_day(now: datetime) -> datetime:
    start = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=1)


def next_month(now: datetime) -> datetime:
    start = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )


def counter(limit: Limit, now: datetime) -> Counter:
    return {
        Limit.INTERVIEWS_PER_DAY: Counter(day_period(now), "interviews_created"),
        Limit.EVALUATIONS_PER_DAY: Counter(day_period(now), "evaluations"),
        Limit.LIVE_INTERVIEWS: Counter(LIVE_PERIOD, "interviews"),
        Limit.MODEL_MINUTES_PER_MONTH: Counter(month_period(now), "model_seconds"),
    }[limit]


def resets_at(limit: Limit, now: datetime) -> datetime | None:
    if limit in (Limit.INTERVIEWS_PER_DAY, Limit.EVALUATIONS_PER_DAY):
        return next_day(now)
    if limit == Limit.MODEL_MINUTES_PER_MONTH:
        return next_month(now)
    return None


def maximum(limit: Limit, quotas: Quotas) -> int:
    return int(getattr(quotas, limit.value))


def check(limit: Limit, used: float, quotas: Quotas, now: datetime) -> None:
    """Raise QuotaExceeded when one more unit would pass the limit.

    Model minutes are counted in seconds: the month is used up once its seconds reach the minutes
    allowed, so an interview may run past the limit but no new one starts.
    """
    allowed = maximum(limit, quotas)
    capacity = allowed * 60 if limit == Limit.MODEL_MINUTES_PER_MONTH else allowed
    if used < capacity:
        return
    reset = resets_at(limit, now)
    retry_after = (
        max(1, math.ceil((reset - now).total_seconds())) if reset is not None else LIVE_RETRY_AFTER_SECONDS
    )
    raise QuotaExceeded(limit.value, allowed, reset, retry_after)


# -- what an interview's change does to the counters ---------------------------------------------
MAX_COUNTED_SECONDS = 4 * 60 * 60
"""One interview adds at most this much to the month's model time (a clock gone wrong adds no more)."""

_LIVE = frozenset({"invited", "in_progress"})
_EVALUATION_SOURCES = frozenset({"completed", "evaluated", "evaluation_failed"})


@dataclass(frozen=True)
class UsageChange:
    """Add `amount` to a counter; when `limit` is set, refuse first if the limit is used up."""

    counter: Counter
    amount: int
    limit: Limit | None = None


def usage_changes(
    before: Mapping[str, Any], updates: Mapping[str, Any], now: datetime
) -> tuple[list[UsageChange], dict[str, Any]]:
    """The counter changes an interview's update implies, and the fields to add to the update.

    `before` is the interview as stored, `updates` the Firestore update about to be written (values
    as stored: statuses are strings). Taking a live slot (the update sets `live_since`) checks the
    live-interview and the monthly model-minute limits; moving into `evaluating` checks and counts an
    evaluation; leaving the live statuses gives the slot back; leaving `in_progress` adds the time
    the interview ran to the month's model seconds.
    """
    old = str(before.get("status") or "")
    new = str(updates.get("status", old))
    changes: list[UsageChange] = []
    extra: dict[str, Any] = {}
    held = before.get("live_since") is not None
    if not held and updates.get("live_since") is not None:
        changes.append(UsageChange(counter(Limit.LIVE_INTERVIEWS, now), 1, Limit.LIVE_INTERVIEWS))
        changes.append(
            UsageChange(counter(Limit.MODEL_MINUTES_PER_MONTH, now), 0, Limit.MODEL_MINUTES_PER_MONTH)
        )
    released = "live_since" in updates and updates["live_since"] is None
    if held and (new not in _LIVE or released):
        changes.append(UsageChange(counter(Limit.LIVE_INTERVIEWS, now), -1))
        extra["live_since"] = None
    started = before.get("started_at")
    if old == "in_progress" and new != "in_progress" and isinstance(started, datetime):
        ended = updates.get("ended_at")
        ended = ended if isinstance(ended, datetime) else now
        seconds = min(MAX_COUNTED_SECONDS, max(0, round((ended - started).total_seconds())))
        if seconds:
            changes.append(UsageChange(counter(Limit.MODEL_MINUTES_PER_MONTH, now), seconds))
    if new == "evaluating" and old in _EVALUATION_SOURCES:
        changes.append(UsageChange(counter(Limit.EVALUATIONS_PER_DAY, now), 1, Limit.EVALUATIONS_PER_DAY))
    return changes, extra
