"""The scoring rubric and the rules that turn per-skill scores into the report's verdict. Pure.

The model scores each planned skill 1-5 against the rubric below and must quote the candidate; the
overall score and the recommendation are then computed here, from the skills that have verbatim
evidence and their planned weights, so the model cannot contradict its own scores or the rubric.
The same text is shown to the model (prompt) and documented here (code), from one definition.

Each skill also carries anchors (models.SkillAnchors): what a low (1), middle (3) and high (5) answer
about that skill looks like in this job. The score levels below say what the levels mean for every
skill; the anchors say it for one. anchors_for gives every skill a complete set, filling in what an
interview planned before anchors existed lacks from the skill's name and description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .models import MAX_ANCHOR_CHARS, Skill, SkillAnchors

RUBRIC_VERSION = "rubric-v2"
"""v2: per-skill anchors (low / mid / high), and evidence must speak to the skill it is cited for."""


class Recommendation(StrEnum):
    STRONG_HIRE = "strong_hire"
    HIRE = "hire"
    LEAN_HIRE = "lean_hire"
    LEAN_NO_HIRE = "lean_no_hire"
    NO_HIRE = "no_hire"


SCORE_LEVELS: dict[int, str] = {
    1: (
        "No usable evidence: the answer does not address the skill, is wrong, or the candidate says "
        "they have not done it."
    ),
    2: "Vague or generic: buzzwords or textbook statements without a concrete example of their own.",
    3: (
        "Working knowledge: a correct, concrete example of their own, with limited depth "
        "(little on trade-offs, alternatives or results)."
    ),
    4: "Solid: several specifics (tools, numbers, decisions) and the reasoning behind them.",
    5: (
        "Expert: precise, first-hand detail with trade-offs, measured results and lessons learned; "
        "goes beyond the question."
    ),
}
"""What each score means. 1, 3 and 5 are the anchors; 2 and 4 lie between them."""

ANCHOR_SCORES: dict[str, int] = {"low": 1, "mid": 3, "high": 5}
"""The score each of a skill's anchors stands for."""

MAX_DESCRIPTION_IN_ANCHOR = 120

COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("Communication", "Answers are clear, structured and stay on the question."),
    ("Problem solving", "Breaks a problem down, weighs options and explains the choice made."),
    ("Depth of experience", "Speaks from first-hand work with concrete specifics and outcomes."),
)
"""Assessed in every interview with the same rubric; informative, not part of the overall score."""

RECOMMENDATION_THRESHOLDS: tuple[tuple[int, Recommendation], ...] = (
    (80, Recommendation.STRONG_HIRE),
    (65, Recommendation.HIRE),
    (50, Recommendation.LEAN_HIRE),
    (35, Recommendation.LEAN_NO_HIRE),
    (0, Recommendation.NO_HIRE),
)
"""Overall score (0-100) at or above which a recommendation applies, best first.

An average of 3 ("working knowledge") is 50, a lean hire; an average of 4 is 75, a hire."""

MIN_COVERAGE_FOR_HIRE = 0.5
"""Below this share of the planned weight with evidence, the recommendation is capped at lean_hire:
a hire decision must not rest on less than half of what the job needs."""

COVERAGE_CAP = Recommendation.LEAN_HIRE

MIN_CANDIDATE_WORDS = 25
"""Fewer candidate words than this in the whole transcript: nothing to assess, no model is asked."""

_ORDER = [r for _, r in RECOMMENDATION_THRESHOLDS]


def score_points(score: int) -> float:
    """A 1-5 score on the 0-100 scale: 1 -> 0, 3 -> 50, 5 -> 100."""
    if not 1 <= score <= 5:
        raise ValueError("scores are 1 to 5")
    return (score - 1) * 25.0


@dataclass(frozen=True)
class WeightedScore:
    """One assessed skill: its planned weight and its evidence-backed score."""

    weight: float
    score: int


@dataclass(frozen=True)
class Verdict:
    overall_score: int | None
    recommendation: Recommendation | None
    coverage: float
    """Share of the planned weight that has an evidence-backed score (0-1)."""
    capped: bool
    """True when low coverage lowered the recommendation."""


def recommendation_for(overall_score: float) -> Recommendation:
    for threshold, recommendation in RECOMMENDATION_THRESHOLDS:
        if overall_score >= threshold:
            return recommendation
    return Recommendation.NO_HIRE


def verdict(assessed: Sequence[WeightedScore], planned_total_weight: float) -> Verdict:
    """Overall score and recommendation from the assessed skills alone.

    The overall score is the weight-averaged score of the skills with evidence (weights renormalised
    over them). With none, there is no score and no recommendation: the report says so instead of
    inventing one. Low coverage caps the recommendation (MIN_COVERAGE_FOR_HIRE).
    """
    weight = sum(item.weight for item in assessed)
    coverage = min(1.0, weight / planned_total_weight) if planned_total_weight > 0 else 0.0
    if not assessed or weight <= 0:
        return Verdict(None, None, round(coverage, 3), capped=False)
    points = sum(item.weight * score_points(item.score) for item in assessed) / weight
    overall = round(points)
    recommendation = recommendation_for(overall)
    capped = False
    if coverage < MIN_COVERAGE_FOR_HIRE and _ORDER.index(recommendation) < _ORDER.index(COVERAGE_CAP):
        recommendation, capped = COVERAGE_CAP, True
    return Verdict(overall, recommendation, round(coverage, 3), capped)


def rubric_text() -> str:
    """The rubric as the prompt states it."""
    levels = "\n".join(f"  {score}: {meaning}" for score, meaning in SCORE_LEVELS.items())
    return (
        f"Scores ({RUBRIC_VERSION}), for every skill and competency:\n{levels}\n"
        "  null: not assessed - the interview never probed it, or the candidate said nothing about it.\n"
        "Each skill comes with anchors written for this job: `low` describes a 1, `mid` a 3 and `high` a "
        "5. Score a skill by the anchor its answers match best; 2 and 4 lie between two anchors."
    )


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def default_anchors(name: str, description: str = "") -> SkillAnchors:
    """Anchors from a skill's name and description alone, for interviews planned before anchors.

    Every word of the wording around the name is one the relevance rule ignores (relevance.py), so
    these anchors widen no skill's topic beyond its name and description."""
    topic = " ".join(name.split())
    about = _shorten(description, MAX_DESCRIPTION_IN_ANCHOR)
    detail = f" ({about[:1].lower()}{about[1:]})" if about else ""
    anchors = {
        "low": (
            f"Gives no first-hand example of {topic}: restates what it is, speaks in general terms, or "
            "says they have not done it."
        ),
        "mid": (
            f"Describes one real example of their own work with {topic}{detail}: what they did and why, "
            "with little on alternatives, figures or results."
        ),
        "high": (
            f"Gives several first-hand examples of {topic}{detail} with specifics (tools, figures), the "
            "trade-offs they weighed and a measured result or lesson."
        ),
    }
    return SkillAnchors(**{level: text[:MAX_ANCHOR_CHARS] for level, text in anchors.items()})


def anchors_for(skill: Skill) -> SkillAnchors:
    """The skill's anchors, each missing one filled in by default_anchors."""
    if skill.anchors.is_complete():
        return skill.anchors
    fallback = default_anchors(skill.name, skill.description)
    return SkillAnchors(
        low=skill.anchors.low or fallback.low,
        mid=skill.anchors.mid or fallback.mid,
        high=skill.anchors.high or fallback.high,
    )
