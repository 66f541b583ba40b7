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

REPO_ROOT = Path(__file__).resolve().parent.parent


def _port(name: str, default: int) -> int:
    """A local port: its own variable wins, else the default moved by AI_STACK_PORT_OFFSET."""
    explicit = os.environ.get(name)
    if explicit:
        return int(explicit)
    return default + int(os.environ.get("AI_STACK_PORT_OFFSET", "0") or 0)


def _health_port() -> int:
    """Cloud Run tells a container its port in PORT; AGENT_HEALTH_PORT wins when both are set."""
    if os.environ.get("AGENT_HEALTH_PORT"):
        return int(os.environ["AGENT_HEALTH_PORT"])
    if os.environ.get("PORT"):
        return int(os.environ["PORT"])
    return _port("AGENT_HEALTH_PORT", 8081)


class AgentSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=(REPO_ROOT / ".env", ".env"), env_file_encoding="utf-8", extra="ignore"
    )

    # Where the completion webhook goes: {api_url}/api/webhooks/interview-complete.
    api_url: str = Field(default_factory=lambda: f"http://127.0.0.1:{_port('API_PORT', 8001)}")

    # Gemini Live. Without GEMINI_API_KEY the agent talks to the local emulator over TLS.
    gemini_live_model: str = "gemini-2.5-flash-native-audio-preview-12-2025"
    gemini_voice: str = "Puck"
    gemini_temperature: float = Field(default=0.6, ge=0, le=2)
    gemini_emulator_tls_url: str = Field(
        default_factory=lambda: f"https://127.0.0.1:{_port('GEMINI_TLS_PORT', 8791)}"
    )
    gemini_ca_file: Path = REPO_ROOT / ".stack" / "gemini" / "ca.pem"
    # Context-window compression: past this many tokens, Gemini slides the window down to the target
    # (the system instruction always stays), so long audio sessions do not hit the context limit.
    gemini_compression_trigger_tokens: int = Field(default=32_000, ge=1_000)
    gemini_compression_target_tokens: int = Field(default=16_000, ge=500)
    gemini_max_reconnects: int = Field(default=5, ge=0, le=50)

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
    # audio) on the job's event loop: at 10 interviews on 2 cores it stalled loops for up to a second
    # and took the later replies' agent overhead p95 from ~100 ms to ~1 s (bench/agent). false (the
    # default): captions appear as Gemini transcribes, a little ahead of the voice.
    agent_sync_transcription: bool = False
    agent_job_memory_warn_mb: int = Field(default=600, ge=50)

    # Interview policy.
    rejoin_grace_seconds: float = Field(default=60.0, ge=0, le=900)
    time_warning_seconds: float = Field(default=120.0, ge=0)
    greet_wait_seconds: float = Field(default=15.0, ge=0, le=120)
    wrap_up_timeout_seconds: float = Field(default=20.0, ge=1, le=120)
    candidate_join_timeout_seconds: float = Field(default=120.0, ge=1)

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
