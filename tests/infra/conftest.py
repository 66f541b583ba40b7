"""Parsing helpers for the infrastructure tests: Terraform (python-hcl2), settings.py (ast),
functions/main.py (ast), cloudbuild.yaml (PyYAML), firebase.json and the IAM table of docs/deploy.md.

Everything here reads files; nothing calls a network or a cloud API. The one tool run is OpenTofu
(`tofu fmt`), installed by infra/tools/install-terraform.sh.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml
from hcl2 import SerializationOptions

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
SETTINGS_PY = REPO / "functions" / "interview_core" / "settings.py"
FUNCTIONS_MAIN = REPO / "functions" / "main.py"
CLOUDBUILD = REPO / "cloudbuild.yaml"
FIREBASE_JSON = REPO / "firebase.json"
QUEUE_JSON = INFRA / "queue.json"
WEBHOOK_QUEUE_JSON = INFRA / "webhook_queue.json"
DEPLOY_MD = REPO / "docs" / "deploy.md"
INSTALL_TERRAFORM = INFRA / "tools" / "install-terraform.sh"

FUNCTION_NAMES = ("api", "evaluate", "sweep")

# --- Terraform -----------------------------------------------------------------------------------

_HCL_OPTIONS = SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True)


def tf_files() -> list[Path]:
    return sorted(INFRA.rglob("*.tf"))


def parse_tf(path: Path) -> dict[str, Any]:
    """One .tf file as python-hcl2 returns it (strings unquoted, expressions as "${...}")."""
    with path.open(encoding="utf-8") as handle:
        return hcl2.load(handle, serialization_options=_HCL_OPTIONS)


_REFERENCE = re.compile(r"(local|var)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\[\"[^\"]+\"\])*)")


class Terraform:
    """The whole configuration under infra/, merged: resources by type and name, locals, variables."""

    def __init__(self, files: list[Path]) -> None:
        self.resources: dict[str, dict[str, dict[str, Any]]] = {}
        self.data: dict[str, dict[str, dict[str, Any]]] = {}
        self.locals: dict[str, Any] = {}
        self.variables: dict[str, dict[str, Any]] = {}
        self.resource_files: dict[tuple[str, str], Path] = {}
        for path in files:
            parsed = parse_tf(path)
            for block in parsed.get("resource", []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        self.resources.setdefault(rtype, {})[name] = body
                        self.resource_files[(rtype, name)] = path
            for block in parsed.get("data", []):
                for dtype, named in block.items():
                    for name, body in named.items():
                        self.data.setdefault(dtype, {})[name] = body
            for block in parsed.get("locals", []):
                self.locals.update(block)
            for block in parsed.get("variable", []):
                self.variables.update(block)

    def resource(self, rtype: str, name: str) -> dict[str, Any]:
        assert name in self.resources.get(rtype, {}), f"infra/ has no {rtype}.{name}"
        return self.resources[rtype][name]

    def variable_default(self, name: str) -> Any:
        assert name in self.variables, f"infra/ has no variable {name}"
        return self.variables[name].get("default")

    def resolve(self, value: Any) -> Any:
        """Follow `${local.x}`, `${local.x.y}`, `${var.x}` (its default) and jsondecode(file(...)).

        Returns the literal the reference ends at, or the expression string itself when it is not a
        plain reference (another resource's attribute, a function call): the caller decides.
        """
        expression = interpolation(value)
        if expression is None:
            return value
        match = _REFERENCE.fullmatch(expression)
        if not match:
            loaded = _jsondecode_file(expression)
            return loaded if loaded is not None else value
        kind, name, path = match.groups()
        if kind == "var":
            current: Any = self.variable_default(name)
        else:
            assert name in self.locals, f"infra/ has no local {name}"
            current = self.resolve(self.locals[name])
        for key in re.findall(r"\.([A-Za-z_][\w-]*)|\[\"([^\"]+)\"\]", path):
            field = key[0] or key[1]
            if not isinstance(current, dict) or field not in current:
                return value
            current = self.resolve(current[field])
        return current


def interpolation(value: Any) -> str | None:
    """The expression inside a value that is exactly one "${...}", else None."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        inner = value[2:-1]
        if "${" not in inner:
            return inner
        # Nested templates (a string inside the expression); still one expression.
        return inner
    return None


def _jsondecode_file(expression: str) -> Any:
    match = re.fullmatch(r'jsondecode\(file\("\$\{path\.module\}/([^"]+)"\)\)', expression)
    if not match:
        return None
    return json.loads((INFRA / match.group(1)).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def tf() -> Terraform:
    return Terraform(tf_files())


def blocks(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The nested blocks `name` of a resource body (python-hcl2 gives a list of dicts)."""
    value = body.get(name, [])
    return value if isinstance(value, list) else [value]


def dynamic_blocks(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The `dynamic "name" { ... }` blocks of a body."""
    found = []
    for dynamic in body.get("dynamic", []):
        if name in dynamic:
            found.append(dynamic[name])
    return found


# --- OpenTofu --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def tofu() -> str:
    """The OpenTofu binary from infra/tools/install-terraform.sh (built once per machine, ~5 min).

    Skips only when the installer cannot provide one here (no Go toolchain, no module proxy), and
    says why.
    """
    override = os.environ.get("TOFU_BIN")
    if override:
        return override
    result = subprocess.run(
        ["bash", str(INSTALL_TERRAFORM)], capture_output=True, text=True, timeout=1200, check=False
    )
    if result.returncode != 0:
        pytest.skip(
            "infra/tools/install-terraform.sh could not provide OpenTofu on this machine: "
            + (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        )
    return result.stdout.strip().splitlines()[-1]


# --- settings.py -----------------------------------------------------------------------------------


@cache
def settings_fields() -> dict[str, dict[str, Any]]:
    """Settings fields: name => {"env": ENV_NAME, "default": literal or None}, read with ast."""
    return class_fields(SETTINGS_PY, "Settings")


def class_fields(path: Path, class_name: str) -> dict[str, dict[str, Any]]:
    """A pydantic-settings class's fields, read with ast (no import of the code under test)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    settings = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == class_name)
    fields: dict[str, dict[str, Any]] = {}
    for node in settings.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        name = node.target.id
        if name == "model_config":
            continue
        env = name.upper()
        default: Any = None
        if isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "Field":
            for keyword in node.value.keywords:
                if keyword.arg == "validation_alias" and isinstance(keyword.value, ast.Constant):
                    env = keyword.value.value
                if keyword.arg == "default" and isinstance(keyword.value, ast.Constant):
                    default = keyword.value.value
        elif isinstance(node.value, ast.Constant):
            default = node.value.value
        fields[name] = {"env": env, "default": default}
    return fields


def settings_default(name: str) -> Any:
    fields = settings_fields()
    assert name in fields, f"settings.py has no field {name}"
    return fields[name]["default"]


# --- functions/main.py ------------------------------------------------------------------------------


def main_py_functions() -> set[str]:
    """Top-level function names of functions/main.py. Fails (does not skip) when the file is missing."""
    assert FUNCTIONS_MAIN.is_file(), "functions/main.py is missing: it must define api, evaluate and sweep"
    tree = ast.parse(FUNCTIONS_MAIN.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


# --- cloudbuild.yaml ---------------------------------------------------------------------------------


CLOUDBUILD_CONFIGS = {
    "ci": REPO / "cloudbuild.ci.yaml",
    "publish": CLOUDBUILD,
    "release": REPO / "cloudbuild.release.yaml",
}
"""The pipeline's three builds (docs/deploy.md, "Deploy"): tests, publish, approved release."""


@cache
def cloudbuild(which: str = "publish") -> dict[str, Any]:
    with CLOUDBUILD_CONFIGS[which].open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def cloudbuild_steps(which: str = "publish") -> dict[str, dict[str, Any]]:
    return {step["id"]: step for step in cloudbuild(which)["steps"]}


def step_text(step: dict[str, Any]) -> str:
    """A step's command line as one string (args joined; a bash -c script included)."""
    parts = [str(step.get("entrypoint", "")), *map(str, step.get("args", []))]
    return " ".join(parts)


# --- firebase.json -------------------------------------------------------------------------------------


@cache
def firebase() -> dict[str, Any]:
    return json.loads(FIREBASE_JSON.read_text(encoding="utf-8"))


# --- docs/deploy.md IAM table ------------------------------------------------------------------------------

_CODE = re.compile(r"`([^`]+)`")


def iam_table() -> set[tuple[str, str, str]]:
    """(account, role, scope) rows of the table under the "IAM" heading of docs/deploy.md.

    A row is `| `account` | `role` | scope |`, where scope is `project` or a kind and a backticked
    name: "queue `evaluations`", "secret `gemini-api-key`", "bucket `archives`", "bucket `sources`",
    "bucket `build-staging`",
    "repository `images`", "service account `tasks-invoker`", "function `evaluate`".
    """
    assert DEPLOY_MD.is_file(), "docs/deploy.md is missing"
    lines = DEPLOY_MD.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"^#+\s+IAM\b", line)), None)
    assert start is not None, "docs/deploy.md has no heading starting with 'IAM'"
    rows: set[tuple[str, str, str]] = set()
    in_table = False
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if not line.startswith("|"):
            if in_table:
                break
            continue
        in_table = True
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or set(cells[0]) <= {"-", ":", " "} or not cells[0].startswith("`"):
            continue
        account = _CODE.findall(cells[0])[0]
        role = _CODE.findall(cells[1])[0]
        rows.add((account, role, normalise_scope(cells[2])))
    assert rows, "the IAM table of docs/deploy.md has no rows"
    return rows


def normalise_scope(cell: str) -> str:
    names = _CODE.findall(cell)
    kind = _CODE.sub("", cell).strip().lower()
    if kind == "project" and not names:
        return "project"
    assert len(names) == 1, f"IAM table scope {cell!r}: expected a kind and one `name`"
    return f"{kind} {names[0]}"


# Terraform locals that list accounts for one role on one resource: local => (role, scope).
SINGLE_SCOPE_GRANTS = {
    "iam_archive_object_admins": ("roles/storage.objectAdmin", "bucket archives"),
    "iam_sources_object_creators": ("roles/storage.objectCreator", "bucket sources"),
    "iam_sources_object_viewers": ("roles/storage.objectViewer", "bucket sources"),
    "iam_staging_object_viewers": ("roles/storage.objectViewer", "bucket build-staging"),
    "iam_image_writers": ("roles/artifactregistry.writer", "repository images"),
}


def tf_iam_grants(tf: Terraform) -> set[tuple[str, str, str]]:
    """(account, role, scope) triples the Terraform IAM locals grant (same vocabulary as the table)."""
    local = tf.locals
    queue_name = tf.resolve(local["queue"])["name"]
    grants: set[tuple[str, str, str]] = set()
    for account, roles in local["iam_project_roles"].items():
        grants |= {(account, role, "project") for role in roles}
    for secret, accounts in local["iam_secret_readers"].items():
        grants |= {(a, "roles/secretmanager.secretAccessor", f"secret {secret}") for a in accounts}
    grants |= {(a, "roles/cloudtasks.enqueuer", f"queue {queue_name}") for a in local["iam_queue_enqueuers"]}
    webhook_queue = tf.resolve(local["webhook_queue"])["name"]
    grants |= {
        (a, "roles/cloudtasks.enqueuer", f"queue {webhook_queue}")
        for a in local["iam_webhook_queue_enqueuers"]
    }
    for name, (role, scope) in SINGLE_SCOPE_GRANTS.items():
        grants |= {(a, role, scope) for a in local[name]}
    for account, targets in local["iam_act_as"].items():
        grants |= {(account, "roles/iam.serviceAccountUser", f"service account {t}") for t in targets}
    for function, accounts in local["iam_function_invokers"].items():
        grants |= {(a, "roles/run.invoker", f"function {function}") for a in accounts}
    # The public grant on the api function.
    public = tf.resource("google_cloud_run_v2_service_iam_member", "api_public")
    grants.add((public["member"], public["role"], "function api"))
    return grants


def walk_strings(value: Any) -> Iterator[str]:
    """Every string inside a parsed structure."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from walk_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk_strings(item)
