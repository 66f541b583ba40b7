"""The rubric: points per score, the verdict from weighted evidence-backed scores, the coverage cap."""

from __future__ import annotations

import pytest

from interview_core.domain.rubric import (
    MIN_COVERAGE_FOR_HIRE,
    SCORE_LEVELS,
    Recommendation,
    WeightedScore,
    recommendation_for,
    rubric_text,
    score_points,
    verdict,
)

R = Recommendation


def test_scores_map_onto_0_to_100_with_3_in_the_middle() -> None:
    assert [score_points(s) for s in range(1, 6)] == [0, 25, 50, 75, 100]
    with pytest.raises(ValueError, match="1 to 5"):
        score_points(0)
    with pytest.raises(ValueError, match="1 to 5"):
        score_points(6)


@pytest.mark.parametrize(
    ("overall", "expected"),
    [(100, R.STRONG_HIRE), (80, R.STRONG_HIRE), (79, R.HIRE), (65, R.HIRE), (64, R.LEAN_HIRE),
     (50, R.LEAN_HIRE), (49, R.LEAN_NO_HIRE), (35, R.LEAN_NO_HIRE), (34, R.NO_HIRE), (0, R.NO_HIRE)],
)  # fmt: skip
def test_recommendation_thresholds(overall: int, expected: Recommendation) -> None:
    assert recommendation_for(overall) == expected


def test_the_overall_score_is_the_weighted_mean_of_assessed_skills() -> None:
    result = verdict([WeightedScore(0.6, 5), WeightedScore(0.4, 1)], planned_total_weight=1.0)
    assert result.overall_score == 60  # 0.6 * 100 + 0.4 * 0
    assert result.recommendation == R.LEAN_HIRE
    assert result.coverage == 1.0
    assert not result.capped


def test_weights_are_renormalised_over_the_assessed_skills_only() -> None:
    result = verdict([WeightedScore(0.3, 4), WeightedScore(0.3, 4)], planned_total_weight=1.0)
    assert result.overall_score == 75
    assert result.coverage == pytest.approx(0.6)
    assert result.recommendation == R.HIRE


def test_low_coverage_caps_the_recommendation_but_not_the_score() -> None:
    result = verdict([WeightedScore(0.2, 5)], planned_total_weight=1.0)
    assert result.coverage < MIN_COVERAGE_FOR_HIRE
    assert result.overall_score == 100
    assert result.recommendation == R.LEAN_HIRE
    assert result.capped
    low = verdict([WeightedScore(0.2, 1)], planned_total_weight=1.0)
    assert low.recommendation == R.NO_HIRE  # the cap never raises a recommendation
    assert not low.capped


def test_no_assessed_skill_means_no_score_and_no_recommendation() -> None:
    result = verdict([], planned_total_weight=1.0)
    assert result.overall_score is None
    assert result.recommendation is None
    assert result.coverage == 0


def test_the_rubric_states_what_1_3_and_5_mean_and_how_to_say_not_assessed() -> None:
    text = rubric_text()
    for score in (1, 3, 5):
        assert f"  {score}: {SCORE_LEVELS[score]}" in text
    assert "null: not assessed" in text
    assert "`low` describes a 1, `mid` a 3 and `high` a 5" in " ".join(text.split())
