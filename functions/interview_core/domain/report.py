"""The evaluation report: the model's response schema, the stored report, and the rules between them. Pure.

The model (Gemini, or the local emulator) answers `EvaluationOutput`. `build_report` turns that into
the stored `Report` without trusting it:

- only the planned skills are reported, in plan order; names the plan does not have are dropped;
- every evidence quote is checked against the candidate's turns (grounding.py), and a quote cited for
  a planned skill must also speak to that skill (relevance.py: the quote, or the answer it belongs
  to, shares a content term with the skill's name, description and anchors, or, for a skill planned
  before anchors, its planned questions); a
  quote that fails either is dropped and counted, a score whose quotes all fail is withheld
  (`no_evidence`), a skill without a score is `not_assessed`. So the same sentence repeated to every
  question evidences only the skills it is about. Competencies (communication, problem solving,
  depth) are about every answer, so their quotes are only grounded;
- the overall score and recommendation are computed from the evidence-backed scores and the planned
  weights (rubric.py); the model's own numbers are kept only as `model_suggestion`;
- statements about voice, tone, accent or emotion are removed: the product assesses what was said,
  never how it sounded (the schema has no field for it and the prompt forbids it; this is the backstop).

A transcript in which the candidate said almost nothing gets `insufficient_transcript_report`, built
without asking any model; one the model's safety filters refuse gets `declined_report` (no scores).
Parts of the model's answer longer than this schema allows are clipped before validation
(structured_output.py) and counted in `evidence_check.fields_clipped`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .grounding import MAX_QUOTE_CHARS, MAX_QUOTES_PER_ITEM, ground_quotes, normalise
from .integrity import Integrity
from .models import PlannedQuestion, Skill, Turn, TurnRole
from .relevance import Line, SkillTopic, answer_context, exchanges, speaks_to
from .rubric import (
    COMPETENCIES,
    COVERAGE_CAP,
    MIN_CANDIDATE_WORDS,
    MIN_COVERAGE_FOR_HIRE,
    RUBRIC_VERSION,
    Recommendation,
    WeightedScore,
    verdict,
)

MAX_SUMMARY_CHARS = 2000
MAX_RATIONALE_CHARS = 1000
MAX_LIST_ITEMS = 8
MAX_ITEM_CHARS = 300
MAX_ASSESSED_SKILLS = 12
NO_MODEL = "none"
"""`model` of a report that no model produced (an empty transcript)."""

_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
_Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ITEM_CHARS)]
_Quote = Annotated[str, StringConstraints(max_length=MAX_QUOTE_CHARS)]


# -- what the model returns -----------------------------------------------------------------------
class ModelAssessment(BaseModel):
    """One skill or competency as the model assesses it."""

    model_config = ConfigDict(extra="ignore")

    name: _Name
    probed: bool = Field(description="Did the interview ask about it and did the candidate answer?")
    score: int | None = Field(default=None, ge=1, le=5, description="1-5 by the rubric; null if not assessed")
    rationale: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_RATIONALE_CHARS)] = ""
    evidence: list[_Quote] = Field(
        default_factory=list,
        max_length=MAX_QUOTES_PER_ITEM,
        description="Verbatim quotes of the candidate's own words that support the score",
    )


class EvaluationOutput(BaseModel):
    """The response schema of the evaluation call (the local emulator recognises it by its
    top-level `overall_score` + `recommendation`). Field order is the order the model writes in:
    evidence and scores first, the verdict last."""

    model_config = ConfigDict(extra="ignore")

    skills: list[ModelAssessment] = Field(max_length=MAX_ASSESSED_SKILLS)
    competencies: list[ModelAssessment] = Field(default_factory=list, max_length=len(COMPETENCIES) + 3)
    strengths: list[_Item] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    weaknesses: list[_Item] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    red_flags: list[_Item] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    improvement_areas: list[_Item] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_SUMMARY_CHARS)]
    overall_score: int = Field(ge=0, le=100)
    recommendation: Recommendation


# -- what is stored in reports/{id} ---------------------------------------------------------------
ItemStatus = Literal["assessed", "no_evidence", "not_assessed"]


class Assessment(StrEnum):
    """How much the report's verdict rests on."""

    SCORED = "scored"
    PARTIAL_COVERAGE = "partial_coverage"  # scored, but on less than MIN_COVERAGE_FOR_HIRE of the weight
    NO_EVIDENCE = "no_evidence"  # the model scored, but no score has a verbatim quote
    INSUFFICIENT_TRANSCRIPT = "insufficient_transcript"  # the candidate said too little to evaluate
    MODEL_DECLINED = "model_declined"  # the model's safety filters refused the transcript: no scores


class AssessedItem(BaseModel):
    """A planned skill or a competency in the report."""

    name: str
    weight: float | None = None
    status: ItemStatus
    score: int | None = Field(default=None, ge=1, le=5)
    """The evidence-backed score; null unless status is `assessed`."""
    model_score: int | None = Field(default=None, ge=1, le=5)
    """What the model said, kept for audit when the score was withheld."""
    rationale: str = ""
    evidence: list[str] = Field(default_factory=list)
    evidence_turns: list[int] = Field(default_factory=list)
    dropped_quotes: int = 0
    """Quotes that are not the candidate's words."""
    off_skill_quotes: int = 0
    """Quotes that are the candidate's words but do not speak to this skill (relevance.py)."""
    status_note: str | None = None


class CoverageItem(BaseModel):
    skill: str
    weight: float
    probed: bool
    status: ItemStatus


class EvidenceCheck(BaseModel):
    quotes_kept: int = 0
    quotes_dropped: int = 0
    """Not the candidate's words (grounding.py)."""
    quotes_off_skill: int = 0
    """The candidate's words, but not about the skill they were cited for (relevance.py)."""
    unknown_items_dropped: int = 0
    statements_removed: int = 0
    fields_clipped: int = 0
    """Over-long texts (or lists) of the model's answer cut to the report's limits before use."""


class ModelSuggestion(BaseModel):
    overall_score: int
    recommendation: Recommendation


class TranscriptStats(BaseModel):
    turns: int
    candidate_turns: int
    candidate_words: int


class Report(BaseModel):
    """reports/{id}. owner_uid and workspace_id are copied from the interview for the security rules."""

    interview_id: str
    owner_uid: str
    generation: int
    model: str
    workspace_id: str | None = None
    prompt_version: str
    rubric_version: str = RUBRIC_VERSION
    plan_version: int | None = None
    """The reviewed plan (skills, anchors, questions) graded: Interview.plan_version and plan_hash."""
    plan_hash: str | None = None
    assessment: Assessment
    overall_score: int | None = Field(ge=0, le=100)
    recommendation: Recommendation | None
    weight_covered: float = Field(ge=0, le=1)
    summary: str
    skills: list[AssessedItem]
    competencies: list[AssessedItem]
    strengths: list[str] = Field(default_factory=list)
    weaknesses: list[str] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)
    improvement_areas: list[str] = Field(default_factory=list)
    coverage: list[CoverageItem]
    evidence_check: EvidenceCheck
    status_notes: list[str] = Field(default_factory=list)
    model_suggestion: ModelSuggestion | None = None
    transcript: TranscriptStats
    end_reason: str | None = None
    created_at: datetime
    integrity: Integrity | None = None
    """Missing turns, an error or an early end (domain/integrity.py); None in reports made before it."""
    withheld_recommendation: Recommendation | None = None
    """The recommendation while a recruiter has not reviewed a report whose integrity needs it."""


def with_integrity(report: Report, integrity: Integrity) -> Report:
    """The report with its integrity on top: the notes lead its status notes, and a report that needs
    a recruiter's review keeps its recommendation aside until then."""
    update: dict[str, object] = {
        "integrity": integrity,
        "status_notes": [*integrity.notes, *report.status_notes],
    }
    if integrity.review_required and report.recommendation is not None:
        update["withheld_recommendation"] = report.recommendation
        update["recommendation"] = None
    return report.model_copy(update=update)


# -- inputs ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvaluationInput:
    """Everything the evaluation of one interview reads."""

    interview_id: str
    owner_uid: str
    generation: int
    role: str
    language: str
    skills: Sequence[Skill]
    turns: Sequence[Turn]
    end_reason: str | None = None
    question_plan: Sequence[PlannedQuestion] = ()
    """The planned questions: part of each skill's topic, and where the transcript's exchanges begin."""
    workspace_id: str | None = None


def candidate_turns(turns: Sequence[Turn]) -> list[tuple[int, str]]:
    return [(t.seq, t.text) for t in turns if t.role == TurnRole.CANDIDATE and t.text.strip()]


def transcript_stats(turns: Sequence[Turn]) -> TranscriptStats:
    spoken = candidate_turns(turns)
    return TranscriptStats(
        turns=len(turns),
        candidate_turns=len(spoken),
        candidate_words=sum(len(text.split()) for _, text in spoken),
    )


def too_short_to_evaluate(turns: Sequence[Turn]) -> bool:
    return transcript_stats(turns).candidate_words < MIN_CANDIDATE_WORDS


# -- voice and emotion backstop -------------------------------------------------------------------
_VOICE_OR_EMOTION = re.compile(
    r"\b(?:tone of voice|(?:his|her|their|the candidate'?s?) (?:voice|tone|accent)|accent|"
    r"sound(?:s|ed)? (?:nervous|confident|unsure|anxious|excited|bored|tired|hesitant|calm)|"
    r"nervous(?:ness)?|anxious|anxiety|emotion(?:al|ally|s)?|personality|introvert(?:ed)?|"
    r"extrovert(?:ed)?|temperament|mood)\b",
    re.IGNORECASE,
)


def mentions_voice_or_emotion(text: str) -> bool:
    """Statements about how the candidate sounded or felt, which the product does not assess."""
    return _VOICE_OR_EMOTION.search(text) is not None


# -- building -------------------------------------------------------------------------------------
@dataclass
class _Counters:
    kept: int = 0
    dropped: int = 0
    off_skill: int = 0
    unknown: int = 0
    removed: int = 0


@dataclass(frozen=True)
class _Relevance:
    """What the relevance rule needs for one skill: its topic and each candidate turn's answer."""

    topic: SkillTopic
    answers: dict[int, str]


def _relevance(data: EvaluationInput) -> dict[str, _Relevance]:
    """Each planned skill's topic, and the answer (exchange) every candidate turn belongs to."""
    plan = [(q.skill, q.question) for q in data.question_plan]
    topics = {
        s.name: SkillTopic.of_skill(
            s.name,
            s.description,
            s.anchors.texts(),
            [question for skill, question in plan if normalise(skill) == normalise(s.name)],
        )
        for s in data.skills
    }
    lines = [Line(t.seq, t.role == TurnRole.CANDIDATE, t.text) for t in data.turns if t.text.strip()]
    answers = answer_context(exchanges(lines, plan, list(topics.values())))
    return {name: _Relevance(topic, answers) for name, topic in topics.items()}


def _clean_text(text: str, counters: _Counters, replacement: str = "") -> str:
    if text and mentions_voice_or_emotion(text):
        counters.removed += 1
        return replacement
    return text


def _clean_list(items: Sequence[str], counters: _Counters) -> list[str]:
    return [item for item in items if _clean_text(item, counters)]


def _assess(
    name: str,
    weight: float | None,
    given: ModelAssessment | None,
    spoken: Sequence[tuple[int, str]],
    counters: _Counters,
    relevance: _Relevance | None = None,
) -> AssessedItem:
    if given is None:
        return AssessedItem(
            name=name,
            weight=weight,
            status="not_assessed",
            status_note="not assessed: the model did not rate it",
        )
    grounded = ground_quotes(given.evidence, spoken)
    kept = grounded.kept
    if relevance is not None:
        kept = [q for q in kept if speaks_to(relevance.topic, q.text, relevance.answers.get(q.turn_seq, ""))]
    off_skill = len(grounded.kept) - len(kept)
    counters.kept += len(kept)
    counters.dropped += grounded.dropped
    counters.off_skill += off_skill
    rationale = _clean_text(
        given.rationale, counters, "(removed: it referred to voice, tone or emotion, which are not assessed)"
    )
    item = AssessedItem(
        name=name,
        weight=weight,
        status="not_assessed",
        model_score=given.score,
        rationale=rationale,
        evidence=[q.text for q in kept],
        evidence_turns=[q.turn_seq for q in kept],
        dropped_quotes=grounded.dropped,
        off_skill_quotes=off_skill,
    )
    if given.score is None:
        note = "probed, but too little was said to score" if given.probed else "never probed"
        return item.model_copy(update={"status_note": f"not assessed: {note}"})
    if not kept and off_skill:
        note = (
            "no evidence: the score is withheld because the quotes cited for it, though the candidate's "
            "words, do not speak to this skill"
        )
        return item.model_copy(update={"status": "no_evidence", "status_note": note})
    if not kept:
        note = "no evidence: the score is withheld because no quote is the candidate's verbatim words"
        return item.model_copy(update={"status": "no_evidence", "status_note": note})
    return item.model_copy(update={"status": "assessed", "score": given.score})


def _by_name(items: Sequence[ModelAssessment]) -> dict[str, ModelAssessment]:
    found: dict[str, ModelAssessment] = {}
    for item in items:
        found.setdefault(normalise(item.name), item)
    return found


def build_report(
    data: EvaluationInput,
    output: EvaluationOutput,
    *,
    model: str,
    prompt_version: str,
    now: datetime,
    clipped: Sequence[str] = (),
) -> Report:
    """The stored report from the model's output, every rule of this module applied.

    `clipped` names the places of the output that were longer than the schema allows and were cut
    to fit (structured_output.clip_to_schema); the report says so rather than hiding it."""
    spoken = candidate_turns(data.turns)
    counters = _Counters()

    given_skills = _by_name(output.skills)
    planned = {normalise(s.name) for s in data.skills}
    counters.unknown += sum(1 for key in given_skills if key not in planned)
    relevance = _relevance(data)
    skills = [
        _assess(s.name, s.weight, given_skills.get(normalise(s.name)), spoken, counters, relevance[s.name])
        for s in data.skills
    ]

    given_competencies = _by_name(output.competencies)
    known = {normalise(name) for name, _ in COMPETENCIES}
    counters.unknown += sum(1 for key in given_competencies if key not in known)
    competencies = [
        _assess(name, None, given_competencies.get(normalise(name)), spoken, counters)
        for name, _ in COMPETENCIES
    ]

    planned_weight = sum(s.weight for s in data.skills)
    result = verdict(
        [WeightedScore(item.weight or 0.0, item.score) for item in skills if item.score is not None],
        planned_weight,
    )
    notes: list[str] = []
    if result.overall_score is None:
        assessment = Assessment.NO_EVIDENCE
        notes.append(
            "No planned skill has a score backed by the candidate's own words: "
            "no overall score or recommendation."
        )
    elif result.coverage < MIN_COVERAGE_FOR_HIRE:
        assessment = Assessment.PARTIAL_COVERAGE
    else:
        assessment = Assessment.SCORED
    if result.capped:
        notes.append(
            f"Only {round(result.coverage * 100)}% of the planned weight has evidence: "
            f"the recommendation is capped at {COVERAGE_CAP.value}."
        )
    withheld = [item.name for item in skills if item.status == "no_evidence"]
    if withheld:
        notes.append(f"Score withheld (no verbatim evidence): {', '.join(withheld)}.")
    unassessed = [item.name for item in skills if item.status == "not_assessed"]
    if unassessed:
        notes.append(f"Not assessed: {', '.join(unassessed)}.")
    if counters.dropped:
        notes.append(f"{counters.dropped} quote(s) dropped: not the candidate's verbatim words.")
    if counters.off_skill:
        notes.append(
            f"{counters.off_skill} quote(s) dropped: the candidate's words, but not about the skill they "
            "were cited for."
        )
    if clipped:
        notes.append(
            f"{len(clipped)} over-long part(s) of the model's answer shortened to the report's limits: "
            f"{', '.join(clipped[:5])}{' ...' if len(clipped) > 5 else ''}."
        )

    summary = _clean_text(output.summary, counters, "")
    strengths = _clean_list(output.strengths, counters)
    weaknesses = _clean_list(output.weaknesses, counters)
    red_flags = _clean_list(output.red_flags, counters)
    improvement_areas = _clean_list(output.improvement_areas, counters)
    if counters.removed:
        notes.append(
            f"{counters.removed} statement(s) about voice, tone or emotion removed: they are not assessed."
        )

    return Report(
        interview_id=data.interview_id,
        owner_uid=data.owner_uid,
        workspace_id=data.workspace_id,
        generation=data.generation,
        model=model,
        prompt_version=prompt_version,
        assessment=assessment,
        overall_score=result.overall_score,
        recommendation=result.recommendation,
        weight_covered=result.coverage,
        summary=summary or "The model's summary was removed; see the skills below.",
        skills=skills,
        competencies=competencies,
        strengths=strengths,
        weaknesses=weaknesses,
        red_flags=red_flags,
        improvement_areas=improvement_areas,
        coverage=[
            CoverageItem(
                skill=item.name,
                weight=item.weight or 0.0,
                probed=_probed(item, given_skills.get(normalise(item.name))),
                status=item.status,
            )
            for item in skills
        ],
        evidence_check=EvidenceCheck(
            quotes_kept=counters.kept,
            quotes_dropped=counters.dropped,
            quotes_off_skill=counters.off_skill,
            unknown_items_dropped=counters.unknown,
            statements_removed=counters.removed,
            fields_clipped=len(clipped),
        ),
        status_notes=notes,
        model_suggestion=ModelSuggestion(
            overall_score=output.overall_score, recommendation=output.recommendation
        ),
        transcript=transcript_stats(data.turns),
        end_reason=data.end_reason,
        created_at=now,
    )


def _probed(item: AssessedItem, given: ModelAssessment | None) -> bool:
    """Probed: the model says the interview asked about it, or there is a score or a quote for it."""
    return item.status != "not_assessed" or bool(item.evidence) or (given is not None and given.probed)


def insufficient_transcript_report(data: EvaluationInput, *, prompt_version: str, now: datetime) -> Report:
    """The report of an interview in which the candidate said (almost) nothing: no scores invented."""
    stats = transcript_stats(data.turns)
    note = "not assessed: the candidate said too little in the interview"
    skills = [
        AssessedItem(name=s.name, weight=s.weight, status="not_assessed", status_note=note)
        for s in data.skills
    ]
    competencies = [
        AssessedItem(name=name, status="not_assessed", status_note=note) for name, _ in COMPETENCIES
    ]
    said = (
        "The candidate said nothing."
        if stats.candidate_words == 0
        else f"The candidate said {stats.candidate_words} word(s) in {stats.candidate_turns} turn(s)."
    )
    return Report(
        interview_id=data.interview_id,
        owner_uid=data.owner_uid,
        workspace_id=data.workspace_id,
        generation=data.generation,
        model=NO_MODEL,
        prompt_version=prompt_version,
        assessment=Assessment.INSUFFICIENT_TRANSCRIPT,
        overall_score=None,
        recommendation=None,
        weight_covered=0.0,
        summary=f"The transcript is too short to evaluate. {said} No scores were given.",
        skills=skills,
        competencies=competencies,
        coverage=[
            CoverageItem(skill=s.name, weight=s.weight, probed=False, status="not_assessed")
            for s in data.skills
        ],
        evidence_check=EvidenceCheck(),
        status_notes=[
            f"Fewer than {MIN_CANDIDATE_WORDS} candidate words: the transcript was not sent to a model.",
        ],
        transcript=stats,
        end_reason=data.end_reason,
        created_at=now,
    )


def declined_report(
    data: EvaluationInput, *, reason: str, model: str, prompt_version: str, now: datetime
) -> Report:
    """The report when the model's safety filters refused the transcript: nothing is scored.

    Asking again would be refused again, so this is the final answer of this evaluation run rather
    than a failure: the recruiter sees that the model declined and why, and reads the transcript
    (or re-evaluates later) instead of waiting for retries that cannot succeed."""
    stats = transcript_stats(data.turns)
    note = "not assessed: the language model declined to evaluate this transcript"
    return Report(
        interview_id=data.interview_id,
        owner_uid=data.owner_uid,
        workspace_id=data.workspace_id,
        generation=data.generation,
        model=model,
        prompt_version=prompt_version,
        assessment=Assessment.MODEL_DECLINED,
        overall_score=None,
        recommendation=None,
        weight_covered=0.0,
        summary=(
            f"The language model declined to evaluate this transcript ({reason}). No scores were "
            "given; please review the transcript yourself."
        ),
        skills=[
            AssessedItem(name=s.name, weight=s.weight, status="not_assessed", status_note=note)
            for s in data.skills
        ],
        competencies=[
            AssessedItem(name=name, status="not_assessed", status_note=note) for name, _ in COMPETENCIES
        ],
        coverage=[
            CoverageItem(skill=s.name, weight=s.weight, probed=False, status="not_assessed")
            for s in data.skills
        ],
        evidence_check=EvidenceCheck(),
        status_notes=[f"The model's safety filters blocked the evaluation: {reason}."],
        transcript=stats,
        end_reason=data.end_reason,
        created_at=now,
    )
