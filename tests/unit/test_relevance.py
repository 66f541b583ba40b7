"""The relevance rule: which quotes speak to which skill, in several languages, by a stated rule."""

from __future__ import annotations

import pytest

from interview_core.domain.relevance import (
    STOP_WORDS,
    Line,
    SkillTopic,
    answer_context,
    asked_skill,
    content_terms,
    exchanges,
    speaks_to,
    stem,
)
from interview_core.domain.rubric import default_anchors

SQL = SkillTopic.of("SQL", "Writing correct, efficient SQL queries and designing relational schemas.")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("queries", "query"),
        ("pipelines", "pipeline"),
        ("Kundenzufriedenheit", "Kunden"),
        ("APIs", "API"),
        ("designing", "design"),
    ],
)
def test_inflections_and_compounds_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_a_four_letter_word_meets_its_longer_forms() -> None:
    topic = SkillTopic.of("Testing", "Automated tests and test data.")
    assert topic.spoken_to_in("we test every release")
    assert topic.spoken_to_in("the dataset was large")
    assert not topic.spoken_to_in("the weather in Lisbon")


def test_function_words_and_interview_words_are_never_content_in_any_language() -> None:
    for sentence in (
        "Tell me about a recent project where you solved a hard problem, with an example.",
        "Erzählen Sie von einem schwierigen Problem in einem Projekt, mit einem konkreten Beispiel.",
        "Cuénteme un ejemplo de un problema difícil en un proyecto con su equipo.",
    ):
        assert content_terms(sentence) == frozenset(), sentence
    assert content_terms("UX and QA, not I or a") == {"ux", "qa"}


def test_a_quote_speaks_to_a_skill_by_itself_or_through_its_answer() -> None:
    assert speaks_to(SQL, "I rewrote the revenue query with window functions")
    assert not speaks_to(SQL, "I rewrote it with window functions")
    assert speaks_to(SQL, "I rewrote it with window functions", "Our SQL job was slow. I rewrote it with ...")
    assert not speaks_to(SQL, "I built an order service in Python", "I built an order service in Python")


def test_default_anchors_add_nothing_to_a_skills_topic_but_its_name_and_description() -> None:
    name, description = "Stakeholder management", "Aligning people with different goals on one plan."
    anchors = default_anchors(name, description)
    added = SkillTopic.of(name, description, anchors.texts()).terms.stems - content_terms(description)
    assert added <= content_terms(name, only_function_words=True)
    for text in anchors.texts():
        assert len(text) <= 300


def _lines(*turns: tuple[bool, str]) -> list[Line]:
    return [Line(seq, candidate, text) for seq, (candidate, text) in enumerate(turns)]


PLAN = [
    ("SQL", "Walk me through a hard problem you solved with SQL."),
    ("Python", "Tell me about a recent project where you relied on Python."),
]


def test_exchanges_begin_at_planned_questions_and_keep_their_follow_ups() -> None:
    lines = _lines(
        (False, "Hello, shall we begin?"),
        (True, "Yes, happy to."),
        (False, "Walk me through a hard problem you solved with SQL."),
        (True, "The month-end report query took forty minutes."),
        (False, "Can you give me a concrete example, with numbers?"),
        (True, "I rewrote it with window functions; it runs in ninety seconds now."),
        (False, "Tell me about a project where you relied on Python."),
        (True, "I wrote our ingestion library."),
    )
    cut = exchanges(lines, PLAN)
    assert [(e.skill, [a.seq for a in e.answers]) for e in cut] == [
        (None, [1]),
        ("SQL", [3, 5]),
        ("Python", [7]),
    ]
    assert answer_context(cut)[5].startswith("The month-end report query")


def test_without_a_plan_every_interviewer_turn_starts_an_exchange() -> None:
    lines = _lines((False, "First question?"), (True, "One."), (False, "Follow-up?"), (True, "Two."))
    assert [[a.text for a in e.answers] for e in exchanges(lines, [])] == [["One."], ["Two."]]


def test_an_interviewer_turn_that_names_exactly_one_skill_asks_about_it() -> None:
    topics = [SkillTopic.of("SQL"), SkillTopic.of("Python")]
    lines = _lines(
        (False, "And what about Python?"),
        (True, "I use it daily."),
        (False, "How do SQL and Python compare for you?"),
        (True, "Both are fine."),
    )
    cut = exchanges(lines, [], topics)
    assert [e.skill for e in cut] == ["Python"]  # a turn naming two skills asks about neither: a follow-up
    assert [a.seq for a in cut[0].answers] == [1, 3]
    assert asked_skill("How do SQL and Python compare for you?", [], topics) is None


def test_the_stop_list_keeps_skill_words() -> None:
    for word in (
        "sql",
        "python",
        "customer",
        "design",
        "pipeline",
        "incident",
        "kunden",
        "ventas",
        "quality",
    ):
        assert word not in STOP_WORDS


def test_a_skill_named_with_common_words_is_still_recognised() -> None:
    topic = SkillTopic.of("Problem solving", "Breaking down unfamiliar problems.")
    assert topic.spoken_to_in("We had a problem with the call bells at night.")
    lines = _lines(
        (False, "Describe a time when problem solving was hard for you."),
        (True, "We had a problem with the call bells."),
    )
    plan = [
        ("Communication", "Describe a time when communication was hard for you."),
        *[("Problem solving", lines[0].text)],
    ]
    assert exchanges(lines, plan, [topic])[0].skill == "Problem solving"


def test_planned_questions_count_only_for_skills_without_anchors_of_their_own() -> None:
    question = "Tell me about the Lisbon migration where you relied on SQL."
    own = SkillTopic.of_skill(
        "SQL", "Writing SQL.", ("No query.", "One query.", "Query plans, indexes."), [question]
    )
    planned_before = SkillTopic.of_skill("SQL", "Writing SQL.", ("", "", ""), [question])
    assert not own.spoken_to_in("We moved to Lisbon last year.")  # echoing the question is not the topic
    assert planned_before.spoken_to_in("We moved to Lisbon last year.")  # the only words there are
