"""Named profiles: how much of the real API's worst day the emulator shows, in one word.

A profile is a set of fault-plan fields (faults.py for the REST ones, `live_*` for the Live API's,
which live_runtime.py applies). The emulator starts from `--profile` / GEMINI_EMULATOR_PROFILE
(default `strict`); `POST /emulator/faults {"profile": NAME, ...}` switches a running one (the
profile first, then the other fields of the same body), and `DELETE /emulator/faults` returns to the
start-up profile.

- `ideal`: everything accepted at once, any model name, any schema (the emulator before issue 17).
- `strict`: the checks that cost no time: unknown model names 404, schemas and thinking settings
  the model rejects 400. The local stack's default, so every test sends what the real API accepts.
- `realistic`: strict, plus the worst day: seconds of latency, 429s with RetryInfo, 503s, over-long
  texts and the odd safety block, on a fixed schedule of calls (so a run is repeatable).

Adding a knob (the Live half adds goAway timers, handle expiry...): give it a field in its plan
(faults.FaultPlan or live_runtime.LiveFaultPlan, `live_` prefix), then set it in the profiles below.
"""

from __future__ import annotations

import os
from typing import Any

from .live_runtime import LIVE_FIELDS

PROFILE_ENV = "GEMINI_EMULATOR_PROFILE"
DEFAULT_PROFILE = "strict"

PROFILES: dict[str, dict[str, Any]] = {
    "ideal": {"check_models": False, "check_schema": False},
    "strict": {"check_models": True, "check_schema": True},
    "realistic": {
        "check_models": True,
        "check_schema": True,
        "delay_ms": 4_000,
        "rate_limit_every": 7,
        "retry_after_s": 7,
        "unavailable_every": 11,
        "overlong_every": 3,
        "blocked_every": 29,
        "block": "answer",
    },
}


def startup_profile(name: str | None = None) -> str:
    """The profile to start with: the argument, else GEMINI_EMULATOR_PROFILE, else strict."""
    chosen = name or os.environ.get(PROFILE_ENV, "").strip() or DEFAULT_PROFILE
    if chosen not in PROFILES:
        raise ValueError(f"unknown emulator profile {chosen!r} (known: {', '.join(PROFILES)})")
    return chosen


def profile_fields(name: object) -> tuple[dict[str, Any], dict[str, Any]]:
    """(REST fields, Live fields) of a profile, the REST ones including `profile` itself."""
    if not isinstance(name, str) or name not in PROFILES:
        raise ValueError(f"unknown profile {name!r} (known: {', '.join(PROFILES)})")
    fields = PROFILES[name]
    rest = {"profile": name, **{k: v for k, v in fields.items() if k not in LIVE_FIELDS}}
    live = {k: v for k, v in fields.items() if k in LIVE_FIELDS}
    return rest, live
