"""The pipeline's three builds: they parse, name only files that exist, agree with Terraform and
package.json, and keep their roles apart (ci tests, publish publishes after ci passed, release deploys).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .conftest import CLOUDBUILD_CONFIGS, REPO, Terraform, cloudbuild, cloudbuild_steps, step_text

# Files the builds use, named in them or implied by their commands (npm ci needs the lock file, firebase
# deploy reads firebase.json and the rules).
EXPECTED_FILES = {
    "agent_worker/Dockerfile",
    "devstack/uv-requirements.txt",
    "infra/tools/package_functions.py",
    "hosting/package.json",
    "hosting/package-lock.json",
    "firebase.json",
    "firestore.rules",
    "firestore.indexes.json",
}
AGENT_IMAGE = "${_REGION}-docker.pkg.dev/$PROJECT_ID/${_AR_REPO}/agent:$SHORT_SHA"
_PATH_TOKEN = re.compile(r"^[\w.-]+(?:/[\w.-]+)*$")
WHICH = tuple(CLOUDBUILD_CONFIGS)


def named_paths(which: str) -> set[str]:
    """Repository paths a build names: `-f X`, `-r X`, `cd X`, scripts, `dir:`."""
    paths: set[str] = set()
    for step in cloudbuild(which)["steps"]:
        if "dir" in step:
            paths.add(step["dir"])
        tokens = re.split(r"[\s=\"']+", step_text(step))
        for previous, token in zip(["", *tokens], tokens, strict=False):
            if not _PATH_TOKEN.match(token) or token.startswith("-"):
                continue
            if previous in {"-f", "cd"} or token.endswith((".py", ".sh", ".txt", ".json")):
                paths.add(token)
    return paths


def ancestors(steps: dict[str, dict[str, Any]], step_id: str) -> set[str]:
    """The steps a step waits for, directly or not. A step without waitFor waits for every step
    before it (Cloud Build's rule), so the order of the file counts too."""
    ids = list(steps)
    step = steps[step_id]
    waited = step.get("waitFor", ids[: ids.index(step_id)])
    found: set[str] = set()
    for other in waited:
        if other != "-":
            found |= {other, *ancestors(steps, other)}
    return found


@pytest.mark.parametrize("which", WHICH)
def test_parses_with_unique_step_ids(which: str) -> None:
    steps = cloudbuild(which)["steps"]
    ids = [step["id"] for step in steps]
    assert len(ids) == len(set(ids))
    for step in steps:
        for waited in step.get("waitFor", []):
            assert waited in ids, f"{which}: {step['id']} waits for unknown step {waited}"


@pytest.mark.parametrize("which", WHICH)
def test_every_path_it_names_exists(which: str) -> None:
    named = named_paths(which)
    assert named <= EXPECTED_FILES | {"hosting", "functions", "infra"}, sorted(named - EXPECTED_FILES)
    missing = sorted(path for path in named if not (REPO / path).exists())
    assert not missing, f"{which} needs {missing}"
    assert all((REPO / path).exists() for path in EXPECTED_FILES)


def test_ci_installs_the_lock_and_runs_lint_tests_and_terraform_validate() -> None:
    steps = cloudbuild_steps("ci")
    text = step_text(steps["test"])
    assert "--require-hashes -r devstack/uv-requirements.txt" in text
    assert "uv sync --frozen" in text, "the build's tests install exactly the lock"
    assert "ruff check" in text
    assert 'pytest -m "not integration"' in text
    validate = step_text(steps["terraform-validate"])
    assert "init -backend=false" in validate
    assert "terraform -chdir=infra validate" in validate
    assert cloudbuild("ci")["tags"] == ["ci", "sha-$SHORT_SHA"]
    hosting = step_text(steps["test-hosting"])
    assert "npm run --silent build\n" in hosting
    assert "VITE_FIREBASE_PROJECT_ID=demo-interviewer" in hosting
    assert "build:deploy; then" in hosting


def test_ci_deploys_nothing() -> None:
    text = json.dumps(cloudbuild("ci"))
    for deploying in ("firebase", "gcloud", "docker", "services update", "storage cp", "push"):
        assert deploying not in text, f"cloudbuild.ci.yaml mentions {deploying!r}"
    assert "images" not in cloudbuild("ci")


def test_publish_starts_with_the_ci_gate_and_everything_waits_for_it() -> None:
    steps = cloudbuild_steps("publish")
    assert next(iter(steps)) == "wait-for-ci"
    gate = step_text(steps["wait-for-ci"])
    # Looks up builds of the same commit that ran as the ci account and carry ci's tag.
    assert "gcloud builds list --region=${_REGION}" in gate
    assert "tags=ci AND tags=sha-$SHORT_SHA AND serviceAccount:${_CI_SERVICE_ACCOUNT}" in gate
    assert "grep -qx SUCCESS" in gate
    assert "exit 1" in gate
    for step_id in steps:
        if step_id != "wait-for-ci":
            assert "wait-for-ci" in ancestors(steps, step_id), f"{step_id} does not wait for the ci gate"
    # The tag the gate looks for is the one the ci build sets.
    assert "sha-$SHORT_SHA" in cloudbuild("ci")["tags"]


def test_publish_never_deploys_the_functions_or_the_agent() -> None:
    text = json.dumps(cloudbuild("publish"))
    assert "functions deploy" not in text
    assert "run services" not in text
    assert "run deploy" not in text
    assert "iam.gserviceaccount.com" not in text


def test_publish_runs_only_the_packaging_script_and_the_web_build_from_the_repository() -> None:
    """Other than its inline gate, the publish build runs two things from the repository."""
    steps = cloudbuild_steps("publish")
    package = step_text(steps["package-functions"])
    assert "python3 infra/tools/package_functions.py" in package
    assert re.findall(r"python3? (\S+)", package) == ["infra/tools/package_functions.py"]
    assert "npm run build:deploy" in step_text(steps["build-hosting"])
    for step_id, step in steps.items():
        text = step_text(step)
        if step_id not in {"package-functions", "build-hosting"}:
            for runner in ("python", "npm run", ".sh"):
                assert runner not in text, f"{step_id} runs {runner}"


def test_the_functions_zip_is_write_once() -> None:
    package = step_text(cloudbuild_steps("publish")["package-functions"])
    assert 'gcloud storage objects describe "$$object"' in package
    assert package.index("objects describe") < package.index("storage cp")


def test_agent_image_is_built_from_the_root_and_tagged_with_the_commit() -> None:
    steps = cloudbuild_steps("publish")
    args = steps["build-agent"]["args"]
    assert args[0] == "build"
    assert args[args.index("-f") + 1] == "agent_worker/Dockerfile"
    assert args[args.index("-t") + 1] == AGENT_IMAGE
    assert args[-1] == "."
    assert AGENT_IMAGE in steps["push-agent"]["args"]
    assert cloudbuild("publish")["images"] == [AGENT_IMAGE]
    deploy = step_text(cloudbuild_steps("release")["deploy-agent"])
    assert "run services update ${_SERVICE_PREFIX}agent" in deploy
    assert f"--image={AGENT_IMAGE}" in deploy


def test_hosting_is_built_for_the_real_project_and_deployed_to_the_terraform_site() -> None:
    steps = cloudbuild_steps("publish")
    build = steps["build-hosting"]
    text = step_text(build)
    assert "cd hosting" in text
    assert "npm ci" in text
    assert "npm run build:deploy" in text
    assert set(build["env"]) == {
        "VITE_FIREBASE_PROJECT_ID=${_FIREBASE_PROJECT_ID}",
        "VITE_FIREBASE_API_KEY=${_FIREBASE_API_KEY}",
        "VITE_FIREBASE_AUTH_DOMAIN=${_FIREBASE_AUTH_DOMAIN}",
    }
    deploy = step_text(steps["deploy-hosting"])
    assert '--only "hosting:${_HOSTING_SITE},firestore:rules,firestore:indexes"' in deploy
    assert "c.hosting.site = process.argv[1]" in deploy
    assert '"${_HOSTING_SITE}"' in deploy
    assert "--non-interactive" in deploy


def test_release_runs_nothing_but_the_pinned_gcloud_image() -> None:
    release = cloudbuild("release")
    image = release["substitutions"]["_GCLOUD_IMAGE"]
    assert re.fullmatch(
        r"gcr\.io/google\.com/cloudsdktool/cloud-sdk:\d+\.\d+\.\d+-slim(@sha256:[0-9a-f]{64})?", image
    )
    for step in release["steps"]:
        assert step["name"] == "${_GCLOUD_IMAGE}", step["id"]
        assert step["entrypoint"] == "gcloud", f"{step['id']}: only gcloud commands, no shell"
        assert not any("/" in arg and arg.endswith((".py", ".sh")) for arg in step["args"])
    assert "images" not in release
    order = cloudbuild_steps("release")
    assert {"deploy-api", "deploy-evaluate", "deploy-sweep"} <= ancestors(order, "deploy-agent")


def test_firebase_tools_version_matches_package_json() -> None:
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    pinned = package["devDependencies"]["firebase-tools"]
    assert cloudbuild("publish")["substitutions"]["_FIREBASE_TOOLS_VERSION"] == pinned


@pytest.mark.parametrize("which", WHICH)
def test_substitutions_are_defined(which: str) -> None:
    config = cloudbuild(which)
    used = set(re.findall(r"\$\{(_[A-Z0-9_]+)\}", json.dumps(config)))
    assert used <= set(config["substitutions"]), f"undefined: {sorted(used - set(config['substitutions']))}"
    assert config["options"]["logging"] == "CLOUD_LOGGING_ONLY", "required with a user-specified account"


@pytest.mark.parametrize("which", ["publish", "release"])
def test_substitutions_agree_with_terraform(tf: Terraform, which: str) -> None:
    subs = cloudbuild(which)["substitutions"]
    assert subs["_REGION"] == tf.variable_default("region")
    assert subs["_AR_REPO"] == tf.variable_default("artifact_repository")
    assert subs["_SERVICE_PREFIX"] == tf.variable_default("service_prefix")
    assert subs["_SOURCES_BUCKET"] == "${PROJECT_ID}-sources"
    assert cloudbuild(which)["options"]["dynamicSubstitutions"] is True
    assert tf.locals["sources_bucket"] == "${var.project_id}-sources"
    assert tf.locals["agent_service_name"] == "${var.service_prefix}agent"


@pytest.mark.parametrize("which", WHICH)
def test_no_project_values_are_hard_coded(which: str) -> None:
    text = CLOUDBUILD_CONFIGS[which].read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    if which != "ci":  # the ci build checks that the deploy web build refuses the demo values
        assert "demo-interviewer" not in body
    assert ".iam.gserviceaccount.com" not in body
    for match in re.finditer(r"(\S*)docker\.pkg\.dev/(\S*)", body):
        assert match.group(1).endswith("${_REGION}-"), match.group(0)
        assert match.group(2).startswith("$PROJECT_ID/${_AR_REPO}/"), match.group(0)


def test_shell_variables_are_escaped_from_substitution() -> None:
    """Cloud Build replaces $NAME and ${NAME}; a bash variable must be written $$name, or it becomes an
    empty string under ALLOW_LOOSE. Every $lowercase in a script is therefore a bug."""
    for which in WHICH:
        for step in cloudbuild(which)["steps"]:
            script = " ".join(map(str, step.get("args", [])))
            unescaped = re.findall(r"(?<!\$)\$\{?([a-z][a-z0-9_]*)\b", script)
            assert not unescaped, f"{which}/{step['id']}: unescaped shell variables {unescaped}"
