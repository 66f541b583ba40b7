"""Issue 22's acceptance: one interview is one trace, read back from the stack's trace viewer.

A recruiter creates the interview through the api (the trace starts there, with the skill extraction's
model call), a synthetic candidate is interviewed by the stack's agent worker in a real LiveKit room
(dispatched with the trace's context in its metadata), the completion webhook queues the evaluation
on the Cloud Tasks emulator (the context in the task's headers) and `evaluate` writes the report. Then
the spans of the trace id the interview document records are read from the viewer's REST API.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import requests

from bench.candidate import SyntheticCandidate, request_token, synthesize
from interview_core.domain.evaluation_prompt import EVALUATION_PROMPT_VERSION
from interview_core.domain.models import InterviewStatus, PlannedQuestion
from interview_core.domain.prompts import SKILL_EXTRACTION_PROMPT_VERSION
from tests.agent.conftest import run
from tests.conftest import Recruiter
from tests.integration.conftest import interview_body

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUESTIONS = ("What do you like about SQL?", "Which Python library do you use most?")
# Long enough (with the second answer) for the transcript to go to the evaluation model.
ANSWER = (
    "I have used it every day for five years, mostly to build reporting pipelines for the sales team, "
    "and I review every change with the analysts before it goes live."
)
PROJECT = "interviewer"
SCREENSHOT = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "interview-trace.png"


def flat(attributes: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Phoenix answers attributes nested by their dotted names; flatten them back."""
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flat(value, f"{name}."))
        else:
            out[name] = value
    return out


def spans_of(viewer: str, trace_id: str) -> list[dict[str, Any]]:
    response = requests.get(
        f"{viewer}/v1/projects/{PROJECT}/spans", params={"trace_id": trace_id, "limit": 1000}, timeout=10
    )
    if response.status_code == 404:  # the project appears with its first span
        return []
    response.raise_for_status()
    return [{**span, "attributes": flat(span["attributes"])} for span in response.json()["data"]]


def wait_for_spans(viewer: str, trace_id: str, names: set[str], timeout: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    spans: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        spans = spans_of(viewer, trace_id)
        if names <= {span["name"] for span in spans}:
            return spans
        time.sleep(1)
    raise AssertionError(f"trace {trace_id} has only {sorted({s['name'] for s in spans})}")


def wait_for_status(store: Any, interview_id: str, status: InterviewStatus, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        interview = store.get(interview_id)
        if interview.status == status:
            return interview
        time.sleep(0.5)
    raise AssertionError(f"interview {interview_id} is {store.get(interview_id).status}, not {status}")


@pytest.mark.timeout(900)  # an interview, its evaluation and two page loads in a browser
def test_one_interview_is_one_trace_across_api_agent_and_evaluate(
    agent_env: dict[str, str], recruiter: Recruiter, store: Any
) -> None:
    viewer = agent_env["TRACE_VIEWER_URL"]
    created = requests.post(
        f"{agent_env['API_URL']}/api/interviews",
        json=interview_body(duration_minutes=10),
        headers=recruiter.headers,
        timeout=60,
    )
    assert created.status_code == 201, created.text
    interview_id = created.json()["id"]
    secret = urlparse(created.json()["invite_url"]).fragment
    # Set-up shortcut: two short questions instead of the local model's full plan.
    plan = [PlannedQuestion(skill="SQL", question=q, follow_ups=[]).model_dump() for q in QUESTIONS]
    store.interview_ref(interview_id).update({"question_plan": plan})
    trace_id = store.get(interview_id).trace_id
    assert trace_id is not None
    assert len(trace_id) == 32
    answer = synthesize(ANSWER)
    first_audio: list[float] = []

    async def interview() -> None:
        url, token = await asyncio.to_thread(request_token, agent_env["API_URL"], interview_id, secret)
        candidate = SyntheticCandidate(url, token)
        await candidate.join()
        try:
            greeted = await candidate.wait_for_agent(timeout=30)
            assert candidate.joined_at is not None
            first_audio.append(round((greeted - candidate.joined_at) * 1000, 1))
            # what the candidate page reports (hosting/src/candidate/useLatencyProbes.ts)
            await asyncio.to_thread(
                report_first_audio, agent_env["API_URL"], interview_id, secret, first_audio[0]
            )
            for _ in QUESTIONS:
                ended = await candidate.say(answer)
                await candidate.wait_for_reply(after=ended)
            await asyncio.wait_for(candidate.disconnected.wait(), 60)  # the agent deletes the room
        finally:
            await candidate.leave()

    run(interview())
    wait_for_status(store, interview_id, InterviewStatus.EVALUATED)

    steps = {"interview.create", "interview.token", "interview.live", "interview.complete"}
    steps.add("interview.evaluate")
    spans = wait_for_spans(viewer, trace_id, steps)
    by_name = {span["name"]: span for span in spans}
    assert {span["context"]["trace_id"] for span in spans} == {trace_id}
    service = {name: by_name[name]["attributes"]["interviewer.service"] for name in steps}
    assert service == {
        "interview.create": "api",
        "interview.token": "api",
        "interview.live": "agent",
        "interview.complete": "api",
        "interview.evaluate": "evaluate",
    }
    # scores on the trace: the agent's and the candidate page's latency figures on the completion,
    # the report's on the evaluation
    complete = by_name["interview.complete"]["attributes"]
    assert complete["interviewer.score.latency_p50_ms"] > 0
    assert complete["interviewer.score.client_first_audio_mean_ms"] == first_audio[0]
    assert complete["interviewer.score.client_first_audio_count"] == 1
    report = store.report(interview_id)
    assert report is not None
    evaluate = by_name["interview.evaluate"]["attributes"]
    assert evaluate["interviewer.score.overall_score"] == report["overall_score"]
    # the agent's session (livekit-agents' own spans) sits inside the interview's live span
    agent_spans = [s for s in spans if s["attributes"].get("interviewer.service") == "agent"]
    assert len(agent_spans) > 1, [s["name"] for s in agent_spans]

    generations = {
        s["attributes"][PROMPT_VERSION]: s["attributes"]
        for s in spans
        if s["attributes"].get(PROMPT_VERSION) is not None
    }
    assert set(generations) == {SKILL_EXTRACTION_PROMPT_VERSION, EVALUATION_PROMPT_VERSION}
    for attributes in generations.values():
        assert attributes["gen_ai.request.model"]
        assert attributes["gen_ai.usage.input_tokens"] > 0
        assert attributes["gen_ai.usage.output_tokens"] > 0
        assert attributes["gen_ai.response.finish_reasons"]
    # no candidate text without the personal-data opt-in
    assert not any(ANSWER[:30] in str(s["attributes"]) for s in spans)
    show_in_viewer(viewer, trace_id)


def report_first_audio(api_url: str, interview_id: str, secret: str, ms: float) -> None:
    sample = {"kind": "first_audio", "ms": ms}
    body = {"interview_id": interview_id, "invite": secret, "samples": [sample]}
    answer = requests.post(f"{api_url}/api/metrics/latency", json=body, timeout=10)
    assert answer.status_code == 202, answer.text


def show_in_viewer(viewer: str, trace_id: str) -> None:
    """The trace as a developer sees it in the viewer's UI (headless Chromium), and its screenshot."""
    projects = requests.get(f"{viewer}/v1/projects", timeout=10).json()["data"]
    (project_id,) = [p["id"] for p in projects if p["name"] == PROJECT]
    page = f"{viewer}/projects/{project_id}/traces/{trace_id}"
    chromium = shutil.which("chromium")
    assert chromium is not None
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    common = ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1600,1000"]
    budget = "--virtual-time-budget=15000"
    dom = subprocess.run(
        [chromium, *common, budget, "--dump-dom", page], capture_output=True, text=True, timeout=240
    ).stdout
    assert trace_id in dom
    assert "interview.create" in dom
    subprocess.run(
        [chromium, *common, budget, f"--screenshot={SCREENSHOT}", page], capture_output=True, timeout=240
    )
    assert SCREENSHOT.stat().st_size > 10_000


PROMPT_VERSION = "interviewer.prompt.version"


@pytest.fixture(scope="module", autouse=True)
def _speech_available() -> None:
    synthesize("ready")  # espeak-ng and sox: fail here, not in the middle of the interview
