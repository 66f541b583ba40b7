"""Candidate room tokens, minted with livekit-api. Least privilege: one room, microphone only."""

from __future__ import annotations

import copy
import functools
import json
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..settings import Settings

if TYPE_CHECKING:
    from livekit import api

_PLACEHOLDER_ID = "interview-id-placeholder-0f3c9a"
"""Stands for the interview id in the claims template; must not occur anywhere else in it."""


def room_name(interview_id: str) -> str:
    return f"interview-{interview_id}"


def candidate_identity(interview_id: str) -> str:
    return f"candidate-{interview_id}"


def candidate_access_token(settings: Settings, interview_id: str) -> api.AccessToken:
    """livekit-api's token for this interview's candidate: joins only its room, publishes only the
    microphone, and dispatches the interviewer.

    The dispatch metadata carries only the interview id: the agent reads everything else from
    Firestore, so nothing private travels in the token.
    """
    return _access_token(
        settings.livekit_api_key,
        settings.secret("livekit_api_secret"),
        settings.agent_name,
        timedelta(minutes=settings.livekit_token_ttl_minutes),
        interview_id,
    )


def _access_token(
    api_key: str, api_secret: str, agent_name: str, ttl: timedelta, interview_id: str
) -> api.AccessToken:
    from livekit import api  # imported on first use: it pulls in aiohttp

    grants = api.VideoGrants(
        room_join=True,
        room=room_name(interview_id),
        can_publish=True,
        can_publish_sources=["microphone"],
        can_subscribe=True,
        can_publish_data=False,
        can_update_own_metadata=False,
        room_create=False,
        room_admin=False,
        room_list=False,
        room_record=False,
        hidden=False,
    )
    dispatch = api.RoomAgentDispatch(agent_name=agent_name, metadata=_dispatch_metadata(interview_id))
    return (
        api.AccessToken(api_key, api_secret)
        .with_identity(candidate_identity(interview_id))
        .with_kind("standard")
        .with_ttl(ttl)
        .with_grants(grants)
        .with_room_config(api.RoomConfiguration(agents=[dispatch]))
    )


def candidate_token(settings: Settings, interview_id: str) -> str:
    """The signed JWT of candidate_access_token, with a lifetime of livekit_token_ttl_minutes.

    livekit-api turns its claims into a dict with `dataclasses.asdict` on every token, most of the
    0.10-0.16 ms a token took on the candidate's join path; this takes ~0.03 ms. The claims differ
    between interviews only in the room, the identity and the dispatch metadata, so livekit-api's
    dict is made once per process for a placeholder interview and those three are filled in; the
    token is then signed with PyJWT (HS256), as livekit-api's own `to_jwt` does. tests/unit prove
    that it decodes to the same claims as livekit-api's `to_jwt`. If a livekit-api version placed
    the interview id anywhere else, the template is refused and every token is made by livekit-api.
    """
    template = _claims_template(settings.livekit_api_key, settings.agent_name)
    if template is None:
        return candidate_access_token(settings, interview_id).to_jwt()
    import jwt

    metadata = _dispatch_metadata(interview_id)
    room_config = template["roomConfig"]
    not_before = int(time.time())
    claims = {
        **template,  # the template's own dicts are copied where they change, never changed
        "video": {**template["video"], "room": room_name(interview_id)},
        "roomConfig": {**room_config, "agents": [{**a, "metadata": metadata} for a in room_config["agents"]]},
        "sub": candidate_identity(interview_id),
        "iss": settings.livekit_api_key,
        "nbf": not_before,
        "exp": not_before + settings.livekit_token_ttl_minutes * 60,
    }
    return jwt.encode(claims, settings.secret("livekit_api_secret"), algorithm="HS256")


def _dispatch_metadata(interview_id: str) -> str:
    return json.dumps({"interview_id": interview_id})


@functools.cache
def _claims_template(api_key: str, agent_name: str) -> dict[str, Any] | None:
    """livekit-api's claims for a placeholder interview, or None when they hold the interview id
    somewhere other than the three places candidate_token fills in."""
    token = _access_token(api_key, "unused", agent_name, timedelta(minutes=1), _PLACEHOLDER_ID)
    claims: dict[str, Any] = token.claims.asdict()
    try:
        rest = copy.deepcopy(claims)
        del rest["video"]["room"]
        for agent in rest["roomConfig"]["agents"]:
            del agent["metadata"]
    except (KeyError, TypeError):
        return None
    return None if _PLACEHOLDER_ID in json.dumps(rest) else claims
