"""Metrics: the numbers an operator watches across every interview, as OpenTelemetry instruments.

A trace follows one interview (tracing.py); metrics add all of them up, for the Monitoring dashboard
and the alert policies of infra/monitoring.tf, which name the instruments below
(tests/infra/test_monitoring.py fails when a name there is not one this module creates). The names are
a contract with those charts: rename one and the dashboard goes blank, so names change only with both.

Which deployable records what (docs/observability.md has the same table):

- agent: `interviewer.interviews.live` (+1 when an interview's controller starts, -1 when it ends or
  is handed over), `interviewer.turn.latency` (each sample of agent_worker/latency.py),
  `interviewer.model.minutes` and `interviewer.agent.errors`;
- api: `interviewer.first_audio.latency` (the candidate page's samples, POST /api/metrics/latency);
- evaluate: `interviewer.evaluation.duration` and `interviewer.evaluation.failures` per delivery,
  `interviewer.queue.retries` for a redelivered task; sweep: `interviewer.queue.retries` for a
  stalled evaluation it re-enqueues.

The exporter comes from the settings, as the traces' does: Cloud Monitoring in production (metric
type `workload.googleapis.com/<name>`), OTLP over HTTP only when an endpoint is configured (the local
trace viewer, Phoenix, takes no metrics). With neither, no meter provider is installed and the
instruments are OpenTelemetry's proxies, whose calls do nothing. Attributes are few and bounded (a
result, a kind): never an interview id, a name or any text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from opentelemetry import metrics as otel_metrics

from . import tracing
from .settings import Settings

log = logging.getLogger(__name__)

METER_NAME = "interviewer"
CLOUD_MONITORING_PREFIX = "workload.googleapis.com/"
"""What the Cloud Monitoring exporter puts before an instrument's name to make its metric type."""

LATENCY_MS_BOUNDARIES = (
    *(50.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 800.0, 1000.0, 1250.0, 1500.0, 2000.0),
    *(2500.0, 3000.0, 4000.0, 5000.0, 7500.0, 10_000.0, 15_000.0, 30_000.0, 60_000.0),
)
"""Buckets for the latency histograms: a p95 is read from them, so they are dense where the goals
are (a turn under 1.5 s, the first audio under 3 s) and reach the samples' bound (120 s)."""

EVALUATION_S_BOUNDARIES = (0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 300.0, 600.0)


@dataclass(frozen=True)
class Instrument:
    """One instrument's stable name, kind, unit and meaning."""

    name: str
    kind: Literal["counter", "up_down_counter", "histogram"]
    unit: str
    description: str
    boundaries: tuple[float, ...] = ()


LIVE_INTERVIEWS = Instrument(
    "interviewer.interviews.live", "up_down_counter", "{interview}", "Interviews an agent conducts now"
)
TURN_LATENCY = Instrument(
    "interviewer.turn.latency",
    "histogram",
    "ms",
    "The candidate stopped speaking -> the agent's first audio, per answered turn (agent)",
    LATENCY_MS_BOUNDARIES,
)
FIRST_AUDIO = Instrument(
    "interviewer.first_audio.latency",
    "histogram",
    "ms",
    "The candidate page connected -> it heard the agent first, per room session (candidate page)",
    LATENCY_MS_BOUNDARIES,
)
EVALUATION_DURATION = Instrument(
    "interviewer.evaluation.duration",
    "histogram",
    "s",
    "One delivery of an evaluation task, by result",
    EVALUATION_S_BOUNDARIES,
)
EVALUATION_FAILURES = Instrument(
    "interviewer.evaluation.failures",
    "counter",
    "{failure}",
    "Failed evaluation deliveries: outcome=retry (the queue tries again) or failed (for good)",
)
QUEUE_RETRIES = Instrument(
    "interviewer.queue.retries",
    "counter",
    "{retry}",
    "Evaluation tasks delivered again: by=cloud_tasks (a redelivery) or sweep (a stalled one re-enqueued)",
)
MODEL_MINUTES = Instrument(
    "interviewer.model.minutes", "counter", "min", "Minutes of live interview with the model, at its end"
)
AGENT_ERRORS = Instrument(
    "interviewer.agent.errors",
    "counter",
    "{error}",
    "Agent errors: kind=model (a session error) or interview (an interview that ended in error)",
)

INSTRUMENTS: tuple[Instrument, ...] = (
    LIVE_INTERVIEWS,
    TURN_LATENCY,
    FIRST_AUDIO,
    EVALUATION_DURATION,
    EVALUATION_FAILURES,
    QUEUE_RETRIES,
    MODEL_MINUTES,
    AGENT_ERRORS,
)

FAILED_RESULTS = frozenset({"evaluation_failed", "quota_exceeded"})
"""Delivery results that leave the interview `evaluation_failed` (evaluate's Outcome.result)."""


def _create(meter: otel_metrics.Meter, spec: Instrument) -> Any:
    if spec.kind == "counter":
        return meter.create_counter(spec.name, unit=spec.unit, description=spec.description)
    if spec.kind == "up_down_counter":
        return meter.create_up_down_counter(spec.name, unit=spec.unit, description=spec.description)
    return meter.create_histogram(
        spec.name,
        unit=spec.unit,
        description=spec.description,
        explicit_bucket_boundaries_advisory=list(spec.boundaries),
    )


# Created once, before any provider exists: OpenTelemetry's API hands out proxies that start
# recording when configure_metrics installs a provider, and do nothing until then.
_meter = otel_metrics.get_meter(METER_NAME)
_instruments: dict[str, Any] = {spec.name: _create(_meter, spec) for spec in INSTRUMENTS}


# -- set-up ------------------------------------------------------------------------------------------
def configure_metrics(service: str, settings: Settings, readers: Sequence[Any] = ()) -> Any | None:
    """Install a meter provider for `service` with the configured exporter (and any `readers` given,
    e.g. the SDK's InMemoryMetricReader in tests); None, and nothing installed, when there is none.

    Once per process, after a fork (the agent's job processes each install their own): the periodic
    reader's thread belongs to the process that starts it.
    """
    all_readers = [*readers, *_exporting_readers(settings)]
    if not all_readers:
        return None
    from opentelemetry.sdk.metrics import MeterProvider

    provider = MeterProvider(metric_readers=all_readers, resource=tracing.resource(service, settings))
    otel_metrics.set_meter_provider(provider)
    log.info("metrics exported", extra={"service": service, "exporter": settings.metrics_exporter})
    return provider


def _exporting_readers(settings: Settings) -> list[Any]:
    """A periodic reader for the configured exporter; none for `none`."""
    if settings.metrics_exporter == "none":
        return []
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

    interval = settings.metrics_export_interval_seconds * 1000
    return [PeriodicExportingMetricReader(_exporter(settings), export_interval_millis=interval)]


def _exporter(settings: Settings) -> Any:
    if settings.metrics_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        return OTLPMetricExporter(endpoint=settings.otlp_metrics_endpoint, timeout=5)
    from opentelemetry.exporter.cloud_monitoring import CloudMonitoringMetricsExporter

    return CloudMonitoringMetricsExporter(project_id=settings.project_id)


def flush(timeout_millis: int = 2000) -> None:
    """Export what is recorded now: an agent's job process ends with its interview, and would take
    the interview's last points (its minutes, the live count going down) with it. Bounded."""
    provider = otel_metrics.get_meter_provider()
    force_flush = getattr(provider, "force_flush", None)  # the SDK's provider has it, the API's not
    if callable(force_flush):
        force_flush(timeout_millis)


# -- what the code records ---------------------------------------------------------------------------
def interview_started() -> None:
    _instruments[LIVE_INTERVIEWS.name].add(1)


def interview_stopped() -> None:
    _instruments[LIVE_INTERVIEWS.name].add(-1)


def turn_latency(ms: float) -> None:
    _instruments[TURN_LATENCY.name].record(ms)


def first_audio(ms: float) -> None:
    _instruments[FIRST_AUDIO.name].record(ms)


def evaluation_delivered(seconds: float, result: str) -> None:
    """One delivery of an evaluation task: its duration by result, and a failure when it was one."""
    _instruments[EVALUATION_DURATION.name].record(seconds, {"result": result})
    if result == "retry":
        _instruments[EVALUATION_FAILURES.name].add(1, {"outcome": "retry", "result": result})
    elif result in FAILED_RESULTS:
        _instruments[EVALUATION_FAILURES.name].add(1, {"outcome": "failed", "result": result})


def queue_retry(by: Literal["cloud_tasks", "sweep"]) -> None:
    _instruments[QUEUE_RETRIES.name].add(1, {"by": by})


def model_minutes(minutes: float) -> None:
    if minutes > 0:
        _instruments[MODEL_MINUTES.name].add(minutes)


def agent_error(kind: Literal["model", "interview"]) -> None:
    _instruments[AGENT_ERRORS.name].add(1, {"kind": kind})
