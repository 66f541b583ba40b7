"""bench/pipeline: time from the completion webhook to the report written, on the local stack.

    python -m devstack run -- .venv/bin/python -m bench.pipeline

For 20 interviews (the golden "strong" transcript: 4 skills, 14 turns), each finished one at a time:
POST the signed completion webhook, then wait for reports/{id} through a Firestore listener. The path
is the real one: api -> Cloud Tasks emulator (OIDC token) -> evaluate -> local Gemini emulator ->
one Firestore transaction -> archive. The headline row spaces completions at the queue's dispatch
rate; two more rows send them back to back and all 20 at once, where the queue's production rate
limits (queue_policy.RATE_LIMITS, applied to the emulator) pace the deliveries. Goal: p95 < 1 s.
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from bench.common import machine, percentile, sign_up
from interview_core import local_ports

ROOT = Path(__file__).resolve().parent.parent
API = os.environ.get("API_URL") or local_ports.service_url("api")
SECRET = os.environ.get("WEBHOOK_SECRET", "local-webhook-secret")
INTERVIEWS = 20
GOAL_P95_MS = 1000.0
BODY: dict[str, Any] = {
    "candidate": {"name": "Bench Candidate", "email": "bench@example.com"},
    "role": "Senior Data Engineer",
    "job_description": "Senior Data Engineer: SQL, Python, Airflow pipelines on Google Cloud (BigQuery); "
    "you will mentor junior engineers.",
    "duration_minutes": 20,
}


def prepare(headers: dict[str, str], store: Any, transcript: dict[str, Any]) -> str:
    """An interview through the API, then given the golden plan and turns, in progress."""
    from interview_core.domain.models import Turn

    response = requests.post(f"{API}/api/interviews", json=BODY, headers=headers, timeout=60)
    response.raise_for_status()
    interview_id = str(response.json()["id"])
    now = datetime.now(UTC)
    turns = [
        Turn(**t, started_at=now - timedelta(seconds=30), ended_at=now - timedelta(seconds=20))
        for t in transcript["turns"]
    ]
    store.add_turns(interview_id, turns)
    plan = transcript["interview"]
    store.interview_ref(interview_id).update(
        {"skills": plan["skills"], "question_plan": plan["question_plan"], "status": "in_progress"}
    )
    return interview_id


def complete(interview_id: str) -> float:
    """POST the signed webhook; returns when it was sent (perf_counter)."""
    from interview_core.domain import webhook_signature

    raw = json.dumps({"interview_id": interview_id, "end_reason": "completed"}).encode()
    ts = int(time.time())
    headers = {
        "Content-Type": "application/json",
        webhook_signature.TIMESTAMP_HEADER: str(ts),
        webhook_signature.SIGNATURE_HEADER: webhook_signature.sign(SECRET, ts, raw),
    }
    sent = time.perf_counter()
    response = requests.post(f"{API}/api/webhooks/interview-complete", data=raw, headers=headers, timeout=30)
    response.raise_for_status()
    return sent


class ReportWatch:
    """A Firestore listener on reports/{id}: the moment the report document appears."""

    def __init__(self, store: Any, interview_id: str) -> None:
        self.written = threading.Event()
        self.at = 0.0

        def on_snapshot(snapshots: list[Any], _changes: Any, _read_time: Any) -> None:
            if any(s.exists for s in snapshots) and not self.written.is_set():
                self.at = time.perf_counter()
                self.written.set()

        self.watch = store.report_ref(interview_id).on_snapshot(on_snapshot)

    def wait(self, timeout: float = 30.0) -> float:
        if not self.written.wait(timeout):
            raise TimeoutError("no report within 30 s: is the evaluate function running? see .stack/logs")
        self.watch.unsubscribe()
        return self.at


def run_one_at_a_time(store: Any, ids: list[str], *, spacing: float = 0.0) -> list[float]:
    """Each completion after the previous report; `spacing` s at least between completions."""
    latencies = []
    previous = 0.0
    for interview_id in ids:
        watch = ReportWatch(store, interview_id)
        time.sleep(max(0.05, spacing - (time.perf_counter() - previous)))  # the listener attaches
        sent = complete(interview_id)
        previous = sent
        latencies.append((watch.wait() - sent) * 1000)
    return latencies


def run_all_at_once(store: Any, ids: list[str]) -> list[float]:
    watches = {i: ReportWatch(store, i) for i in ids}
    time.sleep(0.2)
    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        sent = dict(zip(ids, pool.map(complete, ids), strict=True))
    return [(watches[i].wait() - sent[i]) * 1000 for i in ids]


def row(label: str, values: list[float]) -> str:
    return (
        f"  {label:<38} n={len(values):<3} p50={percentile(values, 0.5):7.1f} ms   "
        f"p95={percentile(values, 0.95):7.1f} ms   max={max(values):7.1f} ms"
    )


def main() -> None:
    from interview_core.adapters.firestore_store import InterviewStore
    from interview_core.queue_policy import RATE_LIMITS

    print(f"bench/pipeline on {machine()}")
    print(f"api at {API}; model: the local Gemini emulator's evaluator; {INTERVIEWS} interviews per row\n")
    transcript = json.loads((ROOT / "tests" / "data" / "transcripts" / "strong.json").read_text())
    store = InterviewStore()
    headers = {"Authorization": f"Bearer {sign_up()}"}

    # Warm-up: the evaluate process imports google-genai and opens its clients on first use.
    run_one_at_a_time(store, [prepare(headers, store, transcript)])

    pace = 1 / RATE_LIMITS.max_dispatches_per_second
    batches = [[prepare(headers, store, transcript) for _ in range(INTERVIEWS)] for _ in range(3)]
    paced = run_one_at_a_time(store, batches[0], spacing=pace)
    back_to_back = run_one_at_a_time(store, batches[1])
    burst = run_all_at_once(store, batches[2])

    print("  webhook sent -> reports/{id} written (Firestore listener)")
    print(row(f"one at a time, {pace:.1f} s apart", paced))
    print(row("one at a time, back to back", back_to_back))
    print(row(f"{INTERVIEWS} at once", burst))
    p95 = percentile(paced, 0.95)
    verdict = "met" if p95 < GOAL_P95_MS else "NOT met"
    print(
        f"\n  one at a time: p95 {p95:.0f} ms, goal < {GOAL_P95_MS:.0f} ms: {verdict} "
        f"(median {statistics.median(paced):.0f} ms)."
    )
    rate, concurrent = RATE_LIMITS.max_dispatches_per_second, RATE_LIMITS.max_concurrent_dispatches
    print(
        f"  Back to back and at once, the queue's production rate limit ({rate:g}/s, burst 10, "
        f"{concurrent} concurrent) paces the deliveries."
    )


if __name__ == "__main__":
    main()
