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
LIVE_FIELDS = {
    "live_goaway_after_turns",
    "live_close_after_turns",
    "live_close_code",
    "live_delay_ms",
    "live_transcribe",
}


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
    """What the next Live sessions should suffer; the turn-count faults fire once, then clear.

    live_goaway_after_turns: after that many model turns on one connection, send goAway and close
    the socket when its timeLeft is over (the client is expected to resume with its last handle).
    live_close_after_turns / live_close_code: close abruptly after that many turns (1007 is what
    Gemini sends for a session it cannot continue; the plugin treats it as fatal).
    live_delay_ms: wait this long before each reply starts (the model's "thinking" time).
    live_transcribe: recognise the candidate's speech (live_transcribe.py) or send placeholders.
    Benchmarks of the agent turn it off: Gemini's recognition does not run on the agent's cores.
    """

    live_goaway_after_turns: int | None = None
    live_close_after_turns: int | None = None
    live_close_code: int = 1011
    live_delay_ms: int = 0
    live_transcribe: bool = True


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
    faults: LiveFaultPlan = field(default_factory=LiveFaultPlan)
    synthesizer: Synthesizer = field(default_factory=Synthesizer)
    transcriber: Transcriber = field(default_factory=Transcriber)
    handles: OrderedDict[str, dict[str, Any]] = field(default_factory=OrderedDict)
    turns: deque[TurnTiming] = field(default_factory=lambda: deque(maxlen=MAX_TURN_LOG))
    active_sessions: int = 0

    def __post_init__(self) -> None:
        self.faults.live_delay_ms = self.default_delay_ms

    # -- faults -----------------------------------------------------------------------------------
    def configure(self, body: dict[str, Any]) -> LiveFaultPlan:
        """Apply the live_* fields present; raises ValueError on a bad value (nothing changes then)."""
        plan = LiveFaultPlan(**asdict(self.faults))
        for key in ("live_goaway_after_turns", "live_close_after_turns"):
            if key in body:
                value = body[key]
                if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                    raise ValueError(f"{key} must be a non-negative integer or null")
                setattr(plan, key, value)
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
        if "live_transcribe" in body:
            if not isinstance(body["live_transcribe"], bool):
                raise ValueError("live_transcribe must be true or false")
            plan.live_transcribe = body["live_transcribe"]
        self.faults = plan
        return plan

    def reset(self) -> None:
        self.faults = LiveFaultPlan(live_delay_ms=self.default_delay_ms)

    def faults_json(self) -> dict[str, Any]:
        """The plan, or {} while it is the start-up default (so the REST plan keeps its shape)."""
        current = asdict(self.faults)
        return {} if current == asdict(LiveFaultPlan(live_delay_ms=self.default_delay_ms)) else current

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

    # -- session resumption -----------------------------------------------------------------------
    def new_handle(self, snapshot: dict[str, Any]) -> str:
        handle = secrets.token_urlsafe(18)
        self.handles[handle] = {"state": snapshot, "created": time.time()}
        while len(self.handles) > MAX_HANDLES:
            self.handles.popitem(last=False)
        return handle

    def resume(self, handle: str) -> dict[str, Any] | None:
        entry = self.handles.get(handle)
        return dict(entry["state"]) if entry else None

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
