"""Calibration: the local evaluator and the production report rules rank the golden set as intended.

Every golden transcript with a `level` is graded through `interview_core.evaluation.produce_report` (prompt,
adapter, report rules) with the local emulator answering in process, and the scores are compared with
the intended order strong > adequate > weak = vague > off_topic = manipulative (bench/calibration.py
defines it precisely). Run with `-s` to see the table.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, cast

import pytest

from bench import eval_real
from bench.calibration import (
    MIN_SPEARMAN,
    TIERS,
    Calibration,
    LocalClient,
    Row,
    calibrate,
    grade,
    load_golden,
    row_of,
    spearman,
    table,
)

if TYPE_CHECKING:
    from google import genai

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def calibration() -> Calibration:
    client = LocalClient()
    result = calibrate(
        [row_of(golden, grade(golden, cast("genai.Client", client))) for golden in load_golden()]
    )
    print("\n" + table(result))
    return result


def test_the_golden_set_spans_levels_roles_and_languages() -> None:
    golden = load_golden()
    assert len(golden) >= 11
    assert set(TIERS) <= {g.level for g in golden}, "every level has a transcript"
    assert {g.language for g in golden} - {"en"}, "at least one interview is not in English"
    levels_per_role: dict[str, set[str]] = defaultdict(set)
    for g in golden:
        levels_per_role[g.role].add(g.level)
    assert len(levels_per_role) >= 4
    assert sum(1 for levels in levels_per_role.values() if len(levels) >= 2) >= 4, "ranking within roles"
    assert Counter(g.level for g in golden)["strong"] >= 3


def test_the_local_evaluator_ranks_the_golden_set_as_intended(calibration: Calibration) -> None:
    assert calibration.rho >= MIN_SPEARMAN
    assert calibration.problems == []
    assert calibration.passed


def test_strong_candidates_are_recommended_hire_or_better(calibration: Calibration) -> None:
    strong = [r for r in calibration.rows if r.level == "strong"]
    assert strong
    assert {r.recommendation for r in strong} <= {"hire", "strong_hire"}


def test_levels_never_tie_within_a_role(calibration: Calibration) -> None:
    by_role: dict[str, list[Row]] = defaultdict(list)
    for row in calibration.rows:
        by_role[row.role].append(row)
    for rows in by_role.values():
        for high in rows:
            for low in rows:
                if high.tier > low.tier:
                    assert high.key > low.key, (high.name, low.name)


def test_relevant_weak_answers_score_above_saying_nothing_relevant(calibration: Calibration) -> None:
    """The failure this calibration was built for: weak-but-relevant and off-topic both scored 0."""
    weakest_relevant = min(r.key for r in calibration.rows if r.level in ("weak", "vague"))
    best_irrelevant = max(r.key for r in calibration.rows if r.level in ("off_topic", "manipulative"))
    assert weakest_relevant > best_irrelevant


def test_manipulation_gets_no_credit_and_is_flagged(calibration: Calibration) -> None:
    for row in calibration.rows:
        if row.level == "manipulative":
            assert row.key == 0
            assert row.red_flags >= 1
            assert row.recommendation in (None, "no_hire")


# -- the measure itself ------------------------------------------------------------------------------
def test_spearman_of_known_orders() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [40, 30, 20, 10]) == pytest.approx(-1.0)
    assert spearman([1, 1, 2, 2], [5, 6, 7, 8]) == pytest.approx(0.8944, abs=1e-4)  # ties: average ranks
    assert spearman([1, 2, 3], [7, 7, 7]) == 0.0
    with pytest.raises(ValueError, match="same length"):
        spearman([1, 2], [1])


def _row(name: str, role: str, level: str, score: int | None, recommendation: str | None = "no_hire") -> Row:
    return Row(name, role, "en", level, score, recommendation, 0, 4, 0)


def test_the_checks_catch_a_tie_within_a_role_and_a_strong_candidate_below_hire() -> None:
    rows = [
        _row("a", "Designer", "strong", 60, "lean_hire"),
        _row("b", "Designer", "adequate", 50),
        _row("c", "Designer", "weak", 0),
        _row("d", "Designer", "off_topic", None),  # no score counts as 0: a tie with the weak one
        _row("e", "SRE", "manipulative", 10),
        _row("f", "SRE", "strong", 90, "strong_hire"),
    ]
    result = calibrate(rows)
    assert any("c (weak, 0) does not score above d (off_topic, 0)" in p for p in result.problems)
    assert any("a: strong, but recommended lean_hire" in p for p in result.problems)
    assert any("e (manipulative, 10) scores above d (off_topic, 0)" in p for p in result.problems)
    assert not result.passed


# -- make eval-real ----------------------------------------------------------------------------------
def test_eval_real_without_a_key_exits_2_and_says_what_it_needs() -> None:
    env = {k: v for k, v in os.environ.items() if k != "GEMINI_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(ROOT, "functions"), ROOT])
    done = subprocess.run(
        [sys.executable, "-m", "bench.eval_real"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "GEMINI_API_KEY" in done.stderr
    assert "--local" in done.stderr
    assert done.stdout == ""


def test_eval_real_local_prints_the_table_and_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert eval_real.main(["--local"]) == 0
    out = capsys.readouterr().out
    assert "local emulator" in out
    assert "Spearman rank correlation with the intended order" in out
    for golden in load_golden():
        assert golden.name in out
    assert "PROBLEM" not in out
