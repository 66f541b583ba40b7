"""Pure parts of the agent and of the emulator's Live side: no stack, no network beyond 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import math
import struct
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web

from agent_worker import instructions
from agent_worker.config import AgentSettings
from agent_worker.latency import LatencyTracker, SpeechActivity, percentile
from agent_worker.lifecycle import parse_job_metadata
from agent_worker.transcript import TurnWriter
from agent_worker.webhook import WebhookNotifier
from devstack.gemini_emulator.live_audio import SpeechDetector, first_voiced_offset, split_sentences
from devstack.gemini_emulator.live_interviewer import Interviewer, InterviewerState, parse_plan
from interview_core.domain import webhook_signature
from interview_core.domain.models import (
    Candidate,
    CompletionNotice,
    EndReason,
    Interview,
    InterviewStatus,
    Invite,
    PlannedQuestion,
    Skill,
    Turn,
    TurnRole,
)
from interview_core.settings import Settings

QUESTIONS = [
    PlannedQuestion(
        skill="SQL", question="Tell me about a query you optimised.", follow_ups=["What changed?"]
    ),
    PlannedQuestion(skill="Python", question="How do you test a data pipeline?\nPlease be concrete."),
    PlannedQuestion(skill="Airflow", question="How would you schedule a daily batch job?"),
]


def make_interview(**overrides: Any) -> Interview:
    now = datetime.now(UTC)
    fields: dict[str, Any] = {
        "id": "iv1",
        "owner_uid": "owner",
        "candidate": Candidate(name="Ada Lovelace", email="ada@example.com"),
        "role": "Data Engineer",
        "job_description": "x" * 40,
        "language": "en",
        "duration_minutes": 25,
        "skills": [
            Skill(name="SQL", weight=0.5, description="Query data."),
            Skill(name="Python", weight=0.5),
        ],
        "question_plan": QUESTIONS,
        "status": InterviewStatus.INVITED,
        "invite": Invite(secret_hash="h", expires_at=now + timedelta(days=1), max_uses=3),
        "room": "interview-iv1",
        "created_at": now,
        "updated_at": now,
    }
    fields.update(overrides)
    return Interview(**fields)


def agent_turn(seq: int, text: str) -> Turn:
    now = datetime.now(UTC)
    return Turn(seq=seq, role=TurnRole.AGENT, text=text, started_at=now, ended_at=now)


def candidate_turn(seq: int, text: str) -> Turn:
    now = datetime.now(UTC)
    return Turn(seq=seq, role=TurnRole.CANDIDATE, text=text, started_at=now, ended_at=now)


# -- instructions and the emulator that reads them ------------------------------------------------
def test_instructions_carry_the_interview_and_the_rules() -> None:
    text = instructions.build_instructions(make_interview(), interviewer_name="Sam")
    for expected in (
        "You are Sam",
        "Candidate: Ada Lovelace",
        "Role: Data Engineer",
        "Interview language: en (English)",
        "Time budget: 25 minutes",
        "1. [SQL] Tell me about a query you optimised.",
        "   Follow-up if vague: What changed?",
        "2. [Python] How do you test a data pipeline? Please be concrete.",
        "one question at a time",
        "Never reveal scores",
        "protected characteristic",
        "end_interview",
        "SYSTEM NOTE",
    ):
        assert expected in text
    assert "ALREADY ASKED" not in text
    assert "ada@example.com" not in text  # only what the interviewer needs


def test_the_emulator_reads_the_plan_the_agent_writes() -> None:
    text = instructions.build_instructions(make_interview(language="de"))
    plan = parse_plan(text)
    assert [q.text for q in plan.questions] == [
        "Tell me about a query you optimised.",
        "How do you test a data pipeline? Please be concrete.",
        "How would you schedule a daily batch job?",
    ]
    assert plan.questions[0].follow_up == "What changed?"
    assert plan.questions[0].skill == "SQL"
    assert (plan.candidate, plan.role, plan.minutes, plan.language) == (
        "Ada Lovelace",
        "Data Engineer",
        25,
        "de",
    )


def test_a_restarted_interview_continues_from_the_stored_plan_state_not_the_transcript() -> None:
    """The plan's state comes from plan_progress (the model's mark_question_asked calls): question 2
    was asked and the candidate answered it, so a restarted agent goes on with question 3, although
    the transcript (a paraphrasing model) contains no planned question word for word."""
    from interview_core.domain.models import PlanProgress

    progress = PlanProgress(asked=[1, 2], current=2, candidate_turns_at_current=1)
    interview = make_interview(plan_progress=progress)
    previous = [
        agent_turn(0, "Hello Ada. So, tell me about a query you optimised, if you can?"),
        candidate_turn(1, "An index on the orders table."),
        agent_turn(2, "Next, how do you test a data pipeline - take your time."),
        candidate_turn(3, "With fixtures and a staging run."),
    ]
    text = instructions.build_instructions(interview, previous_turns=previous)
    assert "ALREADY ASKED: 1, 2" in text
    assert "NEXT QUESTION: 3" in text
    note = instructions.greeting_note(interview, previous)
    assert "[greet]" in note
    assert "question 3" in note
    assert "introduce yourself again" in note
    brain = Interviewer(parse_plan(text), frozenset())
    reply = brain.greet()
    assert reply.text.startswith("Hello again Ada")
    assert "schedule a daily batch job" in reply.text

    unanswered = instructions.resume_point(interview, progress, answers=1)  # question 2 never answered
    assert (unanswered.done, unanswered.next_question) == ((1,), 2)
    fresh = instructions.resume_point(make_interview(), make_interview().plan_progress, answers=0)
    assert not fresh.resuming
    assert "[greet]" in instructions.greeting_note(make_interview(), previous)  # nothing marked: greet
    assert "again" not in instructions.greeting_note(make_interview(), previous)


def test_old_interview_documents_without_the_new_fields_still_parse() -> None:
    data = make_interview().model_dump()
    del data["plan_progress"], data["end_detail"]
    interview = Interview.model_validate(data)
    assert interview.plan_progress.asked == []
    assert interview.end_detail is None


def test_the_live_model_and_its_configuration() -> None:
    """gemini-3.8-live (stable) with: no thinking config (it refuses thinking_level), transcription
    hints in the interview's language with its skills as vocabulary, turn detection that waits out
    a thinking pause, non-blocking tools, and compression sized from its 131,072-token window."""
    from google.genai import types

    from agent_worker.model import live_options
    from interview_core.settings import Settings

    agent = AgentSettings()
    assert agent.gemini_live_model == "gemini-3.8-live"
    options = live_options(Settings(gemini_api_key="k"), agent, "instr", make_interview(language="de"))
    assert "thinking_config" not in options
    assert "temperature" not in options  # deprecated for the family (the catalogue says so)
    hint = options["input_audio_transcription"]
    assert hint.language_codes == ["de-DE"]
    assert hint.custom_vocabulary == ["SQL", "Python"]
    detection = options["realtime_input_config"].automatic_activity_detection
    assert detection.silence_duration_ms >= 1_000
    assert detection.end_of_speech_sensitivity == types.EndSensitivity.END_SENSITIVITY_LOW
    assert detection.prefix_padding_ms == 300
    assert options["tool_behavior"] == types.Behavior.NON_BLOCKING
    window = options["context_window_compression"]
    assert window.trigger_tokens == int(131_072 * 0.75)
    assert window.sliding_window.target_tokens == int(131_072 * 0.5)
    thinking = live_options(
        Settings(gemini_api_key="k"),
        AgentSettings(gemini_live_model="gemini-3.8-live-extended-thinking"),
        "instr",
    )
    assert thinking["thinking_config"].thinking_level == types.ThinkingLevel.LOW
    chosen = live_options(Settings(gemini_api_key="k"), AgentSettings(gemini_temperature=0.4), "i")
    assert chosen["temperature"] == 0.4
    unknown = live_options(Settings(gemini_api_key="k"), AgentSettings(gemini_live_model="other"), "i")
    assert unknown["context_window_compression"].trigger_tokens == int(32_768 * 0.75)


def test_a_goaway_is_held_until_the_turn_completes_and_its_handle_arrives() -> None:
    from agent_worker.live_resilience import parse_time_left, release_delay

    assert parse_time_left("30s") == 30.0
    assert parse_time_left("2.500s") == 2.5
    assert parse_time_left(None) is None
    assert release_delay(30.0) == 29.0
    assert release_delay(2.0) == 1.5
    assert release_delay(None) == 0.0


def test_why_resumption_failed_fits_the_completion_notice() -> None:
    """Every reconnect refused with the server's long close reason: the interview's end_detail
    (the controller's prefix and the distinct errors) still fits CompletionNotice's 300 characters,
    or the notice would fail and the interview would never be marked as ended."""
    from agent_worker.controller import MAX_END_DETAIL
    from agent_worker.live_resilience import Recovery

    reason = "APIError 1011: RESOURCE_EXHAUSTED: Maximum concurrent sessions exceeded for this project. " * 3
    recovery = Recovery(attempts=6, errors=[f"{reason} (attempt {n})" for n in range(7)])
    assert len(recovery.detail) <= 240
    assert recovery.detail.startswith("APIError 1011: RESOURCE_EXHAUSTED")
    detail = f"gemini_live_unavailable after {recovery.attempts} reconnects: {recovery.detail}"
    notice = CompletionNotice(
        interview_id="i1", end_reason=EndReason.ERROR, end_detail=detail[:MAX_END_DETAIL]
    )
    assert notice.end_detail is not None
    assert "RESOURCE_EXHAUSTED" in notice.end_detail
    assert Recovery(errors=["same", "same", "same"]).detail == "same"


def test_control_notes_are_recognised_by_the_emulator() -> None:
    from devstack.gemini_emulator.live_interviewer import CONTROL_RE

    notes = [
        instructions.greeting_note(make_interview()),
        instructions.REJOINED,
        instructions.RECONNECTED,
        instructions.time_warning_note(90),
        instructions.TIME_UP,
    ]
    assert [CONTROL_RE.search(n).group(1) for n in notes] == [  # type: ignore[union-attr]
        "greet",
        "rejoined",
        "reconnected",
        "time_warning",
        "time_up",
    ]
    assert "2 minute" in instructions.time_warning_note(90)


def test_the_emulated_interviewer_asks_in_order_follows_up_once_and_ends_with_the_tool() -> None:
    brain = Interviewer(
        parse_plan(instructions.build_instructions(make_interview())), frozenset({"end_interview"})
    )
    greeting = brain.greet()
    assert greeting.text.startswith("Hello Ada, I'm Alex")
    assert QUESTIONS[0].question in greeting.text
    follow_up = brain.answer(text="Not sure.")
    assert follow_up.kind == "follow_up"
    assert "What changed?" in follow_up.text
    second = brain.answer(text="I don't know.")  # one follow-up only, then the plan moves on
    assert "How do you test a data pipeline?" in second.text
    assert brain.answer(audio_seconds=1.2).kind == "follow_up"  # a short spoken answer
    assert "schedule a daily batch job" in brain.answer(audio_seconds=12.0).text
    last = brain.answer(text="I would use Airflow with a daily schedule, retries and alerts on failure.")
    assert last.kind == "wrap_up"
    assert last.tool_call == ("end_interview", {"reason": "completed"})
    assert brain.answer(text="Anything else?").kind == "finished"


def test_the_emulated_interviewer_without_the_tool_and_when_the_candidate_stops() -> None:
    plan = parse_plan(instructions.build_instructions(make_interview()))
    quiet = Interviewer(plan, frozenset())
    quiet.greet()
    stopped = quiet.answer(text="Sorry, I want to stop the interview now.")
    assert stopped.kind == "wrap_up"
    assert stopped.tool_call is None
    brain = Interviewer(plan, frozenset({"end_interview"}))
    brain.greet()
    assert brain.answer(text="I would like to end the interview please.").tool_call == (
        "end_interview",
        {"reason": "candidate_ended"},
    )


def test_a_resumed_state_continues_without_greeting_and_notes_are_answered() -> None:
    plan = parse_plan(instructions.build_instructions(make_interview()))
    first = Interviewer(plan, frozenset())
    first.greet()
    first.answer(text="A long and detailed answer about query plans and indexes.")
    resumed = Interviewer(plan, frozenset(), InterviewerState.restore(first.state.snapshot()))
    assert "Welcome back Ada" in resumed.control("rejoined").text
    assert "close to the end" in resumed.control("time_warning").text
    assert "reached the end of our time" in resumed.control("time_up").text
    assert resumed.state.finished


def test_a_system_text_without_a_plan_gets_a_generic_interview() -> None:
    brain = Interviewer(parse_plan("You are a helpful assistant."), frozenset())
    assert "Tell me about a recent project" in brain.greet().text


# -- audio helpers ----------------------------------------------------------------------------------
def tone(seconds: float, rate: int = 16_000, amplitude: int = 6000) -> bytes:
    count = int(seconds * rate)
    return b"".join(struct.pack("<h", int(amplitude * math.sin(i * 0.07))) for i in range(count))


def silence(seconds: float, rate: int = 16_000) -> bytes:
    return b"\0\0" * int(seconds * rate)


def test_speech_then_silence_ends_a_turn_in_any_chunking() -> None:
    audio = silence(0.3) + tone(1.5) + silence(0.2) + tone(0.5) + silence(0.7)
    for chunk in (320, 1600, 777):
        detector = SpeechDetector(silence_ms=600)
        events = [e for i in range(0, len(audio), chunk) for e in detector.feed(audio[i : i + chunk])]
        assert [e.kind for e in events] == ["start", "end"]
        assert events[1].speech_seconds == pytest.approx(2.2, abs=0.05)
        assert events[0].at_audio_seconds == pytest.approx(0.3, abs=0.02)


def test_a_finished_turn_carries_its_audio_with_a_little_before_and_after() -> None:
    audio = silence(0.3) + tone(1.5) + silence(0.2) + tone(0.5) + silence(0.7)
    for chunk in (320, 1600, 777):
        detector = SpeechDetector(silence_ms=600)
        events = [e for i in range(0, len(audio), chunk) for e in detector.feed(audio[i : i + chunk])]
        end = events[-1]
        # speech 0.3-2.5 s, kept from 0.1 s (200 ms before it) to 2.7 s (200 ms after it last sounded)
        assert end.pcm == audio[int(0.1 * 16_000) * 2 : int(2.7 * 16_000) * 2]


def test_a_long_turn_keeps_only_its_first_seconds_of_audio() -> None:
    audio = silence(0.3) + tone(2.0) + silence(0.7)
    detector = SpeechDetector(silence_ms=600, max_speech_seconds=1.0)
    events = [e for i in range(0, len(audio), 1600) for e in detector.feed(audio[i : i + 1600])]
    assert [e.kind for e in events] == ["start", "end"]
    assert events[1].speech_seconds == pytest.approx(2.0, abs=0.02)  # timing is not cut
    assert events[1].pcm == audio[int(0.1 * 16_000) * 2 : int(1.1 * 16_000) * 2]


def test_sentences_split_for_streaming_and_voice_onset() -> None:
    assert split_sentences("Hello Ada. How are you? Fine!") == ["Hello Ada.", "How are you?", "Fine!"]
    assert split_sentences("Version 2.5 is out") == ["Version 2.5 is out"]
    pcm = silence(0.05, 24_000) + tone(0.2, 24_000)
    assert first_voiced_offset(pcm) == pytest.approx(0.05, abs=0.011)
    assert first_voiced_offset(silence(0.1, 24_000)) is None


# -- the turn writer --------------------------------------------------------------------------------
class MemoryTurnStore:
    """Stands in for Firestore at the adapter boundary; fails the first `failures` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.docs: dict[int, Turn] = {}
        self.calls = 0

    def add_turns(self, interview_id: str, turns: Any) -> None:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            raise ConnectionError("unavailable")
        for turn in turns:
            self.docs[turn.seq] = turn


def test_turns_are_reordered_by_start_numbered_and_retried() -> None:
    async def scenario() -> MemoryTurnStore:
        store = MemoryTurnStore(failures=2)
        writer = TurnWriter(store, "iv1", first_seq=3, reorder_seconds=0.2, initial_backoff=0.01)
        writer.start()
        now = time.time()
        writer.add(TurnRole.AGENT, "Second question?", now + 2, now + 3)
        writer.add(TurnRole.CANDIDATE, "My answer.", now, now + 1.5)  # committed late, spoken first
        writer.add(TurnRole.AGENT, "   ", now + 4)  # nothing said: not a turn
        assert await writer.aclose(5)
        assert writer.failures == 2
        return store

    store = asyncio.run(scenario())
    assert [(t.seq, t.role, t.text) for t in store.docs.values()] == [
        (3, TurnRole.CANDIDATE, "My answer."),
        (4, TurnRole.AGENT, "Second question?"),
    ]


def test_a_writer_that_cannot_store_reports_it_instead_of_dropping_silently(caplog: Any) -> None:
    async def scenario() -> bool:
        writer = TurnWriter(MemoryTurnStore(failures=1000), "iv1", reorder_seconds=0, initial_backoff=0.01)
        writer.start()
        writer.add(TurnRole.AGENT, "Hello.", time.time())
        return await writer.aclose(0.3)

    assert asyncio.run(scenario()) is False
    assert "could not be stored" in caplog.text
    assert "Hello." not in caplog.text  # never the transcript


# -- latency ----------------------------------------------------------------------------------------
def test_latency_is_measured_from_the_end_of_candidate_speech_to_agent_audio() -> None:
    activity = SpeechActivity(threshold=100)
    tracker = LatencyTracker(activity)
    clock = 1000.0
    for _ in range(100):  # 1 s of speech in 10 ms frames
        clock += 0.01
        activity.observe(500, 10, clock)
    speech_end = clock
    for _ in range(40):  # then quiet
        clock += 0.01
        activity.observe(0, 10, clock)
    assert activity.last_end == pytest.approx(speech_end)
    assert tracker.agent_started_speaking(speech_end + 0.8) == pytest.approx(800, abs=1)
    assert tracker.agent_started_speaking(speech_end + 5) is None  # no new speech since
    assert tracker.summary()["latency_p50_ms"] == pytest.approx(800, abs=1)
    assert percentile([1, 2, 3, 4, 100], 95) == 100
    assert percentile([5.0], 50) == 5.0


# -- webhook ----------------------------------------------------------------------------------------
def test_the_webhook_is_signed_retried_on_5xx_and_not_on_4xx() -> None:
    settings = Settings(webhook_secret="test-secret")  # type: ignore[arg-type]
    agent = AgentSettings(webhook_initial_backoff_seconds=0.01, webhook_attempts=4)
    statuses = [503, 200]
    seen: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        ok = webhook_signature.verify(
            "test-secret",
            request.headers.get(webhook_signature.TIMESTAMP_HEADER),
            request.headers.get(webhook_signature.SIGNATURE_HEADER),
            body,
            time.time(),
            300,
        )
        seen.append({"verified": ok, "body": json.loads(body)})
        return web.Response(status=statuses.pop(0) if statuses else 401)

    async def scenario() -> tuple[bool, bool]:
        app = web.Application()
        app.router.add_post("/api/webhooks/interview-complete", hook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}/api/webhooks/interview-complete"
        notice = CompletionNotice(interview_id="iv1", end_reason=EndReason.COMPLETED, turn_count=3)
        try:
            first = await WebhookNotifier(settings, agent, url=url).send(notice)
            refused = await WebhookNotifier(settings, agent, url=url).send(notice)
        finally:
            await runner.cleanup()
        return first, refused

    first, refused = asyncio.run(scenario())
    assert first is True
    assert refused is False
    assert len(seen) == 3  # 503, then 200; then a single 401 that is not retried
    assert all(s["verified"] for s in seen)
    assert seen[0]["body"]["end_reason"] == "completed"


def test_job_metadata_must_carry_an_interview_id() -> None:
    assert parse_job_metadata('{"interview_id": "abc_DEF-1"}') == "abc_DEF-1"
    for bad in ("", "not json", "[]", '{"interview_id": "../x"}', '{"id": "abc"}'):
        with pytest.raises(ValueError):  # noqa: PT011
            parse_job_metadata(bad)


PRELOAD_PROBE = """
import json, sys
from livekit.agents.tokenize import basic

hyphenated = []
basic.hyphenate_word = hyphenated.append  # records what the warm-up hyphenates

from agent_worker import warmup

before = [m.__name__ for m in warmup.live_schemas() if not m.__pydantic_complete__]
import agent_worker.preload
after = [m.__name__ for m in warmup.live_schemas() if not m.__pydantic_complete__]

def fail(*_args):
    raise AssertionError("warm_up ran twice")

warmup.build_live_config = warmup.build_schemas = warmup.load_genai_transport = fail
warmup.warm_up()

from google import genai
from agent_worker.config import get_agent_settings
from agent_worker.model import http_options
from interview_core.settings import get_settings
loaded = set(sys.modules)
genai.Client(api_key="k", http_options=http_options(get_settings(), get_agent_settings()))
print(json.dumps({"before": before, "after": after, "hyphenated": hyphenated,
                  "imported_by_a_session_client": sorted(set(sys.modules) - loaded)}))
"""


def test_the_forkserver_preload_builds_what_a_first_interview_would_otherwise_stall_on() -> None:
    """In a fresh interpreter, as the worker's forkserver imports it: the Live session's schemas, the
    caption hyphenator and a genai client's transport modules exist afterwards, so forked job
    processes inherit them instead of building them; a second warm-up does nothing."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        **{k: v for k, v in os.environ.items() if k != "GEMINI_BASE_URL"},
        "PYTHONPATH": os.pathsep.join([str(root / "functions"), str(root)]),
        "AGENT_SYNC_TRANSCRIPTION": "true",
        "GEMINI_API_KEY": "test-key",  # Google's endpoint: no local CA needed, and warm-up connects nowhere
    }
    out = subprocess.run(
        [sys.executable, "-c", PRELOAD_PROBE], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "LiveServerMessage" in result["before"]  # there was work to do
    assert result["after"] == []
    assert result["hyphenated"] == ["interview"]
    assert result["imported_by_a_session_client"] == []


def test_live_sessions_share_one_tls_context_per_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """google-genai builds two TLS contexts per client unless given one; each Live session makes a
    client. Both of its transports must use the process's context, for Google and for the emulator."""
    from google import genai

    from agent_worker.model import http_options, tls_context
    from devstack.gemini_emulator.tls import ensure_certificates
    from interview_core.settings import Settings

    ca_file = ensure_certificates(tmp_path).ca
    monkeypatch.setenv("GEMINI_CA_FILE", str(ca_file))
    agent = AgentSettings()
    for settings in (Settings(gemini_api_key="test-key"), Settings(gemini_api_key=None)):
        options = http_options(settings, agent)
        expected = tls_context(None if settings.gemini_api_key else ca_file)
        for _ in range(2):  # a second session reuses it rather than loading the CAs again
            client = genai.Client(api_key="test-key", http_options=options)
            assert client._api_client._websocket_ssl_ctx["ssl"] is expected
            # the Live WebSocket goes uncompressed; the REST clients never see the option
            assert client._api_client._websocket_ssl_ctx["compression"] is None
            assert "compression" not in client._api_client._async_httpx_client_args
    assert tls_context(None) is not tls_context(ca_file)
