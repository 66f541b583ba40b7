"""Acceptance (issue 18): signing up is not enough.

An account that signed up with no invitation (verified, in no team), and a password account whose
email is not verified (even one a team lists as its member, with an invitation waiting), get 403 or
404 from every route but GET /api/me, and nothing is written: every collection the api writes is
the same, document for document, before and after.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.conftest import AuthEmulator, Recruiter
from tests.integration.conftest import interview_body
from tests.integration.pipeline_support import Queue
from tests.integration.teams_support import seed_interview, seed_report, snapshot


def _routes(
    team: str, interview: str, member: str, invitation: str, accept: dict[str, str]
) -> list[tuple[str, str, Any]]:
    return [
        ("GET", "/api/interviews", None),
        ("GET", "/api/interviews?mine=true", None),
        ("POST", "/api/interviews", interview_body()),
        ("GET", f"/api/interviews/{interview}", None),
        ("POST", f"/api/interviews/{interview}/cancel", None),
        ("POST", f"/api/interviews/{interview}/reevaluate", None),
        ("DELETE", f"/api/interviews/{interview}", None),
        ("GET", f"/api/reports/{interview}", None),
        ("GET", "/api/workspace", None),
        ("PATCH", "/api/workspace/settings", {"quotas": {"interviews_per_day": 1}}),
        ("GET", "/api/workspace/usage", None),
        ("GET", "/api/workspace/members", None),
        ("PATCH", f"/api/workspace/members/{member}", {"role": "owner"}),
        ("DELETE", f"/api/workspace/members/{member}", None),
        ("GET", "/api/workspace/invitations", None),
        ("POST", "/api/workspace/invitations", {"email": "friend@example.com", "role": "admin"}),
        ("DELETE", f"/api/workspace/invitations/{invitation}", None),
        ("GET", "/api/workspace/audit", None),
        ("POST", "/api/invitations/accept", accept),
        ("POST", f"/api/workspaces/{team}/join", None),
    ]


@pytest.fixture
def team(auth_emulator: AuthEmulator, store: Any) -> dict[str, Any]:
    """A real team with an evaluated interview, a report, a member and a pending invitation."""
    from interview_core.adapters.workspace_store import WorkspaceStore
    from interview_core.domain import invites
    from interview_core.domain.models import InterviewStatus
    from interview_core.domain.workspaces import Role, SettingsPatch

    owner = auth_emulator.member("owner")
    wid = owner.workspace_id or ""
    workspaces = WorkspaceStore()
    # The team takes people from its own domain only; the accounts below are @example.com.
    workspaces.update_settings(
        wid,
        actor_uid=owner.uid,
        patch=SettingsPatch(allowed_domains=["acme.com"], allow_domain_join=True),
        now=datetime.now(UTC),
    )
    interview, _ = seed_interview(store, wid, owner.uid, InterviewStatus.EVALUATED)
    seed_report(store, interview, wid, owner.uid)
    member = auth_emulator.add(wid, auth_emulator.verified(), "recruiter")
    secret = invites.new_secret()
    invitation = workspaces.create_invitation(
        wid,
        actor_uid=owner.uid,
        email="someone-else@example.com",
        role=Role.ADMIN,
        secret=secret,
        now=datetime.now(UTC),
    )
    return {
        "id": wid,
        "interview": interview,
        "member": member.uid,
        "invitation": invitation.id,
        "secret": secret,
        "owner": owner,
    }


def _all_refused(api_url: str, caller: Recruiter, team: dict[str, Any], accept: dict[str, str]) -> None:
    routes = _routes(team["id"], team["interview"], team["member"], team["invitation"], accept)
    for headers in (caller.headers, {**caller.headers, "X-Workspace-Id": team["id"]}):
        for method, path, body in routes:
            response = requests.request(method, f"{api_url}{path}", json=body, headers=headers, timeout=30)
            assert response.status_code in (403, 404), (method, path, response.status_code, response.text)
            assert response.json()["error"]["code"], (method, path)


def test_an_account_that_signed_up_without_an_invitation_gets_nothing_and_changes_nothing(
    api_url: str, auth_emulator: AuthEmulator, team: dict[str, Any], store: Any, queue: Queue
) -> None:
    uninvited = auth_emulator.verified()
    me = requests.get(f"{api_url}/api/me", headers=uninvited.headers, timeout=10)
    assert me.status_code == 200
    assert me.json() == {
        "uid": uninvited.uid,
        "email": uninvited.email,
        "email_verified": True,
        "workspaces": [],
    }

    queue.wait_idle()
    before = snapshot(store.db)
    accept = {"workspace_id": team["id"], "invitation_id": team["invitation"], "secret": team["secret"]}
    _all_refused(api_url, uninvited, team, accept)
    # The refusal says why: no team (403 no_workspace), someone else's invitation, a closed domain.
    listed = requests.get(f"{api_url}/api/interviews", headers=uninvited.headers, timeout=10)
    assert listed.json()["error"]["code"] == "no_workspace"
    accepted = requests.post(
        f"{api_url}/api/invitations/accept", json=accept, headers=uninvited.headers, timeout=10
    )
    assert accepted.json()["error"]["code"] == "invitation_for_another_account"
    joined = requests.post(
        f"{api_url}/api/workspaces/{team['id']}/join", headers=uninvited.headers, timeout=10
    )
    assert joined.json()["error"]["code"] == "domain_join_not_allowed"
    assert snapshot(store.db) == before


def test_an_unverified_password_account_gets_nothing_even_as_an_invited_member(
    api_url: str, auth_emulator: AuthEmulator, team: dict[str, Any], store: Any, queue: Queue
) -> None:
    from interview_core.adapters.workspace_store import WorkspaceStore
    from interview_core.domain import invites
    from interview_core.domain.workspaces import Role

    unverified = auth_emulator.sign_up()
    # Listed as an owner of the team, and invited as well: still nothing until the address is proven.
    auth_emulator.add(team["id"], unverified, "owner")
    secret = invites.new_secret()
    inviting = auth_emulator.new_workspace("Inviting team", owner=team["owner"])
    own = WorkspaceStore().create_invitation(
        inviting,
        actor_uid=team["owner"].uid,
        email=unverified.email,
        role=Role.RECRUITER,
        secret=secret,
        now=datetime.now(UTC),
    )
    me = requests.get(f"{api_url}/api/me", headers=unverified.headers, timeout=10)
    assert me.status_code == 200
    assert me.json()["email_verified"] is False

    queue.wait_idle()
    before = snapshot(store.db)
    accept = {"workspace_id": inviting, "invitation_id": own.id, "secret": secret}
    _all_refused(api_url, unverified, team, accept)
    for method, path, body in _routes(
        team["id"], team["interview"], team["member"], team["invitation"], accept
    ):
        response = requests.request(
            method, f"{api_url}{path}", json=body, headers=unverified.headers, timeout=30
        )
        assert response.json()["error"]["code"] == "email_not_verified", (method, path)
    assert snapshot(store.db) == before


@pytest.mark.parametrize("named", ["__main__", "__dict__", "a/b", "x" * 65])
def test_a_workspace_header_that_cannot_name_a_workspace_is_not_found(
    api_url: str, recruiter: Recruiter, named: str
) -> None:
    """Firestore refuses `__name__` ids with InvalidArgument: that must read as the caller's bad
    header (404), never as a backend failure (503) that a client would retry."""
    headers = {**recruiter.headers, "X-Workspace-Id": named}
    for path in ("/api/interviews", "/api/workspace/usage", "/api/workspace/webhooks", "/api/workspace"):
        response = requests.get(f"{api_url}{path}", headers=headers, timeout=30)
        assert response.status_code == 404, (path, response.status_code, response.text)
        assert response.json()["code"] == "not_found", path
