"""`python -m agent_worker start|dev` as an operator runs it, against the stack's LiveKit server: the
worker registers and answers its health endpoint; `start` logs JSON and drains on SIGTERM; `dev` logs
readable lines and restarts the worker when a Python file of agent_worker/ or interview_core/ changes.

Each worker registers under its own agent name, so no interview of another test is dispatched to it.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

import interview_core

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
CORE_HOME = Path(interview_core.__file__).resolve().parent.parent  # where interview_core is imported from


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Worker:
    """`python -m agent_worker ...` in a child process, its output collected line by line."""

    def __init__(self, args: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        self.health_port = int(env["AGENT_HEALTH_PORT"])
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "agent_worker", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, count: Callable[[list[str]], int], at_least: int, timeout: float) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: count(self.lines) >= at_least, timeout):
                tail = "\n".join(self.lines[-40:])
                raise AssertionError(f"not seen {at_least} times within {timeout}s; output:\n{tail}")

    def registrations(self, lines: list[str]) -> int:
        return sum("registered worker" in line for line in lines)

    def health(self) -> requests.Response:
        return requests.get(f"http://127.0.0.1:{self.health_port}/", timeout=5)

    def worker_info(self) -> dict[str, object]:
        response = requests.get(f"http://127.0.0.1:{self.health_port}/worker", timeout=5)
        response.raise_for_status()
        return dict(response.json())

    def stop(self, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture
def worker_env(agent_env: dict[str, str]) -> dict[str, str]:
    """The stack's settings, a health port and an agent name of this test's own, no idle processes."""
    env = {k: v for k, v in agent_env.items() if k not in {"PYTHONPATH", "LOG_LEVEL"}}
    return {
        **env,
        "AGENT_NAME": f"cli-test-{uuid.uuid4().hex[:8]}",
        "AGENT_HEALTH_HOST": "127.0.0.1",
        "AGENT_HEALTH_PORT": str(free_port()),
        "AGENT_IDLE_PROCESSES": "0",
        "AGENT_DRAIN_TIMEOUT_SECONDS": "5",
    }


@pytest.fixture
def run_worker() -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(args: list[str], *, cwd: Path, env: dict[str, str]) -> Worker:
        started.append(Worker(args, cwd=cwd, env=env))
        return started[-1]

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait(10)


def test_start_registers_answers_health_logs_json_and_drains_on_sigterm(
    worker_env: dict[str, str], run_worker: Callable[..., Worker]
) -> None:
    worker = run_worker(["start"], cwd=REPO, env={**worker_env, "PYTHONPATH": str(CORE_HOME)})
    worker.wait_for(worker.registrations, 1, timeout=60)

    assert worker.health().status_code == 200
    assert worker.worker_info()["agent_name"] == worker_env["AGENT_NAME"]
    registered = next(json.loads(line) for line in worker.lines if "registered worker" in line)
    assert registered["agent_name"] == worker_env["AGENT_NAME"]

    assert worker.stop() == 0
    assert any('"message": "draining worker"' in line for line in worker.lines)
    with pytest.raises(requests.ConnectionError):
        worker.health()


def copy_code(to: Path) -> tuple[Path, Path]:
    """agent_worker and interview_core copied under `to`, so the test can change them."""
    ignore = shutil.ignore_patterns("__pycache__")
    agent = shutil.copytree(REPO / "agent_worker", to / "agent_worker", ignore=ignore)
    core = shutil.copytree(CORE_HOME / "interview_core", to / "lib" / "interview_core", ignore=ignore)
    return Path(agent), Path(core)


def touch_code(path: Path) -> None:
    path.write_text(path.read_text() + "\n# changed by test_dev_restarts_the_worker_when_the_code_changes\n")


def test_dev_restarts_the_worker_when_the_code_changes(
    worker_env: dict[str, str], run_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    agent, core = copy_code(tmp_path)
    env = {**worker_env, "PYTHONPATH": str(core.parent)}
    worker = run_worker(["dev"], cwd=tmp_path, env=env)
    worker.wait_for(worker.registrations, 1, timeout=60)
    watching = next(line for line in worker.lines if "the worker restarts when" in line)
    assert str(agent) in watching
    assert str(core) in watching
    registered = next(line for line in worker.lines if "registered worker" in line)
    with pytest.raises(ValueError):  # noqa: PT011 - readable lines, not JSON
        json.loads(registered)
    assert worker.health().status_code == 200

    touch_code(agent / "instructions.py")
    worker.wait_for(worker.registrations, 2, timeout=30)
    assert any("instructions.py changed, restarting the worker" in line for line in worker.lines)

    touch_code(core / "settings.py")
    worker.wait_for(worker.registrations, 3, timeout=30)
    assert any("settings.py changed, restarting the worker" in line for line in worker.lines)
    assert worker.health().status_code == 200

    assert worker.stop() == 0
    time.sleep(0.5)
    with pytest.raises(requests.ConnectionError):  # the restarted worker went with it
        worker.health()


def test_dev_without_reload_runs_one_worker(
    worker_env: dict[str, str], run_worker: Callable[..., Worker]
) -> None:
    worker = run_worker(["dev", "--no-reload"], cwd=REPO, env={**worker_env, "PYTHONPATH": str(CORE_HOME)})
    worker.wait_for(worker.registrations, 1, timeout=60)
    assert worker.health().status_code == 200
    assert not any("the worker restarts when" in line for line in worker.lines)
    assert worker.stop() == 0
    assert not any("draining worker" in line for line in worker.lines)  # dev mode does not drain
