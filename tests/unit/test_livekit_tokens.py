"""Candidate tokens: the same claims livekit-api's own to_jwt makes, for every interview."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from livekit import api

from interview_core.adapters import livekit_tokens
from interview_core.settings import Settings

SECRET = "a-test-secret-of-at-least-thirty-two-bytes"


def _settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"livekit_api_key": "testkey", "livekit_api_secret": SECRET, **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _decoded(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, SECRET, algorithms=["HS256"]))


def _livekit_own(settings: Settings, interview_id: str) -> dict[str, Any]:
    return _decoded(livekit_tokens.candidate_access_token(settings, interview_id).to_jwt())


def _same_apart_from_times(ours: dict[str, Any], theirs: dict[str, Any], ttl_minutes: int) -> None:
    times = ("nbf", "exp")
    assert {k: v for k, v in ours.items() if k not in times} == {
        k: v for k, v in theirs.items() if k not in times
    }
    assert ours["exp"] - ours["nbf"] == ttl_minutes * 60
    assert abs(ours["nbf"] - theirs["nbf"]) <= 1
    assert abs(ours["nbf"] - time.time()) <= 2


def test_tokens_carry_the_claims_livekit_api_makes_for_each_interview() -> None:
    settings = _settings(livekit_token_ttl_minutes=7)
    # A, B, then A again: filling in one interview must not leave a trace in the next.
    for interview_id in ("aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaaaaaa"):
        ours = _decoded(livekit_tokens.candidate_token(settings, interview_id))
        _same_apart_from_times(ours, _livekit_own(settings, interview_id), 7)
        assert ours["sub"] == f"candidate-{interview_id}"
        assert ours["video"]["room"] == f"interview-{interview_id}"
        assert ours["roomConfig"]["agents"][0]["metadata"] == '{"interview_id": "' + interview_id + '"}'
        claims = api.TokenVerifier("testkey", SECRET).verify(
            livekit_tokens.candidate_token(settings, interview_id)
        )
        assert claims.video is not None
        assert claims.video.can_publish_sources == ["microphone"]


def test_without_a_template_it_can_trust_every_token_is_made_by_livekit_api() -> None:
    """An agent name that contains the template's placeholder puts the interview id where the
    template does not fill it in: the template is refused and livekit-api makes the token."""
    agent_name = f"agent-{livekit_tokens._PLACEHOLDER_ID}"
    assert livekit_tokens._claims_template("testkey", agent_name) is None
    settings = _settings(agent_name=agent_name)
    ours = _decoded(livekit_tokens.candidate_token(settings, "cccccccccccccccccccc"))
    _same_apart_from_times(ours, _livekit_own(settings, "cccccccccccccccccccc"), 10)


@pytest.mark.parametrize("agent_name", ["interviewer", "screening-agent"])
def test_the_template_is_made_once_per_key_and_agent(agent_name: str) -> None:
    first = livekit_tokens._claims_template("testkey", agent_name)
    assert first is not None
    assert first is livekit_tokens._claims_template("testkey", agent_name)
    assert first["roomConfig"]["agents"][0]["agentName"] == agent_name
