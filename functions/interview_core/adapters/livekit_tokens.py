"""Candidate room tokens, minted with livekit-api. Least privilege: one room, microphone only."""

from __future__ import annotations

import json
from datetime import timedelta

from ..settings import Settings


def room_name(interview_id: str) -> str:
    return f"interview-{interview_id}"


def candidate_identity(interview_id: str) -> str:
    return f"candidate-{interview_id}"


def candidate_token(settings: Settings, interview_id: str) -> str:
    """A short-lived token that joins only this interview's room and dispatches the interviewer.

    The dispatch metadata carries only the interview id: the agent reads everything else from
    Firestore, so nothing private travels in the token.
    """
    from livekit import api  # imported on first use: it pulls in aiohttp

    room = room_name(interview_id)
    grants = api.VideoGrants(
        room_join=True,
        room=room,
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
    dispatch = api.RoomAgentDispatch(
        agent_name=settings.agent_name, metadata=json.dumps({"interview_id": interview_id})
    )
    return (
        api.AccessToken(settings.livekit_api_key, settings.secret("livekit_api_secret"))
        .with_identity(candidate_identity(interview_id))
        .with_kind("standard")
        .with_ttl(timedelta(minutes=settings.livekit_token_ttl_minutes))
        .with_grants(grants)
        .with_room_config(api.RoomConfiguration(agents=[dispatch]))
        .to_jwt()
    )
