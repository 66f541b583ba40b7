"""The interview's trace is an operator's view: only admins and owners get its id from the API (the
web app shows them the link; hosting/src/report/ExperiencePanel.test.tsx)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import requests

from tests.conftest import AuthEmulator


def test_only_admins_and_owners_get_the_interviews_trace(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Callable[..., dict[str, Any]]
) -> None:
    owner = auth_emulator.member("owner")
    team = owner.workspace_id
    recruiter = auth_emulator.member("recruiter", team)
    members = {
        "owner": (owner, True),
        "admin": (auth_emulator.member("admin", team), True),
        "recruiter": (recruiter, False),
        "viewer": (auth_emulator.member("viewer", team), False),
    }
    created = create_interview(recruiter)
    for role, (member, sees) in members.items():
        answer = requests.get(f"{api_url}/api/interviews/{created['id']}", headers=member.headers, timeout=10)
        assert answer.status_code == 200, (role, answer.text)
        body = answer.json()
        assert body["id"] == created["id"]
        if sees:
            assert re.fullmatch(r"[0-9a-f]{32}", body["trace_id"]), role  # the stack's api traces
        else:
            assert "trace_id" not in body, role
            assert "traceparent" not in body, role
