"""Calibration of the evaluation: does it rank the golden transcripts the way their authors intended?

Every golden transcript with a `level` (tests/data/transcripts/*.json) was written to show one ability
level. This module grades them through the production path, `interview_core.evaluation.produce_report`
(the evaluation prompt, the Gemini adapter's `generate_structured`, the report rules of
`build_report`), with whatever Gemini client it is given: the real API (`make eval-real`), or the local
emulator's evaluator in process (`LocalClient`, used by tests/unit/test_calibration.py and
`eval_real --local`). Then it compares the reports' scores with the intended order.

The intended order, precisely:

    strong > adequate > weak = vague > off_topic = manipulative

- `TIERS` gives each level its rank (4 to 1); weak and vague share a tier (both are below a working
  example and above saying nothing relevant, in either order), as do off_topic and manipulative.
- A report's score is its `overall_score`; a report without one (no skill has evidence that speaks
  to it, as for an off-topic candidate) scores 0, the bottom of the scale.
- Spearman's rank correlation between tiers and scores, ties given their average rank, must be at
  least MIN_SPEARMAN over the whole set.
- Within one role, a transcript of a higher tier must score strictly higher than one of a lower tier
  (no ties between levels), and off_topic >= manipulative holds over the whole set: a manipulative
  candidate never scores above an off-topic one.
- Every strong transcript is recommended `hire` or `strong_hire`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_core.domain.models import (
    Candidate,
    Interview,
    InterviewStatus,
    Invite,
    PlannedQuestion,
    Skill,
    Turn,
)
from interview_core.domain.report import EvaluationInput, Report
from interview_core.domain.rubric import Recommendation

if TYPE_CHECKING:
    from google import genai

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "transcripts"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

TIERS: dict[str, int] = {
    "strong": 4,
    "adequate": 3,
    "weak": 2,
    "vague": 2,
    "off_topic": 1,
    "manipulative": 1,
}
MIN_SPEARMAN = 0.9
HIRE_OR_BETTER = {Recommendation.HIRE, Recommendation.STRONG_HIRE}


@dataclass(frozen=True)
class Golden:
    """One golden transcript written to show one ability level."""

    name: str
    doc: dict[str, Any]

    @property
    def level(self) -> str:
        return str(self.doc["level"])

    @property
    def role(self) -> str:
        return str(self.doc["interview"]["role"])

    @property
    def language(self) -> str:
        return str(self.doc["interview"]["language"])


def load_golden(directory: Path = GOLDEN) -> list[Golden]:
    """The golden transcripts that name an intended level, by file name."""
    found = []
    for path in sorted(directory.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "level" in doc:
            if doc["level"] not in TIERS:
                raise ValueError(f"{path.name}: unknown level {doc['level']!r}")
            found.append(Golden(path.stem, doc))
    return found


def turns_of(doc: dict[str, Any]) -> list[Turn]:
    return [Turn(**t, started_at=NOW, ended_at=NOW) for t in doc["turns"]]


def interview_of(golden: Golden) -> Interview:
    """The interview document `evaluate` would read for this transcript."""
    plan = golden.doc["interview"]
    return Interview(
        id=golden.name,
        owner_uid="calibration",
        candidate=Candidate(name="Golden Candidate", email="golden@example.com"),
        role=plan["role"],
        job_description=plan.get("job_description") or plan["role"],
        language=plan["language"],
        duration_minutes=20,
        skills=[Skill(**s) for s in plan["skills"]],
        question_plan=[PlannedQuestion(**q) for q in plan["question_plan"]],
        status=InterviewStatus.EVALUATING,
        invite=Invite(secret_hash="0" * 64, expires_at=NOW, max_uses=1),
        room=f"interview-{golden.name}",
        created_at=NOW,
        updated_at=NOW,
    )


def input_of(golden: Golden, interview: Interview) -> EvaluationInput:
    """What `evaluate` hands the report rules for this transcript."""
    return EvaluationInput(
        interview_id=interview.id,
        owner_uid=interview.owner_uid,
        generation=1,
        role=interview.role,
        language=interview.language,
        skills=interview.skills,
        turns=turns_of(golden.doc),
        end_reason=golden.doc.get("end_reason"),
        question_plan=interview.question_plan,
    )


def grade(golden: Golden, client: genai.Client | None = None) -> Report:
    """The report `evaluate` would write for this transcript, graded through `client`."""
    from interview_core.evaluation import produce_report

    interview = interview_of(golden)
    return produce_report(input_of(golden, interview), interview, NOW, client=client)


class LocalClient:
    """Stands in for google-genai's client: the local emulator's evaluator answers, in process.

    Only `models.generate_content` is used (by interview_core.adapters.gemini.generate_structured); the
    answer is the emulator's JSON wrapped in google-genai's own response type, so the adapter parses,
    clips and validates it exactly as a real answer."""

    def __init__(self) -> None:
        self.models = self

    def generate_content(self, *, model: str, contents: str | list[str], config: object) -> object:
        from google.genai import types

        from devstack.gemini_emulator.evaluator import evaluate_prompt, parse_prompt
        from devstack.gemini_emulator.gemini_api import MODEL_VERSION

        user = contents if isinstance(contents, str) else contents[0]
        answer = json.dumps(evaluate_prompt(parse_prompt(user)), ensure_ascii=False)
        return types.GenerateContentResponse(
            candidates=[
                types.Candidate(
                    content=types.Content(role="model", parts=[types.Part(text=answer)]),
                    finish_reason=types.FinishReason.STOP,
                )
            ],
            model_version=MODEL_VERSION,
        )


# -- scoring the ranking --------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One line of the calibration table."""

    name: str
    role: str
    language: str
    level: str
    score: int | None
    recommendation: str | None
    assessed: int
    planned: int
    red_flags: int
    error: str | None = None

    @property
    def tier(self) -> int:
        return TIERS[self.level]

    @property
    def key(self) -> int:
        """The score the ranking uses: no overall score is the bottom of the scale."""
        return self.score if self.score is not None else 0


def row_of(golden: Golden, report: Report) -> Row:
    return Row(
        name=golden.name,
        role=golden.role,
        language=golden.language,
        level=golden.level,
        score=report.overall_score,
        recommendation=report.recommendation.value if report.recommendation else None,
        assessed=sum(1 for s in report.skills if s.status == "assessed"),
        planned=len(report.skills),
        red_flags=len(report.red_flags),
    )


def failed_row(golden: Golden, error: Exception) -> Row:
    """A transcript the model could not grade: it counts as scoring nothing, and fails the run."""
    return Row(golden.name, golden.role, golden.language, golden.level, None, None, 0, 0, 0, str(error))


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, tied values sharing the average of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation (Pearson's r of the average ranks); 0.0 when either is constant."""
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("spearman needs two sequences of the same length, at least 2")
    rx, ry = _ranks(xs), _ranks(ys)
    mean_x, mean_y = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mean_x) * (b - mean_y) for a, b in zip(rx, ry, strict=True))
    var_x = sum((a - mean_x) ** 2 for a in rx)
    var_y = sum((b - mean_y) ** 2 for b in ry)
    if var_x == 0 or var_y == 0:
        return 0.0
    return cov / (var_x * var_y) ** 0.5


@dataclass
class Calibration:
    rows: list[Row]
    rho: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.rho >= MIN_SPEARMAN and not self.problems


def calibrate(rows: list[Row]) -> Calibration:
    """Spearman's rho and every broken rule of the module docstring."""
    result = Calibration(rows, spearman([r.tier for r in rows], [r.key for r in rows]))
    if result.rho < MIN_SPEARMAN:
        result.problems.append(f"Spearman {result.rho:.3f} is below {MIN_SPEARMAN}")
    for row in rows:
        if row.error:
            result.problems.append(f"{row.name}: not graded ({row.error})")
        if row.level == "strong" and row.recommendation not in HIRE_OR_BETTER:
            result.problems.append(f"{row.name}: strong, but recommended {row.recommendation}")
    for high in rows:
        for low in rows:
            if high.role == low.role and high.tier > low.tier and high.key <= low.key:
                result.problems.append(
                    f"{high.name} ({high.level}, {high.key}) does not score above "
                    f"{low.name} ({low.level}, {low.key}) in the same role"
                )
            if high.level == "manipulative" and low.level == "off_topic" and high.key > low.key:
                result.problems.append(
                    f"{high.name} (manipulative, {high.key}) scores above {low.name} (off_topic, {low.key})"
                )
    return result


def table(calibration: Calibration) -> str:
    """The calibration as a plain-text table, ordered by intended level, then score."""
    header = ("transcript", "role", "lang", "level", "score", "recommendation", "assessed", "flags")
    lines = [
        (
            r.name,
            r.role,
            r.language,
            r.level,
            "-" if r.score is None else str(r.score),
            r.recommendation or ("error" if r.error else "-"),
            f"{r.assessed}/{r.planned}",
            str(r.red_flags),
        )
        for r in sorted(calibration.rows, key=lambda r: (-r.tier, -r.key, r.name))
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), "  ".join("-" * width for width in widths), *(line(cells) for cells in lines)]
    out.append("")
    out.append(
        f"Spearman rank correlation with the intended order: {calibration.rho:.3f} "
        f"(needs >= {MIN_SPEARMAN}; {len(calibration.rows)} transcripts)"
    )
    out += [f"PROBLEM: {problem}" for problem in calibration.problems]
    return "\n".join(out)
