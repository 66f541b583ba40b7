"""A planned shutdown hands a live interview to another worker: three real workers
(`python -m agent_worker start`) against the stack's LiveKit server, a synthetic candidate speaking in a
real room, and SIGTERM sent to whichever worker holds the interview: once at a quiet moment, once
while the agent is replying to the answer just given (whose transcript Gemini has not committed yet).

The workers register under an agent name of this test's own and the candidate's token (minted as the
api mints it) names that agent, so the stack's own worker never takes these interviews.

The gap is measured on the candidate's side: SIGTERM -> the next agent in the room, and SIGTERM -> the
first audio from the next agent. Every hand-over's figures are printed (`pytest -s`).
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from livekit import rtc

from agent_worker.handover import NO_SUCCESSOR_NOTICE, NOTICE
from bench.candidate import FRAME_MS, LOUD_RMS, RATE, SyntheticCandidate, synthesize
from interview_core.domain.models import EndReason, InterviewStatus, TurnRole
from interview_core.domain.status import FINISHED
from tests.agent.conftest import run
from tests.agent.test_worker_cli import CORE_HOME, REPO, Worker, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUESTIONS = (
    "What do you like about SQL?",
    "Which Python library do you use most?",
    "How do you test a data pipeline?",
    "How do you monitor a nightly batch job?",
)
ANSWERS = (
    "I have used it every day for five years, mostly to build reporting pipelines.",
    "Mostly pandas, and polars for the larger jobs that no longer fit in memory.",
    "Small fixtures for every transformation, and a full run against a copy of production data.",
)
# The bounds a hand-over must meet. The candidate's page ends the call when no interviewer is in the
# room for 2.5 s, so the next agent must join within the old one's budget (7 s), while the old one is
# still there; Cloud Run kills the instance 10 s after SIGTERM, so the old worker must have exited
# by then.
MAX_SECONDS_TO_NEXT_AGENT_IN_ROOM = 7.0
MAX_SECONDS_TO_NEXT_AGENT_AUDIO = 8.0
MAX_SECONDS_TO_EXIT = 10.0


@dataclass
class Gap:
    in_room: float
    first_audio: float
    old_exit: float


@dataclass
class Captions:
    """The caption texts the candidate's page would show (LiveKit's `lk.transcription` streams)."""

    texts: list[str] = field(default_factory=list)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def receive(self, reader: rtc.TextStreamReader, sender: str) -> None:
        task = asyncio.ensure_future(self.read(reader))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def read(self, reader: rtc.TextStreamReader) -> None:
        self.texts.append(await reader.read_all())


@dataclass
class WorkerPool:
    """Workers of one agent name of this test's own."""

    agent_name: str
    env: dict[str, str]
    started: list[Worker] = field(default_factory=list)

    def start(self) -> Worker:
        worker = Worker(["start"], cwd=REPO, env={**self.env, "AGENT_HEALTH_PORT": str(free_port())})
        self.started.append(worker)
        return worker

    def holder(self) -> Worker:
        """The one running worker with a job, from its health server's /worker."""
        running = [w for w in self.started if w.process.poll() is None]
        busy = [w for w in running if float(str(w.worker_info().get("active_jobs", 0))) > 0]
        assert len(busy) == 1, [w.worker_info() for w in running]
        return busy[0]


@pytest.fixture
def workers(agent_env: dict[str, str]) -> Iterator[WorkerPool]:
    """Every worker still running at the end is stopped with SIGKILL (a SIGTERM would start another
    hand-over)."""
    name = f"handover-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in agent_env.items() if k not in {"PYTHONPATH", "LOG_LEVEL"}}
    env.update(
        {
            "AGENT_NAME": name,
            "AGENT_HEALTH_HOST": "127.0.0.1",
            "AGENT_IDLE_PROCESSES": "1",
            "AGENT_SHUTDOWN": "handover",
            "REJOIN_GRACE_SECONDS": "2",
            "PYTHONPATH": str(CORE_HOME),
        }
    )
    pool = WorkerPool(name, env)
    yield pool
    for worker in pool.started:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait(10)


def registered(worker: Worker) -> None:
    worker.wait_for(worker.registrations, 1, timeout=90)


def agent_identities(candidate: SyntheticCandidate) -> list[str]:
    return [
        p.identity
        for p in candidate.room.remote_participants.values()
        if p.kind == rtc.ParticipantKind.PARTICIPANT_KIND_AGENT
    ]


def log_records(worker: Worker) -> list[dict[str, Any]]:
    records = []
    for line in worker.lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


def record(worker: Worker, message: str) -> dict[str, Any]:
    """The worker's first log record with this message ({} when there is none)."""
    return next((r for r in log_records(worker) if r.get("message") == message), {})


async def reply_started(candidate: SyntheticCandidate, after: float, timeout: float = 20.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        onset = next((t for t in candidate.heard.onsets if t > after), None)
        if onset is not None:
            return onset
        await asyncio.sleep(0.02)
    raise TimeoutError("the agent did not reply")


async def first_loud_frame(track: rtc.Track, heard: list[float]) -> None:
    """When `track` first carries audio as loud as speech."""
    stream = rtc.AudioStream(track, sample_rate=RATE, num_channels=1, frame_size_ms=FRAME_MS)
    try:
        async for event in stream:
            samples = np.frombuffer(event.frame.data, dtype=np.int16).astype(np.float32)
            if samples.size and float(np.sqrt(np.mean(samples * samples))) >= LOUD_RMS:
                heard.append(time.time())
                return
    finally:
        await stream.aclose()


async def hand_over(candidate: SyntheticCandidate, old: Worker) -> Gap:
    """SIGTERM the worker holding the interview; the candidate's view of the next agent's arrival:
    when it joined the room, and the first loud frame on its own audio track."""
    before = set(agent_identities(candidate))
    assert len(before) == 1
    joined_at: list[float] = []
    heard_at: list[float] = []
    listeners: list[asyncio.Task[None]] = []

    def on_join(participant: rtc.RemoteParticipant) -> None:
        is_agent = participant.kind == rtc.ParticipantKind.PARTICIPANT_KIND_AGENT
        if is_agent and participant.identity not in before:
            joined_at.append(time.time())

    def on_track(track: rtc.Track, _pub: rtc.RemoteTrackPublication, who: rtc.RemoteParticipant) -> None:
        if who.identity not in before and track.kind == rtc.TrackKind.KIND_AUDIO:
            listeners.append(asyncio.create_task(first_loud_frame(track, heard_at)))

    candidate.room.on("participant_connected", on_join)
    candidate.room.on("track_subscribed", on_track)
    signalled = time.time()
    old.process.send_signal(signal.SIGTERM)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (joined_at and heard_at):
            await asyncio.sleep(0.02)
        assert joined_at, "no other agent joined the room"
        assert heard_at, "the next agent never spoke"
        code = await asyncio.to_thread(old.process.wait, 15)
        exited = time.time()
    finally:
        candidate.room.off("participant_connected", on_join)
        candidate.room.off("track_subscribed", on_track)
        for listener in listeners:
            listener.cancel()
    assert code == 0, "\n".join(old.lines[-40:])
    await candidate.wait_for_agent(timeout=20)  # the next agent's greeting has ended
    return Gap(joined_at[0] - signalled, heard_at[0] - signalled, exited - signalled)


def test_sigterm_hands_a_live_interview_to_another_worker_with_no_turn_lost(
    agent_env: dict[str, str], create_interview: Any, store: Any, workers: WorkerPool
) -> None:
    from interview_core.adapters.livekit_tokens import candidate_access_token
    from interview_core.settings import Settings

    for worker in [workers.start() for _ in range(3)]:  # one holds the interview, two can take it
        registered(worker)
    created = create_interview(questions=QUESTIONS)
    token = candidate_access_token(Settings(agent_name=workers.agent_name), created.id).to_jwt()
    answers = [synthesize(text) for text in ANSWERS]
    gaps: list[Gap] = []
    stored_before: list[list[Any]] = []
    handed_over: list[Worker] = []
    captions = Captions()

    async def scenario() -> None:
        candidate = SyntheticCandidate(agent_env["LIVEKIT_URL"], token)
        candidate.room.register_text_stream_handler("lk.transcription", captions.receive)
        await candidate.join()
        try:
            await candidate.wait_for_agent(timeout=30)  # greeting and the first question
            ended = await candidate.say(answers[0])
            await candidate.wait_for_reply(after=ended)  # the second question

            # Hand-over 1: at a quiet moment, the agent waiting for the answer to its question.
            old = workers.holder()
            handed_over.append(old)
            gaps.append(await hand_over(candidate, old))
            stored_before.append(store.turns(created.id))
            still_running(store.get(created.id))
            ended = await candidate.say(answers[1])
            await reply_started(candidate, after=ended)

            # Hand-over 2: while the agent is speaking its reply to the answer just given.
            old = workers.holder()
            handed_over.append(old)
            gaps.append(await hand_over(candidate, old))
            stored_before.append(store.turns(created.id))
            still_running(store.get(created.id))
            ended = await candidate.say(answers[2])
            await candidate.wait_for_reply(after=ended)
            await asyncio.sleep(2.0)  # the reorder window, then the writer stores the reply
        finally:
            await candidate.leave()

    run(scenario())
    successors = sorted(
        (w for w in workers.started if record(w, "taking over a handed-over interview")),
        key=lambda w: str(record(w, "taking over a handed-over interview")["timestamp"]),
    )
    for number, (gap, old, new) in enumerate(zip(gaps, handed_over, successors, strict=True), start=1):
        steps = record(old, "interview handed over")
        left = record(old, "leaving the room after the hand-over")
        start = record(new, "interview starting")
        print(
            f"hand-over {number}: next agent in the room {gap.in_room:.2f} s, its first audio"
            f" {gap.first_audio:.2f} s, old worker exited {gap.old_exit:.2f} s after SIGTERM;"
            f" old agent: answer wait {steps['wait_ms']} ms, session closed {steps['close_ms']} ms,"
            f" turns stored {steps['flush_ms']} ms, left after {left['handover_ms']} ms;"
            f" new agent: connect {start['connect_ms']} ms, begin {start['begin_ms']} ms"
        )

    # The candidate has left: the last agent ends the interview after the rejoin grace, as usual.
    interview = finished(store, created.id)
    assert interview.end_reason == EndReason.CANDIDATE_LEFT
    turns = store.turns(created.id)
    # No turn lost: contiguous sequence numbers, and every answer stored once, in order.
    assert [t.seq for t in turns] == list(range(len(turns)))
    candidate_turns = [t for t in turns if t.role == TurnRole.CANDIDATE]
    assert len(candidate_turns) == 3, [(t.seq, t.role.value) for t in turns]
    assert "reporting pipelines" in candidate_turns[0].text
    assert "larger jobs" in candidate_turns[1].text
    assert "fixtures" in candidate_turns[2].text
    # The answer given just before each hand-over was stored by the agent that heard it.
    assert any("reporting pipelines" in t.text for t in stored_before[0] if t.role == TurnRole.CANDIDATE)
    assert any("larger jobs" in t.text for t in stored_before[1] if t.role == TurnRole.CANDIDATE)
    # Each new agent spoke after the last stored turn of the one before it, and answered the next answer.
    for before in stored_before:
        assert len(turns) > len(before)
        assert turns[len(before)].role == TurnRole.AGENT
    assert turns[-1].role == TurnRole.AGENT
    handed = interview_handover(store, created.id)
    assert handed["state"] == "taken"
    assert handed["count"] == 2
    assert handed["reason"] == "worker_shutdown"
    # What the candidate saw while the next agent joined: the notice, as a caption of each old agent.
    assert captions.texts.count(NOTICE) == 2, captions.texts
    # The logs say what happened, with the interview's id.
    for old in handed_over:
        (left,) = [r for r in log_records(old) if r.get("message") == "leaving the room after the hand-over"]
        assert left["interview_id"] == created.id
        assert left["dispatched"] is True
        assert left["successor_joined"] is True
    takeovers = [
        r
        for worker in workers.started
        for r in log_records(worker)
        if r.get("message") == "taking over a handed-over interview"
    ]
    assert [r["interview_id"] for r in takeovers] == [created.id, created.id]
    for gap in gaps:
        assert gap.in_room < MAX_SECONDS_TO_NEXT_AGENT_IN_ROOM, gaps
        assert gap.first_audio < MAX_SECONDS_TO_NEXT_AGENT_AUDIO, gaps
        assert gap.old_exit < MAX_SECONDS_TO_EXIT, gaps


def still_running(interview: Any) -> None:
    """The hand-over did not end the interview."""
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert interview.end_reason is None
    assert "agent" not in interview.metrics


def finished(store: Any, interview_id: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        interview = store.get(interview_id)
        if interview.status in FINISHED and "agent" in interview.metrics:
            return interview
        time.sleep(0.2)
    raise AssertionError(f"interview {interview_id} did not finish: {store.get(interview_id).status}")


def interview_handover(store: Any, interview_id: str) -> dict[str, Any]:
    from agent_worker.lifecycle import HandoverPart

    part = store.get_part(interview_id, HandoverPart)
    assert part is not None
    assert part.handover is not None
    return dict(part.handover)


def test_with_no_other_worker_the_candidate_is_told_and_the_interview_waits_for_them(
    agent_env: dict[str, str], create_interview: Any, store: Any, workers: WorkerPool
) -> None:
    """A single instance shut down: nobody takes the dispatch (LiveKit does not offer it again to a
    worker that registers later), so the agent says so before its budget ends and leaves; the
    interview stays in progress with every turn stored, for the candidate's next visit."""
    from interview_core.adapters.livekit_tokens import candidate_access_token
    from interview_core.settings import Settings

    only = workers.start()
    registered(only)
    created = create_interview(questions=QUESTIONS)
    token = candidate_access_token(Settings(agent_name=workers.agent_name), created.id).to_jwt()
    captions = Captions()

    async def scenario() -> tuple[float, list[str]]:
        candidate = SyntheticCandidate(agent_env["LIVEKIT_URL"], token)
        candidate.room.register_text_stream_handler("lk.transcription", captions.receive)
        await candidate.join()
        try:
            await candidate.wait_for_agent(timeout=30)
            ended = await candidate.say(synthesize(ANSWERS[0]))
            await candidate.wait_for_reply(after=ended)
            signalled = time.monotonic()
            only.process.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(only.process.wait, 15)
            assert code == 0
            await asyncio.sleep(0.5)
            return time.monotonic() - signalled, agent_identities(candidate)
        finally:
            await candidate.leave()

    exited_after, agents_left = run(scenario())
    print(f"alone: the worker exited {exited_after:.2f} s after SIGTERM")
    assert exited_after < MAX_SECONDS_TO_EXIT, only.lines[-20:]
    assert agents_left == []
    # Both notices, in this order (the candidate's own captions may arrive in between).
    assert captions.texts.count(NOTICE) == 1
    assert captions.texts.count(NO_SUCCESSOR_NOTICE) == 1
    assert captions.texts.index(NOTICE) < captions.texts.index(NO_SUCCESSOR_NOTICE)
    still_running(store.get(created.id))
    turns = store.turns(created.id)
    assert [t.role for t in turns] == [TurnRole.AGENT, TurnRole.CANDIDATE, TurnRole.AGENT]
    note = interview_handover(store, created.id)
    assert note["state"] == "pending"  # nobody took it
    assert note["next_seq"] == 3
    alone = record(only, "no other agent took the interview over")
    assert alone["interview_id"] == created.id
    assert alone["dispatched"] is True
