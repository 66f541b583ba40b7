"""The report: the response schema's bounds and every rule between the model's output and reports/{id}."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from interview_core.domain.grounding import ground_quotes
from interview_core.domain.models import PlannedQuestion, Skill, Turn, TurnRole
from interview_core.domain.report import (
    NO_MODEL,
    Assessment,
    EvaluationInput,
    EvaluationOutput,
    build_report,
    candidate_turns,
    insufficient_transcript_report,
    mentions_voice_or_emotion,
    too_short_to_evaluate,
)
from interview_core.domain.rubric import COMPETENCIES, anchors_for

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SKILLS = [
    Skill(
        name="SQL", description="Writing correct, efficient SQL queries and designing schemas.", weight=0.5
    ),
    Skill(name="Python", description="Writing clear, tested Python.", weight=0.3),
    Skill(name="Kubernetes", description="Running services in containers on Kubernetes.", weight=0.2),
]
SQL_ANSWER = "I rewrote the revenue query with window functions and it went from 40 minutes to 90 seconds."
PY_ANSWER = (
    "I wrote our ingestion library in Python with pydantic models and pytest fixtures for every source."
)


def turn(seq: int, role: TurnRole, text: str) -> Turn:
    return Turn(seq=seq, role=role, text=text, started_at=NOW, ended_at=NOW)


TURNS = [
    turn(0, TurnRole.AGENT, "Tell me about a hard SQL problem you solved."),
    turn(1, TurnRole.CANDIDATE, SQL_ANSWER),
    turn(2, TurnRole.AGENT, "And a recent Python project?"),
    turn(3, TurnRole.CANDIDATE, PY_ANSWER),
]
DATA = EvaluationInput("iv1", "owner1", 1, "Data Engineer", "en", SKILLS, TURNS, "completed")


def output(**changes: Any) -> EvaluationOutput:
    base: dict[str, Any] = {
        "skills": [
            {"name": "SQL", "probed": True, "score": 5, "rationale": "Concrete.", "evidence": [SQL_ANSWER]},
            {
                "name": "Python",
                "probed": True,
                "score": 3,
                "rationale": "Solid.",
                "evidence": [PY_ANSWER[:40]],
            },
            {
                "name": "Kubernetes",
                "probed": False,
                "score": None,
                "rationale": "Not discussed.",
                "evidence": [],
            },
        ],
        "competencies": [],
        "strengths": ["Precise about query performance."],
        "weaknesses": [],
        "red_flags": [],
        "improvement_areas": ["Kubernetes was not covered."],
        "summary": "A strong SQL engineer.",
        "overall_score": 99,
        "recommendation": "strong_hire",
    }
    base.update(changes)
    return EvaluationOutput.model_validate(base)


def build(out: EvaluationOutput, data: EvaluationInput = DATA) -> Any:
    return build_report(data, out, model="gemini-3.8-flash", prompt_version="evaluation-v2", now=NOW)


# -- the response schema ----------------------------------------------------------------------------
def test_the_schema_has_the_properties_the_local_emulator_recognises() -> None:
    properties = EvaluationOutput.model_json_schema()["properties"]
    assert {"overall_score", "recommendation"} <= set(properties)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("overall_score",), 101),
        (("overall_score",), -1),
        (("recommendation",), "maybe"),
        (("skills", 0, "score"), 0),
        (("skills", 0, "score"), 6),
        (("skills", 0, "evidence"), ["a quote long enough"] * 6),
        (("skills", 0, "name"), "x" * 81),
        (("summary",), "x" * 2001),
        (("strengths",), ["ok"] * 9),
    ],
)
def test_the_schema_refuses_out_of_bounds_values(path: tuple[Any, ...], value: Any) -> None:
    data = output().model_dump(mode="json")
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError):
        EvaluationOutput.model_validate(data)


def test_nothing_in_the_schema_can_hold_emotion_or_personality() -> None:
    text = str(EvaluationOutput.model_json_schema()).lower()
    for word in ("emotion", "personality", "tone", "voice", "confidence", "sentiment"):
        assert word not in text


# -- building the report ----------------------------------------------------------------------------
def test_scores_with_verbatim_evidence_count_and_the_verdict_is_computed_in_code() -> None:
    report = build(output())
    sql, python, _ = report.skills
    assert (sql.status, sql.score, sql.evidence) == ("assessed", 5, [SQL_ANSWER.rstrip(".")])
    assert sql.evidence_turns == [1]
    assert (python.status, python.score) == ("assessed", 3)
    # 0.5 * 100 + 0.3 * 50 over 0.8 of the weight: 81, whatever the model suggested.
    assert report.overall_score == 81
    assert report.recommendation == "strong_hire"
    assert report.model_suggestion is not None
    assert report.model_suggestion.overall_score == 99
    assert report.weight_covered == pytest.approx(0.8)
    assert report.assessment == Assessment.SCORED
    assert report.owner_uid == "owner1"
    assert report.model == "gemini-3.8-flash"


def test_a_skill_never_probed_is_not_assessed_and_not_scored() -> None:
    kubernetes = build(output()).skills[2]
    assert kubernetes.status == "not_assessed"
    assert kubernetes.score is None
    assert kubernetes.status_note == "not assessed: never probed"
    coverage = {c.skill: c.probed for c in build(output()).coverage}
    assert coverage == {"SQL": True, "Python": True, "Kubernetes": False}


def test_a_score_whose_quotes_are_paraphrases_is_withheld_and_excluded() -> None:
    skills = output().model_dump()["skills"]
    skills[1]["evidence"] = ["I built an ingestion library in Python using pydantic"]  # paraphrase
    report = build(output(skills=skills))
    python = report.skills[1]
    assert python.status == "no_evidence"
    assert python.score is None
    assert python.model_score == 3
    assert python.dropped_quotes == 1
    assert report.overall_score == 100  # SQL alone
    assert report.evidence_check.quotes_dropped == 1
    assert any("Score withheld" in note and "Python" in note for note in report.status_notes)
    assert any("1 quote(s) dropped" in note for note in report.status_notes)


def test_a_report_resting_on_no_evidence_says_so() -> None:
    skills = output().model_dump()["skills"]
    for skill in skills:
        skill["evidence"] = ["The candidate is a great engineer overall"]
    report = build(output(skills=skills))
    assert report.overall_score is None
    assert report.recommendation is None
    assert report.assessment == Assessment.NO_EVIDENCE
    assert any("no overall score" in note for note in report.status_notes)


def test_the_model_cannot_add_skills_or_rename_the_plan() -> None:
    skills = [
        *output().model_dump()["skills"],
        {"name": "Charisma", "probed": True, "score": 5, "evidence": []},
    ]
    report = build(output(skills=skills))
    assert [s.name for s in report.skills] == ["SQL", "Python", "Kubernetes"]
    assert report.evidence_check.unknown_items_dropped == 1


def test_a_skill_the_model_forgot_is_not_assessed() -> None:
    skills = output().model_dump()["skills"][:1]
    report = build(output(skills=skills))
    assert report.skills[1].status == "not_assessed"
    assert report.skills[1].status_note == "not assessed: the model did not rate it"


def test_low_coverage_is_flagged_and_caps_the_recommendation() -> None:
    skills = output().model_dump()["skills"]
    skills[0].update(score=None, evidence=[])  # only Python (0.3 of the weight) remains
    skills[1].update(score=5)
    report = build(output(skills=skills))
    assert report.overall_score == 100
    assert report.recommendation == "lean_hire"
    assert report.assessment == Assessment.PARTIAL_COVERAGE
    assert any("capped" in note for note in report.status_notes)


def test_statements_about_voice_or_emotion_are_removed() -> None:
    report = build(
        output(
            strengths=["Sounded confident throughout.", "Precise about query performance."],
            weaknesses=["Seemed nervous when asked about Kubernetes."],
            summary="The candidate's tone was anxious, but the answers were strong.",
        )
    )
    assert report.strengths == ["Precise about query performance."]
    assert report.weaknesses == []
    assert "anxious" not in report.summary
    assert report.evidence_check.statements_removed == 3
    assert mentions_voice_or_emotion("He has a strong accent")
    assert not mentions_voice_or_emotion("Owns the brand voice guidelines")  # a job skill, not the candidate


def test_competencies_are_the_rubrics_and_ungrounded_ones_are_not_scored() -> None:
    report = build(
        output(competencies=[{"name": "Communication", "probed": True, "score": 4, "evidence": [SQL_ANSWER]}])
    )
    assert [c.name for c in report.competencies] == [name for name, _ in COMPETENCIES]
    assert report.competencies[0].score == 4
    assert all(c.score is None for c in report.competencies[1:])


# -- empty transcripts ------------------------------------------------------------------------------
def test_an_empty_or_very_short_transcript_is_not_sent_to_a_model() -> None:
    assert too_short_to_evaluate([])
    assert too_short_to_evaluate([turn(0, TurnRole.AGENT, "word " * 500), turn(1, TurnRole.CANDIDATE, "Hi.")])
    assert not too_short_to_evaluate(TURNS)
    report = insufficient_transcript_report(
        EvaluationInput("iv1", "owner1", 1, "Data Engineer", "en", SKILLS, [], "candidate_left"),
        prompt_version="evaluation-v2",
        now=NOW,
    )
    assert report.model == NO_MODEL
    assert report.assessment == Assessment.INSUFFICIENT_TRANSCRIPT
    assert report.overall_score is None
    assert report.recommendation is None
    assert all(s.status == "not_assessed" and s.score is None for s in report.skills)
    assert "The candidate said nothing" in report.summary
    assert report.owner_uid == "owner1"


def test_clipped_places_are_counted_and_named_in_the_notes() -> None:
    report = build_report(
        DATA,
        output(),
        model="gemini-3.8-flash",
        prompt_version="evaluation-v2",
        now=NOW,
        clipped=["summary", "skills[0].rationale"],
    )
    assert report.evidence_check.fields_clipped == 2
    assert any("summary, skills[0].rationale" in note for note in report.status_notes)


def test_a_declined_evaluation_is_a_report_that_says_so_without_scores() -> None:
    from interview_core.domain.report import Assessment, declined_report

    report = declined_report(
        DATA,
        reason="answer blocked (SAFETY)",
        model="gemini-3.8-flash",
        prompt_version="evaluation-v2",
        now=NOW,
    )
    assert report.assessment == Assessment.MODEL_DECLINED
    assert (report.overall_score, report.recommendation, report.model_suggestion) == (None, None, None)
    assert {item.status for item in report.skills + report.competencies} == {"not_assessed"}
    assert "declined" in report.summary
    assert "SAFETY" in report.status_notes[0]


# -- evidence must speak to its skill ---------------------------------------------------------------
SERVICE_ANSWER = (
    "I built an order service in Python with asyncio and pytest, and it handles about two thousand "
    "orders a minute."
)
API_SKILLS = [
    Skill(name="Python", description="Writing clear, idiomatic and tested Python.", weight=0.4),
    Skill(
        name="SQL", description="Writing correct, efficient SQL queries and designing schemas.", weight=0.3
    ),
    Skill(name="API design", description="Designing clear, versioned and well-documented APIs.", weight=0.3),
]
API_PLAN = [
    PlannedQuestion(skill="Python", question="Tell me about a recent project where you relied on Python."),
    PlannedQuestion(skill="SQL", question="Walk me through a hard problem you solved with SQL."),
    PlannedQuestion(skill="API design", question="How do you design an API that other teams depend on?"),
]


def _repeated_answer_interview() -> EvaluationInput:
    """A voice interview in which every question gets the same sentence about a Python service."""
    turns = []
    for number, planned in enumerate(API_PLAN):
        turns.append(turn(2 * number, TurnRole.AGENT, planned.question))
        turns.append(turn(2 * number + 1, TurnRole.CANDIDATE, SERVICE_ANSWER))
    return EvaluationInput(
        "iv2", "owner1", 1, "Backend Engineer", "en", API_SKILLS, turns, "completed", question_plan=API_PLAN
    )


def _cited_for_everything(score: int = 4) -> EvaluationOutput:
    return output(
        skills=[
            {
                "name": s.name,
                "probed": True,
                "score": score,
                "rationale": "Concrete.",
                "evidence": [SERVICE_ANSWER],
            }
            for s in API_SKILLS
        ],
        overall_score=75,
        recommendation="hire",
    )


def test_a_python_sentence_cited_for_sql_and_api_design_evidences_only_python() -> None:
    data = _repeated_answer_interview()
    assert ground_quotes([SERVICE_ANSWER], candidate_turns(data.turns)).kept  # verbatim: grounding keeps it
    report = build(_cited_for_everything(), data)
    python, sql, api = report.skills
    assert (python.status, python.score, python.off_skill_quotes) == ("assessed", 4, 0)
    for item in (sql, api):
        assert (item.status, item.score, item.model_score) == ("no_evidence", None, 4)
        assert item.evidence == []
        assert item.off_skill_quotes == 1
        assert item.dropped_quotes == 0  # the words are the candidate's: grounding alone would keep them
        assert item.status_note is not None
        assert "do not speak to this skill" in item.status_note
    assert report.evidence_check.quotes_off_skill == 2
    assert report.evidence_check.quotes_kept == 1
    # The verdict rests on Python alone: 40 % of the planned weight, so no hire on it.
    assert report.weight_covered == pytest.approx(0.4)
    assert report.assessment == Assessment.PARTIAL_COVERAGE
    assert report.recommendation == "lean_hire"
    assert any("not about the skill they were cited for" in note for note in report.status_notes)


def test_a_quote_counts_when_its_answer_names_the_skill_even_if_the_sentence_does_not() -> None:
    answer = (
        "Our SQL reporting job timed out at month end. I rewrote it with window functions, and it went "
        "from 40 minutes to 90 seconds."
    )
    turns = [
        turn(0, TurnRole.AGENT, API_PLAN[1].question),
        turn(1, TurnRole.CANDIDATE, answer),
        turn(2, TurnRole.AGENT, "Can you give me a concrete example, with numbers?"),
        turn(
            3,
            TurnRole.CANDIDATE,
            "The nightly export also stopped failing after I added an index on the date.",
        ),
    ]
    data = EvaluationInput("iv3", "o", 1, "Backend Engineer", "en", API_SKILLS, turns, "completed", API_PLAN)
    cited = output(
        skills=[
            {
                "name": "SQL",
                "probed": True,
                "score": 4,
                "evidence": [
                    "I rewrote it with window functions",  # names no skill; its answer names SQL
                    # a follow-up answer: its exchange names SQL
                    "The nightly export also stopped failing after I added an index on the date",
                ],
            }
        ]
    )
    sql = build(cited, data).skills[1]
    assert (sql.status, sql.score, sql.off_skill_quotes) == ("assessed", 4, 0)
    assert sql.evidence_turns == [1, 3]


def test_an_off_topic_answer_to_a_skills_question_is_no_evidence_for_it() -> None:
    turns = [
        turn(0, TurnRole.AGENT, API_PLAN[1].question),
        turn(
            1,
            TurnRole.CANDIDATE,
            "My team won the cup this weekend and the whole town celebrated until late.",
        ),
        turn(2, TurnRole.AGENT, API_PLAN[0].question),
        turn(3, TurnRole.CANDIDATE, SERVICE_ANSWER),
    ]
    data = EvaluationInput("iv4", "o", 1, "Backend Engineer", "en", API_SKILLS, turns, "completed", API_PLAN)
    cited = output(
        skills=[
            {"name": "SQL", "probed": True, "score": 1, "evidence": ["My team won the cup this weekend"]},
            {"name": "Python", "probed": True, "score": 3, "evidence": [SERVICE_ANSWER]},
        ]
    )
    report = build(cited, data)
    assert report.skills[1].status == "no_evidence"
    assert report.skills[0].status == "assessed"


def test_competency_quotes_are_grounded_but_not_tied_to_a_skill() -> None:
    report = build(
        output(competencies=[{"name": "Communication", "probed": True, "score": 4, "evidence": [PY_ANSWER]}])
    )
    assert report.competencies[0].evidence == [PY_ANSWER.rstrip(".")]
    assert report.competencies[0].off_skill_quotes == 0


def test_interviews_planned_before_anchors_still_parse_and_are_judged_by_name_and_description() -> None:
    stored = {"name": "SQL", "description": "Writing SQL queries.", "weight": 1.0}
    skill = Skill.model_validate(stored)
    assert not skill.anchors.is_complete()
    assert anchors_for(skill).is_complete()
    assert "SQL" in anchors_for(skill).mid
