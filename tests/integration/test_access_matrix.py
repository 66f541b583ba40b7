"""Every role (owner, admin, recruiter, viewer) and a non-member against every recruiter route.

The non-member is a verified account of another team that names this team in X-Workspace-Id: it
gets 404 for everything of this team, as if the team did not exist. A role too low for a route gets
403 `forbidden`, and the refusal changes nothing (checked after each refused write). The security
rules hold the same table for the web app's direct reads (tests/rules/firestore.rules.test.mjs).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.conftest import AuthEmulator, Recruiter
from tests.integration.conftest import interview_body
from tests.integration.teams_support import seed_interview, seed_report

WHO = ("owner", "admin", "recruiter", "viewer", "non-member")


@dataclass(frozen=True)
class Team:
    id: str
    people: dict[str, Recruiter]


@pytest.fixture(scope="module")
def team(auth_emulator: AuthEmulator) -> Team:
    owner = auth_emulator.member("owner")
    people = {"owner": owner}
    for role in ("admin", "recruiter", "viewer"):
        people[role] = auth_emulator.add(owner.workspace_id or "", auth_emulator.verified(), role)
    outsider = auth_emulator.member("owner")  # owns a team of its own
    people["non-member"] = outsider.in_workspace(owner.workspace_id)
    return Team(owner.workspace_id or "", people)


@dataclass(frozen=True)
class Case:
    """One route: how to call it for a fresh target, what each caller gets, and (optionally) a check
    that a refused call changed nothing."""

    method: str
    path: str
    expect: dict[str, int]
    body: Callable[[Context], Any] | None = None
    unchanged: Callable[[Context], bool] | None = None


@dataclass
class Context:
    """The caller and the targets of one call, each made on first use (so a call makes only what it
    names: `{interview}` in a path, `c["member"]` in a check)."""

    team: Team
    caller: Recruiter
    store: Any
    workspaces: Any
    auth: AuthEmulator
    made: dict[str, Any] = field(default_factory=dict)

    @property
    def webhooks(self) -> Any:
        from interview_core.adapters.webhook_store import WebhookStore

        return WebhookStore()

    def __getitem__(self, name: str) -> Any:
        if name not in self.made:
            self.made[name] = BUILDERS[name](self)
        return self.made[name]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(WHO, status)


def members(status: int) -> dict[str, int]:
    return {"owner": status, "admin": status, "recruiter": status, "viewer": status, "non-member": 404}


def recruiters(status: int) -> dict[str, int]:
    return {**members(status), "viewer": 403}


def admins(status: int) -> dict[str, int]:
    return {**recruiters(status), "recruiter": 403}


CASES: dict[str, Case] = {
    "me": Case("GET", "/api/me", everyone(200)),
    "list interviews": Case("GET", "/api/interviews", members(200)),
    "list my interviews": Case("GET", "/api/interviews?mine=true", members(200)),
    "create an interview": Case("POST", "/api/interviews", recruiters(201), body=lambda c: interview_body()),
    "read an interview": Case("GET", "/api/interviews/{interview}", members(200)),
    "cancel an interview": Case(
        "POST",
        "/api/interviews/{interview}/cancel",
        recruiters(200),
        unchanged=lambda c: c.store.get(c["interview"]).status == "invited",
    ),
    "re-evaluate an interview": Case(
        "POST",
        "/api/interviews/{evaluated}/reevaluate",
        recruiters(202),
        unchanged=lambda c: c.store.get(c["evaluated"]).status == "evaluated",
    ),
    "delete an interview": Case(
        "DELETE",
        "/api/interviews/{interview}",
        recruiters(204),
        unchanged=lambda c: c.store.get(c["interview"]) is not None,
    ),
    "read a report": Case("GET", "/api/reports/{evaluated}", members(200)),
    "read the workspace": Case("GET", "/api/workspace", members(200)),
    "change the settings": Case(
        "PATCH",
        "/api/workspace/settings",
        admins(200),
        body=lambda c: {"quotas": {"interviews_per_day": c["quota"]}},
        unchanged=lambda c: (
            c.workspaces.workspace(c.team.id).settings.quotas.interviews_per_day != c["quota"]
        ),
    ),
    "read the usage": Case("GET", "/api/workspace/usage", admins(200)),
    "list the members": Case("GET", "/api/workspace/members", admins(200)),
    "change a member's role": Case(
        "PATCH",
        "/api/workspace/members/{member}",
        admins(200),
        body=lambda c: {"role": "viewer"},
        unchanged=lambda c: c.workspaces.member(c.team.id, c["member"]).role == "recruiter",
    ),
    "remove a member": Case(
        "DELETE",
        "/api/workspace/members/{member}",
        admins(204),
        unchanged=lambda c: c.workspaces.member(c.team.id, c["member"]) is not None,
    ),
    "list the invitations": Case("GET", "/api/workspace/invitations", admins(200)),
    "invite someone": Case(
        "POST",
        "/api/workspace/invitations",
        admins(201),
        body=lambda c: {"email": c["invitee"], "role": "recruiter"},
        unchanged=lambda c: all(i.email != c["invitee"] for i in c.workspaces.invitations(c.team.id)),
    ),
    "revoke an invitation": Case(
        "DELETE",
        "/api/workspace/invitations/{invitation}",
        admins(200),
        unchanged=lambda c: c.workspaces.invitation(c.team.id, c["invitation"]).status == "pending",
    ),
    "read the audit log": Case("GET", "/api/workspace/audit", admins(200)),
    "list the webhooks": Case("GET", "/api/workspace/webhooks", admins(200)),
    "add a webhook": Case(
        "POST",
        "/api/workspace/webhooks",
        admins(201),
        body=lambda c: {"url": "http://127.0.0.1:9/hooks", "events": ["interview.started"]},
    ),
    "rotate a webhook's secret": Case(
        "POST",
        "/api/workspace/webhooks/{webhook}/rotate-secret",
        admins(200),
        body=lambda c: {},
        unchanged=lambda c: len(c.webhooks.endpoint(c.team.id, c["webhook"]).secrets) == 1,
    ),
    "read a webhook's deliveries": Case("GET", "/api/workspace/webhooks/{webhook}/deliveries", admins(200)),
    "delete a webhook": Case(
        "DELETE",
        "/api/workspace/webhooks/{webhook}",
        admins(204),
        unchanged=lambda c: any(e.id == c["webhook"] for e in c.webhooks.endpoints(c.team.id)),
    ),
    # Joining needs no role in the team joined: a verified account accepts its own invitation to
    # another team, or joins a team that lets its email domain in.
    "accept an invitation": Case(
        "POST", "/api/invitations/accept", everyone(200), body=lambda c: c["accept"]
    ),
    "join by email domain": Case("POST", "/api/workspaces/{open_team}/join", everyone(200)),
    # The join page's preview needs only the link (the secret is the proof): no role at all.
    "preview an invitation": Case(
        "POST", "/api/invitations/lookup", everyone(200), body=lambda c: c["preview"]
    ),
}


def _interview(c: Context) -> str:
    return seed_interview(c.store, c.team.id, c.team.people["owner"].uid)[0]


def _evaluated(c: Context) -> str:
    from interview_core.domain.models import InterviewStatus

    owner = c.team.people["owner"].uid
    interview_id, _ = seed_interview(c.store, c.team.id, owner, InterviewStatus.EVALUATED)
    seed_report(c.store, interview_id, c.team.id, owner)
    return interview_id


def _member(c: Context) -> str:
    return c.auth.add(c.team.id, c.auth.verified(), "recruiter").uid


def _invitation(c: Context) -> str:
    return _invite(c, c.team.id, c.team.people["owner"].uid, f"old-{uuid.uuid4().hex[:8]}@example.com")[0]


def _accept(c: Context) -> dict[str, str]:
    """An invitation of another team's admin, sent to the caller's address."""
    other = c.auth.new_workspace("Another team")
    admin = c.auth.add(other, c.auth.verified(), "admin")
    invitation_id, secret = _invite(c, other, admin.uid, c.caller.email)
    return {"workspace_id": other, "invitation_id": invitation_id, "secret": secret}


def _preview(c: Context) -> dict[str, str]:
    invitation_id, secret = _invite(
        c, c.team.id, c.team.people["owner"].uid, f"new-{uuid.uuid4().hex[:8]}@example.com"
    )
    return {"workspace_id": c.team.id, "invitation_id": invitation_id, "secret": secret}


def _open_team(c: Context) -> str:
    """A team that lets every verified @example.com account join."""
    from interview_core.domain.workspaces import SettingsPatch

    owner = c.auth.verified()
    team = c.auth.new_workspace("Open team", owner=owner)
    patch = SettingsPatch(allowed_domains=["example.com"], allow_domain_join=True)
    c.workspaces.update_settings(team, actor_uid=owner.uid, patch=patch, now=datetime.now(UTC))
    return team


def _invite(c: Context, workspace_id: str, admin_uid: str, email: str) -> tuple[str, str]:
    from interview_core.domain import invites
    from interview_core.domain.workspaces import Role

    secret = invites.new_secret()
    invitation = c.workspaces.create_invitation(
        workspace_id, actor_uid=admin_uid, email=email, role=Role.VIEWER, secret=secret, now=datetime.now(UTC)
    )
    return invitation.id, secret


def _webhook(c: Context) -> str:
    """An endpoint of the team (no event will reach it: nothing happens to its interviews here)."""
    from interview_core.domain.webhooks import EventType, new_secret

    endpoint = c.webhooks.create_endpoint(
        c.team.id,
        url="http://127.0.0.1:9/hooks",
        events=[EventType.INTERVIEW_STARTED],
        description="",
        secret=new_secret(),
        actor_uid=c.team.people["owner"].uid,
        now=datetime.now(UTC),
    )
    return str(endpoint.id)


BUILDERS: dict[str, Callable[[Context], Any]] = {
    "webhook": _webhook,
    "interview": _interview,
    "evaluated": _evaluated,
    "member": _member,
    "invitation": _invitation,
    "invitee": lambda c: f"invitee-{uuid.uuid4().hex[:8]}@example.com",
    "quota": lambda c: 1000 + uuid.uuid4().int % 100_000,
    "accept": _accept,
    "preview": _preview,
    "open_team": _open_team,
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("route", list(CASES))
def test_each_role_and_a_non_member_on_each_route(
    api_url: str, team: Team, who: str, route: str, store: Any, auth_emulator: AuthEmulator
) -> None:
    from interview_core.adapters.workspace_store import WorkspaceStore

    case = CASES[route]
    context = Context(team, team.people[who], store, WorkspaceStore(), auth_emulator)
    path = case.path.format_map(context)
    response = requests.request(
        case.method,
        f"{api_url}{path}",
        json=case.body(context) if case.body else None,
        headers=context.caller.headers,
        timeout=30,
    )
    expected = case.expect[who]
    assert response.status_code == expected, (route, who, response.text)
    if expected == 403:
        assert response.json()["error"]["code"] == "forbidden"
    if expected == 404:
        assert response.json()["error"]["code"] == "not_found"
    if expected >= 400 and case.unchanged is not None:
        assert case.unchanged(context), f"{who}'s refused {route} changed something"
