"""Metrics without an exporter: the SDK's own InMemoryMetricReader, read in the test process.

OpenTelemetry's meter provider is set once per process, so the first test that asks for the reader
installs it (through interview_core.metrics.configure_metrics, the code every deployable runs) and later
ones share it. Points are cumulative, so a test compares totals before and after what it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from opentelemetry.sdk.metrics.export import InMemoryMetricReader


@cache
def reader() -> InMemoryMetricReader:
    from interview_core import metrics
    from interview_core.settings import Settings

    installed = InMemoryMetricReader()
    provider = metrics.configure_metrics("tests", Settings(metrics_exporter="none"), readers=[installed])
    assert provider is not None
    return installed


@dataclass(frozen=True)
class Totals:
    """One instrument's points that match some attributes, added up: a counter's value, or a
    histogram's count and sum."""

    value: float = 0.0
    count: int = 0
    total: float = 0.0

    def __sub__(self, before: Totals) -> Totals:
        return Totals(self.value - before.value, self.count - before.count, self.total - before.total)


def totals(name: str, **attributes: str) -> Totals:
    """What the reader has for `name` now, over the points whose attributes include `attributes`."""
    value, count, total = 0.0, 0, 0.0
    for point in points(name):
        if any(point.attributes.get(key) != wanted for key, wanted in attributes.items()):
            continue
        value += getattr(point, "value", 0.0)
        count += getattr(point, "count", 0)
        total += getattr(point, "sum", 0.0)
    return Totals(value, count, total)


def points(name: str) -> list[Any]:
    data = reader().get_metrics_data()
    if data is None:
        return []
    return [
        point
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == name
        for point in metric.data.data_points
    ]


def names() -> set[str]:
    """Every instrument that has recorded something in this process."""
    data = reader().get_metrics_data()
    if data is None:
        return set()
    return {m.name for r in data.resource_metrics for s in r.scope_metrics for m in s.metrics}
