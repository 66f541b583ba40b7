"""The first greeting survives a candidate who speaks as they join: a real worker
(`python -m agent_worker start`, its log captured) in a real LiveKit room with the stack's local Gemini,
and a synthetic candidate who says "Hello?" again and again from the moment the agent's audio arrives.

Without the greeting's hold on the candidate's audio, the local model hears each "Hello?", cuts the
greeting off (a barge-in) or answers it with a greeting of its own, and the agent's greeting then comes
as "Hello again ... let's continue where we left off", after the plugin's 5 s generate_reply timeout.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bench.candidate import RATE, SyntheticCandidate, synthesize
from interview_core.domain.models import TurnRole
from tests.agent.conftest import SQL_QUESTION, asked, run
from tests.agent.test_worker_cli import CORE_HOME, REPO, Worker, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TIMEOUT_LINE = "generate_reply timed out"
RESUME_WORDING = ("Hello again", "continue where we left off", "Welcome back")


@pytest.fixture
def worker(agent_env: dict[str, str]) -> Iterator[tuple[Worker, str]]:
    """One worker under an agent name of this test's own, so only this test's interview reaches it."""
    name = f"greeting-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in agent_env.items() if k not in {"PYTHONPATH", "LOG_LEVEL"}}
    env.update(
        {
            "AGENT_NAME": name,
            "AGENT_HEALTH_HOST": "127.0.0.1",
            "AGENT_HEALTH_PORT": str(free_port()),
            "AGENT_IDLE_PROCESSES": "1",
            "REJOIN_GRACE_SECONDS": "1",
            "PYTHONPATH": str(CORE_HOME),
        }
    )
    started = Worker(["start"], cwd=REPO, env=env)
    try:
        started.wait_for(started.registrations, 1, timeout=90)
        yield started, name
    finally:
        if started.process.poll() is None:
            started.process.kill()
            started.process.wait(10)


def messages(worker: Worker) -> list[str]:
    found = []
    for line in worker.lines:
        try:
            found.append(str(json.loads(line).get("message", "")))
        except ValueError:
            found.append(line)
    return found


def test_a_candidate_who_says_hello_as_they_join_hears_the_whole_first_greeting(
    agent_env: dict[str, str], create_interview: Any, store: Any, worker: tuple[Worker, str]
) -> None:
    from interview_core.adapters.livekit_tokens import candidate_access_token
    from interview_core.settings import Settings

    process, agent_name = worker
    created = create_interview()
    token = candidate_access_token(Settings(agent_name=agent_name), created.id).to_jwt()
    hello = synthesize("Hello?") + bytes(int(RATE * 0.7) * 2)  # a short pause after each

    async def scenario() -> None:
        candidate = SyntheticCandidate(agent_env["LIVEKIT_URL"], token)
        await candidate.join()
        try:
            deadline = time.monotonic() + 30
            while candidate.agent_track_at is None and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            assert candidate.agent_track_at is not None, "\n".join(process.lines[-30:])
            for _ in range(5):  # "Hello? ... Hello?" over the first seconds of the greeting
                await candidate.say(hello)
            await candidate.wait_for_agent(timeout=30)
            await asyncio.sleep(2.0)  # the reorder window, then the writer stores the greeting
        finally:
            await candidate.leave()

    run(scenario())
    deadline = time.monotonic() + 10
    while not store.turns(created.id) and time.monotonic() < deadline:
        time.sleep(0.2)
    turns = store.turns(created.id)
    assert turns, "nothing was said"
    first = turns[0]
    assert first.role == TurnRole.AGENT, [(t.role, t.text) for t in turns]
    assert not first.interrupted, f"the greeting was cut off: {first.text!r}"
    assert first.text.startswith("Hello Ada"), first.text
    assert asked(SQL_QUESTION, first.text), first.text
    said = " ".join(t.text for t in turns if t.role == TurnRole.AGENT)
    assert not any(wording in said for wording in RESUME_WORDING), said
    logged = messages(process)
    assert "greeting the candidate" in logged
    assert not any(TIMEOUT_LINE in line for line in logged), [m for m in logged if TIMEOUT_LINE in m]
    assert not any(line.startswith("failed to generate a reply") for line in logged)
