"""The agent's metrics from its real code: the latency tracker's samples, and a text-mode interview
(the real controller and AgentSession against the stack's Gemini emulator) counted live while it runs,
its minutes and its error ending counted when it ends. Read back from the SDK's in-memory reader."""

from __future__ import annotations

from typing import Any

import pytest

from agent_worker.latency import LatencyTracker, SpeechActivity
from interview_core import metrics
from interview_core.domain.models import EndReason
from tests.agent.conftest import SQL_QUESTION, CreatedInterview, run, text_interview
from tests.metrics_support import reader, totals


@pytest.fixture(autouse=True)
def _installed() -> None:
    reader()


def test_each_turn_latency_sample_is_recorded() -> None:
    activity = SpeechActivity(clock=lambda: 0.0)
    tracker = LatencyTracker(activity)
    before = totals(metrics.TURN_LATENCY.name)
    for index in range(20):  # 200 ms of speech, ending at t = 0.2 s
        activity.observe(2000.0, 10.0, now=0.01 * (index + 1))
    for index in range(40):  # then silence: the segment closes after 300 ms of it
        activity.observe(0.0, 10.0, now=0.2 + 0.01 * (index + 1))
    assert activity.last_end == pytest.approx(0.2)

    sample = tracker.agent_started_speaking(at=1.15)  # the agent's first audio, 950 ms later

    assert sample == pytest.approx(950.0)
    recorded = totals(metrics.TURN_LATENCY.name) - before
    assert recorded.count == 1
    assert recorded.total == pytest.approx(950.0)
    assert tracker.agent_started_speaking(at=1.5) is None  # no new speech: no sample, nothing recorded
    assert (totals(metrics.TURN_LATENCY.name) - before).count == 1


@pytest.mark.integration
def test_an_interview_is_live_while_it_runs_and_its_minutes_and_error_end_are_counted(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any
) -> None:
    created: CreatedInterview = create_interview(questions=(SQL_QUESTION,))
    live = totals(metrics.LIVE_INTERVIEWS.name)
    minutes = totals(metrics.MODEL_MINUTES.name)
    errors = totals(metrics.AGENT_ERRORS.name, kind="interview")

    async def scenario() -> None:
        async with text_interview(created.id, store, settings, agent_settings) as running:
            assert (totals(metrics.LIVE_INTERVIEWS.name) - live).value == 1
            running.controller.request_end(EndReason.ERROR)
            await running.controller.finished.wait()
            assert (totals(metrics.LIVE_INTERVIEWS.name) - live).value == 0

    run(scenario())
    assert (totals(metrics.LIVE_INTERVIEWS.name) - live).value == 0
    assert (totals(metrics.MODEL_MINUTES.name) - minutes).value > 0
    assert (totals(metrics.AGENT_ERRORS.name, kind="interview") - errors).value == 1
    assert store.get(created.id).end_reason == EndReason.ERROR
