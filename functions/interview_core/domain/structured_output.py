"""From a pydantic response model to what Gemini is sent, and from what it answers back. Pure.

Two halves of one rule: the product's size limits live on the pydantic models (domain/models.py,
domain/report.py), but a model is not asked to respect them while it decodes.

- `wire_schema` is the JSON Schema sent as `response_json_schema`: the pydantic schema with `$ref`s
  inlined and only the keywords the model family decodes under (gemini_models.PORTABLE_SCHEMA_KEYWORDS).
  String length bounds are left out on purpose: Gemini turns them into decoding states and refuses
  a schema with too many ("too many states for serving", 400), and every string bound here is large.
- `clip_to_schema` applies the bounds afterwards, before validation: a string past its maxLength is
  cut (ending in "…") and an array past its maxItems loses its tail, and each clipped place is
  recorded. An over-long rationale is a nuisance, not a reason to pay for another call that would
  most likely be just as long.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .gemini_models import PORTABLE_SCHEMA_KEYWORDS

ELLIPSIS = "…"

# Keywords whose value is a schema, a list of schemas or a map of schemas (walked, never dropped).
_SUBSCHEMA = {"items"}
_SUBSCHEMA_LIST = {"anyOf"}
_SUBSCHEMA_MAP = {"properties"}


def _inline(node: Any, defs: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """The schema with every local $ref replaced by its definition (recursion is refused)."""
    if isinstance(node, list):
        return [_inline(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        target = defs.get(name)
        if name in seen or not isinstance(target, dict):
            raise ValueError(f"$ref {ref} is recursive or unresolvable; it cannot be inlined")
        merged = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
        return _inline(merged, defs, (*seen, name))
    return {key: _inline(value, defs, seen) for key, value in node.items() if key != "$defs"}


def full_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The pydantic JSON Schema of `schema`, self-contained (no $defs, no $ref)."""
    raw = schema.model_json_schema()
    result = _inline(raw, raw.get("$defs", {}))
    assert isinstance(result, dict)
    return result


def _keep(node: Any, allowed: frozenset[str]) -> Any:
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in allowed:
            continue
        if key in _SUBSCHEMA:
            out[key] = _keep(value, allowed)
        elif key in _SUBSCHEMA_LIST:
            out[key] = [_keep(item, allowed) for item in value]
        elif key in _SUBSCHEMA_MAP:
            out[key] = {name: _keep(sub, allowed) for name, sub in value.items()}
        else:
            out[key] = value
    return out


def wire_schema(
    schema: type[BaseModel], keywords: frozenset[str] = PORTABLE_SCHEMA_KEYWORDS
) -> dict[str, Any]:
    """What to send as `response_json_schema` for `schema`: inlined, only `keywords` kept.

    Property order is kept (Gemini writes the properties in schema order, and the evaluation schema
    asks for evidence before the verdict)."""
    result = _keep(full_schema(schema), keywords)
    assert isinstance(result, dict)
    return result


def schema_keywords(node: Any) -> set[str]:
    """Every keyword used anywhere in a schema (property names excluded), for checks and tests."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in _SUBSCHEMA_MAP and isinstance(value, dict):
                for sub in value.values():
                    found |= schema_keywords(sub)
            elif key in _SUBSCHEMA_LIST and isinstance(value, list):
                for sub in value:
                    found |= schema_keywords(sub)
            elif isinstance(value, dict):
                found |= schema_keywords(value)
    return found


# -- clipping -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clipped:
    """Where the model's output exceeded a bound; `path` names the place, never the content."""

    path: str
    kind: str  # "string" or "array"
    limit: int
    actual: int


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def _clip(value: Any, node: dict[str, Any], path: str, found: list[Clipped]) -> Any:
    if "anyOf" in node:
        for option in node["anyOf"]:
            if isinstance(option, dict) and _matches(value, option):
                return _clip(value, option, path, found)
        return value
    if isinstance(value, str) and "string" in _types(node):
        limit = node.get("maxLength")
        if isinstance(limit, int) and len(value) > limit:
            found.append(Clipped(path, "string", limit, len(value)))
            return value[: max(0, limit - len(ELLIPSIS))].rstrip() + ELLIPSIS if limit > 1 else value[:limit]
        return value
    if isinstance(value, list) and "array" in _types(node):
        limit = node.get("maxItems")
        if isinstance(limit, int) and len(value) > limit:
            found.append(Clipped(path or "$", "array", limit, len(value)))
            value = value[:limit]
        items = node.get("items")
        if isinstance(items, dict):
            return [_clip(item, items, f"{path}[{index}]", found) for index, item in enumerate(value)]
        return value
    if isinstance(value, dict) and "object" in _types(node):
        properties = node.get("properties") or {}
        return {
            key: _clip(item, properties[key], f"{path}.{key}" if path else key, found)
            if isinstance(properties.get(key), dict)
            else item
            for key, item in value.items()
        }
    return value


def _matches(value: Any, node: dict[str, Any]) -> bool:
    kinds = _types(node)
    checks = {
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
    }
    return any(checks.get(kind, False) for kind in kinds)


def clip_to_schema(data: Any, schema: dict[str, Any]) -> tuple[Any, list[Clipped]]:
    """`data` with strings cut to their maxLength and arrays to their maxItems (see module doc).

    `schema` is a self-contained JSON Schema (full_schema). Nothing else changes: values of the
    wrong type are left for validation to refuse."""
    found: list[Clipped] = []
    return _clip(data, schema, "", found), found


def describe(clipped: Iterable[Clipped]) -> list[str]:
    """`skills[0].rationale (1380 > 1000 chars)` lines for logs and report notes (no content)."""
    unit = {"string": "chars", "array": "items"}
    return [f"{c.path} ({c.actual} > {c.limit} {unit.get(c.kind, c.kind)})" for c in clipped]
