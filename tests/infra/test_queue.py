"""The evaluations queue: infra/queue.json (Terraform's source) agrees with tasks.tf, with the code's
functions/interview_core/queue_policy.py and with settings.py's default queue name."""

from __future__ import annotations

import json

from interview_core import queue_policy

from .conftest import QUEUE_JSON, WEBHOOK_QUEUE_JSON, Terraform, blocks, settings_default

# The design's policy (issue 6): 5 attempts, backoff 10 s .. 300 s, 4 doublings.
DESIGN_RETRY = {"max_attempts": 5, "min_backoff_seconds": 10, "max_backoff_seconds": 300, "max_doublings": 4}


def queue() -> dict:  # type: ignore[type-arg]
    return json.loads(QUEUE_JSON.read_text(encoding="utf-8"))


def test_queue_json_holds_the_designed_policy() -> None:
    config = queue()
    assert config["name"] == "evaluations"
    for key, value in DESIGN_RETRY.items():
        assert config["retry"][key] == value, key
    limits = config["rate_limits"]
    assert limits["max_dispatches_per_second"] > 0
    assert limits["max_concurrent_dispatches"] >= 1


def test_code_policy_equals_queue_json() -> None:
    config = queue()
    assert config["name"] == queue_policy.QUEUE_NAME
    retry = queue_policy.RETRY
    for key, value in config["retry"].items():
        assert getattr(retry, key) == value, key
    for key, value in config["rate_limits"].items():
        assert getattr(queue_policy.RATE_LIMITS, key) == value, key
    assert config["dispatch_deadline_seconds"] == queue_policy.DISPATCH_DEADLINE_SECONDS


def test_settings_default_queue_is_the_same_queue() -> None:
    assert settings_default("tasks_queue") == queue()["name"]


def test_terraform_reads_the_queue_from_queue_json(tf: Terraform) -> None:
    assert tf.resolve(tf.locals["queue"]) == queue()
    resource = tf.resource("google_cloud_tasks_queue", "evaluations")
    assert tf.resolve(resource["name"]) == queue()["name"]


def test_terraform_retry_policy_matches_queue_json(tf: Terraform) -> None:
    config = queue()
    retry = blocks(tf.resource("google_cloud_tasks_queue", "evaluations"), "retry_config")[0]
    assert tf.resolve(retry["max_attempts"]) == config["retry"]["max_attempts"]
    assert tf.resolve(retry["max_doublings"]) == config["retry"]["max_doublings"]
    # Durations are "<seconds>s" built from queue.json.
    for attribute, key in (
        ("min_backoff", "min_backoff_seconds"),
        ("max_backoff", "max_backoff_seconds"),
        ("max_retry_duration", "max_retry_duration_seconds"),
    ):
        assert retry[attribute] == f"${{local.queue.retry.{key}}}s", attribute


def test_terraform_rate_limits_match_queue_json(tf: Terraform) -> None:
    limits = blocks(tf.resource("google_cloud_tasks_queue", "evaluations"), "rate_limits")[0]
    for key, value in queue()["rate_limits"].items():
        assert tf.resolve(limits[key]) == value, key


def test_evaluate_timeout_covers_the_dispatch_deadline(tf: Terraform) -> None:
    service = blocks(tf.resource("google_cloudfunctions2_function", "evaluate"), "service_config")[0]
    assert tf.resolve(service["timeout_seconds"]) == queue()["dispatch_deadline_seconds"]
    assert queue()["dispatch_deadline_seconds"] <= 1800  # Cloud Tasks' maximum for HTTP targets


def test_the_tasks_env_names_the_terraform_queue(tf: Terraform) -> None:
    for deployable in ("api", "sweep"):
        env = tf.locals[f"{deployable}_env"]
        assert env["TASKS_QUEUE"] == "${google_cloud_tasks_queue.evaluations.name}", deployable


# -- the webhooks queue (docs/webhooks.md) ------------------------------------------------------------
def webhook_queue() -> dict:  # type: ignore[type-arg]
    return json.loads(WEBHOOK_QUEUE_JSON.read_text(encoding="utf-8"))


def test_code_webhook_policy_equals_webhook_queue_json() -> None:
    config = webhook_queue()
    assert config["name"] == queue_policy.WEBHOOK_QUEUE_NAME == settings_default("webhook_tasks_queue")
    for key, value in config["retry"].items():
        assert getattr(queue_policy.WEBHOOK_RETRY, key) == value, key
    for key, value in config["rate_limits"].items():
        assert getattr(queue_policy.WEBHOOK_RATE_LIMITS, key) == value, key
    assert config["dispatch_deadline_seconds"] == queue_policy.WEBHOOK_DISPATCH_DEADLINE_SECONDS


def test_terraform_webhook_queue_reads_webhook_queue_json(tf: Terraform) -> None:
    config = webhook_queue()
    assert tf.resolve(tf.locals["webhook_queue"]) == config
    resource = tf.resource("google_cloud_tasks_queue", "webhooks")
    retry = blocks(resource, "retry_config")[0]
    assert tf.resolve(retry["max_attempts"]) == config["retry"]["max_attempts"]
    assert tf.resolve(retry["max_doublings"]) == config["retry"]["max_doublings"]
    for attribute, key in (
        ("min_backoff", "min_backoff_seconds"),
        ("max_backoff", "max_backoff_seconds"),
        ("max_retry_duration", "max_retry_duration_seconds"),
    ):
        assert retry[attribute] == f"${{local.webhook_queue.retry.{key}}}s", attribute
    limits = blocks(resource, "rate_limits")[0]
    for key, value in config["rate_limits"].items():
        assert tf.resolve(limits[key]) == value, key


def test_every_emitter_names_the_webhook_queue(tf: Terraform) -> None:
    for deployable in ("api", "evaluate", "sweep"):
        env = tf.locals[f"{deployable}_env"]
        assert env["WEBHOOK_TASKS_QUEUE"] == "${google_cloud_tasks_queue.webhooks.name}", deployable
