"""The rules of hiring teams, without a database: roles, role changes, removals, invitations,
domain join and settings (interview_core/domain/workspaces.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from interview_core.domain import errors, invites
from interview_core.domain.workspaces import (
    CreateInvitationRequest,
    Invitation,
    InvitationStatus,
    Member,
    Role,
    SettingsPatch,
    WorkspaceSettings,
    accept_url,
    at_least,
    check_domain_join,
    check_invitation,
    check_removal,
    check_role_change,
    settings_changes,
)

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)
OW, A, R, V = Role.OWNER, Role.ADMIN, Role.RECRUITER, Role.VIEWER


def test_roles_are_nested() -> None:
    order = [V, R, A, OW]
    for i, role in enumerate(order):
        for j, minimum in enumerate(order):
            assert at_least(role, minimum) is (i >= j), (role, minimum)


@pytest.mark.parametrize(
    ("actor", "current", "new", "owners", "refusal"),
    [
        (OW, R, A, 1, None),
        (OW, A, OW, 1, None),  # an owner makes an owner
        (OW, OW, A, 2, None),  # one of two owners steps down
        (OW, OW, A, 1, errors.LastOwner),
        (A, R, V, 1, None),
        (A, V, A, 1, None),
        (A, R, OW, 1, errors.InsufficientRole),  # only an owner makes an owner
        (A, OW, A, 2, errors.InsufficientRole),  # ...or unmakes one
        (R, V, R, 1, errors.InsufficientRole),
        (V, V, R, 1, errors.InsufficientRole),
    ],
)
def test_role_changes(actor: Role, current: Role, new: Role, owners: int, refusal: type | None) -> None:
    if refusal is None:
        check_role_change(actor, current, new, owners)
    else:
        with pytest.raises(refusal):
            check_role_change(actor, current, new, owners)


def _member(role: Role, uid: str = "target") -> Member:
    return Member(uid=uid, email=f"{uid}@example.com", role=role, joined_at=NOW)


@pytest.mark.parametrize(
    ("actor", "actor_uid", "target", "owners", "refusal"),
    [
        (A, "me", _member(R), 1, None),
        (A, "me", _member(A), 1, None),
        (A, "me", _member(OW), 2, errors.InsufficientRole),
        (OW, "me", _member(OW), 2, None),
        (OW, "me", _member(OW), 1, errors.LastOwner),
        (R, "me", _member(V), 1, errors.InsufficientRole),
        (V, "target", _member(V), 1, None),  # anyone may leave
        (R, "target", _member(R), 1, None),
        (OW, "target", _member(OW), 1, errors.LastOwner),  # but the last owner may not
    ],
)
def test_removals(actor: Role, actor_uid: str, target: Member, owners: int, refusal: type | None) -> None:
    if refusal is None:
        check_removal(actor, actor_uid, target, owners)
    else:
        with pytest.raises(refusal):
            check_removal(actor, actor_uid, target, owners)


def _invitation(secret: str, **overrides: object) -> Invitation:
    fields: dict[str, object] = {
        "id": "inv1",
        "email": "ana@acme.com",
        "role": R,
        "token_hash": invites.hash_secret(secret),
        "expires_at": NOW + timedelta(days=7),
        "created_by": "admin",
        "created_at": NOW,
    }
    fields.update(overrides)
    return Invitation.model_validate(fields)


def test_an_invitation_checks_the_secret_first_then_the_address_then_its_state() -> None:
    secret = invites.new_secret()
    pending = _invitation(secret)
    assert check_invitation(pending, secret, "ana@acme.com", "u1", NOW) is False
    with pytest.raises(errors.InvitationNotFound):
        check_invitation(None, secret, "ana@acme.com", "u1", NOW)
    # A wrong secret learns nothing, not even that the invitation is used or for someone else.
    used = _invitation(secret, status=InvitationStatus.ACCEPTED, accepted_by="u2")
    with pytest.raises(errors.InvitationNotFound):
        check_invitation(used, "x" * 43, "bo@acme.com", "u1", NOW)
    with pytest.raises(errors.InvitationForAnotherAccount):
        check_invitation(pending, secret, "bo@acme.com", "u1", NOW)
    with pytest.raises(errors.InvitationUsed):
        check_invitation(used, secret, "ana@acme.com", "u1", NOW)
    assert check_invitation(used.model_copy(update={"accepted_by": "u1"}), secret, "ana@acme.com", "u1", NOW)
    with pytest.raises(errors.InvitationRevoked):
        check_invitation(_invitation(secret, status="revoked"), secret, "ana@acme.com", "u1", NOW)
    with pytest.raises(errors.InvitationExpired):
        check_invitation(pending, secret, "ana@acme.com", "u1", NOW + timedelta(days=7))


def test_a_pending_invitation_past_its_expiry_reads_as_expired() -> None:
    invitation = _invitation("s" * 43)
    assert invitation.effective_status(NOW) == InvitationStatus.PENDING
    assert invitation.effective_status(NOW + timedelta(days=8)) == InvitationStatus.EXPIRED


def test_invitation_requests_lower_case_the_address_and_never_invite_an_owner() -> None:
    assert CreateInvitationRequest.model_validate({"email": " Ana@ACME.com ", "role": "admin"}).email == (
        "ana@acme.com"
    )
    for bad in ({"email": "ana@acme.com", "role": "owner"}, {"email": "nope", "role": "viewer"}):
        with pytest.raises(ValidationError):
            CreateInvitationRequest.model_validate(bad)


def test_the_accept_link_carries_the_secret_only_in_its_fragment() -> None:
    url = accept_url("https://hire.example.com/", "w1", "i1", "SECRET")
    assert url == "https://hire.example.com/join/w1/i1#SECRET"


def test_domain_join_needs_the_switch_and_the_domain() -> None:
    allowed = WorkspaceSettings(allowed_domains=["acme.com"], allow_domain_join=True)
    check_domain_join(allowed, "ana@acme.com")
    for settings, email in (
        (allowed, "ana@evil.com"),
        (allowed, "ana@sub.acme.com"),
        (allowed.model_copy(update={"allow_domain_join": False}), "ana@acme.com"),
        (WorkspaceSettings(allow_domain_join=True), "ana@acme.com"),
    ):
        with pytest.raises(errors.DomainJoinNotAllowed):
            check_domain_join(settings, email)


def test_settings_patches_validate_merge_and_say_what_changed() -> None:
    before = WorkspaceSettings()
    patch = SettingsPatch.model_validate(
        {"allowed_domains": ["ACME.com", "acme.com"], "quotas": {"interviews_per_day": 3}}
    )
    after = patch.applied_to(before)
    assert after.allowed_domains == ["acme.com"]
    assert after.quotas.interviews_per_day == 3
    assert after.quotas.live_interviews == before.quotas.live_interviews
    assert settings_changes(before, after) == {"allowed_domains": "acme.com", "quotas.interviews_per_day": 3}
    for bad in (
        {"allowed_domains": ["not a domain"]},
        {"allowed_domains": [f"d{i}.com" for i in range(21)]},
        {"quotas": {"interviews_per_day": -1}},
        {"quotas": {"unknown": 1}},
        {"owner": "me"},
    ):
        with pytest.raises(ValidationError):
            SettingsPatch.model_validate(bad)


def test_default_quotas_are_the_contracts() -> None:
    quotas = WorkspaceSettings().quotas
    assert (
        quotas.interviews_per_day,
        quotas.live_interviews,
        quotas.evaluations_per_day,
        quotas.model_minutes_per_month,
    ) == (50, 5, 100, 3000)
