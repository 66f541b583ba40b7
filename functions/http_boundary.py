"""The HTTP boundary the api, evaluate and sweep functions share: bounded bodies read into pydantic
models, JSON answers and JSON errors, and the local stack's HMAC caller check.

Bad input is refused before anything is read from or written to the store, with the one error
shape every client knows: an RFC 9457 problem document (api/errors.py). JSON bodies must say they
are JSON (415 otherwise) and may nest at most MAX_JSON_DEPTH levels (checked before parsing, so a
deeply nested body is a 400, never a RecursionError); query parameters are validated by a pydantic
model the route declares with `accepts_query`, and a route that declares none takes none.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from itertools import accumulate
from typing import Any, TypeVar

from flask import Response, current_app, request
from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import Headers

from api.errors import PROBLEM_MEDIA_TYPE, ApiError, api_error
from interview_core.domain import webhook_signature
from interview_core.domain.errors import DomainError
from interview_core.settings import Settings

ModelT = TypeVar("ModelT", bound=BaseModel)
ViewT = TypeVar("ViewT", bound=Callable[..., Any])

MAX_JSON_DEPTH = 32
"""Deeper than any body the API takes (the deepest, a settings patch, nests three levels)."""

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def read_body(max_bytes: int) -> bytes:
    """The raw body, refusing more than max_bytes with 413 (before reading it when the size is known)."""
    declared = request.content_length
    if declared is not None and declared > max_bytes:
        raise ApiError(413, "payload_too_large", f"the request body is larger than {max_bytes} bytes")
    data = request.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ApiError(413, "payload_too_large", f"the request body is larger than {max_bytes} bytes")
    return data


def json_depth(raw: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings not counted).

    Linear and without recursion, so it can run before the parser, which recurses per level.
    """
    brackets = _JSON_BRACKET.findall(_JSON_STRING.sub(b'""', raw))
    steps = (1 if b in (b"[", b"{") else -1 for b in brackets)
    return max(accumulate(steps, initial=0))


def require_json_content_type() -> None:
    """415 unless a request with a body says it is JSON (`application/json` or `+json`)."""
    if not request.content_length and not request.headers.get("Transfer-Encoding"):
        return
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", "the request body must be application/json")


def parse_json(raw: bytes, model: type[ModelT]) -> ModelT:
    """Validate a JSON body; 400 for malformed or too deeply nested JSON, 422 naming the first
    offending field."""
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise ApiError(400, "json_too_deep", f"the request body nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        payload = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
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
    require_json_content_type()
    return parse_json(read_body(max_bytes), model)


def accepts_query(model: type[BaseModel]) -> Callable[[ViewT], ViewT]:
    """Declare the query parameters a route takes (a pydantic model that forbids extra fields)."""

    def declare(view: ViewT) -> ViewT:
        view.query_model = model  # type: ignore[attr-defined]
        return view

    return declare


def query_model_of(view: Callable[..., Any] | None) -> type[BaseModel] | None:
    return getattr(view, "query_model", None)


def refuse_undeclared_query() -> None:
    """400 for a query parameter the matched route does not take (a `before_request` hook)."""
    if not request.args or request.endpoint is None:
        return
    model = query_model_of(current_app.view_functions.get(request.endpoint))
    allowed = set(model.model_fields) if model is not None else set()
    for name in request.args:
        if name not in allowed:
            raise ApiError(
                400, "unknown_query_parameter", f"unknown query parameter {name[:40]!r}", field=name[:40]
            )


def query_params(model: type[ModelT]) -> ModelT:
    """The route's query parameters, validated; 400 naming the first malformed one."""
    raw: dict[str, Any] = {}
    for name, values in request.args.lists():
        if len(values) > 1:
            raise ApiError(400, "invalid_query_parameter", f"{name}: given more than once", field=name)
        raw[name] = values[0]
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        # Query parameters are flat: the parameter is the location's first part (a union's member,
        # e.g. `status.enum`, is not a parameter of its own).
        field = str(first["loc"][0]) if first["loc"] else None
        raise ApiError(
            400, "invalid_query_parameter", f"{field}: {first['msg']}" if field else first["msg"], field=field
        ) from error


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
    """The problem+json answer to an error of the HTTP layer or of the interview core."""
    if isinstance(error, DomainError):
        error = api_error(error)
    response = json_response(error.body(), error.status, error.headers)
    response.mimetype = PROBLEM_MEDIA_TYPE
    return response
