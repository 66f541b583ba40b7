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
        "I added freshness checks",  # inflected, and too short to be matched loosely
        "We migrated the overnight job to Airflow",  # two of seven words changed
        "I added a freshness check ... never reached the dashboard",  # spliced from two places
        "Partial data reached the dashboard until I added a check",  # the same words, another claim
    ],
)
def test_a_paraphrase_is_rejected(paraphrase: str) -> None:
    result = ground_quotes([paraphrase], CANDIDATE)
    assert result.kept == []
    assert result.dropped == 1


@pytest.mark.parametrize(
    ("tidied", "span"),
    [
        # punctuation dropped across a sentence boundary: the same words
        (
            "the nightly load to Airflow. I added a freshness check so partial",
            "the nightly load to Airflow. I added a freshness check,\nso partial",
        ),
        ("I added a data freshness check", "I added a freshness check"),  # one word inserted
        ("We migrated the nightly load to Airflow", "We moved the nightly load to Airflow"),  # one in seven
    ],
)
def test_a_tidied_quote_is_kept_as_the_transcript_holds_it(tidied: str, span: str) -> None:
    result = ground_quotes([tidied], CANDIDATE)
    assert [q.text for q in result.kept] == [" ".join(span.split())]
    assert result.dropped == 0


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


# -- noisy transcripts ----------------------------------------------------------------------------
# Real speech recognition: fillers, stutters, repeated words, a misheard term, digits as words, an
# utterance split over two turns. The model writes the same answers down cleanly.
NOISY = [
    (1, "so um we, we moved the the nightly load to to Airflow, uh, and I added like a freshness"),
    (2, "check so that, you know, partial data never reached the dashboard"),
    (4, "I've I've been running kubernetis for about five years, mostly on GKE, I mean in production"),
    (6, "honestly I haven't used Kafka in production, only in a course"),
]
INTERVIEWER_SAID = "Have you used Kafka in production at scale for streaming ingestion?"


@pytest.mark.parametrize(
    "tidied",
    [
        "We moved the nightly load to Airflow and I added a freshness check",  # fillers, stutters
        "I added a freshness check so that partial data never reached the dashboard",  # over two turns
        "I have been running Kubernetes for about 5 years, mostly on GKE",  # contraction, spelling, digit
        "I haven't used Kafka in production, only in a course.",
    ],
)
def test_tidied_quotes_of_a_noisy_transcript_are_kept_with_the_candidates_own_words(tidied: str) -> None:
    result = ground_quotes([tidied], NOISY)
    assert result.dropped == 0
    [kept] = result.kept
    assert kept.text in " ".join(text for _, text in NOISY)  # the transcript's words, not the model's


@pytest.mark.parametrize(
    "invented",
    [
        "I led a team of ten engineers building a Kafka platform",  # never said
        "I have used Kafka in production at scale",  # the opposite of what was said
        "We moved the nightly load to Spark and added monitoring",  # a different answer, same topic
        "I have been running Kubernetes for about five years on AWS and Azure",  # facts changed
    ],
)
def test_invented_quotes_are_refused_however_tidy(invented: str) -> None:
    result = ground_quotes([invented], NOISY)
    assert result.kept == []
    assert result.dropped == 1


def test_the_interviewers_words_are_refused_even_when_the_candidate_echoes_some() -> None:
    """Only candidate turns are searched: a question quoted as evidence is dropped."""
    result = ground_quotes([INTERVIEWER_SAID], NOISY)
    assert result.kept == []
    assert result.dropped == 1


def test_turns_with_an_interviewer_turn_between_are_not_joined() -> None:
    """Turns 2 and 4 are both the candidate's, but the interviewer spoke in between (turn 3)."""
    quote = "partial data never reached the dashboard I have been running kubernetis for about five years"
    assert ground_quotes([quote], NOISY).dropped == 1


def test_noise_normalisation_is_documented_by_its_constants() -> None:
    from interview_core.domain import grounding

    assert grounding.FUZZY_THRESHOLD == 0.85
    assert grounding.FUZZY_MIN_WORDS >= 5
    assert {"um", "uh", "like"} <= grounding.FILLERS
    assert ("you", "know") in grounding.FILLER_PAIRS
