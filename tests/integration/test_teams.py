"""The team routes against the real emulators: who am I, choosing the workspace, invitations, domain
join, roles, settings, usage and the audit log."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
import requests

from tests.conftest import AuthEmulator, Recruiter
from tests.integration.teams_support import seed_interview, seed_report

Create = Callable[..., dict[str, Any]]


@pytest.fixture
def workspaces(stack: dict[str, str]) -> Any:
    from interview_core.adapters.workspace_store import WorkspaceStore

    return WorkspaceStore()


@pytest.fixture
def owner(auth_emulator: AuthEmulator) -> Recruiter:
    return auth_emulator.member("owner")


def _invite(api_url: str, admin: Recruiter, email: str, role: str = "recruiter") -> dict[str, Any]:
    response = requests.post(
        f"{api_url}/api/workspace/invitations",
        json={"email": email, "role": role},
        headers=admin.headers,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _accept_body(created: dict[str, Any]) -> dict[str, str]:
    url = urlparse(created["accept_url"])
    _, join, workspace_id, invitation_id = url.path.split("/")
    assert join == "join"
    return {"workspace_id": workspace_id, "invitation_id": invitation_id, "secret": url.fragment}


def _actions(workspaces: Any, workspace_id: str) -> list[str]:
    entries, _ = workspaces.audit(workspace_id, page_size=100, page_token=None)
    return [e["action"] for e in entries]


def test_a_password_account_is_let_in_once_it_follows_the_verification_link(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter
) -> None:
    newcomer = auth_emulator.sign_up()
    created = _invite(api_url, owner, newcomer.email)
    accept = f"{api_url}/api/invitations/accept"
    refused = requests.post(accept, json=_accept_body(created), headers=newcomer.headers, timeout=10)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "email_not_verified"

    verified = auth_emulator.verify_by_link(newcomer)
    assert requests.get(f"{api_url}/api/me", headers=verified.headers, timeout=10).json()["email_verified"]
    joined = requests.post(accept, json=_accept_body(created), headers=verified.headers, timeout=10)
    assert joined.status_code == 200, joined.text
    assert joined.json() == {
        "workspace": {"id": owner.workspace_id, "name": "Test team", "role": "recruiter"}
    }
    listed = requests.get(f"{api_url}/api/interviews", headers=verified.headers, timeout=10)
    assert listed.status_code == 200  # the only workspace: no header needed


def test_an_invitation_from_link_to_membership(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter, workspaces: Any
) -> None:
    invitee = auth_emulator.verified()
    created = _invite(api_url, owner, invitee.email.upper(), "admin")
    assert created["email"] == invitee.email
    assert created["role"] == "admin"
    assert datetime.fromisoformat(created["expires_at"]) - datetime.now(UTC) > timedelta(days=6, hours=23)
    body = _accept_body(created)
    assert urlparse(created["accept_url"]).netloc  # <public_base_url>/join/<wid>/<iid>#<secret>
    stored = workspaces.invitation(owner.workspace_id, body["invitation_id"])
    assert stored.token_hash == hashlib.sha256(body["secret"].encode()).hexdigest()
    assert body["secret"] not in str(stored.model_dump())

    # Before signing in: what the join page shows. Nothing is used up.
    preview = requests.post(f"{api_url}/api/invitations/lookup", json=body, timeout=10)
    assert preview.status_code == 200, preview.text
    assert preview.json()["workspace"] == {"id": owner.workspace_id, "name": "Test team"}
    assert (preview.json()["email"], preview.json()["role"]) == (invitee.email, "admin")
    wrong = requests.post(f"{api_url}/api/invitations/lookup", json={**body, "secret": "x" * 43}, timeout=10)
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (404, "invitation_not_found")

    stranger = auth_emulator.verified()
    url = f"{api_url}/api/invitations/accept"
    refused = requests.post(url, json=body, headers=stranger.headers, timeout=10)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "invitation_for_another_account")
    accepted = requests.post(url, json=body, headers=invitee.headers, timeout=10)
    assert accepted.status_code == 200, accepted.text
    again = requests.post(url, json=body, headers=invitee.headers, timeout=10)  # a retried request
    assert again.json() == accepted.json()
    assert workspaces.workspace(owner.workspace_id).member_count == 2

    used = requests.post(f"{api_url}/api/invitations/lookup", json=body, timeout=10)
    assert (used.status_code, used.json()["error"]["code"]) == (410, "invitation_used")
    listed = requests.get(f"{api_url}/api/workspace/invitations", headers=owner.headers, timeout=10).json()
    assert [(i["email"], i["status"]) for i in listed["invitations"]] == [(invitee.email, "accepted")]
    members = requests.get(f"{api_url}/api/workspace/members", headers=owner.headers, timeout=10).json()
    assert {(m["email"], m["role"]) for m in members["members"]} == {
        (owner.email, "owner"),
        (invitee.email, "admin"),
    }
    assert _actions(workspaces, owner.workspace_id)[:2] == ["member.joined", "member.invited"]
    # The new admin invites in turn; inviting a member again is refused.
    _invite(api_url, invitee.in_workspace(owner.workspace_id), "third@example.com", "viewer")
    again_member = requests.post(
        f"{api_url}/api/workspace/invitations",
        json={"email": invitee.email, "role": "viewer"},
        headers=owner.headers,
        timeout=10,
    )
    assert (again_member.status_code, again_member.json()["error"]["code"]) == (409, "already_member")


def test_revoked_replaced_and_expired_invitations_are_gone(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter, workspaces: Any
) -> None:
    invitee = auth_emulator.verified()
    url = f"{api_url}/api/invitations/accept"
    first = _invite(api_url, owner, invitee.email)
    second = _invite(api_url, owner, invitee.email)  # a new link replaces the old one
    replaced = requests.post(url, json=_accept_body(first), headers=invitee.headers, timeout=10)
    assert (replaced.status_code, replaced.json()["error"]["code"]) == (410, "invitation_revoked")

    revoke = requests.delete(
        f"{api_url}/api/workspace/invitations/{second['id']}", headers=owner.headers, timeout=10
    )
    assert revoke.status_code == 200
    assert revoke.json()["status"] == "revoked"
    revoked = requests.post(url, json=_accept_body(second), headers=invitee.headers, timeout=10)
    assert (revoked.status_code, revoked.json()["error"]["code"]) == (410, "invitation_revoked")

    third = _invite(api_url, owner, invitee.email)
    workspaces.invitation_ref(owner.workspace_id, third["id"]).update(
        {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}
    )
    expired = requests.post(url, json=_accept_body(third), headers=invitee.headers, timeout=10)
    assert (expired.status_code, expired.json()["error"]["code"]) == (410, "invitation_expired")
    statuses = requests.get(f"{api_url}/api/workspace/invitations", headers=owner.headers, timeout=10).json()
    assert sorted(i["status"] for i in statuses["invitations"]) == ["expired", "revoked", "revoked"]
    assert workspaces.member(owner.workspace_id, invitee.uid) is None

    bad = requests.post(
        f"{api_url}/api/workspace/invitations",
        json={"email": "x@example.com", "role": "owner"},
        headers=owner.headers,
        timeout=10,
    )
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "role")
    unknown = requests.post(
        url,
        json={"workspace_id": owner.workspace_id, "invitation_id": "nope", "secret": "s" * 43},
        headers=invitee.headers,
        timeout=10,
    )
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "invitation_not_found")


def test_roles_change_only_as_the_table_allows_and_a_team_keeps_an_owner(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter, workspaces: Any
) -> None:
    wid = owner.workspace_id or ""
    admin = auth_emulator.add(wid, auth_emulator.verified(), "admin")
    viewer = auth_emulator.add(wid, auth_emulator.verified(), "viewer")

    def patch(actor: Recruiter, target: Recruiter, role: str) -> requests.Response:
        return requests.patch(
            f"{api_url}/api/workspace/members/{target.uid}",
            json={"role": role},
            headers=actor.headers,
            timeout=10,
        )

    def remove(actor: Recruiter, target: Recruiter) -> requests.Response:
        return requests.delete(
            f"{api_url}/api/workspace/members/{target.uid}", headers=actor.headers, timeout=10
        )

    assert patch(admin, viewer, "recruiter").json()["role"] == "recruiter"
    assert patch(admin, viewer, "owner").json()["error"]["code"] == "forbidden"  # only owners make owners
    assert patch(admin, owner, "admin").json()["error"]["code"] == "forbidden"
    assert remove(admin, owner).json()["error"]["code"] == "forbidden"
    last = patch(owner, owner, "admin")
    assert (last.status_code, last.json()["error"]["code"]) == (409, "last_owner")
    assert remove(owner, owner).json()["error"]["code"] == "last_owner"
    assert patch(owner, admin, "owner").json()["role"] == "owner"
    assert patch(owner, owner, "admin").status_code == 200  # two owners: one may step down
    assert patch(owner, viewer, "nobody").json()["error"]["field"] == "role"
    assert patch(owner, viewer, "viewer").status_code == 200  # the former owner is an admin now
    assert remove(viewer, viewer).status_code == 204  # anyone may leave
    assert requests.get(f"{api_url}/api/interviews", headers=viewer.headers, timeout=10).status_code == 403
    unknown = requests.delete(f"{api_url}/api/workspace/members/nobody", headers=admin.headers, timeout=10)
    assert unknown.status_code == 404
    assert workspaces.workspace(wid).member_count == 2
    actions = _actions(workspaces, wid)
    assert actions.count("member.role_changed") == 4
    assert actions[0] == "member.removed"


def test_two_owners_demoting_each_other_at_once_leave_one_owner(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter, workspaces: Any
) -> None:
    wid = owner.workspace_id or ""
    second = auth_emulator.add(wid, auth_emulator.verified(), "owner")

    def demote(pair: tuple[Recruiter, Recruiter]) -> int:
        actor, target = pair
        url = f"{api_url}/api/workspace/members/{target.uid}"
        return requests.patch(url, json={"role": "admin"}, headers=actor.headers, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(demote, [(owner, second), (second, owner)]))
    roles = [m.role.value for m in workspaces.members(wid)]
    assert roles.count("owner") == 1, (statuses, roles)
    assert statuses in ([200, 403], [200, 409]), statuses


def test_the_workspace_header_chooses_among_several(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter
) -> None:
    other = auth_emulator.new_workspace("Second team")
    both = auth_emulator.add(other, owner, "viewer").in_workspace(None)
    me = requests.get(f"{api_url}/api/me", headers=both.headers, timeout=10).json()
    assert sorted((w["name"], w["role"]) for w in me["workspaces"]) == [
        ("Second team", "viewer"),
        ("Test team", "owner"),
    ]
    required = requests.get(f"{api_url}/api/interviews", headers=both.headers, timeout=10)
    assert (required.status_code, required.json()["error"]["code"]) == (400, "workspace_required")
    chosen = requests.get(f"{api_url}/api/workspace", headers=both.in_workspace(other).headers, timeout=10)
    assert (chosen.json()["id"], chosen.json()["role"]) == (other, "viewer")
    assert "settings" not in chosen.json()  # settings only for admins
    mine = requests.get(
        f"{api_url}/api/workspace", headers=both.in_workspace(owner.workspace_id).headers, timeout=10
    )
    assert mine.json()["settings"]["quotas"]["interviews_per_day"] == 50
    for foreign in (auth_emulator.new_workspace("Not mine"), "no-such-team", "bad/../id", "x" * 65):
        response = requests.get(
            f"{api_url}/api/workspace", headers=both.in_workspace(foreign).headers, timeout=10
        )
        assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found"), foreign


def test_the_list_is_the_teams_and_mine_is_the_callers(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter, store: Any
) -> None:
    wid = owner.workspace_id or ""
    colleague = auth_emulator.add(wid, auth_emulator.verified(), "recruiter")
    viewer = auth_emulator.add(wid, auth_emulator.verified(), "viewer")
    mine = [seed_interview(store, wid, owner.uid)[0] for _ in range(3)]
    theirs = seed_interview(store, wid, colleague.uid)[0]
    seed_interview(store, auth_emulator.new_workspace("Elsewhere"), owner.uid)

    def ids(who: Recruiter, query: str) -> list[str]:
        body = requests.get(f"{api_url}/api/interviews?{query}", headers=who.headers, timeout=10).json()
        return [i["id"] for i in body["interviews"]]

    assert ids(viewer, "page_size=10") == [theirs, *mine[::-1]]
    assert ids(owner, "mine=true") == mine[::-1]
    assert ids(colleague, "mine=true") == [theirs]
    assert ids(viewer, "mine=true") == []
    first = requests.get(
        f"{api_url}/api/interviews?mine=true&page_size=2", headers=owner.headers, timeout=10
    ).json()
    assert [i["owner_uid"] for i in first["interviews"]] == [owner.uid, owner.uid]
    rest = ids(owner, f"mine=true&page_size=2&page_token={first['next_page_token']}")
    assert rest == [mine[0]]
    # The cursor of one list does not open another's.
    foreign = requests.get(
        f"{api_url}/api/interviews?mine=true&page_token={first['next_page_token']}",
        headers=colleague.headers,
        timeout=10,
    )
    assert foreign.status_code == 400
    assert (
        requests.get(f"{api_url}/api/interviews?mine=maybe", headers=owner.headers, timeout=10).status_code
        == 400
    )


def test_domain_join_follows_the_settings(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter, workspaces: Any
) -> None:
    wid = owner.workspace_id or ""
    settings = f"{api_url}/api/workspace/settings"
    join = f"{api_url}/api/workspaces/{wid}/join"
    colleague = auth_emulator.verified(f"pat-{wid[:6].lower()}@acme-{wid[:6].lower()}.com")
    closed = requests.post(join, headers=colleague.headers, timeout=10)
    assert (closed.status_code, closed.json()["error"]["code"]) == (403, "domain_join_not_allowed")

    bad = requests.patch(
        settings, json={"allowed_domains": ["not a domain"]}, headers=owner.headers, timeout=10
    )
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "allowed_domains.0")
    too_big = requests.patch(
        settings, json={"quotas": {"live_interviews": -1}}, headers=owner.headers, timeout=10
    )
    assert too_big.status_code == 422
    domain = colleague.email.split("@")[1].upper()
    changed = requests.patch(
        settings,
        json={"allowed_domains": [domain], "allow_domain_join": True},
        headers=owner.headers,
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["allowed_domains"] == [domain.lower()]
    assert changed.json()["quotas"]["interviews_per_day"] == 50  # untouched parts stay

    joined = requests.post(join, headers=colleague.headers, timeout=10)
    assert joined.json() == {"workspace": {"id": wid, "name": "Test team", "role": "viewer"}}
    assert requests.post(join, headers=colleague.headers, timeout=10).json() == joined.json()
    outsider = auth_emulator.verified()  # @example.com
    assert requests.post(join, headers=outsider.headers, timeout=10).status_code == 403
    unverified = auth_emulator.sign_up(f"sam-{wid[:6].lower()}@{domain.lower()}")
    assert (
        requests.post(join, headers=unverified.headers, timeout=10).json()["error"]["code"]
        == "email_not_verified"
    )
    assert (
        requests.post(
            f"{api_url}/api/workspaces/nope/join", headers=colleague.headers, timeout=10
        ).status_code
        == 404
    )
    entries = workspaces.audit(wid, page_size=10, page_token=None)[0]
    assert [e["action"] for e in entries[:2]] == ["member.joined", "settings.changed"]
    assert entries[0]["detail"] == {"via": "domain", "role": "viewer"}
    assert entries[1]["detail"] == {"allowed_domains": domain.lower(), "allow_domain_join": True}


def test_usage_counts_what_the_team_did_today(
    api_url: str, owner: Recruiter, create_interview: Create
) -> None:
    create_interview(owner)
    create_interview(owner)
    usage = requests.get(f"{api_url}/api/workspace/usage", headers=owner.headers, timeout=10).json()
    assert usage["limits"] == {
        "interviews_per_day": 50,
        "live_interviews": 5,
        "evaluations_per_day": 100,
        "model_minutes_per_month": 3000,
    }
    assert usage["used"] == {
        "interviews_today": 2,
        "evaluations_today": 0,
        "live_interviews": 0,
        "model_minutes_this_month": 0,
    }
    reset = datetime.fromisoformat(usage["resets"]["day"])
    assert timedelta(0) < reset - datetime.now(UTC) <= timedelta(days=1)
    assert datetime.fromisoformat(usage["resets"]["month"]).day == 1


def test_the_audit_log_records_deletions_report_views_and_settings_and_pages(
    api_url: str, auth_emulator: AuthEmulator, owner: Recruiter, store: Any, workspaces: Any
) -> None:
    wid = owner.workspace_id or ""
    viewer = auth_emulator.add(wid, auth_emulator.verified(), "viewer")
    interview, _ = seed_interview(store, wid, owner.uid)
    seed_report(store, interview, wid, owner.uid)
    for _ in range(3):  # one entry per viewer, report and hour, however often it is opened
        assert (
            requests.get(f"{api_url}/api/reports/{interview}", headers=viewer.headers, timeout=10).status_code
            == 200
        )
    assert (
        requests.delete(
            f"{api_url}/api/interviews/{interview}", headers=owner.headers, timeout=10
        ).status_code
        == 204
    )
    requests.patch(
        f"{api_url}/api/workspace/settings",
        json={"quotas": {"evaluations_per_day": 9}},
        headers=owner.headers,
        timeout=10,
    )
    page = requests.get(
        f"{api_url}/api/workspace/audit?page_size=2", headers=owner.headers, timeout=10
    ).json()
    assert [e["action"] for e in page["entries"]] == ["settings.changed", "interview.deleted"]
    assert page["entries"][0]["detail"] == {"quotas.evaluations_per_day": 9}
    deleted = page["entries"][1]
    assert (deleted["actor_uid"], deleted["target"]) == (owner.uid, interview)
    assert deleted["detail"] == {"status": "invited", "created_by": owner.uid}
    rest = requests.get(
        f"{api_url}/api/workspace/audit?page_size=50&page_token={page['next_page_token']}",
        headers=owner.headers,
        timeout=10,
    ).json()
    actions = [e["action"] for e in rest["entries"]]
    assert actions.count("report.viewed") == 1
    assert actions[-1] == "workspace.created"
    assert rest["next_page_token"] is None
    viewed = next(e for e in rest["entries"] if e["action"] == "report.viewed")
    assert (viewed["actor_uid"], viewed["target"]) == (viewer.uid, interview)
    # The API offers no way to change or remove an entry.
    entry = f"{api_url}/api/workspace/audit/{deleted['id']}"
    for method in ("PUT", "PATCH", "DELETE"):
        assert requests.request(method, entry, headers=owner.headers, timeout=10).status_code in (404, 405)
    assert (
        requests.get(
            f"{api_url}/api/workspace/audit?page_size=0", headers=owner.headers, timeout=10
        ).status_code
        == 400
    )
