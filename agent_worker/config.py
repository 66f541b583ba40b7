"""Settings only the agent worker has (the shared ones live in interview_core.settings).

Environment variables, upper-case field names. The defaults suit the local stack; the Dockerfile and
infra/ set what Cloud Run needs (health host and port, drain timeout).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from interview_core import local_ports

REPO_ROOT = Path(__file__).resolve().parent.parent


def _health_port() -> int:
    """Cloud Run tells a container its port in PORT; AGENT_HEALTH_PORT wins when both are set."""
    if not os.environ.get("AGENT_HEALTH_PORT") and os.environ.get("PORT"):
        return local_ports.resolve("PORT", 0)
    return local_ports.port("agent_health")


class AgentSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=(REPO_ROOT / ".env", ".env"), env_file_encoding="utf-8", extra="ignore"
    )

    # Where the completion webhook goes: {api_url}/api/webhooks/interview-complete.
    api_url: str = Field(default_factory=lambda: local_ports.service_url("api"))

    # Gemini Live. Without GEMINI_API_KEY the agent talks to the local emulator over TLS.
    # gemini-3.8-live: Google's stable Live model (GA 2026-09-15, no shutdown date announced; the
    # 2.5 native-audio preview was retired 2026-11-17). Checked 2026-12-04, see README.md. What
    # each model takes (thinking, temperature, context window) is the shared catalogue's,
    # interview_core/domain/gemini_models.py; infra/variables.tf deploys this default (tested).
    gemini_live_model: str = "gemini-3.8-live"
    gemini_voice: str = "Puck"
    # None: the model family's (3.8 Live: none sent, sampling parameters are deprecated).
    gemini_temperature: float | None = Field(default=None, ge=0, le=2)
    gemini_emulator_tls_url: str = Field(
        default_factory=lambda: local_ports.service_url("gemini_tls", "https")
    )
    gemini_ca_file: Path = REPO_ROOT / ".stack" / "gemini" / "ca.pem"
    # Context-window compression, sized from the model's context window (model.py knows it per
    # family; GEMINI_CONTEXT_WINDOW_TOKENS overrides): past trigger x window tokens Gemini slides
    # the window down to target x window, keeping the system instruction and the newest turns. At
    # 25-32 audio tokens a second, 0.75 of 131,072 tokens is ~50 minutes of conversation, so a
    # 30-minute interview never loses a turn to compression and a longer one keeps ~35 minutes.
    gemini_context_window_tokens: int | None = Field(default=None, ge=8_000)
    gemini_compression_trigger_fraction: float = Field(default=0.75, gt=0.1, le=0.95)
    gemini_compression_target_fraction: float = Field(default=0.5, gt=0.05, lt=0.95)
    gemini_max_reconnects: int = Field(default=5, ge=0, le=50)
    # A reconnect the plugin gave up on (a refused handshake) is retried this many times, waiting
    # initial x 2^(n-1) seconds (capped) before attempt n, first with the resumption handle, then on
    # a fresh session; only then does the interview end as "error".
    gemini_reconnect_attempts: int = Field(default=6, ge=1, le=20)
    gemini_reconnect_initial_backoff_seconds: float = Field(default=0.5, gt=0)
    gemini_reconnect_max_backoff_seconds: float = Field(default=8.0, gt=0)
    # Server-side turn detection: the candidate's turn ends after this much silence. Interview
    # answers have thinking pauses; Gemini's default (about half a second, high sensitivity) cuts a
    # long answer at the first one.
    gemini_silence_duration_ms: int = Field(default=1_200, ge=200, le=5_000)
    gemini_prefix_padding_ms: int = Field(default=300, ge=0, le=2_000)

    interviewer_name: str = "Alex"

    # Worker process.
    agent_health_host: str = "127.0.0.1"
    agent_health_port: int = Field(default_factory=_health_port)
    agent_drain_timeout_seconds: int = Field(default=3_900, ge=0)
    # What SIGTERM (a deploy, a scale-in, maintenance) does to running interviews (handover.py):
    # "handover": each is passed to another worker within agent_handover_budget_seconds (Cloud Run kills
    # the instance 10 s after SIGTERM); "finish": they run to their end, up to
    # agent_drain_timeout_seconds (where the platform waits that long, e.g. GKE with a long
    # terminationGracePeriodSeconds).
    agent_shutdown: Literal["handover", "finish"] = "handover"
    agent_handover_budget_seconds: float = Field(default=7.0, ge=2, le=60)
    # Load (capacity.py) = max(running interviews / agent_max_jobs, CPU utilisation /
    # agent_cpu_load_limit). At agent_load_threshold the worker stops taking new interviews and LiveKit
    # dispatches them to another instance. The CPU part (unset locally, where the CPU is shared with
    # everything else; the image sets it) lets Cloud Run's CPU autoscaling add an instance before this
    # one refuses: keep the limit above Cloud Run's target (60%) and agent_max_jobs above the count at
    # which the CPU reaches the limit. Jobs being started count too.
    agent_max_jobs: int = Field(default=12, ge=1, le=200)
    agent_cpu_load_limit: float | None = Field(default=None, gt=0, le=1)
    agent_load_threshold: float = Field(default=1.0, gt=0, le=1)
    agent_job_executor: Literal["process", "thread"] = "process"
    agent_idle_processes: int = Field(default=2, ge=0, le=16)
    # true: captions paced with the agent's speech, and the stored text of an interrupted reply cut
    # where the audio was cut. The pacing runs a speaking-rate estimate (an FFT every 0.1 s of agent
    # audio) on the job's event loop, which stalls busy workers' loops and delays later replies
    # (measured in bench/README.md). false (the default): captions appear as Gemini transcribes, a
    # little ahead of the voice.
    agent_sync_transcription: bool = False
    agent_job_memory_warn_mb: int = Field(default=600, ge=50)

    # Interview policy.
    rejoin_grace_seconds: float = Field(default=60.0, ge=0, le=900)
    time_warning_seconds: float = Field(default=120.0, ge=0)
    greet_wait_seconds: float = Field(default=15.0, ge=0, le=120)
    wrap_up_timeout_seconds: float = Field(default=20.0, ge=1, le=120)
    # After end_interview, how long to wait for a goodbye that has not started yet (the model may
    # call the tool before speaking it).
    goodbye_start_timeout_seconds: float = Field(default=6.0, ge=0, le=60)
    candidate_join_timeout_seconds: float = Field(default=120.0, ge=1)
    # The warm start: a candidate whose page joined during the microphone check (a warm token) gets an
    # agent with its interview loaded and its Live session open; the greeting waits for their
    # microphone (the "Start" button). A warm session not started within this many seconds is closed:
    # the Live session and the room go, no webhook is sent, the interview stays invited (no model
    # minutes) and its live slot is given back; the candidate's page joins afresh when they start.
    warm_start_limit_seconds: float = Field(default=120.0, ge=1, le=900)
    # ... and the greeting is prepared during that wait and held until Start, so Start does not wait
    # for the model to write and voice it. Its cost, for a session nobody starts: one greeting's
    # output (a few hundred tokens), never heard, never stored, no model minutes counted.
    prepare_greeting_while_warm: bool = True

    # Persistence and the webhook.
    turn_write_attempts: int = Field(default=8, ge=1, le=50)
    turn_write_initial_backoff_seconds: float = Field(default=0.2, gt=0)
    turn_write_max_backoff_seconds: float = Field(default=10.0, gt=0)
    turn_flush_timeout_seconds: float = Field(default=60.0, gt=0)
    webhook_attempts: int = Field(default=8, ge=1, le=50)
    webhook_initial_backoff_seconds: float = Field(default=0.5, gt=0)
    webhook_max_backoff_seconds: float = Field(default=30.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def webhook_url(self) -> str:
        return self.api_url.rstrip("/") + "/api/webhooks/interview-complete"


@lru_cache(maxsize=1)
def get_agent_settings() -> AgentSettings:
    return AgentSettings()
