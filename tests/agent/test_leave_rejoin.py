"""Leaving and rejoining in a real LiveKit room keep the candidate page's promise.

The stack's api and agent read the same REJOIN_GRACE_SECONDS (32 s when pytest starts the stack, see
conftest.py; the tests read the value the api returns with the token, so any grace above 30 s works).
LiveKit's own default closes a room 20 s after its last participant leaves: a rejoin after 30 s works
only because the candidate's token sets the room's departure timeout to the grace plus the agent's
margin. A candidate who leaves for good ends the interview as "candidate_left" within grace + 10 s.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import requests
from livekit import api

from bench.candidate import SyntheticCandidate, synthesize
from interview_core.domain.models import EndReason, InterviewStatus, TurnRole
from interview_core.domain.status import FINISHED
from tests.agent.conftest import asked, run

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUESTIONS = ("What do you like about SQL?", "Which Python library do you use most?")
ANSWER = "I have used it every day for five years, mostly to build reporting pipelines."
ANSWER_PHRASES = ("years", "reporting", "pipelines", "used it")
"""Words of ANSWER, each said once in it, by which the stored answers are counted."""
REJOIN_AFTER_SECONDS = 30.0
"""Longer than LiveKit's default departure timeout (20 s), shorter than the grace."""


@pytest.fixture(scope="module")
def answer_pcm() -> bytes:
    return synthesize(ANSWER)


def _token(agent_env: dict[str, str], created: Any) -> dict[str, Any]:
    response = requests.post(
        f"{agent_env['API_URL']}/api/interviews/{created.id}/token",
        json={"invite": created.secret, "consent": {"version": "en-1", "language": "en"}},
        timeout=15,
    )
    response.raise_for_status()
    return dict(response.json())


async def _room(agent_env: dict[str, str], name: str) -> Any:
    """The room as the LiveKit server has it, or None once it is gone."""
    async with api.LiveKitAPI(
        agent_env["LIVEKIT_URL"].replace("ws://", "http://"),
        agent_env["LIVEKIT_API_KEY"],
        agent_env["LIVEKIT_API_SECRET"],
    ) as lk:
        rooms = await lk.room.list_rooms(api.ListRoomsRequest(names=[name]))
    return rooms.rooms[0] if rooms.rooms else None


def _finished(store: Any, interview_id: str, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        interview = store.get(interview_id)
        if interview.status in FINISHED:
            return interview
        time.sleep(0.2)
    raise AssertionError(f"interview {interview_id} is {store.get(interview_id).status}, not finished")


def test_a_candidate_who_leaves_and_rejoins_after_30_s_finishes_the_interview(
    agent_env: dict[str, str], create_interview: Any, store: Any, answer_pcm: bytes
) -> None:
    created = create_interview(questions=QUESTIONS)

    async def scenario() -> float:
        first_token = _token(agent_env, created)
        grace = float(first_token["rejoin_grace_seconds"])
        assert grace > REJOIN_AFTER_SECONDS + 1, (
            f"the stack's REJOIN_GRACE_SECONDS ({grace}) must exceed 31 s"
        )
        first = SyntheticCandidate(first_token["livekit_url"], first_token["token"])
        await first.join()
        await first.wait_for_agent(timeout=30)  # greeted and asked question 1
        room = await _room(agent_env, first_token["room"])
        assert room is not None
        assert room.departure_timeout >= grace  # not LiveKit's default 20 s
        await first.leave()  # pressed Leave and confirmed
        left = time.monotonic()
        await asyncio.sleep(REJOIN_AFTER_SECONDS)
        assert store.get(created.id).status == InterviewStatus.IN_PROGRESS
        assert await _room(agent_env, first_token["room"]) is not None  # the room waited too

        again_token = _token(agent_env, created)
        again = SyntheticCandidate(again_token["livekit_url"], again_token["token"])
        await again.join()
        rejoined_after = time.monotonic() - left
        try:
            await again.wait_for_agent(timeout=30)  # "Welcome back", and the question again
            for _ in QUESTIONS:
                ended = await again.say(answer_pcm)
                await again.wait_for_reply(after=ended, timeout=30)
            await asyncio.wait_for(again.disconnected.wait(), 30)  # the agent deletes the room
        finally:
            await again.leave()
        return rejoined_after

    started = time.monotonic()
    rejoined_after = run_long(scenario())
    interview = _finished(store, created.id, timeout=30)
    print(
        f"leave/rejoin test: rejoined after {rejoined_after:.1f} s, {time.monotonic() - started:.1f} s in all"
    )
    assert rejoined_after >= REJOIN_AFTER_SECONDS
    assert interview.end_reason == EndReason.COMPLETED
    assert interview.metrics["agent"]["rejoins"] == 1
    turns = store.turns(created.id)
    assert asked(QUESTIONS[0], turns[0].text)
    assert "Welcome back" in turns[1].text
    assert asked(QUESTIONS[0], turns[1].text)  # the question again, for the candidate who missed it
    assert [t.seq for t in turns] == list(range(len(turns)))
    # Gemini (and the emulator's strict profile) may commit two answers' transcripts as one turn
    # when the second follows quickly: count the answers' words, not their turns.
    # The emulator's speech recognition may mishear a word of one answer ("every day for five years"
    # once came back as "every May 4th"), so each answer is counted by the best-heard of its phrases:
    # one answer lost gives at most 1, one stored twice at least 3.
    answers = " ".join(t.text for t in turns if t.role == TurnRole.CANDIDATE).lower()
    heard = max(answers.count(phrase) for phrase in ANSWER_PHRASES)
    assert heard == len(QUESTIONS), answers
    assert turns[-1].role == TurnRole.AGENT


def test_a_candidate_who_leaves_for_good_ends_as_candidate_left_within_the_grace(
    agent_env: dict[str, str], create_interview: Any, store: Any
) -> None:
    created = create_interview(questions=QUESTIONS)

    async def scenario() -> tuple[float, float]:
        token = _token(agent_env, created)
        grace = float(token["rejoin_grace_seconds"])
        candidate = SyntheticCandidate(token["livekit_url"], token["token"])
        await candidate.join()
        await candidate.wait_for_agent(timeout=30)
        await candidate.leave()
        left = time.time()
        deadline = time.monotonic() + grace + 10
        while time.monotonic() < deadline:
            if store.get(created.id).status in FINISHED:
                break
            await asyncio.sleep(0.5)
        return left, grace

    started = time.monotonic()
    left, grace = run_long(scenario())
    interview = _finished(store, created.id, timeout=1)
    assert interview.ended_at is not None
    ended_after = interview.ended_at.timestamp() - left
    print(
        f"leave-for-good test: ended {ended_after:.1f} s after the leave (grace {grace:.0f} s), "
        f"{time.monotonic() - started:.1f} s in all"
    )
    assert interview.end_reason == EndReason.CANDIDATE_LEFT
    assert grace - 1 <= ended_after <= grace + 10
    assert interview.metrics["agent"]["rejoins"] == 0
    assert run(_gone(agent_env, f"interview-{created.id}", timeout=10))  # the agent closed the room


async def _gone(agent_env: dict[str, str], name: str, timeout: float) -> bool:
    """Whether the room is gone within `timeout` (the agent deletes it after its webhook)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await _room(agent_env, name) is None:
            return True
        await asyncio.sleep(0.5)
    return False


def run_long(coro: Any) -> Any:
    """Run a scenario that waits out a grace period (the shared `run` allows 120 s)."""
    return asyncio.run(asyncio.wait_for(coro, 240))


def test_a_room_closed_while_the_candidate_is_away_ends_as_candidate_left_within_the_shutdown_timeout(
    agent_env: dict[str, str], create_interview: Any, store: Any
) -> None:
    """Whatever closes the room during the grace (a LiveKit project with shorter timeouts, an
    operator): the agent ends the interview as "candidate_left", turns stored and webhook sent, inside
    the 15 s livekit-agents waits for the entrypoint before cancelling it (and the ending with it)."""
    created = create_interview(questions=QUESTIONS)

    async def scenario() -> float:
        token = _token(agent_env, created)
        candidate = SyntheticCandidate(token["livekit_url"], token["token"])
        await candidate.join()
        await candidate.wait_for_agent(timeout=30)
        await candidate.leave()
        await asyncio.sleep(2.0)
        async with api.LiveKitAPI(
            agent_env["LIVEKIT_URL"].replace("ws://", "http://"),
            agent_env["LIVEKIT_API_KEY"],
            agent_env["LIVEKIT_API_SECRET"],
        ) as lk:
            await lk.room.delete_room(api.DeleteRoomRequest(room=token["room"]))
        return time.time()

    closed = run(scenario())
    interview = _finished(store, created.id, timeout=20)
    finished_after = time.time() - closed
    print(f"room-closed test: finished {finished_after:.1f} s after the room closed")
    assert interview.end_reason == EndReason.CANDIDATE_LEFT
    assert finished_after < 15
    assert interview.metrics["agent"]["turns"] == len(store.turns(created.id)) >= 1
