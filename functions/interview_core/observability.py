"""Structured logs: one JSON object per line (what Cloud Logging parses), carrying the interview id.

Log calls pass context through `extra={...}`; the formatter copies a safe set of keys and never
the message's arguments that could hold secrets or transcripts (callers do not log those).
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

interview_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("interview_id", default=None)

_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

TRACE_FIELD = "logging.googleapis.com/trace"
SPAN_FIELD = "logging.googleapis.com/spanId"


def _current_span_context() -> Any | None:
    """The recording span's context, when OpenTelemetry is installed and a span is current."""
    try:
        from opentelemetry import trace
    except ImportError:  # a deployable without the tracing extra
        return None
    span_context = trace.get_current_span().get_span_context()
    return span_context if span_context.is_valid else None


def trace_fields(project: str | None) -> dict[str, str]:
    """The fields Cloud Logging joins to Cloud Trace: projects/<project>/traces/<trace id>, span id."""
    span_context = _current_span_context()
    if span_context is None:
        return {}
    trace_id = format(span_context.trace_id, "032x")
    return {
        TRACE_FIELD: f"projects/{project}/traces/{trace_id}" if project else trace_id,
        SPAN_FIELD: format(span_context.span_id, "016x"),
    }


class JsonFormatter(logging.Formatter):
    def __init__(self, project: str | None = None) -> None:
        super().__init__()
        self.project = project or os.environ.get("GOOGLE_CLOUD_PROJECT")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "severity": record.levelname,
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        interview_id = getattr(record, "interview_id", None) or interview_id_var.get()
        if interview_id:
            entry["interview_id"] = interview_id
        entry.update(trace_fields(self.project))
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class InterviewerLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The stderr handler configure_logging installs; its own class tells it apart from others'."""


def configure_logging(fmt: str = "json", level: int = logging.INFO) -> None:
    """Idempotent: installs one stderr handler on the root logger."""
    root = logging.getLogger()
    if any(isinstance(handler, InterviewerLogHandler) for handler in root.handlers):
        return
    handler = InterviewerLogHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
