"""The Gemini Live model the interviewer speaks with: Google's API with a key, else the local emulator.

google-genai opens the Live WebSocket with TLS whatever the base URL says, so the local emulator
serves wss with its own CA (devstack/gemini_emulator/tls.py) and the client gets an SSL context that
trusts exactly that CA, through `http_options.async_client_args["ssl"]` (the plugin has no argument
for a ready-made client). Against Google the same options carry one shared context for the public CAs.
"""

from __future__ import annotations

import os
import ssl
from functools import cache
from pathlib import Path
from typing import Any

import certifi
from google.genai import types
from livekit.agents import APIConnectOptions
from livekit.plugins.google.realtime import RealtimeModel

from interview_core.domain.gemini_models import ModelFamily, resolve
from interview_core.domain.models import Interview
from interview_core.settings import Settings

from .config import AgentSettings
from .live_resilience import GoAwayDeferral, ResilientRealtimeModel, RetryPolicy

MODEL_LABEL_LOCAL = "local-emulator"


@cache
def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """One TLS context per process (built in the forkserver by warm_up, inherited by every job).

    google-genai otherwise builds two per Live session (one for its HTTP client, one for the
    WebSocket), loading the CA bundle each time, on the event loop just as the interview starts.
    None: the public CAs, as google-genai would use; a file: the local emulator's own CA.
    """
    if ca_file is None:
        return ssl.create_default_context(
            cafile=os.environ.get("SSL_CERT_FILE", certifi.where()), capath=os.environ.get("SSL_CERT_DIR")
        )
    if not ca_file.exists():
        raise RuntimeError(
            f"the local Gemini emulator's CA is missing at {ca_file}: start the stack (make dev) or set "
            "GEMINI_CA_FILE, or set GEMINI_API_KEY to use Google's API"
        )
    return ssl.create_default_context(cafile=str(ca_file))


def http_options(settings: Settings, agent: AgentSettings) -> types.HttpOptions:
    """Where the Live session connects, with the process's TLS context for both of genai's clients.

    The Live WebSocket goes without permessage-deflate (`compression=None`, which genai passes on
    to websockets only): deflating every 50 ms of base64 audio sent and inflating every chunk
    received costs each interview's event loop a visible share of its time (bench/README.md), to
    save a few KB/s of audio that barely compresses. Its connection class defers a goAway to the end
    of the model's turn (live_resilience.GoAwayDeferral; `create_connection`, like `compression`,
    reaches websockets only).
    """
    local = settings.uses_local_gemini
    context = tls_context(agent.gemini_ca_file if local else None)
    base_url = agent.gemini_emulator_tls_url if local else settings.gemini_base_url
    return types.HttpOptions(
        base_url=base_url,
        client_args={"verify": context},
        async_client_args={"ssl": context, "compression": None, "create_connection": GoAwayDeferral},
    )


def model_name(settings: Settings, agent: AgentSettings) -> str:
    """What the interview records as its model (the emulator says so)."""
    return MODEL_LABEL_LOCAL if settings.uses_local_gemini else agent.gemini_live_model


UNKNOWN_CONTEXT_TOKENS = 32_768
"""The context window assumed for a Live model the catalogue has no window for: small, so
compression starts early rather than too late."""


BCP47 = {
    "en": "en-US",
    "de": "de-DE",
    "fr": "fr-FR",
    "es": "es-ES",
    "it": "it-IT",
    "pt": "pt-PT",
    "nl": "nl-NL",
}


def live_family(model: str) -> ModelFamily:
    """The model's family in the shared catalogue (interview_core/domain/gemini_models.py), the one
    list of models and what each family takes, which the emulator's strict profile also checks
    setups against."""
    return resolve(model).family


def thinking_config(family: ModelFamily) -> types.ThinkingConfig | None:
    """The family's thinking setting: None sends none (3.8 Live refuses one; its reasoning is built
    in), a level is sent as such (3.8 Live extended thinking: LOW, an interviewer answers quickly)."""
    if family.thinking_level is not None:
        return types.ThinkingConfig(thinking_level=types.ThinkingLevel(family.thinking_level))
    if family.thinking_budget is not None:
        return types.ThinkingConfig(thinking_budget=family.thinking_budget)
    return None


def compression(agent: AgentSettings) -> types.ContextWindowCompressionConfig:
    """Sliding-window compression sized from the model's context window: triggered at a fraction of
    it, down to a smaller fraction. The system instruction always survives; the plan's state
    survives because every mark_question_asked result repeats it in the newest turns, and a fresh
    session gets it in its instruction."""
    family = live_family(agent.gemini_live_model)
    window = agent.gemini_context_window_tokens or family.context_tokens or UNKNOWN_CONTEXT_TOKENS
    trigger = int(window * agent.gemini_compression_trigger_fraction)
    target = min(int(window * agent.gemini_compression_target_fraction), trigger - 1)
    return types.ContextWindowCompressionConfig(
        trigger_tokens=trigger, sliding_window=types.SlidingWindow(target_tokens=target)
    )


def transcription(interview: Interview | None) -> types.AudioTranscriptionConfig:
    """A transcription hint: the interview's language (BCP-47) and its skill names as vocabulary,
    so "Airflow" or "dbt" are not heard as common words. Without an interview: auto-detection."""
    if interview is None:
        return types.AudioTranscriptionConfig()
    code = BCP47.get(interview.language, interview.language)
    vocabulary = [skill.name for skill in interview.skills][:20]
    return types.AudioTranscriptionConfig(language_codes=[code], custom_vocabulary=vocabulary or None)


def realtime_input(agent: AgentSettings) -> types.RealtimeInputConfig:
    """Gemini's own turn detection, tuned for interview answers: a low end-of-speech sensitivity and
    a long silence before the turn ends, so a candidate's pause to think does not end a long answer;
    a little audio before detected speech is kept so the first word is not clipped."""
    return types.RealtimeInputConfig(
        automatic_activity_detection=types.AutomaticActivityDetection(
            end_of_speech_sensitivity=types.EndSensitivity.END_SENSITIVITY_LOW,
            prefix_padding_ms=agent.gemini_prefix_padding_ms,
            silence_duration_ms=agent.gemini_silence_duration_ms,
        )
    )


def live_options(
    settings: Settings, agent: AgentSettings, instructions: str, interview: Interview | None = None
) -> dict[str, Any]:
    """The plugin's RealtimeModel arguments for one interview (pure, so tests can read them).

    Every tool is NON_BLOCKING: the model keeps talking while end_interview and mark_question_asked
    run, and their results, which ask for no reply, go back with SILENT scheduling (the plugin sets
    it for a `reply_required=False` result when the tools are non-blocking), so the model does not
    answer them with a second goodbye.
    """
    family = live_family(agent.gemini_live_model)
    options: dict[str, Any] = {
        "instructions": instructions,
        "model": agent.gemini_live_model,
        "voice": agent.gemini_voice,
        "modalities": [types.Modality.AUDIO],
        "vertexai": False,
        "input_audio_transcription": transcription(interview),
        "output_audio_transcription": transcription(interview),
        "realtime_input_config": realtime_input(agent),
        "context_window_compression": compression(agent),
        "tool_behavior": types.Behavior.NON_BLOCKING,
        "conn_options": APIConnectOptions(
            max_retry=agent.gemini_max_reconnects, retry_interval=1.0, timeout=15
        ),
    }
    temperature = agent.gemini_temperature if agent.gemini_temperature is not None else family.temperature
    if temperature is not None:
        options["temperature"] = temperature
    thinking = thinking_config(family)
    if thinking is not None:
        options["thinking_config"] = thinking
    return options


def build_realtime_model(
    settings: Settings, agent: AgentSettings, instructions: str, interview: Interview | None = None
) -> ResilientRealtimeModel:
    """The interview's realtime model: the plugin's RealtimeModel (with resumption and compression),
    wrapped so that a reconnect the plugin gives up on is retried (live_resilience.py)."""
    options = live_options(settings, agent, instructions, interview)
    api_key = settings.effective_gemini_api_key

    def build(handle: str | None) -> RealtimeModel:
        return RealtimeModel(
            api_key=api_key,
            http_options=http_options(settings, agent),
            session_resumption=types.SessionResumptionConfig(handle=handle),
            **options,
        )

    policy = RetryPolicy(
        attempts=agent.gemini_reconnect_attempts,
        initial_backoff=agent.gemini_reconnect_initial_backoff_seconds,
        max_backoff=agent.gemini_reconnect_max_backoff_seconds,
    )
    return ResilientRealtimeModel(build, policy=policy)
