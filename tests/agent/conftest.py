"""Fixtures for the agent's tests: interviews written straight to the Firestore emulator, and a
text-mode harness that runs the real controller, AgentSession and RealtimeModel against the stack's
local Gemini emulator (TLS, with the stack's CA) without a LiveKit room.

No pytest-asyncio here: each test runs its scenario with asyncio.run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from interview_core.domain.models import EndReason

# The rejoin grace of a stack these tests start (the api and the agent read it): above the 30 s after
# which test_leave_rejoin.py rejoins, and short enough that leaving for good ends soon after.
os.environ.setdefault("REJOIN_GRACE_SECONDS", "32")

SQL_QUESTION = "Tell me about a data project where SQL was central to the result."
PYTHON_QUESTION = "How do you keep a Python data pipeline reliable when it grows?"
AIRFLOW_QUESTION = "Describe how you would schedule and monitor a daily batch job."
LONG_ANSWER = (
    "In my last role I built the reporting warehouse for our sales team, wrote the models in SQL and "
    "reviewed every change with the analysts before it went live."
)


@pytest.fixture(scope="session")
def agent_env(stack: dict[str, str]) -> dict[str, str]:
    """The stack, with the settings caches cleared so they read its environment."""
    from agent_worker.config import get_agent_settings

    get_agent_settings.cache_clear()
    return stack


@pytest.fixture
def settings(agent_env: dict[str, str]) -> Any:
    from interview_core.settings import Settings

    return Settings()


@pytest.fixture
def agent_settings(agent_env: dict[str, str]) -> Any:
    """Agent settings for fast tests: short grace, short backoffs, short wrap-up waits."""
    from agent_worker.config import AgentSettings

    return AgentSettings(
        api_url=agent_env["API_URL"],
        gemini_emulator_tls_url=agent_env["GEMINI_EMULATOR_TLS_URL"],
        gemini_ca_file=agent_env["GEMINI_CA_FILE"],
        rejoin_grace_seconds=1.0,
        greet_wait_seconds=1.0,
        wrap_up_timeout_seconds=5.0,
        turn_write_initial_backoff_seconds=0.05,
        turn_write_max_backoff_seconds=0.2,
        webhook_initial_backoff_seconds=0.2,
        webhook_max_backoff_seconds=1.0,
        webhook_attempts=12,
    )


@pytest.fixture
def store(agent_env: dict[str, str]) -> Any:
    from interview_core.adapters.firestore_store import InterviewStore

    return InterviewStore()


@pytest.fixture
def gemini_live_faults(agent_env: dict[str, str]) -> Iterator[Callable[..., dict[str, Any]]]:
    """Set Live faults on the stack's emulator; they are cleared after the test."""
    base = agent_env["GEMINI_EMULATOR_URL"]

    def apply(**plan: Any) -> dict[str, Any]:
        response = requests.post(f"{base}/emulator/faults", json=plan, timeout=5)
        response.raise_for_status()
        return dict(response.json())

    yield apply
    requests.delete(f"{base}/emulator/faults", timeout=5)


def live_stats(env: dict[str, str]) -> dict[str, int]:
    response = requests.get(f"{env['GEMINI_EMULATOR_URL']}/emulator/stats", timeout=5)
    response.raise_for_status()
    return dict(response.json()["live"])


@dataclass
class CreatedInterview:
    id: str
    secret: str
    interview: Any


def new_interview(
    store: Any, questions: tuple[str, ...] = (SQL_QUESTION, PYTHON_QUESTION), **overrides: Any
) -> CreatedInterview:
    """An invited interview with a known plan and invite secret, written the way the API writes it
    (a plain function too: the fault tests write into a stack of their own)."""
    from interview_core.adapters.livekit_tokens import room_name
    from interview_core.domain import invites
    from interview_core.domain.models import (
        Candidate,
        Interview,
        InterviewStatus,
        Invite,
        PlannedQuestion,
        Skill,
    )

    now = datetime.now(UTC)
    secret = invites.new_secret()
    interview_id = store.new_id()
    plan = [
        PlannedQuestion(
            skill=("SQL", "Python", "Airflow")[i % 3], question=q, follow_ups=["Which part was hardest?"]
        )
        for i, q in enumerate(questions)
    ]
    fields: dict[str, Any] = {
        "id": interview_id,
        "owner_uid": "recruiter-agent-tests",
        "candidate": Candidate(name="Ada Lovelace", email="ada@example.com"),
        "role": "Senior Data Engineer",
        "job_description": "Strong SQL and Python; pipelines with Airflow on Google Cloud.",
        "language": "en",
        "duration_minutes": 20,
        "skills": [
            Skill(name="SQL", weight=0.4),
            Skill(name="Python", weight=0.4),
            Skill(name="Airflow", weight=0.2),
        ],
        "question_plan": plan,
        "status": InterviewStatus.INVITED,
        "invite": Invite(
            secret_hash=invites.hash_secret(secret), expires_at=now + timedelta(days=1), max_uses=20
        ),
        "room": room_name(interview_id),
        "created_at": now,
        "updated_at": now,
        "model": "local-emulator",
    }
    fields.update(overrides)
    interview = Interview(**fields)
    store.create(interview)
    return CreatedInterview(interview_id, secret, interview)


@pytest.fixture
def create_interview(store: Any) -> Callable[..., CreatedInterview]:
    """An invited interview with a known plan and invite secret (new_interview on the stack's store)."""

    def create(
        questions: tuple[str, ...] = (SQL_QUESTION, PYTHON_QUESTION), **overrides: Any
    ) -> CreatedInterview:
        return new_interview(store, questions, **overrides)

    return create


@dataclass
class TextInterview:
    """A running text-mode interview: the controller, its session and the greeting's run."""

    controller: Any
    session: Any
    greeting: Any
    crashed: bool = False

    async def crash(self) -> None:
        """The agent's process dies mid-interview: no goodbye, no webhook, the interview stays in
        progress; the turns its writer had already stored stay stored (a process kill would lose
        at most the last unflushed one). Test-only reach into the controller, to stop it silently."""
        self.crashed = True
        self.session.off("close", self.controller._on_close)
        for task in list(self.controller._tasks):
            task.cancel()
        await self.controller.writer.aclose(10)
        await self.session.aclose()

    async def say(self, text: str) -> Any:
        return await self.session.run(user_input=text)

    async def next_agent_message(self, after: int, timeout: float = 10.0) -> str:
        """Wait for an assistant message beyond the first `after` ones (for replies no run awaits)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = agent_messages(self.session)
            if len(messages) > after:
                return messages[after]
            await asyncio.sleep(0.05)
        raise AssertionError(f"no agent message after {after} within {timeout}s")


def agent_messages(session: Any) -> list[str]:
    return [
        item.text_content or ""
        for item in session.history.items
        if getattr(item, "type", None) == "message" and getattr(item, "role", None) == "assistant"
    ]


@contextlib.asynccontextmanager
async def text_interview(
    interview_id: str,
    store: Any,
    settings: Any,
    agent_settings: Any,
    **controller_options: Any,
) -> AsyncIterator[TextInterview]:
    """Start the interview the way the worker does, minus the room: begin, controller, session, greet."""
    from agent_worker import lifecycle
    from agent_worker.controller import InterviewController
    from agent_worker.worker import build_session

    interview = await asyncio.to_thread(lifecycle.begin, store, interview_id, datetime.now(UTC))
    previous = await asyncio.to_thread(store.turns, interview_id)
    controller = InterviewController(
        interview,
        store=store,
        settings=settings,
        agent_settings=agent_settings,
        previous_turns=previous,
        audio=False,
        **controller_options,
    )
    session = build_session(settings, agent_settings, controller.instructions, interview)
    controller.attach(session)
    controller.candidate_audio_ready()
    greeting = await session.start(controller.agent(), capture_run=True)
    live = TextInterview(controller, session, greeting)
    try:
        yield live
    finally:
        if not live.crashed:
            if controller.end_reason is None and not controller.handed_over:
                controller.request_end(EndReason.ERROR)
            if not controller.handed_over:  # a hand-over stops the session without finishing
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(controller.finished.wait(), 30)
            await session.aclose()


def run(coro: Any) -> Any:
    """Run a scenario in a fresh event loop with a generous overall timeout."""
    return asyncio.run(asyncio.wait_for(coro, 120))


def asked(question: str, text: str) -> bool:
    """Whether `text` asks the planned `question`: its core, whatever the model's wording around it
    (the emulator's realistic profile rephrases the beginning and the end, as a real model does)."""
    core = question.strip().rstrip("?.!")
    return core[1:].casefold() in " ".join(text.split()).casefold()
