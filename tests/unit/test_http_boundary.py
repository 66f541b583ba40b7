"""Hostile input at the api's HTTP edge: every refusal is a problem document, none is a 500 or HTML.

Flask's test client drives the real app; these paths are refused before any store or emulator is
used, so no stack is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from api.errors import ApiError
from api.routes import app
from http_boundary import MAX_JSON_DEPTH, json_depth, parse_json
from interview_core.domain.models import TokenRequest
from tests.problem import PROBLEM_TYPE_PREFIX, PROBLEM_VALIDATOR

WEBHOOK = "/api/webhooks/interview-complete"
INVITE = "/api/interviews/abc/invite"


@pytest.fixture
def client() -> Iterator[FlaskClient]:
    with app.test_client() as client:
        yield client


def problem_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    problem: dict[str, Any] = response.get_json()
    assert PROBLEM_VALIDATOR.is_valid(problem), problem
    assert (problem["status"], problem["code"]) == (status, code)
    assert problem["type"] == PROBLEM_TYPE_PREFIX + code
    return problem


def test_flask_own_404_and_405_are_problem_documents(client: FlaskClient) -> None:
    problem_of(client.get("/no/such/route"), 404, "not_found")
    problem_of(client.get(WEBHOOK), 405, "method_not_allowed")


def test_a_fifty_thousand_level_body_is_a_400_not_a_recursion_error(client: FlaskClient) -> None:
    with pytest.raises(ApiError) as refused:
        parse_json(b"[" * 50_000 + b"]" * 50_000, TokenRequest)
    assert (refused.value.status, refused.value.code) == (400, "json_too_deep")
    deep = b"[" * 1_500 + b"]" * 1_500  # within the token route's 4 KiB
    answer = client.post(INVITE, data=deep, content_type="application/json")
    assert str(MAX_JSON_DEPTH) in problem_of(answer, 400, "json_too_deep")["detail"]
    nested_objects = b'{"a":' * 40 + b"1" + b"}" * 40
    answer = client.post(INVITE, data=nested_objects, content_type="application/json")
    problem_of(answer, 400, "json_too_deep")


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth(b'{"invite": "[[[[{{{{\\"[[["}') == 1
    assert json_depth(b"[[1], [[2]]]") == 3
    assert json_depth(b"") == 0
    assert json_depth(b"[" * (MAX_JSON_DEPTH + 1)) == MAX_JSON_DEPTH + 1


def test_malformed_json_and_a_wrong_content_type_are_refused(client: FlaskClient) -> None:
    problem_of(
        client.post(INVITE, data=b'{"invite": ', content_type="application/json"), 400, "malformed_json"
    )
    problem_of(client.post(INVITE, data=b"\xff\xfe", content_type="application/json"), 400, "malformed_json")
    problem_of(
        client.post(INVITE, data=b'{"invite": "x"}', content_type="text/plain"), 415, "unsupported_media_type"
    )
    problem_of(
        client.post(INVITE, data=b"invite=x", content_type="application/x-www-form-urlencoded"),
        415,
        "unsupported_media_type",
    )


def test_an_unknown_query_parameter_is_a_400(client: FlaskClient) -> None:
    problem = problem_of(client.get("/api/interviews?bogus=1"), 400, "unknown_query_parameter")
    assert problem["field"] == "bogus"
    problem_of(client.get("/health?x=1"), 400, "unknown_query_parameter")


def test_a_bug_is_a_problem_document_that_tells_nothing_of_it() -> None:
    with app.test_request_context("/api/interviews"):
        answer = app.handle_user_exception(RuntimeError("secret internals"))
    problem = problem_of(answer, 500, "internal_error")
    assert "secret" not in answer.get_data(as_text=True)
    assert problem["title"] == "Internal Server Error"


def test_a_body_larger_than_the_bound_is_a_413(client: FlaskClient) -> None:
    problem_of(
        client.post(WEBHOOK, data=b"{" + b" " * 200_000 + b"}", content_type="application/json"),
        413,
        "payload_too_large",
    )


@pytest.mark.parametrize("reserved", ["__main__", "____", "__" + "x" * 60 + "__"])
def test_an_id_firestore_reserves_is_not_found_before_any_lookup(client: FlaskClient, reserved: str) -> None:
    """`__name__` ids make Firestore answer InvalidArgument, which would read as a backend failure."""
    problem_of(client.post(f"/api/interviews/{reserved}/invite", json={"invite": "x" * 43}), 404, "not_found")
    problem_of(client.patch(f"/api/workspace/members/{reserved}", json={"role": "viewer"}), 404, "not_found")
    # the same shape one underscore short is an ordinary id: routed, then refused for what it lacks
    near = reserved[:-1] + "x"
    problem_of(client.post(f"/api/interviews/{near}/invite", json={}), 422, "invalid_field")


def test_document_ids_are_checked_by_one_rule() -> None:
    from interview_core.domain.ids import is_document_id, is_reserved

    assert all(map(is_document_id, ["jLLjZ4uBrjp3ZtUjiC3T", "_a_", "___", "a__", "__a"]))
    assert not any(map(is_document_id, ["", "a/b", "a b", "x" * 65, "__a__", "____", "é", 7]))
    assert is_document_id("u" * 128, 128)
    assert not is_reserved("__")


def test_a_reserved_id_in_a_body_is_refused() -> None:
    from interview_core.domain.models import CompletionNotice

    body = b'{"interview_id": "__main__", "end_reason": "completed"}'
    with pytest.raises(ApiError) as refused:
        parse_json(body, CompletionNotice)
    assert (refused.value.status, refused.value.code) == (422, "invalid_field")


@pytest.mark.parametrize(
    "change",
    [
        {"draft": 0},
        {"draft": "true"},
        {"duration_minutes": "20"},
        {"duration_minutes": 20.0},
        {"options": {"send_invite_email": 1}},
    ],
)
def test_a_boolean_or_count_of_the_wrong_json_type_is_refused(change: dict[str, Any]) -> None:
    """The contract says boolean and integer; lax coercion of 0, "true" or "20" would let a careless
    integration's bug through as a different request than the one it meant."""
    import json

    from interview_core.domain.models import CreateInterviewRequest

    body = {
        "candidate": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "role": "Backend engineer",
        "job_description": "We build the payments platform in Python and Go. " * 3,
    }
    assert parse_json(json.dumps(body).encode(), CreateInterviewRequest).draft is False
    with pytest.raises(ApiError) as refused:
        parse_json(json.dumps({**body, **change}).encode(), CreateInterviewRequest)
    assert (refused.value.status, refused.value.code) == (422, "invalid_field")


def test_a_path_the_functions_framework_cannot_route_is_a_problem_document() -> None:
    """The framework's catch-all route does not match a newline; its own 404 was an HTML page."""
    import functions_framework

    from devstack.stack import ROOT

    framework = functions_framework.create_app("api", str(ROOT / "functions" / "main.py")).test_client()
    problem_of(framework.get("/api/interviews/%0A"), 404, "not_found")
    problem_of(framework.get("/api/interviews/a%0Ab/cv"), 404, "not_found")
