"""`python -m devstack` as a real subprocess on ports moved by 600, watched line by line.

Each test gets its own state directory (logs, certificates), so nothing touches the repository's .stack.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import psutil

from interview_core import local_ports

REPO = Path(__file__).resolve().parents[2]
OFFSET = "600"


def stack_environ(state: Path, **extra: str) -> dict[str, str]:
    """This process's environment without anything that would move a port or skip the stack."""
    env = {k: v for k, v in os.environ.items() if k not in _PORT_VARIABLES and k != "AI_STACK_RUNNING"}
    return {**env, "AI_STACK_PORT_OFFSET": OFFSET, "AI_STACK_STATE_DIR": str(state), **extra}


_PORT_VARIABLES = {entry.variable for entry in local_ports.PORTS.values()}


def _fresh_signals() -> None:
    """A background job of a non-interactive shell starts with SIGINT ignored: give it back."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class StackProcess:
    """`python -m devstack ARGS` in its own session, its stderr read by a thread into a queue."""

    def __init__(self, args: list[str], env: Mapping[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devstack", *args],
            cwd=REPO,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=_fresh_signals,  # runs before exec, in a child that has no threads yet
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for_line(self, fragment: str, timeout: float) -> str:
        """The first stderr line containing `fragment`; fails with everything read so far."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if fragment in line:
                return line
        raise AssertionError(f"no line with {fragment!r} within {timeout}s:\n{self.output}")

    def wait(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        with contextlib.suppress(AssertionError):
            self.wait_for_line("\0", timeout=1)  # drain what is left into self.lines
        return code

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)

    def child_running(self, fragment: str) -> psutil.Process:
        """The descendant whose command line contains `fragment` (a service's process)."""
        for child in self.descendants():
            with contextlib.suppress(psutil.Error):
                if any(fragment in part for part in child.cmdline()):
                    return child
        raise AssertionError(f"no process of the stack runs {fragment!r}")

    def kill(self) -> None:
        """Last resort for a failed test: SIGKILL the stack and every process it started."""
        with contextlib.suppress(psutil.Error):
            for child in self.descendants():
                with contextlib.suppress(psutil.Error):
                    os.killpg(child.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextlib.contextmanager
def devstack(args: list[str], env: Mapping[str, str]) -> Iterator[StackProcess]:
    running = StackProcess(args, env)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.kill()


def port_of(service: str) -> int:
    return local_ports.port(service, {"AI_STACK_PORT_OFFSET": OFFSET})


def port_is_free(number: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((local_ports.HOST, number))
        except OSError:
            return False
    return True


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those still running (psutil checks the start time, so a reused pid does not count)."""
    running = []
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                running.append(process)
    return running
