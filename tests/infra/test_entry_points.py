"""The three functions' entry points agree: functions/main.py, Terraform and the release build
(cloudbuild.release.yaml, the only build that deploys them)."""

from __future__ import annotations

import re

import pytest

from .conftest import FUNCTION_NAMES, Terraform, blocks, cloudbuild_steps, main_py_functions, step_text


def test_main_py_defines_the_entry_points() -> None:
    """Parsed with ast; a missing functions/main.py fails this test (it is not skipped)."""
    defined = main_py_functions()
    missing = set(FUNCTION_NAMES) - defined
    assert not missing, f"functions/main.py does not define {sorted(missing)} at top level"


@pytest.mark.parametrize("function", FUNCTION_NAMES)
def test_terraform_function_entry_point_and_runtime(tf: Terraform, function: str) -> None:
    body = tf.resource("google_cloudfunctions2_function", function)
    assert body["name"] == function
    build = blocks(body, "build_config")[0]
    assert build["entry_point"] == function
    assert build["runtime"] == "python311"
    # Cloud Build's deploys own the source after creation (see functions.tf).
    assert "${build_config[0].source}" in blocks(body, "lifecycle")[0]["ignore_changes"]


def deploy_steps() -> dict[str, str]:
    """function name => the text of the cloudbuild step that deploys it."""
    found = {}
    for step in cloudbuild_steps("release").values():
        text = step_text(step)
        match = re.search(r"\bfunctions deploy (\S+)", text)
        if match:
            found[match.group(1)] = text
    return found


def test_cloudbuild_deploys_exactly_the_three_functions() -> None:
    assert set(deploy_steps()) == set(FUNCTION_NAMES)


@pytest.mark.parametrize("function", FUNCTION_NAMES)
def test_cloudbuild_entry_point_and_flags(function: str) -> None:
    text = deploy_steps()[function]
    assert f"--entry-point={function}" in text
    assert "--gen2" in text
    assert "--runtime=python311" in text
    assert "--region=${_REGION}" in text
    assert "--trigger-http" in text
    assert "--source=gs://${_SOURCES_BUCKET}/functions/$SHORT_SHA.zip" in text
    # Configuration is Terraform's: a deploy must not change env, secrets, accounts or scaling.
    for flag in ("env-vars", "secrets", "service-account", "min-instances", "max-instances", "memory"):
        assert flag not in text, f"cloudbuild deploy of {function} passes a --*{flag}* flag"
    assert "allow-unauthenticated" not in text
