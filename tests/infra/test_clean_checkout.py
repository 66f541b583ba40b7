"""The CI build passes on a clean checkout: `git archive HEAD` into a temporary folder, then exactly
the script of cloudbuild.ci.yaml's `test` step there (uv from its hashed requirements, `uv sync
--frozen` from uv.lock, ruff, the unit tests). Nothing `make dev` leaves behind (.stack/, .env,
hosting/dist, .venv) is in that folder, so a test that depends on one fails here as it would in Cloud
Build. uv's cache is shared, so the install takes seconds.

Cloud Build's sources have no .git, so this test skips itself there, and in the copy it starts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from .conftest import REPO, cloudbuild_steps

pytestmark = pytest.mark.slow


def ci_test_script() -> str:
    step = cloudbuild_steps("ci")["test"]
    assert step["entrypoint"] == "bash"
    assert step["args"][0] == "-c"
    return str(step["args"][1])


def test_the_ci_test_step_passes_on_a_clean_checkout(tmp_path: Path) -> None:
    if os.environ.get("AI_CLEAN_CHECKOUT") == "1":
        pytest.skip("already inside the clean checkout this test made")
    if subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, check=False
    ).returncode:
        pytest.skip("no git history here (Cloud Build's sources): this tree is itself a clean checkout")
    archive = tmp_path / "head.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(archive), "HEAD"], check=True
    )
    checkout = tmp_path / "checkout"
    with tarfile.open(archive) as tar:
        tar.extractall(checkout, filter="data")
    # Cloud Build's image has python3 and pip on PATH; here a throwaway venv plays that part, so the
    # step's `pip install` does not touch this machine's Python.
    boot = tmp_path / "boot"
    subprocess.run([sys.executable, "-m", "venv", str(boot)], check=True, timeout=120)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "PYTHON", "AI_STACK", "GEMINI", "LIVEKIT", "VITE_"))
    }
    env.update(
        PATH=f"{boot / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        AI_CLEAN_CHECKOUT="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    returncode, stdout, stderr = run_in_own_session(["bash", "-c", ci_test_script()], checkout, env)
    tail = stderr[-1500:] + "\n--- stdout ---\n" + stdout[-3500:]
    assert returncode == 0, f"the ci build's test step fails on a clean checkout:\n{tail}"
    assert " passed" in stdout


def run_in_own_session(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CI step in a session of its own and kill that whole session afterwards.

    The step's own tests start emulators and stacks; if this test times out or the step fails halfway,
    those grandchildren would otherwise outlive it, keep their ports and fail the next run's stacks."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=1500)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return process.returncode, stdout, stderr
