"""Candidate tokens: exactly the grants a candidate needs, checked the way LiveKit reads them."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from livekit import api
from livekit.api.access_token import Claims

from interview_core.adapters import livekit_tokens
from interview_core.settings import Settings

SECRET = "a-test-secret-of-at-least-thirty-two-bytes"


def _settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"livekit_api_key": "testkey", "livekit_api_secret": SECRET, **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _verified(token: str) -> Claims:
    return api.TokenVerifier("testkey", SECRET).verify(token)


@pytest.mark.parametrize("interview_id", ["aaaaaaaaaaaaaaaaaaaa", "b-_1"])
def test_the_candidate_may_join_only_its_room_and_publish_only_the_microphone(interview_id: str) -> None:
    claims = _verified(livekit_tokens.candidate_token(_settings(), interview_id))
    assert claims.identity == f"candidate-{interview_id}"
    assert claims.kind == "standard"
    video = claims.video
    assert video is not None
    assert video.room_join is True
    assert video.room == f"interview-{interview_id}"
    assert video.can_publish is True
    assert video.can_publish_sources == ["microphone"]
    assert video.can_subscribe is True
    assert video.can_publish_data is False
    assert video.can_update_own_metadata is False
    assert video.hidden is False
    assert not video.room_admin
    assert not video.room_create
    assert not video.room_list
    assert not video.room_record
    assert not video.destination_room
    assert not video.ingress_admin
    assert not video.recorder
    assert not video.agent
    assert claims.sip is None or (not claims.sip.admin and not claims.sip.call)
    assert not claims.metadata
    assert not claims.attributes


def test_a_warm_token_says_so_in_an_attribute_and_grants_nothing_more() -> None:
    """The warm start: the agent reads the attribute to wait for the candidate's Start (their
    microphone); it is in the signed token, which the candidate cannot change (no metadata grant)."""
    cold = _verified(livekit_tokens.candidate_token(_settings(), "abc123"))
    warm = _verified(livekit_tokens.candidate_token(_settings(), "abc123", warm=True))
    assert warm.attributes == {livekit_tokens.WARM_ATTRIBUTE: "1"}
    assert not cold.attributes
    assert warm.video == cold.video
    assert warm.video is not None
    assert warm.video.can_update_own_metadata is False
    assert warm.room_config == cold.room_config


def test_the_token_dispatches_the_interviewer_with_only_the_interview_id() -> None:
    claims = _verified(livekit_tokens.candidate_token(_settings(agent_name="screening-agent"), "abc123"))
    assert claims.room_config is not None
    agents = list(claims.room_config.agents)
    assert [agent.agent_name for agent in agents] == ["screening-agent"]
    assert json.loads(agents[0].metadata) == {"interview_id": "abc123"}


@pytest.mark.parametrize("ttl_minutes", [1, 10, 60])
def test_the_token_lives_for_the_configured_minutes(ttl_minutes: int) -> None:
    token = livekit_tokens.candidate_token(_settings(livekit_token_ttl_minutes=ttl_minutes), "abc123")
    times = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_aud": False})
    assert times["exp"] - times["nbf"] == ttl_minutes * 60
    assert abs(times["nbf"] - time.time()) <= 2
    assert times["iss"] == "testkey"


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = livekit_tokens.candidate_token(_settings(), "abc123")
    with pytest.raises(jwt.InvalidSignatureError):
        api.TokenVerifier("testkey", "another-secret-of-at-least-thirty-two-bytes").verify(token)


def test_tokens_of_two_interviews_share_nothing_of_either() -> None:
    first = _verified(livekit_tokens.candidate_token(_settings(), "first-interview"))
    second = _verified(livekit_tokens.candidate_token(_settings(), "second-interview"))
    assert first.video is not None
    assert second.video is not None
    assert (first.video.room, second.video.room) == (
        "interview-first-interview",
        "interview-second-interview",
    )
    assert first.room_config is not None
    assert "second" not in first.room_config.agents[0].metadata


@pytest.mark.parametrize(("grace", "margin", "expected"), [(60.0, 30, 90), (32.5, 30, 63), (0.0, 5, 5)])
def test_the_room_outlives_the_rejoin_grace(grace: float, margin: int, expected: int) -> None:
    """LiveKit closes a room 20 s after the candidate leaves by default, long before a 60 s grace ends:
    the token's room configuration keeps it for the grace plus the agent's time to finish."""
    settings = _settings(rejoin_grace_seconds=grace, room_close_margin_seconds=margin)
    claims = _verified(livekit_tokens.candidate_token(settings, "abc123"))
    assert claims.room_config is not None
    assert claims.room_config.departure_timeout == expected
    assert claims.room_config.empty_timeout == expected
    assert expected >= grace


def test_the_agent_and_the_api_read_the_same_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    from agent_worker.config import AgentSettings

    assert Settings(_env_file=None).rejoin_grace_seconds == AgentSettings(_env_file=None).rejoin_grace_seconds  # type: ignore[call-arg]
    monkeypatch.setenv("REJOIN_GRACE_SECONDS", "45")
    assert Settings(_env_file=None).rejoin_grace_seconds == 45  # type: ignore[call-arg]
    assert AgentSettings(_env_file=None).rejoin_grace_seconds == 45  # type: ignore[call-arg]
