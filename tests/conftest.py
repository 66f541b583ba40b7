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
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest
import requests

from devstack.accounts import DEFAULT_PASSWORD, Account, AuthEmulatorClient
from tests.problem import check_problem, is_function_error

os.environ.setdefault("AI_STACK_PORT_OFFSET", "100")
os.environ.setdefault("ENVIRONMENT", "local")  # unset means production, which refuses the emulators


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under an `integration` folder needs the stack and says so with the marker."""
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def observe_function_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every error answer of a function that a test receives is checked against the problem+json
    schema (tests/problem.py), whatever the test itself asserts."""
    send = requests.Session.send

    def checked_send(
        self: requests.Session, request: requests.PreparedRequest, **kwargs: object
    ) -> requests.Response:
        response = send(self, request, **kwargs)
        if not kwargs.get("stream") and is_function_error(response):
            check_problem(response)
        return response

    monkeypatch.setattr(requests.Session, "send", checked_send)


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


@dataclass(frozen=True)
class Recruiter:
    """A signed-in account, and the workspace its requests name (X-Workspace-Id) if any."""

    uid: str
    email: str
    id_token: str
    workspace_id: str | None = None
    password: str = DEFAULT_PASSWORD

    @property
    def headers(self) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.id_token}"}
        if self.workspace_id:
            headers["X-Workspace-Id"] = self.workspace_id
        return headers

    @property
    def account(self) -> Account:
        return Account(uid=self.uid, email=self.email, id_token=self.id_token, password=self.password)

    def in_workspace(self, workspace_id: str | None) -> Recruiter:
        return replace(self, workspace_id=workspace_id)


class AuthEmulator:
    """Accounts on the Firebase Auth emulator, the way the SPA makes them, and the hiring teams they
    belong to (made the way the operator's command makes them: directly in Firestore)."""

    def __init__(self, host: str, project: str) -> None:
        self.client = AuthEmulatorClient(host, project)

    def sign_up(self, email: str | None = None) -> Recruiter:
        """A fresh password account: unverified and in no workspace (it may only read /api/me)."""
        return _recruiter(self.client.sign_up(email))

    def verified(self, email: str | None = None) -> Recruiter:
        """A fresh account whose email is verified, still in no workspace."""
        return _recruiter(self.client.mark_verified(self.client.sign_up(email)))

    def verify_by_link(self, account: Recruiter) -> Recruiter:
        fresh = self.client.verify_by_link(account.account)
        return replace(account, id_token=fresh.id_token)

    def new_workspace(self, name: str = "Test team", owner: Recruiter | None = None) -> str:
        """A workspace whose owner is `owner`, or a placeholder uid with no account."""
        from interview_core.adapters.workspace_store import WorkspaceStore

        uid = owner.uid if owner else f"owner-{uuid.uuid4().hex[:12]}"
        email = owner.email if owner else f"{uid}@example.com"
        workspace = WorkspaceStore().create_workspace(
            name, owner_uid=uid, owner_email=email, actor_uid="operator", now=datetime.now(UTC)
        )
        return workspace.id

    def add(self, workspace_id: str, account: Recruiter, role: str) -> Recruiter:
        from interview_core.adapters.workspace_store import WorkspaceStore
        from interview_core.domain.workspaces import Role

        WorkspaceStore().put_member(
            workspace_id,
            uid=account.uid,
            email=account.email,
            role=Role(role),
            actor_uid="operator",
            now=datetime.now(UTC),
        )
        return account.in_workspace(workspace_id)

    def member(self, role: str = "recruiter", workspace_id: str | None = None) -> Recruiter:
        """A verified account with `role` in the workspace (a fresh one by default)."""
        if role == "owner" and workspace_id is None:
            owner = self.verified()
            return owner.in_workspace(self.new_workspace(owner=owner))
        return self.add(workspace_id or self.new_workspace(), self.verified(), role)


def _recruiter(account: Account) -> Recruiter:
    return Recruiter(account.uid, account.email, account.id_token, password=account.password)


@pytest.fixture(scope="session")
def auth_emulator(stack: dict[str, str]) -> AuthEmulator:
    return AuthEmulator(stack["FIREBASE_AUTH_EMULATOR_HOST"], stack["GOOGLE_CLOUD_PROJECT"])


@pytest.fixture
def recruiter(auth_emulator: AuthEmulator) -> Recruiter:
    """A verified recruiter in a fresh workspace of their own (what "signed up" meant before teams)."""
    return auth_emulator.member("recruiter")


@pytest.fixture
def other_recruiter(auth_emulator: AuthEmulator) -> Recruiter:
    """A verified recruiter of another team: everything of `recruiter`'s is a 404 to them."""
    return auth_emulator.member("recruiter")


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
