"""The functions' Gemini adapter (interview_core.adapters.gemini) against the emulator on a bad day.

Real google-genai, real HTTP, the real emulator: each test sets the emulator's profile or faults for
itself (the shared subprocess is reset around every test). Slow behaviour is shown with short
budgets against the emulator's latency, or with an injected clock, never by waiting long.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interview_core.adapters import gemini
from interview_core.domain.errors import DomainError
from interview_core.domain.evaluation_prompt import EVALUATION_SYSTEM, evaluation_user_prompt
from interview_core.domain.models import PlannedQuestion, SkillPlan, Turn
from interview_core.domain.prompts import SKILL_EXTRACTION_SYSTEM, skill_extraction_user_prompt
from interview_core.domain.report import EvaluationOutput
from interview_core.settings import get_settings
from tests.gemini_emulator.support import DATA_ENGINEER_JD, EmulatorProcess

EXTRACTION_USER = skill_extraction_user_prompt("Senior Data Engineer", "en", 20, DATA_ENGINEER_JD)
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "transcripts" / "strong.json"


def evaluation_user() -> str:
    from datetime import UTC, datetime

    from interview_core.domain.models import Skill

    doc = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = datetime(2026, 12, 4, tzinfo=UTC)
    interview = doc["interview"]
    return evaluation_user_prompt(
        role=interview["role"],
        language=interview["language"],
        end_reason=doc["end_reason"],
        skills=[Skill(**s) for s in interview["skills"]],
        question_plan=[PlannedQuestion(**q) for q in interview["question_plan"]],
        turns=[Turn(**t, started_at=now, ended_at=now) for t in doc["turns"]],
    )


@pytest.fixture
def bad_day(clean_emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorProcess]:
    """The shared emulator on the strict profile, and settings that point the adapter at it."""
    monkeypatch.setenv("GEMINI_BASE_URL", clean_emulator.http)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    get_settings.cache_clear()
    clean_emulator.admin("DELETE", "/emulator/requests")
    yield clean_emulator
    get_settings.cache_clear()


def client() -> Any:
    return gemini.build_client(get_settings())


def faults(emulator: EmulatorProcess, **plan: Any) -> None:
    status, body = emulator.admin("POST", "/emulator/faults", plan)
    assert status == 200, body


def calls(emulator: EmulatorProcess, task: str) -> int:
    _, stats = emulator.admin("GET", "/emulator/stats")
    return int(stats["calls"].get(task, 0))


def code_of(error: BaseException) -> str:
    assert isinstance(error, DomainError), repr(error)
    return error.code


# -- what is sent ---------------------------------------------------------------------------------
def test_both_calls_are_accepted_by_an_emulator_that_refuses_what_gemini_refuses(
    bad_day: EmulatorProcess,
) -> None:
    """google-genai's response_schema for the pydantic classes carried string bounds in the
    thousands: "too many states for serving" (400). The adapter's wire schema is accepted."""
    plan = gemini.generate_structured(
        system=SKILL_EXTRACTION_SYSTEM, user=EXTRACTION_USER, schema=SkillPlan, client=client()
    )
    assert plan.value.skills
    report = gemini.generate_structured(
        system=EVALUATION_SYSTEM, user=evaluation_user(), schema=EvaluationOutput, client=client()
    )
    assert report.value.skills
    _, stats = bad_day.admin("GET", "/emulator/stats")
    assert stats["refused"] == {}
    [extraction, evaluation] = bad_day.admin("GET", "/emulator/requests")[1]
    for sent in (extraction, evaluation):
        assert sent["schema_dialect"] == "responseJsonSchema"
        # gemini-3.8-flash: a LOW thinking level (google-genai spells the inner key thinking_level)
        assert list(sent["generation_config"]["thinkingConfig"].values()) == ["LOW"]
        assert "temperature" not in sent["generation_config"]  # deprecated for this family


def test_an_unknown_model_is_rejected_once_and_not_retried(bad_day: EmulatorProcess) -> None:
    with pytest.raises(DomainError) as caught:
        gemini.generate_structured(
            system=SKILL_EXTRACTION_SYSTEM,
            user=EXTRACTION_USER,
            schema=SkillPlan,
            client=client(),
            model="gemini-2.5-flash",  # shut down on 2026-12-01
        )
    assert code_of(caught.value) == "model_request_rejected"
    _, stats = bad_day.admin("GET", "/emulator/stats")
    assert stats["refused"] == {"model": 1}


# -- unusable output ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("model", "temperature"),
    [("gemini-3.1-pro-preview", 1.0), ("gemini-2.5-flash-lite", 0.2), ("gemini-3.8-flash", None)],
)
def test_a_validation_failure_is_retried_at_the_familys_temperature_with_a_correction(
    bad_day: EmulatorProcess, model: str, temperature: float | None
) -> None:
    """The same request at temperature 0 fails the same way each time: ask again at the family's
    temperature, saying briefly what was wrong."""
    faults(bad_day, malformed_next=1)
    result = gemini.generate_structured(
        system=SKILL_EXTRACTION_SYSTEM, user=EXTRACTION_USER, schema=SkillPlan, client=client(), model=model
    )
    assert result.attempts == 2
    first, second = bad_day.admin("GET", "/emulator/requests")[1]
    for sent in (first, second):
        assert sent["generation_config"].get("temperature") == temperature
    assert first["last_user_part"] is None
    assert second["last_user_part"].startswith("Your previous answer could not be used")
    assert "MAX_TOKENS" in second["last_user_part"]


def test_over_long_texts_are_clipped_in_one_call_not_retried(bad_day: EmulatorProcess) -> None:
    faults(bad_day, overlong_next=1)
    result = gemini.generate_structured(
        system=EVALUATION_SYSTEM, user=evaluation_user(), schema=EvaluationOutput, client=client()
    )
    assert calls(bad_day, "evaluation") == 1
    assert len(result.value.summary) <= 2000
    assert "summary" in {c.path for c in result.clipped}
    assert any(c.path.endswith(".rationale") for c in result.clipped)


def test_output_that_stays_unusable_is_a_retryable_error_after_the_attempts(bad_day: EmulatorProcess) -> None:
    faults(bad_day, malformed_next=10)
    with pytest.raises(DomainError) as caught:
        gemini.generate_structured(
            system=SKILL_EXTRACTION_SYSTEM, user=EXTRACTION_USER, schema=SkillPlan, client=client()
        )
    assert code_of(caught.value) == "model_output_unusable"
    assert calls(bad_day, "skill_extraction") == get_settings().gemini_attempts


# -- safety ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("block", ["prompt", "answer"])
def test_a_safety_block_is_its_own_error_and_never_retried(bad_day: EmulatorProcess, block: str) -> None:
    faults(bad_day, blocked_next=1, block=block)
    with pytest.raises(DomainError) as caught:
        gemini.generate_structured(
            system=EVALUATION_SYSTEM, user=evaluation_user(), schema=EvaluationOutput, client=client()
        )
    assert code_of(caught.value) == "model_declined"
    assert "SAFETY" in caught.value.message
    assert calls(bad_day, "evaluation") == 1


# -- quota and time -------------------------------------------------------------------------------
class FakeClock:
    """Time that moves only when the adapter sleeps (the emulator answers at once)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_a_429_is_waited_out_when_its_retry_delay_fits_the_budget(bad_day: EmulatorProcess) -> None:
    faults(bad_day, fail_next=2, status=429, retry_after_s=10)
    clock = FakeClock()
    budget = gemini.CallBudget(total_seconds=45, per_call_seconds=30, attempts=3)
    result = gemini.generate_structured(
        system=SKILL_EXTRACTION_SYSTEM,
        user=EXTRACTION_USER,
        schema=SkillPlan,
        client=client(),
        budget=budget,
        clock=clock,
        sleep=clock.sleep,
    )
    assert result.attempts == 3
    assert clock.sleeps == [10, 10]


def test_a_429_whose_delay_does_not_fit_is_returned_with_it_at_once(bad_day: EmulatorProcess) -> None:
    faults(bad_day, fail_next=5, status=429, retry_after_s=30)
    clock = FakeClock()
    budget = gemini.CallBudget(total_seconds=45, per_call_seconds=30, attempts=3)
    with pytest.raises(DomainError) as caught:
        gemini.generate_structured(
            system=SKILL_EXTRACTION_SYSTEM,
            user=EXTRACTION_USER,
            schema=SkillPlan,
            client=client(),
            budget=budget,
            clock=clock,
            sleep=clock.sleep,
        )
    assert code_of(caught.value) == "model_rate_limited"
    assert caught.value.retry_after_seconds == 30  # type: ignore[attr-defined]
    assert clock.sleeps == [30]  # waited once; a second 30 s wait would not leave time to ask
    assert clock.now - 1000.0 <= budget.total_seconds
    assert calls(bad_day, "skill_extraction") == 2


@pytest.mark.parametrize(
    ("delay_ms", "failures"),
    [(700, 100), (1500, 0)],
    ids=["slow-503s-retried", "answers-slower-than-an-attempt"],
)
def test_the_worst_case_slow_model_and_retries_ends_within_the_total_budget(
    bad_day: EmulatorProcess, monkeypatch: pytest.MonkeyPatch, delay_ms: int, failures: int
) -> None:
    """Every answer is slow (and a 503, or too slow for one attempt): without a total budget the
    attempts (and google-genai's own retries under them) run on past it. The deployed settings,
    scaled down from 30 s per attempt in a 45 s budget to 1 s in 2.5 s."""
    monkeypatch.setenv("GEMINI_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("GEMINI_TOTAL_BUDGET_SECONDS", "2.5")
    monkeypatch.setenv("GEMINI_MIN_ATTEMPT_SECONDS", "0.8")
    monkeypatch.setenv("GEMINI_RETRY_INITIAL_DELAY_SECONDS", "0.2")
    get_settings.cache_clear()
    faults(
        bad_day,
        profile="realistic",
        delay_ms=delay_ms,
        fail_next=failures,
        status=503,
        rate_limit_every=0,
        unavailable_every=0,
        check_schema=False,  # time alone: a refusal (of a model name or a schema) would end any
        check_models=False,  # call at once, whatever its budget
    )
    slow_client = client()  # built (and google-genai imported) before the clock starts
    began = time.monotonic()
    with pytest.raises(DomainError) as caught:
        gemini.generate_structured(
            system=SKILL_EXTRACTION_SYSTEM, user=EXTRACTION_USER, schema=SkillPlan, client=slow_client
        )
    elapsed = time.monotonic() - began
    assert code_of(caught.value) in {"model_unavailable", "upstream_unavailable"}
    assert elapsed <= 2.5, f"took {elapsed:.2f} s, budget 2.5 s"
