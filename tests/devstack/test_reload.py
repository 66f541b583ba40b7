"""Under `up` the functions restart when their code changes; the emulators are left alone.

The stack serves a temporary copy of functions/ (AI_STACK_FUNCTIONS_DIR), and the test edits the copy:
the repository's own files are never touched.
"""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

import pytest
import requests

from tests.devstack.support import REPO, devstack, port_is_free, port_of, stack_environ

pytestmark = pytest.mark.slow

RELOAD_BOUND_SECONDS = 15.0
"""Generous: the restart is a debounce of the change plus a cold import of functions/main.py."""

ORIGINAL = 'json_response({"status": "ok"})'
CHANGED = 'json_response({"status": "reloaded"})'


def _copy_functions(tmp_path: Path) -> Path:
    copy = tmp_path / "functions"
    shutil.copytree(REPO / "functions", copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return copy


def _health(url: str) -> str | None:
    try:
        return str(requests.get(url, timeout=2).json()["status"])
    except (requests.RequestException, ValueError):
        return None


def _wait_for_health(url: str, wanted: str, bound: float) -> float:
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < bound:
        if _health(url) == wanted:
            return elapsed
        time.sleep(0.05)
    raise AssertionError(f"/health did not answer {wanted!r} within {bound}s")


def test_a_changed_function_is_served_without_restarting_the_stack(tmp_path: Path) -> None:
    functions = _copy_functions(tmp_path)
    routes = functions / "api" / "routes.py"
    assert ORIGINAL in routes.read_text()
    env = stack_environ(tmp_path / "state", AI_STACK_FUNCTIONS_DIR=str(functions))
    url = f"http://127.0.0.1:{port_of('api')}/health"
    with devstack(["up", "--only", "api,storage"], env) as running:
        running.wait_for_line("Ctrl-C stops everything", timeout=60)
        storage = running.child_running("gcp-storage-emulator")
        assert _health(url) == "ok"
        routes.write_text(routes.read_text().replace(ORIGINAL, CHANGED))
        elapsed = _wait_for_health(url, "reloaded", RELOAD_BOUND_SECONDS)
        print(f"\nthe changed /health answered {elapsed:.2f}s after the file was written")
        assert storage.is_running(), "an emulator was restarted with the functions"
        assert running.process.poll() is None
        running.process.send_signal(signal.SIGINT)
        assert running.wait(timeout=30) == 130
    assert port_is_free(port_of("api"))
