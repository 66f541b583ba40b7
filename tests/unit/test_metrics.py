"""Metrics read back from the SDK's in-memory reader: every instrument the dashboard names is recorded
under that name by the code that records it, and nothing is installed without an exporter."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from interview_core import metrics
from interview_core.domain.client_latency import client_latency_scores
from interview_core.settings import Settings
from tests.metrics_support import names, points, reader, totals


@pytest.fixture(autouse=True)
def _installed() -> None:
    reader()


def test_without_an_exporter_no_meter_provider_is_installed() -> None:
    script = (
        "from opentelemetry import metrics as m\n"
        "from interview_core import metrics\n"
        "from interview_core.settings import Settings\n"
        "assert metrics.configure_metrics('api', Settings(metrics_exporter='none')) is None\n"
        "metrics.turn_latency(120.0)\n"
        "metrics.interview_started()\n"
        "metrics.flush()\n"
        "print(type(m.get_meter_provider()).__name__)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "METRICS_EXPORTER": "none"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "_ProxyMeterProvider"


def test_otlp_metrics_without_an_endpoint_are_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="OTLP_METRICS_ENDPOINT"):
        Settings(metrics_exporter="otlp", _env_file=None)
    configured = Settings(metrics_exporter="otlp", otlp_metrics_endpoint="http://127.0.0.1:4318/v1/metrics")
    assert configured.otlp_metrics_endpoint is not None


def test_each_recording_records_under_its_instruments_name() -> None:
    metrics.interview_started()
    metrics.turn_latency(850.0)
    metrics.first_audio(2100.0)
    metrics.evaluation_delivered(3.5, "evaluated")
    metrics.evaluation_delivered(1.0, "retry")
    metrics.queue_retry("cloud_tasks")
    metrics.model_minutes(1.5)
    metrics.agent_error("model")
    metrics.interview_stopped()
    assert {spec.name for spec in metrics.INSTRUMENTS} <= names()


def test_a_failed_delivery_counts_as_a_failure_and_says_which_kind() -> None:
    before_retry = totals(metrics.EVALUATION_FAILURES.name, outcome="retry")
    before_failed = totals(metrics.EVALUATION_FAILURES.name, outcome="failed")
    before_ok = totals(metrics.EVALUATION_DURATION.name, result="evaluated")
    metrics.evaluation_delivered(2.0, "retry")
    metrics.evaluation_delivered(2.0, "quota_exceeded")
    metrics.evaluation_delivered(2.0, "evaluation_failed")
    metrics.evaluation_delivered(4.0, "evaluated")
    metrics.evaluation_delivered(0.1, "superseded")
    assert (totals(metrics.EVALUATION_FAILURES.name, outcome="retry") - before_retry).value == 1
    assert (totals(metrics.EVALUATION_FAILURES.name, outcome="failed") - before_failed).value == 2
    evaluated = totals(metrics.EVALUATION_DURATION.name, result="evaluated") - before_ok
    assert (evaluated.count, evaluated.total) == (1, 4.0)


def test_live_interviews_go_up_and_down() -> None:
    before = totals(metrics.LIVE_INTERVIEWS.name)
    metrics.interview_started()
    metrics.interview_started()
    assert (totals(metrics.LIVE_INTERVIEWS.name) - before).value == 2
    metrics.interview_stopped()
    metrics.interview_stopped()
    assert (totals(metrics.LIVE_INTERVIEWS.name) - before).value == 0


def test_latency_histograms_have_the_documented_buckets() -> None:
    metrics.turn_latency(700.0)
    (point, *_) = points(metrics.TURN_LATENCY.name)
    assert tuple(point.explicit_bounds) == metrics.LATENCY_MS_BOUNDARIES


def test_the_candidate_pages_figures_become_trace_scores() -> None:
    client = {
        "first_audio": {"count": 2, "sum_ms": 1500.0, "max_ms": 900.0, "recent_ms": [600.0, 900.0]},
        "round_trip": {"count": 0, "sum_ms": 0.0},
        "connect": "garbled",
        "unknown_kind": {"count": 1, "sum_ms": 5.0},
    }
    assert client_latency_scores(client) == {
        "client_first_audio_mean_ms": 750.0,
        "client_first_audio_count": 2.0,
        "client_first_audio_max_ms": 900.0,
    }
    assert client_latency_scores(None) == {}
    assert client_latency_scores({"first_audio": {"count": True, "sum_ms": 3.0}}) == {}
