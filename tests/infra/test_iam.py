"""IAM: Terraform grants exactly what the table in docs/deploy.md lists, and nothing broad.

The table is the reviewed contract; infra/iam.tf keeps every grant in locals that its *_iam_member
resources iterate, so comparing the locals with the table (and checking that each IAM resource
iterates the right local with the right role) covers every grant the configuration makes.
"""

from __future__ import annotations

import re

import pytest

from .conftest import INFRA, Terraform, blocks, iam_table, tf_files, tf_iam_grants, walk_strings

BASIC_ROLES = {"roles/owner", "roles/editor", "roles/viewer"}

# Every IAM resource type the configuration may use => (local it iterates, role it grants).
# None for the role means "each.value.role" (project roles, listed per account in the local).
IAM_RESOURCES = {
    ("google_project_iam_member", "project_roles"): ("iam_project_roles", None),
    ("google_secret_manager_secret_iam_member", "readers"): (
        "iam_secret_readers",
        "roles/secretmanager.secretAccessor",
    ),
    ("google_cloud_tasks_queue_iam_member", "enqueuers"): (
        "iam_queue_enqueuers",
        "roles/cloudtasks.enqueuer",
    ),
    ("google_cloud_tasks_queue_iam_member", "webhook_enqueuers"): (
        "iam_webhook_queue_enqueuers",
        "roles/cloudtasks.enqueuer",
    ),
    ("google_storage_bucket_iam_member", "archive_object_admins"): (
        "iam_archive_object_admins",
        "roles/storage.objectAdmin",
    ),
    ("google_storage_bucket_iam_member", "sources_object_creators"): (
        "iam_sources_object_creators",
        "roles/storage.objectCreator",
    ),
    ("google_storage_bucket_iam_member", "sources_object_viewers"): (
        "iam_sources_object_viewers",
        "roles/storage.objectViewer",
    ),
    ("google_storage_bucket_iam_member", "staging_object_viewers"): (
        "iam_staging_object_viewers",
        "roles/storage.objectViewer",
    ),
    ("google_artifact_registry_repository_iam_member", "image_writers"): (
        "iam_image_writers",
        "roles/artifactregistry.writer",
    ),
    ("google_service_account_iam_member", "act_as"): ("iam_act_as", "roles/iam.serviceAccountUser"),
    ("google_cloud_run_v2_service_iam_member", "function_invokers"): (
        "iam_function_invokers",
        "roles/run.invoker",
    ),
    ("google_cloud_run_v2_service_iam_member", "api_public"): (None, "roles/run.invoker"),
}


def iam_resources(tf: Terraform) -> dict[tuple[str, str], dict]:  # type: ignore[type-arg]
    return {
        (rtype, name): body
        for rtype, named in tf.resources.items()
        if re.search(r"_iam_(member|binding|policy)$", rtype) or rtype.endswith("_iam_audit_config")
        for name, body in named.items()
    }


def test_terraform_grants_exactly_the_documented_table(tf: Terraform) -> None:
    table = iam_table()
    grants = tf_iam_grants(tf)
    assert grants - table == set(), f"granted in infra/ but not in docs/deploy.md: {sorted(grants - table)}"
    assert table - grants == set(), f"in docs/deploy.md but not granted in infra/: {sorted(table - grants)}"


def test_every_iam_resource_is_known_and_additive(tf: Terraform) -> None:
    found = iam_resources(tf)
    assert set(found) == set(IAM_RESOURCES), (
        f"unexpected IAM resources: {sorted(set(found) ^ set(IAM_RESOURCES))}"
    )
    for (rtype, name), body in found.items():
        assert rtype.endswith("_iam_member"), f"{rtype}.{name}: only additive *_iam_member grants are allowed"
        local, role = IAM_RESOURCES[(rtype, name)]
        if local is not None:
            assert f"local.{local}" in body["for_each"], f"{rtype}.{name} must iterate local.{local}"
        assert body["role"] == (role or "${each.value.role}"), f"{rtype}.{name} grants {body['role']}"


def test_members_are_the_configured_service_accounts(tf: Terraform) -> None:
    for (rtype, name), body in iam_resources(tf).items():
        if name == "api_public":
            assert body["member"] == "allUsers"
            continue
        assert body["member"].startswith("${google_service_account.sa["), f"{rtype}.{name}: {body['member']}"


def test_no_basic_roles_anywhere(tf: Terraform) -> None:
    for path in tf_files():
        text = path.read_text(encoding="utf-8")
        for role in BASIC_ROLES:
            assert f'"{role}"' not in text, f"{path.name} mentions {role}"
    table_roles = {role for _, role, _ in iam_table()}
    assert not table_roles & BASIC_ROLES
    grants = {role for _, role, _ in tf_iam_grants(tf)}
    assert not grants & BASIC_ROLES


def test_every_account_is_in_the_table_and_no_other(tf: Terraform) -> None:
    accounts = set(tf.locals["service_accounts"])
    table_accounts = {account for account, _, _ in iam_table()} - {"allUsers"}
    assert table_accounts == accounts


def test_designed_roles_of_the_runtime_accounts() -> None:
    """The brief's least-privilege design, row by row (the deployer is checked by the table only)."""
    table = iam_table()

    def roles(account: str) -> set[tuple[str, str]]:
        return {(role, scope) for who, role, scope in table if who == account}

    tracing = ("roles/cloudtrace.agent", "project")  # each runtime account writes its own spans
    metrics = ("roles/monitoring.metricWriter", "project")  # and its own metrics
    assert roles("api") == {
        tracing,
        metrics,
        ("roles/datastore.user", "project"),
        ("roles/firebaseauth.viewer", "project"),
        ("roles/cloudtasks.enqueuer", "queue evaluations"),
        ("roles/cloudtasks.enqueuer", "queue webhooks"),
        ("roles/iam.serviceAccountUser", "service account tasks-invoker"),
        ("roles/storage.objectAdmin", "bucket archives"),
        ("roles/secretmanager.secretAccessor", "secret gemini-api-key"),
        ("roles/secretmanager.secretAccessor", "secret livekit-api-key"),
        ("roles/secretmanager.secretAccessor", "secret livekit-api-secret"),
        ("roles/secretmanager.secretAccessor", "secret smtp-username"),
        ("roles/secretmanager.secretAccessor", "secret smtp-password"),
    }
    assert roles("evaluate") == {
        tracing,
        metrics,
        ("roles/datastore.user", "project"),
        ("roles/cloudtasks.enqueuer", "queue webhooks"),
        ("roles/iam.serviceAccountUser", "service account tasks-invoker"),
        ("roles/storage.objectAdmin", "bucket archives"),
        ("roles/secretmanager.secretAccessor", "secret gemini-api-key"),
    }
    assert roles("sweep") == {
        tracing,
        metrics,
        ("roles/datastore.user", "project"),
        ("roles/storage.objectAdmin", "bucket archives"),
        ("roles/cloudtasks.enqueuer", "queue evaluations"),
        ("roles/cloudtasks.enqueuer", "queue webhooks"),
        ("roles/iam.serviceAccountUser", "service account tasks-invoker"),
        ("roles/secretmanager.secretAccessor", "secret smtp-username"),
        ("roles/secretmanager.secretAccessor", "secret smtp-password"),
    }
    assert roles("agent") == {
        tracing,
        metrics,
        ("roles/datastore.user", "project"),
        ("roles/secretmanager.secretAccessor", "secret gemini-api-key"),
        ("roles/secretmanager.secretAccessor", "secret livekit-api-key"),
        ("roles/secretmanager.secretAccessor", "secret livekit-api-secret"),
        ("roles/run.invoker", "function api"),
    }
    assert roles("tasks-invoker") == {("roles/run.invoker", "function evaluate")}
    assert roles("scheduler") == {("roles/run.invoker", "function sweep")}
    assert roles("allUsers") == {("roles/run.invoker", "function api")}


@pytest.mark.parametrize("function", ["evaluate", "sweep"])
def test_private_functions_have_one_invoker(tf: Terraform, function: str) -> None:
    invokers = {who for who, role, scope in tf_iam_grants(tf) if scope == f"function {function}"}
    assert invokers == {"tasks-invoker" if function == "evaluate" else "scheduler"}


def test_secrets_are_read_only_by_the_documented_accounts(tf: Terraform) -> None:
    secrets = tf.resource("google_secret_manager_secret", "secret")
    assert secrets["for_each"] == "${local.iam_secret_readers}"
    documented: dict[str, set[str]] = {}
    for account, role, scope in iam_table():
        if scope.startswith("secret "):
            assert role == "roles/secretmanager.secretAccessor"
            documented.setdefault(scope.removeprefix("secret "), set()).add(account)
    readers = {secret: set(accounts) for secret, accounts in tf.locals["iam_secret_readers"].items()}
    assert readers == documented
    assert set(readers) == {
        "gemini-api-key",
        "livekit-api-key",
        "livekit-api-secret",
        "smtp-username",
        "smtp-password",
    }
    # No secret is readable through a project-level role.
    for roles in tf.locals["iam_project_roles"].values():
        assert not any(role.startswith("roles/secretmanager.") for role in roles)


def test_each_account_reads_exactly_the_secrets_it_mounts(tf: Terraform) -> None:
    """Mounting a secret needs the grant; a grant nobody mounts is a privilege nobody needs."""
    readable: dict[str, set[str]] = {}
    for secret, accounts in tf.locals["iam_secret_readers"].items():
        for account in accounts:
            readable.setdefault(account, set()).add(secret)
    for deployable in ("api", "evaluate", "sweep", "agent"):
        mounted = set(tf.locals[f"{deployable}_secret_env"].values())
        assert mounted == readable.get(deployable, set()), deployable


def test_secret_values_are_never_in_terraform(tf: Terraform) -> None:
    assert "google_secret_manager_secret_version" not in tf.resources
    assert "google_secret_manager_secret_version" not in tf.data


def test_no_service_account_keys_are_created(tf: Terraform) -> None:
    assert "google_service_account_key" not in tf.resources
    for path in INFRA.rglob("*.tf"):
        assert "google_service_account_key" not in path.read_text(encoding="utf-8")


def test_api_public_grant_is_the_only_public_one(tf: Terraform) -> None:
    public = [
        (rtype, name)
        for (rtype, name), body in iam_resources(tf).items()
        if any(value in {"allUsers", "allAuthenticatedUsers"} for value in walk_strings(body))
    ]
    assert public == [("google_cloud_run_v2_service_iam_member", "api_public")]


# --- The pipeline's accounts (docs/deploy.md, "Deploy" and "IAM") -----------------------------------

ACT_AS = "roles/iam.serviceAccountUser"
# Roles that let an account deploy code into a service, or change who may act as whom.
DEPLOY_ROLES = {
    "roles/cloudfunctions.developer",
    "roles/cloudfunctions.admin",
    "roles/run.developer",
    "roles/run.admin",
    "roles/cloudbuild.builds.editor",
    "roles/cloudbuild.builds.builder",
    "roles/iam.serviceAccountTokenCreator",
    "roles/iam.serviceAccountAdmin",
    "roles/resourcemanager.projectIamAdmin",
}


def roles_of(account: str) -> set[tuple[str, str]]:
    return {(role, scope) for who, role, scope in iam_table() if who == account}


@pytest.mark.parametrize("account", ["ci", "deployer", "builder"])
def test_build_accounts_cannot_act_as_anyone_or_read_secrets(tf: Terraform, account: str) -> None:
    granted = {(role, scope) for who, role, scope in tf_iam_grants(tf) if who == account}
    assert not {role for role, _ in granted} & {ACT_AS}, f"{account} may act as another account"
    assert not any(role.startswith("roles/secretmanager.") for role, _ in granted), account
    assert not {role for role, _ in granted} & DEPLOY_ROLES, f"{account} holds a deploy role"
    assert ("roles/datastore.user", "project") not in granted, f"{account} may read interviews"
    assert account not in tf.locals["iam_act_as"]


def test_ci_writes_logs_and_reads_its_source_only() -> None:
    assert roles_of("ci") == {
        ("roles/logging.logWriter", "project"),
        ("roles/storage.objectViewer", "bucket build-staging"),
    }


def test_the_deployer_publishes_and_deploys_hosting_only() -> None:
    assert roles_of("deployer") == {
        ("roles/cloudbuild.builds.viewer", "project"),
        ("roles/firebasehosting.admin", "project"),
        ("roles/firebaserules.admin", "project"),
        ("roles/datastore.indexAdmin", "project"),
        ("roles/cloudfunctions.viewer", "project"),
        ("roles/run.viewer", "project"),
        ("roles/serviceusage.serviceUsageConsumer", "project"),
        ("roles/logging.logWriter", "project"),
        ("roles/artifactregistry.writer", "repository images"),
        ("roles/storage.objectCreator", "bucket sources"),
        ("roles/storage.objectViewer", "bucket sources"),
        ("roles/storage.objectViewer", "bucket build-staging"),
    }


def test_only_the_releaser_acts_as_the_runtime_accounts(tf: Terraform) -> None:
    runtime = {"api", "evaluate", "sweep", "agent"}
    acting = {
        who
        for who, role, scope in tf_iam_grants(tf)
        if role == ACT_AS and scope.removeprefix("service account ") in runtime
    }
    assert acting == {"releaser"}
    assert roles_of("releaser") == {
        ("roles/cloudfunctions.developer", "project"),
        ("roles/run.developer", "project"),
        ("roles/logging.logWriter", "project"),
        *{(ACT_AS, f"service account {target}") for target in [*sorted(runtime), "builder"]},
    }
    # The releaser reads no secret itself (acting as an account is what reaches its secrets).
    assert "releaser" not in {a for accounts in tf.locals["iam_secret_readers"].values() for a in accounts}


def test_the_builder_builds_the_functions_and_nothing_else(tf: Terraform) -> None:
    assert roles_of("builder") == {
        ("roles/logging.logWriter", "project"),
        ("roles/artifactregistry.writer", "repository images"),
        ("roles/storage.objectViewer", "bucket sources"),
    }
    for function in ("api", "evaluate", "sweep"):
        body = tf.resource("google_cloudfunctions2_function", function)
        assert (
            blocks(body, "build_config")[0]["service_account"] == '${google_service_account.sa["builder"].id}'
        )


def test_the_sources_bucket_is_write_once_for_the_deployer() -> None:
    """objectCreator + objectViewer: adds and reads zips, never replaces or deletes one."""
    deployer_storage = {role for role, scope in roles_of("deployer") if scope == "bucket sources"}
    assert deployer_storage == {"roles/storage.objectCreator", "roles/storage.objectViewer"}


def test_the_release_trigger_needs_approval_and_runs_as_the_releaser(tf: Terraform) -> None:
    release = tf.resource("google_cloudbuild_trigger", "release")
    assert blocks(release, "approval_config")[0]["approval_required"] is True
    assert release["service_account"] == '${google_service_account.sa["releaser"].id}'
    assert blocks(release, "git_file_source")[0]["path"] == "cloudbuild.release.yaml"
    assert "repository_event_config" not in release, "a release is started by a person, never by a push"
    expected = {"ci": ("ci", "cloudbuild.ci.yaml"), "publish": ("deployer", "cloudbuild.yaml")}
    for trigger, (account, filename) in expected.items():
        body = tf.resource("google_cloudbuild_trigger", trigger)
        assert body["service_account"] == f'${{google_service_account.sa["{account}"].id}}'
        assert body["filename"] == filename
        assert "approval_config" not in body
