"""Which Gemini models this project uses and how each model family wants to be asked. Pure: no I/O.

Google retires model names on a schedule (gemini-2.5-flash stopped answering on 2026-12-01) and each
generation changes what a request may carry: Gemini 2.5 takes a thinking *budget* and any
temperature; the first Gemini 3 models take a thinking *level* and want temperature 1.0; from Gemini
3.5 on, temperature / top-p / top-k are deprecated (ignored today, to be refused later) and some
levels are not offered (gemini-3.8-flash refuses MINIMAL). Keeping that knowledge here, keyed by model
name, means switching GEMINI_MODEL never needs a code change elsewhere, and the local emulator refuses
the same names and the same settings the real service does (it reads this module).

Sources, checked on CHECKED_ON: ai.google.dev/gemini-api/docs/models (Gemini 3 list and endpoints),
ai.google.dev/gemini-api/docs/deprecations (release and shutdown dates), the "What's new in Gemini
3.6 / 3.8 Flash" guides (default thinking levels, deprecated sampling parameters), the Gemini
Enterprise Agent Platform guide to Gemini 3.8 Flash (supported thinking levels LOW, MEDIUM, HIGH) and
the structured-output guide (models that support response schemas).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

CHECKED_ON = "2026-12-04"
"""When the model list, the families and DEFAULT_TEXT_MODEL were last checked against Google's docs."""

DEFAULT_TEXT_MODEL = "gemini-3.8-flash"
"""The REST model of skill extraction and evaluation (GEMINI_MODEL's default; see the README).

Gemini 3.8 Flash: generally available since 2026-09-02 with no shutdown date announced, Google's
recommended replacement for the retired 2.5 models, listed as supporting structured output, and
fast at a LOW thinking level, which keeps one structured call well inside the api function's 60 s."""

ThinkingLevel = Literal["MINIMAL", "LOW", "MEDIUM", "HIGH"]
SchemaDialect = Literal["json_schema"]

PORTABLE_SCHEMA_KEYWORDS: frozenset[str] = frozenset(
    {
        "type",
        "description",
        "properties",
        "required",
        "items",
        "enum",
        "anyOf",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
    }
)
"""JSON Schema keywords every family here decodes under (response_json_schema). Kept small on
purpose: Gemini compiles a response schema into a decoding state machine and refuses schemas that
need "too many states for serving" (400 INVALID_ARGUMENT). String length bounds (maxLength,
minLength), patterns and formats are what blows it up, so the product enforces its string bounds
after decoding instead (clip_to_schema in structured_output.py). `title`, `default`, `$ref`/`$defs`,
`additionalProperties` and `const` are documentation or shapes that some families reject by name."""


@dataclass(frozen=True)
class ModelFamily:
    """How one generation of models wants its generateContent requests."""

    name: str
    temperature: float | None
    """Sent as generationConfig.temperature; None sends nothing (the model's own default)."""
    thinking_level: ThinkingLevel | None = None
    thinking_budget: int | None = None
    """At most one of the two: families take either a level (Gemini 3+) or a budget (2.5)."""
    thinking_levels: frozenset[str] = frozenset()
    """The levels the family accepts; a request with another level is refused (400)."""
    schema_dialect: SchemaDialect = "json_schema"
    schema_keywords: frozenset[str] = PORTABLE_SCHEMA_KEYWORDS
    live: bool = False
    """A Live API (native audio) family; its entries serve the agent, not generateContent."""
    context_tokens: int | None = None
    """The input token limit (Live families: what the agent sizes context-window compression by;
    None: not recorded, the caller assumes a small window)."""
    notes: str = ""


GEMINI_3_CURRENT_FLASH = ModelFamily(
    name="gemini-3.6+ flash / gemini-4",
    temperature=None,
    thinking_level="LOW",
    thinking_levels=frozenset({"LOW", "MEDIUM", "HIGH"}),
    notes=(
        "3.6 / 3.7 / 3.8 Flash and Gemini 4: sampling parameters deprecated (not sent); thinking "
        "levels LOW, MEDIUM, HIGH (default MEDIUM; 3.8 refuses MINIMAL). LOW keeps latency down: the "
        "verdict is computed in code, the model only extracts and quotes."
    ),
)
GEMINI_3_FLASH_LITE = ModelFamily(
    name="gemini-3.x-flash-lite",
    temperature=None,
    thinking_level="LOW",
    thinking_levels=frozenset({"MINIMAL", "LOW", "MEDIUM", "HIGH"}),
    notes="3.1 / 3.5 Flash-Lite: sampling parameters deprecated (not sent); default level MINIMAL.",
)
GEMINI_3_FIRST = ModelFamily(
    name="gemini-3.0/3.1",
    temperature=1.0,
    thinking_level="LOW",
    thinking_levels=frozenset({"MINIMAL", "LOW", "MEDIUM", "HIGH"}),
    notes="First Gemini 3 models (3 Flash, 3.1 Pro previews, 3.5 Flash): Google asks for temperature 1.0.",
)
GEMINI_2_5 = ModelFamily(
    name="gemini-2.5",
    temperature=0.2,
    thinking_budget=0,
    notes="Legacy: thinking budget in tokens (0 turns it off on Flash and Flash-Lite); any temperature.",
)
GEMINI_3_8_LIVE = ModelFamily(
    name="gemini-3.8-live",
    temperature=None,
    live=True,
    context_tokens=131_072,
    notes=(
        "The agent's Live model (GA 2026-09-15): 131,072 input tokens, native audio, reasoning "
        "interleaved without a thinking setting (a thinking level is refused), non-blocking function "
        "calls with SILENT / WHEN_IDLE / INTERRUPT scheduling; sampling parameters deprecated."
    ),
)
GEMINI_3_8_LIVE_EXTENDED_THINKING = ModelFamily(
    name="gemini-3.8-live-extended-thinking",
    temperature=None,
    thinking_level="LOW",
    thinking_levels=frozenset({"LOW", "MEDIUM", "HIGH"}),
    live=True,
    context_tokens=131_072,
    notes=(
        "3.8 Live with a thinking level; LOW, because an interviewer must answer within a second or "
        "two of the candidate's last word."
    ),
)
GEMINI_3_LIVE = ModelFamily(
    name="gemini-3.x-live",
    temperature=None,
    live=True,
    context_tokens=131_072,
    notes="Other Live models of the Gemini 3 generation (3.1 Flash Live preview): no thinking setting sent.",
)
GEMINI_2_5_LIVE = ModelFamily(
    name="gemini-2.5-live",
    temperature=0.6,
    live=True,
    context_tokens=131_072,
    notes="Gemini 2.5 native-audio Live previews.",
)
CONSERVATIVE = ModelFamily(
    name="unknown",
    temperature=None,
    notes=(
        "A model this catalogue does not know: send nothing optional (no temperature, no thinking "
        "setting) and only the portable schema keywords, so the request cannot be refused for them."
    ),
)

FAMILIES: tuple[ModelFamily, ...] = (
    GEMINI_3_CURRENT_FLASH,
    GEMINI_3_FLASH_LITE,
    GEMINI_3_FIRST,
    GEMINI_2_5,
    GEMINI_3_8_LIVE,
    GEMINI_3_8_LIVE_EXTENDED_THINKING,
    GEMINI_3_LIVE,
    GEMINI_2_5_LIVE,
)


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    family: ModelFamily
    served: bool = True
    """Answered by Google's API on CHECKED_ON; the emulator refuses names that are not (404)."""
    note: str = ""


_ENTRIES: tuple[CatalogueEntry, ...] = (
    CatalogueEntry("gemini-3.8-flash", GEMINI_3_CURRENT_FLASH, note="GA 2026-09-02; the default"),
    CatalogueEntry("gemini-3.7-flash", GEMINI_3_CURRENT_FLASH, note="GA 2026-08-13; routed to 3.8 Flash"),
    CatalogueEntry("gemini-3.6-flash", GEMINI_3_CURRENT_FLASH, note="GA 2026-07-21"),
    CatalogueEntry("gemini-4-argon", GEMINI_3_CURRENT_FLASH, note="Gemini 4; levels LOW to HIGH"),
    CatalogueEntry("gemini-3.5-flash-lite", GEMINI_3_FLASH_LITE, note="GA 2026-07-21"),
    CatalogueEntry("gemini-3.1-flash-lite", GEMINI_3_FLASH_LITE, note="GA 2026-05-07; shutdown 2027-05-07"),
    CatalogueEntry("gemini-3.5-flash", GEMINI_3_FIRST, note="GA 2026-05-19; Google now serves 3.6 Flash"),
    CatalogueEntry("gemini-3.1-pro-preview", GEMINI_3_FIRST, note="preview"),
    CatalogueEntry("gemini-3-flash-preview", GEMINI_3_FIRST, note="preview"),
    CatalogueEntry("gemini-2.5-flash-lite", GEMINI_2_5, note="still answered; earliest shutdown passed"),
    CatalogueEntry("gemini-2.5-flash", GEMINI_2_5, served=False, note="shut down 2026-12-01 (503)"),
    CatalogueEntry("gemini-2.5-pro", GEMINI_2_5, served=False, note="shut down 2026-12-01"),
    CatalogueEntry("gemini-2.0-flash", GEMINI_2_5, served=False, note="shut down 2026-06-01"),
    CatalogueEntry("gemini-3.8-live", GEMINI_3_8_LIVE, note="Live API, GA 2026-09-15; the agent's"),
    CatalogueEntry(
        "gemini-3.8-live-extended-thinking", GEMINI_3_8_LIVE_EXTENDED_THINKING, note="Live API, 2026-09-15"
    ),
    CatalogueEntry(
        "gemini-3.1-flash-live-preview", GEMINI_3_LIVE, served=False, note="Live previews retired 2026-11-17"
    ),
    CatalogueEntry(
        "gemini-2.5-flash-native-audio-preview-12-2025",
        GEMINI_2_5_LIVE,
        served=False,
        note="the agent's model before issue 17; Live previews retired 2026-11-17",
    ),
)
CATALOGUE: dict[str, CatalogueEntry] = {entry.name: entry for entry in _ENTRIES}

SERVED_TEXT_MODELS: frozenset[str] = frozenset(
    entry.name for entry in _ENTRIES if entry.served and not entry.family.live
)
"""The generateContent models Google answered on CHECKED_ON (and so the local emulator answers)."""

LIVE_MODELS: frozenset[str] = frozenset(entry.name for entry in _ENTRIES if entry.family.live)

SERVED_LIVE_MODELS: frozenset[str] = frozenset(
    entry.name for entry in _ENTRIES if entry.served and entry.family.live
)
"""The Live API models Google served on CHECKED_ON (the emulator's strict profile refuses others)."""

# Names of the same families that this list does not have yet (a -001 pin, a new minor version).
_FAMILY_PATTERNS: tuple[tuple[re.Pattern[str], ModelFamily], ...] = (
    (re.compile(r"^gemini-3\.8-live-extended-thinking"), GEMINI_3_8_LIVE_EXTENDED_THINKING),
    (re.compile(r"^gemini-3\.8-live"), GEMINI_3_8_LIVE),
    (re.compile(r"^gemini-[0-9.]+-.*live"), GEMINI_3_LIVE),
    (re.compile(r"^gemini-(?:live-)?2\.5-.*native-audio"), GEMINI_2_5_LIVE),
    (re.compile(r"^gemini-3\.(?:[6-9]|\d\d)-flash(?!-lite)"), GEMINI_3_CURRENT_FLASH),
    (re.compile(r"^gemini-4[.-]"), GEMINI_3_CURRENT_FLASH),
    (re.compile(r"^gemini-3(?:\.\d+)?-flash-lite"), GEMINI_3_FLASH_LITE),
    (re.compile(r"^gemini-3(?:\.[0-5])?-(?:flash|pro)"), GEMINI_3_FIRST),
    (re.compile(r"^gemini-2\.5-"), GEMINI_2_5),
)


@dataclass(frozen=True)
class Resolved:
    """A model name and the family its requests are built for."""

    model: str
    family: ModelFamily
    known: bool
    """False: neither listed nor recognisable; the conservative config applies (callers log it)."""
    served: bool | None = field(default=None)
    """From the list when listed; None when only the family pattern matched."""


def bare_name(model: str) -> str:
    """`models/gemini-3.8-flash` and `gemini-3.8-flash` are the same model."""
    return model.strip().removeprefix("models/")


def resolve(model: str) -> Resolved:
    """The family of `model`: from the list, else from its name's pattern, else CONSERVATIVE."""
    name = bare_name(model)
    entry = CATALOGUE.get(name)
    if entry is not None:
        return Resolved(name, entry.family, known=True, served=entry.served)
    for pattern, family in _FAMILY_PATTERNS:
        if pattern.match(name):
            return Resolved(name, family, known=True)
    return Resolved(name, CONSERVATIVE, known=False)


def is_served_text_model(model: str) -> bool:
    return bare_name(model) in SERVED_TEXT_MODELS


def is_served_live_model(model: str) -> bool:
    return bare_name(model) in SERVED_LIVE_MODELS
