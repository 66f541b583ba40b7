"""The agent's traces: livekit-agents' own telemetry, on the interview's trace.

Each job process installs the tracer provider on its first interview (after the fork, so the batch
exporter's thread is its own) and hands it to livekit-agents (`telemetry.set_tracer_provider`), whose
session, turn and model spans then land beside ours. The interview's span is parented on the
traceparent the api put in the dispatch metadata, so the live session joins the trace that the
interview's creation started. With no exporter configured nothing is installed.
"""

from __future__ import annotations

import json

from interview_core import tracing
from interview_core.settings import Settings

_installed: dict[str, bool] = {}
"""Whether this process exports spans, once it has decided (one entry)."""


def install(settings: Settings) -> bool:
    """Once per process: True when spans are exported."""
    if "agent" in _installed:
        return _installed["agent"]
    provider = tracing.configure_tracing("agent", settings)
    if provider is not None:
        from livekit.agents import telemetry

        # Conversation content (transcripts, instructions) only with the personal-data opt-in.
        telemetry.set_tracer_provider(provider, allow_pii=settings.traces_include_content)
    _installed["agent"] = provider is not None
    return _installed["agent"]


def job_traceparent(raw: str | None) -> str | None:
    """The traceparent of the dispatch metadata `{"interview_id": ..., "traceparent": ...}`, if any."""
    try:
        data = json.loads(raw or "")
    except ValueError:
        return None
    value = data.get("traceparent") if isinstance(data, dict) else None
    return value if isinstance(value, str) and len(value) <= 128 else None
