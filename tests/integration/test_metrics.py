"""Metrics from the real code paths, on the real emulators, read back from the SDK's in-memory reader.

The functions' code runs in this process (evaluate's delivery, the api's latency route through Flask's
test client, the sweep), the stack's emulators behind it; interview_core.metrics records what the
deployed processes record, and tests/metrics_support.py installs the reader that reads it back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import requests

from interview_core import metrics
from tests.conftest import Recruiter
from tests.integration.pipeline_support import golden, seed_finished_interview
from tests.metrics_support import reader, totals

Create = Callable[..., dict[str, Any]]


@pytest.fixture(autouse=True)
def _installed() -> None:
    reader()


def _completed(create_interview: Create, recruiter: Recruiter, store: Any) -> str:
    interview_id = str(create_interview(recruiter)["id"])
    seed_finished_interview(store, interview_id, golden("strong"), status="completed")
    return interview_id


def test_an_evaluated_delivery_is_timed_and_a_redelivery_counted(
    create_interview: Create, recruiter: Recruiter, store: Any
) -> None:
    from pipeline.evaluate import TaskBody, run_delivery

    interview_id = _completed(create_interview, recruiter, store)
    timed = totals(metrics.EVALUATION_DURATION.name, result="evaluated")
    retries = totals(metrics.QUEUE_RETRIES.name, by="cloud_tasks")
    failures = totals(metrics.EVALUATION_FAILURES.name)

    outcome = run_delivery(TaskBody(interview_id=interview_id, generation=1), retry_count=1)

    assert outcome.result == "evaluated"
    assert store.get(interview_id).status == "evaluated"
    delivered = totals(metrics.EVALUATION_DURATION.name, result="evaluated") - timed
    assert delivered.count == 1
    assert 0 < delivered.total < 300
    assert (totals(metrics.QUEUE_RETRIES.name, by="cloud_tasks") - retries).value == 1
    assert (totals(metrics.EVALUATION_FAILURES.name) - failures).value == 0


def test_a_failing_model_counts_a_retry_then_a_failure_for_good(
    create_interview: Create, recruiter: Recruiter, store: Any, gemini_faults: str
) -> None:
    from pipeline.evaluate import TaskBody, run_delivery

    interview_id = _completed(create_interview, recruiter, store)
    fault = {"fail_next": 1000, "status": 503, "task": "evaluation"}
    requests.post(f"{gemini_faults}/emulator/faults", json=fault, timeout=5).raise_for_status()
    retried = totals(metrics.EVALUATION_FAILURES.name, outcome="retry")
    failed = totals(metrics.EVALUATION_FAILURES.name, outcome="failed")
    body = TaskBody(interview_id=interview_id, generation=1)

    assert run_delivery(body, retry_count=0).result == "retry"
    assert (totals(metrics.EVALUATION_FAILURES.name, outcome="retry") - retried).value == 1
    assert (totals(metrics.EVALUATION_FAILURES.name, outcome="failed") - failed).value == 0

    assert run_delivery(body, retry_count=4).result == "evaluation_failed"  # the queue's last attempt
    assert store.get(interview_id).status == "evaluation_failed"
    assert (totals(metrics.EVALUATION_FAILURES.name, outcome="failed") - failed).value == 1


def test_the_candidate_pages_first_audio_samples_are_counted_once_stored(
    create_interview: Create, recruiter: Recruiter, store: Any
) -> None:
    from api.routes import app

    created = create_interview(recruiter)
    store.interview_ref(created["id"]).update({"status": "in_progress"})
    before = totals(metrics.FIRST_AUDIO.name)
    samples = [{"kind": "first_audio", "ms": 1800.0}, {"kind": "round_trip", "ms": 90.0}]
    body = {"interview_id": created["id"], "invite": created["secret"], "samples": samples}

    answer = app.test_client().post("/api/metrics/latency", json=body)

    assert answer.status_code == 202, answer.get_data(as_text=True)
    counted = totals(metrics.FIRST_AUDIO.name) - before
    assert (counted.count, counted.total) == (1, 1800.0)
    # a refused report (wrong invite) is not counted
    refused = app.test_client().post("/api/metrics/latency", json={**body, "invite": "x" * 43})
    assert refused.status_code == 403, refused.get_data(as_text=True)
    assert (totals(metrics.FIRST_AUDIO.name) - before).count == 1


def test_the_sweep_counts_a_stalled_evaluation_it_enqueues_again(
    create_interview: Create, recruiter: Recruiter, store: Any
) -> None:
    from interview_core.settings import get_settings
    from pipeline.sweep import run_sweep

    interview_id = _completed(create_interview, recruiter, store)
    stalled_since = store.get(interview_id).updated_at
    before = totals(metrics.QUEUE_RETRIES.name, by="sweep")

    counts = run_sweep(get_settings(), stalled_since + timedelta(minutes=20))

    assert counts["requeued"] >= 1
    assert (totals(metrics.QUEUE_RETRIES.name, by="sweep") - before).value == counts["requeued"]
