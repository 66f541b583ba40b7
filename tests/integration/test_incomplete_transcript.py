"""A transcript with missing turns, or an interview that ended by error, is named at the top of its
report, and the recommendation waits until a recruiter has reviewed it; a whole transcript of an
interview that ran as planned is reported as before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from tests.conftest import AuthEmulator
from tests.integration.conftest import signed_webhook
from tests.integration.pipeline_support import Queue, golden, seed_finished_interview, wait_for

Create = Callable[..., dict[str, Any]]


def _evaluated_report(store: Any, interview_id: str) -> dict[str, Any]:
    wait_for(lambda: store.get(interview_id).status == "evaluated", what="the evaluation")
    return dict(store.report(interview_id))


def test_missing_turns_and_an_error_end_are_named_and_the_verdict_waits_for_review(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any, queue: Queue
) -> None:
    from interview_core.adapters.firestore_store import turn_doc_id

    recruiter = auth_emulator.member("recruiter")
    viewer = auth_emulator.member("viewer", recruiter.workspace_id)
    interview_id = create_interview(recruiter)["id"]
    turns = seed_finished_interview(store, interview_id, golden("strong"))
    # The agent's own count, kept with the turns it stored.
    assert store.get(interview_id).turns_recorded == len(turns)
    # One stored turn is lost, and the agent numbered two more it never managed to store.
    store.interview_ref(interview_id).collection("turns").document(turn_doc_id(3)).delete()
    answer = signed_webhook(
        api_url,
        {
            "interview_id": interview_id,
            "end_reason": "error",
            "end_detail": "live api closed",
            "turn_count": len(turns) + 2,
        },
    )
    assert answer.status_code == 200, answer.text

    report = _evaluated_report(store, interview_id)
    integrity = report["integrity"]
    assert integrity["transcript_incomplete"] is True
    assert integrity["missing_seqs"] == [3, len(turns), len(turns) + 1]
    assert integrity["turns_expected"] == len(turns) + 2
    assert integrity["turns_stored"] == len(turns) - 1
    assert integrity["ended_by_error"] is True
    assert integrity["review_required"] is True
    assert report["status_notes"][0].startswith("Transcript incomplete: 3 of")
    assert "ended by an error (live api closed)" in report["status_notes"][1]
    # Scored, but no recommendation until a recruiter has looked.
    assert report["recommendation"] is None
    assert report["withheld_recommendation"] in {
        "strong_hire",
        "hire",
        "lean_hire",
        "lean_no_hire",
        "no_hire",
    }

    url = f"{api_url}/api/interviews/{interview_id}/report/review"
    assert requests.post(url, headers=viewer.headers, timeout=10).status_code == 403
    reviewed = requests.post(url, headers=recruiter.headers, timeout=10)
    assert reviewed.status_code == 200, reviewed.text
    after = store.report(interview_id)
    assert after["recommendation"] == report["withheld_recommendation"]
    assert after["withheld_recommendation"] is None
    assert after["integrity"]["reviewed_by"] == recruiter.uid
    assert after["integrity"]["reviewed_at"] is not None
    # A second review changes nothing.
    assert requests.post(url, headers=recruiter.headers, timeout=10).status_code == 200
    assert store.report(interview_id)["integrity"]["reviewed_at"] == after["integrity"]["reviewed_at"]


def test_a_whole_transcript_of_a_planned_interview_needs_no_review(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any, queue: Queue
) -> None:
    recruiter = auth_emulator.member("recruiter")
    interview_id = create_interview(recruiter)["id"]
    turns = seed_finished_interview(store, interview_id, golden("strong"))
    answer = signed_webhook(
        api_url, {"interview_id": interview_id, "end_reason": "completed", "turn_count": len(turns)}
    )
    assert answer.status_code == 200, answer.text
    report = _evaluated_report(store, interview_id)
    assert report["integrity"]["review_required"] is False
    assert report["integrity"]["missing_seqs"] == []
    assert report["recommendation"] in {"strong_hire", "hire"}
    assert report["withheld_recommendation"] is None
