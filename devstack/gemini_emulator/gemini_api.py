"""The Gemini REST wire format: reading generateContent requests and writing responses and errors.

Kept apart from the HTTP server so task handlers (the extractor, the evaluator) can reuse the same
parsing. Requests arrive as google-genai 3.6.1 sends them: camelCase keys, `contents` as a list of
`{role, parts: [{text}]}`, `systemInstruction` as one content, and the structured-output schema in
`generationConfig.responseJsonSchema` (JSON Schema, from a dict or `model_json_schema()`) or
`generationConfig.responseSchema` (Gemini's OpenAPI subset, from a pydantic class).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

MODEL_VERSION = "local-emulator"
"""`modelVersion` of every answer, so stored interviews and reports say a local model made them."""

STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


class GeminiError(Exception):
    """An error the server answers in Gemini's shape; handlers raise it for requests they refuse."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The body Google's APIs return on errors, which google-genai turns into `errors.APIError`."""
    error: dict[str, Any] = {
        "code": status,
        "message": message,
        "status": STATUS_NAMES.get(status, "UNKNOWN"),
    }
    if details:
        error["details"] = details
    return {"error": error}


def rate_limit_body(model: str, retry_after_s: int) -> dict[str, Any]:
    """A 429 as the Gemini API sends it on a quota: RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo."""
    return error_body(
        429,
        "You exceeded your current quota, please check your plan and billing details. "
        f"Please retry in {retry_after_s}s.",
        [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                    {
                        "quotaMetric": "generativelanguage.googleapis.com/"
                        "generate_content_paid_tier_input_token_count",
                        "quotaId": "GenerateContentPaidTierInputTokensPerModelPerMinute",
                        "quotaDimensions": {"location": "global", "model": model},
                    }
                ],
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{retry_after_s}s"},
        ],
    )


def model_not_found_message(model: str, api_version: str, method: str = "generateContent") -> str:
    """Google's wording for a model name it does not serve (404 NOT_FOUND; the Live API closes the
    WebSocket with it, `method` bidiGenerateContent)."""
    return (
        f"models/{model} is not found for API version {api_version}, or is not supported for "
        f"{method}. Call ListModels to see the list of available models and their supported methods."
    )


@dataclass(frozen=True)
class GenerateRequest:
    """The parts of a generateContent request the emulator's tasks (and checks) look at."""

    system_text: str
    user_text: str
    response_mime_type: str | None
    schema: dict[str, Any] | None
    properties: frozenset[str] = field(default_factory=frozenset)
    generation_config: dict[str, Any] = field(default_factory=dict)
    user_parts: tuple[str, ...] = ()


def _content_text(content: object) -> str:
    """Concatenated text parts of one Content (or a bare string, which some callers send)."""
    if isinstance(content, str):
        return content
    if not isinstance(content, dict):
        return ""
    parts = content.get("parts") or []
    if not isinstance(parts, list):
        return ""
    return "\n".join(p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str))


def _text_parts(content: object) -> list[str]:
    """The text parts of one Content (a bare string is one part)."""
    if isinstance(content, str):
        return [content]
    if not isinstance(content, dict) or not isinstance(content.get("parts"), list):
        return []
    return [p["text"] for p in content["parts"] if isinstance(p, dict) and isinstance(p.get("text"), str)]


def _resolve_ref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (`#/$defs/X` or `#/definitions/X`) so a referenced root still has properties."""
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    target: Any = schema
    for key in ref[2:].split("/"):
        target = target.get(key) if isinstance(target, dict) else None
    return target if isinstance(target, dict) else node


def schema_properties(schema: dict[str, Any] | None) -> frozenset[str]:
    """Top-level property names of either schema dialect; the task is recognised by these."""
    if not isinstance(schema, dict):
        return frozenset()
    root = _resolve_ref(schema, schema)
    props = root.get("properties")
    return frozenset(props) if isinstance(props, dict) else frozenset()


def parse_generate_request(body: object) -> GenerateRequest:
    """Validate the shape of a generateContent body; raise GeminiError(400) the way Gemini would."""
    if not isinstance(body, dict):
        raise GeminiError(400, "Invalid JSON payload: expected an object.")
    contents = body.get("contents")
    if isinstance(contents, dict):
        contents = [contents]
    if not isinstance(contents, list) or not contents:
        raise GeminiError(400, "* GenerateContentRequest.contents: contents is not specified")
    user_parts = tuple(
        part
        for c in contents
        if not isinstance(c, dict) or c.get("role", "user") == "user"
        for part in _text_parts(c)
    )
    user_text = "\n".join(user_parts).strip()
    system_text = _content_text(body.get("systemInstruction") or body.get("system_instruction")).strip()
    config = body.get("generationConfig") or {}
    if not isinstance(config, dict):
        raise GeminiError(400, "Invalid value at 'generation_config': expected an object.")
    schema = config.get("responseJsonSchema") or config.get("responseSchema")
    if schema is not None and not isinstance(schema, dict):
        raise GeminiError(400, "Invalid value at 'generation_config.response_schema': expected an object.")
    mime = config.get("responseMimeType")
    return GenerateRequest(
        system_text=system_text,
        user_text=user_text,
        response_mime_type=mime if isinstance(mime, str) else None,
        schema=schema,
        properties=schema_properties(schema),
        generation_config=config,
        user_parts=user_parts,
    )


def _token_estimate(text: str) -> int:
    """Roughly four characters a token, like Gemini's own estimate for English; only for plausibility."""
    return max(1, (len(text) + 3) // 4)


def response_id(body: object) -> str:
    """A stable id derived from the request, so identical requests give byte-identical answers."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:22]


def build_response(
    request_body: object, request: GenerateRequest, text: str, finish_reason: str = "STOP"
) -> dict[str, Any]:
    """A GenerateContentResponse holding `text` as the single candidate's single part."""
    prompt_tokens = _token_estimate(request.system_text + request.user_text)
    output_tokens = _token_estimate(text)
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": finish_reason,
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        },
        "modelVersion": MODEL_VERSION,
        "responseId": response_id(request_body),
    }


SAFETY_RATINGS_BLOCKED = [
    {"category": "HARM_CATEGORY_HARASSMENT", "probability": "HIGH", "blocked": True},
    {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "NEGLIGIBLE"},
]


def blocked_response(request_body: object, request: GenerateRequest, where: str) -> dict[str, Any]:
    """What Gemini answers (HTTP 200) when its safety filters stop a request.

    `where="prompt"`: the prompt itself is blocked: no candidates, `promptFeedback.blockReason`.
    `where="answer"`: the answer is blocked while written: one candidate, no content, finishReason SAFETY.
    """
    prompt_tokens = _token_estimate(request.system_text + request.user_text)
    body: dict[str, Any] = {
        "usageMetadata": {"promptTokenCount": prompt_tokens, "totalTokenCount": prompt_tokens},
        "modelVersion": MODEL_VERSION,
        "responseId": response_id(request_body),
    }
    if where == "prompt":
        body["promptFeedback"] = {"blockReason": "SAFETY", "safetyRatings": SAFETY_RATINGS_BLOCKED}
    else:
        body["candidates"] = [{"finishReason": "SAFETY", "index": 0, "safetyRatings": SAFETY_RATINGS_BLOCKED}]
    return body
