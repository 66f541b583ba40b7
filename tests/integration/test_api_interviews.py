"""Recruiter routes of the api function, against the real emulators and the local Gemini emulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import requests

from tests.conftest import Recruiter
from tests.integration.conftest import interview_body


def test_health(api_url: str) -> None:
    response = requests.get(f"{api_url}/health", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_create_stores_interview_with_skills_and_hashed_secret(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    created = create_interview(recruiter)
    assert created["invite_url"].startswith("http://127.0.0.1:")
    assert f"/i/{created['id']}#" in created["invite_url"]
    assert len(created["secret"]) >= 43  # 32 random bytes, base64url
    names = {s["name"].casefold() for s in created["skills"]}
    assert {"sql", "python"} & names, names
    assert abs(sum(s["weight"] for s in created["skills"]) - 1) < 0.01
    assert created["model"] == "local-emulator"

    stored = store.get(created["id"])
    assert stored.owner_uid == recruiter.uid
    assert stored.status == "invited"
    assert stored.room == f"interview-{created['id']}"
    assert created["secret"] not in str(stored.model_dump())  # only the hash is stored
    assert stored.invite.secret_hash != created["secret"]
    assert {q.skill for q in stored.question_plan} <= {s.name for s in stored.skills}


def test_create_requires_a_valid_id_token(api_url: str) -> None:
    no_token = requests.post(f"{api_url}/api/interviews", json=interview_body(), timeout=10)
    assert no_token.status_code == 401
    assert no_token.json()["error"]["code"] == "unauthenticated"
    bad = requests.post(
        f"{api_url}/api/interviews",
        json=interview_body(),
        headers={"Authorization": "Bearer nonsense"},
        timeout=10,
    )
    assert bad.status_code == 401


def test_create_names_the_invalid_field(api_url: str, recruiter: Recruiter) -> None:
    cases = [
        (interview_body(candidate={"name": "Ada", "email": "not-an-email"}), "candidate.email"),
        (interview_body(job_description="too short"), "job_description"),
        (interview_body(duration_minutes=600), "duration_minutes"),
        (interview_body(language="xx"), "language"),
        (interview_body(unexpected=True), "unexpected"),
        (interview_body(candidate={"name": "", "email": "a@example.com"}), "candidate.name"),
    ]
    for body, field in cases:
        response = requests.post(
            f"{api_url}/api/interviews", json=body, headers=recruiter.headers, timeout=10
        )
        assert response.status_code == 422, (field, response.text)
        assert response.json()["error"]["field"] == field


def test_create_rejects_malformed_and_oversized_bodies(api_url: str, recruiter: Recruiter) -> None:
    headers = {**recruiter.headers, "Content-Type": "application/json"}
    malformed = requests.post(f"{api_url}/api/interviews", data=b"{not json", headers=headers, timeout=10)
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "malformed_json"
    not_object = requests.post(f"{api_url}/api/interviews", data=b"[1, 2]", headers=headers, timeout=10)
    assert not_object.status_code == 422
    huge = interview_body(job_description="x" * 200_000)
    oversized = requests.post(f"{api_url}/api/interviews", json=huge, headers=recruiter.headers, timeout=10)
    assert oversized.status_code == 413
    too_long = interview_body(job_description="word " * 4_100)  # 20.5k chars: under the byte cap
    over_limit = requests.post(
        f"{api_url}/api/interviews", json=too_long, headers=recruiter.headers, timeout=10
    )
    assert over_limit.status_code == 422
    assert over_limit.json()["error"]["field"] == "job_description"
    # Hostile shapes, each its own problem type; none reaches the parser's recursion or the store.
    deep = requests.post(
        f"{api_url}/api/interviews", data=b"[" * 50_000 + b"]" * 50_000, headers=headers, timeout=10
    )
    assert (deep.status_code, deep.json()["code"]) == (400, "json_too_deep")
    as_text = requests.post(
        f"{api_url}/api/interviews",
        data=json.dumps(interview_body()),
        headers={**recruiter.headers, "Content-Type": "text/plain"},
        timeout=10,
    )
    assert (as_text.status_code, as_text.json()["code"]) == (415, "unsupported_media_type")


def test_gemini_failures_are_retried_then_surface_as_503_without_a_write(
    api_url: str, recruiter: Recruiter, gemini_faults: str, store: Any
) -> None:
    before = len(store.list_owned(recruiter.uid, page_size=100, page_token=None)[0])
    # Two failures: the adapter's retries absorb them and the interview is created.
    requests.post(f"{gemini_faults}/emulator/faults", json={"fail_next": 2, "status": 503}, timeout=5)
    ok = requests.post(
        f"{api_url}/api/interviews", json=interview_body(), headers=recruiter.headers, timeout=30
    )
    assert ok.status_code == 201, ok.text
    # Quota exhausted for longer than the request's budget: 503 at once, with Gemini's retry delay.
    quota = {"fail_next": 10, "status": 429, "retry_after_s": 90}
    requests.post(f"{gemini_faults}/emulator/faults", json=quota, timeout=5)
    failed = requests.post(
        f"{api_url}/api/interviews", json=interview_body(), headers=recruiter.headers, timeout=30
    )
    assert failed.status_code == 503, failed.text
    assert failed.json()["error"]["code"] == "model_rate_limited"
    assert failed.headers["Retry-After"] == "90"
    requests.delete(f"{gemini_faults}/emulator/faults", timeout=5)
    # Malformed output every time: also a 503, also nothing stored.
    requests.post(f"{gemini_faults}/emulator/faults", json={"malformed_next": 10}, timeout=5)
    garbled = requests.post(
        f"{api_url}/api/interviews", json=interview_body(), headers=recruiter.headers, timeout=30
    )
    assert garbled.status_code == 503, garbled.text
    assert garbled.json()["error"]["code"] == "model_output_unusable"
    after = len(store.list_owned(recruiter.uid, page_size=100, page_token=None)[0])
    assert after == before + 1
    # The team's daily count was given back for each failed creation: it counts the one created.
    from datetime import UTC, datetime

    from interview_core.adapters.workspace_store import WorkspaceStore

    assert WorkspaceStore().usage(recruiter.workspace_id or "", datetime.now(UTC)).interviews_today == 1


def test_a_refused_request_and_a_declined_job_description_are_not_503s(
    api_url: str, recruiter: Recruiter, gemini_faults: str, store: Any
) -> None:
    """Neither is fixed by trying again: a 4xx from Gemini is our bug (502), a safety block is the
    model declining this job description (422). One call each, nothing stored."""
    before = len(store.list_owned(recruiter.uid, page_size=100, page_token=None)[0])
    stats_before = requests.get(f"{gemini_faults}/emulator/stats", timeout=5).json()["total_calls"]
    requests.post(f"{gemini_faults}/emulator/faults", json={"fail_next": 1, "status": 400}, timeout=5)
    rejected = requests.post(
        f"{api_url}/api/interviews", json=interview_body(), headers=recruiter.headers, timeout=30
    )
    assert rejected.status_code == 502, rejected.text
    assert rejected.json()["error"]["code"] == "model_request_rejected"
    assert "Retry-After" not in rejected.headers
    requests.post(f"{gemini_faults}/emulator/faults", json={"blocked_next": 1, "block": "prompt"}, timeout=5)
    declined = requests.post(
        f"{api_url}/api/interviews", json=interview_body(), headers=recruiter.headers, timeout=30
    )
    assert declined.status_code == 422, declined.text
    assert declined.json()["error"]["code"] == "model_declined"
    assert (
        requests.get(f"{gemini_faults}/emulator/stats", timeout=5).json()["total_calls"] == stats_before + 2
    )
    assert len(store.list_owned(recruiter.uid, page_size=100, page_token=None)[0]) == before


def test_an_over_long_plan_is_clipped_not_refused(
    api_url: str, recruiter: Recruiter, gemini_faults: str, store: Any
) -> None:
    requests.post(f"{gemini_faults}/emulator/faults", json={"overlong_next": 1}, timeout=5)
    created = requests.post(
        f"{api_url}/api/interviews", json=interview_body(), headers=recruiter.headers, timeout=30
    )
    assert created.status_code == 201, created.text
    assert all(len(s["description"]) <= 400 for s in created.json()["skills"])
    assert store.get(created.json()["id"]).metrics["plan"]["clipped_fields"] >= 1


def test_list_is_own_newest_first_and_paginated(
    api_url: str,
    recruiter: Recruiter,
    other_recruiter: Recruiter,
    create_interview: Callable[..., dict[str, Any]],
) -> None:
    ids = [create_interview(recruiter, role=f"Engineer {n}")["id"] for n in range(3)]
    create_interview(other_recruiter)
    first = requests.get(f"{api_url}/api/interviews?page_size=2", headers=recruiter.headers, timeout=10)
    assert first.status_code == 200
    page1 = first.json()
    assert [i["id"] for i in page1["interviews"]] == ids[::-1][:2]
    assert page1["next_page_token"]
    second = requests.get(
        f"{api_url}/api/interviews",
        params={"page_size": 2, "page_token": page1["next_page_token"]},
        headers=recruiter.headers,
        timeout=10,
    )
    page2 = second.json()
    assert [i["id"] for i in page2["interviews"]] == [ids[0]]
    assert page2["next_page_token"] is None
    assert "job_description" not in page2["interviews"][0]

    for query in ("page_size=1000", "page_size=%C2%B2", "page_size=2&page_size=3", "mine=maybe", "sort=asc"):
        bad = requests.get(f"{api_url}/api/interviews?{query}", headers=recruiter.headers, timeout=10)
        assert bad.status_code == 400, query
        assert bad.json()["code"] in ("invalid_query_parameter", "unknown_query_parameter")
    bad_token = requests.get(
        f"{api_url}/api/interviews?page_token=zzz", headers=recruiter.headers, timeout=10
    )
    assert bad_token.status_code == 400
    # Another recruiter's cursor does not open this recruiter's list.
    foreign = requests.get(
        f"{api_url}/api/interviews",
        params={"page_token": page1["next_page_token"]},
        headers=other_recruiter.headers,
        timeout=10,
    )
    assert foreign.status_code == 400


def test_get_returns_turns_and_hides_the_secret_hash(
    api_url: str,
    recruiter: Recruiter,
    other_recruiter: Recruiter,
    create_interview: Callable[..., dict[str, Any]],
    store: Any,
) -> None:
    from datetime import UTC, datetime

    from interview_core.domain.models import Turn, TurnRole

    created = create_interview(recruiter)
    now = datetime.now(UTC)
    store.add_turns(
        created["id"],
        [
            Turn(seq=1, role=TurnRole.CANDIDATE, text="I build pipelines.", started_at=now, ended_at=now),
            Turn(seq=0, role=TurnRole.AGENT, text="Hello Ada.", started_at=now, ended_at=now),
        ],
    )
    response = requests.get(
        f"{api_url}/api/interviews/{created['id']}", headers=recruiter.headers, timeout=10
    )
    assert response.status_code == 200
    body = response.json()
    assert [t["seq"] for t in body["turns"]] == [0, 1]
    assert "secret_hash" not in body["invite"]
    assert body["invite"]["max_uses"] >= 1

    foreign = requests.get(
        f"{api_url}/api/interviews/{created['id']}", headers=other_recruiter.headers, timeout=10
    )
    assert foreign.status_code == 404
    unknown = requests.get(f"{api_url}/api/interviews/doesnotexist", headers=recruiter.headers, timeout=10)
    assert unknown.status_code == 404
    no_auth = requests.get(f"{api_url}/api/interviews/{created['id']}", timeout=10)
    assert no_auth.status_code == 401


def test_cancel_is_owner_only_idempotent_and_respects_the_status_machine(
    api_url: str,
    recruiter: Recruiter,
    other_recruiter: Recruiter,
    create_interview: Callable[..., dict[str, Any]],
    store: Any,
) -> None:
    created = create_interview(recruiter)
    url = f"{api_url}/api/interviews/{created['id']}/cancel"
    assert requests.post(url, headers=other_recruiter.headers, timeout=10).status_code == 404
    first = requests.post(url, headers=recruiter.headers, timeout=10)
    assert first.status_code == 200
    assert first.json()["status"] == "cancelled"
    assert requests.post(url, headers=recruiter.headers, timeout=10).status_code == 200

    finished = create_interview(recruiter)
    store.interview_ref(finished["id"]).update({"status": "evaluated"})
    refused = requests.post(
        f"{api_url}/api/interviews/{finished['id']}/cancel", headers=recruiter.headers, timeout=10
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "illegal_transition"


def test_delete_removes_interview_turns_report_and_files(
    api_url: str,
    recruiter: Recruiter,
    other_recruiter: Recruiter,
    create_interview: Callable[..., dict[str, Any]],
    store: Any,
) -> None:
    from datetime import UTC, datetime

    from interview_core.adapters import archive
    from interview_core.domain.models import Turn, TurnRole

    created = create_interview(recruiter)
    interview_id = created["id"]
    now = datetime.now(UTC)
    store.add_turns(interview_id, [Turn(seq=0, role=TurnRole.AGENT, text="Hi", started_at=now, ended_at=now)])
    store.report_ref(interview_id).set({"owner_uid": recruiter.uid, "overall_score": 70})
    archive.bucket().blob(f"{archive.interview_prefix(interview_id)}transcript.json").upload_from_string("{}")

    url = f"{api_url}/api/interviews/{interview_id}"
    assert requests.delete(url, headers=other_recruiter.headers, timeout=10).status_code == 404
    assert store.get(interview_id) is not None
    response = requests.delete(url, headers=recruiter.headers, timeout=10)
    assert response.status_code == 204
    assert store.get(interview_id) is None
    assert store.turns(interview_id) == []
    assert store.report(interview_id) is None
    assert list(archive.bucket().list_blobs(prefix=archive.interview_prefix(interview_id))) == []
    assert requests.delete(url, headers=recruiter.headers, timeout=10).status_code == 404


def test_delete_refuses_a_running_interview(
    api_url: str, recruiter: Recruiter, create_interview: Callable[..., dict[str, Any]], store: Any
) -> None:
    created = create_interview(recruiter)
    store.interview_ref(created["id"]).update({"status": "in_progress"})
    response = requests.delete(
        f"{api_url}/api/interviews/{created['id']}", headers=recruiter.headers, timeout=10
    )
    assert response.status_code == 409
    assert store.get(created["id"]) is not None


def test_report_is_404_unknown_202_pending_200_ready(
    api_url: str,
    recruiter: Recruiter,
    other_recruiter: Recruiter,
    create_interview: Callable[..., dict[str, Any]],
    store: Any,
) -> None:
    created = create_interview(recruiter)
    url = f"{api_url}/api/reports/{created['id']}"
    assert (
        requests.get(f"{api_url}/api/reports/unknown", headers=recruiter.headers, timeout=10).status_code
        == 404
    )
    assert requests.get(url, headers=other_recruiter.headers, timeout=10).status_code == 404
    pending = requests.get(url, headers=recruiter.headers, timeout=10)
    assert pending.status_code == 202
    assert pending.json()["status"] == "invited"
    store.report_ref(created["id"]).set(
        {"owner_uid": recruiter.uid, "overall_score": 81, "recommendation": "hire"}
    )
    ready = requests.get(url, headers=recruiter.headers, timeout=10)
    assert ready.status_code == 200
    assert ready.json()["overall_score"] == 81


def test_unknown_route_and_method_answer_json(api_url: str) -> None:
    missing = requests.get(f"{api_url}/api/nothing-here", timeout=5)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong_method = requests.put(f"{api_url}/api/interviews", timeout=5)
    assert wrong_method.status_code == 405
