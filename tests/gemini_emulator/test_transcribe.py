"""The local model's speech recognition: Whisper tiny.en in a child process, with placeholders as the
fallback whenever words cannot be had."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from devstack.gemini_emulator.live_audio import run_sync
from devstack.gemini_emulator.live_transcribe import Transcriber, model_dir
from tests.gemini_emulator.support import REPO_ROOT

SAID = "I have used it every day for five years, mostly to build reporting pipelines."


@pytest.fixture(scope="module")
def spoken() -> bytes:
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is installed by devstack/install.sh"
    return run_sync(espeak, SAID)


def transcribe(transcriber: Transcriber, pcm: bytes, language: str = "en") -> str:
    async def run() -> str:
        try:
            return await transcriber.transcribe(pcm, len(pcm) / 32_000, language)
        finally:
            transcriber.close()

    return asyncio.run(run())


def test_the_model_is_installed_with_the_dev_requirements() -> None:
    found = model_dir()
    assert found is not None
    assert (found / "model.bin").stat().st_size > 30_000_000
    assert Transcriber("auto").engine == "whisper"


def test_whisper_hears_the_words_of_an_answer(spoken: bytes) -> None:
    transcriber = Transcriber("whisper")
    text = transcribe(transcriber, spoken)
    assert "five years" in text
    assert "reporting pipelines" in text
    assert transcriber.as_json() == {"engine": "whisper", "transcribed": 1, "fallbacks": 0}


def test_recognition_runs_niced_below_the_live_path(spoken: bytes) -> None:
    transcriber = Transcriber("whisper")

    async def run() -> list[int]:
        try:
            await transcriber.transcribe(spoken, 1.0)
            children = psutil.Process().children()
            return [c.nice() for c in children if "spawn_main" in " ".join(c.cmdline())]
        finally:
            transcriber.close()

    assert asyncio.run(run()) == [min(19, os.nice(0) + 10)]


def test_placeholders_when_asked_for_or_for_another_language(spoken: bytes) -> None:
    seconds = len(spoken) / 32_000
    assert transcribe(Transcriber("placeholder"), spoken) == f"[candidate audio {seconds:.1f} s]"
    # tiny.en knows English only: a German interview keeps the placeholder rather than wrong words
    assert transcribe(Transcriber("whisper"), spoken, "de") == f"[candidate audio {seconds:.1f} s]"


def test_a_model_that_cannot_load_falls_back_to_the_placeholder(tmp_path: Path, spoken: bytes) -> None:
    transcriber = Transcriber("whisper", model=tmp_path)  # no model.bin: the child fails to start

    async def twice() -> list[str]:
        try:
            return [await transcriber.transcribe(spoken, 3.0) for _ in range(2)]
        finally:
            transcriber.close()

    assert asyncio.run(twice()) == ["[candidate audio 3.0 s]"] * 2  # and a second try, in a new child
    assert transcriber.as_json()["fallbacks"] == 2


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="GEMINI_LIVE_TRANSCRIBE"):
        Transcriber("vosk")


def test_the_emulator_refuses_to_start_with_an_unknown_mode(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "devstack.gemini_emulator",
            "--port",
            "0",
            "--tls-port",
            "-1",
            "--state-dir",
            str(tmp_path),
        ],
        env={**os.environ, "GEMINI_LIVE_TRANSCRIBE": "vosk"},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "GEMINI_LIVE_TRANSCRIBE must be one of auto, whisper, placeholder" in result.stderr
