"""The team routes of the api function: who am I, the workspace, its settings and usage, members,
invitations, domain join and the audit log (docs/architecture.md, "Teams and access").

Every rule about who may do what is decided twice: here, through api/access.py before anything is
read, and again inside the store's transaction on fresh data (adapters/workspace_store.py), so a role
taken away a moment ago counts. Refusals are domain errors, mapped to statuses in api/errors.py.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from http_boundary import accepts_query, json_body, json_response, query_params, read_body
from interview_core.adapters.firestore_store import utcnow
from interview_core.adapters.workspace_store import Membership, Usage, default_workspace_store
from interview_core.domain import invites, quotas
from interview_core.domain.errors import InvitationNotFound, WorkspaceNotFound
from interview_core.domain.ids import is_document_id
from interview_core.domain.workspaces import (
    CreateInvitationRequest,
    Invitation,
    InvitationSecretRequest,
    Member,
    Role,
    RoleChangeRequest,
    SettingsPatch,
    accept_url,
    at_least,
    check_invitation,
)
from interview_core.settings import get_settings

from . import access

log = logging.getLogger("api")

teams = Blueprint("teams", __name__)
workspaces = default_workspace_store

MAX_SMALL_BYTES = 4 * 1024
MAX_SETTINGS_BYTES = 16 * 1024
MAX_AUDIT_PAGE = 100


# -- who am I -------------------------------------------------------------------------------------
@teams.get("/api/me")
def me() -> Response:
    """The account and its workspaces; answers accounts with none (the app shows "no access")."""
    caller = access.signed_in()
    memberships = workspaces().memberships_of(caller.uid)
    return json_response(
        {
            "uid": caller.uid,
            "email": caller.email,
            "email_verified": caller.email_verified,
            "workspaces": [_summary(m) for m in memberships],
        }
    )


# -- the workspace --------------------------------------------------------------------------------
@teams.get("/api/workspace")
def workspace() -> Response:
    member = access.member(Role.VIEWER)
    body: dict[str, Any] = _summary(Membership(member.workspace, member.member))
    if at_least(member.role, Role.ADMIN):
        body["settings"] = member.workspace.settings.model_dump(mode="json")
    return json_response(body)


@teams.patch("/api/workspace/settings")
def update_settings() -> Response:
    member = access.member(Role.ADMIN)
    patch = json_body(SettingsPatch, MAX_SETTINGS_BYTES)
    settings = workspaces().update_settings(
        member.workspace.id, actor_uid=member.uid, patch=patch, now=utcnow()
    )
    log.info("workspace settings changed")
    return json_response(settings.model_dump(mode="json"))


@teams.get("/api/workspace/usage")
def usage() -> Response:
    member = access.member(Role.ADMIN)
    now = utcnow()
    return json_response(_usage(workspaces().usage(member.workspace.id, now), now))


# -- members --------------------------------------------------------------------------------------
@teams.get("/api/workspace/members")
def list_members() -> Response:
    member = access.member(Role.ADMIN)
    return json_response({"members": [_member(m) for m in workspaces().members(member.workspace.id)]})


@teams.patch("/api/workspace/members/<uid:target_uid>")
def change_role(target_uid: str) -> Response:
    member = access.member(Role.ADMIN)
    body = json_body(RoleChangeRequest, MAX_SMALL_BYTES)
    changed = workspaces().change_role(
        member.workspace.id, actor_uid=member.uid, target_uid=target_uid, role=body.role, now=utcnow()
    )
    log.info("member role changed", extra={"role": changed.role.value})
    return json_response(_member(changed))


@teams.delete("/api/workspace/members/<uid:target_uid>")
def remove_member(target_uid: str) -> Response:
    """Admins remove others; anyone may remove themselves (leave the workspace)."""
    member = access.member(Role.VIEWER)
    workspaces().remove_member(member.workspace.id, actor_uid=member.uid, target_uid=target_uid, now=utcnow())
    log.info("member removed", extra={"left": target_uid == member.uid})
    return Response(status=204)


# -- invitations ----------------------------------------------------------------------------------
@teams.get("/api/workspace/invitations")
def list_invitations() -> Response:
    member = access.member(Role.ADMIN)
    now = utcnow()
    found = workspaces().invitations(member.workspace.id)
    return json_response({"invitations": [_invitation(i, now) for i in found]})


@teams.post("/api/workspace/invitations")
def create_invitation() -> Response:
    """201 with the accept link, shown once: its fragment holds the secret, of which only a hash is kept."""
    member = access.member(Role.ADMIN)
    body = json_body(CreateInvitationRequest, MAX_SMALL_BYTES)
    secret = invites.new_secret()
    invitation = workspaces().create_invitation(
        member.workspace.id,
        actor_uid=member.uid,
        email=body.email,
        role=Role(body.role),
        secret=secret,
        now=utcnow(),
    )
    log.info("invitation created", extra={"role": invitation.role.value})
    url = accept_url(get_settings().public_base_url, member.workspace.id, invitation.id, secret)
    return json_response(
        {
            "id": invitation.id,
            "email": invitation.email,
            "role": invitation.role.value,
            "expires_at": invitation.expires_at.isoformat(),
            "accept_url": url,
        },
        201,
    )


@teams.delete("/api/workspace/invitations/<iid:invitation_id>")
def revoke_invitation(invitation_id: str) -> Response:
    member = access.member(Role.ADMIN)
    now = utcnow()
    revoked = workspaces().revoke_invitation(
        member.workspace.id, actor_uid=member.uid, invitation_id=invitation_id, now=now
    )
    return json_response(_invitation(revoked, now))


@teams.post("/api/invitations/lookup")
def lookup_invitation() -> Response:
    """What the join page shows before sign-up: the team, the invited address and role. The secret is
    the proof (as for a candidate's invite); nothing is used up or written."""
    body = json_body(InvitationSecretRequest, MAX_SMALL_BYTES)
    store = workspaces()
    invitation = store.invitation(body.workspace_id, body.invitation_id)
    found = store.workspace(body.workspace_id) if invitation is not None else None
    if invitation is None or found is None:
        raise InvitationNotFound()
    check_invitation(invitation, body.secret, invitation.email, "", utcnow())
    return json_response(
        {
            "workspace": {"id": found.id, "name": found.name},
            "email": invitation.email,
            "role": invitation.role.value,
            "expires_at": invitation.expires_at.isoformat(),
        }
    )


@teams.post("/api/invitations/accept")
def accept_invitation() -> Response:
    """Join with an invitation sent to this account's (verified) address. No X-Workspace-Id: the
    account is not a member yet."""
    caller = access.verified()
    body = json_body(InvitationSecretRequest, MAX_SMALL_BYTES)
    joined = workspaces().accept_invitation(
        body.workspace_id,
        body.invitation_id,
        secret=body.secret,
        uid=caller.uid,
        email=caller.email,
        now=utcnow(),
    )
    log.info("invitation accepted", extra={"role": joined.member.role.value})
    return json_response({"workspace": _summary(joined)})


@teams.post("/api/workspaces/<wid>/join")
def join_by_domain(wid: str) -> Response:
    """Join as a viewer when the workspace allows the account's verified email domain."""
    caller = access.verified()
    read_body(MAX_SMALL_BYTES)
    if not is_document_id(wid):
        raise WorkspaceNotFound()
    joined = workspaces().join_by_domain(wid, uid=caller.uid, email=caller.email, now=utcnow())
    return json_response({"workspace": _summary(joined)})


# -- audit ----------------------------------------------------------------------------------------
class AuditQuery(BaseModel):
    """The query parameters of GET /api/workspace/audit."""

    model_config = ConfigDict(extra="forbid")

    page_size: int = Field(50, ge=1, le=MAX_AUDIT_PAGE)
    page_token: str | None = Field(None, max_length=200)


@teams.get("/api/workspace/audit")
@accepts_query(AuditQuery)
def audit() -> Response:
    member = access.member(Role.ADMIN)
    query = query_params(AuditQuery)
    page_token = query.page_token or None
    entries, next_token = workspaces().audit(
        member.workspace.id, page_size=query.page_size, page_token=page_token
    )
    return json_response({"entries": entries, "next_page_token": next_token})


# -- shapes ---------------------------------------------------------------------------------------
def _summary(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.workspace.id,
        "name": membership.workspace.name,
        "role": membership.member.role.value,
    }


def _member(member: Member) -> dict[str, Any]:
    return {
        "uid": member.uid,
        "email": member.email,
        "role": member.role.value,
        "joined_at": member.joined_at.isoformat(),
    }


def _invitation(invitation: Invitation, now: datetime) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "email": invitation.email,
        "role": invitation.role.value,
        "status": invitation.effective_status(now).value,
        "expires_at": invitation.expires_at.isoformat(),
    }


def _usage(found: Usage, now: datetime) -> dict[str, Any]:
    return {
        "limits": found.limits.model_dump(),
        "used": {
            "interviews_today": found.interviews_today,
            "evaluations_today": found.evaluations_today,
            "live_interviews": found.live_interviews,
            "model_minutes_this_month": round(found.model_seconds_this_month / 60, 1),
        },
        "resets": {"day": quotas.next_day(now).isoformat(), "month": quotas.next_month(now).isoformat()},
    }
