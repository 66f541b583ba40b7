"""Traces without a collector: spans kept in memory by the SDK's own exporter.

OpenTelemetry's tracer provider is set once per process, so this module installs an SDK provider with
an in-memory exporter the first time it needs one; what no provider means is checked in a fresh
interpreter.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from typing import Any

import pytest
from google.genai import types
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from interview_core import tracing
from interview_core.adapters import gemini, livekit_tokens, tasks
from interview_core.domain.models import SkillPlan
from interview_core.observability import TRACE_FIELD, JsonFormatter
from interview_core.settings import Settings

EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> InMemorySpanExporter:
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        trace.set_tracer_provider(provider)
    EXPORTER.clear()
    return EXPORTER


def _finished(exporter: InMemorySpanExporter, name_start: str) -> ReadableSpan:
    (span,) = [s for s in exporter.get_finished_spans() if s.name.startswith(name_start)]
    return span


def test_without_an_exporter_no_provider_is_installed_and_nothing_records() -> None:
    script = (
        "from opentelemetry import trace\n"
        "from interview_core import tracing\n"
        "from interview_core.settings import Settings\n"
        "assert tracing.configure_tracing('api', Settings(traces_exporter='none')) is None\n"
        "with tracing.step('interview.create') as span:\n"
        "    assert not span.is_recording()\n"
        "    assert tracing.current_traceparent() is None\n"
        "    assert tracing.current_trace_id() is None\n"
        "print(type(trace.get_tracer_provider()).__name__)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "TRACES_EXPORTER": "none"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "ProxyTracerProvider"


def test_each_step_continues_the_trace_stored_on_the_interview(spans: InMemorySpanExporter) -> None:
    with tracing.step("interview.create"):
        stored = tracing.current_traceparent()
        trace_id = tracing.current_trace_id()
    assert stored is not None
    assert trace_id is not None
    assert tracing.trace_id_of(stored) == trace_id
    with tracing.step("interview.token", traceparent=stored):
        token = livekit_tokens.candidate_access_token(_settings(), "abc123", tracing.current_traceparent())
    with tracing.step("interview.complete", traceparent=stored):
        task = tasks.build_task(_settings(), tasks.EvaluationTask("abc123", 0))
    metadata = json.loads(token.claims.room_config.agents[0].metadata)  # type: ignore[union-attr]
    assert tracing.trace_id_of(metadata["traceparent"]) == trace_id
    assert tracing.trace_id_of(task.http_request.headers["traceparent"]) == trace_id
    with tracing.step("interview.evaluate", traceparent=task.http_request.headers["traceparent"]):
        pass
    finished = spans.get_finished_spans()
    assert {trace.format_trace_id(s.context.trace_id) for s in finished} == {trace_id}
    create = _finished(spans, "interview.create")
    assert _finished(spans, "interview.token").parent.span_id == create.context.span_id  # type: ignore[union-attr]


def test_a_garbled_traceparent_starts_a_new_trace_instead_of_failing(spans: InMemorySpanExporter) -> None:
    with tracing.step("interview.evaluate", traceparent="00-nonsense"):
        assert tracing.current_trace_id() is not None
    assert _finished(spans, "interview.evaluate").parent is None


def test_log_lines_carry_the_trace_field_cloud_logging_joins_on(spans: InMemorySpanExporter) -> None:
    record = logging.makeLogRecord({"msg": "evaluation enqueued", "levelname": "INFO"})
    assert TRACE_FIELD not in json.loads(JsonFormatter("demo").format(record))
    with tracing.step("interview.complete"):
        trace_id = tracing.current_trace_id()
        line = json.loads(JsonFormatter("demo").format(record))
    assert line[TRACE_FIELD] == f"projects/demo/traces/{trace_id}"
    assert len(line["logging.googleapis.com/spanId"]) == 16


class _Models:
    def __init__(self, response: types.GenerateContentResponse) -> None:
        self.response = response

    def generate_content(self, **_: Any) -> types.GenerateContentResponse:
        return self.response


class _Client:
    """google-genai's client at the network edge: one canned response."""

    def __init__(self, response: types.GenerateContentResponse) -> None:
        self.models = _Models(response)


def _plan_response() -> types.GenerateContentResponse:
    plan = {
        "skills": [{"name": "SQL", "weight": 1.0, "description": "queries"}],
        "question_plan": [{"skill": "SQL", "question": "Tell me about SQL.", "follow_ups": []}],
    }
    return types.GenerateContentResponse(
        candidates=[
            types.Candidate(
                content=types.Content(role="model", parts=[types.Part(text=json.dumps(plan))]),
                finish_reason=types.FinishReason.STOP,
            )
        ],
        usage_metadata=types.GenerateContentResponseUsageMetadata(
            prompt_token_count=321, candidates_token_count=45
        ),
        model_version="gemini-3.8-flash-001",
    )


def _generate(client: Any) -> None:
    gemini.generate_structured(
        system="system",
        user="Job description of Ada Lovelace's next role",
        schema=SkillPlan,
        client=client,
        model="gemini-3.8-flash",
        operation="skill_extraction",
        prompt_version="skills-v2",
    )


def test_model_calls_carry_the_genai_attributes_and_no_text_by_default(
    spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACES_INCLUDE_CONTENT", raising=False)
    _generate(_Client(_plan_response()))
    attributes = dict(_finished(spans, "skill_extraction").attributes or {})
    assert attributes["gen_ai.request.model"] == "gemini-3.8-flash"
    assert attributes["gen_ai.response.model"] == "gemini-3.8-flash-001"
    assert attributes["gen_ai.usage.input_tokens"] == 321
    assert attributes["gen_ai.usage.output_tokens"] == 45
    assert attributes["gen_ai.response.finish_reasons"] == ("STOP",)
    assert attributes[tracing.PROMPT_VERSION_ATTRIBUTE] == "skills-v2"
    assert float(attributes["interviewer.latency_ms"]) >= 0  # type: ignore[arg-type]
    assert not any("Ada" in str(value) for value in attributes.values())


def test_the_personal_data_opt_in_puts_the_prompt_and_answer_in_the_span(
    spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interview_core.settings import get_settings

    monkeypatch.setenv("TRACES_INCLUDE_CONTENT", "true")
    get_settings.cache_clear()
    try:
        _generate(_Client(_plan_response()))
    finally:
        monkeypatch.delenv("TRACES_INCLUDE_CONTENT")
        get_settings.cache_clear()
    attributes = dict(_finished(spans, "skill_extraction").attributes or {})
    assert "Ada Lovelace" in str(attributes["gen_ai.prompt"])
    assert "Tell me about SQL." in str(attributes["gen_ai.completion"])


def _settings(**overrides: Any) -> Settings:
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


def test_the_agent_decides_once_per_process_and_installs_nothing_without_an_exporter() -> None:
    from agent_worker import tracing_setup

    assert tracing_setup.install(_settings(traces_exporter="none")) is False
    assert tracing_setup.install(_settings(traces_exporter="none")) is False
    assert tracing_setup.job_traceparent('{"interview_id": "x", "traceparent": "00-ab"}') == "00-ab"
    assert tracing_setup.job_traceparent("not json") is None


def test_a_sampled_out_trace_records_nothing_and_its_agent_job_installs_no_provider(
    spans: InMemorySpanExporter,
) -> None:
    from agent_worker import tracing_setup

    trace_id, parent_span = "ab" * 16, "cd" * 8
    unsampled, sampled = f"00-{trace_id}-{parent_span}-00", f"00-{trace_id}-{parent_span}-01"
    assert tracing.sampled_out(unsampled)
    assert not tracing.sampled_out(sampled)
    assert not tracing.sampled_out(None)
    assert not tracing.sampled_out("00-garbled")
    with tracing.step("interview.token", traceparent=unsampled) as span:
        assert not span.is_recording()
        carried = tracing.current_traceparent()  # what the dispatch metadata carries to the agent
    assert carried is not None
    assert carried.endswith("-00")
    assert tracing.trace_id_of(carried) == trace_id
    assert not [s for s in spans.get_finished_spans() if s.name == "interview.token"]
    # The agent's job for it runs as with tracing off, even with an exporter configured.
    assert tracing_setup.install(_settings(traces_exporter="otlp"), carried) is False
