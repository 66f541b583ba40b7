"""A data-subject request: an admin erases everything stored of one candidate email in the workspace;
other candidates and other workspaces keep theirs, and the record of the erasure holds no address."""

from __future__ import annotations

import json
from typing import Any

import requests

from tests.conftest import AuthEmulator
from tests.integration.pipeline_support import Create, golden, remains, seed_finished_interview

EMAIL = "grace.hopper@example.com"


def _with_everything(store: Any, interview_id: str) -> None:
    """Turns, a report and an archive file, as an evaluated interview has them."""
    from interview_core.adapters import archive

    seed_finished_interview(store, interview_id, golden("strong"), status="completed")
    store.report_ref(interview_id).set({"generation": 1, "summary": "seeded"})
    archive.write_transcript(interview_id, {"interview_id": interview_id})


def test_an_admin_erases_one_candidate_across_the_workspace(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any
) -> None:
    from interview_core.domain.retention import email_digest

    admin = auth_emulator.member("admin")
    recruiter = auth_emulator.member("recruiter", admin.workspace_id)
    elsewhere = auth_emulator.member("admin")
    candidate = {"name": "Grace Hopper", "email": EMAIL}
    first = create_interview(recruiter, candidate=candidate)["id"]
    second = create_interview(admin, candidate={**candidate, "email": "Grace.Hopper@Example.com"})["id"]
    other_candidate = create_interview(recruiter)["id"]
    other_workspace = create_interview(elsewhere, candidate=candidate)["id"]
    for interview_id in (first, second, other_candidate, other_workspace):
        _with_everything(store, interview_id)

    url = f"{api_url}/api/workspace/erasures"
    refused = requests.post(url, json={"email": EMAIL}, headers=recruiter.headers, timeout=30)
    assert refused.status_code == 403, refused.text
    assert requests.post(
        url, json={"email": "not an address"}, headers=admin.headers, timeout=30
    ).status_code in (
        400,
        422,
    )
    assert remains(store, first) == ["document", "turns", "report", "files"]

    answer = requests.post(url, json={"email": EMAIL.upper()}, headers=admin.headers, timeout=60)
    assert answer.status_code == 200, answer.text
    digest = email_digest(admin.workspace_id or "", EMAIL)
    assert answer.json() == {"email_sha256": digest, "interviews_deleted": 2, "files_deleted": 2}

    assert remains(store, first) == []
    assert remains(store, second) == []
    assert remains(store, other_candidate) == ["document", "turns", "report", "files"]
    assert remains(store, other_workspace) == ["document", "turns", "report", "files"]
    assert store.tombstone_ref(first).get().to_dict()["reason"] == "data_subject_request"

    # The record: who, when, which digest, how much; never the address or the name.
    audit = requests.get(f"{api_url}/api/workspace/audit", headers=admin.headers, timeout=10).json()
    entry = next(e for e in audit["entries"] if e["action"] == "candidate.data_erased")
    assert entry["target"] == f"sha256:{digest}"
    assert entry["detail"] == {"interviews_deleted": 2, "files_deleted": 2}
    assert entry["actor_uid"] == admin.uid
    text = json.dumps(audit).lower()
    assert "grace" not in text
    assert "hopper" not in text

    # Asked again, nothing is left to delete, and that is recorded too.
    again = requests.post(url, json={"email": EMAIL}, headers=admin.headers, timeout=60)
    assert again.json()["interviews_deleted"] == 0
