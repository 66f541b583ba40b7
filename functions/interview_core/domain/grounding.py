"""Evidence grounding: a quote counts only if the candidate actually said it. Pure.

A model's "quote" may be a paraphrase, a merge of two answers, or words of the interviewer; it may
also be the candidate's words tidied up, because real transcripts are fragmentary ("so um we, we
moved the the nightly load to to Airflow") and models write them down cleanly. Each quote is checked
against the candidate's turns only (never the interviewer's), in three steps:

1. verbatim: after normalising whitespace and case only, a contiguous span of one candidate turn that
   starts and ends on word boundaries (so "ever used" is not found inside "never used");
2. the same words: after normalising punctuation, case, contractions ("I've" = "I have"), number
   words ("five" = "5"), fillers ("um", "uh", "you know", "I mean", "like", "sort of"...) and
   stutters ("the the"), the quote's words are a contiguous run of the candidate's words;
3. nearly the same words, for quotes of at least FUZZY_MIN_WORDS such words: some window of the
   candidate's words (within one turn, or across candidate turns that follow each other with no
   interviewer turn between) has a token similarity 2·M / (quote words + window words) of at least
   FUZZY_THRESHOLD, M being the longest common subsequence of the two, where words also match when
   a transcriber spelled them slightly differently (5+ letters, same first two, 80% alike; never
   for numbers or negations). At 0.85 one word in seven may differ; an invented sentence, or a
   different answer about the same topic, stays far below.

What is kept is always the span as the transcript holds it, never the model's spelling of it, so a
tidied quote shows the candidate's own words in the report. A quote with an ellipsis inside (two
pieces spliced together), a too-short quote, or one found nowhere is dropped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

MIN_QUOTE_CHARS = 12
MIN_QUOTE_WORDS = 3
MAX_QUOTE_CHARS = 600
MAX_QUOTES_PER_ITEM = 5
FUZZY_THRESHOLD = 0.85
"""Token similarity a tidied quote needs (step 3 of the module docstring)."""
FUZZY_MIN_WORDS = 6
"""Shorter quotes must match word for word: one changed word in five is a different statement."""
PREFILTER_SHARE = 0.5
"""A stretch of turns is searched only if it has at least this share of the quote's distinct words."""

FILLERS = frozenset(
    {"um", "umm", "uh", "uhh", "uhm", "erm", "er", "ah", "eh", "hmm", "hm", "mm", "mhm", "like", "basically"}
)
FILLER_PAIRS = frozenset({("you", "know"), ("i", "mean"), ("sort", "of"), ("kind", "of")})
"""Removed from both the quote and the transcript, so a real "like" or "kind of" costs nothing."""
NEGATIONS = frozenset({"not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "cannot"})
_CONTRACTIONS = {
    "can't": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "let's": ("let", "us"),
    "i'm": ("i", "am"),
}
_SUFFIXES = (("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"), ("'s", "is"))
_NUMBERS = {
    word: str(value)
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
}
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")

_WRAPPERS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e`"
_TRAILING = ".,;:!?"
_ELLIPSES = ("...", "…")


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces, case folded; nothing else changes."""
    return " ".join(text.split()).casefold()


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of its source character."""
    out: list[str] = []
    index: list[int] = []
    pending_space = -1
    for position, char in enumerate(text):
        if char.isspace():
            if out and pending_space < 0:
                pending_space = position
            continue
        if pending_space >= 0:
            out.append(" ")
            index.append(pending_space)
            pending_space = -1
        folded = char.casefold()
        out.extend(folded)
        index.extend([position] * len(folded))
    return "".join(out), index


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _clean(quote: str) -> str:
    """Strip what models wrap quotes in (quotation marks, ellipses, a final full stop); the words stay."""
    text = quote.strip()
    changed = True
    while changed and text:
        changed = False
        for ellipsis in _ELLIPSES:
            if text.startswith(ellipsis):
                text, changed = text[len(ellipsis) :].strip(), True
            if text.endswith(ellipsis):
                text, changed = text[: -len(ellipsis)].strip(), True
        if text and text[0] in _WRAPPERS:
            text, changed = text[1:].strip(), True
        if text and text[-1] in _WRAPPERS + _TRAILING:
            text, changed = text[:-1].strip(), True
    return text


def find_span(turn_text: str, quote: str) -> str | None:
    """The span of `turn_text` that `quote` is (whitespace and case aside), or None."""
    needle = normalise(quote)
    if not needle:
        return None
    haystack, index = _normalise_with_map(turn_text)
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        starts_clean = start == 0 or not (_is_word_char(haystack[start - 1]) and _is_word_char(needle[0]))
        ends_clean = end == len(haystack) or not (_is_word_char(haystack[end]) and _is_word_char(needle[-1]))
        if starts_clean and ends_clean:
            return turn_text[index[start] : index[end - 1] + 1]
        start = haystack.find(needle, start + 1)
    return None


@dataclass(frozen=True)
class GroundedQuote:
    text: str
    """The span as the transcript holds it."""
    turn_seq: int


@dataclass(frozen=True)
class GroundingResult:
    kept: list[GroundedQuote]
    dropped: int


# -- words ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Word:
    token: str
    turn: int  # index into the stretch's turns
    start: int
    end: int


def _expand(raw: str) -> tuple[str, ...]:
    word = raw.casefold().replace("\u2019", "'")
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    for suffix, full in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return (word[: -len(suffix)], full)
    word = word.replace("'", "")
    return (_NUMBERS.get(word, word),)


def words(text: str, turn: int = 0) -> list[_Word]:
    """The normalised words of `text` with their character span (step 2 of the module docstring)."""
    out: list[_Word] = []
    for match in _WORD.finditer(text):
        for token in _expand(match.group()):
            if token and token not in FILLERS:
                out.append(_Word(token, turn, match.start(), match.end()))
    cleaned: list[_Word] = []
    for word in out:
        if cleaned and (cleaned[-1].token, word.token) in FILLER_PAIRS:
            cleaned.pop()
            continue
        if cleaned and cleaned[-1].token == word.token:
            continue  # a stutter: "the the"
        cleaned.append(word)
    return cleaned


@lru_cache(maxsize=65_536)
def _alike(a: str, b: str) -> bool:
    """Two words a transcriber could have spelled either way ("kubernetes" / "kubernetis")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[:2] != b[:2] or a in NEGATIONS or b in NEGATIONS:
        return False
    if any(c.isdigit() for c in a + b):
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.8


def _best_window(quote: list[str], stretch: list[_Word]) -> tuple[float, int, int]:
    """The window of `stretch` most similar to `quote`: (similarity, first index, last index)."""
    tokens = [w.token for w in stretch]
    n = len(quote)
    longest = int(n * (2 / FUZZY_THRESHOLD - 1)) + 1
    best = (0.0, -1, -1)
    for first, token in enumerate(tokens):
        if not any(_alike(token, q) for q in quote):
            continue  # a best window starts on a matching word
        previous = [0] * (n + 1)
        for last in range(first, min(len(tokens), first + longest)):
            current = [0] * (n + 1)
            for i in range(1, n + 1):
                if _alike(tokens[last], quote[i - 1]):
                    current[i] = previous[i - 1] + 1
                else:
                    current[i] = max(previous[i], current[i - 1])
            previous = current
            score = 2 * current[n] / (n + last - first + 1)
            if score > best[0]:
                best = (score, first, last)
    return best


def _stretches(candidate_turns: Sequence[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Candidate turns grouped where they follow each other with no interviewer turn between."""
    groups: list[list[tuple[int, str]]] = []
    for seq, text in candidate_turns:
        if groups and groups[-1][-1][0] == seq - 1:
            groups[-1].append((seq, text))
        else:
            groups.append([(seq, text)])
    return groups


def _span(group: list[tuple[int, str]], first: _Word, last: _Word) -> GroundedQuote:
    """The transcript's own text from `first` to `last` (joined with a space across turns)."""
    pieces = []
    for index in range(first.turn, last.turn + 1):
        text = group[index][1]
        begin = first.start if index == first.turn else 0
        end = last.end if index == last.turn else len(text)
        pieces.append(" ".join(text[begin:end].split()))
    return GroundedQuote(" ".join(pieces), group[first.turn][0])


def _match(quote: str, candidate_turns: Sequence[tuple[int, str]]) -> GroundedQuote | None:
    for seq, text in candidate_turns:  # 1. verbatim
        if span := find_span(text, quote):
            return GroundedQuote(span, seq)
    wanted = [w.token for w in words(quote)]
    if len(wanted) < MIN_QUOTE_WORDS:
        return None
    best: tuple[float, list[tuple[int, str]], list[_Word], int, int] | None = None
    for group in _stretches(candidate_turns):
        stretch = [w for index, (_, text) in enumerate(group) for w in words(text, index)]
        tokens = [w.token for w in stretch]
        for at in range(len(tokens) - len(wanted) + 1):  # 2. the same words
            if tokens[at : at + len(wanted)] == wanted:
                return _span(group, stretch[at], stretch[at + len(wanted) - 1])
        if len(wanted) < FUZZY_MIN_WORDS:
            continue
        shared = {t for t in set(wanted) if any(_alike(t, other) for other in set(tokens))}
        if len(shared) < PREFILTER_SHARE * len(set(wanted)):
            continue
        score, first, last = _best_window(wanted, stretch)  # 3. nearly the same words
        if score >= FUZZY_THRESHOLD and (best is None or score > best[0]):
            best = (score, group, stretch, first, last)
    if best is None:
        return None
    _, group, stretch, first, last = best
    return _span(group, stretch[first], stretch[last])


def ground_quotes(
    quotes: Iterable[str], candidate_turns: Sequence[tuple[int, str]], limit: int = MAX_QUOTES_PER_ITEM
) -> GroundingResult:
    """Keep the quotes the candidate said (module docstring), deduplicated, at most `limit`.

    `candidate_turns` are (seq, text) of the candidate's turns only, so the interviewer's words can
    never be evidence. Too-short quotes ("yes, I did") prove nothing and are dropped too.
    """
    kept: list[GroundedQuote] = []
    seen: set[str] = set()
    dropped = 0
    for raw in quotes:
        quote = _clean(raw)
        key = " ".join(w.token for w in words(quote)) or normalise(quote)
        if key in seen:
            continue  # a repeat is neither new evidence nor a fabrication
        if (
            len(normalise(quote)) < MIN_QUOTE_CHARS
            or len(normalise(quote).split()) < MIN_QUOTE_WORDS
            or len(quote) > MAX_QUOTE_CHARS
            or any(ellipsis in quote for ellipsis in _ELLIPSES)  # spliced from two places
        ):
            dropped += 1
            continue
        match = _match(quote, candidate_turns)
        if match is None or any(match.text == k.text for k in kept):
            dropped += match is None
            continue
        seen.add(key)
        if len(kept) < limit:
            kept.append(match)
    return GroundingResult(kept, dropped)
