"""Per-turn latency: from the moment the candidate stops speaking to the agent's first audio.

Gemini Live decides turns on the server and tells the client nothing about when speech ended, so the
agent watches the candidate's audio itself: `SpeechTap` sits in the session's audio input chain,
measures each frame's energy (a few microseconds a frame) and records speech segments. When the agent
starts speaking (the session's agent_state_changed -> "speaking", stamped at the first audio frame
handed to the room), the gap since the end of the candidate's last segment is one sample.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from livekit import rtc
from livekit.agents.voice.io import AudioInput

from interview_core import metrics

MAX_SAMPLES = 1_000


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Segment:
    start: float
    end: float


class SpeechActivity:
    """Speech segments from frame energies: START_MS loud to start, SILENCE_MS quiet to end."""

    START_MS = 60
    SILENCE_MS = 300

    def __init__(self, threshold: float = 400.0, clock: Callable[[], float] = time.time) -> None:
        self.threshold = threshold
        self.clock = clock
        self.speaking = False
        self.segments: list[Segment] = []
        self._voiced_ms = 0.0
        self._quiet_ms = 0.0
        self._start = 0.0
        self._last_voiced = 0.0

    def observe(self, level: float, duration_ms: float, now: float | None = None) -> None:
        """One frame's RMS level and length; `now` is when the frame's end was received."""
        now = self.clock() if now is None else now
        voiced = level >= self.threshold
        if not self.speaking:
            self._voiced_ms = self._voiced_ms + duration_ms if voiced else 0.0
            if self._voiced_ms >= self.START_MS:
                self.speaking = True
                self._quiet_ms = 0.0
                self._start = now - self._voiced_ms / 1000
                self._last_voiced = now
        elif voiced:
            self._quiet_ms = 0.0
            self._last_voiced = now
        else:
            self._quiet_ms += duration_ms
            if self._quiet_ms >= self.SILENCE_MS:
                self.speaking = False
                self._voiced_ms = 0.0
                self.segments.append(Segment(self._start, self._last_voiced))
                del self.segments[:-200]

    @property
    def last_end(self) -> float | None:
        return self.segments[-1].end if self.segments else None

    def since(self, after: float) -> list[Segment]:
        return [s for s in self.segments if s.end > after]


class SpeechTap(AudioInput):
    """A pass-through audio input that feeds SpeechActivity; it never changes or holds a frame."""

    def __init__(self, source: AudioInput, activity: SpeechActivity) -> None:
        super().__init__(label="speech-tap", source=source)
        self.activity = activity

    async def __anext__(self) -> rtc.AudioFrame:
        frame = await super().__anext__()
        samples = np.frombuffer(frame.data, dtype=np.int16)
        if samples.size:
            level = float(np.sqrt(np.mean(samples.astype(np.float32) ** 2)))
            self.activity.observe(level, 1000 * frame.samples_per_channel / frame.sample_rate)
        return frame


class LatencyTracker:
    """Samples of candidate-stopped-speaking -> agent-audio, in milliseconds."""

    def __init__(self, activity: SpeechActivity) -> None:
        self.activity = activity
        self.samples_ms: list[float] = []
        self._answered_until = 0.0

    def agent_started_speaking(self, at: float) -> float | None:
        """Record a sample when the candidate spoke since the agent's previous turn began."""
        end = self.activity.last_end
        if end is None or end <= self._answered_until or end > at:
            self._answered_until = max(self._answered_until, at)
            return None
        self._answered_until = at
        sample = (at - end) * 1000
        if len(self.samples_ms) < MAX_SAMPLES:
            self.samples_ms.append(sample)
        metrics.turn_latency(sample)  # every interview's turns, on the dashboard's turn p95
        return sample

    def summary(self) -> dict[str, float]:
        """p50/p95/max and count, for metrics.agent (empty when nothing was measured)."""
        if not self.samples_ms:
            return {"latency_count": 0.0}
        return {
            "latency_p50_ms": round(percentile(self.samples_ms, 50), 1),
            "latency_p95_ms": round(percentile(self.samples_ms, 95), 1),
            "latency_max_ms": round(max(self.samples_ms), 1),
            "latency_count": float(len(self.samples_ms)),
        }
