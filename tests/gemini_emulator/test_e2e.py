"""End to end: the emulator as a subprocess, called by the real google-genai client over HTTP and TLS.

Note on schemas: google-genai 3.6.1 cannot express SkillPlan as `response_schema` (its Schema type has
no `exclusiveMinimum`, which `Skill.weight: gt=0` produces, and the client raises before sending), so
SkillPlan goes as `response_json_schema`. `response_schema` is exercised with an equivalent model.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import urllib.request
from pathlib import Path

import pytest
from google import genai
from google.genai import errors, types
from pydantic import BaseModel, Field

from interview_core.domain.gemini_models import DEFAULT_TEXT_MODEL
from interview_core.domain.models import SkillPlan
from interview_core.domain.prompts import SKILL_EXTRACTION_SYSTEM, skill_extraction_user_prompt
from interview_core.domain.structured_output import wire_schema
from tests.gemini_emulator.support import DATA_ENGINEER_JD, EmulatorProcess, launch, stop

pytestmark = pytest.mark.integration

MODEL = DEFAULT_TEXT_MODEL
USER_PROMPT = skill_extraction_user_prompt("Senior Data Engineer", "en", 20, DATA_ENGINEER_JD)


class PlainSkill(BaseModel):
    name: str
    description: str = ""
    weight: float = Field(ge=0, le=1)


class PlainQuestion(BaseModel):
    skill: str
    question: str
    follow_ups: list[str] = Field(default_factory=list)


class PlainSkillPlan(BaseModel):
    """SkillPlan without the constraints google-genai's Schema cannot carry."""

    skills: list[PlainSkill]
    question_plan: list[PlainQuestion]


def json_config() -> types.GenerateContentConfig:
    return types.GenerateContentConfig(
        system_instruction=SKILL_EXTRACTION_SYSTEM,
        response_mime_type="application/json",
        response_json_schema=wire_schema(SkillPlan),
    )


def tls_options(emulator: EmulatorProcess) -> types.HttpOptions:
    """How a client trusts the emulator: the same CA context for httpx (verify) and aiohttp/wss (ssl)."""
    context = ssl.create_default_context(cafile=emulator.ca)
    return types.HttpOptions(
        base_url=emulator.https, client_args={"verify": context}, async_client_args={"ssl": context}
    )


def test_starts_fast_and_is_healthy_on_both_ports(emulator: EmulatorProcess) -> None:
    assert emulator.startup_seconds < 2.0  # typically ~0.25 s, most of it interpreter start-up
    context = ssl.create_default_context(cafile=emulator.ca)
    with urllib.request.urlopen(f"{emulator.http}/health", timeout=5) as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{emulator.https}/health", timeout=5, context=context) as response:
        assert response.status == 200
    assert Path(emulator.ca).name == "ca.pem"


def test_google_genai_over_http(clean_emulator: EmulatorProcess) -> None:
    client = genai.Client(api_key="x", http_options=types.HttpOptions(base_url=clean_emulator.http))
    response = client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=json_config())
    plan = SkillPlan.model_validate(response.parsed).normalised()
    assert {"SQL", "Python", "Data pipelines & ETL"} <= {s.name for s in plan.skills}
    assert response.model_version == "local-emulator"
    assert response.candidates[0].finish_reason == types.FinishReason.STOP  # type: ignore[index]


def test_google_genai_response_schema_gives_a_parsed_model(clean_emulator: EmulatorProcess) -> None:
    client = genai.Client(api_key="x", http_options=types.HttpOptions(base_url=clean_emulator.http))
    config = types.GenerateContentConfig(
        system_instruction=SKILL_EXTRACTION_SYSTEM,
        response_mime_type="application/json",
        response_schema=PlainSkillPlan,
    )
    response = client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=config)
    assert isinstance(response.parsed, PlainSkillPlan)
    SkillPlan.model_validate(response.parsed.model_dump())


def test_google_genai_over_https_sync_async_and_live(clean_emulator: EmulatorProcess) -> None:
    client = genai.Client(api_key="x", http_options=tls_options(clean_emulator))
    response = client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=json_config())
    SkillPlan.model_validate(response.parsed)

    async def async_calls() -> object:
        answer = await client.aio.models.generate_content(
            model=MODEL, contents=USER_PROMPT, config=json_config()
        )
        SkillPlan.model_validate(answer.parsed)
        config = types.LiveConnectConfig(response_modalities=[types.Modality.AUDIO])
        async with client.aio.live.connect(model="gemini-3.8-live", config=config) as session:
            return session.setup_complete

    assert asyncio.run(async_calls()) is not None
    _, stats = clean_emulator.admin("GET", "/emulator/stats")
    assert stats["calls"] == {"skill_extraction": 2}
    assert stats["live"]["sessions"] >= 1


def test_https_without_the_ca_is_refused(clean_emulator: EmulatorProcess) -> None:
    client = genai.Client(api_key="x", http_options=types.HttpOptions(base_url=clean_emulator.https))
    with pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
        client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=json_config())


def test_injected_503s_are_retried_by_google_genai(clean_emulator: EmulatorProcess) -> None:
    status, plan = clean_emulator.admin("POST", "/emulator/faults", {"fail_next": 2, "status": 503})
    assert status == 200
    assert plan["fail_next"] == 2
    retry = types.HttpRetryOptions(attempts=3, initial_delay=0.05, jitter=0.0)
    client = genai.Client(
        api_key="x", http_options=types.HttpOptions(base_url=clean_emulator.http, retry_options=retry)
    )
    response = client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=json_config())
    SkillPlan.model_validate(response.parsed)
    _, stats = clean_emulator.admin("GET", "/emulator/stats")
    assert stats["tasks"]["skill_extraction"] == {
        "calls": 3,
        "ok": 1,
        "injected_failures": 2,
        "malformed": 0,
        "blocked": 0,
        "overlong": 0,
        "errors": 0,
    }


def test_injected_failure_without_retries_surfaces_as_api_error(clean_emulator: EmulatorProcess) -> None:
    clean_emulator.admin("POST", "/emulator/faults", {"fail_next": 1, "status": 429})
    client = genai.Client(api_key="x", http_options=types.HttpOptions(base_url=clean_emulator.http))
    with pytest.raises(errors.ClientError) as caught:
        client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=json_config())
    assert caught.value.code == 429
    assert caught.value.status == "RESOURCE_EXHAUSTED"


def test_malformed_output_is_returned_once(clean_emulator: EmulatorProcess) -> None:
    clean_emulator.admin("POST", "/emulator/faults", {"malformed_next": 1})
    client = genai.Client(api_key="x", http_options=types.HttpOptions(base_url=clean_emulator.http))
    broken = client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=json_config())
    assert broken.parsed is None
    with pytest.raises(ValueError, match="JSON"):
        SkillPlan.model_validate_json(broken.text or "")
    fine = client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=json_config())
    SkillPlan.model_validate(fine.parsed)


def test_delay_flag_and_clean_shutdown(tmp_path: Path) -> None:
    emulator = launch(tmp_path, "--delay-ms", "250")
    try:
        client = genai.Client(api_key="x", http_options=types.HttpOptions(base_url=emulator.http))
        began = time.monotonic()
        client.models.generate_content(model=MODEL, contents=USER_PROMPT, config=json_config())
        assert time.monotonic() - began >= 0.25
    finally:
        assert stop(emulator) == 0


def test_a_second_start_reuses_the_ca(tmp_path: Path) -> None:
    first = launch(tmp_path)
    ca = Path(first.ca).read_bytes()
    assert stop(first) == 0
    second = launch(tmp_path)
    try:
        assert Path(second.ca).read_bytes() == ca
    finally:
        stop(second)
