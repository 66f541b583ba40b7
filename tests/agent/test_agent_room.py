"""The whole path with a real LiveKit server: a synthetic candidate joins with the token the real api
mints, the stack's agent worker is dispatched from that token, greets, listens (the emulator's voice
activity detection ends each spoken answer), stores every turn and calls the webhook."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bench.candidate import SyntheticCandidate, request_token, synthesize
from interview_core.domain.models import EndReason, InterviewStatus, TurnRole
from interview_core.domain.status import FINISHED
from tests.agent.conftest import asked, run

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SHORT_QUESTIONS = ("What do you like about SQL?", "Which Python library do you use most?")
ANSWER = "I have used it every day for five years, mostly to build reporting pipelines."


def _wait_until_finished(store: Any, interview_id: str, timeout: float = 30.0) -> Any:
    """Completed by the webhook (or already further along in the evaluation pipeline)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        interview = store.get(interview_id)
        if interview.status in FINISHED:
            return interview
        time.sleep(0.2)
    raise AssertionError(f"interview {interview_id} is {store.get(interview_id).status}, not finished")


@pytest.fixture(scope="module")
def answer_pcm() -> bytes:
    return synthesize(ANSWER)


def test_a_candidate_in_a_real_room_is_interviewed_end_to_end(
    agent_env: dict[str, str], create_interview: Any, store: Any, answer_pcm: bytes
) -> None:
    created = create_interview(questions=SHORT_QUESTIONS)

    async def scenario() -> tuple[float, list[float]]:
        url, token = await asyncio.to_thread(request_token, agent_env["API_URL"], created.id, created.secret)
        candidate = SyntheticCandidate(url, token)
        await candidate.join()
        try:
            greeted_at = await candidate.wait_for_agent(timeout=20)
            assert candidate.joined_at is not None
            latencies = []
            for _ in SHORT_QUESTIONS:
                ended = await candidate.say(answer_pcm)
                latencies.append(await candidate.wait_for_reply(after=ended) - ended)
            await asyncio.wait_for(candidate.disconnected.wait(), 30)  # the agent deletes the room
            return greeted_at - candidate.joined_at, latencies
        finally:
            await candidate.leave()

    greeting_delay, latencies = run(scenario())
    assert greeting_delay < 2.0, f"greeted {greeting_delay:.2f}s after joining"
    assert all(0 < latency < 3.0 for latency in latencies), latencies

    interview = _wait_until_finished(store, created.id)
    assert interview.end_reason == EndReason.COMPLETED
    agent_metrics = interview.metrics["agent"]
    assert agent_metrics["latency_count"] >= 2
    assert 0 < agent_metrics["latency_p50_ms"] < 3000
    turns = store.turns(created.id)
    assert [t.role for t in turns] == [TurnRole.AGENT, TurnRole.CANDIDATE] * 2 + [TurnRole.AGENT]
    assert asked(SHORT_QUESTIONS[0], turns[0].text)
    assert asked(SHORT_QUESTIONS[1], turns[2].text)
    # the local model's Whisper heard the synthetic candidate's words (live_transcribe.py)
    assert "reporting pipelines" in turns[1].text
    assert "reporting pipelines" in turns[3].text
    assert turns[1].started_at < turns[1].ended_at <= turns[2].started_at
    assert "Goodbye" in turns[-1].text


def test_a_candidate_who_drops_and_rejoins_continues_the_interview(
    agent_env: dict[str, str], create_interview: Any, store: Any, answer_pcm: bytes
) -> None:
    created = create_interview(questions=SHORT_QUESTIONS)

    async def scenario() -> None:
        url, token = await asyncio.to_thread(request_token, agent_env["API_URL"], created.id, created.secret)
        first = SyntheticCandidate(url, token)
        await first.join()
        while first.heard.first_audio_at is None:  # the greeting has started
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)
        await first.leave()  # the connection drops in the middle of the greeting
        await asyncio.sleep(2.0)
        assert store.get(created.id).status == InterviewStatus.IN_PROGRESS

        url, token = await asyncio.to_thread(request_token, agent_env["API_URL"], created.id, created.secret)
        again = SyntheticCandidate(url, token)
        await again.join()
        try:
            await again.wait_for_agent(timeout=20)  # "Welcome back", and the question again
            for _ in SHORT_QUESTIONS:
                ended = await again.say(answer_pcm)
                await again.wait_for_reply(after=ended)
            await asyncio.wait_for(again.disconnected.wait(), 30)
        finally:
            await again.leave()

    run(scenario())
    interview = _wait_until_finished(store, created.id)
    assert interview.end_reason == EndReason.COMPLETED
    assert interview.metrics["agent"]["rejoins"] == 1
    turns = store.turns(created.id)
    assert turns[0].interrupted  # cut off when the candidate dropped
    assert "Welcome back" in turns[1].text
    assert asked(SHORT_QUESTIONS[0], turns[1].text)
    assert [t.role for t in turns] == [TurnRole.AGENT] * 2 + [TurnRole.CANDIDATE, TurnRole.AGENT] * 2


def test_the_worker_refuses_a_job_for_a_finished_interview(
    agent_env: dict[str, str], create_interview: Any, store: Any
) -> None:
    """A dispatch for an interview that may not run (here: completed) ends without joining."""
    import json

    from livekit import api

    created = create_interview(status=InterviewStatus.COMPLETED)
    room = created.interview.room

    async def scenario() -> list[Any]:
        async with api.LiveKitAPI(
            agent_env["LIVEKIT_URL"].replace("ws://", "http://"),
            agent_env["LIVEKIT_API_KEY"],
            agent_env["LIVEKIT_API_SECRET"],
        ) as lk:
            await lk.room.create_room(api.CreateRoomRequest(name=room, empty_timeout=30))
            await lk.agent_dispatch.create_dispatch(
                api.CreateAgentDispatchRequest(
                    agent_name="interviewer", room=room, metadata=json.dumps({"interview_id": created.id})
                )
            )
            deadline = time.monotonic() + 20
            jobs: list[Any] = []
            while not jobs and time.monotonic() < deadline:  # the worker took the job
                dispatches = await lk.agent_dispatch.list_dispatch(room)
                jobs = [job for d in dispatches for job in d.state.jobs]
                await asyncio.sleep(0.2)
            await asyncio.sleep(3.0)  # a job that ran the interview would now wait in the room
            participants = await lk.room.list_participants(api.ListParticipantsRequest(room=room))
            await lk.room.delete_room(api.DeleteRoomRequest(room=room))
            return [jobs, participants.participants]

    jobs, participants = run(scenario())
    assert jobs
    assert not participants  # the agent left (or never stayed)
    assert store.get(created.id).status == InterviewStatus.COMPLETED
    assert store.turns(created.id) == []


def test_a_recruiter_cancel_stops_the_running_interview_at_once(
    agent_env: dict[str, str], create_interview: Any, store: Any, recruiter: Any
) -> None:
    """Cancel closes the room: the candidate is disconnected within seconds, the agent stores what was
    said and its completion webhook leaves the interview cancelled."""
    import requests

    created = create_interview(owner_uid=recruiter.uid, workspace_id=recruiter.workspace_id)

    async def scenario() -> tuple[dict[str, Any], float]:
        url, token = await asyncio.to_thread(request_token, agent_env["API_URL"], created.id, created.secret)
        candidate = SyntheticCandidate(url, token)
        await candidate.join()
        try:
            await candidate.wait_for_agent(timeout=20)  # greeted: the interview is running
            assert store.get(created.id).status == InterviewStatus.IN_PROGRESS
            started = time.monotonic()
            response = await asyncio.to_thread(
                requests.post,
                f"{agent_env['API_URL']}/api/interviews/{created.id}/cancel",
                headers=recruiter.headers,
                timeout=15,
            )
            assert response.status_code == 200, response.text
            await asyncio.wait_for(candidate.disconnected.wait(), 10)
            return response.json(), time.monotonic() - started
        finally:
            await candidate.leave()

    body, disconnected_after = run(scenario())
    assert body == {"id": created.id, "status": "cancelled", "room_closed": True}
    assert disconnected_after < 5.0
    deadline = time.monotonic() + 30  # the agent finishes: turns flushed, metrics stored, webhook sent
    while "agent" not in store.get(created.id).metrics and time.monotonic() < deadline:
        time.sleep(0.2)
    interview = store.get(created.id)
    assert "agent" in interview.metrics, "the agent never finished"
    assert interview.status == InterviewStatus.CANCELLED
    turns = store.turns(created.id)
    assert turns, "the greeting that was said is kept"
    assert turns[0].role == TurnRole.AGENT


def test_cancelling_an_interview_nobody_joined_has_no_room_to_close(
    agent_env: dict[str, str], create_interview: Any, store: Any, recruiter: Any
) -> None:
    import requests

    created = create_interview(owner_uid=recruiter.uid, workspace_id=recruiter.workspace_id)
    response = requests.post(
        f"{agent_env['API_URL']}/api/interviews/{created.id}/cancel", headers=recruiter.headers, timeout=15
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"id": created.id, "status": "cancelled", "room_closed": False}
    again = requests.post(
        f"{agent_env['API_URL']}/api/interviews/{created.id}/cancel", headers=recruiter.headers, timeout=15
    )
    assert again.json()["status"] == "cancelled"


def test_a_rejoin_into_a_room_without_an_agent_dispatches_one(
    agent_env: dict[str, str], create_interview: Any, store: Any
) -> None:
    """The worker that held a running interview died: its room is still there (kept for the rejoin
    grace) with no agent in it, and a self-hosted LiveKit does not dispatch the job again. The
    candidate's next token dispatches the interviewer into that room; a first token, whose join
    creates the room with the token's own dispatch, dispatches nothing."""
    import json
    from datetime import UTC, datetime

    from livekit import api

    running = create_interview(status=InterviewStatus.IN_PROGRESS, started_at=datetime.now(UTC))
    fresh = create_interview()

    async def scenario() -> tuple[list[Any], list[Any], list[Any]]:
        async with api.LiveKitAPI(
            agent_env["LIVEKIT_URL"].replace("ws://", "http://"),
            agent_env["LIVEKIT_API_KEY"],
            agent_env["LIVEKIT_API_SECRET"],
        ) as lk:
            room = running.interview.room
            await lk.room.create_room(api.CreateRoomRequest(name=room, empty_timeout=30))
            before = list(await lk.agent_dispatch.list_dispatch(room))
            await asyncio.to_thread(request_token, agent_env["API_URL"], running.id, running.secret)
            after = list(await lk.agent_dispatch.list_dispatch(room))
            await lk.room.delete_room(api.DeleteRoomRequest(room=room))
            await asyncio.to_thread(request_token, agent_env["API_URL"], fresh.id, fresh.secret)
            rooms = await lk.room.list_rooms(api.ListRoomsRequest(names=[fresh.interview.room]))
            return before, after, list(rooms.rooms)

    before, after, fresh_rooms = run(scenario())
    # LiveKit lists its own automatic dispatch of a created room too (no agent name): ours are named.
    assert [d for d in before if d.agent_name] == []
    ours = [d for d in after if d.agent_name]
    assert [d.agent_name for d in ours] == ["interviewer"]
    assert json.loads(ours[0].metadata)["interview_id"] == running.id
    assert fresh_rooms == []  # no room made, no agent sent, before the candidate joins
