"""Review before invite: the recruiter's edits of a draft interview's plan. Pure: no I/O.

A draft interview (status `draft`) holds the plan Gemini extracted: skills with weights and rubric
anchors (low / middle / high answer), and the ordered question plan. The recruiter may replace all of
it in one request (PlanEdit): reorder, reword, delete and add questions (their own are `must_ask`),
re-weight skills and rewrite anchors. Every accepted edit raises `plan_version` by one and recomputes
`plan_hash`, the content hash the report names, so a report says exactly which plan it graded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .models import MAX_QUESTIONS, MAX_SKILLS, PlannedQuestion, Skill

PLAN_HASH_CHARS = 12


class PlanEdit(BaseModel):
    """Body of PUT /api/interviews/{id}/plan: the whole reviewed plan, replacing the stored one.

    `base_version` is the plan_version the recruiter edited; a plan changed meanwhile (another tab,
    a CV upload) answers 409 instead of silently overwriting it."""

    model_config = ConfigDict(extra="forbid")

    base_version: int = Field(ge=1, strict=True)
    skills: list[Skill] = Field(min_length=1, max_length=MAX_SKILLS)
    question_plan: list[PlannedQuestion] = Field(min_length=1, max_length=MAX_QUESTIONS)

    @model_validator(mode="after")
    def _consistent(self) -> PlanEdit:
        names = [s.name.casefold() for s in self.skills]
        if len(set(names)) != len(names):
            raise ValueError("skill names must be unique")
        unknown = sorted({q.skill for q in self.question_plan if q.skill.casefold() not in names})
        if unknown:
            raise ValueError(f"questions name skills that are not listed: {', '.join(unknown)}")
        return self

    def normalised(self) -> tuple[list[Skill], list[PlannedQuestion]]:
        """Weights rescaled to sum to 1 and question skills spelled as their skill."""
        total = sum(s.weight for s in self.skills)
        skills = [s.model_copy(update={"weight": round(s.weight / total, 4)}) for s in self.skills]
        spelled = {s.name.casefold(): s.name for s in skills}
        questions = [q.model_copy(update={"skill": spelled[q.skill.casefold()]}) for q in self.question_plan]
        return skills, questions


def plan_hash(skills: Sequence[Skill], question_plan: Sequence[PlannedQuestion]) -> str:
    """A short content hash of the plan and its rubric: equal plans, equal hashes."""
    content = {
        "skills": [s.model_dump(mode="json") for s in skills],
        "question_plan": [q.model_dump(mode="json") for q in question_plan],
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:PLAN_HASH_CHARS]


def keep_must_ask(
    generated: Sequence[PlannedQuestion], skills: Sequence[Skill], previous: Sequence[PlannedQuestion]
) -> list[PlannedQuestion]:
    """A regenerated plan (after a CV upload) followed by the recruiter's own must-ask questions,
    each under its skill when the new plan still has it, else under the heaviest skill."""
    names = {s.name.casefold(): s.name for s in skills}
    heaviest = max(skills, key=lambda s: s.weight).name
    own = [
        q.model_copy(update={"skill": names.get(q.skill.casefold(), heaviest)})
        for q in previous
        if q.must_ask
    ]
    room = max(0, MAX_QUESTIONS - len(own))
    return [*list(generated)[:room], *own]
