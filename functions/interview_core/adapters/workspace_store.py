"""Firestore access for workspaces, their members, invitations, usage counters and audit log.

Every change of membership, role, invitation, settings or usage runs in a Firestore transaction that
re-reads what it decides on (the actor's own role included), so retries and concurrent requests see
one consistent state. Membership changes also write the workspace document (its member count), which
makes concurrent ones conflict and retry instead of, say, two admins each demoting one of the last two
owners. The audit log is only ever appended to: this module creates entries and has no code path that
updates or deletes one (tests/unit/test_audit_append_only.py holds it to that).
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from ..domain import invites, quotas
from ..domain.errors import (
    AlreadyMember,
    InvalidCursor,
    InvitationNotFound,
    InvitationNotPending,
    LastOwner,
    LimitReached,
    MemberNotFound,
    WorkspaceNotFound,
)
from ..domain.quotas import Counter, Limit
from ..domain.workspaces import (
    INVITATION_TTL,
    MAX_MEMBERS,
    MAX_PENDING_INVITATIONS,
    AuditAction,
    AuditEntry,
    AuditValue,
    Invitation,
    InvitationStatus,
    Member,
    Quotas,
    Role,
    SettingsPatch,
    Workspace,
    WorkspaceSettings,
    check_domain_join,
    check_invitation,
    check_removal,
    check_role_change,
    require_role,
    settings_changes,
)
from .clients import firestore_client, per_process, run_transaction
from .page_cursors import decode_cursor, encode_cursor

WORKSPACES = "workspaces"
MEMBERS = "members"
INVITATIONS = "invitations"
AUDIT = "audit"
USAGE = "usage"
MAX_LISTED_INVITATIONS = 200
TURN_LOCKS = 64
MAX_MEMBERSHIPS = 50
"""Workspaces one account is listed in (GET /api/me); more is not a team, it is a bug."""


@dataclass(frozen=True)
class Membership:
    workspace: Workspace
    member: Member


@dataclass(frozen=True)
class Usage:
    """GET /api/workspace/usage: the limits, what is used, when the periods reset."""

    limits: Quotas
    interviews_today: int
    evaluations_today: int
    live_interviews: int
    model_seconds_this_month: int


class WorkspaceStore:
    """Repository for workspaces/{wid} and its members, invitations, usage and audit collections."""

    def __init__(self, db: firestore.Client | None = None) -> None:
        self.db = db or firestore_client()
        self._turns = [threading.Lock() for _ in range(TURN_LOCKS)]

    # -- references -------------------------------------------------------------------------------
    def workspace_ref(self, workspace_id: str) -> firestore.DocumentReference:
        return self.db.collection(WORKSPACES).document(workspace_id)

    def member_ref(self, workspace_id: str, uid: str) -> firestore.DocumentReference:
        return self.workspace_ref(workspace_id).collection(MEMBERS).document(uid)

    def invitation_ref(self, workspace_id: str, invitation_id: str) -> firestore.DocumentReference:
        return self.workspace_ref(workspace_id).collection(INVITATIONS).document(invitation_id)

    def usage_ref(self, workspace_id: str, period: str) -> firestore.DocumentReference:
        return self.workspace_ref(workspace_id).collection(USAGE).document(period)

    def audit_collection(self, workspace_id: str) -> firestore.CollectionReference:
        return self.workspace_ref(workspace_id).collection(AUDIT)

    # -- reads ------------------------------------------------------------------------------------
    def workspace(self, workspace_id: str) -> Workspace | None:
        snapshot = self.workspace_ref(workspace_id).get()
        return _workspace_from(snapshot) if snapshot.exists else None

    def member(self, workspace_id: str, uid: str) -> Member | None:
        snapshot = self.member_ref(workspace_id, uid).get()
        return Member.model_validate(snapshot.to_dict()) if snapshot.exists else None

    def membership(self, workspace_id: str, uid: str) -> Membership | None:
        """The workspace and the account's member document, in one round trip; None unless both exist."""
        workspace_ref, member_ref = self.workspace_ref(workspace_id), self.member_ref(workspace_id, uid)
        found = {s.reference.path: s for s in self.db.get_all([workspace_ref, member_ref])}
        workspace, member = found.get(workspace_ref.path), found.get(member_ref.path)
        if workspace is None or member is None or not workspace.exists or not member.exists:
            return None
        return Membership(_workspace_from(workspace), Member.model_validate(member.to_dict()))

    def workspace_ids_of(self, uid: str, limit: int = MAX_MEMBERSHIPS) -> list[str]:
        """The workspaces whose members/{uid} exists (a collection-group query on `uid`)."""
        query = (
            self.db.collection_group(MEMBERS)
            .where(filter=firestore.FieldFilter("uid", "==", uid))
            .limit(limit)
        )
        return [s.reference.parent.parent.id for s in query.stream() if s.reference.parent.parent]

    def memberships_of(self, uid: str) -> list[Membership]:
        """Every workspace the account belongs to, with its role there, by name."""
        ids = self.workspace_ids_of(uid)
        found = [m for m in (self.membership(wid, uid) for wid in ids) if m is not None]
        return sorted(found, key=lambda m: (m.workspace.name.casefold(), m.workspace.id))

    def members(self, workspace_id: str) -> list[Member]:
        collection = self.workspace_ref(workspace_id).collection(MEMBERS)
        snapshots = collection.order_by("joined_at").limit(MAX_MEMBERS).stream()
        return [Member.model_validate(s.to_dict()) for s in snapshots]

    def invitations(self, workspace_id: str) -> list[Invitation]:
        query = (
            self.workspace_ref(workspace_id)
            .collection(INVITATIONS)
            .order_by("created_at", direction=firestore.Query.DESCENDING)
            .limit(MAX_LISTED_INVITATIONS)
        )
        return [_invitation_from(s) for s in query.stream()]

    def invitation(self, workspace_id: str, invitation_id: str) -> Invitation | None:
        snapshot = self.invitation_ref(workspace_id, invitation_id).get()
        return _invitation_from(snapshot) if snapshot.exists else None

    def audit(
        self, workspace_id: str, *, page_size: int, page_token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The audit log, newest first, one page at a time."""
        collection = self.audit_collection(workspace_id)
        query = collection.order_by("at", direction=firestore.Query.DESCENDING).order_by(
            "__name__", direction=firestore.Query.DESCENDING
        )
        if page_token:
            after = collection.document(decode_cursor(page_token)).get()
            if not after.exists:
                raise InvalidCursor()
            query = query.start_after(after)
        snapshots = list(query.limit(page_size + 1).stream())
        entries = [
            {"id": s.id, **AuditEntry.model_validate(s.to_dict() or {}).model_dump(mode="json")}
            for s in snapshots[:page_size]
        ]
        next_token = encode_cursor(snapshots[page_size - 1].id) if len(snapshots) > page_size else None
        return entries, next_token

    def usage(self, workspace_id: str, now: datetime) -> Usage:
        workspace = self.workspace(workspace_id)
        limits = workspace.settings.quotas if workspace else Quotas()
        day, month, live = (
            quotas.day_period(now),
            quotas.month_period(now),
            quotas.LIVE_PERIOD,
        )
        refs = [self.usage_ref(workspace_id, p) for p in (day, month, live)]
        data = {s.id: s.to_dict() or {} for s in self.db.get_all(refs) if s.exists}
        return Usage(
            limits=limits,
            interviews_today=max(0, int(data.get(day, {}).get("interviews_created", 0))),
            evaluations_today=max(0, int(data.get(day, {}).get("evaluations", 0))),
            live_interviews=max(0, int(data.get(live, {}).get("interviews", 0))),
            model_seconds_this_month=max(0, int(data.get(month, {}).get("model_seconds", 0))),
        )

    # -- workspaces and members -------------------------------------------------------------------
    def create_workspace(
        self,
        name: str,
        *,
        owner_uid: str,
        owner_email: str,
        actor_uid: str,
        now: datetime,
        workspace_id: str | None = None,
    ) -> Workspace:
        """A workspace with its first owner. With a `workspace_id` that exists already, that workspace
        is returned unchanged (so seeding and the admin command can be repeated)."""
        ref = self.workspace_ref(workspace_id) if workspace_id else self.db.collection(WORKSPACES).document()

        def run(transaction: firestore.Transaction) -> Workspace:
            existing = ref.get(transaction=transaction)
            if existing.exists:
                return _workspace_from(existing)
            workspace = Workspace(id=ref.id, name=name, created_at=now, created_by=actor_uid, member_count=1)
            transaction.create(ref, _workspace_data(workspace))
            owner = Member(uid=owner_uid, email=owner_email.lower(), role=Role.OWNER, joined_at=now)
            transaction.create(self.member_ref(ref.id, owner_uid), owner.model_dump(mode="python"))
            self._audit(
                transaction,
                ref.id,
                actor_uid,
                AuditAction.WORKSPACE_CREATED,
                ref.id,
                {"owner": owner_uid},
                now,
            )
            return workspace

        return run_transaction(self.db, run)

    def put_member(
        self, workspace_id: str, *, uid: str, email: str, role: Role, actor_uid: str, now: datetime
    ) -> Member:
        """Add the account with `role`, or give an existing member that role (the operator's command
        and the tests; the API's own paths are invitations and domain join)."""

        def run(transaction: firestore.Transaction) -> Member:
            workspace = self._workspace_in(transaction, workspace_id)
            current = self._member_in(transaction, workspace_id, uid)
            owners = self._owner_count(transaction, workspace_id)
            if current is not None:
                if current.role == role:
                    return current
                if current.role == Role.OWNER and owners <= 1:
                    raise LastOwner()
                self._write_role(transaction, workspace_id, actor_uid, current, role, now)
                return current.model_copy(update={"role": role})
            member = Member(uid=uid, email=email.lower(), role=role, joined_at=now, invited_by=actor_uid)
            self._add_member(transaction, workspace, member, actor_uid, {"via": "operator"}, now)
            return member

        return run_transaction(self.db, run)

    def change_role(
        self, workspace_id: str, *, actor_uid: str, target_uid: str, role: Role, now: datetime
    ) -> Member:
        def run(transaction: firestore.Transaction) -> Member:
            actor = self._actor_in(transaction, workspace_id, actor_uid, Role.ADMIN)
            target = self._member_in(transaction, workspace_id, target_uid)
            if target is None:
                raise MemberNotFound()
            owners = self._owner_count(transaction, workspace_id)
            self._workspace_in(transaction, workspace_id)
            check_role_change(actor.role, target.role, role, owners)
            if target.role == role:
                return target
            self._write_role(transaction, workspace_id, actor_uid, target, role, now)
            return target.model_copy(update={"role": role})

        return run_transaction(self.db, run)

    def remove_member(self, workspace_id: str, *, actor_uid: str, target_uid: str, now: datetime) -> None:
        def run(transaction: firestore.Transaction) -> None:
            actor = self._actor_in(transaction, workspace_id, actor_uid, Role.VIEWER)
            target = self._member_in(transaction, workspace_id, target_uid)
            if target is None:
                raise MemberNotFound()
            owners = self._owner_count(transaction, workspace_id)
            workspace = self._workspace_in(transaction, workspace_id)
            check_removal(actor.role, actor_uid, target, owners)
            transaction.delete(self.member_ref(workspace_id, target_uid))
            transaction.update(
                self.workspace_ref(workspace_id),
                {"member_count": max(0, workspace.member_count - 1), "updated_at": now},
            )
            detail: dict[str, AuditValue] = {"role": target.role.value, "left": actor_uid == target_uid}
            self._audit(
                transaction, workspace_id, actor_uid, AuditAction.MEMBER_REMOVED, target_uid, detail, now
            )

        run_transaction(self.db, run)

    def join_by_domain(self, workspace_id: str, *, uid: str, email: str, now: datetime) -> Membership:
        """Join as a viewer, when the workspace allows the account's (verified) email domain."""

        def run(transaction: firestore.Transaction) -> Membership:
            workspace = self._workspace_in(transaction, workspace_id)
            current = self._member_in(transaction, workspace_id, uid)
            if current is not None:
                return Membership(workspace, current)
            check_domain_join(workspace.settings, email)
            member = Member(uid=uid, email=email, role=Role.VIEWER, joined_at=now)
            self._add_member(transaction, workspace, member, uid, {"via": "domain"}, now)
            return Membership(workspace, member)

        return run_transaction(self.db, run)

    def update_settings(
        self, workspace_id: str, *, actor_uid: str, patch: SettingsPatch, now: datetime
    ) -> WorkspaceSettings:
        def run(transaction: firestore.Transaction) -> WorkspaceSettings:
            self._actor_in(transaction, workspace_id, actor_uid, Role.ADMIN)
            workspace = self._workspace_in(transaction, workspace_id)
            settings = patch.applied_to(workspace.settings)
            changes = settings_changes(workspace.settings, settings)
            if not changes:
                return settings
            transaction.update(
                self.workspace_ref(workspace_id),
                {"settings": settings.model_dump(mode="python"), "updated_at": now},
            )
            detail = {key: _audit_value(value) for key, value in changes.items()}
            self._audit(
                transaction, workspace_id, actor_uid, AuditAction.SETTINGS_CHANGED, "settings", detail, now
            )
            return settings

        return run_transaction(self.db, run)

    # -- invitations ------------------------------------------------------------------------------
    def create_invitation(
        self, workspace_id: str, *, actor_uid: str, email: str, role: Role, secret: str, now: datetime
    ) -> Invitation:
        """A pending invitation for `email`; earlier pending ones for the same address are revoked,
        so only the newest link works."""
        ref = self.workspace_ref(workspace_id).collection(INVITATIONS).document()
        invitations = self.workspace_ref(workspace_id).collection(INVITATIONS)
        pending = invitations.where(
            filter=firestore.FieldFilter("status", "==", InvitationStatus.PENDING.value)
        )

        def run(transaction: firestore.Transaction) -> Invitation:
            self._actor_in(transaction, workspace_id, actor_uid, Role.ADMIN)
            open_ones = [
                _invitation_from(s) for s in transaction.get(pending.limit(MAX_PENDING_INVITATIONS + 1))
            ]
            members = self.workspace_ref(workspace_id).collection(MEMBERS)
            same_email = members.where(filter=firestore.FieldFilter("email", "==", email)).limit(1)
            if list(transaction.get(same_email)):
                raise AlreadyMember()
            older = [i for i in open_ones if i.email == email]
            if len(open_ones) - len(older) >= MAX_PENDING_INVITATIONS:
                raise LimitReached(f"a workspace has at most {MAX_PENDING_INVITATIONS} pending invitations")
            for invitation in older:
                transaction.update(self.invitation_ref(workspace_id, invitation.id), {"status": "revoked"})
            invitation = Invitation(
                id=ref.id,
                email=email,
                role=role,
                token_hash=invites.hash_secret(secret),
                expires_at=now + INVITATION_TTL,
                created_by=actor_uid,
                created_at=now,
            )
            transaction.create(ref, invitation.model_dump(mode="python", exclude={"id"}))
            detail: dict[str, AuditValue] = {
                "role": role.value,
                "invitation_id": ref.id,
                "replaced": len(older),
            }
            self._audit(transaction, workspace_id, actor_uid, AuditAction.MEMBER_INVITED, email, detail, now)
            return invitation

        return run_transaction(self.db, run)

    def revoke_invitation(
        self, workspace_id: str, *, actor_uid: str, invitation_id: str, now: datetime
    ) -> Invitation:
        ref = self.invitation_ref(workspace_id, invitation_id)

        def run(transaction: firestore.Transaction) -> Invitation:
            self._actor_in(transaction, workspace_id, actor_uid, Role.ADMIN)
            snapshot = ref.get(transaction=transaction)
            if not snapshot.exists:
                raise InvitationNotFound()
            invitation = _invitation_from(snapshot)
            if invitation.status == InvitationStatus.ACCEPTED:
                raise InvitationNotPending()
            if invitation.status == InvitationStatus.REVOKED:
                return invitation
            transaction.update(ref, {"status": InvitationStatus.REVOKED.value, "revoked_at": now})
            self._audit(
                transaction, workspace_id, actor_uid, AuditAction.INVITATION_REVOKED, invitation_id, {}, now
            )
            return invitation.model_copy(update={"status": InvitationStatus.REVOKED})

        return run_transaction(self.db, run)

    def accept_invitation(
        self, workspace_id: str, invitation_id: str, *, secret: str, uid: str, email: str, now: datetime
    ) -> Membership:
        """Make the account a member with the invitation's role. Repeating it (a retried request)
        answers the same membership; another account's attempt is refused."""
        ref = self.invitation_ref(workspace_id, invitation_id)

        def run(transaction: firestore.Transaction) -> Membership:
            snapshot = ref.get(transaction=transaction)
            workspace_snapshot = self.workspace_ref(workspace_id).get(transaction=transaction)
            current = self._member_in(transaction, workspace_id, uid)
            invitation = _invitation_from(snapshot) if snapshot.exists else None
            repeat = check_invitation(invitation, secret, email, uid, now)
            if not workspace_snapshot.exists or invitation is None:
                raise InvitationNotFound()
            workspace = _workspace_from(workspace_snapshot)
            if repeat:
                if current is None:  # accepted, then removed: the link does not bring them back
                    raise InvitationNotFound()
                return Membership(workspace, current)
            transaction.update(
                ref, {"status": InvitationStatus.ACCEPTED.value, "accepted_by": uid, "accepted_at": now}
            )
            if current is not None:
                return Membership(workspace, current)
            member = Member(
                uid=uid, email=email, role=invitation.role, joined_at=now, invited_by=invitation.created_by
            )
            via: dict[str, AuditValue] = {"via": "invitation", "invitation_id": invitation_id}
            self._add_member(transaction, workspace, member, uid, via, now)
            return Membership(workspace, member)

        return run_transaction(self.db, run)

    # -- usage ------------------------------------------------------------------------------------
    def charge(self, workspace_id: str, limit: Limit, now: datetime) -> Counter:
        """Count one unit of `limit` now, or raise QuotaExceeded; returns the counter charged.

        One transaction reads the limit and the counter and writes the new count. The requests of one
        process for one workspace take turns first: concurrent transactions on one counter document
        abort each other (the emulator only notices after a lock timeout of seconds), so a burst of
        creations in one api instance queues for a few milliseconds each instead.
        """
        change = quotas.UsageChange(quotas.counter(limit, now), 1, limit)

        def run(transaction: firestore.Transaction) -> None:
            apply_usage(transaction, self.db, workspace_id, [change], now)

        with self.turn(workspace_id):
            run_transaction(self.db, run)
        return change.counter

    def refund(self, workspace_id: str, charged: Counter, now: datetime) -> None:
        """Give back a unit charged for work that then failed (never below zero)."""

        def run(transaction: firestore.Transaction) -> None:
            apply_usage(transaction, self.db, workspace_id, [quotas.UsageChange(charged, -1)], now)

        with self.turn(workspace_id):
            run_transaction(self.db, run)

    def turn(self, workspace_id: str) -> threading.Lock:
        """This process's turn at the workspace's counters: one of a fixed set of locks, chosen by
        the workspace (bounded memory, rarely shared). Hold it around a transaction that checks a
        limit, so that one instance's concurrent requests queue instead of aborting each other."""
        return self._turns[zlib.crc32(workspace_id.encode()) % len(self._turns)]

    # -- audit ------------------------------------------------------------------------------------
    def append_audit(
        self,
        workspace_id: str,
        *,
        actor_uid: str,
        action: AuditAction,
        target: str,
        detail: Mapping[str, AuditValue] | None = None,
        now: datetime,
        entry_id: str | None = None,
    ) -> None:
        """Append one entry outside a transaction. With `entry_id`, at most one entry of that id is
        ever written (a repeated request, or one view an hour, adds nothing)."""
        entry = AuditEntry(
            at=now, actor_uid=actor_uid, action=action, target=target, detail=dict(detail or {})
        )
        ref = (
            self.audit_collection(workspace_id).document(entry_id)
            if entry_id
            else self.audit_collection(workspace_id).document()
        )
        with contextlib.suppress(gexc.AlreadyExists):
            ref.create(entry.model_dump(mode="python"))

    def _audit(
        self,
        transaction: firestore.Transaction,
        workspace_id: str,
        actor_uid: str,
        action: AuditAction,
        target: str,
        detail: Mapping[str, AuditValue],
        now: datetime,
    ) -> None:
        entry = AuditEntry(at=now, actor_uid=actor_uid, action=action, target=target, detail=dict(detail))
        transaction.create(self.audit_collection(workspace_id).document(), entry.model_dump(mode="python"))

    # -- transaction helpers (reads first, as Firestore requires) ---------------------------------
    def _workspace_in(self, transaction: firestore.Transaction, workspace_id: str) -> Workspace:
        snapshot = self.workspace_ref(workspace_id).get(transaction=transaction)
        if not snapshot.exists:
            raise WorkspaceNotFound()
        return _workspace_from(snapshot)

    def _member_in(self, transaction: firestore.Transaction, workspace_id: str, uid: str) -> Member | None:
        snapshot = self.member_ref(workspace_id, uid).get(transaction=transaction)
        return Member.model_validate(snapshot.to_dict()) if snapshot.exists else None

    def _actor_in(
        self, transaction: firestore.Transaction, workspace_id: str, uid: str, minimum: Role
    ) -> Member:
        """The acting member as of this transaction: a role taken away a moment ago counts."""
        actor = self._member_in(transaction, workspace_id, uid)
        if actor is None:
            raise WorkspaceNotFound()
        require_role(actor.role, minimum)
        return actor

    def _owner_count(self, transaction: firestore.Transaction, workspace_id: str) -> int:
        owners = (
            self.workspace_ref(workspace_id)
            .collection(MEMBERS)
            .where(filter=firestore.FieldFilter("role", "==", Role.OWNER.value))
            .limit(2)
        )
        return len(list(transaction.get(owners)))

    def _add_member(
        self,
        transaction: firestore.Transaction,
        workspace: Workspace,
        member: Member,
        actor_uid: str,
        detail: dict[str, AuditValue],
        now: datetime,
    ) -> None:
        if workspace.member_count >= MAX_MEMBERS:
            raise LimitReached(f"a workspace has at most {MAX_MEMBERS} members")
        transaction.create(self.member_ref(workspace.id, member.uid), member.model_dump(mode="python"))
        transaction.update(
            self.workspace_ref(workspace.id), {"member_count": workspace.member_count + 1, "updated_at": now}
        )
        detail = {**detail, "role": member.role.value}
        self._audit(transaction, workspace.id, actor_uid, AuditAction.MEMBER_JOINED, member.uid, detail, now)

    def _write_role(
        self,
        transaction: firestore.Transaction,
        workspace_id: str,
        actor_uid: str,
        target: Member,
        role: Role,
        now: datetime,
    ) -> None:
        transaction.update(self.member_ref(workspace_id, target.uid), {"role": role.value})
        transaction.update(self.workspace_ref(workspace_id), {"updated_at": now})
        detail: dict[str, AuditValue] = {"from": target.role.value, "to": role.value}
        self._audit(
            transaction, workspace_id, actor_uid, AuditAction.MEMBER_ROLE_CHANGED, target.uid, detail, now
        )


def apply_usage(
    transaction: firestore.Transaction,
    db: firestore.Client,
    workspace_id: str,
    changes: Iterable[quotas.UsageChange],
    now: datetime,
) -> None:
    """Check and apply counter changes inside the caller's transaction.

    A counter whose limit is checked is read, with the workspace's limits, before anything is written
    (QuotaExceeded leaves everything as it was) and written back as a number. A counter that is only
    added to or taken from (a slot given back, the minutes of an interview that ended) is changed with
    an increment and not read: transactions that only add to one counter then never hold a read lock
    on it, and do not abort each other.
    """
    changes = [c for c in changes if c.amount or c.limit is not None]
    if not changes:
        return
    workspace_ref = db.collection(WORKSPACES).document(workspace_id)
    refs = {c.counter.period: workspace_ref.collection(USAGE).document(c.counter.period) for c in changes}
    checked = sorted({c.counter.period for c in changes if c.limit is not None})
    limits = Quotas()
    if checked:
        snapshot = workspace_ref.get(transaction=transaction)
        if snapshot.exists:
            limits = _workspace_from(snapshot).settings.quotas
    current = {p: (refs[p].get(transaction=transaction).to_dict() or {}) for p in checked}
    for change in changes:
        if change.limit is not None:
            used = float(current[change.counter.period].get(change.counter.field, 0))
            quotas.check(change.limit, used, limits, now)
    totals: dict[tuple[str, str], int] = {}
    for change in changes:
        key = (change.counter.period, change.counter.field)
        totals[key] = totals.get(key, 0) + change.amount
    for period, ref in refs.items():
        fields: dict[str, Any] = {}
        for (in_period, field), amount in totals.items():
            if in_period != period or not amount:
                continue
            if period in current:
                fields[field] = max(0, int(current[period].get(field, 0)) + amount)
            else:
                fields[field] = firestore.Increment(amount)
        if fields:
            transaction.set(ref, {**fields, "period": period, "updated_at": now}, merge=True)


def account_interview_change(
    transaction: firestore.Transaction,
    db: firestore.Client,
    before: Mapping[str, Any],
    updates: dict[str, Any],
    now: datetime,
) -> None:
    """Keep the workspace's usage counters in step with an interview's change, in its transaction
    (domain/quotas.usage_changes decides what the change means). May add fields to `updates`."""
    workspace_id = before.get("workspace_id")
    if not isinstance(workspace_id, str) or not workspace_id:
        return
    changes, extra = quotas.usage_changes(before, updates, now)
    updates.update(extra)
    apply_usage(transaction, db, workspace_id, changes, now)


@per_process
def default_workspace_store() -> WorkspaceStore:
    return WorkspaceStore()


def _workspace_from(snapshot: firestore.DocumentSnapshot) -> Workspace:
    data = snapshot.to_dict() or {}
    return Workspace.model_validate({**data, "id": snapshot.id})


def _workspace_data(workspace: Workspace) -> dict[str, Any]:
    return workspace.model_dump(mode="python", exclude={"id"})


def _invitation_from(snapshot: firestore.DocumentSnapshot) -> Invitation:
    data = snapshot.to_dict() or {}
    return Invitation.model_validate({**data, "id": snapshot.id})


def _audit_value(value: object) -> AuditValue:
    if value is None or isinstance(value, str | int | float | bool):
        return value if not isinstance(value, str) else value[:1000]
    return str(value)[:1000]
