"""Server-side control of interview rooms through livekit-api (the api's key, never a client's)."""

from __future__ import annotations

import asyncio
import logging

from ..settings import Settings
from .livekit_tokens import dispatch_metadata, room_name

log = logging.getLogger(__name__)


def close_room(settings: Settings, interview_id: str, timeout_seconds: float = 5.0) -> bool:
    """Delete the interview's room, which disconnects the candidate and the agent at once.

    True when a room was closed, False when there was none (the candidate never joined, or the
    interview had already ended). Raises when LiveKit cannot be reached: the caller decides whether
    that matters.
    """
    return asyncio.run(_close_room(settings, room_name(interview_id), timeout_seconds))


async def _close_room(settings: Settings, room: str, timeout_seconds: float) -> bool:
    import aiohttp
    from livekit import api

    async with api.LiveKitAPI(
        settings.livekit_url,
        settings.livekit_api_key,
        settings.secret("livekit_api_secret"),
        timeout=aiohttp.ClientTimeout(total=timeout_seconds),
    ) as livekit:
        try:
            await livekit.room.delete_room(api.DeleteRoomRequest(room=room))
        except api.TwirpError as error:
            if error.code == api.TwirpErrorCode.NOT_FOUND:
                return False
            raise
    return True


def ensure_agent(
    settings: Settings, interview_id: str, traceparent: str | None = None, timeout_seconds: float = 5.0
) -> bool:
    """Before a candidate rejoins a running interview: when its room still exists but no agent is in
    it, dispatch the interviewer into it. True when it dispatched one.

    The room outlives a candidate who left by the rejoin grace (livekit_tokens.room_timeout_seconds),
    and the token's agent dispatch only applies when a join creates the room. So when the worker that
    held the interview died (a crash, an OOM kill), the candidate who comes back would wait in a room
    no agent ever joins: a self-hosted LiveKit server does not dispatch a dead worker's job again
    (LiveKit Cloud does). The new agent continues the interview from its stored turns.
    """
    metadata = dispatch_metadata(interview_id, traceparent)
    return asyncio.run(_ensure_agent(settings, room_name(interview_id), metadata, timeout_seconds))


async def _ensure_agent(settings: Settings, room: str, metadata: str, timeout_seconds: float) -> bool:
    import aiohttp
    from livekit import api

    async with api.LiveKitAPI(
        settings.livekit_url,
        settings.livekit_api_key,
        settings.secret("livekit_api_secret"),
        timeout=aiohttp.ClientTimeout(total=timeout_seconds),
    ) as livekit:
        rooms = await livekit.room.list_rooms(api.ListRoomsRequest(names=[room]))
        if not rooms.rooms:
            return False  # the candidate's join creates it, and the token's dispatch applies
        present = await livekit.room.list_participants(api.ListParticipantsRequest(room=room))
        if any(p.kind == api.ParticipantInfo.AGENT for p in present.participants):
            return False
        await livekit.agent_dispatch.create_dispatch(
            api.CreateAgentDispatchRequest(agent_name=settings.agent_name, room=room, metadata=metadata)
        )
    log.info("agent dispatched into a room without one")
    return True
