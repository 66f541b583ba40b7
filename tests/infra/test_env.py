"""Every production setting reaches the deployable that reads it, secrets only from Secret Manager.

What a deployable reads and what production needs are derived from the code (tests/infra/
settings_reads.py: the pydantic settings classes, and the settings each deployable's modules access),
not kept by hand here: a variable Terraform sets that the deployable's code never reads fails, and so
does a setting it reads whose default only works on the local stack.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from . import settings_reads
from .conftest import REPO, Terraform, blocks, dynamic_blocks, settings_default

SECRETS = {
    "GEMINI_API_KEY",
    "LIVEKIT_API_KEY",
    "LIVEKIT_API_SECRET",
    "WEBHOOK_SECRET",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
}
# Read by the platform, not by the settings classes: functions-framework's gunicorn threads and the
# execution id gcloud sets on every deploy.
PLATFORM = {"LOG_EXECUTION_ID", "THREADS"}
DEPLOYABLES = ("api", "evaluate", "sweep", "agent")
DOCKERFILE = REPO / "agent_worker" / "Dockerfile"


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


def dockerfile_env() -> set[str]:
    """Variables the agent's image sets itself (ENV lines of agent_worker/Dockerfile)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    names: set[str] = set()
    for line in text.splitlines():
        if line.strip().upper().startswith("ENV "):
            names |= set(re.findall(r"([A-Z_][A-Z0-9_]*)=", line))
    return names


def unread(deployable: str, given: set[str]) -> set[str]:
    """The variables in `given` that the deployable's code never reads."""
    return given - settings_reads.env_read(deployable) - PLATFORM


def missing(deployable: str, given: set[str]) -> set[str]:
    """The settings production needs that `given` (plus the agent image's own ENV) leaves unset."""
    image = dockerfile_env() if deployable == "agent" else set()
    return settings_reads.required_in_production(deployable) - given - image


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_every_setting_production_needs_is_provided(tf: Terraform, deployable: str) -> None:
    lacking = missing(deployable, provided(tf, deployable))
    assert not lacking, (
        f"{deployable} reads {sorted(lacking)}, whose defaults only work on the local stack: set them in "
        "infra/ (or mark one local-only in tests/infra/settings_reads.py, saying why)"
    )


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_every_variable_set_is_read_by_the_code(tf: Terraform, deployable: str) -> None:
    extra = unread(deployable, provided(tf, deployable))
    assert not extra, (
        f"{deployable} is given {sorted(extra)}, which its code never reads (a misspelt or renamed setting "
        "does nothing): rename it to the field the code reads, or drop it"
    )


def test_the_check_flags_a_shared_setting_the_agent_never_reads() -> None:
    """The mechanism: the agent loads the shared Settings class too, so the class alone says nothing;
    a shared setting only the functions use (a text model, say) is still unread by the agent."""
    only_functions = (
        settings_reads.env_read("api") | settings_reads.env_read("evaluate")
    ) - settings_reads.env_read("agent")
    assert only_functions, "expected settings the functions read and the agent does not"
    assert unread("agent", only_functions) == only_functions
    agent_own = {f.env for f in settings_reads.fields().values() if f.cls == "AgentSettings"}
    assert agent_own & settings_reads.env_read("agent"), "the agent reads its own settings"
    assert not unread("agent", agent_own & settings_reads.env_read("agent"))


def test_the_check_flags_a_local_default_left_unset() -> None:
    """Every setting whose production default is the local stack's is required where it is read."""
    required = settings_reads.required_in_production("api")
    assert {"ENVIRONMENT", "GOOGLE_CLOUD_PROJECT", "PUBLIC_BASE_URL", "LIVEKIT_URL"} <= required
    assert missing("api", set()) == required
    assert missing("api", required) == set()


def test_a_property_counts_as_the_fields_it_reads() -> None:
    props = settings_reads.properties()
    assert {"gemini_api_key", "gemini_base_url"} <= props["effective_gemini_base_url"]


SHARED_ON_PURPOSE = {"rejoin_grace_seconds"}
"""Read by both from one variable (REJOIN_GRACE_SECONDS): the api states the grace to the candidate and
sizes the room's timeouts by it, the agent waits exactly that long; tests/unit/test_livekit_tokens.py
checks that both read the same value."""


def test_settings_classes_do_not_share_field_names() -> None:
    from agent_worker.config import AgentSettings
    from interview_core.settings import Settings

    assert set(Settings.model_fields) & set(AgentSettings.model_fields) == SHARED_ON_PURPOSE


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_secrets_come_from_secret_manager_only(tf: Terraform, deployable: str) -> None:
    leaked = SECRETS & set(plain_env(tf, deployable))
    assert not leaked, f"{deployable} sets {sorted(leaked)} as plain environment variables"
    for variable, secret in secret_env(tf, deployable).items():
        assert variable in SECRETS, f"{deployable}: {variable} is not a secret setting"
        assert secret in tf.locals["iam_secret_readers"], f"{deployable}: no secret {secret}"


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_production_values(tf: Terraform, deployable: str) -> None:
    env = plain_env(tf, deployable)
    assert env["ENVIRONMENT"] == "production"
    assert env["GOOGLE_CLOUD_PROJECT"] == "${var.project_id}"
    if "REGION" in env:
        assert env["REGION"] == "${var.region}"
    if "WEBHOOK_AUTH" in env:
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

    for name in settings_reads.env_names("api") | {"GEMINI_BASE_URL"}:
        monkeypatch.delenv(name, raising=False)
    for name, value in plain_env(tf, deployable).items():
        resolved = tf.resolve(value)
        literal = isinstance(resolved, str) and "${" not in resolved
        monkeypatch.setenv(name, resolved if literal else "placeholder")
    for name in secret_env(tf, deployable):
        monkeypatch.setenv(name, f"dummy-{name.lower()}")
    settings = Settings(_env_file=None)
    assert settings.environment == "production"


@pytest.mark.parametrize("deployable", DEPLOYABLES)
def test_a_secret_is_mounted_only_where_production_code_uses_it(tf: Terraform, deployable: str) -> None:
    """A mounted secret its deployable never reads in production is a copy an attacker of that service
    gets for free. The webhook's HMAC secret is such a case: production authenticates the webhook and
    the sweep with OIDC, so it is mounted nowhere (settings_reads.LOCAL_ONLY says which settings only
    the local stack reads)."""
    local_only = {settings_reads.fields()[name].env for name in settings_reads.LOCAL_ONLY}
    read = settings_reads.env_read(deployable)
    for variable in secret_env(tf, deployable):
        assert variable in read, f"{deployable} mounts {variable}, which its code never reads"
        assert variable not in local_only, f"{deployable} mounts {variable}, which only the local stack uses"


def test_the_webhook_secret_is_neither_mounted_nor_readable_in_the_cloud(tf: Terraform) -> None:
    for deployable in DEPLOYABLES:
        assert "WEBHOOK_SECRET" not in secret_env(tf, deployable), deployable
    assert "webhook-secret" not in tf.locals["iam_secret_readers"]


def test_builds_mount_no_secret() -> None:
    """The build configurations run tests and deploy code; none of them reads a runtime secret, and a
    release passes no flag that would change a function's secrets."""
    for config in sorted(REPO.glob("cloudbuild*.yaml")):
        text = config.read_text(encoding="utf-8")
        for marker in ("secretEnv", "availableSecrets", "secretManager", "--set-secrets", "--update-secrets"):
            assert marker not in text, f"{config.name} uses {marker}"
