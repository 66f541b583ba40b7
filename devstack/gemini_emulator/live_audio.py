"""Audio for the emulator's Live API: speech synthesis with espeak-ng, and end-of-turn detection.

The real Live API speaks with 24 kHz mono PCM and decides turns with server-side voice activity
detection. The emulator does the same with what a developer machine has: espeak-ng for the voice
(resampled to 24 kHz s16le, cached by text, because interviews repeat their phrases) and a simple
energy detector on the 16 kHz input: speech, then SILENCE_MS of silence, ends the candidate's turn.
"""

from __future__ import annotations

import asyncio
import logging
import math
import shutil
import struct
import subprocess
from collections import OrderedDict, deque
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

OUTPUT_RATE = 24_000
INPUT_RATE = 16_000
CACHE_ENTRIES = 512
SYNTH_TIMEOUT_SECONDS = 20.0

ESPEAK_VOICES = {"en": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt", "nl": "nl"}


class SynthesisError(RuntimeError):
    """espeak-ng is missing or failed; the session answers in text only."""


def _wav_pcm(wav: bytes) -> tuple[bytes, int]:
    """PCM bytes and sample rate of a mono s16 WAV written to a pipe (its sizes are 0xFFFFFFFF)."""
    if wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        raise SynthesisError("espeak-ng did not write a WAV stream")
    pos, rate = 12, 0
    while pos + 8 <= len(wav):
        chunk, size = wav[pos : pos + 4], struct.unpack("<I", wav[pos + 4 : pos + 8])[0]
        if chunk == b"fmt ":
            channels, rate = struct.unpack("<HI", wav[pos + 10 : pos + 16])
            if channels != 1:
                raise SynthesisError("espeak-ng wrote more than one channel")
        elif chunk == b"data":
            data = wav[pos + 8 :]
            return data[: len(data) - len(data) % 2], rate
        pos += 8 + size
    raise SynthesisError("espeak-ng wrote no audio")


def resample(pcm: bytes, rate_in: int, rate_out: int) -> bytes:
    """Linear-interpolation resampling of s16le mono; good enough for a synthetic voice."""
    if rate_in == rate_out or not pcm:
        return pcm
    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
    count = int(len(samples) * rate_out / rate_in)
    positions = np.arange(count, dtype=np.float64) * (rate_in / rate_out)
    out = np.interp(positions, np.arange(len(samples)), samples)
    return bytes(np.clip(out, -32768, 32767).astype("<i2").tobytes())


class Synthesizer:
    """Text to 24 kHz mono s16le PCM with espeak-ng, cached by (voice, text)."""

    def __init__(self, rate_wpm: int = 185, cache_entries: int = CACHE_ENTRIES) -> None:
        self.rate_wpm = rate_wpm
        self.cache_entries = cache_entries
        self._cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._pending: dict[tuple[str, str], asyncio.Future[bytes]] = {}
        self.binary = shutil.which("espeak-ng") or shutil.which("espeak")
        self.hits = 0
        self.misses = 0

    @property
    def available(self) -> bool:
        return self.binary is not None

    async def synthesize(self, text: str, language: str = "en") -> bytes:
        """PCM for `text`; concurrent requests for the same text share one espeak-ng run."""
        key = (ESPEAK_VOICES.get(language, "en"), text)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self.hits += 1
            return cached
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        self.misses += 1
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            pcm = await self._run(key[0], text)
        except BaseException as error:
            future.set_exception(error if isinstance(error, Exception) else SynthesisError("cancelled"))
            future.exception()  # retrieved: waiters get it, nobody is warned about it
            raise
        finally:
            self._pending.pop(key, None)
        future.set_result(pcm)
        self._cache[key] = pcm
        while len(self._cache) > self.cache_entries:
            self._cache.popitem(last=False)
        return pcm

    async def _run(self, voice: str, text: str) -> bytes:
        if self.binary is None:
            raise SynthesisError("espeak-ng is not installed")
        process = await asyncio.create_subprocess_exec(
            self.binary,
            "--stdout",
            "-v",
            voice,
            "-s",
            str(self.rate_wpm),
            "--",
            text,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(), SYNTH_TIMEOUT_SECONDS)
        except TimeoutError as error:
            process.kill()
            await process.wait()
            raise SynthesisError("espeak-ng timed out") from error
        if process.returncode != 0:
            raise SynthesisError(f"espeak-ng failed: {err.decode(errors='replace')[:200]}")
        pcm, rate = _wav_pcm(out)
        return await asyncio.to_thread(resample, pcm, rate, OUTPUT_RATE)


def silence(seconds: float, rate: int = OUTPUT_RATE) -> bytes:
    return b"\x00\x00" * int(seconds * rate)


def pcm_seconds(pcm: bytes, rate: int = OUTPUT_RATE) -> float:
    return len(pcm) / 2 / rate


def first_voiced_offset(pcm: bytes, threshold: float = 300.0, rate: int = OUTPUT_RATE) -> float | None:
    """Seconds into `pcm` where the first 10 ms frame louder than `threshold` starts, or None."""
    frame = rate // 100 * 2
    for offset in range(0, len(pcm) - frame + 1, frame):
        if rms(pcm[offset : offset + frame]) >= threshold:
            return offset / 2 / rate
    return None


def rms(pcm: bytes) -> float:
    """Root mean square of s16le samples (0..32768)."""
    if len(pcm) < 2:
        return 0.0
    import numpy as np

    samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float32)
    return float(math.sqrt(float(np.mean(samples * samples))))


@dataclass(frozen=True)
class SpeechEvent:
    """`start` when the candidate starts talking; `end` when their turn is over."""

    kind: str  # "start" | "end"
    speech_seconds: float = 0.0
    at_audio_seconds: float = 0.0
    """Position in the input stream where the speech started (start) or last sounded (end)."""
    pcm: bytes = field(default=b"", repr=False)
    """On `end`: the turn's audio, from a little before it started to a little after it last sounded."""


class SpeechDetector:
    """Energy-based voice activity detection on 16 kHz s16le input, fed in chunks of any size.

    Speech starts after START_MS of loud audio within a short window and ends after `silence_ms`
    of quiet. The thresholds suit a microphone or a synthetic voice; background hiss stays below.
    Each `end` carries the turn's audio for transcription (its first `max_speech_seconds`).
    """

    FRAME_MS = 10
    START_MS = 60
    PAD_MS = 200
    """Audio kept before the speech started and after it last sounded (soft onsets and endings)."""

    def __init__(
        self,
        threshold: float = 400.0,
        silence_ms: int = 600,
        rate: int = INPUT_RATE,
        max_speech_seconds: float = 120.0,
    ) -> None:
        self.threshold = threshold
        self.silence_ms = silence_ms
        self.rate = rate
        self.frame_bytes = rate * self.FRAME_MS // 1000 * 2
        self._buffer = b""
        self._position_ms = 0
        self.speaking = False
        self._voiced_run_ms = 0
        self._quiet_ms = 0
        self._speech_start_ms = 0
        self._last_voiced_ms = 0
        self._max_speech_bytes = int(max_speech_seconds * rate) * 2
        self._recent: deque[bytes] = deque(maxlen=(self.START_MS + self.PAD_MS) // self.FRAME_MS)
        self._speech = bytearray()
        self._voiced_bytes = 0

    def reset(self) -> None:
        self._buffer = b""
        self.speaking = False
        self._voiced_run_ms = 0
        self._quiet_ms = 0
        self._recent.clear()
        self._speech.clear()

    def feed(self, pcm: bytes) -> list[SpeechEvent]:
        events: list[SpeechEvent] = []
        self._buffer += pcm
        frames = len(self._buffer) // self.frame_bytes
        if not frames:
            return events
        cut = frames * self.frame_bytes
        data, self._buffer = self._buffer[:cut], self._buffer[cut:]
        levels = _frame_levels(data, self.frame_bytes)
        pad_bytes = self.PAD_MS * self.rate // 1000 * 2
        for index, level in enumerate(levels):
            frame = data[index * self.frame_bytes : (index + 1) * self.frame_bytes]
            self._position_ms += self.FRAME_MS
            voiced = level >= self.threshold
            if not self.speaking:
                self._recent.append(frame)
                self._voiced_run_ms = self._voiced_run_ms + self.FRAME_MS if voiced else 0
                if self._voiced_run_ms >= self.START_MS:
                    self.speaking = True
                    self._quiet_ms = 0
                    self._speech_start_ms = self._position_ms - self._voiced_run_ms
                    self._last_voiced_ms = self._position_ms
                    self._speech = bytearray(b"".join(self._recent))
                    self._voiced_bytes = len(self._speech)
                    self._recent.clear()
                    events.append(SpeechEvent("start", at_audio_seconds=self._speech_start_ms / 1000))
                continue
            if len(self._speech) < self._max_speech_bytes:
                self._speech += frame
            if voiced:
                self._quiet_ms = 0
                self._last_voiced_ms = self._position_ms
                self._voiced_bytes = len(self._speech)
            else:
                self._quiet_ms += self.FRAME_MS
                if self._quiet_ms >= self.silence_ms:
                    self.speaking = False
                    self._voiced_run_ms = 0
                    seconds = (self._last_voiced_ms - self._speech_start_ms) / 1000
                    pcm = bytes(self._speech[: self._voiced_bytes + pad_bytes])
                    self._speech = bytearray()
                    events.append(SpeechEvent("end", seconds, self._last_voiced_ms / 1000, pcm))
        return events


def _frame_levels(data: bytes, frame_bytes: int) -> list[float]:
    import numpy as np

    samples = np.frombuffer(data, dtype="<i2").astype(np.float32).reshape(-1, frame_bytes // 2)
    return [float(v) for v in np.sqrt(np.mean(samples * samples, axis=1))]


def split_sentences(text: str) -> list[str]:
    """Sentences, so the first can be spoken while the rest is still being synthesised."""
    parts: list[str] = []
    current = ""
    for index, char in enumerate(text):
        current += char
        at_end = index + 1 == len(text) or text[index + 1] == " "
        if char in ".?!" and at_end and len(current.strip()) > 1:
            parts.append(current.strip())
            current = ""
    if current.strip():
        parts.append(current.strip())
    return parts


def run_sync(binary: str, text: str) -> bytes:
    """Synchronous synthesis for scripts and tests (the synthetic candidate), 16 kHz mono s16le."""
    out = subprocess.run(
        [binary, "--stdout", "-v", "en", "--", text], capture_output=True, check=True, timeout=30
    ).stdout
    pcm, rate = _wav_pcm(out)
    return resample(pcm, rate, INPUT_RATE)
