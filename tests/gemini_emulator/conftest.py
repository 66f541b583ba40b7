"""Fixtures for the local Gemini emulator's end-to-end tests (helpers live in support.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.gemini_emulator.support import EmulatorProcess, launch, stop


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """One emulator subprocess shared by the end-to-end tests (each resets faults it sets)."""
    running = launch(tmp_path_factory.mktemp("gemini-state"))
    try:
        yield running
    finally:
        stop(running)


@pytest.fixture
def clean_emulator(emulator: EmulatorProcess) -> Iterator[EmulatorProcess]:
    """The shared emulator with no faults planned and zeroed statistics, before and after the test."""
    emulator.admin("DELETE", "/emulator/faults")
    emulator.admin("DELETE", "/emulator/stats")
    yield emulator
    emulator.admin("DELETE", "/emulator/faults")
