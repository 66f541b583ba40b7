"""Firebase by Terraform: the web app, its Hosting site and Auth are declared, and the web app's config
reaches the deploy web build; a deploy build with the local demo values refuses to run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from .conftest import REPO, Terraform, blocks, cloudbuild, cloudbuild_steps, firebase, step_text

CHECK_SCRIPT = REPO / "hosting" / "scripts" / "check-deploy-env.mjs"
VITE_FROM_SUBSTITUTION = {
    "VITE_FIREBASE_PROJECT_ID": "_FIREBASE_PROJECT_ID",
    "VITE_FIREBASE_API_KEY": "_FIREBASE_API_KEY",
    "VITE_FIREBASE_AUTH_DOMAIN": "_FIREBASE_AUTH_DOMAIN",
}


def test_terraform_declares_the_project_link_web_app_site_and_its_config(tf: Terraform) -> None:
    tf.resource("google_firebase_project", "default")
    app = tf.resource("google_firebase_web_app", "spa")
    assert app["deletion_policy"] == "ABANDON"
    site = tf.resource("google_firebase_hosting_site", "default")
    assert site["site_id"] == "${local.hosting_site}"
    assert site["app_id"] == "${google_firebase_web_app.spa.app_id}"
    config = tf.data["google_firebase_web_app_config"]["spa"]
    assert config["web_app_id"] == "${google_firebase_web_app.spa.app_id}"
    assert tf.locals["hosting_site"] == "${coalesce(var.hosting_site_id, var.project_id)}"


def test_auth_enables_email_sign_in_on_the_hosting_domains(tf: Terraform) -> None:
    auth = tf.resource("google_identity_platform_config", "auth")
    email = blocks(blocks(auth, "sign_in")[0], "email")[0]
    assert email["enabled"] is True
    assert email["password_required"] is True
    assert auth["authorized_domains"] == "${local.auth_authorized_domains}"
    domains = " ".join(
        map(
            str,
            tf.locals["auth_authorized_domains"]
            if isinstance(tf.locals["auth_authorized_domains"], list)
            else [tf.locals["auth_authorized_domains"]],
        )
    )
    for domain in (
        "${local.hosting_site}.web.app",
        "${local.hosting_site}.firebaseapp.com",
        "local.public_base_url",
    ):
        assert domain in domains, domain


def test_the_web_app_config_reaches_the_web_build(tf: Terraform) -> None:
    """Terraform's data source -> trigger substitutions -> build-hosting's VITE_FIREBASE_* -> config.ts."""
    web = tf.locals["firebase_web_config"]
    assert web["_FIREBASE_PROJECT_ID"] == "${var.project_id}"
    assert web["_FIREBASE_API_KEY"] == "${data.google_firebase_web_app_config.spa.api_key}"
    assert web["_FIREBASE_AUTH_DOMAIN"] == "${data.google_firebase_web_app_config.spa.auth_domain}"
    assert web["_HOSTING_SITE"] == "${google_firebase_hosting_site.default.site_id}"
    assert "local.firebase_web_config" in tf.locals["publish_substitutions"]
    publish = tf.resource("google_cloudbuild_trigger", "publish")
    assert publish["substitutions"] == "${local.publish_substitutions}"
    assert publish["filename"] == "cloudbuild.yaml"
    env = dict(item.split("=", 1) for item in cloudbuild_steps("publish")["build-hosting"]["env"])
    assert env == {name: f"${{{sub}}}" for name, sub in VITE_FROM_SUBSTITUTION.items()}
    # Every substitution the web build and the deploy read is one Terraform provides.
    assert set(VITE_FROM_SUBSTITUTION.values()) | {"_HOSTING_SITE"} <= set(web)
    assert set(web) <= set(cloudbuild("publish")["substitutions"])
    # ...and each VITE_ variable is one the app reads.
    config_ts = (REPO / "hosting" / "src" / "config.ts").read_text(encoding="utf-8")
    assert set(re.findall(r"env\.(VITE_FIREBASE_\w+)", config_ts)) == set(VITE_FROM_SUBSTITUTION)


def test_a_manual_build_gets_the_same_substitutions_from_the_outputs(tf: Terraform) -> None:
    outputs = {}
    from .conftest import INFRA, parse_tf

    for block in parse_tf(INFRA / "outputs.tf").get("output", []):
        outputs.update(block)
    assert "local.publish_substitutions" in outputs["publish_substitutions"]["value"]
    assert "local.publish_substitutions" in str(outputs["build_commands"]["value"])


def test_hosting_deploys_to_the_site_terraform_created() -> None:
    """firebase.json names no site (it stays project-agnostic for the emulators); the deploy step
    writes the Terraform site into it and deploys that target only."""
    assert "site" not in firebase()["hosting"]
    assert "storage" not in firebase(), "no client uses Cloud Storage: no storage rules are deployed"
    deploy = step_text(cloudbuild_steps("publish")["deploy-hosting"])
    assert "hosting:${_HOSTING_SITE}" in deploy


def node() -> str:
    found = shutil.which("node")
    if found is None:
        # The ci build's Python image has no node; its test-hosting step runs the same refusal.
        pytest.skip("node is not installed here (cloudbuild.ci.yaml's test-hosting step checks this)")
    return found


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VITE_")}
    return subprocess.run(
        [node(), str(CHECK_SCRIPT)],
        env={**clean, **env},
        cwd=REPO / "hosting",
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    "env",
    [
        {},
        {
            "VITE_FIREBASE_PROJECT_ID": "demo-interviewer",
            "VITE_FIREBASE_API_KEY": "demo-key",
            "VITE_FIREBASE_AUTH_DOMAIN": "demo-interviewer.firebaseapp.com",
        },
        {
            "VITE_FIREBASE_PROJECT_ID": "acme-hiring",
            "VITE_FIREBASE_AUTH_DOMAIN": "acme-hiring.firebaseapp.com",
        },
    ],
    ids=["nothing", "demo-values", "no-api-key"],
)
def test_the_deploy_web_build_refuses_demo_or_missing_values(env: dict[str, str]) -> None:
    result = run_check(env)
    assert result.returncode != 0
    assert "Refusing to build the web app for deployment" in result.stderr


def test_the_deploy_web_build_accepts_a_real_config() -> None:
    result = run_check(
        {
            "VITE_FIREBASE_PROJECT_ID": "acme-hiring",
            "VITE_FIREBASE_API_KEY": "AIzaSyExample-not-a-real-key",
            "VITE_FIREBASE_AUTH_DOMAIN": "acme-hiring.firebaseapp.com",
        }
    )
    assert result.returncode == 0, result.stderr


def test_npm_run_build_deploy_runs_the_check_first() -> None:
    """Through npm, as the build step runs it: the check fails before tsc or vite start (no
    node_modules needed), so this only needs node and npm."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed here (cloudbuild.ci.yaml's test-hosting step checks this)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VITE_")}
    result = subprocess.run(
        [npm, "run", "--silent", "build:deploy"],
        env={**clean, "VITE_FIREBASE_PROJECT_ID": "demo-interviewer", "VITE_FIREBASE_API_KEY": "demo-key"},
        cwd=REPO / "hosting",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "demo value" in result.stderr
