"""The parts of a hand-over (handover.py, controller.hand_over, lifecycle's note) one by one; the whole
path with real workers and a real room is tests/agent/test_handover.py."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import pytest
from livekit import rtc

from agent_worker import lifecycle
from agent_worker.handover import HANDOVER_TOPIC, HandoverSignal, handover_request
from interview_core.domain.models import EndReason, InterviewStatus, TurnRole
from tests.agent.conftest import LONG_ANSWER, PYTHON_QUESTION, SQL_QUESTION, asked, run, text_interview


def packet(*, topic: str = HANDOVER_TOPIC, sender: object | None = None, data: bytes | None = None) -> Any:
    kind = rtc.DataPacketKind.KIND_RELIABLE
    return rtc.DataPacket(data=data or handover_request(), kind=kind, participant=sender, topic=topic)  # type: ignore[arg-type]


def test_only_a_server_sent_request_on_the_topic_starts_a_hand_over() -> None:
    async def scenario() -> HandoverSignal:
        signal = HandoverSignal()
        signal.on_data(packet(sender=SimpleNamespace(identity="candidate-x")))  # a participant: ignored
        signal.on_data(packet(topic="lk.chat"))  # another topic: ignored
        assert not signal.requested.is_set()
        signal.on_data(packet(data=json.dumps({"handover": "maintenance"}).encode()))
        assert signal.requested.is_set()
        return signal

    signal = asyncio.run(scenario())
    assert signal.reason == "maintenance"
    assert signal.at > 0


def test_first_returns_the_work_or_cancels_it_when_a_hand_over_comes_first() -> None:
    async def scenario() -> tuple[Any, Any, bool]:
        signal = HandoverSignal()
        done = await signal.first(asyncio.sleep(0.01, result="loaded"))
        cancelled = asyncio.Event()

        async def long_work() -> str:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                cancelled.set()
                raise
            return "never"

        asyncio.get_running_loop().call_later(0.05, signal.on_data, packet())
        interrupted = await signal.first(long_work())
        return done, interrupted, cancelled.is_set()

    done, interrupted, cancelled = asyncio.run(scenario())
    assert done == "loaded"
    assert interrupted is None
    assert cancelled


@pytest.mark.integration
def test_a_controller_that_hands_over_stores_its_turns_and_does_not_end_the_interview(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any
) -> None:
    created = create_interview(questions=(SQL_QUESTION, PYTHON_QUESTION))

    async def scenario() -> tuple[bool, Any]:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            await live.say(LONG_ANSWER)
            stored = await live.controller.hand_over(timeout=5)
            live.controller.request_end(EndReason.ERROR)  # after a hand-over: nothing happens
            return stored, live.controller

    stored, controller = run(scenario())
    assert stored
    assert controller.handed_over
    assert controller.end_reason is None
    assert not controller.finished.is_set()
    interview = store.get(created.id)
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert interview.end_reason is None
    assert "agent" not in interview.metrics  # no metrics, no webhook: the interview goes on
    turns = store.turns(created.id)
    assert [t.role for t in turns] == [TurnRole.AGENT, TurnRole.CANDIDATE, TurnRole.AGENT]
    assert asked(PYTHON_QUESTION, turns[2].text)  # the model may word it its own way


@pytest.mark.integration
def test_the_hand_over_note_is_written_while_joinable_and_taken_once(
    create_interview: Any, store: Any
) -> None:
    created = create_interview(status=InterviewStatus.IN_PROGRESS)
    assert lifecycle.take_over(store, created.id, "job-b") is None  # nothing pending

    assert lifecycle.record_handover(
        store, created.id, reason="worker_shutdown", job_id="job-a", next_seq=7, turns_stored=True
    )
    note = lifecycle.take_over(store, created.id, "job-b")
    assert note is not None
    assert (note["state"], note["from_job"], note["next_seq"], note["count"]) == ("pending", "job-a", 7, 1)
    assert lifecycle.take_over(store, created.id, "job-c") is None  # already taken
    stored = store.get_part(created.id, lifecycle.HandoverPart)
    assert stored.handover["state"] == "taken"
    assert stored.handover["to_job"] == "job-b"
    assert store.get(created.id).status == InterviewStatus.IN_PROGRESS  # the status is untouched

    ended = create_interview(status=InterviewStatus.COMPLETED)
    assert not lifecycle.record_handover(
        store, ended.id, reason="worker_shutdown", job_id="job-a", next_seq=0, turns_stored=True
    )
    assert store.get_part(ended.id, lifecycle.HandoverPart).handover is None


def test_the_shutdown_setting_chooses_hand_over_or_the_plain_drain() -> None:
    from agent_worker.config import AgentSettings
    from agent_worker.worker import InterviewerServer, build_server
    from interview_core.settings import Settings

    handing = build_server(Settings(), AgentSettings())
    finishing = build_server(Settings(), AgentSettings(agent_shutdown="finish"))
    assert isinstance(handing, InterviewerServer)
    assert isinstance(finishing, InterviewerServer)
    assert handing.hand_over
    assert not finishing.hand_over
