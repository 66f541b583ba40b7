"""Who is asking, and in which workspace: the check every recruiter route starts with.

1. A Firebase ID token (401 without one), 2. a verified email address (403 `email_not_verified`),
before anything is read; 3. the workspace: the `X-Workspace-Id` header, or the account's only one
(400 `workspace_required` when it has several); an account in no workspace at all is 403
`no_workspace`, a workspace it is not a member of 404; 4. the role the route needs (403
`insufficient_role`). The security rules (firestore.rules) enforce the same roles for the web app's
direct reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from interview_core.adapters.auth import Caller, verify_caller
from interview_core.adapters.workspace_store import Membership, default_workspace_store
from interview_core.domain.errors import NoWorkspace, WorkspaceNotFound, WorkspaceRequired
from interview_core.domain.ids import is_document_id
from interview_core.domain.workspaces import Member, Role, Workspace, require_role

WORKSPACE_HEADER = "X-Workspace-Id"

workspaces = default_workspace_store


@dataclass(frozen=True)
class Access:
    """A verified member of a workspace, allowed the route's role."""

    caller: Caller
    workspace: Workspace
    member: Member

    @property
    def uid(self) -> str:
        return self.caller.uid

    @property
    def role(self) -> Role:
        return self.member.role


def signed_in() -> Caller:
    """The caller, whatever their email or membership (GET /api/me)."""
    return verify_caller(request.headers.get("Authorization"))


def verified() -> Caller:
    """A caller with a verified email address (accepting an invitation, joining by domain)."""
    caller = signed_in()
    caller.require_verified_email()
    return caller


def member(minimum: Role = Role.VIEWER) -> Access:
    """A verified member of the chosen workspace with at least `minimum`, or the matching refusal."""
    caller = verified()
    membership = _chosen(caller, request.headers.get(WORKSPACE_HEADER))
    require_role(membership.member.role, minimum)
    return Access(caller, membership.workspace, membership.member)


def _chosen(caller: Caller, header: str | None) -> Membership:
    if header is None or not header.strip():
        ids = workspaces().workspace_ids_of(caller.uid, limit=2)
        if not ids:
            raise NoWorkspace()
        if len(ids) > 1:
            raise WorkspaceRequired()
        header = ids[0]
    wid = header.strip()
    found = workspaces().membership(wid, caller.uid) if is_document_id(wid) else None
    if found is not None:
        return found
    if not workspaces().workspace_ids_of(caller.uid, limit=1):
        raise NoWorkspace()
    raise WorkspaceNotFound()
