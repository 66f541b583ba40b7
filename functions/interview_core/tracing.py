"""Traces: one OpenTelemetry trace per interview, from its creation to its report.

The api starts the trace when an interview is created and stores its W3C `traceparent` on the
interview; every later step (the candidate's token and the agent it dispatches, the completion
webhook, the evaluation task, the sweeper) parents its spans on that stored context, and the context
travels in the Cloud Task's headers into `evaluate` and in the dispatch metadata into the agent. So
the trace links the steps even though they run in different processes, hours apart.

Exporters come from the settings: OTLP over HTTP (the local viewer the stack starts), Cloud Trace in
production, and Langfuse's OTLP endpoint when its keys are set. With none configured no tracer
provider is installed: OpenTelemetry's API then hands out non-recording spans, which cost a function
call. Model calls follow the GenAI semantic conventions; prompts, transcripts and candidate text stay
out of spans unless `traces_include_content` (personal data) is on.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import time
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from .settings import Settings

log = logging.getLogger(__name__)

TRACER_NAME = "interviewer"
TRACEPARENT = "traceparent"
GEN_AI_SYSTEM = "gcp.gemini"
SERVICE_ATTRIBUTE = "interviewer.service"
VIEWER_PROJECT = "interviewer"
PROMPT_VERSION_ATTRIBUTE = "interviewer.prompt.version"
"""The GenAI conventions have no prompt version yet: ours, beside gen_ai.* (Langfuse reads it too)."""

_propagator = TraceContextTextMapPropagator()


def exporters_configured(settings: Settings) -> bool:
    return settings.traces_exporter != "none" or settings.langfuse_public_key is not None


def configure_tracing(service: str, settings: Settings) -> Any | None:
    """Install a tracer provider for `service` with the configured exporters; None when none is.

    Returns the provider (opentelemetry.sdk's TracerProvider), so the agent can hand it to
    livekit-agents' telemetry. Safe to call once per process.
    """
    if not exporters_configured(settings):
        return None
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=resource(service, settings))
    provider.add_span_processor(_service_attribute(service))
    for exporter in _exporters(settings):
        provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=1000))
    trace.set_tracer_provider(provider)
    log.info("traces exported", extra={"service": service, "exporter": settings.traces_exporter})
    return provider


def resource(service: str, settings: Settings) -> Any:
    """Who sends the spans and the metrics (opentelemetry.sdk's Resource), shared by both providers.

    `service.instance.id` is new in each process (each agent job process, each function instance):
    Cloud Monitoring accepts one writer per time series, so two instances that sent the same series
    would refuse each other's points.
    """
    from opentelemetry.sdk.resources import Resource

    return Resource.create(
        {
            "service.name": service,
            "service.namespace": "interviewer",
            "service.instance.id": f"{service}-{uuid.uuid4().hex[:16]}",
            "deployment.environment": settings.environment,
            # The project the local viewer (Arize Phoenix) files the spans under.
            "openinference.project.name": VIEWER_PROJECT,
        }
    )


def _service_attribute(service: str) -> Any:
    """A span processor naming the deployable on every span (livekit-agents' too): viewers that drop
    the resource (Phoenix) still tell the api's spans from the agent's."""
    from opentelemetry.sdk.trace import SpanProcessor

    class ServiceAttribute(SpanProcessor):
        def on_start(self, span: Any, parent_context: Any = None) -> None:
            span.set_attribute(SERVICE_ATTRIBUTE, service)

    return ServiceAttribute()


def _exporters(settings: Settings) -> list[Any]:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    exporters: list[Any] = []
    if settings.traces_exporter == "otlp":
        exporters.append(OTLPSpanExporter(endpoint=settings.effective_otlp_traces_endpoint, timeout=5))
    elif settings.traces_exporter == "cloud_trace":
        from opentelemetry.exporter.cloud_trace import CloudTraceSpanExporter

        exporters.append(CloudTraceSpanExporter(project_id=settings.project_id))
    if settings.langfuse_public_key and settings.langfuse_secret_key:
        pair = f"{settings.langfuse_public_key}:{settings.langfuse_secret_key.get_secret_value()}"
        exporters.append(
            OTLPSpanExporter(
                endpoint=settings.langfuse_host.rstrip("/") + "/api/public/otel/v1/traces",
                headers={"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()},
                timeout=10,
            )
        )
    return exporters


def flush(timeout_millis: int = 2000) -> None:
    """Send what is buffered now (before a function's instance may be frozen, or a process ends).

    Bounded: a slow trace backend delays the answer to Cloud Tasks by this much at most."""
    provider = trace.get_tracer_provider()
    force_flush = getattr(provider, "force_flush", None)  # the SDK's provider has it, the API's not
    if callable(force_flush):
        force_flush(timeout_millis)


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER_NAME)


# -- context: stored on the interview, carried in headers and metadata ----------------------------
def current_traceparent() -> str | None:
    """The W3C traceparent of the current span; None when nothing records (no exporter)."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get(TRACEPARENT)


def current_trace_id() -> str | None:
    span_context = trace.get_current_span().get_span_context()
    return trace.format_trace_id(span_context.trace_id) if span_context.is_valid else None


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id (32 hex digits) of a traceparent, or None when it is not a valid one."""
    parent = _parent_context(traceparent)
    span_context = trace.get_current_span(parent).get_span_context()
    return trace.format_trace_id(span_context.trace_id) if span_context.is_valid else None


def sampled_out(traceparent: str | None) -> bool:
    """Whether a valid traceparent says its trace is not recorded (the W3C sampled flag is off).

    Steps parented on such a context record nothing (the SDK's default sampler follows the parent),
    and the agent does not install a tracer provider for that interview's job at all: an interview is
    traced end to end or not at all (bench/agent.py compares the two with `--tracing on,off`).
    """
    span_context = trace.get_current_span(_parent_context(traceparent)).get_span_context()
    return span_context.is_valid and not span_context.trace_flags.sampled


def _parent_context(traceparent: str | None) -> otel_context.Context:
    if not traceparent or len(traceparent) > 128:
        return otel_context.Context()
    return _propagator.extract({TRACEPARENT: traceparent})


def headers_for_current() -> dict[str, str]:
    """Headers that carry the current trace to the next process (a Cloud Task's, an HTTP call's)."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier


@contextlib.contextmanager
def step(
    name: str,
    *,
    traceparent: str | None = None,
    headers: Mapping[str, str] | None = None,
    attributes: Mapping[str, Any] | None = None,
    kind: trace.SpanKind = trace.SpanKind.INTERNAL,
) -> Iterator[trace.Span]:
    """A span for one step of an interview, parented on a stored traceparent or incoming headers.

    Without either, a child of the current span (or a new trace's root).
    """
    if traceparent is not None:
        parent: otel_context.Context | None = _parent_context(traceparent)
    elif headers is not None:
        parent = _propagator.extract({TRACEPARENT: headers.get(TRACEPARENT, "")})
    else:
        parent = None
    with tracer().start_as_current_span(name, context=parent, kind=kind, attributes=attributes) as span:
        yield span


# -- model calls: the GenAI semantic conventions --------------------------------------------------
@contextlib.contextmanager
def generation(
    operation: str, *, model: str, prompt_version: str | None, settings: Settings
) -> Iterator[trace.Span]:
    """A span for one model call: `gen_ai.*` attributes and its latency; record_response adds the rest."""
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "generate_content",
        "gen_ai.system": GEN_AI_SYSTEM,
        "gen_ai.request.model": model,
    }
    if prompt_version:
        attributes[PROMPT_VERSION_ATTRIBUTE] = prompt_version
    started = time.monotonic()
    with tracer().start_as_current_span(
        f"{operation} {model}", kind=trace.SpanKind.CLIENT, attributes=attributes
    ) as span:
        try:
            yield span
        finally:
            if span.is_recording():
                span.set_attribute("interviewer.latency_ms", round((time.monotonic() - started) * 1000, 1))


def record_response(
    span: trace.Span, response: Any, *, finish_reason: str, output: str | None = None
) -> None:
    """Usage, the answering model and the finish reason of a google-genai response (no text by default)."""
    if not span.is_recording():
        return
    usage = getattr(response, "usage_metadata", None)
    if usage is not None:
        if (prompt := getattr(usage, "prompt_token_count", None)) is not None:
            span.set_attribute("gen_ai.usage.input_tokens", int(prompt))
        if (answer := getattr(usage, "candidates_token_count", None)) is not None:
            span.set_attribute("gen_ai.usage.output_tokens", int(answer))
    if model_version := getattr(response, "model_version", None):
        span.set_attribute("gen_ai.response.model", str(model_version))
    span.set_attribute("gen_ai.response.finish_reasons", [finish_reason])
    if output is not None:
        span.set_attribute("gen_ai.completion", output)


def record_content(span: trace.Span, settings: Settings, **texts: str) -> None:
    """Prompt or transcript text, only with traces_include_content on (personal data)."""
    if not settings.traces_include_content or not span.is_recording():
        return
    for key, text in texts.items():
        span.set_attribute(f"gen_ai.{key}", text[:20_000])


def record_scores(scores: Mapping[str, float | int | None]) -> None:
    """Numbers about the interview on the current span, as `interviewer.score.<name>`: the agent's
    latency figures on the completion, the report's overall score on the evaluation (what the original
    system attached to its Langfuse traces as scores)."""
    span = trace.get_current_span()
    if not span.is_recording():
        return
    for name, value in scores.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            span.set_attribute(f"interviewer.score.{name}", value)
