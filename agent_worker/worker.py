"""The LiveKit Agents worker: registered for explicit dispatch as `interviewer`, one job per interview.

A candidate's token names the agent and carries `{"interview_id": ...}` as dispatch metadata; nothing
else travels in it. The job reads the interview from Firestore, refuses anything that is not invited or
in progress (a rejoin), waits for the candidate, marks the interview started, and runs the interview
(controller.py) on Gemini Live. When it ends, the room is deleted so the candidate's page shows the end.
When the worker shuts down first, the job hands the interview to another worker instead (handover.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from livekit import api, rtc
from livekit.agents import (
    NOT_GIVEN,
    AgentServer,
    AgentSession,
    AutoSubscribe,
    JobContext,
    JobExecutorType,
    JobProcess,
    NotGivenOr,
)
from livekit.agents.voice import room_io

from interview_core import metrics, tracing
from interview_core.adapters import livekit_tokens
from interview_core.adapters.firestore_store import InterviewStore
from interview_core.domain.models import Interview, Turn
from interview_core.observability import interview_id_var
from interview_core.settings import Settings, get_settings

from . import handover, lifecycle, tracing_setup
from .capacity import InterviewLoad
from .config import AgentSettings, get_agent_settings
from .controller import InterviewController
from .latency import SpeechTap
from .model import build_realtime_model, model_name
from .warmup import warm_up

log = logging.getLogger("agent_worker")

SHUTDOWN_FINISH_SECONDS = 12.0
"""How long ending takes at most once the room is gone or the job shuts down: livekit-agents waits
15 s for the entrypoint to return before cancelling it (and the interview with it)."""
BACKGROUND: set[asyncio.Future[None]] = set()  # tasks nobody awaits, kept until they are done


@dataclass(frozen=True)
class JoinedInterview:
    """An interview the candidate has joined and that is now in progress: what the later steps need."""

    interview: Interview
    previous_turns: list[Turn]
    store: InterviewStore
    candidate: str  # the candidate's participant identity in the room
    timings: dict[str, int]
    warm: bool = False
    """The candidate joined ahead (a warm token, no microphone yet): the interview is loaded but not
    begun; the controller begins it and greets when their microphone arrives."""

    @property
    def log_extra(self) -> dict[str, str]:
        return {"interview_id": self.interview.id}


def build_session(
    settings: Settings, agent_settings: AgentSettings, instructions: str, interview: Interview | None = None
) -> AgentSession:
    """An AgentSession on Gemini Live: the model detects turns itself, so no local VAD or STT."""
    return AgentSession(
        llm=build_realtime_model(settings, agent_settings, instructions, interview),
        vad=None,
        turn_handling={"turn_detection": "realtime_llm"},
        user_away_timeout=None,
    )


async def entrypoint(ctx: JobContext) -> None:
    """One interview, from dispatch to webhook, or until the worker asks the job to hand it over."""
    settings = get_settings()
    measured = tracing_setup.install_metrics(settings)
    parent = tracing_setup.job_traceparent(ctx.job.metadata)
    traced = tracing_setup.install(settings, parent)
    try:
        # Untraced (no provider) or sampled out, this span records nothing, and neither do
        # livekit-agents' spans under it (a thread executor's provider may be another job's).
        with tracing.step("interview.live", traceparent=parent, kind=tracing.trace.SpanKind.CONSUMER) as span:
            span.set_attribute("interviewer.job_id", ctx.job.id)
            await run_job(ctx)
    finally:
        if traced:
            tracing.flush()
        if measured:  # the job process ends with the interview: send its last points now
            metrics.flush()


async def run_job(ctx: JobContext) -> None:
    """entrypoint's work, inside the interview's span when traces are on."""
    settings, agent_settings = get_settings(), get_agent_settings()
    signal = handover.HandoverSignal()
    signal.listen(ctx.room)
    joined = await signal.first(load_interview(ctx, agent_settings))
    if joined is None:
        if signal.requested.is_set() and (interview_id := job_interview_id(ctx)) is not None:
            await hand_over_unstarted(ctx, signal, interview_id, settings, agent_settings)
        return
    controller, session = build_interview(ctx, joined, settings, agent_settings)
    await run_interview(ctx, joined, controller, session, settings, agent_settings)
    await signal.first(controller.finished.wait())
    if controller.abandoned:
        with contextlib.suppress(TimeoutError):  # the session closed and the slot given back first
            await asyncio.wait_for(controller.finished.wait(), SHUTDOWN_FINISH_SECONDS)
        await close_room(ctx, joined, "warm session not started")
        return
    if signal.requested.is_set() and controller.end_reason is None:
        await handover.hand_over(
            ctx,
            signal,
            interview_id=joined.interview.id,
            agent_name=settings.agent_name,
            budget=agent_settings.agent_handover_budget_seconds,
            store=joined.store,
            controller=controller,
        )
        return
    await finish_interview(ctx, joined, controller)


async def hand_over_unstarted(
    ctx: JobContext,
    signal: handover.HandoverSignal,
    interview_id: str,
    settings: Settings,
    agent_settings: AgentSettings,
) -> None:
    """Asked to hand over before the interview ran (the candidate not in the room yet): the next
    agent waits for them instead. A job that had already refused the interview just ends."""
    if not ctx.room.isconnected():
        ctx.shutdown(reason="worker shutting down")
        return
    await handover.hand_over(
        ctx,
        signal,
        interview_id=interview_id,
        agent_name=settings.agent_name,
        budget=agent_settings.agent_handover_budget_seconds,
    )


# -- 1. load: whose interview, may it run, is the candidate there ---------------------------------


async def load_interview(ctx: JobContext, agent_settings: AgentSettings) -> JoinedInterview | None:
    """The interview once its candidate is in the room and it is marked started; None when the job
    was refused (it has then already been shut down)."""
    interview_id = job_interview_id(ctx)
    if interview_id is None:
        return None
    store = InterviewStore()
    began = time.monotonic()
    loaded = await connect_if_joinable(ctx, store, interview_id)
    if loaded is None:
        return None
    connected = time.monotonic()
    candidate = await wait_for_candidate(ctx, interview_id, agent_settings.candidate_join_timeout_seconds)
    if candidate is None:
        return None
    present = time.monotonic()
    if joined_warm(ctx.room, candidate):
        turns = await asyncio.to_thread(store.turns, interview_id)
        in_background(note_takeover(store, interview_id, ctx.job.id))
        timings = {
            "connect_ms": round((connected - began) * 1000),
            "candidate_wait_ms": round((present - connected) * 1000),
        }
        return JoinedInterview(loaded, turns, store, candidate, timings, warm=True)
    begun = await begin_interview(ctx, store, interview_id)
    if begun is None:
        return None
    interview, previous_turns = begun
    timings = {
        "connect_ms": round((connected - began) * 1000),
        "candidate_wait_ms": round((present - connected) * 1000),
        "begin_ms": round((time.monotonic() - present) * 1000),
    }
    return JoinedInterview(interview, previous_turns, store, candidate, timings)


def job_interview_id(ctx: JobContext) -> str | None:
    """The interview id from the dispatch metadata, set as every later log line's context."""
    try:
        interview_id = lifecycle.parse_job_metadata(ctx.job.metadata)
    except ValueError as error:
        log.error("refusing a job without a valid interview id", extra={"reason": str(error)})
        ctx.shutdown(reason="invalid metadata")
        return None
    ctx.log_context_fields = {"interview_id": interview_id}
    interview_id_var.set(interview_id)
    return interview_id


async def connect_if_joinable(ctx: JobContext, store: InterviewStore, interview_id: str) -> Interview | None:
    """Connect to the room while the interview is read: the two do not depend on each other and the
    candidate is waiting for the greeting. None (and the job shut down) if it may not run."""
    load = asyncio.ensure_future(asyncio.to_thread(lifecycle.load_joinable, store, interview_id))
    connect = asyncio.ensure_future(ctx.connect(auto_subscribe=AutoSubscribe.AUDIO_ONLY))
    try:
        interview = await load
    except lifecycle.NotJoinableError as refused:
        log.warning("refusing the interview", extra={"interview_id": interview_id, "status": refused.status})
        await leave_after_connecting(ctx, connect)
        ctx.shutdown(reason=f"interview is {refused.status}")
        return None
    await connect
    return interview


def joined_warm(room: rtc.Room, candidate: str) -> bool:
    """Whether the candidate joined ahead of the interview: their token says so (a participant
    attribute they cannot change) and their microphone is not live yet (not published, or published
    muted). A candidate who has already pressed Start by the time the agent is in starts the usual
    way."""
    participant = room.remote_participants.get(candidate)
    if participant is None or participant.attributes.get(livekit_tokens.WARM_ATTRIBUTE) != "1":
        return False
    return not any(microphone_live(pub) for pub in participant.track_publications.values())


def microphone_live(publication: rtc.TrackPublication) -> bool:
    """The candidate's "Start": an audio track published unmuted, or unmuted since. A warm page may
    publish its microphone muted during the device check, so Start is one signalling message (unmute)
    rather than a new track's negotiation; a muted track carries no sound."""
    return publication.kind == rtc.TrackKind.KIND_AUDIO and not publication.muted


async def leave_after_connecting(ctx: JobContext, connect: asyncio.Future[None]) -> None:
    """Let the connection finish rather than cancel it (a cancelled connect can still complete inside
    the SDK and leave the agent in the room), then leave at once."""
    await asyncio.wait({connect}, timeout=10)
    if connect.done() and not connect.cancelled() and connect.exception() is None:
        await ctx.room.disconnect()
    else:
        connect.cancel()


async def wait_for_candidate(ctx: JobContext, interview_id: str, timeout: float) -> str | None:
    """The candidate's identity once they are in the room; None (and the job shut down) when they
    never join."""
    candidate = livekit_tokens.candidate_identity(interview_id)
    try:
        await asyncio.wait_for(ctx.wait_for_participant(identity=candidate), timeout)
    except TimeoutError:
        log.warning("the candidate never joined; leaving", extra={"interview_id": interview_id})
        ctx.shutdown(reason="candidate never joined")
        return None
    return candidate


async def begin_interview(
    ctx: JobContext, store: InterviewStore, interview_id: str
) -> tuple[Interview, list[Turn]] | None:
    """Mark the interview started and read the turns of an earlier session (a rejoin); None (the room
    deleted and the job shut down) if it stopped being joinable while the candidate was joining."""
    try:
        interview, previous_turns = await asyncio.gather(
            asyncio.to_thread(lifecycle.begin, store, interview_id, datetime.now(UTC)),
            asyncio.to_thread(store.turns, interview_id),
        )
    except lifecycle.NotJoinableError as refused:
        log.warning("refusing the interview", extra={"interview_id": interview_id, "status": refused.status})
        await ctx.delete_room()
        ctx.shutdown(reason=f"interview is {refused.status}")
        return None
    # In the background: the greeting does not wait for a note that only people and logs read.
    in_background(note_takeover(store, interview_id, ctx.job.id))
    return interview, previous_turns


def in_background(work: Coroutine[Any, Any, None]) -> None:
    """Run `work` without awaiting it, kept referenced until it is done."""
    task = asyncio.ensure_future(work)
    BACKGROUND.add(task)
    task.add_done_callback(BACKGROUND.discard)


async def note_takeover(store: InterviewStore, interview_id: str, job_id: str) -> None:
    """When this job continues an interview another worker handed over, mark the hand-over taken and
    log how long the interview waited (from the old agent's note to here)."""
    try:
        note = await asyncio.to_thread(lifecycle.take_over, store, interview_id, job_id)
    except Exception as error:  # the note is for people; the interview runs without it
        extra = {"interview_id": interview_id, "error": type(error).__name__}
        log.warning("reading the hand-over note failed", extra=extra)
        return
    if note is None:
        return
    requested = note.get("requested_at")
    waited = (datetime.now(UTC) - requested).total_seconds() if isinstance(requested, datetime) else None
    log.info(
        "taking over a handed-over interview",
        extra={
            "interview_id": interview_id,
            "from_job": note.get("from_job"),
            "next_seq": note.get("next_seq"),
            "turns_stored": note.get("turns_stored"),
            "since_handover_ms": None if waited is None else round(waited * 1000),
        },
    )


# -- 2. build: the controller, its session, and what the room tells it ----------------------------


def build_interview(
    ctx: JobContext, joined: JoinedInterview, settings: Settings, agent_settings: AgentSettings
) -> tuple[InterviewController, AgentSession]:
    """The controller (the interview's state and its one way of ending) on a new Live session, told
    what happens in the room; a job stopped from outside still ends through it."""
    controller = InterviewController(
        joined.interview,
        store=joined.store,
        settings=settings,
        agent_settings=agent_settings,
        previous_turns=joined.previous_turns,
        audio=True,
        warm=joined.warm,
    )
    session = build_session(settings, agent_settings, controller.instructions, joined.interview)
    controller.attach(session)
    controller.follow_transcripts()
    follow_the_candidate(ctx.room, joined.candidate, controller)
    ctx.add_shutdown_callback(finalise_on_shutdown(controller, joined.log_extra))
    return controller, session


def follow_the_candidate(room: rtc.Room, candidate: str, controller: InterviewController) -> None:
    """Tell the controller when the candidate leaves, comes back, or their microphone arrives."""

    def on_connected(participant: rtc.RemoteParticipant) -> None:
        if participant.identity == candidate:
            controller.candidate_returned()

    def on_disconnected(participant: rtc.RemoteParticipant) -> None:
        if participant.identity == candidate:
            controller.candidate_left()

    def on_room_closed(_reason: Any = None) -> None:
        controller.stop_now(SHUTDOWN_FINISH_SECONDS)

    def on_subscribed(
        _track: rtc.Track, publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant
    ) -> None:
        if participant.identity == candidate and microphone_live(publication):
            controller.candidate_audio_ready()

    def on_unmuted(participant: rtc.Participant, publication: rtc.TrackPublication) -> None:
        if participant.identity == candidate and microphone_live(publication):
            controller.candidate_audio_ready()

    room.on("participant_connected", on_connected)
    room.on("participant_disconnected", on_disconnected)
    room.on("track_subscribed", on_subscribed)
    room.on("track_unmuted", on_unmuted)
    room.on("disconnected", on_room_closed)


def finalise_on_shutdown(
    controller: InterviewController, extra: dict[str, str]
) -> Callable[[str], Coroutine[None, None, None]]:
    """A job stopped from outside (room deleted, worker killed) still stores its turns and sends its
    webhook: the shutdown waits for the controller's one ending path."""

    async def on_shutdown(reason: str) -> None:
        if controller.handed_over:
            return  # another agent continues the interview
        if controller.end_reason is None and not controller.abandoned:
            log.warning("job shutting down mid-interview", extra={**extra, "reason": reason})
        controller.stop_now(SHUTDOWN_FINISH_SECONDS)
        await asyncio.wait_for(controller.finished.wait(), SHUTDOWN_FINISH_SECONDS + 1)

    return on_shutdown


# -- 3. run: the session in the room ---------------------------------------------------------------


async def run_interview(
    ctx: JobContext,
    joined: JoinedInterview,
    controller: InterviewController,
    session: AgentSession,
    settings: Settings,
    agent_settings: AgentSettings,
) -> None:
    """Start the session on the candidate's audio; the controller greets once their microphone is in."""
    log.info(
        "warm session opening" if joined.warm else "interview starting",
        extra={
            **joined.log_extra,
            "rejoin": bool(joined.previous_turns),
            "model": model_name(settings, agent_settings),
            **joined.timings,
        },
    )
    await session.start(
        agent=controller.agent(), room=ctx.room, room_options=room_options(joined.candidate, agent_settings)
    )
    if session.input.audio is not None:
        session.input.audio = SpeechTap(session.input.audio, controller.activity)
    if candidate_audio_subscribed(ctx.room, joined.candidate):
        controller.candidate_audio_ready()


def room_options(candidate: str, agent_settings: AgentSettings) -> room_io.RoomOptions:
    """The candidate's audio in, no text or video in; captions as configured."""
    return room_io.RoomOptions(
        participant_identity=candidate,
        close_on_disconnect=False,
        text_input=False,
        video_input=False,
        # Gemini Live takes 16 kHz: the room delivers that rate, so the plugin need not resample
        # each frame again. The candidate's browser already applies gain control (the SPA asks
        # for it), so the server-side AGC would only cost a native call per frame.
        audio_input=room_io.AudioInputOptions(sample_rate=16_000, auto_gain_control=False),
        text_output=room_io.TextOutputOptions(sync_transcription=agent_settings.agent_sync_transcription),
    )


def candidate_audio_subscribed(room: rtc.Room, candidate: str) -> bool:
    """Whether the candidate's microphone was subscribed before the session listened for it."""
    participant = room.remote_participants.get(candidate)
    return participant is not None and any(
        pub.subscribed and microphone_live(pub) for pub in participant.track_publications.values()
    )


# -- 4. finish: the outcome, then the room goes --------------------------------------------------


async def close_room(ctx: JobContext, joined: JoinedInterview, reason: str) -> None:
    """Delete the room and end the job: for a warm session nobody started, the candidate's page (still
    on the microphone check, if open) then joins afresh when they press Start."""
    try:
        await ctx.api.room.delete_room(api.DeleteRoomRequest(room=ctx.room.name))
    except Exception as error:
        log.warning("deleting the room failed", extra={**joined.log_extra, "error": type(error).__name__})
    ctx.shutdown(reason=reason)


async def finish_interview(ctx: JobContext, joined: JoinedInterview, controller: InterviewController) -> None:
    """Wait for the interview to end (turns stored, webhook sent), then delete the room, which ends
    the candidate's call."""
    outcome = await controller.wait()
    try:
        await ctx.api.room.delete_room(api.DeleteRoomRequest(room=ctx.room.name))
    except Exception as error:
        log.warning("deleting the room failed", extra={**joined.log_extra, "error": type(error).__name__})
    ctx.shutdown(reason=outcome.reason.value)


def prewarm(proc: JobProcess) -> None:
    """Runs in every job process while it is still idle: pay one-time costs before a candidate waits.

    Under a forkserver this finds warm_up() already done (agent_worker.preload) and returns at once;
    under `spawn` it does the work here, so the first interview in a fresh process does not build
    schemas and inspect the tool between the candidate joining and the greeting. Nothing here touches
    the network.
    """
    started = time.monotonic()
    try:
        warm_up()
    except Exception:  # a warm-up must never keep a process from taking interviews
        log.warning("warm-up failed; the first interview in this process starts slower", exc_info=True)
    log.debug("process warmed up", extra={"ms": round((time.monotonic() - started) * 1000)})


class InterviewerServer(AgentServer):
    """The AgentServer whose drain (what livekit-agents runs on SIGTERM under `start`) hands running
    interviews to other workers when `hand_over` is on, instead of waiting for them to end."""

    def __init__(self, *, hand_over: bool, livekit: tuple[str, str, str], **options: Any) -> None:
        super().__init__(**options)
        self.hand_over = hand_over
        self.livekit = livekit  # url, key, secret: the server API that carries the requests

    async def drain(self, timeout: NotGivenOr[int | None] = NOT_GIVEN) -> None:
        if not self.hand_over:
            await super().drain(timeout)
            return
        draining = asyncio.ensure_future(super().drain(timeout))
        # The worker reports itself full before any job is asked, so no dispatch comes back here.
        deadline = time.monotonic() + 2
        while not self.draining and not draining.done() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        try:
            async with api.LiveKitAPI(*self.livekit) as lk:
                asked = await handover.ask_jobs_to_hand_over(self, lk, until=draining)
            log.info("drained", extra={"jobs_asked_to_hand_over": asked})
        except Exception:  # the drain itself must go on: jobs then end as a plain drain ends them
            log.exception("asking the running jobs to hand over failed")
        await draining


def build_server(settings: Settings | None = None, agent: AgentSettings | None = None) -> AgentServer:
    """The worker: explicit agent name, health server, drain or hand-over on SIGTERM, its load."""
    settings = settings or get_settings()
    agent = agent or get_agent_settings()
    threads = agent.agent_job_executor == "thread"
    secret = settings.livekit_api_secret.get_secret_value()
    server = InterviewerServer(
        hand_over=agent.agent_shutdown == "handover",
        livekit=(settings.livekit_url, settings.livekit_api_key, secret),
        job_executor_type=JobExecutorType.THREAD if threads else JobExecutorType.PROCESS,
        load_threshold=agent.agent_load_threshold,
        drain_timeout=agent.agent_drain_timeout_seconds,
        num_idle_processes=agent.agent_idle_processes,
        job_memory_warn_mb=agent.agent_job_memory_warn_mb,
        host=agent.agent_health_host,
        port=agent.agent_health_port,
        ws_url=settings.livekit_url,
        api_key=settings.livekit_api_key,
        api_secret=secret,
        load_fnc=InterviewLoad(agent.agent_max_jobs, agent.agent_cpu_load_limit),
        setup_fnc=prewarm,
        preload_modules=["agent_worker.worker", "agent_worker.preload"],
    )
    server.rtc_session(entrypoint, agent_name=settings.agent_name)
    return server
