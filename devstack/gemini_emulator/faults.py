"""Fault injection and call statistics: how tests and benchmarks make the emulator misbehave on purpose.

The real API fails in a few typical ways (503 overloaded, 429 quota, 500, truncated JSON output, slow
answers); callers' retry and validation paths are only trustworthy if those are exercised. State lives
in one process and is touched only from the event loop, so no locking is needed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

MAX_DELAY_MS = 600_000
_FIELDS = {"fail_next", "status", "malformed_next", "delay_ms", "task"}


@dataclass
class FaultPlan:
    """What the next calls should suffer. `task` limits failures and malformed output to one task."""

    fail_next: int = 0
    status: int = 503
    malformed_next: int = 0
    delay_ms: int = 0
    task: str | None = None


@dataclass(frozen=True)
class Decision:
    """The fate of one generateContent call."""

    delay_ms: int
    fail_status: int | None
    malformed: bool


@dataclass
class TaskStats:
    calls: int = 0
    ok: int = 0
    injected_failures: int = 0
    malformed: int = 0
    errors: int = 0


@dataclass
class Stats:
    """Counts since start (or the last reset), per task, for GET /emulator/stats."""

    tasks: dict[str, TaskStats] = field(default_factory=dict)
    rejected: int = 0
    live: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        """Zero every counter in place (the app and the Live handler share this object)."""
        self.tasks.clear()
        self.rejected = 0
        self.live.clear()

    def task(self, name: str) -> TaskStats:
        return self.tasks.setdefault(name, TaskStats())

    def as_json(self) -> dict[str, Any]:
        return {
            "total_calls": sum(t.calls for t in self.tasks.values()),
            "calls": {name: t.calls for name, t in sorted(self.tasks.items())},
            "tasks": {name: asdict(t) for name, t in sorted(self.tasks.items())},
            "rejected": self.rejected,
            "live": dict(sorted(self.live.items())),
        }


def _non_negative_int(body: dict[str, Any], key: str, upper: int) -> int:
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= upper:
        raise ValueError(f"{key} must be an integer between 0 and {upper}")
    return value


class FaultInjector:
    """Holds the fault plan; `decide` consumes it one call at a time."""

    def __init__(self, default_delay_ms: int = 0) -> None:
        self.default_delay_ms = default_delay_ms
        self.plan = FaultPlan(delay_ms=default_delay_ms)

    def reset(self) -> FaultPlan:
        """Back to the start-up state (the --delay-ms default included)."""
        self.plan = FaultPlan(delay_ms=self.default_delay_ms)
        return self.plan

    def configure(self, body: object) -> FaultPlan:
        """Apply the fields present in `body`; absent fields keep their value. Raises ValueError."""
        if not isinstance(body, dict):
            raise ValueError("expected a JSON object")
        unknown = set(body) - _FIELDS
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        plan = FaultPlan(**asdict(self.plan))
        if "fail_next" in body:
            plan.fail_next = _non_negative_int(body, "fail_next", 1_000_000)
        if "malformed_next" in body:
            plan.malformed_next = _non_negative_int(body, "malformed_next", 1_000_000)
        if "delay_ms" in body:
            plan.delay_ms = _non_negative_int(body, "delay_ms", MAX_DELAY_MS)
        if "status" in body:
            status = body["status"]
            if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
                raise ValueError("status must be an HTTP error status between 400 and 599")
            plan.status = status
        if "task" in body:
            task = body["task"]
            if task is not None and not isinstance(task, str):
                raise ValueError("task must be a task name or null")
            plan.task = task
        self.plan = plan
        return plan

    def decide(self, task: str) -> Decision:
        """Consume the plan for one call of `task`: failure first, then malformed output."""
        plan = self.plan
        applies = plan.task is None or plan.task == task
        if applies and plan.fail_next > 0:
            plan.fail_next -= 1
            return Decision(plan.delay_ms, plan.status, malformed=False)
        if applies and plan.malformed_next > 0:
            plan.malformed_next -= 1
            return Decision(plan.delay_ms, None, malformed=True)
        return Decision(plan.delay_ms, None, malformed=False)

    def as_json(self) -> dict[str, Any]:
        return asdict(self.plan)


STATS_KEY: web.AppKey[Stats] = web.AppKey("gemini_emulator_stats", Stats)
FAULTS_KEY: web.AppKey[FaultInjector] = web.AppKey("gemini_emulator_faults", FaultInjector)
