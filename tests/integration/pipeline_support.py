"""Helpers for the evaluation pipeline's integration tests: golden transcripts, polling, the queue."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import requests

DATA = Path(__file__).resolve().parent.parent / "data" / "transcripts"
T = TypeVar("T")
Create = Callable[..., dict[str, Any]]
"""The integration conftest's `create_interview`: (recruiter, **body overrides) -> the API's answer."""


def golden(name: str) -> dict[str, Any]:
    """A golden transcript (tests/data/transcripts/<name>.json): interview plan, turns, expectations."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def wait_for(probe: Callable[[], T | None], *, timeout: float = 30.0, what: str = "a condition") -> T:
    """Poll `probe` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


def remains(store: Any, interview_id: str) -> list[str]:
    """Which kinds of item are still stored for the interview: after a deletion, none may be."""
    from interview_core.adapters import archive

    ref = store.interview_ref(interview_id)
    found = []
    if ref.get().exists:
        found.append("document")
    if list(ref.collection("turns").limit(1).stream()):
        found.append("turns")
    if store.report_ref(interview_id).get().exists:
        found.append("report")
    if list(archive.bucket().list_blobs(prefix=archive.interview_prefix(interview_id))):
        found.append("files")
    return found


def seed_finished_interview(
    store: Any,
    interview_id: str,
    transcript: dict[str, Any],
    *,
    status: str = "in_progress",
    turns_ended_at: datetime | None = None,
    extra: dict[str, Any] | None = None,
) -> list[Any]:
    """Give an interview created through the API the golden plan and turns, in `status`."""
    from interview_core.domain.models import Turn

    plan = transcript["interview"]
    end = turns_ended_at or datetime.now(UTC)
    count = len(transcript["turns"])
    turns = [
        Turn(
            seq=t["seq"],
            role=t["role"],
            text=t["text"],
            started_at=end - timedelta(seconds=20 * (count - i)),
            ended_at=end - timedelta(seconds=20 * (count - i) - 15),
        )
        for i, t in enumerate(transcript["turns"])
    ]
    store.add_turns(interview_id, turns)
    store.interview_ref(interview_id).update(
        {
            "skills": plan["skills"],
            "question_plan": plan["question_plan"],
            "status": status,
            "started_at": end - timedelta(minutes=10),
            **(extra or {}),
        }
    )
    return turns


class Queue:
    """The local Cloud Tasks emulator's evaluation queue, through the product's adapter."""

    def __init__(self, tasks_host: str) -> None:
        from interview_core.adapters import clients, tasks
        from interview_core.settings import get_settings

        self.host = tasks_host
        self.settings = get_settings()
        self.client = clients.tasks_client()
        self.path = tasks.queue_path(self.settings)

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Block until the queue holds no task (the emulator's waitIdle helper), within `timeout`."""
        response = requests.get(f"http://{self.host}/emulator/{self.path}:waitIdle", timeout=timeout)
        assert response.status_code == 204, response.text


def gemini_stats(gemini_url: str) -> dict[str, Any]:
    response = requests.get(f"{gemini_url}/emulator/stats", timeout=5)
    response.raise_for_status()
    return dict(response.json()["tasks"].get("evaluation") or {"calls": 0, "ok": 0, "injected_failures": 0})
