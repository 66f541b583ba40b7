"""The OpenAPI 3.1 document of the api, generated from the Flask routes and the pydantic models.

Paths, methods and path parameters (with their converters' patterns) come from the app's URL map;
query parameters from the model each route declares with `accepts_query`; request bodies from
BODIES, the model each route validates its body with (a test checks it against the route's code);
errors from the one problem document (api/errors.py). Served at /api/openapi.json and written to
hosting/src/generated/openapi.json, from which the web app's types are generated.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel
from werkzeug.routing import Rule

from http_boundary import MAX_JSON_DEPTH, query_model_of
from interview_core.domain.models import CompletionNotice, CreateInterviewRequest, LatencyReport, TokenRequest
from interview_core.domain.plan_review import PlanEdit
from interview_core.domain.retention import ErasureRequest
from interview_core.domain.webhooks import CreateEndpointRequest, RotateSecretRequest, UpdateEndpointRequest
from interview_core.domain.workspaces import (
    CreateInvitationRequest,
    InvitationSecretRequest,
    RoleChangeRequest,
    SettingsPatch,
)

from .errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_PREFIX

BODIES: dict[str, type[BaseModel]] = {
    "create_interview": CreateInterviewRequest,
    "candidate_token": TokenRequest,
    "invite_info": TokenRequest,
    "latency_metrics": LatencyReport,
    "interview_complete": CompletionNotice,
    "teams.update_settings": SettingsPatch,
    "teams.change_role": RoleChangeRequest,
    "teams.create_invitation": CreateInvitationRequest,
    "teams.lookup_invitation": InvitationSecretRequest,
    "teams.accept_invitation": InvitationSecretRequest,
    "privacy.erase_candidate": ErasureRequest,
    "review.edit_plan": PlanEdit,
    "webhooks.create_endpoint": CreateEndpointRequest,
    "webhooks.update_endpoint": UpdateEndpointRequest,
    "webhooks.rotate_secret": RotateSecretRequest,
}
"""The body model of each route that takes a JSON body, by endpoint."""

SUCCESS: dict[str, str] = {
    "create_interview": "201",
    "delete_interview": "204",
    "reevaluate_interview": "202",
    "latency_metrics": "202",
    "teams.remove_member": "204",
    "teams.revoke_invitation": "204",
    "teams.create_invitation": "201",
    "webhooks.create_endpoint": "201",
    "webhooks.delete_endpoint": "204",
    "webhooks.send_test_event": "202",
    "review.delete_cv": "204",
}
"""Success statuses other than 200, by endpoint."""

DOWNLOADS: dict[str, tuple[str, dict[str, Any]]] = {
    "exports.interviews_csv": ("text/csv", {"type": "string"}),
    "exports.report_pdf": ("application/pdf", {"type": "string", "format": "binary"}),
}
"""Routes whose success is a file, not a JSON object: its media type and schema, by endpoint (the
fuzzer checks every answer's content type against the document)."""

JSON_OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": True}
"""A success answer's schema: an object (the web app reads its fields through its own types)."""

PUBLIC = {
    "health",
    "openapi",
    "candidate_token",
    "invite_info",
    "latency_metrics",
    "interview_complete",
    "teams.lookup_invitation",
}
"""Routes that take no Firebase ID token (the candidate's secret, the agent's signature, none)."""

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "description": f"{PROBLEM_TYPE_PREFIX}<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
            },
        },
    },
}

_PARAM = re.compile(r"<(?:(?P<converter>[a-zA-Z_]+)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_]+)>")


def openapi_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document for every route of `app` (sorted, so the output is stable)."""
    components: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        path = _PARAM.sub(lambda m: "{" + m["name"] + "}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(app, rule, method, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AI interviewer API",
            "version": "1",
            "description": "Generated from the routes and pydantic models (functions/api/openapi.py). "
            f"JSON bodies nest at most {MAX_JSON_DEPTH} levels; every error is application/problem+json.",
        },
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {"firebase": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def _operation(app: Flask, rule: Rule, method: str, components: dict[str, Any]) -> dict[str, Any]:
    endpoint = rule.endpoint
    view = app.view_functions[endpoint]
    operation: dict[str, Any] = {"operationId": endpoint.replace(".", "_")}
    doc = (view.__doc__ or "").strip().split("\n\n")[0]
    if doc:
        operation["summary"] = " ".join(doc.split())
    parameters = [_path_parameter(app, rule, name) for name in rule.arguments]
    query = query_model_of(view)
    if query is not None:
        parameters += _query_parameters(query, components)
    if endpoint not in PUBLIC:
        operation["security"] = [{"firebase": []}]
        parameters.append(
            {"name": "X-Workspace-Id", "in": "header", "required": False, "schema": {"type": "string"}}
        )
    if parameters:
        operation["parameters"] = parameters
    body = BODIES.get(endpoint)
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema_ref(body, components)}},
        }
    success = SUCCESS.get(endpoint, "200")
    media, schema = DOWNLOADS.get(endpoint, ("application/json", JSON_OBJECT))
    operation["responses"] = {
        success: {"description": "success"}
        if success == "204"
        else {"description": "success", "content": {media: {"schema": schema}}},
        "default": {
            "description": "an error",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        },
    }
    return operation


def _path_parameter(app: Flask, rule: Rule, name: str) -> dict[str, Any]:
    converter = _converter_of(app, rule.rule, name)
    schema: dict[str, Any] = {"type": "string"}
    regex = getattr(converter, "regex", None)
    if converter is not None and isinstance(regex, str):
        schema["pattern"] = f"^{regex}$"
    reserved = getattr(converter, "reserved_pattern", None)  # ids Firestore keeps for itself
    if isinstance(reserved, str):
        schema["not"] = {"pattern": reserved}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _converter_of(app: Flask, rule: str, name: str) -> type | None:
    """The named converter of a path parameter; None for a plain `<name>`."""
    for match in _PARAM.finditer(rule):
        if match["name"] == name and match["converter"]:
            converter: type | None = app.url_map.converters.get(match["converter"])
            return converter
    return None


def _query_parameters(model: type[BaseModel], components: dict[str, Any]) -> list[dict[str, Any]]:
    """One parameter per field; a type the fields share (an enum) goes to the components."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def main(argv: list[str]) -> int:
    """`python -m api.openapi PATH` (from functions/): write the document, as `make openapi` does."""
    import json
    from pathlib import Path

    from .routes import app

    text = json.dumps(openapi_document(app), indent=2, sort_keys=False) + "\n"
    Path(argv[0]).write_text(text)
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
