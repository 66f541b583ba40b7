"""State the Live sessions of one emulator share: fault plan, resumption handles, turn timings, voice.

Kept apart from the REST fault plan (faults.py) so neither changes the other's shape; the admin
endpoint `/emulator/faults` routes `live_*` fields here. Everything is touched only from the event
loop, so there is no locking.
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
PROFILES = ("realistic", "ideal")
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


def _env_profile() -> str:
    value = os.environ.get("GEMINI_LIVE_PROFILE", "") or "realistic"
    return value if value in PROFILES else "realistic"


@dataclass
class LiveFaultPlan:
    """What the next Live sessions should suffer. Turn-count faults fire once, then clear; the
    profile's behaviours and the timers apply to every connection until changed or reset.

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
    live_profile: str = "realistic"
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

    @classmethod
    def for_profile(cls, profile: str, delay_ms: int = 0) -> LiveFaultPlan:
        """realistic: what the real API does every day and costs a test no time (paraphrased
        questions, expiring single-use handles, some tool calls before the goodbye audio, answered
        tool responses, cancelled tool calls on barge-in); timers stay off, tests set them.
        ideal: the emulator as it was, word for word and forgiving."""
        if profile == "ideal":
            return cls(
                live_delay_ms=delay_ms,
                live_profile="ideal",
                live_handle_ttl_s=None,
                live_handle_single_use=False,
                live_paraphrase=False,
                live_tool_first_every=None,
                live_tool_cancel_on_barge_in=False,
                live_answer_tool_responses=False,
            )
        return cls(live_delay_ms=delay_ms, live_profile="realistic")


_INT_OR_NONE = ("live_goaway_after_turns", "live_close_after_turns", "live_tool_first_every")
_SECONDS_OR_NONE = ("live_goaway_every_s", "live_handle_ttl_s", "live_close_after_s")
_BOOLS = (
    "live_transcribe",
    "live_handle_single_use",
    "live_paraphrase",
    "live_tool_cancel_on_barge_in",
    "live_answer_tool_responses",
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


@dataclass
class LiveRuntime:
    default_delay_ms: int = field(default_factory=lambda: _env_int("GEMINI_LIVE_DELAY_MS", 0))
    silence_ms: int = field(default_factory=lambda: _env_int("GEMINI_LIVE_SILENCE_MS", 600))
    audio_speed: float = field(default_factory=lambda: _env_float("GEMINI_LIVE_AUDIO_SPEED", 3.0))
    """How much faster than real time a reply's audio streams out (Gemini's native audio arrives in
    bursts at about 1-3x; 0 sends each sentence's chunks at once)."""
    profile: str = field(default_factory=_env_profile)
    """The start-up profile (GEMINI_LIVE_PROFILE, default realistic); a reset returns to it."""
    faults: LiveFaultPlan = field(default_factory=LiveFaultPlan)
    synthesizer: Synthesizer = field(default_factory=Synthesizer)
    transcriber: Transcriber = field(default_factory=Transcriber)
    handles: OrderedDict[str, dict[str, Any]] = field(default_factory=OrderedDict)
    turns: deque[TurnTiming] = field(default_factory=lambda: deque(maxlen=MAX_TURN_LOG))
    active_sessions: int = 0
    closing_turns: int = 0

    def __post_init__(self) -> None:
        self.faults = LiveFaultPlan.for_profile(self.profile, self.default_delay_ms)

    # -- faults -----------------------------------------------------------------------------------
    def configure(self, body: dict[str, Any]) -> LiveFaultPlan:
        """Apply the live_* fields present; raises ValueError on a bad value (nothing changes then).

        `live_profile` first resets every behaviour to that profile; the other fields given in the
        same body then apply on top of it, so one request can say "realistic, with goAways".
        """
        unknown = set(body) - LIVE_FIELDS
        if unknown:
            raise ValueError(f"unknown Live fields: {', '.join(sorted(unknown))}")
        plan = LiveFaultPlan(**asdict(self.faults))
        if "live_profile" in body:
            if body["live_profile"] not in PROFILES:
                raise ValueError(f"live_profile must be one of {', '.join(PROFILES)}")
            plan = LiveFaultPlan.for_profile(body["live_profile"], plan.live_delay_ms)
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
        if "live_refuse_setups" in body:
            plan.live_refuse_setups = _count(body, "live_refuse_setups")
        for key in ("live_close_kind", "live_refuse_kind"):
            if key in body:
                if body[key] not in CLOSE_KINDS:
                    raise ValueError(f"{key} must be one of {', '.join(CLOSE_KINDS)}")
                setattr(plan, key, body[key])
        self.faults = plan
        return plan

    def reset(self) -> None:
        self.faults = LiveFaultPlan.for_profile(self.profile, self.default_delay_ms)

    def faults_json(self) -> dict[str, Any]:
        """The plan, or {} while it is the start-up default (so the REST plan keeps its shape)."""
        current = asdict(self.faults)
        default = asdict(LiveFaultPlan.for_profile(self.profile, self.default_delay_ms))
        return {} if current == default else current

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
        """The close code and reason for a setup refused by the plan (quota, outage), or None."""
        if self.faults.live_refuse_setups <= 0:
            return None
        self.faults.live_refuse_setups -= 1
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
