"""Evidence grounding: a quote counts only if the candidate actually said it. Pure.

A model's "quote" may be a paraphrase, a merge of two answers, or words of the interviewer. Each one
is checked against the candidate's turns: after normalising whitespace and case only, it must be a
contiguous span of one candidate turn that starts and ends on word boundaries (so "ever used" is not
found inside "never used"). The kept evidence is the span as the transcript holds it, not the model's
spelling of it. Anything else is dropped and counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_QUOTE_CHARS = 12
MIN_QUOTE_WORDS = 3
MAX_QUOTE_CHARS = 600
MAX_QUOTES_PER_ITEM = 5

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


def ground_quotes(
    quotes: Iterable[str], candidate_turns: Sequence[tuple[int, str]], limit: int = MAX_QUOTES_PER_ITEM
) -> GroundingResult:
    """Keep the quotes that are verbatim spans of a candidate turn (deduplicated, at most `limit`).

    `candidate_turns` are (seq, text) of the candidate's turns only, so the interviewer's words can
    never be evidence. Too-short quotes ("yes, I did") prove nothing and are dropped too.
    """
    kept: list[GroundedQuote] = []
    seen: set[str] = set()
    dropped = 0
    for raw in quotes:
        quote = _clean(raw)
        key = normalise(quote)
        if key in seen:
            continue  # a repeat is neither new evidence nor a fabrication
        if len(key) < MIN_QUOTE_CHARS or len(key.split()) < MIN_QUOTE_WORDS or len(quote) > MAX_QUOTE_CHARS:
            dropped += 1
            continue
        match = next(
            (GroundedQuote(span, seq) for seq, text in candidate_turns if (span := find_span(text, quote))),
            None,
        )
        if match is None:
            dropped += 1
            continue
        seen.add(key)
        if len(kept) < limit:
            kept.append(match)
    return GroundingResult(kept, dropped)
