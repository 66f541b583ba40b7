"""Candidate room tokens, minted with livekit-api. Least privilege: one room, microphone only."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from typing import TYPE_CHECKING

from ..settings import Settings

if TYPE_CHECKING:
    from livekit import api


def room_name(interview_id: str) -> str:
    return f"interview-{interview_id}"


def candidate_identity(interview_id: str) -> str:
    return f"candidate-{interview_id}"


WARM_ATTRIBUTE = "interviewer.warm"
"""Participant attribute of a candidate who joined ahead of the interview (the warm start): set in
the token, so the candidate cannot change it (no metadata grant). The agent reads it on joining and
then waits for the candidate's microphone, their "Start", before it begins and greets."""


def room_timeout_seconds(settings: Settings) -> int:
    """How long LiveKit keeps the room after the candidate leaves (departure timeout) or before anyone
    joins (empty timeout): the agent's rejoin grace plus the time it needs to finish, so a candidate
    who rejoins within the grace finds the room, and the agent ends the interview itself (as
    "candidate_left") rather than being shut down by the room's closing. LiveKit's own default is 20 s."""
    return math.ceil(settings.rejoin_grace_seconds) + settings.room_close_margin_seconds


def dispatch_metadata(interview_id: str, traceparent: str | None = None) -> str:
    """What an agent dispatch for the interview carries: its id, and the trace context if any."""
    metadata = {"interview_id": interview_id}
    if traceparent:
        metadata["traceparent"] = traceparent
    return json.dumps(metadata)


def candidate_access_token(
    settings: Settings, interview_id: str, traceparent: str | None = None, *, warm: bool = False
) -> api.AccessToken:
    """livekit-api's token for this interview's candidate: joins only its room, publishes only the
    microphone, and dispatches the interviewer.

    The dispatch metadata carries only the interview id (and the W3C traceparent of the interview's
    trace, when traces are on): the agent reads everything else from Firestore, so nothing private
    travels in the token. The room configuration (applied when this token's join creates the room)
    sets the departure and empty timeouts to cover the rejoin grace. A warm token (the page joins
    during the microphone check) carries the WARM_ATTRIBUTE participant attribute.
    """
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
    dispatch = api.RoomAgentDispatch(
        agent_name=settings.agent_name, metadata=dispatch_metadata(interview_id, traceparent)
    )
    token = (
        api.AccessToken(settings.livekit_api_key, settings.secret("livekit_api_secret"))
        .with_identity(candidate_identity(interview_id))
        .with_kind("standard")
        .with_ttl(timedelta(minutes=settings.livekit_token_ttl_minutes))
        .with_grants(grants)
        .with_room_config(
            api.RoomConfiguration(
                agents=[dispatch],
                departure_timeout=room_timeout_seconds(settings),
                empty_timeout=room_timeout_seconds(settings),
            )
        )
    )
    return token.with_attributes({WARM_ATTRIBUTE: "1"}) if warm else token


def candidate_token(
    settings: Settings, interview_id: str, traceparent: str | None = None, *, warm: bool = False
) -> str:
    """The signed JWT of candidate_access_token, valid for livekit_token_ttl_minutes."""
    return candidate_access_token(settings, interview_id, traceparent, warm=warm).to_jwt()
