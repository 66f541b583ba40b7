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

import certifi
from google.genai import types
from livekit.agents import APIConnectOptions
from livekit.plugins.google.realtime import RealtimeModel

from interview_core.settings import Settings

from .config import AgentSettings

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
    save a few KB/s of audio that barely compresses.
    """
    local = settings.uses_local_gemini
    context = tls_context(agent.gemini_ca_file if local else None)
    base_url = agent.gemini_emulator_tls_url if local else settings.gemini_base_url
    return types.HttpOptions(
        base_url=base_url,
        client_args={"verify": context},
        async_client_args={"ssl": context, "compression": None},
    )


def model_name(settings: Settings, agent: AgentSettings) -> str:
    """What the interview records as its model (the emulator says so)."""
    return MODEL_LABEL_LOCAL if settings.uses_local_gemini else agent.gemini_live_model


def build_realtime_model(settings: Settings, agent: AgentSettings, instructions: str) -> RealtimeModel:
    """A RealtimeModel with compression and resumption on (Live sessions are cut after ~10 minutes).

    The plugin always asks for session resumption and, on `goAway`, reconnects with the newest handle;
    the compression config keeps long audio sessions under the context limit.
    """
    compression = types.ContextWindowCompressionConfig(
        trigger_tokens=agent.gemini_compression_trigger_tokens,
        sliding_window=types.SlidingWindow(
            target_tokens=min(agent.gemini_compression_target_tokens, agent.gemini_compression_trigger_tokens)
        ),
    )
    common: dict[str, object] = {
        "instructions": instructions,
        "model": agent.gemini_live_model,
        "voice": agent.gemini_voice,
        "temperature": agent.gemini_temperature,
        "modalities": [types.Modality.AUDIO],
        "vertexai": False,
        "input_audio_transcription": types.AudioTranscriptionConfig(),
        "output_audio_transcription": types.AudioTranscriptionConfig(),
        "context_window_compression": compression,
        "session_resumption": types.SessionResumptionConfig(),
        "conn_options": APIConnectOptions(
            max_retry=agent.gemini_max_reconnects, retry_interval=1.0, timeout=15
        ),
    }
    return RealtimeModel(
        api_key=settings.effective_gemini_api_key,
        http_options=http_options(settings, agent),
        **common,  # type: ignore[arg-type]
    )
