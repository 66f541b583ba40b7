"""A planned shutdown hands every live interview to another worker instead of cutting it.

Cloud Run sends SIGTERM on a deploy, a scale-in or maintenance and kills the instance 10 s later; an
interview lasts many minutes, so draining cannot wait for it. Instead:

1. The worker's drain (livekit-agents runs it on SIGTERM under `start`) first marks the worker full, so
   LiveKit sends it no new job, then asks each running job to hand over: a data message on
   HANDOVER_TOPIC, sent through LiveKit's server API to the job's agent participant. That works for
   job processes and threads alike (job processes ignore SIGTERM) and no participant can forge it: a
   candidate's token may not publish data, and the job accepts only server-sent packets.
2. The job shows the candidate a caption ("one moment"), stops its Live session without ending the
   interview (controller.hand_over: the pending answer committed, every turn stored), notes the
   hand-over on the interview document (status stays `in_progress`), creates a new dispatch of the
   same agent for the same room with the same metadata, waits for the new agent to join, and leaves.
   LiveKit does not dispatch again by itself when an agent leaves a room whose candidate stays (the
   token's dispatch happens when the room is created), so the explicit dispatch is what brings the
   next agent; the draining worker is full, so LiveKit gives it to another worker.
3. The new agent takes the interview as any rejoin: it is `in_progress`, its turns are read, new ones
   are numbered after them, and the instructions say which questions were asked. It marks the note
   taken and logs how long the hand-over took.

Everything runs within AGENT_HANDOVER_BUDGET_SECONDS of the signal (7 by default: Cloud Run kills the
instance 10 s after SIGTERM, and the worker needs up to about 3 s to exit once its jobs have ended).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

from livekit import api, rtc
from livekit.agents import AgentServer, JobContext

from interview_core.adapters.firestore_store import InterviewStore

from . import lifecycle
from .controller import InterviewController

log = logging.getLogger("agent_worker.handover")

HANDOVER_TOPIC = "interviewer.handover"
SHUTDOWN_REASON = "worker_shutdown"
# Shown to the candidate as an interviewer caption while the next agent joins (see `show_notice`).
NOTICE = "One moment, please: I'm reconnecting and will be right back."
# Shown instead when no other agent joined in time (no other worker registered, e.g. a single instance).
NO_SUCCESSOR_NOTICE = (
    "Sorry, I could not reconnect. Please open your invite link again in a minute to continue."
)
NOTICE_SEGMENT_PREFIX = "handover-"
ASK_AGAIN_SECONDS = 0.5

T = TypeVar("T")


# -- the worker's side: ask every running job to hand over -----------------------------------------


def handover_request(reason: str = SHUTDOWN_REASON) -> bytes:
    return json.dumps({"handover": reason, "sent_at": time.time()}).encode()


async def ask_jobs_to_hand_over(server: AgentServer, lk: api.LiveKitAPI, until: asyncio.Future[None]) -> int:
    """Send every running job the hand-over request, and again to jobs that start later (an interview
    accepted just before the drain), until `until` is done. Returns how many jobs were asked."""
    asked: set[str] = set()
    while not until.done():
        for info in server.active_jobs:
            if info.job.id in asked or info.fake_job:
                continue
            asked.add(info.job.id)
            try:
                await lk.room.send_data(
                    api.SendDataRequest(
                        room=info.job.room.name,
                        data=handover_request(),
                        kind=api.DataPacket.Kind.RELIABLE,
                        destination_identities=[info.accept_arguments.identity],
                        topic=HANDOVER_TOPIC,
                    )
                )
            except Exception as error:
                asked.discard(info.job.id)  # asked again on the next round
                log.warning(
                    "asking a job to hand over failed",
                    extra={"job_id": info.job.id, "error": type(error).__name__},
                )
                continue
            log.info("asked a job to hand over", extra={"job_id": info.job.id, "room": info.job.room.name})
        await asyncio.wait({until}, timeout=ASK_AGAIN_SECONDS)
    return len(asked)


# -- the job's side ---------------------------------------------------------------------------------


@dataclass
class HandoverSignal:
    """Set when the worker asks this job to hand over; the time it arrived starts the budget."""

    requested: asyncio.Event = field(default_factory=asyncio.Event)
    at: float = 0.0
    reason: str = ""

    def listen(self, room: rtc.Room) -> None:
        room.on("data_received", self.on_data)

    def on_data(self, packet: rtc.DataPacket) -> None:
        # Only LiveKit's server API sends without a participant; a candidate cannot publish data at all.
        if packet.topic != HANDOVER_TOPIC or packet.participant is not None or self.requested.is_set():
            return
        try:
            self.reason = str(json.loads(packet.data).get("handover") or SHUTDOWN_REASON)
        except ValueError:
            self.reason = SHUTDOWN_REASON
        self.at = time.monotonic()
        self.requested.set()

    async def first(self, work: Awaitable[T]) -> T | None:
        """`work`'s result, or None (and `work` cancelled) when the hand-over is asked for first."""
        task = asyncio.ensure_future(work)
        asked = asyncio.ensure_future(self.requested.wait())
        try:
            await asyncio.wait({task, asked}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            asked.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        return None


@dataclass
class HandoverResult:
    dispatched: bool
    successor_joined: bool
    turns_stored: bool
    seconds: float


async def hand_over(
    ctx: JobContext,
    signal: HandoverSignal,
    *,
    interview_id: str,
    agent_name: str,
    budget: float,
    store: InterviewStore | None = None,
    controller: InterviewController | None = None,
) -> HandoverResult:
    """Pass this job's interview to another agent within `budget` seconds of the request, then leave
    the room. `controller` is None when the interview had not started yet (no candidate in the room)."""
    deadline = signal.at + budget
    extra = {"interview_id": interview_id, "reason": signal.reason}
    log.info("handing the interview over to another agent", extra=extra)
    notice = asyncio.ensure_future(show_notice(ctx.room, ctx.job.id))

    turns_stored, next_seq = True, 0
    if controller is not None:
        # Most of the budget: waiting for the answer's transcript, closing and storing. Three seconds
        # stay for the note, the dispatch and the next agent's arrival (under a second here) and for
        # telling the candidate when nobody came.
        remaining = deadline - time.monotonic()
        turns_stored = await controller.hand_over(
            timeout=max(2.0, remaining - 2.0), answer_wait=max(0.5, remaining - 3.0)
        )
        next_seq = controller.writer.next_seq
    store = store or InterviewStore()
    try:
        still_joinable = await asyncio.to_thread(
            lifecycle.record_handover,
            store,
            interview_id,
            reason=signal.reason,
            job_id=ctx.job.id,
            next_seq=next_seq,
            turns_stored=turns_stored,
        )
    except Exception as error:  # the note is for people; the next agent works without it
        log.warning("noting the hand-over failed", extra={**extra, "error": type(error).__name__})
        still_joinable = True

    dispatch: str | None = None
    joined = False
    if still_joinable:
        dispatch = await dispatch_successor(ctx, agent_name, extra)
    else:
        log.info("the interview ended meanwhile; nothing to hand over", extra=extra)
    if dispatch is not None:
        # Keep the budget's last second to tell the candidate when nobody came.
        joined = await wait_for_successor(ctx.room, max(0.0, deadline - time.monotonic() - 1.0))
    with contextlib.suppress(Exception):
        await asyncio.wait_for(notice, max(0.1, deadline - time.monotonic()))
    if still_joinable and not joined:
        if dispatch is not None and await successor_assigned(ctx, dispatch):
            log.warning("the next agent is still joining; leaving before it", extra=extra)
        else:
            # LiveKit does not offer the dispatch again to a worker that registers later (checked
            # against the local server). The interview stays in_progress: once the empty room has
            # closed, the candidate's link creates a new one, whose dispatch brings a new agent.
            log.error("no other agent took the interview over", extra={**extra, "dispatched": bool(dispatch)})
            with contextlib.suppress(Exception):
                alone = show_notice(ctx.room, ctx.job.id, NO_SUCCESSOR_NOTICE, "-alone")
                await asyncio.wait_for(alone, max(0.5, deadline - time.monotonic()))
    dispatched = dispatch is not None
    seconds = time.monotonic() - signal.at
    log.info(
        "leaving the room after the hand-over",
        extra={
            **extra,
            "dispatched": dispatched,
            "successor_joined": joined,
            "turns_stored": turns_stored,
            "handover_ms": round(seconds * 1000),
        },
    )
    with contextlib.suppress(Exception):
        await ctx.room.disconnect()
    ctx.shutdown(reason="handed over")
    return HandoverResult(dispatched, joined, turns_stored, seconds)


async def dispatch_successor(ctx: JobContext, agent_name: str, extra: dict[str, str]) -> str | None:
    """A new dispatch of this agent for this room, with this job's metadata (the interview id): its id,
    or None when it could not be created."""
    try:
        request = api.CreateAgentDispatchRequest(
            agent_name=agent_name, room=ctx.room.name, metadata=ctx.job.metadata
        )
        dispatch = await ctx.api.agent_dispatch.create_dispatch(request)
    except Exception as error:
        log.error("dispatching the next agent failed", extra={**extra, "error": type(error).__name__})
        return None
    log.info("dispatched the next agent", extra={**extra, "dispatch_id": dispatch.id})
    return str(dispatch.id)


async def successor_assigned(ctx: JobContext, dispatch_id: str) -> bool:
    """Whether a worker has taken the dispatch (its agent is then on its way into the room)."""
    with contextlib.suppress(Exception):
        dispatches = await asyncio.wait_for(ctx.api.agent_dispatch.list_dispatch(ctx.room.name), 1.0)
        return any(d.id == dispatch_id and len(d.state.jobs) > 0 for d in dispatches)
    return False


async def wait_for_successor(room: rtc.Room, timeout: float) -> bool:
    """Until another agent is in the room (the candidate's page then never sees the room without an
    interviewer), at most `timeout` seconds."""
    me = room.local_participant.identity

    def successor_present() -> bool:
        return any(
            p.kind == rtc.ParticipantKind.PARTICIPANT_KIND_AGENT and p.identity != me
            for p in room.remote_participants.values()
        )

    joined = asyncio.Event()

    def on_connected(participant: rtc.RemoteParticipant) -> None:
        if successor_present():
            joined.set()

    room.on("participant_connected", on_connected)
    try:
        if successor_present():
            return True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(joined.wait(), timeout)
        return joined.is_set()
    finally:
        room.off("participant_connected", on_connected)


async def show_notice(room: rtc.Room, job_id: str, text: str = NOTICE, segment: str = "") -> None:
    """The notice as a final interviewer caption: the candidate page's captions show every
    `lk.transcription` text stream from the agent, so no change to the page is needed.

    Not spoken: Gemini Live needs one to two seconds before it speaks a note and more to say it, which
    the hand-over's budget cannot spare, and a model in the middle of a reconnect says nothing at all.
    """
    try:
        writer = await room.local_participant.stream_text(
            topic="lk.transcription",
            attributes={
                "lk.segment_id": f"{NOTICE_SEGMENT_PREFIX}{job_id}{segment}",
                "lk.transcription_final": "true",
            },
        )
        await writer.write(text)
        await writer.aclose()
    except Exception as error:
        log.warning("showing the hand-over notice failed", extra={"error": type(error).__name__})
