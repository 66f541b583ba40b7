"""Evidence grounding: only the candidate's verbatim words count as evidence."""

from __future__ import annotations

import pytest

from interview_core.domain.grounding import MAX_QUOTES_PER_ITEM, find_span, ground_quotes, normalise

TURN = (
    "We moved the nightly load to Airflow.   I added a freshness check,\n"
    "so partial data never reached the dashboard."
)
CANDIDATE = [(1, TURN), (3, "I have never used Kafka in production, only in a course.")]


def test_an_exact_span_is_kept_as_the_transcript_holds_it() -> None:
    result = ground_quotes(["I added a freshness check"], CANDIDATE)
    assert [q.text for q in result.kept] == ["I added a freshness check"]
    assert result.kept[0].turn_seq == 1
    assert result.dropped == 0


def test_whitespace_and_case_are_normalised_and_the_original_span_is_returned() -> None:
    quote = "i ADDED a freshness check, so partial   data never reached the dashboard"
    result = ground_quotes([quote], CANDIDATE)
    assert [q.text for q in result.kept] == [
        "I added a freshness check,\nso partial data never reached the dashboard"
    ]


def test_wrapping_quotation_marks_ellipses_and_a_final_full_stop_are_ignored() -> None:
    result = ground_quotes(["\u201c...we moved the nightly load to Airflow.\u201d"], CANDIDATE)
    assert [q.text for q in result.kept] == ["We moved the nightly load to Airflow"]


@pytest.mark.parametrize(
    "paraphrase",
    [
        "I added a data freshness check",  # a word inserted
        "I added freshness checks",  # inflected
        "We migrated the nightly load to Airflow",  # a synonym
        "the nightly load to Airflow. I added a freshness check so partial",  # punctuation changed
        "I added a freshness check ... never reached the dashboard",  # shortened in the middle
    ],
)
def test_a_paraphrase_is_rejected(paraphrase: str) -> None:
    result = ground_quotes([paraphrase], CANDIDATE)
    assert result.kept == []
    assert result.dropped == 1


def test_a_quote_must_start_and_end_on_word_boundaries() -> None:
    # "used Kafka in production" is inside the turn, but "ever used Kafka" would flip its meaning.
    assert find_span(CANDIDATE[1][1], "ever used Kafka in production") is None
    assert find_span(CANDIDATE[1][1], "never used Kafka in production") == "never used Kafka in production"
    assert find_span("we rebuilt it", "built it") is None


def test_the_interviewers_words_are_never_evidence() -> None:
    interviewer_only = "Tell me about your Kafka experience"
    result = ground_quotes([interviewer_only], CANDIDATE)
    assert result.kept == []
    assert result.dropped == 1


def test_a_quote_may_not_merge_two_turns() -> None:
    merged = "never reached the dashboard. I have never used Kafka"
    assert ground_quotes([merged], CANDIDATE).dropped == 1


def test_too_short_quotes_prove_nothing_and_are_dropped() -> None:
    result = ground_quotes(["Airflow", "I added"], CANDIDATE)
    assert result.kept == []
    assert result.dropped == 2


def test_duplicates_are_kept_once_and_the_number_is_bounded() -> None:
    quotes = ["I added a freshness check", "i added a FRESHNESS check"]
    assert len(ground_quotes(quotes, CANDIDATE).kept) == 1
    many = [f"word{i} " * 3 for i in range(10)]
    text = " ".join(many)
    result = ground_quotes(many, [(0, text)])
    assert len(result.kept) == MAX_QUOTES_PER_ITEM
    assert result.dropped == 0


def test_normalise_touches_only_whitespace_and_case() -> None:
    assert normalise("  Straße\tAND\n  co.  ") == "strasse and co."
    assert normalise("it's") != normalise("it\u2019s")


def test_case_folding_that_changes_length_maps_back_to_the_original() -> None:
    assert find_span("Die Straße war lang und breit", "STRASSE war lang") == "Straße war lang"
