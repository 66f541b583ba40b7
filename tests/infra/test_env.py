"""Every production setting reaches the deployable that reads it, secrets only from Secret Manager.

The lists below are the production environment of each deployable (issue 6, plus the sweep's OIDC
settings); settings.py is where the code reads them (field name upper-cased; `project_id` is
GOOGLE_CLOUD_PROJECT). WEBHOOK_AUTH=oidc is needed by every process: settings.py's production check
refuses the local webhook secret otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import (
    Terraform,
    agent_settings_env_names,
    blocks,
    dynamic_blocks,
    settings_default,
    settings_env_names,
)

COMMON = {"ENVIRONMENT", "GOOGLE_CLOUD_PROJECT", "REGION"}
REQUIRED = {
    "api": COMMON
    | {
        "PUBLIC_BASE_URL",
        "GEMINI_MODEL",
        "GEMINI_API_KEY",
        "LIVEKIT_URL",
        "LIVEKIT_API_KEY",
        "LIVEKIT_API_SECRET",
        "WEBHOOK_AUTH",
        "WEBHOOK_OIDC_AUDIENCE",
        "AGENT_SERVICE_ACCOUNT",
        "STORAGE_BUCKET",
        "TASKS_QUEUE",
        "EVALUATE_URL",
        "TASKS_SERVICE_ACCOUNT",
        "AGENT_NAME",
    },
    "evaluate": COMMON
    | {
        "GEMINI_MODEL",
        "GEMINI_API_KEY",
        "STORAGE_BUCKET",
        "EVALUATE_URL",
        "TASKS_SERVICE_ACCOUNT",
        "WEBHOOK_AUTH",
    },
    "sweep": COMMON
    | {
        "TASKS_QUEUE",
        "EVALUATE_URL",
        "TASKS_SERVICE_ACCOUNT",
        "WEBHOOK_AUTH",
        "SWEEP_AUTH",
        "SWEEP_OIDC_AUDIENCE",
        "SCHEDULER_SERVICE_ACCOUNT",
    },
    "agent": COMMON
    | {
        "GEMINI_MODEL",
        "GEMINI_API_KEY",
        "LIVEKIT_URL",
        "LIVEKIT_API_KEY",
        "LIVEKIT_API_SECRET",
        "AGENT_NAME",
        "API_URL",
        "WEBHOOK_AUTH",
        "WEBHOOK_OIDC_AUDIENCE",
    },
}
SECRETS = {"GEMINI_API_KEY", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "WEBHOOK_SECRET"}
# Read by the platform, not by settings.py: functions-framework logs the execution id with it.
PLATFORM = {"LOG_EXECUTION_ID", "THREADS"}  # read by functions-framework itself, not settings.py
DEPLOYABLES = tuple(REQUIRED)


def plain_env(tf: Terraform, deployable: str) -> dict[str, Any]:
    return tf.locals[f"{deployable}_env"]


def secret_env(tf: Terraform, deployable: str) -> dict[str, str]:
    return tf.locals[f"{deployable}_secret_env"]


def provided(tf: Terraform, deployable: str) -> set[str]:
    return set(plain_env(tf, deployable)) | set(secret_env(tf, deployable))


@pytest.mark.parametrize("function", ["api", "evaluate", "sweep"])
def test_functions_take_their_env_from_their_locals(tf: Terraform, function: str) -> None:
    service = blocks(tf.resource("google_cloudfunctions2_function", function), "service_config")[0]
    assert service["environment_variables"] == f"${{local.{function}_env}}"
    (secrets,) = dynamic_blocks(service, "secret_environment_variables")
    assert secrets["for_each"] == f"${{local.{function}_secret_env}}"
    content = secrets["content"][0]
    assert content["version"] == "latest"
    assert content["secret"] == (
        "${google_secret_manager_secret.secret[secret_environment_variables.value].secret_id}"
    )


def test_agent_takes_its_env_from_its_locals(tf: Terraform) -> None:
    service = tf.resource("google_cloud_run_v2_service", "agent")
    container = blocks(blocks(service, "template")[0], "containers")[0]
    plain, secret = dynamic_blocks(container, "env")
    assert plain["for_each"] == "${local.agent_env}"
    assert plain["content"][0]["value"] == "${env.value}"
    assert secret["for_each"] == "${local.agent_secret_env}"
    ref = blocks(blocks(secret["content"][0], "value_source")[0], "secret_key_ref")[0]
    assert ref["secret"] == "${google_secret_manager_secret.secret[env.value].secret_id}"
    assert ref["version"] == "latest"


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_every_production_variable_is_provided(tf: Terraform, deployable: str) -> None:
    missing = REQUIRED[deployable] - provided(tf, deployable)
    assert not missing, f"{deployable} lacks {sorted(missing)}"


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_secrets_come_from_secret_manager_only(tf: Terraform, deployable: str) -> None:
    leaked = SECRETS & set(plain_env(tf, deployable))
    assert not leaked, f"{deployable} sets {sorted(leaked)} as plain environment variables"
    for variable, secret in secret_env(tf, deployable).items():
        assert variable in SECRETS, f"{deployable}: {variable} is not a secret setting"
        assert secret in tf.locals["iam_secret_readers"], f"{deployable}: no secret {secret}"


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_every_variable_set_is_read_by_the_code(tf: Terraform, deployable: str) -> None:
    read = settings_env_names() | (agent_settings_env_names() if deployable == "agent" else set())
    unknown = provided(tf, deployable) - read - PLATFORM
    assert not unknown, (
        f"{deployable} is given {sorted(unknown)}, which neither functions/interview_core/settings.py nor "
        "(for the agent) agent_worker/config.py reads: add the field or drop the variable"
    )


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_production_values(tf: Terraform, deployable: str) -> None:
    env = plain_env(tf, deployable)
    assert env["ENVIRONMENT"] == "production"
    assert env["GOOGLE_CLOUD_PROJECT"] == "${var.project_id}"
    assert env["REGION"] == "${var.region}"
    assert env["WEBHOOK_AUTH"] == "oidc"
    if "SWEEP_AUTH" in env:
        assert env["SWEEP_AUTH"] == "oidc"
    if "LOG_FORMAT" in env:
        assert env["LOG_FORMAT"] == "json"


def test_agent_name_agrees_with_settings(tf: Terraform) -> None:
    expected = settings_default("agent_name")
    assert expected == "interviewer"
    for deployable in ("api", "agent"):
        assert tf.resolve(plain_env(tf, deployable)["AGENT_NAME"]) == expected, deployable


def test_urls_and_accounts_point_at_the_right_things(tf: Terraform) -> None:
    api, agent = plain_env(tf, "api"), plain_env(tf, "agent")
    # The agent sends its webhook to the api, with a token for the audience the api checks.
    assert api["WEBHOOK_OIDC_AUDIENCE"] == agent["WEBHOOK_OIDC_AUDIENCE"] == "${local.api_url}"
    assert agent["API_URL"] == "${local.api_url}"
    assert api["AGENT_SERVICE_ACCOUNT"] == '${google_service_account.sa["agent"].email}'
    for deployable in ("api", "evaluate", "sweep"):
        env = plain_env(tf, deployable)
        assert env["EVALUATE_URL"] == "${local.evaluate_url}", deployable
        assert env["TASKS_SERVICE_ACCOUNT"] == '${google_service_account.sa["tasks-invoker"].email}'
    for deployable in ("api", "evaluate"):
        assert plain_env(tf, deployable)["STORAGE_BUCKET"] == "${google_storage_bucket.archives.name}"
    # sweep accepts the scheduler's token: same account and audience as scheduler.tf sends.
    sweep = plain_env(tf, "sweep")
    assert sweep["SCHEDULER_SERVICE_ACCOUNT"] == '${google_service_account.sa["scheduler"].email}'
    assert sweep["SWEEP_OIDC_AUDIENCE"] == "${local.sweep_url}"
    target = blocks(tf.resource("google_cloud_scheduler_job", "sweep"), "http_target")[0]
    assert target["uri"] == "${local.sweep_url}"
    oidc = blocks(target, "oidc_token")[0]
    assert oidc["audience"] == "${local.sweep_url}"
    assert oidc["service_account_email"] == '${google_service_account.sa["scheduler"].email}'
    assert tf.locals["sweep_url"] == '${local.function_urls["sweep"]}'
    assert tf.locals["api_url"] == '${local.function_urls["api"]}'
    assert tf.locals["evaluate_url"] == '${local.function_urls["evaluate"]}'
    assert "https://${var.region}-${var.project_id}.cloudfunctions.net/${name}" in tf.locals["function_urls"]


def test_each_function_runs_as_its_own_account(tf: Terraform) -> None:
    for function in ("api", "evaluate", "sweep"):
        service = blocks(tf.resource("google_cloudfunctions2_function", function), "service_config")[0]
        assert service["service_account_email"] == f'${{google_service_account.sa["{function}"].email}}'
    template = blocks(tf.resource("google_cloud_run_v2_service", "agent"), "template")[0]
    assert template["service_account"] == '${google_service_account.sa["agent"].email}'


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_settings_accept_the_production_environment(
    tf: Terraform, deployable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings(ENVIRONMENT=production) loads with exactly what Terraform gives this deployable.

    References to other resources are replaced by placeholders, secrets by dummy values. A failure
    here means the deployed process would refuse to start.
    """
    from interview_core.settings import Settings

    for name in settings_env_names() | {"GEMINI_BASE_URL"}:
        monkeypatch.delenv(name, raising=False)
    for name, value in plain_env(tf, deployable).items():
        resolved = tf.resolve(value)
        literal = isinstance(resolved, str) and "${" not in resolved
        monkeypatch.setenv(name, resolved if literal else "placeholder")
    for name in secret_env(tf, deployable):
        monkeypatch.setenv(name, f"dummy-{name.lower()}")
    settings = Settings(_env_file=None)
    assert settings.environment == "production"
