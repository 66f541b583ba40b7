"""What Gemini is sent for the product's schemas, and how over-long answers are brought in bounds."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from interview_core.domain.gemini_models import PORTABLE_SCHEMA_KEYWORDS
from interview_core.domain.models import SkillPlan
from interview_core.domain.report import MAX_RATIONALE_CHARS, MAX_SUMMARY_CHARS, EvaluationOutput
from interview_core.domain.structured_output import (
    ELLIPSIS,
    clip_to_schema,
    describe,
    full_schema,
    schema_keywords,
    wire_schema,
)

REJECTED = {"maxLength", "minLength", "pattern", "format", "title", "default", "$ref", "$defs", "const"}
"""Keywords that make current models refuse a schema (too many decoding states) or that some
families reject by name; none may reach the wire."""


@pytest.mark.parametrize("schema", [SkillPlan, EvaluationOutput])
def test_the_wire_schema_has_only_portable_keywords(schema: type[BaseModel]) -> None:
    sent = wire_schema(schema)
    assert schema_keywords(sent) <= PORTABLE_SCHEMA_KEYWORDS
    assert not schema_keywords(sent) & REJECTED
    # Still the same shape: the same properties, in the same order (evidence before the verdict).
    assert list(sent["properties"]) == list(schema.model_json_schema()["properties"])


def test_the_pydantic_schema_itself_still_carries_the_products_bounds() -> None:
    """The bounds are not dropped from the product, only from the wire: they are applied after."""
    assert {"maxLength", "$ref"} <= schema_keywords(EvaluationOutput.model_json_schema())
    assert "$ref" not in schema_keywords(full_schema(EvaluationOutput))


def _evaluation(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "skills": [{"name": "SQL", "probed": True, "score": 4, "rationale": "ok", "evidence": []}],
        "summary": "Fine.",
        "overall_score": 70,
        "recommendation": "hire",
    }
    data.update(overrides)
    return data


def test_over_long_strings_and_lists_are_clipped_and_recorded_by_place_not_content() -> None:
    long_rationale = "word " * 400  # 2000 chars > 1000
    data = _evaluation(
        summary="s" * (MAX_SUMMARY_CHARS + 500),
        skills=[
            {"name": "SQL", "probed": True, "score": 4, "rationale": long_rationale, "evidence": ["q"] * 7}
        ],
        strengths=["a strength"] * 9,
    )
    clipped_data, clipped = clip_to_schema(data, full_schema(EvaluationOutput))
    parsed = EvaluationOutput.model_validate(clipped_data)  # validates after clipping
    assert len(parsed.summary) == MAX_SUMMARY_CHARS
    assert parsed.summary.endswith(ELLIPSIS)
    assert len(parsed.skills[0].rationale) <= MAX_RATIONALE_CHARS
    assert len(parsed.skills[0].evidence) == 5
    assert len(parsed.strengths) == 8
    assert {c.path for c in clipped} == {"summary", "skills[0].rationale", "skills[0].evidence", "strengths"}
    notes = " ".join(describe(clipped))
    assert "word" not in notes
    assert "sss" not in notes


def test_output_within_bounds_is_untouched() -> None:
    data = _evaluation()
    assert clip_to_schema(data, full_schema(EvaluationOutput)) == (data, [])


def test_wrong_types_are_left_for_validation_to_refuse() -> None:
    data = _evaluation(overall_score="seventy", skills="none")
    clipped_data, clipped = clip_to_schema(data, full_schema(EvaluationOutput))
    assert clipped_data == data
    assert clipped == []
