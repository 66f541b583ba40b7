"""Named profiles: how much of the real API's worst day the emulator shows, in one word.

The emulator's one profile mechanism, for both of its APIs. A profile is a set of fault-plan
fields: REST ones (faults.FaultPlan) and Live ones (`live_*`, live_runtime.LiveFaultPlan). The
emulator starts from `--profile` / GEMINI_EMULATOR_PROFILE (default `strict`);
`POST /emulator/faults {"profile": NAME, ...}` switches a running one (both plans reset to the
profile first, then the other fields of the same body apply, flat or in a `live` section), and
`DELETE /emulator/faults` returns to the start-up profile.

- `ideal`: everything accepted at once, any model name, any schema, questions word for word,
  handles that never expire (the emulator before issue 17).
- `strict`: every behaviour of the real API that costs no time. REST: unknown model names 404,
  schemas and thinking settings the model rejects 400. Live: setups naming a model the Live API does
  not serve or a thinking level it does not take refused, planned questions paraphrased, resumption
  handles single-use and expiring, the end_interview call before the goodbye audio on every second
  closing turn, tool responses that are not SILENT answered aloud, pending tool calls cancelled on a
  barge-in. The local stack's (and so `make test`'s) default, so every test meets them.
- `realistic`: strict, plus the worst day: seconds of latency, 429s with RetryInfo, 503s, over-long
  texts and the odd safety block on REST; a slow model, a goAway every 10 minutes of connection age
  and a refused (quota) setup now and then on Live; all on a fixed schedule (a run is repeatable).

Timers and closes that cost a test time (goAway at a connection age, quota/outage/session-limit
closes, refused setups, the clock scale) are in no profile but `realistic`'s goAway: tests set them
for themselves, short or on a sped-up clock.

Adding a knob: give it a field in its plan (faults.FaultPlan, or live_runtime.LiveFaultPlan with
the `live_` prefix), then set it in the profiles below.
"""

from __future__ import annotations

import os
from typing import Any

from .live_runtime import LIVE_FIELDS

PROFILE_ENV = "GEMINI_EMULATOR_PROFILE"
DEFAULT_PROFILE = "strict"

_STRICT_LIVE: dict[str, Any] = {
    "live_check_setup": True,
    "live_paraphrase": True,
    "live_handle_ttl_s": 7_200.0,
    "live_handle_single_use": True,
    "live_tool_first_every": 2,
    "live_answer_tool_responses": True,
    "live_tool_cancel_on_barge_in": True,
}
"""The Live API's everyday behaviours that cost no time (the README's Live table says each)."""

PROFILES: dict[str, dict[str, Any]] = {
    "ideal": {
        "check_models": False,
        "check_schema": False,
        "live_check_setup": False,
        "live_paraphrase": False,
        "live_handle_ttl_s": None,
        "live_handle_single_use": False,
        "live_tool_first_every": None,
        "live_answer_tool_responses": False,
        "live_tool_cancel_on_barge_in": False,
    },
    "strict": {"check_models": True, "check_schema": True, **_STRICT_LIVE},
    "realistic": {
        "check_models": True,
        "check_schema": True,
        **_STRICT_LIVE,
        "live_delay_ms": 700,
        "live_goaway_every_s": 600.0,
        "live_goaway_time_left_s": 30.0,
        "live_refuse_every": 9,
        "live_refuse_kind": "quota",
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
    """(REST fields, Live fields) of a profile, the REST ones including `profile` itself; each is
    applied on top of its plan's defaults (FaultPlan(), LiveFaultPlan())."""
    if not isinstance(name, str) or name not in PROFILES:
        raise ValueError(f"unknown profile {name!r} (known: {', '.join(PROFILES)})")
    fields = PROFILES[name]
    rest = {"profile": name, **{k: v for k, v in fields.items() if k not in LIVE_FIELDS}}
    live = {k: v for k, v in fields.items() if k in LIVE_FIELDS}
    return rest, live
