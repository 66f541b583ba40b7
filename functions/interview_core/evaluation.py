"""Grading one transcript: the evaluation prompt, the model's structured answer, the report rules.

Shared by the `evaluate` function (functions/pipeline/evaluate.py), which adds the queue, the status
machine and the archive around it, and by `make eval-real` (bench/eval_real.py), which grades the
golden transcripts with exactly this code against the real API before a model or prompt change ships.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .adapters import gemini
from .domain.errors import ModelDeclined
from .domain.evaluation_prompt import EVALUATION_PROMPT_VERSION, EVALUATION_SYSTEM, evaluation_user_prompt
from .domain.models import Interview
from .domain.report import (
    EvaluationInput,
    EvaluationOutput,
    Report,
    build_report,
    declined_report,
    insufficient_transcript_report,
    too_short_to_evaluate,
)
from .settings import get_settings

if TYPE_CHECKING:
    from google import genai


def produce_report(
    data: EvaluationInput, interview: Interview, now: datetime, *, client: genai.Client | None = None
) -> Report:
    """The report for the transcript: without a model when there is nothing to assess, and one that
    says so when the model declines (ModelDeclined is an answer, not a failure to retry).

    `client` defaults to the process's Gemini client; `make eval-real` passes its own (bench/eval_real.py)
    so the golden set is graded by exactly this code."""
    if too_short_to_evaluate(data.turns):
        return insufficient_transcript_report(data, prompt_version=EVALUATION_PROMPT_VERSION, now=now)
    settings = get_settings()
    try:
        result = gemini.generate_structured(
            system=EVALUATION_SYSTEM,
            user=evaluation_user_prompt(
                role=interview.role,
                language=interview.language,
                end_reason=data.end_reason,
                skills=interview.skills,
                question_plan=interview.question_plan,
                turns=data.turns,
            ),
            schema=EvaluationOutput,
            budget=gemini.CallBudget.for_evaluation(settings),
            client=client,
            operation="evaluation",
            prompt_version=EVALUATION_PROMPT_VERSION,
        )
    except ModelDeclined as declined:
        return declined_report(
            data,
            reason=declined.reason,
            model=settings.gemini_model,
            prompt_version=EVALUATION_PROMPT_VERSION,
            now=now,
        )
    return build_report(
        data,
        result.value,
        model=result.model_version,
        prompt_version=EVALUATION_PROMPT_VERSION,
        now=now,
        clipped=[c.path for c in result.clipped],
    )
