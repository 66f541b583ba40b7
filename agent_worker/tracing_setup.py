"""The agent's traces and metrics: livekit-agents' own telemetry, on the interview's trace.

Each job process installs its providers on its first interview (after the fork, so the exporters'
threads are its own). The tracer provider goes to livekit-agents (`telemetry.set_tracer_provider`),
whose session, turn and model spans then land beside ours. The interview's span is parented on the
traceparent the api put in the dispatch metadata, so the live session joins the trace that the
interview's creation started. With no exporter configured nothing is installed; neither is a tracer
provider for an interview whose trace is sampled out (its traceparent's sampled flag is off), so such
a job runs exactly as with tracing off (bench/agent.py `--tracing on,off` compares the two).
"""

from __future__ import annotations

import json

from interview_core import metrics, tracing
from interview_core.settings import Settings

_installed: dict[str, bool] = {}
"""What this process has installed, once it has decided: "traces", "metrics"."""


def install(settings: Settings, traceparent: str | None = None) -> bool:
    """True when this job's spans are exported: an exporter is configured and the job's trace is not
    sampled out. The provider is installed once per process, by its first traced job."""
    if tracing.sampled_out(traceparent):
        return False
    if "traces" not in _installed:
        provider = tracing.configure_tracing("agent", settings)
        if provider is not None:
            from livekit.agents import telemetry

            # Conversation content (transcripts, instructions) only with the personal-data opt-in.
            telemetry.set_tracer_provider(provider, allow_pii=settings.traces_include_content)
        _installed["traces"] = provider is not None
    return _installed["traces"]


def install_metrics(settings: Settings) -> bool:
    """Once per process: True when metrics are exported (interview_core/metrics.py)."""
    if "metrics" not in _installed:
        _installed["metrics"] = metrics.configure_metrics("agent", settings) is not None
    return _installed["metrics"]


def job_traceparent(raw: str | None) -> str | None:
    """The traceparent of the dispatch metadata `{"interview_id": ..., "traceparent": ...}`, if any."""
    try:
        data = json.loads(raw or "")
    except ValueError:
        return None
    value = data.get("traceparent") if isinstance(data, dict) else None
    return value if isinstance(value, str) and len(value) <= 128 else None
