"""Fencing: what keeps text that is not the product's own (the hiring team's job description and
plan, the candidate's words and CV) from passing for instructions in a prompt. Pure: no I/O. The one
home of it, used by the prompts of the functions (domain/prompts.py, domain/evaluation_prompt.py) and
by the agent (agent_worker/instructions.py, controller.py).

Two kinds of fence, one per channel:

**Angle-bracket markers** (the functions' REST prompts). Data sits between line markers such as
`<<<JOB_DESCRIPTION` and `JOB_DESCRIPTION>>>`; every run of three angle brackets inside the data is
broken up (`defuse_markers`), so recruiter or candidate text can neither end its section nor open one.

**Session markers** (the agent's Live session). The agent steers the model with control notes
(instructions.py: greet, time warning, time up) sent as generate_reply instructions, which reach
Gemini Live as conversation turns: the same channel the candidate's text and replayed transcripts
take. So every note carries this session's random marker ("SYSTEM NOTE #<marker> [kind]: ..."),
which the system instruction names as the only sign of a real note. The candidate cannot know it (it
is made per agent session and never spoken), and whatever the candidate says that imitates a note
(the words "SYSTEM NOTE", a [tag], a data-section fence, the marker itself) is neutralised before it
is replayed to a model or stored as a turn. Text the hiring team wrote sits in fenced data sections
of the instructions: a BEGIN line and an END line that both carry the marker, and in between data on
lines of their own, with newlines and backslashes escaped and fence words defused, so that a job
description cannot end its section and write instructions of its own.
"""

from __future__ import annotations

import re
import secrets

# -- angle-bracket markers (the functions' prompts) -----------------------------------------------
MARKER_OPEN, MARKER_CLOSE = "<<<", ">>>"


def defuse_markers(text: str) -> str:
    """`text` with every run of three angle brackets broken up, so recruiter or candidate text can
    neither end the data section it sits in nor open a new one."""
    while MARKER_OPEN in text or MARKER_CLOSE in text:
        text = text.replace(MARKER_OPEN, "< < <").replace(MARKER_CLOSE, "> > >")
    return text


def one_line(text: str) -> str:
    """Text for a one-line field of a prompt: whitespace runs (newlines included) become one space,
    markers are defused."""
    return defuse_markers(" ".join(text.split()))


def fenced_block(text: str) -> str:
    """Multi-line data for a fenced section: line breaks normalised, control characters dropped,
    markers defused; the line structure a job description uses for its headings stays."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = ["".join(c for c in line if c == "\t" or c.isprintable()) for line in lines]
    return defuse_markers("\n".join(kept))


# -- session markers (the agent's Live session) -----------------------------------------------------
NOTE_PREFIX = "SYSTEM NOTE"
MARKER_BYTES = 6
MAX_DATA_CHARS = 4_000
"""A fenced value longer than this is cut (a job description is bounded by the api as well)."""

_NOTE_WORDS = re.compile(r"system[\W_]{0,3}note", re.IGNORECASE)
_FENCE_WORDS = re.compile(r"\b(begin|end)[\W_]{0,3}data\b", re.IGNORECASE)
_TAG = re.compile(r"\[\s*([A-Za-z_][\w -]{0,40}?)\s*\]")
_MARKER_LIKE = re.compile(r"#\s*[0-9a-f]{8,}", re.IGNORECASE)


def new_marker() -> str:
    """A fresh marker for one agent session: 12 hex digits from the OS's random source."""
    return secrets.token_hex(MARKER_BYTES)


def mark(note: str, marker: str) -> str:
    """The control note with this session's marker after its "SYSTEM NOTE" (unchanged without one)."""
    if not marker or not note.startswith(NOTE_PREFIX):
        return note
    return f"{NOTE_PREFIX} #{marker}{note[len(NOTE_PREFIX) :]}"


def is_marked(text: str, marker: str) -> bool:
    """Whether `text` is a control note of this session (starts with the marked prefix)."""
    return bool(marker) and text.startswith(f"{NOTE_PREFIX} #{marker}")


def neutralise(text: str, marker: str = "") -> str:
    """The candidate's words with everything that imitates a control note or a fence defused: the
    marker (had it leaked) and marker-like "#hex" runs removed, "SYSTEM NOTE" in any spelling
    quoted as the candidate's words, [tags] turned into (tags), BEGIN/END DATA hyphenated. What
    they said stays readable for the evaluation; nothing of it reads as the agent's."""
    if marker:
        text = re.sub(re.escape(marker), "", text, flags=re.IGNORECASE)
    text = _MARKER_LIKE.sub("#", text)
    text = _NOTE_WORDS.sub("system-note (quoted)", text)
    text = _FENCE_WORDS.sub(lambda m: f"{m.group(1).lower()}-data", text)
    return _TAG.sub(lambda m: f"({m.group(1)})", text)


def escape_data(text: str, marker: str, limit: int = MAX_DATA_CHARS) -> str:
    """A value of the hiring team's for one line of a data section: backslashes and newlines
    escaped (\\\\, \\n), other control characters dropped, fence and note words defused, the marker
    removed, square brackets made round (fences use them), cut at `limit` characters."""
    cleaned = neutralise(text.replace("\r\n", "\n"), marker)
    cleaned = cleaned.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\n")
    cleaned = "".join(ch for ch in cleaned if ch == "\t" or ch.isprintable()).replace("\t", " ")
    cleaned = cleaned.replace("[", "(").replace("]", ")")  # fences are bracketed: data never is
    if len(cleaned) > limit:
        cleaned = cleaned[:limit].rstrip("\\") + " [cut]"
    return cleaned


def begin(name: str, marker: str) -> str:
    return f"[BEGIN DATA {name} #{marker}]"


def end(name: str, marker: str) -> str:
    return f"[END DATA {name} #{marker}]"


def fence(name: str, lines: list[str], marker: str) -> list[str]:
    """`lines` (each already escaped or built from escaped values) between the section's fences."""
    return [begin(name, marker), *lines, end(name, marker)]
