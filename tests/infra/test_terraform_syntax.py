"""infra/ is well-formed: every .tf file parses, the layout is one file per concern, `tofu fmt` is clean.

`terraform validate` needs the providers, which `init` cannot download offline, so it is not run here;
parsing plus `fmt -check` catch syntax and layout errors, the other tests check the content.
"""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest

from .conftest import INFRA, INSTALL_TERRAFORM, Terraform, parse_tf, tf_files

EXPECTED_FILES = {
    "main.tf",
    "variables.tf",
    "outputs.tf",
    "versions.tf",
    "apis.tf",
    "firestore.tf",
    "tasks.tf",
    "storage.tf",
    "iam.tf",
    "secrets.tf",
    "functions.tf",
    "agent.tf",
    "scheduler.tf",
    "firebase.tf",
    "cloudbuild.tf",
    "monitoring.tf",
}


def test_one_file_per_concern() -> None:
    present = {path.name for path in tf_files()}
    assert present >= EXPECTED_FILES, f"missing: {sorted(EXPECTED_FILES - present)}"


@pytest.mark.parametrize("path", tf_files(), ids=lambda path: path.name)
def test_every_tf_file_parses(path) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_tf(path)
    assert parsed, f"{path.name} parsed to nothing"


def test_every_resource_name_is_unique_across_files() -> None:
    seen: dict[tuple[str, str], str] = {}
    for path in tf_files():
        for block in parse_tf(path).get("resource", []):
            for rtype, named in block.items():
                for name in named:
                    assert (rtype, name) not in seen, (
                        f"{rtype}.{name} in {seen[(rtype, name)]} and {path.name}"
                    )
                    seen[(rtype, name)] = path.name


def test_every_variable_has_a_description_and_type(tf: Terraform) -> None:
    for name, body in tf.variables.items():
        assert body.get("description"), f"variable {name} has no description"
        assert body.get("type"), f"variable {name} has no type"


def test_provider_versions_are_pinned_exactly() -> None:
    terraform = parse_tf(INFRA / "versions.tf")["terraform"][0]
    providers = terraform["required_providers"][0]
    for name, spec in providers.items():
        assert re.fullmatch(r"= \d+\.\d+\.\d+", spec.get("version", "")), (
            f"provider {name} is not pinned exactly"
        )


def test_the_lock_file_is_committed_and_holds_release_hashes() -> None:
    lock = (INFRA / ".terraform.lock.hcl").read_text(encoding="utf-8")
    blocks = re.findall(r'provider "([^"]+)" \{(.*?)\n\}', lock, flags=re.S)
    assert blocks, "infra/.terraform.lock.hcl lists no provider"
    for source, body in blocks:
        hashes = re.findall(r'"(zh|h1):([^"]+)"', body)
        assert len([h for kind, h in hashes if kind == "zh"]) >= 10, (
            f"{source}: expected one zh: hash per platform"
        )
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for kind, h in hashes if kind == "zh"), source
    ignored = (INFRA / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".terraform.lock.hcl" not in ignored


@pytest.mark.timeout(1500)
def test_tofu_fmt_is_clean(tofu: str) -> None:
    """`tofu fmt -check -recursive infra` (the binary comes from infra/tools/install-terraform.sh)."""
    result = subprocess.run(
        [tofu, "fmt", "-check", "-recursive", "-diff", str(INFRA)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"tofu fmt would change:\n{result.stdout}"


def test_install_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n", str(INSTALL_TERRAFORM)], check=True, timeout=30)


@pytest.mark.timeout(1500)
def test_install_script_is_fast_when_installed(tofu: str) -> None:
    """A second run finds the pinned binary and returns at once with the same path."""
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(INSTALL_TERRAFORM)], capture_output=True, text=True, timeout=60, check=True
    )
    assert time.monotonic() - started < 5
    if "TOFU_BIN" not in os.environ:
        assert result.stdout.strip() == tofu
    version = subprocess.run([tofu, "version"], capture_output=True, text=True, timeout=30, check=True)
    pinned = next(
        line.split('"')[1]
        for line in INSTALL_TERRAFORM.read_text(encoding="utf-8").splitlines()
        if line.startswith("TOFU_VERSION=")
    )
    assert version.stdout.splitlines()[0] == f"OpenTofu v{pinned}"
