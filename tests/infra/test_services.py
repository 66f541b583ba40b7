"""The brief's requirements on the archive bucket, the agent service, the schedule and the functions."""

from __future__ import annotations

from .conftest import Terraform, blocks


def test_archive_bucket_is_private_and_expires_objects(tf: Terraform) -> None:
    bucket = tf.resource("google_storage_bucket", "archives")
    assert bucket["uniform_bucket_level_access"] is True
    assert bucket["public_access_prevention"] == "enforced"
    assert bucket["force_destroy"] is False
    rule = blocks(bucket, "lifecycle_rule")[0]
    assert blocks(rule, "condition")[0]["age"] == "${var.archive_retention_days}"
    assert blocks(rule, "action")[0]["type"] == "Delete"
    assert tf.variable_default("archive_retention_days") == 830
    # A deleted candidate's files must not linger as noncurrent or soft-deleted copies.
    assert blocks(bucket, "versioning")[0]["enabled"] is False
    assert blocks(bucket, "soft_delete_policy")[0]["retention_duration_seconds"] == 0
    assert tf.locals["archive_bucket"] == "${var.project_id}-archives"


def test_agent_is_always_on_with_health_probes(tf: Terraform) -> None:
    service = tf.resource("google_cloud_run_v2_service", "agent")
    assert service["ingress"] == "INGRESS_TRAFFIC_INTERNAL_ONLY"
    template = blocks(service, "template")[0]
    assert template["timeout"] == "3600s"
    assert template["max_instance_request_concurrency"] == "${var.agent_concurrency}"
    scaling = blocks(template, "scaling")[0]
    assert scaling["min_instance_count"] == "${var.agent_min_instances}"
    assert tf.variable_default("agent_min_instances") >= 1
    container = blocks(template, "containers")[0]
    assert container["image"] == "${var.agent_image}"
    resources = blocks(container, "resources")[0]
    assert resources["cpu_idle"] is False
    assert tf.resolve("${local.agent_health_port}") == 8081
    assert blocks(container, "ports")[0]["container_port"] == "${local.agent_health_port}"
    for probe in ("startup_probe", "liveness_probe"):
        http = blocks(blocks(container, probe)[0], "http_get")[0]
        assert http["port"] == "${local.agent_health_port}", probe
        assert http["path"] == "${var.agent_health_path}", probe
    assert (
        tf.variable_default("agent_health_path") == "/"
    )  # livekit-agents' health server; checked live by tests/integration/test_agent_probe.py
    # Cloud Build owns the image after creation.
    assert "${template[0].containers[0].image}" in blocks(service, "lifecycle")[0]["ignore_changes"]


def test_sweep_runs_every_five_minutes_with_oidc(tf: Terraform) -> None:
    job = tf.resource("google_cloud_scheduler_job", "sweep")
    assert tf.resolve(job["schedule"]) == "*/5 * * * *"
    target = blocks(job, "http_target")[0]
    assert blocks(target, "oidc_token")[0]["service_account_email"].startswith("${google_service_account.sa[")


def test_api_keeps_warm_instances_and_serves_concurrently(tf: Terraform) -> None:
    service = blocks(tf.resource("google_cloudfunctions2_function", "api"), "service_config")[0]
    assert service["min_instance_count"] == "${var.api_min_instances}"
    assert tf.variable_default("api_min_instances") >= 1
    assert service["max_instance_request_concurrency"] == "${var.api_concurrency}"
    assert service["available_memory"] == "${var.api_memory}"
    assert service["available_cpu"] == "1"


def test_api_has_a_thread_per_concurrent_request_deployed_and_locally(tf: Terraform) -> None:
    """functions-framework's default (4 threads per vCPU) would queue requests Cloud Run admits."""
    from devstack.stack import API_CONCURRENCY

    assert tf.locals["api_env"]["THREADS"] == "${tostring(var.api_concurrency)}"
    assert tf.variable_default("api_concurrency") == API_CONCURRENCY


def test_functions_source_is_a_zip_in_the_sources_bucket(tf: Terraform) -> None:
    for function in ("api", "evaluate", "sweep"):
        build = blocks(tf.resource("google_cloudfunctions2_function", function), "build_config")[0]
        storage = blocks(blocks(build, "source")[0], "storage_source")[0]
        assert storage["bucket"] == "${google_storage_bucket.sources.name}"
        assert storage["object"] == "${google_storage_bucket_object.functions_bootstrap.name}"


def test_apis_include_everything_used(tf: Terraform) -> None:
    services = set(tf.locals["services"])
    for api in (
        "cloudfunctions",
        "run",
        "cloudbuild",
        "artifactregistry",
        "firestore",
        "cloudtasks",
        "cloudscheduler",
        "secretmanager",
        "iamcredentials",
        "identitytoolkit",
        "firebasehosting",
        "firebaserules",
    ):
        assert f"{api}.googleapis.com" in services, api
    enabled = tf.resource("google_project_service", "enabled")
    assert enabled["disable_on_destroy"] is False
