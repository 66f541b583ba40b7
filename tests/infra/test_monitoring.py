"""The dashboard, the alert policies and the budget of infra/monitoring.tf.

The charts and alerts read metrics by name; the names the code emits are the instruments of
functions/interview_core/metrics.py (whose tests read them back from the SDK's in-memory reader), so a
`workload.googleapis.com/...` type here that is not one of them would be a chart that stays empty.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from interview_core import metrics

from .conftest import INFRA, Terraform, blocks

DASHBOARD = INFRA / "monitoring" / "dashboard.json"
METRIC_TYPE = re.compile(r'metric\.type="([^"]+)"')
REQUIRED_CHARTS = {
    "First audio p95": "workload.googleapis.com/interviewer.first_audio.latency",
    "Turn latency p95": "workload.googleapis.com/interviewer.turn.latency",
    "Live interviews": "workload.googleapis.com/interviewer.interviews.live",
    "Evaluation failures": "workload.googleapis.com/interviewer.evaluation.failures",
    "Evaluation queue depth": "cloudtasks.googleapis.com/queue/depth",
    "Agent instances": "run.googleapis.com/container/instance_count",
}
"""Issue 22's dashboard: each chart (by the start of its title) and the metric it must show."""
GOOGLE_METRICS = {"cloudtasks.googleapis.com/queue/depth", "run.googleapis.com/container/instance_count"}
EMITTED = {metrics.CLOUD_MONITORING_PREFIX + spec.name for spec in metrics.INSTRUMENTS}


def dashboard(tf: Terraform) -> dict[str, Any]:
    """The dashboard as Terraform renders it: the template with its two variables filled in."""
    resource = tf.resource("google_monitoring_dashboard", "interviews")
    assert "monitoring/dashboard.json" in resource["dashboard_json"]
    queue = tf.resolve(tf.locals["queue"])["name"]
    agent = "interviewer-agent"  # local.agent_service_name with the default service_prefix
    assert tf.locals["agent_service_name"] == "${var.service_prefix}agent"
    assert tf.variable_default("service_prefix") + "agent" == agent
    text = DASHBOARD.read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{(\w+)\}", text)) == {"queue", "agent_service"}
    loaded: dict[str, Any] = json.loads(text.replace("${queue}", queue).replace("${agent_service}", agent))
    return loaded


def charts(tf: Terraform) -> dict[str, list[str]]:
    """Chart title => the filters of its data sets."""
    found: dict[str, list[str]] = {}
    for widget in dashboard(tf)["gridLayout"]["widgets"]:
        data_sets = widget["xyChart"]["dataSets"]
        found[widget["title"]] = [d["timeSeriesQuery"]["timeSeriesFilter"]["filter"] for d in data_sets]
    return found


def metric_types(filters: list[str]) -> set[str]:
    return {kind for text in filters for kind in METRIC_TYPE.findall(text)}


def test_every_workload_metric_on_the_dashboard_is_one_the_code_emits(tf: Terraform) -> None:
    used = metric_types([f for filters in charts(tf).values() for f in filters])
    assert used - GOOGLE_METRICS <= EMITTED, f"not emitted by interview_core/metrics.py: {used - EMITTED}"
    assert used - EMITTED <= GOOGLE_METRICS


def test_the_dashboard_has_the_issues_charts(tf: Terraform) -> None:
    found = charts(tf)
    for start, metric in REQUIRED_CHARTS.items():
        titles = [title for title in found if title.startswith(start)]
        assert len(titles) == 1, f"no chart {start!r} in {sorted(found)}"
        assert metric_types(found[titles[0]]) == {metric}, titles[0]


def test_google_metrics_are_scoped_to_this_deployments_queue_and_agent(tf: Terraform) -> None:
    found = charts(tf)
    queue = tf.resolve(tf.locals["queue"])["name"]
    (depth,) = next(f for t, f in found.items() if t.startswith("Evaluation queue depth"))
    assert f'resource.label."queue_id"="{queue}"' in depth
    (instances,) = next(f for t, f in found.items() if t.startswith("Agent instances"))
    assert 'resource.label."service_name"="interviewer-agent"' in instances


def test_percentile_charts_reduce_the_histograms_to_a_p95(tf: Terraform) -> None:
    widgets = dashboard(tf)["gridLayout"]["widgets"]
    for widget in widgets:
        if "p95" not in widget["title"]:
            continue
        aggregation = widget["xyChart"]["dataSets"][0]["timeSeriesQuery"]["timeSeriesFilter"]["aggregation"]
        assert aggregation["crossSeriesReducer"] == "REDUCE_PERCENTILE_95", widget["title"]
        histogram = metric_types(
            [widget["xyChart"]["dataSets"][0]["timeSeriesQuery"]["timeSeriesFilter"]["filter"]]
        )
        kinds = {metrics.CLOUD_MONITORING_PREFIX + s.name: s.kind for s in metrics.INSTRUMENTS}
        assert {kinds[m] for m in histogram} == {"histogram"}, widget["title"]


@pytest.mark.parametrize(
    ("policy", "instrument"),
    [("evaluation_failures", metrics.EVALUATION_FAILURES), ("agent_errors", metrics.AGENT_ERRORS)],
)
def test_alert_policies_watch_emitted_metrics(
    tf: Terraform, policy: str, instrument: metrics.Instrument
) -> None:
    body = tf.resource("google_monitoring_alert_policy", policy)
    (condition,) = blocks(body, "conditions")
    threshold = blocks(condition, "condition_threshold")[0]
    assert metric_types([threshold["filter"]]) == {metrics.CLOUD_MONITORING_PREFIX + instrument.name}
    assert threshold["comparison"] == "COMPARISON_GT"
    assert body["notification_channels"] == "${google_monitoring_notification_channel.email[*].id}"
    assert blocks(body, "documentation")[0]["content"]


def test_only_final_evaluation_failures_page_someone(tf: Terraform) -> None:
    """A failed attempt is retried by the queue; an alert is for an interview left without a report."""
    body = tf.resource("google_monitoring_alert_policy", "evaluation_failures")
    threshold = blocks(blocks(body, "conditions")[0], "condition_threshold")[0]
    assert 'metric.labels.outcome="failed"' in threshold["filter"]


def test_the_budget_watches_this_project_on_the_given_billing_account(tf: Terraform) -> None:
    budget = tf.resource("google_billing_budget", "monthly")
    assert budget["billing_account"] == "${var.billing_account}"
    assert "default" not in tf.variables["billing_account"], "the billing account must be given"
    assert blocks(budget, "budget_filter")[0]["projects"] == ["projects/${data.google_project.this.number}"]
    amount = blocks(blocks(budget, "amount")[0], "specified_amount")[0]
    assert amount["units"] == "${tostring(var.monthly_budget)}"
    rules = [
        (r["threshold_percent"], r.get("spend_basis", "CURRENT_SPEND"))
        for r in blocks(budget, "threshold_rules")
    ]
    assert (1.0, "CURRENT_SPEND") in rules
    assert (1.0, "FORECASTED_SPEND") in rules
    assert "billingbudgets.googleapis.com" in tf.resolve(tf.locals["services"])


def test_every_deployable_exports_to_cloud_monitoring_and_may_write_it(tf: Terraform) -> None:
    assert tf.variable_default("metrics_exporter") == "cloud_monitoring"
    for deployable in ("api", "evaluate", "sweep", "agent"):
        assert tf.locals[f"{deployable}_env"]["METRICS_EXPORTER"] == "${var.metrics_exporter}", deployable
        assert "roles/monitoring.metricWriter" in tf.locals["iam_project_roles"][deployable], deployable
