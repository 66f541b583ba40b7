"""Review before invite and the candidate's CV (issue 21), against the real emulators (Firestore,
Storage, Auth) and the local Gemini emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests import cv_pdfs
from tests.conftest import AuthEmulator, Recruiter

PDF = {"Content-Type": "application/pdf"}


@pytest.fixture
def draft(recruiter: Recruiter, create_draft: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return create_draft(recruiter)


@pytest.fixture
def create_draft(api_url: str) -> Callable[..., dict[str, Any]]:
    from tests.integration.conftest import interview_body

    def create(recruiter: Recruiter) -> dict[str, Any]:
        response = requests.post(
            f"{api_url}/api/interviews",
            json=interview_body(draft=True),
            headers=recruiter.headers,
            timeout=30,
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    return create


def _blobs(interview_id: str) -> list[str]:
    from interview_core.adapters.archive import bucket, interview_prefix

    return [b.name for b in bucket().list_blobs(prefix=interview_prefix(interview_id))]


def _edit(api_url: str, recruiter: Recruiter, interview_id: str, body: dict[str, Any]) -> requests.Response:
    return requests.put(
        f"{api_url}/api/interviews/{interview_id}/plan", json=body, headers=recruiter.headers, timeout=10
    )


def _reviewed(draft: dict[str, Any]) -> dict[str, Any]:
    """The recruiter's edit: the last question first and reworded, one deleted, a must-ask added,
    a weight and an anchor changed."""
    skills = [dict(s) for s in draft["skills"]]
    skills[0]["weight"] = 0.9
    skills[0]["anchors"] = {
        **skills[0]["anchors"],
        "high": "Names the query plan they fixed and the time saved.",
    }
    questions = [dict(q) for q in draft["question_plan"]]
    questions = [questions[-1], *questions[:-1]][: max(1, len(questions) - 1)]
    questions[0]["question"] = "Walk me through the hardest data problem you solved last year."
    questions.append(
        {
            "skill": skills[0]["name"],
            "question": "What would you change first in our nightly ETL?",
            "must_ask": True,
        }
    )
    return {"base_version": draft["plan_version"], "skills": skills, "question_plan": questions}


def test_a_draft_has_no_working_invite_until_it_is_sent(
    api_url: str, recruiter: Recruiter, draft: dict[str, Any], store: Any
) -> None:
    assert draft["status"] == "draft"
    assert draft["invite_url"] is None
    assert draft["plan_version"] == 1
    assert draft["plan_hash"]
    stored = store.get(draft["id"])
    assert stored.status == "draft"

    sent = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/send-invite", headers=recruiter.headers, timeout=10
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "invited"
    secret = sent.json()["invite_url"].split("#", 1)[1]
    info = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/invite", json={"invite": secret}, timeout=10
    )
    assert info.status_code == 200, info.text

    again = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/send-invite", headers=recruiter.headers, timeout=10
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "plan_locked"
    locked = _edit(api_url, recruiter, draft["id"], _reviewed(draft))
    assert locked.status_code == 409
    assert locked.json()["error"]["code"] == "plan_locked"


def test_the_token_route_refuses_a_draft(draft: dict[str, Any], store: Any) -> None:
    from interview_core.domain import invites
    from interview_core.domain.errors import InviteNotSent

    stored = store.get(draft["id"])
    secret = invites.new_secret()  # even a matching secret does not open a draft
    with pytest.raises(InviteNotSent):
        invites.check_invite(
            stored.invite.model_copy(update={"secret_hash": invites.hash_secret(secret)}),
            stored.status,
            secret,
            stored.created_at,
        )


def test_the_recruiter_edits_the_plan_and_each_edit_is_a_new_version(
    api_url: str, recruiter: Recruiter, draft: dict[str, Any], store: Any
) -> None:
    body = _reviewed(draft)
    edited = _edit(api_url, recruiter, draft["id"], body)
    assert edited.status_code == 200, edited.text
    plan = edited.json()
    assert plan["plan_version"] == 2
    assert plan["plan_hash"] != draft["plan_hash"]
    assert plan["question_plan"][0]["question"] == body["question_plan"][0]["question"]
    assert plan["question_plan"][-1]["must_ask"] is True
    assert abs(sum(s["weight"] for s in plan["skills"]) - 1) < 0.01
    stored = store.get(draft["id"])
    assert stored.plan_version == 2
    assert stored.skills[0].anchors.high == "Names the query plan they fixed and the time saved."
    assert [q.question for q in stored.question_plan] == [q["question"] for q in body["question_plan"]]

    repeated = _edit(api_url, recruiter, draft["id"], body)  # the same edit retried: no new version
    assert repeated.status_code == 200
    assert repeated.json()["plan_version"] == 2
    stale = _edit(api_url, recruiter, draft["id"], {**body, "question_plan": body["question_plan"][:1]})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"


def test_bad_plan_edits_are_refused_and_change_nothing(
    api_url: str, recruiter: Recruiter, other_recruiter: Recruiter, draft: dict[str, Any], store: Any
) -> None:
    good = _reviewed(draft)
    skill = good["skills"][0]
    cases: list[tuple[dict[str, Any], str | None]] = [
        ({**good, "question_plan": []}, "question_plan"),
        ({**good, "question_plan": good["question_plan"] * 9}, "question_plan"),
        ({**good, "skills": [{**skill, "weight": 2}]}, "skills.0.weight"),
        ({**good, "skills": [skill, dict(skill)]}, None),
        ({**good, "question_plan": [{"skill": "Cooking", "question": "Favourite dish?"}]}, None),
        (
            {**good, "question_plan": [{"skill": skill["name"], "question": "x" * 601}]},
            "question_plan.0.question",
        ),
        ({**good, "skills": [{**skill, "anchors": {"low": "y" * 301}}]}, "skills.0.anchors.low"),
        ({**good, "base_version": 0}, "base_version"),
        ({**good, "extra": 1}, "extra"),
    ]
    for body, field in cases:
        response = _edit(api_url, recruiter, draft["id"], body)
        assert response.status_code == 422, (field, response.text)
        if field:
            assert response.json()["error"]["field"] == field
    outsider = _edit(api_url, other_recruiter, draft["id"], good)
    assert outsider.status_code == 404
    assert store.get(draft["id"]).plan_version == 1


def test_a_cv_is_stored_read_by_the_team_only_replans_and_goes_with_the_interview(
    api_url: str, recruiter: Recruiter, other_recruiter: Recruiter, draft: dict[str, Any], store: Any
) -> None:
    edited = _edit(api_url, recruiter, draft["id"], _reviewed(draft))
    assert edited.status_code == 200
    pdf = cv_pdfs.text_pdf()
    attached = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/cv?filename=Ada%20CV.pdf",
        data=pdf,
        headers={**recruiter.headers, **PDF},
        timeout=30,
    )
    assert attached.status_code == 201, attached.text
    plan = attached.json()
    assert plan["plan_version"] == 3  # regenerated from the job description and the CV
    assert plan["cv"]["filename"] == "Ada CV.pdf"
    assert plan["cv"]["pages"] == 1
    cv_questions = [q["question"] for q in plan["question_plan"] if q["question"].startswith("Your CV says")]
    assert len(cv_questions) == 1, plan["question_plan"]  # the local model asks about the CV's own line
    assert "nightly SQL reports on BigQuery" in cv_questions[0]
    must_ask = [q for q in plan["question_plan"] if q["must_ask"]]
    assert [q["question"] for q in must_ask] == ["What would you change first in our nightly ETL?"]
    stored = store.get(draft["id"])
    assert stored.cv_text
    assert "Kafka ingestion pipeline" in stored.cv_text
    assert _blobs(draft["id"]) == [stored.cv.path]

    mine = requests.get(f"{api_url}/api/interviews/{draft['id']}/cv", headers=recruiter.headers, timeout=10)
    assert mine.status_code == 200
    assert mine.content == pdf
    assert mine.headers["Content-Type"] == "application/pdf"
    theirs = requests.get(
        f"{api_url}/api/interviews/{draft['id']}/cv", headers=other_recruiter.headers, timeout=10
    )
    assert theirs.status_code == 404
    anonymous = requests.get(f"{api_url}/api/interviews/{draft['id']}/cv", timeout=10)
    assert anonymous.status_code == 401

    replaced = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/cv?replan=0",
        data=cv_pdfs.text_pdf(("Grace Hopper", "Wrote the first compiler and the SQL of its era.")),
        headers={**recruiter.headers, **PDF},
        timeout=30,
    )
    assert replaced.status_code == 201, replaced.text
    assert replaced.json()["plan_version"] == 3  # replan=0: the plan stays
    assert _blobs(draft["id"]) == [store.get(draft["id"]).cv.path]  # the old file is gone

    deleted = requests.delete(
        f"{api_url}/api/interviews/{draft['id']}", headers=recruiter.headers, timeout=10
    )
    assert deleted.status_code == 204
    assert _blobs(draft["id"]) == []


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        (cv_pdfs.encrypted_pdf(), "application/pdf", 422, "cv_encrypted"),
        (cv_pdfs.corrupt_pdf(), "application/pdf", 422, "cv_unreadable"),
        (cv_pdfs.blank_pdf(), "application/pdf", 422, "cv_no_text"),
        (b"", "application/pdf", 415, "cv_wrong_type"),
        (cv_pdfs.PNG_BYTES, "application/pdf", 415, "cv_wrong_type"),
        (
            cv_pdfs.DOCX_LIKE,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            415,
            "cv_wrong_type",
        ),
        (cv_pdfs.text_pdf(), "text/plain", 415, "cv_wrong_type"),
        (cv_pdfs.text_pdf() + b"%" * (5 * 1024 * 1024), "application/pdf", 413, "cv_too_large"),
    ],
    ids=["encrypted", "corrupt", "scan-no-text", "empty", "png-as-pdf", "docx", "pdf-as-text", "oversized"],
)
def test_a_bad_cv_file_gets_a_clear_error_and_nothing_is_stored(
    api_url: str,
    recruiter: Recruiter,
    draft: dict[str, Any],
    store: Any,
    data: bytes,
    content_type: str,
    status: int,
    code: str,
) -> None:
    response = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/cv",
        data=data,
        headers={**recruiter.headers, "Content-Type": content_type},
        timeout=30,
    )
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    stored = store.get(draft["id"])
    assert stored.cv is None
    assert stored.cv_text is None
    assert stored.plan_version == 1
    assert _blobs(draft["id"]) == []


def test_a_cv_cannot_be_attached_after_the_invite_is_sent(
    api_url: str, recruiter: Recruiter, draft: dict[str, Any]
) -> None:
    requests.post(
        f"{api_url}/api/interviews/{draft['id']}/send-invite", headers=recruiter.headers, timeout=10
    )
    late = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/cv",
        data=cv_pdfs.text_pdf(),
        headers={**recruiter.headers, **PDF},
        timeout=30,
    )
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "plan_locked"
    assert _blobs(draft["id"]) == []


def test_the_report_names_the_plan_version_it_graded(
    api_url: str, recruiter: Recruiter, draft: dict[str, Any], store: Any, queue: Any
) -> None:
    from tests.integration.conftest import signed_webhook
    from tests.integration.pipeline_support import golden, seed_finished_interview, wait_for

    transcript = golden("strong")
    plan = transcript["interview"]
    edit = {"base_version": 1, "skills": plan["skills"], "question_plan": plan["question_plan"]}
    edited = _edit(api_url, recruiter, draft["id"], edit)
    assert edited.status_code == 200, edited.text
    sent = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/send-invite", headers=recruiter.headers, timeout=10
    )
    assert sent.status_code == 200, sent.text
    approved = store.get(draft["id"])
    seed_finished_interview(
        store,
        draft["id"],
        transcript,
        extra={
            "skills": [s.model_dump() for s in approved.skills],
            "question_plan": [q.model_dump() for q in approved.question_plan],
        },
    )
    response = signed_webhook(api_url, {"interview_id": draft["id"], "end_reason": "completed"})
    assert response.status_code == 200, response.text
    wait_for(lambda: store.report(draft["id"]), what="the report")
    report = store.report(draft["id"])
    assert report["plan_version"] == 2
    assert report["plan_hash"] == approved.plan_hash == sent.json()["plan_hash"]


def _attach(api_url: str, recruiter: Recruiter, interview_id: str) -> dict[str, Any]:
    response = requests.post(
        f"{api_url}/api/interviews/{interview_id}/cv?replan=0",
        data=cv_pdfs.text_pdf(),
        headers={**recruiter.headers, **PDF},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _delete_cv(api_url: str, recruiter: Recruiter | None, interview_id: str) -> requests.Response:
    headers = recruiter.headers if recruiter else {}
    return requests.delete(f"{api_url}/api/interviews/{interview_id}/cv", headers=headers, timeout=10)


def _cv_audit(workspace_id: str | None, interview_id: str) -> list[dict[str, Any]]:
    from interview_core.adapters.workspace_store import WorkspaceStore

    assert workspace_id
    entries, _ = WorkspaceStore().audit(workspace_id, page_size=100, page_token=None)
    return [e for e in entries if e["action"] == "cv.deleted" and e["target"] == interview_id]


def _assert_no_cv_stored(store: Any, interview_id: str) -> None:
    """Nothing of the CV is left: no object under the interview's prefix, no file info, no text."""
    assert _blobs(interview_id) == []
    raw = store.interview_ref(interview_id).get().to_dict()
    assert raw.get("cv") is None
    assert raw.get("cv_text") is None
    assert "Kafka" not in repr(raw)


def test_a_recruiter_removes_a_drafts_cv_and_nothing_of_it_remains(
    api_url: str, recruiter: Recruiter, draft: dict[str, Any], store: Any
) -> None:
    attached = _attach(api_url, recruiter, draft["id"])
    assert len(_blobs(draft["id"])) == 1

    removed = _delete_cv(api_url, recruiter, draft["id"])
    assert removed.status_code == 204, removed.text
    _assert_no_cv_stored(store, draft["id"])
    stored = store.get(draft["id"])
    assert stored.status == "draft"
    assert (stored.plan_version, stored.plan_hash) == (attached["plan_version"], attached["plan_hash"])
    [entry] = _cv_audit(recruiter.workspace_id, draft["id"])
    assert entry["actor_uid"] == recruiter.uid
    assert entry["detail"] == {"status": "draft", "pages": 1}
    assert "Kafka" not in repr(entry)

    download = requests.get(
        f"{api_url}/api/interviews/{draft['id']}/cv", headers=recruiter.headers, timeout=10
    )
    assert download.status_code == 404
    again = _delete_cv(api_url, recruiter, draft["id"])
    assert again.status_code == 404
    assert again.headers["Content-Type"].startswith("application/problem+json")
    assert again.json()["code"] == "no_cv"
    assert len(_cv_audit(recruiter.workspace_id, draft["id"])) == 1

    reattached = _attach(api_url, recruiter, draft["id"])  # a draft may get a CV again
    assert reattached["cv"]["filename"] == "cv.pdf"


def test_a_cv_is_removed_after_the_invite_without_replanning(
    api_url: str, recruiter: Recruiter, draft: dict[str, Any], store: Any
) -> None:
    _attach(api_url, recruiter, draft["id"])
    sent = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/send-invite", headers=recruiter.headers, timeout=10
    )
    assert sent.status_code == 200, sent.text
    before = store.get(draft["id"])

    removed = _delete_cv(api_url, recruiter, draft["id"])
    assert removed.status_code == 204, removed.text
    _assert_no_cv_stored(store, draft["id"])
    after = store.get(draft["id"])
    assert after.status == "invited"
    assert (after.plan_version, after.plan_hash) == (before.plan_version, before.plan_hash)
    assert after.question_plan == before.question_plan
    assert after.invite.secret_hash == before.invite.secret_hash  # the sent link keeps working
    [entry] = _cv_audit(recruiter.workspace_id, draft["id"])
    assert entry["detail"]["status"] == "invited"
    late = requests.post(
        f"{api_url}/api/interviews/{draft['id']}/cv",
        data=cv_pdfs.text_pdf(),
        headers={**recruiter.headers, **PDF},
        timeout=30,
    )
    assert late.status_code == 409  # removing is allowed after the invite; attaching is not


def test_removing_a_cv_is_refused_to_others_and_changes_nothing(
    api_url: str,
    auth_emulator: AuthEmulator,
    recruiter: Recruiter,
    other_recruiter: Recruiter,
    draft: dict[str, Any],
    store: Any,
) -> None:
    _attach(api_url, recruiter, draft["id"])
    assert recruiter.workspace_id
    viewer = auth_emulator.add(recruiter.workspace_id, auth_emulator.verified(), "viewer")
    cases: list[tuple[Recruiter | None, int, str | None]] = [
        (None, 401, None),
        (other_recruiter, 404, None),
        (viewer, 403, "forbidden"),
    ]
    for who, status, code in cases:
        response = _delete_cv(api_url, who, draft["id"])
        assert response.status_code == status, response.text
        assert response.headers["Content-Type"].startswith("application/problem+json")
        if code:
            assert response.json()["code"] == code
    stored = store.get(draft["id"])
    assert stored.cv is not None
    assert stored.cv_text
    assert _blobs(draft["id"]) == [stored.cv.path]
    assert _cv_audit(recruiter.workspace_id, draft["id"]) == []
