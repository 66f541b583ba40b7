"""The interviewer in text mode: the real AgentSession and RealtimeModel against the stack's local
Gemini emulator (over TLS), the real Firestore emulator and the real api's completion webhook.
No LiveKit room: the controller's room hooks are called directly where a test needs them.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from google.api_core import exceptions as gexc

from interview_core.domain.models import EndReason, TurnRole
from interview_core.domain.status import FINISHED
from tests.agent.conftest import (
    AIRFLOW_QUESTION,
    LONG_ANSWER,
    PYTHON_QUESTION,
    SQL_QUESTION,
    CreatedInterview,
    agent_messages,
    asked,
    live_stats,
    run,
    text_interview,
)

pytestmark = pytest.mark.integration


def _assert_finished(store: Any, interview_id: str, reason: EndReason) -> Any:
    interview = store.get(interview_id)
    assert interview.status in FINISHED  # completed, or already picked up by the evaluation pipeline
    assert interview.end_reason == reason
    assert interview.started_at is not None
    assert interview.ended_at is not None
    assert "agent" in interview.metrics
    return interview


def test_it_greets_asks_the_plan_in_order_and_ends_with_the_tool(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any
) -> None:
    created: CreatedInterview = create_interview(questions=(SQL_QUESTION, PYTHON_QUESTION, AIRFLOW_QUESTION))

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            greeting = live.greeting.expect
            greeting.skip_next_event_if(type="agent_handoff")
            hello = greeting.contains_message(role="assistant").event().item.text_content
            assert "Ada" in hello
            assert asked(SQL_QUESTION, hello)

            second = await live.say(LONG_ANSWER)
            assert asked(
                PYTHON_QUESTION,
                second.expect.contains_message(role="assistant").event().item.text_content,
            )

            vague = await live.say("Not sure.")
            follow_up = vague.expect.contains_message(role="assistant").event().item.text_content
            assert "Which part was hardest?" in follow_up

            third = await live.say(LONG_ANSWER)
            assert asked(
                AIRFLOW_QUESTION,
                third.expect.contains_message(role="assistant").event().item.text_content,
            )

            # The closing words and end_interview, in either order: a model that calls the tool first
            # speaks its goodbye as a generation of its own, outside this run's events (the strict
            # profile does so on every second closing turn), so both are checked on the session.
            await live.say(LONG_ANSWER)
            return await live.controller.wait(), agent_messages(live.session)

    outcome, spoken = run(scenario())
    assert "that was my last question" in spoken[-1]
    assert outcome.reason == EndReason.COMPLETED  # only end_interview(reason="completed") ends it so
    assert outcome.webhook_accepted
    assert outcome.turns_stored
    assert sum("Hello" in text for text in spoken) == 1

    interview = _assert_finished(store, created.id, EndReason.COMPLETED)
    assert interview.metrics["agent"]["turns"] == outcome.turn_count
    turns = store.turns(created.id)
    assert [t.seq for t in turns] == list(range(len(turns)))
    assert [t.role for t in turns] == [TurnRole.AGENT, TurnRole.CANDIDATE] * 4 + [TurnRole.AGENT]
    assert turns[1].text == LONG_ANSWER
    assert turns[3].text == "Not sure."
    assert turns[-1].text.startswith("Thank you Ada")
    assert all(t.ended_at >= t.started_at for t in turns)


def test_a_goaway_mid_interview_resumes_without_a_second_greeting(
    create_interview: Any,
    store: Any,
    settings: Any,
    agent_settings: Any,
    gemini_live_faults: Any,
    agent_env: Any,
) -> None:
    created = create_interview()
    before = live_stats(agent_env)
    gemini_live_faults(live_goaway_after_turns=2)

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            await live.say(LONG_ANSWER)  # turn 2 is the second question; goAway follows it
            await asyncio.sleep(1.5)  # the plugin reconnects with its newest handle
            await live.say(LONG_ANSWER)  # the last answer: the closing words and end_interview
            return await live.controller.wait(), agent_messages(live.session)

    outcome, spoken = run(scenario())
    after = live_stats(agent_env)
    assert after.get("goaways", 0) - before.get("goaways", 0) == 1
    assert after.get("resumed_sessions", 0) - before.get("resumed_sessions", 0) >= 1
    assert outcome.reason == EndReason.COMPLETED
    assert sum("Hello" in text for text in spoken) == 1
    assert any(asked(PYTHON_QUESTION, text) for text in spoken)
    _assert_finished(store, created.id, EndReason.COMPLETED)
    assert len(store.turns(created.id)) == 5


def test_the_candidate_drops_and_rejoins_within_the_grace_period(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any
) -> None:
    created = create_interview()
    agent_settings.rejoin_grace_seconds = 3.0

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            live.controller.candidate_left()
            await asyncio.sleep(0.5)
            live.controller.candidate_returned()
            live.controller.candidate_audio_ready()
            welcome = await live.next_agent_message(after=1)
            assert "Welcome back" in welcome
            assert asked(SQL_QUESTION, welcome)
            await asyncio.sleep(3.0)  # past the grace period: nothing may end the interview now
            assert live.controller.end_reason is None
            await live.say(LONG_ANSWER)
            await live.say(LONG_ANSWER)
            return await live.controller.wait()

    outcome = run(scenario())
    assert outcome.reason == EndReason.COMPLETED
    assert outcome.metrics["rejoins"] == 1
    _assert_finished(store, created.id, EndReason.COMPLETED)
    turns = store.turns(created.id)
    assert [t.role for t in turns] == [TurnRole.AGENT] * 2 + [TurnRole.CANDIDATE, TurnRole.AGENT] * 2


def test_the_candidate_never_returns(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any
) -> None:
    created = create_interview()

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            await live.say(LONG_ANSWER)
            live.controller.candidate_left()
            return await live.controller.wait()

    outcome = run(scenario())
    assert outcome.reason == EndReason.CANDIDATE_LEFT
    assert outcome.webhook_accepted
    _assert_finished(store, created.id, EndReason.CANDIDATE_LEFT)
    assert [t.role for t in store.turns(created.id)] == [TurnRole.AGENT, TurnRole.CANDIDATE, TurnRole.AGENT]


class FlakyTurnStore:
    """Our Firestore adapter, failing its first calls the way Firestore does when unavailable."""

    def __init__(self, store: Any, failures: int) -> None:
        self.store = store
        self.failures = failures
        self.calls = 0

    def add_turns(self, interview_id: str, turns: Any) -> None:
        self.calls += 1
        if self.failures > 0:
            self.failures -= 1
            raise gexc.ServiceUnavailable("injected: firestore unavailable")
        self.store.add_turns(interview_id, turns)


def test_firestore_write_failures_are_retried_and_no_turn_is_lost(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any
) -> None:
    created = create_interview()
    flaky = FlakyTurnStore(store, failures=4)

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings, turn_store=flaky) as live:
            await live.say(LONG_ANSWER)
            await live.say(LONG_ANSWER)
            return await live.controller.wait()

    outcome = run(scenario())
    assert flaky.calls > 4
    assert outcome.turns_stored
    assert outcome.metrics["turn_write_failures"] == 4
    _assert_finished(store, created.id, EndReason.COMPLETED)
    turns = store.turns(created.id)
    assert [t.seq for t in turns] == [0, 1, 2, 3, 4]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_webhook_is_retried_until_the_api_answers(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any, agent_env: Any
) -> None:
    """The webhook's port starts listening (a pass-through to the real api) only after a while."""
    from agent_worker.webhook import WebhookNotifier

    created = create_interview()
    port = _free_port()
    notifier = WebhookNotifier(
        settings, agent_settings, url=f"http://127.0.0.1:{port}/api/webhooks/interview-complete"
    )
    seen: list[int] = []

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower().startswith(("x-interviewer", "content-type"))
        }
        async with (
            aiohttp.ClientSession() as http,
            http.post(agent_env["API_URL"] + request.path, data=body, headers=headers) as answer,
        ):
            seen.append(answer.status)
            return web.Response(status=answer.status, body=await answer.read())

    async def listen_later() -> web.AppRunner:
        while notifier.attempts_made < 1:  # listen only once a first attempt has been refused
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        app = web.Application()
        app.router.add_post("/api/webhooks/interview-complete", forward)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    async def scenario() -> Any:
        late = asyncio.create_task(listen_later())
        async with text_interview(created.id, store, settings, agent_settings, notifier=notifier) as live:
            await live.say(LONG_ANSWER)
            await live.say(LONG_ANSWER)
            outcome = await live.controller.wait()
        await (await late).cleanup()
        return outcome

    outcome = run(scenario())
    assert notifier.attempts_made > 1
    assert seen == [200]
    assert outcome.webhook_accepted
    _assert_finished(store, created.id, EndReason.COMPLETED)


def test_the_time_limit_warns_then_wraps_up(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any
) -> None:
    created = create_interview()

    async def scenario() -> Any:
        async with text_interview(
            created.id, store, settings, agent_settings, time_limit_seconds=3.0, time_warning_seconds=1.5
        ) as live:
            return await live.controller.wait(), agent_messages(live.session)

    outcome, spoken = run(scenario())
    assert outcome.reason == EndReason.TIME_LIMIT
    assert any("close to the end of our time" in text for text in spoken)
    assert "reached the end of our time" in spoken[-1]
    _assert_finished(store, created.id, EndReason.TIME_LIMIT)
    assert len(store.turns(created.id)) == 3


def test_a_fatal_model_error_ends_the_interview_and_keeps_what_was_said(
    create_interview: Any, store: Any, settings: Any, agent_settings: Any, gemini_live_faults: Any
) -> None:
    """A close the plugin treats as fatal (1007) that no reconnect cures: since issue 17 the agent
    retries on a fresh session first (a one-off close is survived, test_agent_realistic.py), so the
    emulator refuses every new setup too; then the interview ends as error, keeping what was said."""
    created = create_interview()
    agent_settings.gemini_reconnect_attempts = 2
    agent_settings.gemini_reconnect_initial_backoff_seconds = 0.1

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            gemini_live_faults(live_close_after_turns=2, live_close_code=1007, live_refuse_setups=50)
            await live.say(LONG_ANSWER)
            return await live.controller.wait()

    outcome = run(scenario())
    assert outcome.reason == EndReason.ERROR
    assert outcome.webhook_accepted
    interview = _assert_finished(store, created.id, EndReason.ERROR)
    assert interview.end_detail is not None
    assert "1007" in interview.end_detail, interview.end_detail
    assert [t.role for t in store.turns(created.id)] == [TurnRole.AGENT, TurnRole.CANDIDATE, TurnRole.AGENT]


def test_only_invited_or_in_progress_interviews_may_run(create_interview: Any, store: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from agent_worker import lifecycle
    from interview_core.domain.models import InterviewStatus

    created = create_interview()
    started = datetime.now(UTC)
    first = lifecycle.begin(store, created.id, started)
    assert first.status == InterviewStatus.IN_PROGRESS
    assert first.started_at is not None
    assert abs((first.started_at - started).total_seconds()) < 0.01
    rejoined = lifecycle.begin(store, created.id, started + timedelta(minutes=5))  # a rejoin
    assert rejoined.started_at == first.started_at
    assert lifecycle.load_joinable(store, created.id).status == InterviewStatus.IN_PROGRESS

    store.transition(created.id, InterviewStatus.CANCELLED)
    with pytest.raises(lifecycle.NotJoinableError) as cancelled:
        lifecycle.begin(store, created.id, started)
    assert cancelled.value.status == "cancelled"
    with pytest.raises(lifecycle.NotJoinableError):
        lifecycle.load_joinable(store, created.id)
    with pytest.raises(lifecycle.NotJoinableError) as missing:
        lifecycle.load_joinable(store, "no-such-interview")
    assert missing.value.status == "missing"
    with pytest.raises(lifecycle.NotJoinableError) as never_created:
        lifecycle.begin(store, "no-such-interview", started)
    assert never_created.value.status == "missing"
