"""Structured logs: one JSON object per line (what Cloud Logging parses), carrying the interview id.

Log calls pass context through `extra={...}`; the formatter copies a safe set of keys and never
the message's arguments that could hold secrets or transcripts (callers do not log those).
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime

interview_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("interview_id", default=None)

_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
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
