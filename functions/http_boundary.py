"""The HTTP boundary the api, evaluate and sweep functions share: bounded bodies read into pydantic
models, JSON answers and JSON errors, and the local stack's HMAC caller check.

Bad input is refused before anything is read from or written to the store, with the error shape
every client knows: `{"error": {"code", "message", "field"?}}`.
"""

from __future__ import annotations

import json
import time
from typing import Any, TypeVar

from flask import Response, request
from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import Headers

from api.errors import ApiError, api_error
from interview_core.domain import webhook_signature
from interview_core.domain.errors import DomainError
from interview_core.settings import Settings

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_body(max_bytes: int) -> bytes:
    """The raw body, refusing more than max_bytes with 413 (before reading it when the size is known)."""
    declared = request.content_length
    if declared is not None and declared > max_bytes:
        raise ApiError(413, "payload_too_large", f"the request body is larger than {max_bytes} bytes")
    data = request.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ApiError(413, "payload_too_large", f"the request body is larger than {max_bytes} bytes")
    return data


def parse_json(raw: bytes, model: type[ModelT]) -> ModelT:
    """Validate a JSON body; 400 for malformed JSON, 422 naming the first offending field."""
    try:
        payload = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ApiError(400, "malformed_json", "the request body is not valid JSON") from error
    if not isinstance(payload, dict):
        raise ApiError(422, "invalid_body", "the request body must be a JSON object")
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "unknown field"
        raise ApiError(
            422, "invalid_field", f"{field}: {message}" if field else message, field=field
        ) from error


def json_body(model: type[ModelT], max_bytes: int) -> ModelT:
    return parse_json(read_body(max_bytes), model)


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(payload, default=str), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def require_hmac_signature(headers: Headers, raw: bytes, settings: Settings, subject: str) -> None:
    """401 unless the body carries a fresh HMAC signature with the shared secret (the local stand-in
    for the OIDC tokens the agent and Cloud Scheduler send in the cloud)."""
    ok = webhook_signature.verify(
        settings.secret("webhook_secret"),
        headers.get(webhook_signature.TIMESTAMP_HEADER),
        headers.get(webhook_signature.SIGNATURE_HEADER),
        raw,
        time.time(),
        settings.webhook_max_skew_seconds,
    )
    if not ok:
        raise ApiError(401, "bad_signature", f"the {subject} signature is missing, wrong or too old")


def error_response(error: ApiError | DomainError) -> Response:
    """The JSON answer to an error of the HTTP layer or of the interview core."""
    if isinstance(error, DomainError):
        error = api_error(error)
    return json_response(error.body(), error.status, error.headers)
