"""A small stack of the fault tests' own, whose services a test stops, restarts or pauses.

Stopping an emulator of the session's stack would break every test that runs after it, and under
`make test` that stack belongs to another process. So the fault tests start, once for the folder, the
services a live interview and its evaluation need (Firestore, Storage, Cloud Tasks, LiveKit, the
Gemini emulator, api, evaluate, the agent worker) on ports of their own (the session's offset + 350,
or FAULT_STACK_PORT_OFFSET) with a state folder of their own (.stack/faults: logs, the Gemini CA),
and point this process's clients at it while they run; afterwards the session's environment and
clients are restored.

The fault stack's settings make retries fit a test: the queue retries after 1-2 s, the agent's
webhook and turn writes retry for well over the longest outage a test causes, and the agent's Gemini
reconnects wait at most 2 s between attempts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from devstack.services import STATE, Ports
from devstack.stack import Stack
from interview_core import local_ports

SERVICES = ("firestore", "storage", "tasks", "livekit", "gemini", "api", "evaluate", "agent")
OFFSET_FROM_SESSION = 350
"""No port of the fault stack meets one of the session's (no two defaults are 350 apart)."""

SETTINGS = {
    "TASKS_MIN_BACKOFF_SECONDS": "1",
    "TASKS_MAX_BACKOFF_SECONDS": "2",
    "WEBHOOK_ATTEMPTS": "30",
    "WEBHOOK_INITIAL_BACKOFF_SECONDS": "0.5",
    "WEBHOOK_MAX_BACKOFF_SECONDS": "2",
    "TURN_WRITE_ATTEMPTS": "30",
    "TURN_WRITE_INITIAL_BACKOFF_SECONDS": "0.2",
    "TURN_WRITE_MAX_BACKOFF_SECONDS": "1",
    "GEMINI_RECONNECT_ATTEMPTS": "12",
    "GEMINI_RECONNECT_INITIAL_BACKOFF_SECONDS": "0.5",
    "GEMINI_RECONNECT_MAX_BACKOFF_SECONDS": "2",
    "REJOIN_GRACE_SECONDS": "20",
    "AGENT_DRAIN_TIMEOUT_SECONDS": "2",
}


def fault_offset() -> int:
    explicit = os.environ.get("FAULT_STACK_PORT_OFFSET", "").strip()
    if explicit:
        return int(explicit)
    session = int(os.environ.get(local_ports.OFFSET_VARIABLE, "").strip() or 0)
    return session + OFFSET_FROM_SESSION


def reset_cached_clients() -> None:
    """Clients and settings are made once per process: made again, they read the current environment."""
    from agent_worker.config import get_agent_settings
    from tests.conftest import _reset_cached_clients

    _reset_cached_clients()
    get_agent_settings.cache_clear()


@dataclass
class FaultStack:
    stack: Stack
    env: dict[str, str]

    def store(self) -> Any:
        from interview_core.adapters.firestore_store import InterviewStore

        return InterviewStore()


@pytest.fixture(scope="package")
def fault_stack() -> Iterator[FaultStack]:
    """The fault tests' own stack, running for the whole folder; this process talks to it meanwhile."""
    ports = Ports.moved_by(fault_offset())
    stack = Stack(SERVICES, ports, state=STATE / "faults", settings=SETTINGS)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**stack.env, local_ports.OFFSET_VARIABLE: str(fault_offset())}.items():
            patch.setenv(key, value)
        # No traces into the session's viewer: this stack has none.
        for key in ("AI_STACK_RUNNING", "TRACES_EXPORTER", "OTLP_TRACES_ENDPOINT", "TRACE_VIEWER_URL"):
            patch.delenv(key, raising=False)
        reset_cached_clients()
        stack.start()
        try:
            _until_the_worker_registered(stack)
            yield FaultStack(stack, dict(os.environ))
        finally:
            stack.stop()
    reset_cached_clients()


def _until_the_worker_registered(stack: Stack, timeout: float = 120) -> None:
    """The agent's health answers before the worker has registered with LiveKit, and LiveKit drops a
    dispatch that finds no worker: the first interview waits for the registration."""
    log = stack.log_of(stack.service("agent"))
    deadline = time.monotonic() + timeout
    while "registered worker" not in log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise AssertionError(f"the agent worker did not register within {timeout:.0f}s")
        time.sleep(0.25)


@pytest.fixture
def restored(fault_stack: FaultStack) -> Iterator[FaultStack]:
    """After the test every service runs again, unpaused, whatever the test did, and the Gemini
    emulator has no fault plan left."""
    yield fault_stack
    for service in fault_stack.stack.services:
        fault_stack.stack.resume_service(service.name)
        if service.process is None or service.process.poll() is not None:
            service.process = None
            fault_stack.stack.start_service(service.name)
    requests.delete(f"{fault_stack.env['GEMINI_EMULATOR_URL']}/emulator/faults", timeout=5)
