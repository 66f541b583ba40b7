"""Shared fixtures. The local stack starts once per test session.

Under `make test` the stack is already running (devstack run sets AI_STACK_RUNNING=1) and the
fixtures only read its environment. Run pytest directly and the `stack` fixture starts the services
the session needs, on ports moved by AI_STACK_PORT_OFFSET (default 100 here) so that a `make dev`
stack can keep running beside the tests.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

os.environ.setdefault("AI_STACK_PORT_OFFSET", "100")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under an `integration` folder needs the stack and says so with the marker."""
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)


def _reset_cached_clients() -> None:
    from interview_core.adapters import clients, gemini
    from interview_core.settings import get_settings

    get_settings.cache_clear()
    for cached in (
        clients.firestore_client,
        clients.storage_client,
        clients.tasks_client,
        gemini.gemini_client,
    ):
        cached.cache_clear()


@pytest.fixture(scope="session")
def stack() -> Iterator[dict[str, str]]:
    """The running local stack's environment (started here unless `make test` already did)."""
    if os.environ.get("AI_STACK_RUNNING") == "1":
        _reset_cached_clients()
        yield dict(os.environ)
        return
    from devstack.stack import Stack

    running = Stack()
    os.environ.update(running.env)
    _reset_cached_clients()
    running.start()
    try:
        yield dict(os.environ)
    finally:
        running.stop()


@dataclass
class Recruiter:
    uid: str
    email: str
    id_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.id_token}"}


class AuthEmulator:
    """Signs recruiters up on the Firebase Auth emulator, the way the SPA does."""

    def __init__(self, host: str) -> None:
        self.base = f"http://{host}/identitytoolkit.googleapis.com/v1"

    def sign_up(self) -> Recruiter:
        email = f"recruiter-{uuid.uuid4().hex[:10]}@example.com"
        response = requests.post(
            f"{self.base}/accounts:signUp?key=any",
            json={"email": email, "password": "correct-horse-battery", "returnSecureToken": True},
            timeout=10,
        )
        response.raise_for_status()
        body = response.json()
        return Recruiter(uid=body["localId"], email=email, id_token=body["idToken"])


@pytest.fixture(scope="session")
def auth_emulator(stack: dict[str, str]) -> AuthEmulator:
    return AuthEmulator(stack["FIREBASE_AUTH_EMULATOR_HOST"])


@pytest.fixture
def recruiter(auth_emulator: AuthEmulator) -> Recruiter:
    return auth_emulator.sign_up()


@pytest.fixture
def other_recruiter(auth_emulator: AuthEmulator) -> Recruiter:
    return auth_emulator.sign_up()


@pytest.fixture(scope="session")
def api_url(stack: dict[str, str]) -> str:
    return stack["API_URL"]


@pytest.fixture(scope="session")
def gemini_admin(stack: dict[str, str]) -> str:
    """Base URL of the local Gemini emulator, whose /emulator/* endpoints inject faults."""
    return stack["GEMINI_EMULATOR_URL"]


@pytest.fixture
def gemini_faults(gemini_admin: str) -> Iterator[str]:
    """The emulator's base URL; whatever faults a test injects are cleared afterwards."""
    yield gemini_admin
    requests.delete(f"{gemini_admin}/emulator/faults", timeout=5)
