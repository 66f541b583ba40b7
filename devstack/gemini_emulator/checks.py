"""What the real Gemini API refuses before it generates anything, reproduced for the emulator.

Each check returns a GeminiError (the status and message Google answers with) or None. They cost no
time, so the `strict` profile the local stack runs has them on: a request the real service would
refuse fails in every test, not first in production.

- model: a name Google does not serve for generateContent is 404 NOT_FOUND. The served names are the
  product's catalogue (functions/interview_core/domain/gemini_models.py, SERVED_TEXT_MODELS), the one
  list both sides read, kept current by hand with the date it was checked.
- schema: Gemini compiles a response schema into a decoding state machine and answers 400
  INVALID_ARGUMENT "too many states for serving" when it is too big. Google's guide names the causes:
  long array length limits (especially nested), many bounded numbers, strings with complex formats,
  long names and enums. The emulator estimates the states the way those causes add up (a string
  bound of N characters costs N, a pattern or format 200, a bounded number 10, an enum its values'
  length; bounded arrays multiply what they contain by maxItems; unbounded arrays are a loop and do
  not) and refuses past MAX_SCHEMA_STATES. The figure is a calibration, not Google's: a few bounded
  numbers pass, string bounds in the hundreds inside bounded arrays do not.
- thinking: a level the model family does not offer (gemini-3.8-flash has no MINIMAL), a level on a
  budget-only family, or a level and a budget together, are 400 INVALID_ARGUMENT.
- Live setups (`live_setup_refusal`, the Live plan's `live_check_setup`): a model the Live API does
  not serve (SERVED_LIVE_MODELS: retired previews, REST-only names) closes the WebSocket 1008 with
  the not-found message; a thinking level its family does not take (plain gemini-3.8-live takes
  none) closes it 1007 (invalid argument), both before setupComplete.
"""

from __future__ import annotations

from typing import Any

from interview_core.domain.gemini_models import bare_name, is_served_live_model, is_served_text_model, resolve

from .gemini_api import GeminiError, model_not_found_message

MAX_SCHEMA_STATES = 5_000
_STRING_BOUNDS = ("maxLength", "max_length", "minLength", "min_length")
_COMPLEX = ("pattern", "format")
_NUMBER_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_MAX_ITEMS = ("maxItems", "max_items")


LIVE_MODEL_REFUSED_CODE = 1008
LIVE_INVALID_ARGUMENT_CODE = 1007


def live_setup_refusal(setup: dict[str, Any], api_version: str) -> tuple[int, str] | None:
    """(close code, reason) for a Live setup the real API refuses, or None."""
    model = bare_name(str(setup.get("model", "")))
    if not is_served_live_model(model):
        return LIVE_MODEL_REFUSED_CODE, model_not_found_message(model, api_version, "bidiGenerateContent")
    config = setup.get("generationConfig") or setup.get("generation_config") or {}
    refusal = check_thinking(model, config) if isinstance(config, dict) else None
    if refusal is not None:
        return LIVE_INVALID_ARGUMENT_CODE, refusal.message
    return None


def check_model(model: str, api_version: str) -> GeminiError | None:
    if is_served_text_model(model):
        return None
    return GeminiError(404, model_not_found_message(model, api_version))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def schema_states(node: Any, multiplier: int = 1, defs: dict[str, Any] | None = None, depth: int = 0) -> int:
    """The emulator's estimate of a schema's decoding states (module docstring); `$ref`s count where
    they are used, as the schema compiler inlines them."""
    if defs is None:
        defs = {}
        if isinstance(node, dict):
            for key in ("$defs", "definitions"):
                if isinstance(node.get(key), dict):
                    defs.update(node[key])
    if depth > 32:
        return 0
    if isinstance(node, list):
        return sum(schema_states(item, multiplier, defs, depth + 1) for item in node)
    if not isinstance(node, dict):
        return 0
    ref = node.get("$ref")
    if isinstance(ref, str) and isinstance(defs.get(ref.rsplit("/", 1)[-1]), dict):
        node = {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    states = 0
    for key in _STRING_BOUNDS:
        bound = _int(node.get(key))
        if bound:
            states += bound * multiplier
    states += sum(200 * multiplier for key in _COMPLEX if node.get(key) not in (None, "enum"))
    states += sum(10 * multiplier for key in _NUMBER_BOUNDS if key in node)
    enum = node.get("enum")
    if isinstance(enum, list):
        states += sum(len(str(value)) for value in enum) * multiplier
    inner = multiplier
    for key in _MAX_ITEMS:
        bound = _int(node.get(key))
        if bound:
            inner = multiplier * bound
    for key in ("items", "prefixItems", "prefix_items"):
        if key in node:
            states += schema_states(node[key], inner, defs, depth + 1)
    for key in ("anyOf", "any_of", "oneOf", "allOf"):
        if key in node:
            states += schema_states(node[key], multiplier, defs, depth + 1)
    properties = node.get("properties")
    if isinstance(properties, dict):
        states += sum(schema_states(sub, multiplier, defs, depth + 1) for sub in properties.values())
    return states


def check_schema(schema: dict[str, Any] | None) -> GeminiError | None:
    if schema is None:
        return None
    states = schema_states(schema)
    if states <= MAX_SCHEMA_STATES:
        return None
    return GeminiError(
        400,
        "The specified schema produces a constraint that has too many states for serving. Typical causes "
        "of this error are schemas with lots of text (for example, very long property or enum names), "
        "schemas with long array length limits (especially when nested), or schemas using complex value "
        "matchers (for example, integers and numbers with minimum/maximum bounds or strings with complex "
        f"formats like date-time). [local emulator estimate: {states} > {MAX_SCHEMA_STATES} states]",
    )


def check_thinking(model: str, generation_config: dict[str, Any]) -> GeminiError | None:
    thinking = generation_config.get("thinkingConfig") or generation_config.get("thinking_config")
    if not isinstance(thinking, dict):
        return None
    level = thinking.get("thinkingLevel", thinking.get("thinking_level"))
    budget = thinking.get("thinkingBudget", thinking.get("thinking_budget"))
    if level is not None and budget is not None:
        return GeminiError(400, "You can only set one of thinking budget and thinking level.")
    if level is None:
        return None
    family = resolve(model).family
    if not family.thinking_levels:
        return GeminiError(400, "Thinking level is not supported for this model.")
    if str(level).upper() not in family.thinking_levels:
        return GeminiError(400, f"Thinking level {str(level).upper()} is not supported by this model.")
    return None
