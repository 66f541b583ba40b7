"""The OpenAPI document is generated from the routes and models, covers every route, and is current."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

from api.openapi import BODIES, openapi_document
from api.routes import app

GENERATED = Path(__file__).resolve().parents[2] / "hosting" / "src" / "generated" / "openapi.json"


def test_every_route_and_method_is_documented() -> None:
    document = openapi_document(app)
    assert document["openapi"] == "3.1.0"
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented


def test_each_routes_body_model_is_the_one_its_code_validates_with() -> None:
    """BODIES is the one table the generator cannot read from the code; it is checked against it."""
    for endpoint, view in app.view_functions.items():
        source = inspect.getsource(view)
        used = re.findall(r"(?:json_body|parse_json)\((?:raw, )?([A-Za-z]+)", source)
        assert used == ([BODIES[endpoint].__name__] if endpoint in BODIES else []), endpoint


def test_errors_are_problem_documents_and_query_parameters_come_from_the_models() -> None:
    document = openapi_document(app)
    listing = document["paths"]["/api/interviews"]["get"]
    names = {p["name"] for p in listing["parameters"] if p["in"] == "query"}
    assert names == {"page_size", "mine", "page_token"}
    default = listing["responses"]["default"]["content"]["application/problem+json"]["schema"]
    assert default == {"$ref": "#/components/schemas/Problem"}
    token = document["paths"]["/api/interviews/{interview_id}/token"]["post"]
    assert token["parameters"][0]["schema"]["pattern"] == "^[A-Za-z0-9_-]{1,64}$"
    assert "security" not in token


def test_the_web_apps_copy_is_current() -> None:
    """hosting/src/generated/openapi.json (the web app's types are generated from it) equals the live one:
    regenerate both with `make openapi`."""
    assert json.loads(GENERATED.read_text()) == openapi_document(app)


def test_the_api_serves_it() -> None:
    with app.test_client() as client:
        answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    assert answer.get_json() == openapi_document(app)


def test_downloads_declare_their_file_type_and_query_enums_resolve() -> None:
    """The CSV export answers text/csv (the fuzzer checks content types against the document), and
    its `status` filter names the interview statuses through a schema the document contains."""
    document = openapi_document(app)
    csv = document["paths"]["/api/exports/interviews.csv"]["get"]
    assert set(csv["responses"]["200"]["content"]) == {"text/csv"}
    pdf = document["paths"]["/api/reports/{interview_id}/export.pdf"]["get"]
    assert set(pdf["responses"]["200"]["content"]) == {"application/pdf"}
    status = next(p for p in csv["parameters"] if p["name"] == "status")
    refs = re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(status))
    assert refs == ["InterviewStatus"]
    assert "evaluated" in document["components"]["schemas"]["InterviewStatus"]["enum"]
