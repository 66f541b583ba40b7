"""cloudbuild.yaml: parses, names only files that exist, and agrees with Terraform and package.json."""

from __future__ import annotations

import json
import re

from .conftest import REPO, Terraform, cloudbuild, cloudbuild_steps, step_text

# Files the pipeline uses, named in cloudbuild.yaml or implied by its commands (npm ci needs the lock
# file, firebase deploy reads firebase.json and the rules). Some are created by other parts of the
# project (agent_worker/Dockerfile, the lock, hosting/): until they exist the build cannot run,
# and this test says which are missing.
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


def named_paths() -> set[str]:
    """Repository paths that cloudbuild.yaml names: `-f X`, `-r X`, `-c X`, `cd X`, scripts, `dir:`."""
    paths: set[str] = set()
    for step in cloudbuild()["steps"]:
        if "dir" in step:
            paths.add(step["dir"])
        tokens = re.split(r"[\s=\"']+", step_text(step))
        for previous, token in zip(["", *tokens], tokens, strict=False):
            if not _PATH_TOKEN.match(token) or token.startswith("-"):
                continue
            if previous in {"-f", "cd"} or token.endswith((".py", ".sh", ".txt", ".json")):
                paths.add(token)
    return paths


def test_cloudbuild_parses_with_unique_step_ids() -> None:
    steps = cloudbuild()["steps"]
    ids = [step["id"] for step in steps]
    assert len(ids) == len(set(ids))
    for step in steps:
        for waited in step.get("waitFor", []):
            assert waited in ids, f"{step['id']} waits for unknown step {waited}"


def test_named_paths_are_the_expected_ones() -> None:
    named = named_paths()
    assert named <= EXPECTED_FILES | {"hosting", "functions"}, sorted(named - EXPECTED_FILES)
    assert {"agent_worker/Dockerfile", "devstack/uv-requirements.txt", "hosting"} <= named


def test_every_path_it_names_exists() -> None:
    missing = sorted(path for path in EXPECTED_FILES | named_paths() if not (REPO / path).exists())
    assert not missing, (
        f"cloudbuild.yaml needs {missing}, which do not exist yet "
        "(the Dockerfile, devstack/uv-requirements.txt and hosting/ come from other parts of the project)"
    )


def test_tests_gate_the_deploys() -> None:
    steps = cloudbuild_steps()
    text = step_text(steps["test"])
    assert "--require-hashes -r devstack/uv-requirements.txt" in text
    assert "uv sync --frozen" in text, "the build's tests install exactly the lock"
    assert "ruff check" in text
    assert 'pytest -m "not integration"' in text

    def ancestors(step_id: str) -> set[str]:
        found: set[str] = set()
        for waited in steps[step_id].get("waitFor", []):
            found |= {waited, *ancestors(waited)}
        return found

    for step_id in steps:
        if step_id not in {"check-revision", "test"}:
            assert "test" in ancestors(step_id), f"{step_id} does not wait for the tests"
    assert {"deploy-api", "deploy-evaluate", "deploy-sweep", "push-agent"} <= ancestors("deploy-agent")
    assert {"build-hosting", "deploy-api"} <= ancestors("deploy-hosting")


def test_agent_image_is_built_from_the_root_and_tagged_with_the_commit() -> None:
    steps = cloudbuild_steps()
    args = steps["build-agent"]["args"]
    assert args[0] == "build"
    assert args[args.index("-f") + 1] == "agent_worker/Dockerfile"
    assert args[args.index("-t") + 1] == AGENT_IMAGE
    assert args[-1] == "."
    assert AGENT_IMAGE in steps["push-agent"]["args"]
    assert cloudbuild()["images"] == [AGENT_IMAGE]
    deploy = step_text(steps["deploy-agent"])
    assert "run services update ${_SERVICE_PREFIX}agent" in deploy
    assert f"--image={AGENT_IMAGE}" in deploy


def test_hosting_is_built_and_deployed_with_rules_and_indexes() -> None:
    steps = cloudbuild_steps()
    build = step_text(steps["build-hosting"])
    assert "cd hosting" in build
    assert "npm ci" in build
    assert "npm run build" in build
    deploy = step_text(steps["deploy-hosting"])
    assert "deploy" in deploy
    assert "--only hosting,firestore:rules,firestore:indexes" in deploy


def test_firebase_tools_version_matches_package_json() -> None:
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    pinned = package["devDependencies"]["firebase-tools"]
    assert cloudbuild()["substitutions"]["_FIREBASE_TOOLS_VERSION"] == pinned


def test_substitutions_are_defined_and_agree_with_terraform(tf: Terraform) -> None:
    subs = cloudbuild()["substitutions"]
    raw = json.dumps(cloudbuild())
    used = set(re.findall(r"\$\{(_[A-Z0-9_]+)\}", raw))
    assert used <= set(subs), f"undefined substitutions: {sorted(used - set(subs))}"
    assert subs["_REGION"] == tf.variable_default("region")
    assert subs["_AR_REPO"] == tf.variable_default("artifact_repository")
    assert subs["_SERVICE_PREFIX"] == tf.variable_default("service_prefix")
    assert subs["_SOURCES_BUCKET"] == "${PROJECT_ID}-sources"
    assert tf.locals["sources_bucket"] == "${var.project_id}-sources"
    assert tf.locals["agent_service_name"] == "${var.service_prefix}agent"
    assert cloudbuild()["options"]["dynamicSubstitutions"] is True


def test_no_project_values_are_hard_coded() -> None:
    text = (REPO / "cloudbuild.yaml").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "demo-interviewer" not in body
    assert ".iam.gserviceaccount.com" not in body
    for match in re.finditer(r"(\S*)docker\.pkg\.dev/(\S*)", body):
        assert match.group(1).endswith("${_REGION}-"), match.group(0)
        assert match.group(2).startswith("$PROJECT_ID/${_AR_REPO}/"), match.group(0)
