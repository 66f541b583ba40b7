"""The pure domain: status machine, invite policy, plan normalisation, webhook signatures."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from interview_core.domain import errors, invites, webhook_signature
from interview_core.domain.models import (
    CreateInterviewRequest,
    InterviewStatus,
    Invite,
    PlannedQuestion,
    Skill,
    SkillPlan,
)
from interview_core.domain.status import ALLOWED_TRANSITIONS, can_transition, require_transition

S = InterviewStatus
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_happy_path_transitions_are_allowed() -> None:
    path = [S.INVITED, S.IN_PROGRESS, S.COMPLETED, S.EVALUATING, S.EVALUATED]
    for current, target in itertools.pairwise(path):
        assert can_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.INVITED, S.COMPLETED),
        (S.EVALUATED, S.IN_PROGRESS),
        (S.CANCELLED, S.INVITED),
        (S.EXPIRED, S.IN_PROGRESS),
        (S.COMPLETED, S.CANCELLED),
        (S.IN_PROGRESS, S.INVITED),
    ],
)
def test_illegal_transitions_are_refused(current: S, target: S) -> None:
    with pytest.raises(errors.IllegalTransition) as raised:
        require_transition(current, target)
    assert raised.value.code == "illegal_transition"
    assert current.value in raised.value.message


def test_every_status_has_a_transition_entry() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(S)
    assert not ALLOWED_TRANSITIONS[S.CANCELLED]
    assert not ALLOWED_TRANSITIONS[S.EXPIRED]


def invite(secret: str, **changes: object) -> Invite:
    data = {"secret_hash": invites.hash_secret(secret), "expires_at": NOW + timedelta(days=1), "max_uses": 3}
    data.update(changes)
    return Invite.model_validate(data)


def test_secrets_have_at_least_128_bits_and_only_hashes_match() -> None:
    secrets = {invites.new_secret() for _ in range(100)}
    assert len(secrets) == 100
    assert all(len(s) >= 43 for s in secrets)  # 32 bytes of urlsafe base64
    secret = secrets.pop()
    assert invites.secret_matches(secret, invites.hash_secret(secret))
    assert not invites.secret_matches(secret + "x", invites.hash_secret(secret))
    assert invites.hash_secret(secret) != secret


def test_token_request_policy_order() -> None:
    secret = invites.new_secret()
    ok = invite(secret)
    assert invites.check_token_request(ok, S.INVITED, secret, NOW, rate_limit_per_minute=5) == []

    def refusal(inv: Invite, status: S, presented: str = secret) -> errors.DomainError:
        with pytest.raises(errors.DomainError) as raised:
            invites.check_token_request(inv, status, presented, NOW, rate_limit_per_minute=2)
        return raised.value

    assert type(refusal(ok, S.INVITED, presented="wrong" * 10)) is errors.InvalidInvite
    # A wrong secret learns nothing, not even that the interview is finished.
    assert type(refusal(ok, S.EVALUATED, presented="wrong" * 10)) is errors.InvalidInvite
    assert type(refusal(ok, S.COMPLETED)) is errors.InterviewFinished
    assert type(refusal(ok, S.CANCELLED)) is errors.InviteCancelled
    assert type(refusal(invite(secret, expires_at=NOW), S.INVITED)) is errors.InviteExpired
    assert type(refusal(invite(secret, uses=3), S.IN_PROGRESS)) is errors.InviteUsedUp
    recent = [NOW - timedelta(seconds=10), NOW - timedelta(seconds=5)]
    limited = refusal(invite(secret, recent_token_requests=recent), S.INVITED)
    assert isinstance(limited, errors.TokenRateLimited)
    assert limited.retry_after_seconds == 51  # the oldest request leaves the minute in 50 s
    old = [NOW - timedelta(minutes=5), NOW - timedelta(minutes=2)]
    assert (
        invites.check_token_request(
            invite(secret, recent_token_requests=old), S.INVITED, secret, NOW, rate_limit_per_minute=2
        )
        == []
    )


def test_plan_normalisation_weights_dedup_and_orphan_questions() -> None:
    plan = SkillPlan(
        skills=[
            Skill(name="SQL", weight=0.6),
            Skill(name="sql", weight=0.9),
            Skill(name="Python", weight=0.2),
        ],
        question_plan=[
            PlannedQuestion(skill="sql", question="Tell me about a query you optimised."),
            PlannedQuestion(skill="Kubernetes", question="How do you roll out a deployment?"),
            PlannedQuestion(skill="Python", question="How do you test your Python code?"),
        ],
    ).normalised()
    assert [s.name for s in plan.skills] == ["SQL", "Python"]
    assert abs(sum(s.weight for s in plan.skills) - 1) < 1e-3
    assert [q.skill for q in plan.question_plan] == ["SQL", "Python"]
    with pytest.raises(ValueError, match="question plan"):
        SkillPlan(
            skills=[Skill(name="SQL", weight=1)],
            question_plan=[PlannedQuestion(skill="Go", question="What is a goroutine?")],
        ).normalised()


def test_create_request_bounds_and_control_characters() -> None:
    base = {
        "candidate": {"name": "Ada", "email": "ada@example.com"},
        "role": "Engineer",
        "job_description": "A" * 40,
    }
    assert CreateInterviewRequest.model_validate(base).duration_minutes == 20
    with pytest.raises(ValueError, match="control"):
        CreateInterviewRequest.model_validate({**base, "role": "Eng\x00ineer"})
    with pytest.raises(ValueError, match="at most 20000"):
        CreateInterviewRequest.model_validate({**base, "job_description": "A" * 20_001})


def test_webhook_signature_binds_body_secret_and_time() -> None:
    body = b'{"interview_id": "abc"}'
    signature = webhook_signature.sign("s3cret", 1000, body)
    assert webhook_signature.verify("s3cret", "1000", signature, body, now=1010, max_skew_seconds=300)
    assert not webhook_signature.verify("other", "1000", signature, body, now=1010, max_skew_seconds=300)
    assert not webhook_signature.verify(
        "s3cret", "1000", signature, body + b" ", now=1010, max_skew_seconds=300
    )
    assert not webhook_signature.verify("s3cret", "1000", signature, body, now=2000, max_skew_seconds=300)
    assert not webhook_signature.verify("s3cret", "abc", signature, body, now=1010, max_skew_seconds=300)
    assert not webhook_signature.verify("s3cret", None, signature, body, now=1010, max_skew_seconds=300)
