"""Server-side control of interview rooms through livekit-api (the api's key, never a client's)."""

from __future__ import annotations

import asyncio
import logging

from ..settings import Settings
from .livekit_tokens import room_name

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
