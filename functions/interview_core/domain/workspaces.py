"""Hiring teams: workspaces, their members and roles, invitations, settings and the audit log.

Pure: no I/O. The store (adapters/workspace_store.py) reads and writes these documents in Firestore
transactions and asks the functions here whether a change is allowed, so the rules of who may do
what live in one place and are unit-tested without a database.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from . import invites
from .errors import (
    DomainJoinNotAllowed,
    InsufficientRole,
    InvitationExpired,
    InvitationForAnotherAccount,
    InvitationNotFound,
    InvitationRevoked,
    InvitationUsed,
    LastOwner,
)
from .ids import DocumentId
from .retention import DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS

MAX_ALLOWED_DOMAINS = 20
MAX_MEMBERS = 500
MAX_PENDING_INVITATIONS = 200
MAX_QUOTA = 1_000_000
INVITATION_TTL = timedelta(days=7)
MAX_AUDIT_DETAIL_KEYS = 12
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

WorkspaceName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    RECRUITER = "recruiter"
    VIEWER = "viewer"


_RANK = {Role.VIEWER: 0, Role.RECRUITER: 1, Role.ADMIN: 2, Role.OWNER: 3}


def at_least(role: Role, minimum: Role) -> bool:
    """Roles are nested: an owner may do what an admin may, an admin what a recruiter may, and so on."""
    return _RANK[role] >= _RANK[minimum]


def require_role(role: Role, minimum: Role) -> None:
    if not at_least(role, minimum):
        raise InsufficientRole(f"this needs the {minimum.value} role or higher; you are {role.value}")


def _domain(value: str) -> str:
    value = value.strip().lower()
    if not _DOMAIN_RE.match(value):
        raise ValueError("must be an email domain such as example.com")
    return value


EmailDomain = Annotated[str, StringConstraints(max_length=253), AfterValidator(_domain)]


def _lower(value: str) -> str:
    return value.strip().lower()


Email = Annotated[EmailStr, AfterValidator(_lower)]


class Quotas(BaseModel):
    """A workspace's limits; the defaults hold until an admin changes them."""

    interviews_per_day: int = Field(default=50, ge=0, le=MAX_QUOTA)
    live_interviews: int = Field(default=5, ge=0, le=MAX_QUOTA)
    evaluations_per_day: int = Field(default=100, ge=0, le=MAX_QUOTA)
    model_minutes_per_month: int = Field(default=3000, ge=0, le=MAX_QUOTA)


class QuotasPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # 0.0, true, "0" are not counts

    interviews_per_day: int | None = Field(default=None, ge=0, le=MAX_QUOTA)
    live_interviews: int | None = Field(default=None, ge=0, le=MAX_QUOTA)
    evaluations_per_day: int | None = Field(default=None, ge=0, le=MAX_QUOTA)
    model_minutes_per_month: int | None = Field(default=None, ge=0, le=MAX_QUOTA)


class WorkspaceSettings(BaseModel):
    allowed_domains: list[EmailDomain] = Field(default_factory=list, max_length=MAX_ALLOWED_DOMAINS)
    allow_domain_join: bool = False
    quotas: Quotas = Field(default_factory=Quotas)
    retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, ge=MIN_RETENTION_DAYS, le=MAX_RETENTION_DAYS)
    """Days an interview's data is kept after its invite window ends (domain/retention.py)."""


class SettingsPatch(BaseModel):
    """Body of PATCH /api/workspace/settings: only the parts that change."""

    model_config = ConfigDict(extra="forbid", strict=True)  # "false" and 0 are not booleans

    allowed_domains: list[EmailDomain] | None = Field(default=None, max_length=MAX_ALLOWED_DOMAINS)
    allow_domain_join: bool | None = None
    quotas: QuotasPatch | None = None
    retention_days: int | None = Field(default=None, ge=MIN_RETENTION_DAYS, le=MAX_RETENTION_DAYS)

    def applied_to(self, settings: WorkspaceSettings) -> WorkspaceSettings:
        data = settings.model_dump()
        if self.allowed_domains is not None:
            data["allowed_domains"] = list(dict.fromkeys(self.allowed_domains))
        if self.allow_domain_join is not None:
            data["allow_domain_join"] = self.allow_domain_join
        if self.quotas is not None:
            data["quotas"].update(self.quotas.model_dump(exclude_none=True))
        if self.retention_days is not None:
            data["retention_days"] = self.retention_days
        return WorkspaceSettings.model_validate(data)


def settings_changes(before: WorkspaceSettings, after: WorkspaceSettings) -> dict[str, object]:
    """What an audit entry records of a settings change: each changed field, flattened, new value."""
    old, new = _flat(before.model_dump()), _flat(after.model_dump())
    return {key: value for key, value in new.items() if old.get(key) != value}


def _flat(data: dict[str, object], prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = ",".join(value) if isinstance(value, list) else value
    return out


class Workspace(BaseModel):
    """workspaces/{wid}. `member_count` is kept in the membership transactions: it bounds the team's
    size and makes every membership change write this document, so concurrent changes serialise."""

    id: str
    name: str
    created_at: datetime
    created_by: str
    settings: WorkspaceSettings = Field(default_factory=WorkspaceSettings)
    member_count: int = 0


class Member(BaseModel):
    """workspaces/{wid}/members/{uid}: the document whose existence makes the account a member."""

    uid: str
    email: str
    role: Role
    joined_at: datetime
    invited_by: str | None = None


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


InvitableRole = Literal["admin", "recruiter", "viewer"]


class Invitation(BaseModel):
    """workspaces/{wid}/invitations/{iid}. Only the SHA-256 of the secret is stored; the secret is in
    the accept link's fragment, which browsers never send to a server."""

    id: str
    email: str
    role: Role
    token_hash: str
    expires_at: datetime
    created_by: str
    created_at: datetime
    status: InvitationStatus = InvitationStatus.PENDING
    accepted_by: str | None = None

    def effective_status(self, now: datetime) -> InvitationStatus:
        """A pending invitation past its expiry reads as expired (no job has to rewrite it)."""
        if self.status == InvitationStatus.PENDING and now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return self.status


class AuditAction(StrEnum):
    MEMBER_INVITED = "member.invited"
    MEMBER_JOINED = "member.joined"
    MEMBER_ROLE_CHANGED = "member.role_changed"
    MEMBER_REMOVED = "member.removed"
    INVITATION_REVOKED = "invitation.revoked"
    INTERVIEW_DELETED = "interview.deleted"
    CANDIDATE_DATA_ERASED = "candidate.data_erased"
    SETTINGS_CHANGED = "settings.changed"
    REPORT_VIEWED = "report.viewed"
    CV_DELETED = "cv.deleted"
    WORKSPACE_CREATED = "workspace.created"
    WEBHOOK_CREATED = "webhook.created"
    WEBHOOK_CHANGED = "webhook.changed"
    WEBHOOK_DELETED = "webhook.deleted"
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated"  # noqa: S105 (an audit action's name)


AuditValue = str | int | float | bool | None


class AuditEntry(BaseModel):
    """workspaces/{wid}/audit/{id}: who did what to whom. Small by construction: no transcripts, no
    free text from candidates; `detail` holds at most a dozen scalar values."""

    at: datetime
    actor_uid: str
    action: AuditAction
    target: Annotated[str, StringConstraints(max_length=200)]
    detail: dict[str, AuditValue] = Field(default_factory=dict, max_length=MAX_AUDIT_DETAIL_KEYS)


# -- request bodies -------------------------------------------------------------------------------
class CreateInvitationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    role: InvitableRole


class InvitationSecretRequest(BaseModel):
    """Body of POST /api/invitations/accept (and /lookup): the parts of the accept link."""

    model_config = ConfigDict(extra="forbid")

    workspace_id: DocumentId
    invitation_id: DocumentId
    secret: Annotated[str, StringConstraints(min_length=16, max_length=128)]


class RoleChangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


# -- decisions ------------------------------------------------------------------------------------
def check_invitation(invitation: Invitation | None, secret: str, email: str, uid: str, now: datetime) -> bool:
    """Whether this account may accept the invitation; True when it already did (a repeat).

    The secret is checked first, so a wrong secret learns nothing, then the addressee, then whether
    the invitation can still be used.
    """
    if invitation is None or not invites.secret_matches(secret, invitation.token_hash):
        raise InvitationNotFound()
    if invitation.email != email:
        raise InvitationForAnotherAccount()
    if invitation.status == InvitationStatus.ACCEPTED:
        if invitation.accepted_by == uid:
            return True
        raise InvitationUsed()
    if invitation.status == InvitationStatus.REVOKED:
        raise InvitationRevoked()
    if invitation.effective_status(now) == InvitationStatus.EXPIRED:
        raise InvitationExpired()
    return False


def check_domain_join(settings: WorkspaceSettings, email: str) -> None:
    domain = email.rpartition("@")[2].lower()
    if not settings.allow_domain_join or not domain or domain not in settings.allowed_domains:
        raise DomainJoinNotAllowed()


def check_role_change(actor: Role, current: Role, new: Role, owners: int) -> None:
    """Admins manage roles below owner; only an owner makes or unmakes an owner; one owner stays."""
    require_role(actor, Role.ADMIN)
    if Role.OWNER in (current, new) and actor != Role.OWNER:
        raise InsufficientRole("only an owner may make or unmake an owner")
    if current == Role.OWNER and new != Role.OWNER and owners <= 1:
        raise LastOwner()


def check_removal(actor: Role, actor_uid: str, target: Member, owners: int) -> None:
    """Anyone may leave; admins remove non-owners; owners remove owners; the last owner stays."""
    if actor_uid != target.uid:
        require_role(actor, Role.ADMIN)
        if target.role == Role.OWNER and actor != Role.OWNER:
            raise InsufficientRole("only an owner may remove an owner")
    if target.role == Role.OWNER and owners <= 1:
        raise LastOwner()


def accept_url(public_base_url: str, workspace_id: str, invitation_id: str, secret: str) -> str:
    """<public_base_url>/join/<wid>/<iid>#<secret>: the secret only in the fragment."""
    return f"{public_base_url.rstrip('/')}/join/{workspace_id}/{invitation_id}#{secret}"
