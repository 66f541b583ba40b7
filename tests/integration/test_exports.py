"""Exports: the interview list as CSV with the dashboard's filters, scores and recommendation (and no
formula a spreadsheet would run), the report as JSON and as a PDF that opens and holds the scores; a
viewer may export, another team may not."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from tests.conftest import Recruiter
from tests.integration.conftest import signed_webhook
from tests.integration.pipeline_support import Queue, golden, seed_finished_interview, wait_for

Create = Callable[..., dict[str, Any]]
COLUMNS = [
    "id",
    "candidate_name",
    "candidate_email",
    "role",
    "language",
    "status",
    "created_at",
    "ended_at",
    "overall_score",
    "recommendation",
    "invite_email",
]


@pytest.fixture(scope="module")
def evaluated(
    stack: dict[str, str], auth_emulator: Any, queue: Queue
) -> tuple[Recruiter, str, dict[str, Any]]:
    """A team with one evaluated interview (golden "strong" transcript) and its report."""
    from interview_core.adapters.firestore_store import InterviewStore
    from tests.integration.conftest import interview_body

    api_url = stack["API_URL"]
    recruiter = auth_emulator.member("recruiter")
    store = InterviewStore()
    created = requests.post(
        f"{api_url}/api/interviews",
        json=interview_body(candidate={"name": "Eva Luated", "email": "eva@example.com"}),
        headers=recruiter.headers,
        timeout=30,
    ).json()
    seed_finished_interview(store, created["id"], golden("strong"))
    response = signed_webhook(api_url, {"interview_id": created["id"], "end_reason": "completed"})
    assert response.status_code == 200, response.text
    wait_for(lambda: store.get(created["id"]).status == "evaluated", what="the interview evaluated")
    return recruiter, created["id"], store.report(created["id"])


def csv_rows(response: requests.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="interviews-')
    reader = csv.DictReader(io.StringIO(response.text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_the_csv_has_the_columns_scores_and_the_dashboards_filters(
    api_url: str, evaluated: tuple[Recruiter, str, dict[str, Any]], create_interview: Create
) -> None:
    recruiter, evaluated_id, report = evaluated
    invited = create_interview(recruiter, candidate={"name": '=HYPERLINK("x")', "email": "hy@example.com"})
    other = create_interview(
        recruiter, candidate={"name": "Bob Other", "email": "bob@example.com"}, role="Chef"
    )
    url = f"{api_url}/api/exports/interviews.csv"

    everything = csv_rows(requests.get(url, headers=recruiter.headers, timeout=30))
    assert [r["id"] for r in everything] == [other["id"], invited["id"], evaluated_id]  # newest first
    scored = everything[-1]
    assert scored["status"] == "evaluated"
    assert scored["overall_score"] == str(report["overall_score"])
    assert scored["recommendation"] == report["recommendation"]
    assert scored["candidate_name"] == "Eva Luated"
    assert everything[0]["invite_email"] == "sent"
    assert everything[1]["candidate_name"] == '\'=HYPERLINK("x")'  # shown as text, never run

    only_evaluated = csv_rows(
        requests.get(url, params={"status": "evaluated"}, headers=recruiter.headers, timeout=30)
    )
    assert [r["id"] for r in only_evaluated] == [evaluated_id]
    by_search = csv_rows(requests.get(url, params={"q": "chef BOB"}, headers=recruiter.headers, timeout=30))
    assert [r["id"] for r in by_search] == [other["id"]]
    by_score = csv_rows(requests.get(url, params={"sort": "score"}, headers=recruiter.headers, timeout=30))
    assert by_score[0]["id"] == evaluated_id  # scored first, then the unscored newest first

    for name, value in {"status": "sleeping", "sort": "name", "mine": "maybe", "q": "x" * 201}.items():
        bad = requests.get(url, params={name: value}, headers=recruiter.headers, timeout=10)
        assert bad.status_code == 400, (name, bad.text)
        assert bad.json()["code"] == "invalid_query_parameter"
        assert bad.json()["error"]["field"] == name


def test_the_report_exports_as_json_and_as_a_pdf_holding_the_scores(
    api_url: str, evaluated: tuple[Recruiter, str, dict[str, Any]]
) -> None:
    recruiter, interview_id, report = evaluated
    as_json = requests.get(
        f"{api_url}/api/reports/{interview_id}/export.json", headers=recruiter.headers, timeout=30
    )
    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["Content-Disposition"] == f'attachment; filename="report-{interview_id}.json"'
    body = as_json.json()
    assert body["interview"]["candidate"] == "Eva Luated"
    assert body["report"]["overall_score"] == report["overall_score"]
    assert [s["score"] for s in body["report"]["skills"]] == [s["score"] for s in report["skills"]]

    as_pdf = requests.get(
        f"{api_url}/api/reports/{interview_id}/export.pdf", headers=recruiter.headers, timeout=30
    )
    assert as_pdf.status_code == 200, as_pdf.text
    assert as_pdf.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(as_pdf.content)).pages)
    assert "Eva Luated" in text
    assert f"Overall score: {report['overall_score']} / 100" in text
    for skill in report["skills"]:
        if skill["score"] is not None:
            assert f"{skill['name']}: {skill['score']} / 5" in text


def test_exports_respect_roles_and_teams(
    api_url: str, evaluated: tuple[Recruiter, str, dict[str, Any]], auth_emulator: Any
) -> None:
    recruiter, interview_id, _ = evaluated
    viewer = auth_emulator.member("viewer", workspace_id=recruiter.workspace_id)
    outsider = auth_emulator.member("recruiter")
    stranger = auth_emulator.verified()  # in no team
    pdf = f"{api_url}/api/reports/{interview_id}/export.pdf"
    listing = f"{api_url}/api/exports/interviews.csv"

    assert requests.get(pdf, headers=viewer.headers, timeout=30).status_code == 200
    assert interview_id in requests.get(listing, headers=viewer.headers, timeout=30).text
    assert requests.get(pdf, headers=outsider.headers, timeout=30).status_code == 404
    assert interview_id not in requests.get(listing, headers=outsider.headers, timeout=30).text
    assert requests.get(pdf, headers=stranger.headers, timeout=30).status_code == 403
    assert requests.get(listing, timeout=30).status_code == 401
