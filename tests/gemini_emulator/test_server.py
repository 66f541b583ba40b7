"""The HTTP application in-process: request parsing, task dispatch, errors, fault injection, stats."""

from __future__ import annotations

import asyncio
import json
import sys
import time
import types
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import aiohttp
import pytest

from devstack.gemini_emulator import registry
from devstack.gemini_emulator.faults import FaultPlan
from devstack.gemini_emulator.gemini_api import MODEL_VERSION
from devstack.gemini_emulator.server import create_app
from interview_core.domain.gemini_models import DEFAULT_TEXT_MODEL
from interview_core.domain.models import SkillPlan
from tests.gemini_emulator.support import extraction_request, serving

GENERATE = f"/v1beta/models/{DEFAULT_TEXT_MODEL}:generateContent"


async def _exchange(calls: list[tuple[str, str, Any]], delay_ms: int = 0) -> list[tuple[int, Any, float]]:
    """Run (method, path, json) calls against a fresh app; returns (status, body, seconds) per call."""
    results: list[tuple[int, Any, float]] = []
    async with serving(create_app(delay_ms=delay_ms)) as running, aiohttp.ClientSession() as session:
        base = f"http://127.0.0.1:{running.http_port}"
        for method, path, body in calls:
            began = time.monotonic()
            kwargs: dict[str, Any] = {"data": body} if isinstance(body, str) else {"json": body}
            async with session.request(method, base + path, **kwargs) as response:
                results.append((response.status, await response.json(), time.monotonic() - began))
    return results


def run(calls: list[tuple[str, str, Any]], delay_ms: int = 0) -> list[tuple[int, Any, float]]:
    return asyncio.run(_exchange(calls, delay_ms))


def test_generate_content_answers_in_gemini_shape() -> None:
    [(status, body, _)] = run([("POST", GENERATE, extraction_request())])
    assert status == 200
    candidate = body["candidates"][0]
    assert candidate["finishReason"] == "STOP"
    assert candidate["content"]["role"] == "model"
    plan = SkillPlan.model_validate_json(candidate["content"]["parts"][0]["text"])
    assert "SQL" in [s.name for s in plan.skills]
    assert body["modelVersion"] == MODEL_VERSION == "local-emulator"
    usage = body["usageMetadata"]
    assert usage["totalTokenCount"] == usage["promptTokenCount"] + usage["candidatesTokenCount"]


def test_identical_requests_get_identical_answers_on_v1_and_models_with_dots() -> None:
    path = "/v1/models/gemini-3.8-flash:generateContent"
    (_, first, _), (_, second, _) = run(
        [("POST", path, extraction_request()), ("POST", GENERATE, extraction_request())]
    )
    assert first == second


def test_gemini_style_response_schema_is_recognised_too() -> None:
    """responseSchema (Gemini's OpenAPI subset, uppercase types) instead of responseJsonSchema."""
    request = extraction_request()
    config = request["generationConfig"]
    del config["responseJsonSchema"]
    config["responseSchema"] = {
        "type": "OBJECT",
        "properties": {"skills": {"type": "ARRAY"}, "question_plan": {"type": "ARRAY"}},
    }
    [(status, body, _)] = run([("POST", GENERATE, request)])
    assert status == 200
    assert json.loads(body["candidates"][0]["content"]["parts"][0]["text"])["skills"]


def test_unknown_schema_is_a_gemini_400() -> None:
    request = extraction_request(schema={"type": "object", "properties": {"haiku": {"type": "string"}}})
    no_schema = extraction_request()
    del no_schema["generationConfig"]
    results = run(
        [("POST", GENERATE, request), ("POST", GENERATE, no_schema), ("GET", "/emulator/stats", None)]
    )
    for status, body, _ in results[:2]:
        assert status == 400
        assert body["error"]["code"] == 400
        assert body["error"]["status"] == "INVALID_ARGUMENT"
        assert "skills" in body["error"]["message"]
    assert results[2][1]["rejected"] == 2
    assert results[2][1]["total_calls"] == 0


@pytest.mark.parametrize(
    "body",
    ["not json", "[]", json.dumps({"contents": []}), json.dumps({"contents": [], "generationConfig": 3})],
)
def test_malformed_requests_are_400(body: str) -> None:
    [(status, answer, _)] = run([("POST", GENERATE, body)])
    assert status == 400
    assert answer["error"]["status"] == "INVALID_ARGUMENT"


def test_unknown_paths_and_methods_answer_in_gemini_shape() -> None:
    results = run(
        [
            ("POST", f"/v1beta/models/{DEFAULT_TEXT_MODEL}:streamGenerateContent", extraction_request()),
            ("GET", "/nowhere", None),
            ("GET", GENERATE, None),
        ]
    )
    assert [r[0] for r in results] == [404, 404, 405]
    assert all(r[1]["error"]["code"] == r[0] for r in results)


def test_health() -> None:
    [(status, body, _)] = run([("GET", "/health", None)])
    assert status == 200
    assert body == {"status": "ok", "model": "local-emulator", "tls": False}


@pytest.fixture
def fake_task() -> Iterator[str]:
    """A task whose handler lives in a module made up for the test, removed afterwards."""
    module = types.ModuleType("fake_emulator_task")
    module.answer = lambda request: {"verdict": "ok", "echo": request["contents"][0]["parts"][0]["text"]}  # type: ignore[attr-defined]
    sys.modules["fake_emulator_task"] = module
    registry.register("fake", {"verdict", "echo"}, "fake_emulator_task", "answer")
    registry.register("missing", {"nothing_here"}, "devstack.gemini_emulator.not_written_yet", "run")
    yield "fake"
    registry._TASKS.pop("fake")
    registry._TASKS.pop("missing")
    del sys.modules["fake_emulator_task"]


def test_registered_handlers_are_plugged_in_and_missing_ones_are_501(fake_task: str) -> None:
    plugged = extraction_request(schema={"type": "object", "properties": {"verdict": {}, "echo": {}}})
    missing = extraction_request(schema={"properties": {"nothing_here": {}}})
    (status, body, _), (missing_status, missing_body, _) = run(
        [("POST", GENERATE, plugged), ("POST", GENERATE, missing)]
    )
    assert status == 200
    assert json.loads(body["candidates"][0]["content"]["parts"][0]["text"])["verdict"] == "ok"
    assert missing_status == 501
    assert missing_body["error"]["status"] == "UNIMPLEMENTED"


def test_evaluation_schemas_go_to_the_evaluator_task() -> None:
    task = registry.match(frozenset({"overall_score", "recommendation", "summary", "skills"}))
    assert task is not None
    assert task.name == "evaluation"
    assert task.module == "devstack.gemini_emulator.evaluator"
    assert registry.match(frozenset({"skills", "question_plan"})).name == "skill_extraction"  # type: ignore[union-attr]


def test_fail_next_then_recover_and_stats_count_per_task() -> None:
    calls: list[tuple[str, str, Any]] = [
        ("POST", "/emulator/faults", {"fail_next": 2, "status": 429}),
        ("POST", GENERATE, extraction_request()),
        ("POST", GENERATE, extraction_request()),
        ("POST", GENERATE, extraction_request()),
        ("GET", "/emulator/stats", None),
    ]
    results = run(calls)
    assert results[0][1]["fail_next"] == 2
    assert [r[0] for r in results[1:4]] == [429, 429, 200]
    assert results[1][1]["error"]["status"] == "RESOURCE_EXHAUSTED"
    stats = results[4][1]
    assert stats["calls"] == {"skill_extraction": 3}
    assert stats["tasks"]["skill_extraction"]["injected_failures"] == 2
    assert stats["tasks"]["skill_extraction"]["ok"] == 1


def test_malformed_next_returns_truncated_json_once() -> None:
    calls: list[tuple[str, str, Any]] = [
        ("POST", "/emulator/faults", {"malformed_next": 1}),
        ("POST", GENERATE, extraction_request()),
        ("POST", GENERATE, extraction_request()),
    ]
    _, (status, broken, _), (_, fine, _) = run(calls)
    assert status == 200
    text = broken["candidates"][0]["content"]["parts"][0]["text"]
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert broken["candidates"][0]["finishReason"] == "MAX_TOKENS"
    SkillPlan.model_validate_json(fine["candidates"][0]["content"]["parts"][0]["text"])


def test_faults_can_target_one_task_and_be_reset() -> None:
    calls: list[tuple[str, str, Any]] = [
        ("POST", "/emulator/faults", {"fail_next": 1, "status": 500, "task": "evaluation"}),
        ("POST", GENERATE, extraction_request()),
        ("DELETE", "/emulator/faults", None),
    ]
    _, (status, _, _), (_, plan, _) = run(calls)
    assert status == 200
    assert plan == asdict(FaultPlan())  # the start-up plan: the strict profile, no faults


@pytest.mark.parametrize(
    "plan", [{"status": 200}, {"fail_next": -1}, {"fail_nxt": 1}, {"delay_ms": "5"}, {"fail_next": True}, []]
)
def test_invalid_fault_plans_are_refused(plan: Any) -> None:
    [(status, body, _)] = run([("POST", "/emulator/faults", plan)])
    assert status == 400
    assert body["error"]["code"] == 400


def test_delay_applies_to_every_call_and_reset_restores_the_cli_default() -> None:
    calls: list[tuple[str, str, Any]] = [
        ("POST", GENERATE, extraction_request()),
        ("POST", "/emulator/faults", {"delay_ms": 0}),
        ("POST", GENERATE, extraction_request()),
        ("DELETE", "/emulator/faults", None),
    ]
    results = run(calls, delay_ms=300)
    assert results[0][2] >= 0.3
    assert results[2][2] < 0.3
    assert results[3][1]["delay_ms"] == 300
