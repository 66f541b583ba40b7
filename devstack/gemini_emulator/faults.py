"""Fault plans and call statistics: how the emulator behaves like the real API's worst day.

The real API misbehaves in a few typical ways: it refuses model names it does not serve (404) and
schemas or settings a model rejects (400), answers 429 RESOURCE_EXHAUSTED with a RetryInfo delay when
the quota runs out, 503 when overloaded, takes seconds to answer, blocks prompts or answers with its
safety filters, runs out of tokens mid-JSON and writes texts longer than asked for. Callers' budgets,
retries and validation are only trustworthy if those are exercised.

A *profile* is a named set of plan fields (profiles.py); the plan starts from one (`--profile` /
GEMINI_EMULATOR_PROFILE, default `strict`) and tests change it per test over `POST /emulator/faults`
(`{"profile": "realistic", "delay_ms": 200}` applies the profile, then the other fields). Fields,
all optional:

- `check_models`, `check_schema`: refuse unknown models (404) and schemas or thinking settings the
  model rejects (400; checks.py).
- `delay_ms`: latency of every generateContent call.
- `fail_next`, `status`: the next N calls answer `status`; a 429 comes in Google's
  RESOURCE_EXHAUSTED shape with a RetryInfo of `retry_after_s`.
- `malformed_next`: the next N answers are JSON cut off mid-way (finishReason MAX_TOKENS).
- `blocked_next`, `block`: the next N calls are stopped by safety filters, `"prompt"`
  (promptFeedback.blockReason) or `"answer"` (finishReason SAFETY).
- `overlong_next`: the next N answers have texts far longer than the product's bounds.
- `rate_limit_every`, `unavailable_every`, `blocked_every`, `overlong_every`: every Nth call
  (counted per plan) gets a 429, a 503, a safety block, over-long texts; 0 is off.
- `task`: one-shot faults only for this task (`skill_extraction`, `evaluation`).

State lives in one process and is touched only from the event loop, so no locking is needed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from aiohttp import web

MAX_DELAY_MS = 600_000
MAX_COUNT = 1_000_000
BLOCK_KINDS = ("prompt", "answer")


@dataclass
class FaultPlan:
    """What the next calls should suffer (the list in the module docstring)."""

    profile: str = "strict"
    check_models: bool = True
    check_schema: bool = True
    delay_ms: int = 0
    fail_next: int = 0
    status: int = 503
    retry_after_s: int = 7
    malformed_next: int = 0
    blocked_next: int = 0
    block: str = "answer"
    overlong_next: int = 0
    rate_limit_every: int = 0
    unavailable_every: int = 0
    blocked_every: int = 0
    overlong_every: int = 0
    task: str | None = None
    calls: int = 0
    """Calls that reached fault injection under this plan (what the `*_every` faults count)."""


PLAN_FIELDS = {f.name for f in fields(FaultPlan)} - {"calls"}
_COUNTS = {
    "fail_next",
    "malformed_next",
    "blocked_next",
    "overlong_next",
    "rate_limit_every",
    "unavailable_every",
    "blocked_every",
    "overlong_every",
}


@dataclass(frozen=True)
class Decision:
    """The fate of one generateContent call."""

    delay_ms: int
    fail_status: int | None
    malformed: bool
    blocked: str | None = None
    overlong: bool = False
    retry_after_s: int = 7


@dataclass
class TaskStats:
    calls: int = 0
    ok: int = 0
    injected_failures: int = 0
    malformed: int = 0
    blocked: int = 0
    overlong: int = 0
    errors: int = 0


@dataclass
class Stats:
    """Counts since start (or the last reset), per task, for GET /emulator/stats."""

    tasks: dict[str, TaskStats] = field(default_factory=dict)
    rejected: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    """Requests the real API would refuse, by check (`model`, `schema`, `thinking`)."""
    live: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        """Zero every counter in place (the app and the Live handler share this object)."""
        self.tasks.clear()
        self.rejected = 0
        self.refused.clear()
        self.live.clear()

    def task(self, name: str) -> TaskStats:
        return self.tasks.setdefault(name, TaskStats())

    def as_json(self) -> dict[str, Any]:
        return {
            "total_calls": sum(t.calls for t in self.tasks.values()),
            "calls": {name: t.calls for name, t in sorted(self.tasks.items())},
            "tasks": {name: asdict(t) for name, t in sorted(self.tasks.items())},
            "rejected": self.rejected,
            "refused": dict(sorted(self.refused.items())),
            "live": dict(sorted(self.live.items())),
        }


def _count(body: dict[str, Any], key: str, upper: int) -> int:
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= upper:
        raise ValueError(f"{key} must be an integer between 0 and {upper}")
    return value


def _flag(body: dict[str, Any], key: str) -> bool:
    value = body[key]
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def apply_fields(plan: FaultPlan, body: dict[str, Any]) -> FaultPlan:
    """A copy of `plan` with the REST fields of `body` applied; raises ValueError (nothing changes)."""
    unknown = set(body) - PLAN_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    plan = FaultPlan(**asdict(plan))
    for key in _COUNTS & set(body):
        setattr(plan, key, _count(body, key, MAX_COUNT))
    for key in ("check_models", "check_schema"):
        if key in body:
            setattr(plan, key, _flag(body, key))
    if "delay_ms" in body:
        plan.delay_ms = _count(body, "delay_ms", MAX_DELAY_MS)
    if "retry_after_s" in body:
        plan.retry_after_s = _count(body, "retry_after_s", 3600)
    if "status" in body:
        status = body["status"]
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            raise ValueError("status must be an HTTP error status between 400 and 599")
        plan.status = status
    if "block" in body:
        if body["block"] not in BLOCK_KINDS:
            raise ValueError(f"block must be one of {', '.join(BLOCK_KINDS)}")
        plan.block = body["block"]
    if "task" in body:
        task = body["task"]
        if task is not None and not isinstance(task, str):
            raise ValueError("task must be a task name or null")
        plan.task = task
    if "profile" in body:
        if not isinstance(body["profile"], str):
            raise ValueError("profile must be a profile name")
        plan.profile = body["profile"]
    return plan


class FaultInjector:
    """Holds the fault plan; `decide` consumes it one call at a time. `startup` is the plan that
    DELETE /emulator/faults restores (the start-up profile with the command line's overrides)."""

    def __init__(self, startup: FaultPlan | None = None) -> None:
        self.startup = FaultPlan(**asdict(startup or FaultPlan()))
        self.plan = FaultPlan(**asdict(self.startup))

    def reset(self) -> FaultPlan:
        """Back to the start-up state."""
        self.plan = FaultPlan(**asdict(self.startup))
        return self.plan

    def replace(self, plan: FaultPlan) -> FaultPlan:
        self.plan = plan
        return plan

    def configure(self, body: object) -> FaultPlan:
        """Apply the fields present in `body`; absent fields keep their value. Raises ValueError."""
        if not isinstance(body, dict):
            raise ValueError("expected a JSON object")
        self.plan = apply_fields(self.plan, body)
        return self.plan

    @staticmethod
    def _every(calls: int, every: int) -> bool:
        return every > 0 and calls % every == 0

    def decide(self, task: str) -> Decision:
        """Consume the plan for one call of `task`: one-shot faults first (failure, safety block,
        malformed output, over-long output), then the periodic ones."""
        plan = self.plan
        plan.calls += 1

        def fate(
            status: int | None = None,
            malformed: bool = False,
            blocked: str | None = None,
            overlong: bool = False,
        ) -> Decision:
            return Decision(plan.delay_ms, status, malformed, blocked, overlong, plan.retry_after_s)

        applies = plan.task is None or plan.task == task
        if applies and plan.fail_next > 0:
            plan.fail_next -= 1
            return fate(status=plan.status)
        if applies and plan.blocked_next > 0:
            plan.blocked_next -= 1
            return fate(blocked=plan.block)
        if applies and plan.malformed_next > 0:
            plan.malformed_next -= 1
            return fate(malformed=True)
        if applies and plan.overlong_next > 0:
            plan.overlong_next -= 1
            return fate(overlong=True)
        if self._every(plan.calls, plan.rate_limit_every):
            return fate(status=429)
        if self._every(plan.calls, plan.unavailable_every):
            return fate(status=503)
        if self._every(plan.calls, plan.blocked_every):
            return fate(blocked=plan.block)
        return fate(overlong=self._every(plan.calls, plan.overlong_every))

    def as_json(self) -> dict[str, Any]:
        return asdict(self.plan)


STATS_KEY: web.AppKey[Stats] = web.AppKey("gemini_emulator_stats", Stats)
FAULTS_KEY: web.AppKey[FaultInjector] = web.AppKey("gemini_emulator_faults", FaultInjector)


# -- over-long output ------------------------------------------------------------------------------
LENGTHEN: dict[str, dict[str, int]] = {
    "evaluation": {"summary": 2_600, "rationale": 1_300, "strengths": 420, "weaknesses": 420},
    "skill_extraction": {"description": 520, "follow_ups": 480},
}
"""Per task, the fields a long-winded model over-writes and to how many characters: past the
product's bounds (summary 2000, rationale 1000, list items 300, skill descriptions 400, follow-ups
400), so callers must clip rather than fail."""

_RAMBLE = "To put it another way, the answer covered this point in considerable detail."


def _pad(text: str, target: int) -> str:
    """`text` repeated (as a model that rambles repeats itself) until it is `target` characters."""
    base = text.strip() if len(text.strip()) > 20 else _RAMBLE
    out = text.strip() or _RAMBLE
    while len(out) < target:
        out = f"{out} {base}"
    return out[:target]


def lengthen(output: Any, task: str) -> Any:
    """The handler's output with the task's over-writable fields blown past their bounds."""
    targets = LENGTHEN.get(task, {})

    def walk(value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(item, key) for item in value]
        if isinstance(value, str) and key in targets:
            return _pad(value, targets[key])
        return value

    return walk(output, None)
