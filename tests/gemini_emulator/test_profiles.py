"""The emulator's worst-day behaviour: profiles, the real API's refusals, 429s, safety blocks, verbosity."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest

from devstack.gemini_emulator.checks import MAX_SCHEMA_STATES, schema_states
from devstack.gemini_emulator.faults import LENGTHEN
from devstack.gemini_emulator.profiles import PROFILES
from devstack.gemini_emulator.server import create_app
from interview_core.domain.gemini_models import DEFAULT_TEXT_MODEL, SERVED_TEXT_MODELS
from interview_core.domain.models import SkillPlan
from interview_core.domain.report import MAX_SUMMARY_CHARS, EvaluationOutput
from interview_core.domain.structured_output import wire_schema
from tests.gemini_emulator.support import extraction_request, serving

GENERATE = f"/v1beta/models/{DEFAULT_TEXT_MODEL}:generateContent"


def run(calls: list[tuple[str, str, Any]], **app: Any) -> list[tuple[int, Any, float]]:
    """(method, path, json) calls against a fresh app; (status, body, seconds) per call."""

    async def exchange() -> list[tuple[int, Any, float]]:
        results: list[tuple[int, Any, float]] = []
        async with serving(create_app(**app)) as running, aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{running.http_port}"
            for method, path, body in calls:
                began = time.monotonic()
                async with session.request(method, base + path, json=body) as response:
                    results.append((response.status, await response.json(), time.monotonic() - began))
        return results

    return asyncio.run(exchange())


def text_of(body: dict[str, Any]) -> str:
    return str(body["candidates"][0]["content"]["parts"][0]["text"])


# -- the real API's refusals (strict: on by default) ----------------------------------------------
def test_the_default_profile_is_strict_and_refuses_unknown_and_retired_models_like_google() -> None:
    results = run(
        [
            ("GET", "/emulator/faults", None),
            ("POST", "/v1beta/models/gemini-2.5-flash:generateContent", extraction_request()),
            ("POST", "/v1beta/models/no-such-model:generateContent", extraction_request()),
            ("POST", GENERATE, extraction_request()),
            ("GET", "/emulator/stats", None),
        ]
    )
    assert results[0][1]["profile"] == "strict"
    for status, body, _ in results[1:3]:
        assert status == 404
        assert body["error"]["status"] == "NOT_FOUND"
        assert "is not found for API version v1beta" in body["error"]["message"]
    assert results[3][0] == 200
    assert results[4][1]["refused"] == {"model": 2}
    assert results[4][1]["total_calls"] == 1


def test_every_served_model_is_answered() -> None:
    calls = [
        ("POST", f"/v1beta/models/{m}:generateContent", extraction_request()) for m in SERVED_TEXT_MODELS
    ]
    assert {status for status, _, _ in run(calls)} == {200}


def test_a_schema_with_the_products_string_bounds_is_too_many_states_and_the_wire_schema_is_not() -> None:
    """What google-genai sent for the pydantic classes before (string bounds in the thousands inside
    bounded arrays) is refused; the wire schema the adapter sends now is accepted."""
    assert schema_states(SkillPlan.model_json_schema()) > MAX_SCHEMA_STATES
    assert schema_states(EvaluationOutput.model_json_schema()) > MAX_SCHEMA_STATES
    assert schema_states(wire_schema(EvaluationOutput)) < MAX_SCHEMA_STATES / 10
    bounded = extraction_request(schema=SkillPlan.model_json_schema())
    (status, body, _), (ok, _, _) = run(
        [("POST", GENERATE, bounded), ("POST", GENERATE, extraction_request())]
    )
    assert status == 400
    assert body["error"]["status"] == "INVALID_ARGUMENT"
    assert "too many states for serving" in body["error"]["message"]
    assert ok == 200


@pytest.mark.parametrize(
    ("thinking", "message"),
    [
        ({"thinkingLevel": "MINIMAL"}, "Thinking level MINIMAL is not supported"),
        ({"thinkingLevel": "LOW", "thinkingBudget": 0}, "only set one of thinking budget and thinking level"),
    ],
)
def test_thinking_settings_the_model_rejects_are_400(thinking: dict[str, Any], message: str) -> None:
    request = extraction_request()
    request["generationConfig"]["thinkingConfig"] = thinking
    good = extraction_request()
    good["generationConfig"]["thinkingConfig"] = {"thinkingLevel": "LOW"}
    (status, body, _), (ok, _, _) = run([("POST", GENERATE, request), ("POST", GENERATE, good)])
    assert status == 400
    assert message in body["error"]["message"]
    assert ok == 200


def test_the_ideal_profile_accepts_anything_as_before() -> None:
    bounded = extraction_request(schema=SkillPlan.model_json_schema())
    results = run([("POST", "/v1beta/models/anything:generateContent", bounded)], profile="ideal")
    assert results[0][0] == 200


# -- faults ---------------------------------------------------------------------------------------
def test_a_429_says_resource_exhausted_with_quota_and_retry_info() -> None:
    _, (status, body, _) = run(
        [
            ("POST", "/emulator/faults", {"fail_next": 1, "status": 429, "retry_after_s": 13}),
            ("POST", GENERATE, extraction_request()),
        ]
    )
    assert status == 429
    error = body["error"]
    assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
    types = {d["@type"].rsplit(".", 1)[-1]: d for d in error["details"]}
    assert types["RetryInfo"]["retryDelay"] == "13s"
    assert types["QuotaFailure"]["violations"][0]["quotaDimensions"]["model"] == DEFAULT_TEXT_MODEL


def test_safety_blocks_of_the_prompt_and_of_the_answer() -> None:
    results = run(
        [
            ("POST", "/emulator/faults", {"blocked_next": 1, "block": "prompt"}),
            ("POST", GENERATE, extraction_request()),
            ("POST", "/emulator/faults", {"blocked_next": 1, "block": "answer"}),
            ("POST", GENERATE, extraction_request()),
            ("POST", GENERATE, extraction_request()),
            ("GET", "/emulator/stats", None),
        ]
    )
    prompt, answer, after = results[1][1], results[3][1], results[4]
    assert results[1][0] == results[3][0] == 200  # safety blocks are answers, not HTTP errors
    assert prompt["promptFeedback"]["blockReason"] == "SAFETY"
    assert "candidates" not in prompt
    assert answer["candidates"][0]["finishReason"] == "SAFETY"
    assert "content" not in answer["candidates"][0]
    assert after[0] == 200
    assert "candidates" in after[1]
    assert results[5][1]["tasks"]["skill_extraction"]["blocked"] == 2


def test_overlong_output_goes_past_the_products_bounds_once() -> None:
    (_, _, _), (_, long, _), (_, normal, _) = run(
        [
            ("POST", "/emulator/faults", {"overlong_next": 1}),
            ("POST", GENERATE, extraction_request()),
            ("POST", GENERATE, extraction_request()),
        ]
    )
    longer = json.loads(text_of(long))
    assert all(len(s["description"]) == LENGTHEN["skill_extraction"]["description"] for s in longer["skills"])
    SkillPlan.model_validate_json(text_of(normal))
    assert LENGTHEN["evaluation"]["summary"] > MAX_SUMMARY_CHARS


# -- profiles -------------------------------------------------------------------------------------
def test_a_profile_is_set_per_test_with_overrides_and_reset_restores_the_startup_one() -> None:
    results = run(
        [
            ("POST", "/emulator/faults", {"profile": "realistic", "delay_ms": 50, "overlong_every": 0}),
            ("POST", GENERATE, extraction_request()),
            ("DELETE", "/emulator/faults", None),
            ("POST", "/emulator/faults", {"profile": "nonsense"}),
        ]
    )
    plan = results[0][1]
    assert plan["profile"] == "realistic"
    assert plan["delay_ms"] == 50  # the override wins over the profile's 4000
    assert plan["rate_limit_every"] == PROFILES["realistic"]["rate_limit_every"]
    assert results[1][2] >= 0.05
    assert results[2][1]["profile"] == "strict"
    assert results[2][1]["delay_ms"] == 0
    assert results[3][0] == 400


def test_the_realistic_profile_is_slow_and_misbehaves_on_a_fixed_schedule() -> None:
    every = PROFILES["realistic"]
    calls = [("POST", GENERATE, extraction_request()) for _ in range(every["rate_limit_every"])]
    results = run(calls, profile="realistic", delay_ms=1)  # the schedule, without the seconds
    statuses = [status for status, _, _ in results]
    assert statuses[-1] == 429
    assert statuses[: every["overlong_every"]][-1] == 200
    overlong = json.loads(text_of(results[every["overlong_every"] - 1][1]))
    assert len(overlong["skills"][0]["description"]) > 400
    assert PROFILES["realistic"]["delay_ms"] >= 1000


def test_the_startup_profile_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_EMULATOR_PROFILE", "ideal")
    [(_, plan, _)] = run([("GET", "/emulator/faults", None)])
    assert (plan["profile"], plan["check_models"]) == ("ideal", False)
    monkeypatch.setenv("GEMINI_EMULATOR_PROFILE", "bogus")
    with pytest.raises(ValueError, match="unknown emulator profile"):
        create_app()


def test_requests_are_recorded_by_settings_not_content() -> None:
    request = extraction_request()
    request["contents"][0]["parts"].append({"text": "Your previous answer could not be used: x"})
    request["generationConfig"]["temperature"] = 1.0
    _, (_, log, _) = run([("POST", GENERATE, request), ("GET", "/emulator/requests", None)])
    [entry] = log
    assert entry["model"] == DEFAULT_TEXT_MODEL
    assert entry["generation_config"]["temperature"] == 1.0
    assert "responseJsonSchema" not in entry["generation_config"]
    assert entry["last_user_part"].startswith("Your previous answer")
