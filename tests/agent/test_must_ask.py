"""The recruiter's review reaches the interviewer: a question the recruiter reworded and a must-ask
question they added (through the api's review routes, on a draft) are what the agent asks, in text
mode, against the stack's local Gemini emulator (the real AgentSession and RealtimeModel)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from agent_worker import lifecycle
from interview_core.domain.models import EndReason
from tests.agent.conftest import LONG_ANSWER, agent_messages, asked, run, text_interview
from tests.conftest import Recruiter
from tests.integration.conftest import interview_body

pytestmark = pytest.mark.integration

EDITED = "Tell me about the SQL query you are proudest of, and what it changed for the team."
MUST_ASK = "How would you hand over a failing nightly pipeline to a colleague at short notice?"


def _reviewed_draft(api_url: str, recruiter: Recruiter) -> tuple[str, int]:
    """Create a draft, keep one generated question (reworded), add a must-ask one, send the invite."""
    created = requests.post(
        f"{api_url}/api/interviews", json=interview_body(draft=True), headers=recruiter.headers, timeout=30
    )
    assert created.status_code == 201, created.text
    draft = created.json()
    skill = draft["question_plan"][0]["skill"]
    edit = {
        "base_version": draft["plan_version"],
        "skills": draft["skills"],
        "question_plan": [
            {**draft["question_plan"][0], "question": EDITED, "follow_ups": []},
            {"skill": skill, "question": MUST_ASK, "must_ask": True},
        ],
    }
    edited = requests.put(
        f"{api_url}/api/interviews/{draft['id']}/plan", json=edit, headers=recruiter.headers, timeout=10
    )
    assert edited.status_code == 200, edited.text
    sent = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/send-invite", headers=recruiter.headers, timeout=10
    )
    assert sent.status_code == 200, sent.text
    return draft["id"], int(sent.json()["plan_version"])


def test_the_agent_asks_the_recruiters_must_ask_question(
    api_url: str, recruiter: Recruiter, store: Any, settings: Any, agent_settings: Any
) -> None:
    interview_id, version = _reviewed_draft(api_url, recruiter)
    assert version == 2

    async def scenario() -> Any:
        async with text_interview(interview_id, store, settings, agent_settings) as live:
            assert "Must ask: the hiring team added this question" in live.controller.instructions
            hello = live.greeting.expect.contains_message(role="assistant").event().item.text_content
            assert asked(EDITED, hello)
            second = await live.say(LONG_ANSWER)
            must_ask = second.expect.contains_message(role="assistant").event().item.text_content
            assert asked(MUST_ASK, must_ask)
            await live.say(LONG_ANSWER)
            return await live.controller.wait(), agent_messages(live.session)

    outcome, spoken = run(scenario())
    assert outcome.reason == EndReason.COMPLETED
    assert sum(asked(MUST_ASK, text) for text in spoken) == 1
    stored = store.get(interview_id)
    assert stored.plan_version == version
    assert stored.plan_progress.asked == [1, 2]


def test_the_agent_does_not_start_a_draft(api_url: str, recruiter: Recruiter, store: Any) -> None:
    created = requests.post(
        f"{api_url}/api/interviews", json=interview_body(draft=True), headers=recruiter.headers, timeout=30
    )
    assert created.status_code == 201, created.text
    from datetime import UTC, datetime

    with pytest.raises(lifecycle.NotJoinableError):
        lifecycle.begin(store, created.json()["id"], datetime.now(UTC))
    assert store.get(created.json()["id"]).status == "draft"
