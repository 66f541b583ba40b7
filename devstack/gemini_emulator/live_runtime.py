"""State the Live sessions of one emulator share: fault plan, resumption handles, turn timings, voice.

The Live plan is the `live_*` half of the emulator's one profile mechanism (profiles.py): a profile
sets REST fields (faults.FaultPlan) and Live fields (LiveFaultPlan, here) together, at start-up and
over `POST /emulator/faults`, which routes `live_*` fields (flat or in a `live` section) here. The
two plans are kept apart so neither changes the other's shape. Everything is touched only from the
event loop, so there is no locking.
"""

from __future__ import annotations

import os
import secrets
import time
from collections import OrderedDict, deque
from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

from .live_audio import Synthesizer
from .live_transcribe import Transcriber

MAX_HANDLES = 2_000
MAX_TURN_LOG = 2_000
MAX_LIVE_DELAY_MS = 60_000
MAX_EMULATED_SECONDS = 86_400.0
CLOSE_KINDS = ("quota", "unavailable", "session_limit")

CLOSE_REASONS: dict[str, tuple[int, str]] = {
    # What the real API has been seen to send (google-genai raises them as APIError with the code):
    # a project over its concurrent-session quota, a backend outage, a session past its lifetime.
    "quota": (1011, "RESOURCE_EXHAUSTED: Maximum concurrent sessions exceeded for this project."),
    "unavailable": (1011, "The service is currently unavailable."),
    "session_limit": (1011, "Deadline expired before operation could complete."),
}
HANDLE_REFUSED = (1008, "Session resumption handle is invalid or has expired.")
"""Google does not document the code for a refused handle; the emulator uses 1008 (policy)."""


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


@dataclass
class LiveFaultPlan:
    """What the next Live sessions should suffer. Turn-count faults fire once, then clear; the
    behaviours and the timers apply to every connection until changed or reset. The defaults are
    the `strict` profile's (profiles.py): every behaviour of the real API that costs no time on,
    every timer and close off.

    live_goaway_after_turns: after that many model turns on one connection, send goAway and close
    the socket when its timeLeft is over (the client is expected to resume with its last handle).
    live_close_after_turns / live_close_code: close abruptly after that many turns (1007 is what
    Gemini sends for a session it cannot continue; the plugin treats it as fatal).
    live_delay_ms: wait this long before each reply starts (the model's "thinking" time).
    live_transcribe: recognise the candidate's speech (live_transcribe.py) or send placeholders.
    Benchmarks of the agent turn it off: Gemini's recognition does not run on the agent's cores.

    The worst-day knobs (README "Live profile"): times are emulated seconds, divided by
    live_clock_scale to get wall-clock seconds, so a 30-minute interview can run in two.
    """

    live_goaway_after_turns: int | None = None
    live_close_after_turns: int | None = None
    live_close_code: int = 1011
    live_delay_ms: int = 0
    live_transcribe: bool = True
    live_seed: int = 17
    live_clock_scale: float = 1.0
    live_goaway_every_s: float | None = None
    live_goaway_time_left_s: float = 30.0
    live_handle_ttl_s: float | None = 7_200.0
    live_handle_single_use: bool = True
    live_paraphrase: bool = True
    live_tool_first_every: int | None = 2
    live_tool_cancel_on_barge_in: bool = True
    live_answer_tool_responses: bool = True
    live_close_after_s: float | None = None
    live_close_kind: str = "quota"
    live_refuse_setups: int = 0
    live_refuse_kind: str = "quota"
    live_refuse_every: int = 0
    """Every n-th setup (new or resumed) of the emulator is refused with live_refuse_kind: the
    realistic profile's scheduled quota refusal (0: off)."""
    live_check_setup: bool = True
    """Refuse setups the real API refuses: a model name it does not serve for the Live API (close
    1008, "models/X is not found..."), a thinking level the model's family does not take (1007)."""


_INT_OR_NONE = ("live_goaway_after_turns", "live_close_after_turns", "live_tool_first_every")
_COUNTS = ("live_refuse_setups", "live_refuse_every")
_SECONDS_OR_NONE = ("live_goaway_every_s", "live_handle_ttl_s", "live_close_after_s")
_BOOLS = (
    "live_transcribe",
    "live_handle_single_use",
    "live_paraphrase",
    "live_tool_cancel_on_barge_in",
    "live_answer_tool_responses",
    "live_check_setup",
)
LIVE_FIELDS = set(LiveFaultPlan.__dataclass_fields__)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _count(body: dict[str, Any], key: str) -> int:
    value = body[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000:
        raise ValueError(f"{key} must be an integer between 0 and 1000")
    return value


@dataclass
class TurnTiming:
    """One model reply, for benchmarks: when the candidate stopped talking and when audio left."""

    session: str
    kind: str
    role: str
    """The interview's role from the plan (not personal data), so a benchmark can tell sessions apart."""
    speech_end_at: float | None
    detected_at: float | None
    started_at: float
    first_audio_at: float | None = None
    first_voice_at: float | None = None
    """When the first audible sample went out (synthesised speech starts with a little silence)."""
    completed_at: float | None = None
    interrupted: bool = False


def apply_live_fields(plan: LiveFaultPlan, body: dict[str, Any]) -> LiveFaultPlan:
    """A copy of `plan` with the live_* fields of `body` applied; raises ValueError on an unknown
    field or a bad value (pure, so the admin endpoint validates a whole body before changing
    anything)."""
    unknown = set(body) - LIVE_FIELDS
    if unknown:
        raise ValueError(f"unknown Live fields: {', '.join(sorted(unknown))}")
    plan = LiveFaultPlan(**asdict(plan))
    for key in _INT_OR_NONE:
        if key in body:
            value = body[key]
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{key} must be a non-negative integer or null")
            setattr(plan, key, value)
    for key in _SECONDS_OR_NONE:
        if key in body:
            value = body[key]
            if value is not None and (not _number(value) or not 0 < value <= MAX_EMULATED_SECONDS):
                raise ValueError(f"{key} must be seconds (0 to {MAX_EMULATED_SECONDS:g}) or null")
            setattr(plan, key, None if value is None else float(value))
    for key in _BOOLS:
        if key in body:
            if not isinstance(body[key], bool):
                raise ValueError(f"{key} must be true or false")
            setattr(plan, key, body[key])
    if "live_close_code" in body:
        code = body["live_close_code"]
        if isinstance(code, bool) or not isinstance(code, int) or not 1000 <= code <= 4999:
            raise ValueError("live_close_code must be a WebSocket close code (1000-4999)")
        plan.live_close_code = code
    if "live_delay_ms" in body:
        delay = body["live_delay_ms"]
        if isinstance(delay, bool) or not isinstance(delay, int) or not 0 <= delay <= MAX_LIVE_DELAY_MS:
            raise ValueError(f"live_delay_ms must be an integer between 0 and {MAX_LIVE_DELAY_MS}")
        plan.live_delay_ms = delay
    if "live_seed" in body:
        seed = body["live_seed"]
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError("live_seed must be an integer")
        plan.live_seed = seed
    if "live_clock_scale" in body:
        scale = body["live_clock_scale"]
        if not _number(scale) or not 0.01 <= scale <= 1_000:
            raise ValueError("live_clock_scale must be a number between 0.01 and 1000")
        plan.live_clock_scale = float(scale)
    if "live_goaway_time_left_s" in body:
        left = body["live_goaway_time_left_s"]
        if not _number(left) or not 0 <= left <= 3_600:
            raise ValueError("live_goaway_time_left_s must be a number of seconds between 0 and 3600")
        plan.live_goaway_time_left_s = float(left)
    for key in _COUNTS:
        if key in body:
            setattr(plan, key, _count(body, key))
    for key in ("live_close_kind", "live_refuse_kind"):
        if key in body:
            if body[key] not in CLOSE_KINDS:
                raise ValueError(f"{key} must be one of {', '.join(CLOSE_KINDS)}")
            setattr(plan, key, body[key])
    return plan


@dataclass
class LiveRuntime:
    startup: LiveFaultPlan = field(default_factory=LiveFaultPlan)
    """The start-up plan (the start-up profile's Live fields and the command line's overrides);
    DELETE /emulator/faults returns to it."""
    silence_ms: int = field(default_factory=lambda: _env_int("GEMINI_LIVE_SILENCE_MS", 600))
    audio_speed: float = field(default_factory=lambda: _env_float("GEMINI_LIVE_AUDIO_SPEED", 3.0))
    """How much faster than real time a reply's audio streams out (Gemini's native audio arrives in
    bursts at about 1-3x; 0 sends each sentence's chunks at once)."""
    faults: LiveFaultPlan = field(init=False)
    synthesizer: Synthesizer = field(default_factory=Synthesizer)
    transcriber: Transcriber = field(default_factory=Transcriber)
    handles: OrderedDict[str, dict[str, Any]] = field(default_factory=OrderedDict)
    turns: deque[TurnTiming] = field(default_factory=lambda: deque(maxlen=MAX_TURN_LOG))
    active_sessions: int = 0
    closing_turns: int = 0
    setups: int = 0
    """Setups that reached the refusal checks (what live_refuse_every counts)."""

    def __post_init__(self) -> None:
        self.faults = LiveFaultPlan(**asdict(self.startup))

    # -- faults -----------------------------------------------------------------------------------
    def configure(self, body: dict[str, Any]) -> LiveFaultPlan:
        """Apply the live_* fields present; raises ValueError on a bad value (nothing changes then)."""
        self.faults = apply_live_fields(self.faults, body)
        return self.faults

    def replace(self, plan: LiveFaultPlan) -> LiveFaultPlan:
        self.faults = plan
        return plan

    def reset(self) -> None:
        """Back to the start-up plan."""
        self.faults = LiveFaultPlan(**asdict(self.startup))

    def faults_json(self) -> dict[str, Any]:
        """The plan, or {} while it is the start-up plan (so the REST plan keeps its shape)."""
        current = asdict(self.faults)
        return {} if current == asdict(self.startup) else current

    def real_seconds(self, emulated: float) -> float:
        """Wall-clock seconds for `emulated` seconds of the emulated clock."""
        return emulated / self.faults.live_clock_scale

    def take_goaway(self, turns: int) -> bool:
        limit = self.faults.live_goaway_after_turns
        if limit is not None and turns >= limit:
            self.faults.live_goaway_after_turns = None
            return True
        return False

    def take_close(self, turns: int) -> int | None:
        limit = self.faults.live_close_after_turns
        if limit is not None and turns >= limit:
            self.faults.live_close_after_turns = None
            return self.faults.live_close_code
        return None

    def take_tool_first(self) -> bool:
        """Whether this closing turn sends its end_interview call before its goodbye audio: every
        live_tool_first_every-th closing turn of this emulator (a model does either)."""
        self.closing_turns += 1
        every = self.faults.live_tool_first_every
        return every is not None and every > 0 and self.closing_turns % every == 0

    def take_refusal(self) -> tuple[int, str] | None:
        """The close code and reason for a setup refused by the plan (quota, outage): one of the
        next live_refuse_setups, or every live_refuse_every-th; None when this one is let through."""
        self.setups += 1
        every = self.faults.live_refuse_every
        if self.faults.live_refuse_setups > 0:
            self.faults.live_refuse_setups -= 1
        elif not (every > 0 and self.setups % every == 0):
            return None
        return CLOSE_REASONS[self.faults.live_refuse_kind]

    # -- session resumption -----------------------------------------------------------------------
    def new_handle(self, snapshot: dict[str, Any]) -> str:
        handle = secrets.token_urlsafe(18)
        self.handles[handle] = {"state": snapshot, "created": time.monotonic(), "used": False}
        while len(self.handles) > MAX_HANDLES:
            self.handles.popitem(last=False)
        return handle

    def resume(self, handle: str) -> dict[str, Any] | None:
        """The conversation a handle stands for; None for a handle this emulator never issued."""
        entry = self.handles.get(handle)
        return dict(entry["state"]) if entry else None

    def handle_refusal(self, handle: str) -> str | None:
        """Why the real API would refuse this known handle (expired, already used), else None; a
        handle that is accepted is marked used."""
        entry = self.handles.get(handle)
        if entry is None:
            return None
        ttl = self.faults.live_handle_ttl_s
        if ttl is not None and time.monotonic() - entry["created"] > self.real_seconds(ttl):
            return "expired"
        if self.faults.live_handle_single_use and entry["used"]:
            return "used"
        entry["used"] = True
        return None

    # -- timings ----------------------------------------------------------------------------------
    def timings_json(self) -> dict[str, Any]:
        return {
            "active_sessions": self.active_sessions,
            "delay_ms": self.faults.live_delay_ms,
            "silence_ms": self.silence_ms,
            "synthesis_cache": {"hits": self.synthesizer.hits, "misses": self.synthesizer.misses},
            "transcription": {**self.transcriber.as_json(), "on": self.faults.live_transcribe},
            "turns": [asdict(t) for t in self.turns],
        }


LIVE_KEY: web.AppKey[LiveRuntime] = web.AppKey("gemini_emulator_live", LiveRuntime)
