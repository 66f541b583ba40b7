"""`make smoke-real` (infra/tools/smoke_real.py) without a deployment: its dry run and its refusal to
run without configuration. The script runs as `make` runs it, in a child process with a clean
environment, so nothing here needs a key or reaches a network."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from .conftest import REPO

SMOKE_ENV = {
    "SMOKE_BASE_URL": "https://demo-interviewer.web.app",
    "SMOKE_EMAIL": "smoke@example.com",
    "SMOKE_PASSWORD": "not-a-real-password",
    "SMOKE_FIREBASE_API_KEY": "not-a-real-key",
}


def smoke(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "infra.tools.smoke_real", *args],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_dry_run_needs_no_keys_and_prints_the_plan() -> None:
    result = smoke("--dry-run")
    assert result.returncode == 0, result.stderr
    steps = re.findall(r"^\s*\d+\. (.+)$", result.stdout, flags=re.MULTILINE)
    assert steps[0].startswith("sign in as the recruiter")
    assert any("POST $SMOKE_BASE_URL/api/interviews" in step for step in steps)
    assert any(step.startswith("take the candidate's token") for step in steps)
    assert sum(step.startswith("answer question") for step in steps) == 2
    assert any(step.startswith("wait for the report") for step in steps)
    assert steps[-1].startswith("delete the interview")
    assert "not set, needed for a real run: SMOKE_BASE_URL" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_configured_dry_run_plans_against_the_deployment_and_reports_nothing_missing() -> None:
    result = smoke("--dry-run", "--answers", "3", "--keep", env=SMOKE_ENV)
    assert result.returncode == 0, result.stderr
    assert "POST https://demo-interviewer.web.app/api/interviews" in result.stdout
    assert not re.search(r"not set.*SMOKE_", result.stdout)
    assert result.stdout.count("answer question") == 3
    assert "keep the interview" in result.stdout


def test_an_invalid_value_fails_even_the_dry_run() -> None:
    result = smoke("--dry-run", env={**SMOKE_ENV, "SMOKE_BASE_URL": "http://example.com"})
    assert result.returncode == 2
    assert "SMOKE_BASE_URL='http://example.com' is not an https URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_configuration_a_real_run_refuses_with_what_to_set() -> None:
    result = smoke()
    assert result.returncode == 2
    assert result.stderr.startswith("smoke-real cannot run; set or fix:")
    assert "SMOKE_BASE_URL" in result.stderr
    assert "SMOKE_ID_TOKEN, or SMOKE_EMAIL, SMOKE_PASSWORD, SMOKE_FIREBASE_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_make_smoke_real_runs_the_script_and_make_test_does_not() -> None:
    makefile = (REPO / "Makefile").read_text()
    target = re.search(r"^smoke-real:.*\n\t(.+)$", makefile, flags=re.MULTILINE)
    assert target is not None
    assert "-m infra.tools.smoke_real" in target.group(1)
    test_recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE)
    assert test_recipe is not None
    assert "smoke" not in test_recipe.group(1)
