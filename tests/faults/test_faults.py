"""Faults in the middle of live interviews and of evaluations (issue 20, item 7).

Each test runs one short interview (two questions) with a synthetic candidate in a real LiveKit room,
against the fault tests' own stack (conftest.py), and hurts one service twice: while the candidate
speaks, and while `evaluate` is inside its Gemini call (the emulator's REST answers are delayed 4 s, so
the evaluation is reliably caught in flight). Then, for every test:

- the interview ends `evaluated`, or `evaluation_failed` with the reason recorded (what the dashboard
  shows), never stuck in between: the sweeper's recovery (abandonment, requeue, give-up) runs with a
  clock moved forward, as Cloud Scheduler would run it later;
- every turn the agent acknowledged (`turns_recorded`, counted in the transaction that stores each
  turn, and `turns_announced` in its webhook) is stored, numbered without a gap;
- there is one report, of the first generation: the outage caused no second evaluation run.

What "stop" means per service:

- **Firestore**: paused (SIGSTOP, then SIGCONT), not killed. The emulator keeps its data only in memory,
  and a managed Firestore never loses data in an outage: what a client sees of one is requests that
  hang and then fail or succeed late, which is what a paused process gives. (A restart with
  `--export-on-exit`/`--import` would test the emulator's persistence, not the product.)
- **Cloud Tasks emulator, Gemini emulator, agent worker**: killed (SIGKILL, no drain, nothing flushed)
  and started again. The Tasks emulator loses its queued tasks, as a stricter case than the managed
  service; the sweeper's requeue covers that.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import pytest
import requests

from bench.candidate import SyntheticCandidate, request_token, synthesize
from interview_core.adapters.tasks import ENQUEUE_TIMEOUT_SECONDS
from interview_core.domain.models import InterviewStatus
from tests.agent.conftest import new_interview
from tests.faults.conftest import FaultStack

# The first test also waits for the fault stack to start (a minute or more on a busy machine).
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.faults, pytest.mark.timeout(600)]

QUESTIONS = ("What do you like about SQL?", "Which Python library do you use most?")
ANSWER = "I have used it every day for five years, mostly to build reporting pipelines with SQL and Python."
EVALUATION_DELAY_MS = 4_000
FINAL = {InterviewStatus.EVALUATED, InterviewStatus.EVALUATION_FAILED}

Fault = Callable[[FaultStack, str], Awaitable[None]]
"""Something done to the fault stack while the interview (its id) runs or is evaluated."""


@pytest.fixture(scope="module")
def answer_pcm() -> bytes:
    return synthesize(ANSWER)


# -- the faults ---------------------------------------------------------------------------------------
async def _in_thread(action: Callable[..., None], *args: Any) -> None:
    await asyncio.to_thread(action, *args)


def pause_for(service: str, seconds: float) -> Fault:
    async def fault(faults: FaultStack, _interview_id: str) -> None:
        await _in_thread(faults.stack.pause_service, service)
        try:
            await asyncio.sleep(seconds)
        finally:
            await _in_thread(faults.stack.resume_service, service)

    return fault


def restart(service: str, down_seconds: float = 1.0) -> Fault:
    async def fault(faults: FaultStack, _interview_id: str) -> None:
        await _in_thread(faults.stack.stop_service, service)
        await asyncio.sleep(down_seconds)
        await _in_thread(faults.stack.start_service, service)

    return fault


# -- the interview and its end ----------------------------------------------------------------------
async def _answer_until_the_end(
    candidate: SyntheticCandidate, pcm: bytes, store: Any, interview_id: str, questions: int, most: int = 5
) -> None:
    """Answer what the agent asks until it ends the interview (it deletes the room). An answer the
    agent did not hear (it was reconnecting) gets no reply: the candidate says it again. Past the
    planned `questions`, the candidate first gives the agent a few seconds to end."""
    for answered in range(most):
        if candidate.disconnected.is_set():
            break
        if answered >= questions and await _ending(candidate, store, interview_id, within=8.0):
            break
        said = await candidate.say(pcm)
        with contextlib.suppress(TimeoutError):
            await candidate.wait_for_reply(after=said, timeout=20)
    await asyncio.wait_for(candidate.disconnected.wait(), 60)


async def _ending(candidate: SyntheticCandidate, store: Any, interview_id: str, within: float) -> bool:
    """Whether the agent ends the interview within `within` seconds: the room goes, or the agent has
    stored its metrics (its last step before the webhook), or the interview left `in_progress`."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if candidate.disconnected.is_set():
            return True
        interview = await asyncio.to_thread(store.get, interview_id)
        if interview.status != InterviewStatus.IN_PROGRESS or "agent" in interview.metrics:
            return True
        await asyncio.sleep(0.5)
    return False


async def _join(faults: FaultStack, created: Any) -> SyntheticCandidate:
    url, token = await asyncio.to_thread(request_token, faults.env["API_URL"], created.id, created.secret)
    candidate = SyntheticCandidate(url, token)
    await candidate.join()
    return candidate


def _evaluation_delay(faults: FaultStack, delay_ms: int) -> None:
    response = requests.post(
        f"{faults.env['GEMINI_EMULATOR_URL']}/emulator/faults", json={"delay_ms": delay_ms}, timeout=5
    )
    response.raise_for_status()


def _when_evaluating(faults: FaultStack, interview_id: str, fault: Fault, after: float) -> threading.Thread:
    """In the background: once `evaluate` has taken the interview (and sits in its delayed Gemini
    call), wait `after` seconds and cause the fault."""
    store = faults.store()

    def watch() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            interview = store.get(interview_id)
            if interview is not None and interview.status == InterviewStatus.EVALUATING:
                time.sleep(after)
                asyncio.run(fault(faults, interview_id))
                return
            if interview is not None and interview.status in FINAL:
                return
            time.sleep(0.2)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def _settle(faults: FaultStack, interview_id: str, wait: float = 60.0) -> tuple[Any, list[str]]:
    """The interview's final state, and the sweeper runs it needed to get there, each with the clock
    moved past the threshold of the step it stands for (abandoned, requeued, given up)."""
    from interview_core.adapters.firestore_store import utcnow
    from interview_core.settings import get_settings
    from pipeline.sweep import run_sweep

    store = faults.store()
    settings = get_settings()
    later = {
        "abandon": settings.abandon_after_minutes,
        "requeue": settings.requeue_evaluation_after_minutes,
        "give up": settings.fail_evaluation_after_minutes,
    }
    sweeps: list[str] = []
    interview = _final(store, interview_id, wait)
    for step, minutes in later.items():
        if interview.status in FINAL:
            break
        sweeps.append(step)
        run_sweep(settings, utcnow() + timedelta(minutes=minutes + 1))
        interview = _final(store, interview_id, wait / 2)
    return interview, sweeps


def _final(store: Any, interview_id: str, wait: float) -> Any:
    """The interview once it is evaluated or failed, or as it is after `wait` seconds."""
    deadline = time.monotonic() + wait
    while (interview := store.get(interview_id)).status not in FINAL and time.monotonic() < deadline:
        time.sleep(0.25)
    return interview


def _check_the_end(faults: FaultStack, interview_id: str) -> Any:
    store = faults.store()
    interview, sweeps = _settle(faults, interview_id)
    print(f"\n{interview_id}: {interview.status} after sweeps {sweeps or 'none'}")
    assert interview.status in FINAL, interview.status
    if interview.status == InterviewStatus.EVALUATION_FAILED:
        assert interview.evaluation.last_error, "a failed evaluation says why (the dashboard shows it)"
    turns = store.turns(interview_id)
    acknowledged = max(interview.turns_recorded, interview.turns_announced or 0)
    assert acknowledged >= 3, (acknowledged, turns)  # greeting, an answer, the next question at least
    assert [t.seq for t in turns] == list(range(len(turns))), [t.seq for t in turns]
    assert len(turns) >= acknowledged, (len(turns), interview.turns_recorded, interview.turns_announced)
    report = store.report(interview_id)
    if interview.status == InterviewStatus.EVALUATED:
        assert report is not None
        assert report["generation"] == 1
    assert interview.evaluation.generation == 1
    return interview


def _run(scenario: Coroutine[Any, Any, None], seconds: float = 300) -> None:
    asyncio.run(asyncio.wait_for(scenario, seconds))


def _interview_with(faults: FaultStack, pcm: bytes, during_interview: Fault, during_evaluation: Fault) -> Any:
    """One interview: `during_interview` starts once the agent asked the first question (the
    candidate answers meanwhile), `during_evaluation` 1.5 s into the evaluation."""
    store = faults.store()
    created = new_interview(store, QUESTIONS)
    _evaluation_delay(faults, EVALUATION_DELAY_MS)
    watcher = _when_evaluating(faults, created.id, during_evaluation, after=1.5)

    async def scenario() -> None:
        candidate = await _join(faults, created)
        try:
            await candidate.wait_for_agent(timeout=30)  # greeted and asked the first question
            outage = asyncio.ensure_future(during_interview(faults, created.id))
            await _answer_until_the_end(candidate, pcm, store, created.id, len(QUESTIONS))
            await outage
        finally:
            await candidate.leave()

    _run(scenario())
    watcher.join(timeout=180)
    return _check_the_end(faults, created.id)


# -- the tests ---------------------------------------------------------------------------------------
def test_a_firestore_outage_loses_no_turn_and_duplicates_no_report(
    restored: FaultStack, answer_pcm: bytes
) -> None:
    """Firestore stops answering for 5 s while the candidate answers (turn writes and the agent's
    reads wait and retry), and for 5 s while the evaluation writes its report."""
    _interview_with(restored, answer_pcm, pause_for("firestore", 5.0), pause_for("firestore", 5.0))


def test_a_tasks_emulator_restart_still_evaluates_once(restored: FaultStack, answer_pcm: bytes) -> None:
    """The queue is down from the first answer until 13 s after the agent's completion webhook came
    (the interview is `completed` while nothing could be enqueued): the webhook is answered 503 and
    retried until the queue is back. A restart during the evaluation loses the delivery in flight,
    which neither doubles nor loses the report. (The agent deletes the room, which ends the
    candidate's call, only once its webhook got through.)"""

    async def down_until_the_webhook_came(faults: FaultStack, interview_id: str) -> None:
        store = faults.store()
        await _in_thread(faults.stack.stop_service, "tasks")
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                interview = await asyncio.to_thread(store.get, interview_id)
                if interview.status == InterviewStatus.COMPLETED:
                    break
                await asyncio.sleep(0.25)
            # Longer than the api's own enqueue retries (tasks.ENQUEUE_TIMEOUT_SECONDS): the webhook
            # is answered 503 and the agent retries it.
            await asyncio.sleep(ENQUEUE_TIMEOUT_SECONDS + 3.0)
        finally:
            await _in_thread(faults.stack.start_service, "tasks")

    _interview_with(restored, answer_pcm, down_until_the_webhook_came, restart("tasks"))


def test_a_gemini_emulator_restart_is_survived_live_and_in_the_evaluation(
    restored: FaultStack, answer_pcm: bytes
) -> None:
    """The Live connection drops mid-interview: the agent reconnects to the restarted emulator (which
    knows none of its resumption handles: a fresh session told the plan's state); the evaluation's
    Gemini call fails mid-way and is retried."""
    _interview_with(restored, answer_pcm, restart("gemini"), restart("gemini"))


def test_an_agent_worker_restart_mid_interview_ends_evaluated(
    restored: FaultStack, answer_pcm: bytes
) -> None:
    """The worker holding the interview is killed (no goodbye, no webhook) and started again. The
    candidate's page ends the call when no interviewer is in the room, and the candidate opens the
    link again at once, while LiveKit still keeps the room for the rejoin grace: the token route
    dispatches an agent into that agent-less room (a self-hosted LiveKit server never dispatches a
    dead worker's job again), and the new agent continues from the stored turns. The interview is
    evaluated once, with every stored turn."""
    faults = restored
    store = faults.store()
    created = new_interview(store, QUESTIONS)

    async def scenario() -> None:
        candidate = await _join(faults, created)
        try:
            await candidate.wait_for_agent(timeout=30)
            said = await candidate.say(answer_pcm)
            await candidate.wait_for_reply(after=said, timeout=20)  # the second question: 3 turns
            registered = _registrations(faults)
            await _in_thread(faults.stack.stop_service, "agent")
            await asyncio.sleep(2.5)  # the page's grace for an interviewer who left the room
        finally:
            await candidate.leave()
        await _in_thread(faults.stack.start_service, "agent")
        await _until_registered(faults, more_than=registered)  # as Cloud Run's probe waits
        again = await _rejoin_until_greeted(faults, created)
        try:
            await _answer_until_the_end(again, answer_pcm, store, created.id, len(QUESTIONS) - 1)
        finally:
            await again.leave()

    _run(scenario())
    interview = _check_the_end(faults, created.id)
    assert "agent" in interview.metrics, "the second agent finished the interview (its metrics)"


def _registrations(faults: FaultStack) -> int:
    """How often the agent worker has registered with LiveKit (its log, kept across restarts)."""
    log = faults.stack.log_of(faults.stack.service("agent"))
    return log.read_text(errors="replace").count("registered worker")


async def _until_registered(faults: FaultStack, more_than: int, timeout: float = 90) -> None:
    """Until the restarted worker has registered: a dispatch before that finds no worker and is
    dropped by LiveKit."""
    deadline = time.monotonic() + timeout
    while _registrations(faults) <= more_than:
        if time.monotonic() > deadline:
            raise AssertionError(f"the restarted agent worker did not register within {timeout:.0f}s")
        await asyncio.sleep(0.25)


async def _rejoin_until_greeted(
    faults: FaultStack, created: Any, attempts: int = 3, wait: float = 45
) -> SyntheticCandidate:
    """Open the link again, as a candidate whose call ended does, until an agent speaks (at most
    `attempts` times, `wait` seconds each: a fresh worker's first job process starts slowly on a
    busy machine, and each new token dispatches one more job)."""
    for attempt in range(attempts):
        candidate = await _join(faults, created)
        try:
            await candidate.wait_for_agent(timeout=wait)
        except TimeoutError:
            await candidate.leave()
            print(f"\nrejoin {attempt + 1}: no agent within {wait:.0f} s")
            continue
        return candidate
    raise AssertionError(f"no agent greeted the candidate in {attempts} rejoins")
