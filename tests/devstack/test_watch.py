"""A service that dies after the start is reported: `up` stops at once, `run` after its command."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from tests.devstack.support import devstack, port_is_free, port_of, stack_environ

pytestmark = pytest.mark.slow


def test_up_reports_a_dead_service_and_stops_the_rest(tmp_path: Path) -> None:
    with devstack(["up", "--only", "storage,gemini"], stack_environ(tmp_path)) as running:
        running.wait_for_line("Ctrl-C stops everything", timeout=60)
        running.child_running("gcp-storage-emulator").send_signal(signal.SIGKILL)
        report = running.wait_for_line("storage was killed by SIGKILL", timeout=10)
        assert running.wait(timeout=20) == 1
    assert str(tmp_path / "logs" / "storage.log") in report
    # the tail of the dead service's log follows the report
    assert str(port_of("storage")) in running.output.split(report, 1)[1]
    assert port_is_free(port_of("gemini")), "the other service was not stopped"


WAIT_THEN_MARK = """
import socket, sys, time
from pathlib import Path
while True:  # until the storage emulator's port is closed
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5).close()
    except OSError:
        break
    time.sleep(0.1)
time.sleep(1)
Path(sys.argv[2]).write_text("finished")
"""


def test_run_lets_the_command_finish_then_reports_the_dead_service(tmp_path: Path) -> None:
    marker = tmp_path / "finished"
    storage = port_of("storage")
    command = [sys.executable, "-c", WAIT_THEN_MARK, str(storage), str(marker)]
    with devstack(["run", "--only", "storage", "--", *command], stack_environ(tmp_path)) as running:
        running.wait_for_line("ready in", timeout=60)
        running.child_running("gcp-storage-emulator").send_signal(signal.SIGKILL)
        running.wait_for_line("storage stopped while the command runs", timeout=10)
        code = running.wait(timeout=30)
    assert marker.read_text() == "finished"  # the command ran to its end
    assert code == 1  # it passed, but a service died under it
    assert "storage was killed by SIGKILL" in running.output
    assert port_is_free(storage)
