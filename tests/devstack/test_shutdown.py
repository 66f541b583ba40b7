"""Stopping never orphans a service: repeated SIGINT or SIGTERM during the stop cannot cut it short.

Each test starts `python -m devstack up` as a real process in its own session on ports moved by 600,
with the Firestore emulator (a JVM that takes a moment to stop, so the second signal lands during
the stop), the Storage emulator, and the api under the reloader (watchfiles -> functions-framework ->
its gunicorn worker: grandchildren that only the process group reaches).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.devstack.support import StackProcess, alive, devstack, port_is_free, port_of, stack_environ

pytestmark = pytest.mark.slow

SERVICES = ("firestore", "storage", "api")


def _stop_with(tmp_path: Path, send: Callable[[StackProcess], None], times: int) -> tuple[StackProcess, int]:
    """Start, wait until ready, send the first signal, then the others once the stop has begun."""
    with devstack(["up", "--only", ",".join(SERVICES)], stack_environ(tmp_path)) as running:
        running.wait_for_line("Ctrl-C stops everything", timeout=120)
        started = running.descendants()
        assert len(started) >= 4, running.output  # 3 services, and the api's worker below them
        send(running)
        running.wait_for_line("stopping 3 services", timeout=10)
        for _ in range(times - 1):
            time.sleep(0.1)  # pending signals of one kind merge: give the stack time to note each
            send(running)
        code = running.wait(timeout=30)
        assert not alive(started), f"left running: {alive(started)}\n{running.output}"
        for service in SERVICES:
            assert port_is_free(port_of(service)), f"{service} still holds its port"
        return running, code


def _interrupt(running: StackProcess) -> None:
    os.kill(running.process.pid, signal.SIGINT)


def _terminate_group(running: StackProcess) -> None:
    os.killpg(running.process.pid, signal.SIGTERM)


def test_a_second_ctrl_c_during_the_stop_does_not_interrupt_it(tmp_path: Path) -> None:
    running, code = _stop_with(tmp_path, _interrupt, times=2)
    assert code == 130
    assert "still stopping" in running.output  # the second signal came while services were stopping
    assert "Traceback" not in running.output


def test_sigterm_twice_to_the_process_group_stops_everything(tmp_path: Path) -> None:
    running, code = _stop_with(tmp_path, _terminate_group, times=2)
    assert code == 130
    assert "still stopping" in running.output
    assert "Traceback" not in running.output


def test_a_third_signal_kills_every_service_at_once(tmp_path: Path) -> None:
    running, code = _stop_with(tmp_path, _interrupt, times=3)
    assert code == 130
    assert "killing every service now" in running.output
