"""Retention: once an interview's expiry has passed, every stored item of it is gone (document, turns,
report, archive in Storage), and nothing of an interview whose retention still runs is touched.

The clock is moved, not waited for: the sweep runs in this process with `now` set past the expiry
(the emulators have no TTL, so the sweep is what deletes locally, on the field the TTL policies name).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tests.conftest import AuthEmulator, Recruiter
from tests.integration.pipeline_support import Queue, golden, seed_finished_interview, wait_for

Create = Callable[..., dict[str, Any]]


def _evaluated(store: Any, create_interview: Create, admin: Recruiter) -> str:
    """An interview of admin's workspace with turns, a report and an archive, through the pipeline."""
    from interview_core.adapters import tasks

    interview_id = str(create_interview(admin)["id"])
    seed_finished_interview(store, interview_id, golden("strong"), status="completed")
    tasks.enqueue_evaluation(interview_id, 1)
    wait_for(lambda: store.get(interview_id).status == "evaluated", what="the evaluation")
    return interview_id


def _stored(store: Any, interview_id: str) -> dict[str, Any]:
    """Every kind of item stored for the interview, with its expiry where it has one."""
    from interview_core.adapters import archive
    from interview_core.domain.retention import EXPIRY_FIELD

    ref = store.interview_ref(interview_id)
    document = ref.get()
    report = store.report_ref(interview_id).get()
    return {
        "document": (document.to_dict() or {}).get(EXPIRY_FIELD) if document.exists else None,
        "turns": [(s.to_dict() or {}).get(EXPIRY_FIELD) for s in ref.collection("turns").stream()],
        "report": (report.to_dict() or {}).get(EXPIRY_FIELD) if report.exists else None,
        "files": [
            blob.name for blob in archive.bucket().list_blobs(prefix=archive.interview_prefix(interview_id))
        ],
    }


def test_an_expired_interview_is_gone_entirely_and_a_live_one_untouched(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any, queue: Queue
) -> None:
    from interview_core.domain.retention import DEFAULT_RETENTION_DAYS
    from interview_core.settings import get_settings
    from pipeline.sweep import run_sweep

    short = auth_emulator.member("admin")
    answer = requests.patch(
        f"{api_url}/api/workspace/settings", json={"retention_days": 30}, headers=short.headers, timeout=10
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["retention_days"] == 30
    long = auth_emulator.member("admin")  # the default retention

    expiring = _evaluated(store, create_interview, short)
    kept = _evaluated(store, create_interview, long)

    # Every stored item carries the interview's expiry: the invite window plus the retention.
    expiring_doc = store.get(expiring)
    assert expiring_doc.expire_at == expiring_doc.invite.expires_at + timedelta(days=30)
    before = _stored(store, expiring)
    assert before["files"]
    assert set(before["turns"]) == {expiring_doc.expire_at}
    assert before["report"] == expiring_doc.expire_at
    kept_doc = store.get(kept)
    assert kept_doc.expire_at == kept_doc.invite.expires_at + timedelta(days=DEFAULT_RETENTION_DAYS)
    kept_before = _stored(store, kept)

    # A minute before the expiry nothing goes; a minute after, everything of it does.
    run_sweep(get_settings(), expiring_doc.expire_at - timedelta(minutes=1))
    assert _stored(store, expiring) == before
    counts = run_sweep(get_settings(), expiring_doc.expire_at + timedelta(minutes=1))
    assert counts["purged"] >= 1
    assert _stored(store, expiring) == {"document": None, "turns": [], "report": None, "files": []}
    assert _stored(store, kept) == kept_before
    assert store.get(kept).status == "evaluated"

    # What stays is the tombstone, without personal data, and it expires in its turn.
    tombstone = store.tombstone_ref(expiring).get().to_dict()
    assert tombstone["reason"] == "retention"
    assert set(tombstone) == {"workspace_id", "reason", "deleted_at", "expire_at"}
    run_sweep(get_settings(), tombstone["expire_at"] + timedelta(minutes=1))
    assert not store.tombstone_ref(expiring).get().exists
    assert datetime.now(UTC) < kept_doc.expire_at


def test_the_retention_period_has_bounds(api_url: str, auth_emulator: AuthEmulator) -> None:
    admin = auth_emulator.member("admin")
    for days in (0, 731, "ninety"):
        answer = requests.patch(
            f"{api_url}/api/workspace/settings",
            json={"retention_days": days},
            headers=admin.headers,
            timeout=10,
        )
        assert answer.status_code == 422, (days, answer.text)
    workspace = requests.get(f"{api_url}/api/workspace", headers=admin.headers, timeout=10).json()
    assert workspace["settings"]["retention_days"] == 180
