"""One service of a running stack stopped, started again and paused, the others untouched: what the
fault tests (tests/faults) do to an emulator. Run on the mail catcher and the Storage emulator, the
cheapest services, on ports moved by 700 with a state folder of the test's own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devstack.services import Ports, port_in_use
from devstack.stack import Stack, StackError

pytestmark = pytest.mark.slow


@pytest.fixture
def small_stack(tmp_path: Path) -> Iterator[Stack]:
    stack = Stack(["mail", "storage"], Ports.moved_by(700), state=tmp_path)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def _mail_answers(stack: Stack, timeout: float = 2.0) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{stack.ports.mail}/health", timeout=timeout).ok
    except requests.RequestException:
        return False


def test_ports_moved_by_an_offset_ignore_this_processes_port_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FIRESTORE_PORT", "1234")
    ports = Ports.moved_by(700)
    assert ports.firestore == 8780
    assert ports.mail == 8725


def test_a_service_stops_and_starts_again_while_the_others_run(small_stack: Stack) -> None:
    storage = small_stack.service("storage")
    small_stack.stop_service("mail")
    assert not _mail_answers(small_stack)
    assert not port_in_use(small_stack.ports.mail)
    assert storage.process is not None
    assert storage.process.poll() is None
    with pytest.raises(StackError, match="is running"):
        small_stack.start_service("storage")
    small_stack.start_service("mail")
    assert _mail_answers(small_stack)


def test_a_paused_service_keeps_its_port_and_answers_once_resumed(small_stack: Stack) -> None:
    small_stack.pause_service("mail")
    started = time.monotonic()
    assert not _mail_answers(small_stack, timeout=1.0)  # the connection is accepted, nothing answers
    assert time.monotonic() - started >= 0.9
    assert port_in_use(small_stack.ports.mail)
    small_stack.resume_service("mail")
    assert _mail_answers(small_stack, timeout=5.0)


def test_a_stack_stops_a_paused_service(tmp_path: Path) -> None:
    stack = Stack(["mail"], Ports.moved_by(700), state=tmp_path)
    stack.start()
    stack.pause_service("mail")
    started = time.monotonic()
    stack.stop()
    assert time.monotonic() - started < 5  # resumed and terminated, not waited on for the grace
    assert not port_in_use(stack.ports.mail)


def test_an_unknown_service_is_named(small_stack: Stack) -> None:
    with pytest.raises(StackError, match="firestore is not a service"):
        small_stack.stop_service("firestore")
