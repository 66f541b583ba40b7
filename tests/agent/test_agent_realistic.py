"""The interviewer on the emulator's strict profile (the stack's default, with every realistic Live
behaviour that costs no time: questions paraphrased, single-use expiring resumption handles,
answered tool responses, some goodbyes with the tool call before the audio, unknown models and
thinking settings refused) and per-test timers: goAway mid-reply, refused reconnects, a 30-minute
interview on a sped-up clock, an agent restart mid-interview.

What is scaled, and how: the emulator's `live_clock_scale` divides every emulated duration (the
goAway connection age, its timeLeft, handle lifetimes), and the controller gets the same interview
budget divided by the same factor (`time_limit_seconds`). Nothing waits in real time for a
real-world timer.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

from interview_core.domain.models import EndReason, TurnRole
from tests.agent.conftest import (
    AIRFLOW_QUESTION,
    LONG_ANSWER,
    PYTHON_QUESTION,
    SQL_QUESTION,
    agent_messages,
    asked,
    live_stats,
    run,
    text_interview,
)

pytestmark = pytest.mark.integration

GOODBYE = "goodbye"


def _agent_texts(store: Any, interview_id: str) -> list[str]:
    return [t.text for t in store.turns(interview_id) if t.role == TurnRole.AGENT]


@pytest.mark.parametrize("tool_first", [False, True], ids=["tool-after-goodbye", "tool-before-goodbye"])
def test_the_goodbye_is_said_once_and_never_cut(
    tool_first: bool,
    create_interview: Any,
    store: Any,
    settings: Any,
    agent_settings: Any,
    gemini_live_faults: Any,
) -> None:
    """end_interview runs non-blocking with SILENT scheduling, so the model does not answer its
    result with a second goodbye; a call that comes before the goodbye audio waits for it."""
    created = create_interview()
    gemini_live_faults(profile="strict", live_tool_first_every=1 if tool_first else None)

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            await live.say(LONG_ANSWER)
            await live.say(LONG_ANSWER)
            outcome = await live.controller.wait()
            await asyncio.sleep(1.0)  # anything said after the end would show up now
            return outcome, agent_messages(live.session)

    outcome, spoken = run(scenario())
    assert outcome.reason == EndReason.COMPLETED
    assert sum(text.casefold().count(GOODBYE) for text in spoken) == 1, spoken
    stored = _agent_texts(store, created.id)
    assert sum(text.casefold().count(GOODBYE) for text in stored) == 1, stored
    assert "that was my last question" in stored[-1]
    assert stored[-1].rstrip().endswith("Goodbye."), stored[-1]  # said to the end


def test_a_goaway_mid_reply_lets_the_question_finish_then_resumes(
    create_interview: Any,
    store: Any,
    settings: Any,
    agent_settings: Any,
    gemini_live_faults: Any,
    agent_env: Any,
) -> None:
    """goAway every 600 s of connection age at clock scale 150 (every 4 s), with timeLeft 300 s
    (2 s): it arrives after the first sentence of a reply, whose rest takes ~1 s more to generate."""
    created = create_interview(questions=(SQL_QUESTION, PYTHON_QUESTION, AIRFLOW_QUESTION))
    before = live_stats(agent_env)
    gemini_live_faults(live_clock_scale=150, live_goaway_every_s=600, live_goaway_time_left_s=300)

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            await asyncio.sleep(4.5)  # past the connection's goAway mark: the next reply carries it
            second = await live.say(LONG_ANSWER)
            message = second.expect.contains_message(role="assistant").event().item
            await asyncio.sleep(1.0)  # the reconnect, on the newest handle
            third = await live.say(LONG_ANSWER)
            third_text = third.expect.contains_message(role="assistant").event().item.text_content
            await live.say(LONG_ANSWER)
            return message, third_text, await live.controller.wait(), agent_messages(live.session)

    message, third_text, outcome, spoken = run(scenario())
    after = live_stats(agent_env)
    assert after.get("goaways", 0) - before.get("goaways", 0) >= 1
    assert after.get("resumed_sessions", 0) - before.get("resumed_sessions", 0) >= 1
    assert asked(PYTHON_QUESTION, message.text_content or ""), message.text_content  # not cut
    assert not message.interrupted
    assert asked(AIRFLOW_QUESTION, third_text)
    assert outcome.reason == EndReason.COMPLETED
    for question in (SQL_QUESTION, PYTHON_QUESTION, AIRFLOW_QUESTION):
        assert sum(asked(question, text) for text in spoken) == 1, spoken


@pytest.mark.parametrize("refusal", ["quota", "expired-handle"])
def test_a_refused_reconnect_is_retried_with_backoff(
    refusal: str,
    create_interview: Any,
    store: Any,
    settings: Any,
    agent_settings: Any,
    gemini_live_faults: Any,
    agent_env: Any,
) -> None:
    """The goAway after the next turn makes the agent reconnect; the emulator refuses the first
    reconnects (RESOURCE_EXHAUSTED twice), or refuses the handle for good (expired), and the
    interview still completes: retried with the handle, then without it on a fresh session that is
    told the plan's state."""
    created = create_interview(questions=(SQL_QUESTION, PYTHON_QUESTION, AIRFLOW_QUESTION))
    before = live_stats(agent_env)

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            if refusal == "quota":
                gemini_live_faults(live_goaway_after_turns=1, live_refuse_setups=2, live_refuse_kind="quota")
            else:
                gemini_live_faults(live_goaway_after_turns=1, live_handle_ttl_s=0.001)
            await live.say(LONG_ANSWER)  # the second question; goAway follows it
            await asyncio.sleep(6.0)  # the refused reconnects and their backoff
            third = await live.say(LONG_ANSWER)
            third_text = " ".join(
                e.item.text_content or ""
                for e in third.events
                if e.type == "message" and e.item.role == "assistant"
            )
            await live.say(LONG_ANSWER)
            return third_text, await live.controller.wait(), agent_messages(live.session)

    third_text, outcome, spoken = run(scenario())
    after = live_stats(agent_env)
    assert after.get("refused_setups", 0) - before.get("refused_setups", 0) >= (
        2 if refusal == "quota" else 1
    )
    assert outcome.reason == EndReason.COMPLETED, outcome
    assert asked(AIRFLOW_QUESTION, third_text), spoken
    for question in (SQL_QUESTION, AIRFLOW_QUESTION):
        assert sum(asked(question, text) for text in spoken) == 1, spoken


def test_when_resumption_is_impossible_the_interview_ends_as_error_with_the_reason(
    create_interview: Any,
    store: Any,
    settings: Any,
    agent_settings: Any,
    gemini_live_faults: Any,
) -> None:
    created = create_interview()

    async def scenario() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            gemini_live_faults(live_goaway_after_turns=1, live_refuse_setups=50, live_refuse_kind="quota")
            await live.say(LONG_ANSWER)
            return await asyncio.wait_for(live.controller.wait(), 60)

    outcome = run(scenario())
    assert outcome.reason == EndReason.ERROR
    interview = store.get(created.id)
    assert interview.end_reason == EndReason.ERROR
    assert interview.end_detail is not None
    assert "RESOURCE_EXHAUSTED" in interview.end_detail, interview.end_detail


def test_an_agent_restart_resumes_at_the_next_unasked_question(
    create_interview: Any,
    store: Any,
    settings: Any,
    agent_settings: Any,
    gemini_live_faults: Any,
) -> None:
    """The first agent dies (no goodbye, no webhook) after the candidate answered question 2 and
    before it asked question 3; a new agent takes the interview and asks question 3, with resume
    wording, although the model paraphrased every question (nothing matches the transcript)."""
    fourth = "Which monitoring alerts have woken you up, and what did you change afterwards?"
    created = create_interview(questions=(SQL_QUESTION, PYTHON_QUESTION, AIRFLOW_QUESTION, fourth))

    async def first_agent() -> None:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            await live.say(LONG_ANSWER)  # question 2 is asked
            gemini_live_faults(live_delay_ms=3_000)  # the model is slow to ask question 3...
            pending = asyncio.ensure_future(live.say(LONG_ANSWER))
            await asyncio.sleep(1.0)  # ...and the agent's process dies meanwhile
            await live.crash()
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
            gemini_live_faults(live_delay_ms=0)

    async def second_agent() -> Any:
        async with text_interview(created.id, store, settings, agent_settings) as live:
            greeting = await live.next_agent_message(after=0)
            await live.say(LONG_ANSWER)
            await live.say(LONG_ANSWER)
            return greeting, await live.controller.wait(), agent_messages(live.session)

    run(first_agent())
    greeting, outcome, spoken = run(second_agent())
    assert asked(AIRFLOW_QUESTION, greeting), greeting
    assert "I'm Alex" not in greeting  # resume wording, no second introduction
    assert not any(asked(q, text) for q in (SQL_QUESTION, PYTHON_QUESTION) for text in spoken), spoken
    assert asked(fourth, spoken[1])
    assert outcome.reason == EndReason.COMPLETED
    progress = store.get(created.id).plan_progress
    assert progress.asked == [1, 2, 3, 4]


def test_a_thirty_minute_interview_crosses_goaways_without_losing_or_repeating_a_turn(
    create_interview: Any,
    store: Any,
    settings: Any,
    agent_settings: Any,
    gemini_live_faults: Any,
    agent_env: Any,
) -> None:
    """30 minutes at clock scale 20 (90 s): goAway at every 600 s of connection age (30 s), timeLeft
    60 s (3 s); ten planned questions, an answer every 6.5 s (a bit over two emulated minutes)."""
    scale = 20
    questions = tuple(
        f"Question {n}: tell me about the {topic} work you are proudest of."
        for n, topic in enumerate(
            (
                "SQL",
                "Python",
                "Airflow",
                "testing",
                "modelling",
                "streaming",
                "cost",
                "security",
                "team",
                "hiring",
            ),
            start=1,
        )
    )
    created = create_interview(questions=questions, duration_minutes=30)
    before = live_stats(agent_env)
    gemini_live_faults(live_clock_scale=scale, live_goaway_every_s=600, live_goaway_time_left_s=60)
    answers = 0

    async def scenario() -> Any:
        nonlocal answers
        async with text_interview(
            created.id,
            store,
            settings,
            agent_settings,
            time_limit_seconds=30 * 60 / scale,
            time_warning_seconds=120 / scale,
        ) as live:
            while live.controller.end_reason is None and answers < 12:
                await asyncio.sleep(6.5)
                if live.controller.end_reason is not None:
                    break
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(live.say(f"{LONG_ANSWER} (answer {answers + 1})"), 20)
                answers += 1
            return await live.controller.wait(), agent_messages(live.session)

    outcome, spoken = asyncio.run(asyncio.wait_for(scenario(), 240))
    after = live_stats(agent_env)
    assert after.get("goaways", 0) - before.get("goaways", 0) >= 2
    assert outcome.reason == EndReason.COMPLETED
    for question in questions:  # every question asked, none twice, none lost to a goAway
        assert sum(asked(question, text) for text in spoken) == 1, (question, spoken)
    turns = store.turns(created.id)
    assert [t.seq for t in turns] == list(range(len(turns)))
    candidate = [t.text for t in turns if t.role == TurnRole.CANDIDATE]
    assert [c.rsplit("(answer ", 1)[-1].rstrip(")") for c in candidate] == [
        str(n) for n in range(1, answers + 1)
    ]
