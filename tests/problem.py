"""The one error shape of the functions (RFC 9457 problem documents), checked on every error answer.

`check_problem` validates one response; `observe_function_errors` (an autouse fixture in
tests/conftest.py) runs it on every 4xx/5xx that any test receives from the api, evaluate or sweep
function, so no error path escapes the contract whatever a test asserts itself.
"""

from __future__ import annotations

import os
from typing import Any

import jsonschema_rs
import requests

PROBLEM_TYPE_PREFIX = "tag:ai-interviewer,2026:problem:"

PROBLEM_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "pattern": "^tag:ai-interviewer,2026:problem:[a-z0-9_]+$"},
        "title": {"type": "string", "minLength": 1},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "minLength": 1},
        "code": {"type": "string", "pattern": "^[a-z0-9_]+$"},
        "field": {"type": "string", "minLength": 1},
        "instance": {"type": "string"},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
    },
}

PROBLEM_VALIDATOR = jsonschema_rs.validator_for(PROBLEM_SCHEMA)


def check_problem(response: requests.Response) -> dict[str, Any]:
    """The response's problem document, after asserting its media type, schema and consistency."""
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    assert media_type == "application/problem+json", (
        f"{response.request.method} {response.url} -> {response.status_code} answered {media_type!r}: "
        f"{response.text[:200]!r}"
    )
    problem = response.json()
    errors = [error.message for error in PROBLEM_VALIDATOR.iter_errors(problem)]
    assert not errors, f"{response.request.method} {response.url}: not a problem document: {errors}"
    assert problem["status"] == response.status_code
    assert problem["type"] == PROBLEM_TYPE_PREFIX + problem["code"]
    assert problem["error"]["code"] == problem["code"]
    return problem


def function_urls() -> tuple[str, ...]:
    """The base URLs of the running stack's functions (empty before a stack is up)."""
    names = ("API_URL", "EVALUATE_URL", "SWEEP_URL")
    return tuple(os.environ[name].rstrip("/") for name in names if os.environ.get(name))


def is_function_error(response: requests.Response) -> bool:
    """A 4xx/5xx answered by one of the stack's functions (not by an emulator)."""
    return response.status_code >= 400 and response.url.startswith(function_urls() or ("\0",))
