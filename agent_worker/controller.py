"""One interview's run: greeting, turn storage, latency, the clock, rejoins, and how it ends.

The controller knows the AgentSession but not the room, so the same code runs in a LiveKit job
(worker.py wires room events to `candidate_*`) and in text-mode tests. Every way of ending funnels
into `request_end(reason)`, which runs `_finish` once:

1. let the closing words play (the model's wrap-up before end_interview), or ask for one (time up);
2. close the session, so the last turns are committed;
3. flush the turn writer (every turn stored, or an error naming the missing sequence numbers);
4. store metrics.agent, then call the completion webhook (retried; the sweeper is the fallback).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from livekit.agents import Agent, AgentSession, RunContext, ToolResult, function_tool, llm
from livekit.agents.voice import SpeechHandle
from livekit.agents.voice.events import (
    AgentStateChangedEvent,
    CloseEvent,
    CloseReason,
    ConversationItemAddedEvent,
    ErrorEvent,
    UserInputTranscribedEvent,
)

from interview_core import metrics as meters  # `metrics` names the interview's own figures here
from interview_core.adapters.firestore_store import InterviewStore
from interview_core.domain import fencing
from interview_core.domain.models import (
    CompletionNotice,
    EndReason,
    Interview,
    InterviewStatus,
    Turn,
    TurnRole,
)
from interview_core.settings import Settings

from . import instructions as prompts
from . import lifecycle
from .config import AgentSettings
from .latency import LatencyTracker, SpeechActivity
from .live_resilience import Recovery, ResilientRealtimeModel
from .start_gate import StartGate
from .transcript import TurnStore, TurnWriter
from .webhook import WebhookNotifier

MAX_END_DETAIL = 300
"""CompletionNotice.end_detail's bound: a longer one would fail the notice, and with it the end."""

log = logging.getLogger("agent_worker.controller")

EndChoice = Literal["completed", "candidate_ended"]


@dataclass(frozen=True)
class Outcome:
    """How the interview ended, for logs and tests."""

    reason: EndReason
    ended_at: datetime
    turn_count: int
    turns_stored: bool
    webhook_accepted: bool
    metrics: dict[str, float]


async def _first_of(heard: asyncio.Event, handle: SpeechHandle) -> None:
    """Until `heard` is set or `handle` is done (played, interrupted or failed)."""
    done = asyncio.Event()
    handle.add_done_callback(lambda _: done.set())
    waits = {asyncio.ensure_future(heard.wait()), asyncio.ensure_future(done.wait())}
    _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for wait in pending:
        wait.cancel()


class InterviewerAgent(Agent):
    """The interviewer: instructions from the interview, a tool to keep the plan's state, one to end.

    Both tools are declared NON_BLOCKING (model.py) and their results ask for no reply, which the
    plugin sends with SILENT scheduling: the model neither waits for them nor speaks about them.
    """

    def __init__(self, controller: InterviewController) -> None:
        super().__init__(instructions=controller.instructions)
        self._controller = controller

    async def on_enter(self) -> None:
        await self._controller.greet()

    @function_tool
    async def end_interview(self, context: RunContext, reason: EndChoice) -> ToolResult:
        """End the interview. Call it only after your closing words and goodbye, never before.

        Args:
            reason: "completed" when every planned question has been answered, "candidate_ended" when
                the candidate asked to stop.
        """
        self._controller.request_end(EndReason(reason))
        return ToolResult("The interview has ended. Say nothing more.", reply_required=False)

    @function_tool
    async def mark_question_asked(
        self, context: RunContext, number: int, follow_up: bool = False
    ) -> ToolResult:
        """Record that you asked a question of the plan. Call it each time you ask one; it runs in the
        background and answers with where the interview stands. Never mention it.

        Args:
            number: The planned question's number (1 for the first question of the plan).
            follow_up: True when you asked a follow-up on that question rather than the question itself.
        """
        note = await self._controller.mark_asked(context.function_call.call_id, number, follow_up)
        return ToolResult(note, reply_required=False)


class InterviewController:
    def __init__(
        self,
        interview: Interview,
        *,
        store: InterviewStore,
        settings: Settings,
        agent_settings: AgentSettings,
        turn_store: TurnStore | None = None,
        notifier: WebhookNotifier | None = None,
        previous_turns: Sequence[Turn] = (),
        time_limit_seconds: float | None = None,
        time_warning_seconds: float | None = None,
        audio: bool = True,
        warm: bool = False,
    ) -> None:
        self.interview = interview
        self.store = store
        self.settings = settings
        self.agent_settings = agent_settings
        self.notifier = notifier or WebhookNotifier(settings, agent_settings)
        self.previous_turns = list(previous_turns)
        self.progress = interview.plan_progress.model_copy(deep=True)
        self.answers = prompts.candidate_turns(self.previous_turns)
        """Candidate turns so far, this session's and earlier ones (a question is answered once one
        follows it)."""
        self.marker = fencing.new_marker()
        """This agent session's control marker: its notes carry it, candidate text never does."""
        self.instructions = prompts.build_instructions(
            interview,
            interviewer_name=agent_settings.interviewer_name,
            previous_turns=self.previous_turns,
            marker=self.marker,
        )
        self.audio = audio
        first_seq = max((t.seq for t in self.previous_turns), default=-1) + 1
        self.writer = TurnWriter(
            turn_store or store,
            interview.id,
            first_seq=first_seq,
            reorder_seconds=1.5 if audio else 0.0,
            attempts_before_alarm=agent_settings.turn_write_attempts,
            initial_backoff=agent_settings.turn_write_initial_backoff_seconds,
            max_backoff=agent_settings.turn_write_max_backoff_seconds,
        )
        self.activity = SpeechActivity()
        self.latency = LatencyTracker(self.activity)
        self.time_limit_seconds = (
            time_limit_seconds if time_limit_seconds is not None else interview.duration_minutes * 60.0
        )
        self.time_warning_seconds = (
            time_warning_seconds if time_warning_seconds is not None else agent_settings.time_warning_seconds
        )
        self.session: AgentSession | None = None
        self.started = not warm
        """False while a warm session waits for the candidate's "Start" (their microphone): the
        interview is not begun, its clock not running, nothing greeted (see greet)."""
        self.abandoned = False
        """True once a warm session closed without being started: no webhook, no metrics."""
        self.candidate_ready = asyncio.Event()
        self.candidate_present = True
        self.finished = asyncio.Event()
        self.outcome: Outcome | None = None
        self.end_reason: EndReason | None = None
        self.rejoins = 0
        self.model_errors = 0
        self.reconnects = 0
        self.end_detail: str | None = None
        self._marked_calls: set[str] = set()
        self._agent_spoke_last = False
        """Whether an agent message was committed after the candidate's last turn (the goodbye
        rule: was the closing said before end_interview ran?)."""
        self._greeted = False
        """The greeting has been asked for (on a warm start, maybe still held until Start)."""
        self._start_gate: StartGate | None = None
        """Holds a warm session's prepared greeting until Start (see _prepare_greeting)."""
        self._welcome_back = False
        self._last_user_end = 0.0
        self._started_monotonic = time.monotonic()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._grace_task: asyncio.Task[None] | None = None
        self._finish_task: asyncio.Task[None] | None = None
        self._finish_by: float | None = None
        """monotonic() by which the ending must be done (the job is shutting down), or None."""
        self._extra = {"interview_id": interview.id}
        self._counted_live = False

    # -- wiring -----------------------------------------------------------------------------------
    def attach(self, session: AgentSession) -> None:
        """Listen to the session and start the writer and the clock (call before session.start)."""
        self.session = session
        session.on("conversation_item_added", self._on_item)
        session.on("agent_state_changed", self._on_agent_state)
        session.on("error", self._on_error)
        session.on("close", self._on_close)
        if isinstance(session.llm, ResilientRealtimeModel):
            session.llm.instructions = self.current_instructions
            session.llm.neutralise = self.neutralise
            session.llm.on("function_call", self._on_function_call)
            session.llm.on("recovered", self._on_recovered)
            session.llm.on("gave_up", self._on_gave_up)
            session.llm.input_held = self.audio and not self._greeted  # until greeted: greet()
        self.writer.start()
        if self.started:
            self._spawn(self._clock(), "clock")
            self._count_live(True)

    def agent(self) -> InterviewerAgent:
        return InterviewerAgent(self)

    def current_instructions(self) -> str:
        """The system instruction as of now, with the plan's state: for a fresh Live session
        brought up mid-interview, when the old one could not be resumed."""
        return prompts.build_instructions(
            self.interview,
            interviewer_name=self.agent_settings.interviewer_name,
            progress=self.progress,
            answers=self.answers,
            marker=self.marker,
        )

    def neutralise(self, text: str) -> str:
        """Candidate text with anything that imitates this agent's control notes defused."""
        return fencing.neutralise(text, self.marker)

    def _count_live(self, live: bool) -> None:
        """The dashboard's live interviews: up once when attached, down once when it ends or is handed
        over (whichever comes first), so a count never drifts however the interview stops."""
        if live and not self._counted_live:
            self._counted_live = True
            meters.interview_started()
        elif not live and self._counted_live:
            self._counted_live = False
            meters.interview_stopped()

    def _spawn(self, coro: Any, name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro, name=f"{name}-{self.interview.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- greeting ---------------------------------------------------------------------------------
    async def greet(self) -> None:
        """Greet as soon as the candidate can hear us (their audio is there), at most once.

        The model hears nothing from the candidate until the greeting has played (attach() holds
        their audio back). A candidate who says "hello?" as they join would otherwise be answered by
        the model on its own: the greeting cut off, the plugin's generate_reply timing out behind
        that reply, and the greeting asked for again as if the interview were resuming."""
        if self._greeted or self.session is None:
            return
        if not self.started:  # not inside on_enter: the wait may last warm_start_limit_seconds
            self._spawn(self._greet_on_start(), "warm-start")
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.candidate_ready.wait(), self.agent_settings.greet_wait_seconds)
        self._say_greeting()

    async def _greet_on_start(self) -> None:
        """The warm start: the session is open and the instructions are in; the candidate's
        microphone arriving is their "Start". The greeting is prepared meanwhile and held (see
        _prepare_greeting), so Start lets it play at once; then the interview begins (the status
        change runs beside the greeting, not before it). Never started within
        warm_start_limit_seconds: close the session without a trace of an interview."""
        waited = time.monotonic()
        self._prepare_greeting()
        try:
            await asyncio.wait_for(self.candidate_ready.wait(), self.agent_settings.warm_start_limit_seconds)
        except TimeoutError:
            self.abandon("not started in time")
            return
        if self.abandoned or self.end_reason is not None:
            return
        self.started = True
        self._started_monotonic = time.monotonic()
        log.info(
            "warm start: the candidate started",
            extra={**self._extra, "warm_ms": round((self._started_monotonic - waited) * 1000)},
        )
        if self._start_gate is not None:
            log.info(
                "greeting the candidate",
                extra={**self._extra, "rejoin": bool(self.previous_turns), "prepared": True},
            )
            await self._start_gate.open()
        self._say_greeting()
        self._spawn(self._begin(), "begin")
        self._spawn(self._clock(), "clock")
        self._count_live(True)

    def _prepare_greeting(self) -> None:
        """Ask for the greeting now, while the candidate is on the device check, and hold its audio in
        a StartGate until Start. The cost is bounded: one greeting per warm session (a few hundred
        output tokens), prepared once the Live session is open, and nothing more until Start; a
        session never started is closed with the greeting unheard, stores no turn and counts no
        model minutes. PREPARE_GREETING_WHILE_WARM=false asks for it on Start instead."""
        session = self.session
        if (
            not self.agent_settings.prepare_greeting_while_warm
            or not self.audio
            or session is None
            or session.output.audio is None
        ):
            return
        self._start_gate = StartGate(session)
        log.info("preparing the greeting while warm", extra=self._extra)
        self._ask_for_greeting(session)

    async def _begin(self) -> None:
        """invited -> in_progress once the candidate has started (lifecycle.begin); an interview that
        stopped being joinable meanwhile (cancelled) is closed like an unstarted one."""
        try:
            self.interview = await asyncio.to_thread(
                lifecycle.begin, self.store, self.interview.id, datetime.now(UTC)
            )
        except lifecycle.NotJoinableError as refused:
            log.warning("the interview cannot begin", extra={**self._extra, "status": refused.status})
            self.started = False
            self.abandon(f"interview is {refused.status}")

    def _say_greeting(self) -> None:
        if self._greeted or self.end_reason is not None or self.abandoned or self.session is None:
            return
        log.info("greeting the candidate", extra={**self._extra, "rejoin": bool(self.previous_turns)})
        self._ask_for_greeting(self.session)

    def _ask_for_greeting(self, session: AgentSession) -> None:
        self._greeted = True
        note = prompts.greeting_note(self.interview, self.previous_turns, marker=self.marker)
        self._spawn(self._greet_then_listen(session.generate_reply(instructions=note), note), "greeting")

    async def _greet_then_listen(self, handle: SpeechHandle, note: str, attempts: int = 2) -> None:
        """Wait until the greeting has been heard (its words are committed once its audio has played,
        before a tool it called has run), asking once more if nothing came of it; then let the
        candidate's audio through to the model."""
        heard = asyncio.Event()

        def on_item(event: ConversationItemAddedEvent) -> None:
            if isinstance(event.item, llm.ChatMessage) and event.item.role == "assistant":
                heard.set()

        session = self.session
        assert session is not None
        session.on("conversation_item_added", on_item)
        try:
            for attempt in range(1, attempts + 1):
                await _first_of(heard, handle)
                if heard.is_set() or handle.chat_items or handle.interrupted or self.end_reason is not None:
                    return
                if attempt == attempts or not self.candidate_present:
                    return
                log.warning("the model did not answer the greeting; asking again", extra=self._extra)
                handle = session.generate_reply(instructions=note)
        finally:
            session.off("conversation_item_added", on_item)
            self._listen()

    def _listen(self) -> None:
        """The candidate's audio reaches the model from now on."""
        if self.session is not None and isinstance(self.session.llm, ResilientRealtimeModel):
            self.session.llm.input_held = False

    def _reply(self, note: str, attempts: int = 2) -> None:
        """Ask the model to speak on a control note; ask again once if nothing came of it.

        A reply that never starts (the plugin gives up after 5 s, e.g. while the model reconnects)
        would otherwise leave the candidate waiting in silence.
        """
        if self.session is None:
            return
        handle = self.session.generate_reply(instructions=note)
        if attempts > 1:
            self._spawn(self._ask_again_if_silent(handle, note, attempts - 1), "reply-check")

    async def _ask_again_if_silent(self, handle: SpeechHandle, note: str, attempts: int) -> None:
        with contextlib.suppress(Exception):
            await handle
        if (
            handle.chat_items
            or handle.interrupted
            or self.end_reason is not None
            or not self.candidate_present
        ):
            return
        log.warning("the model did not answer a control note; asking again", extra=self._extra)
        self._reply(note, attempts)

    # -- the plan's state ---------------------------------------------------------------------------
    def _on_function_call(self, call: llm.FunctionCall) -> None:
        """Act on the model's tool calls as the model makes them, not only when the AgentSession
        runs them: a model that calls end_interview before speaking its goodbye starts a new
        generation for the goodbye, which the AgentSession treats as a barge-in that cancels the
        tool task, often before it started (live_resilience.py, 3). The tools themselves do the
        same when they do run; both paths are idempotent (the first end wins, marks count once per
        call id)."""
        try:
            args = json.loads(call.arguments or "{}")
        except ValueError:
            args = {}
        args = args if isinstance(args, dict) else {}
        if call.name == prompts.END_TOOL:
            reason = args.get("reason")
            self.request_end(
                EndReason(reason) if reason in ("completed", "candidate_ended") else EndReason.COMPLETED
            )
        elif call.name == prompts.MARK_TOOL and isinstance(args.get("number"), int):
            self._spawn(self.mark_asked(call.call_id, args["number"], bool(args.get("follow_up"))), "mark")

    async def _store_pending_marks(self, timeout: float = 3.0) -> None:
        """Let the plan-progress writes already asked for finish before the ending cancels the rest:
        the last question is usually marked moments before end_interview, and a cancelled write
        would leave it unrecorded for a resumed agent and for the report."""
        marks = [task for task in self._tasks if task.get_name().startswith("mark-")]
        if marks:
            await asyncio.wait(marks, timeout=timeout)

    async def mark_asked(self, call_id: str, number: int, follow_up: bool) -> str:
        """Record a planned question (or a follow-up) the model says it asked, in Firestore, and
        answer with the plan's state; once per call (the dispatch and the tool both report it). A
        number outside the plan is refused in the answer."""
        total = len(self.interview.question_plan)
        if not 1 <= number <= total:
            return f"There is no question {number}; the plan has questions 1 to {total}."
        progress = self.progress
        if call_id in self._marked_calls:
            return prompts.progress_note(
                self.interview, progress, max(0.0, self.time_limit_seconds - self._elapsed())
            )
        self._marked_calls.add(call_id)
        if follow_up:
            key = str(number)
            progress.follow_ups[key] = progress.follow_ups.get(key, 0) + 1
        if number not in progress.asked:
            progress.asked.append(number)
        if not follow_up or progress.current != number:
            progress.current = number
            progress.candidate_turns_at_current = self.answers
        seconds_left = max(0.0, self.time_limit_seconds - self._elapsed())
        progress.seconds_left = round(seconds_left, 1)
        progress.updated_at = datetime.now(UTC)
        log.info(
            "plan question asked",
            extra={**self._extra, "question": number, "follow_up": follow_up, "asked": len(progress.asked)},
        )
        snapshot = progress.model_copy(deep=True)
        try:
            await asyncio.to_thread(lifecycle.record_plan_progress, self.store, self.interview.id, snapshot)
        except Exception as error:  # the interview goes on; the next mark stores the whole state again
            log.warning(
                "storing the plan's state failed", extra={**self._extra, "error": type(error).__name__}
            )
        return prompts.progress_note(self.interview, snapshot, seconds_left)

    # -- the Live connection --------------------------------------------------------------------------
    def _on_recovered(self, recovery: Recovery) -> None:
        """A Live session the plugin gave up on is back. A fresh one (not resumed) has not heard the
        last question asked: have it ask again, unless someone is speaking."""
        self.reconnects += 1
        log.info(
            "live session recovered",
            extra={**self._extra, "attempts": recovery.attempts, "resumed": recovery.resumed},
        )
        resumable = self._greeted and self.started and self.end_reason is None
        if recovery.fresh and resumable and self.candidate_present:
            point = prompts.resume_point(self.interview, self.progress, self.answers)
            if point.next_question is not None:
                note = prompts.note(
                    prompts.RECONNECTED, marker=self.marker, next_question=point.next_question
                )
                self._spawn(self._say_when_quiet(note, max_wait=10), "reconnected")

    def _on_gave_up(self, recovery: Recovery) -> None:
        """Every reconnect failed: say why on the interview (the server's close reason, never what
        anyone said), within the 300 characters the completion notice and the interview allow."""
        detail = f"gemini_live_unavailable after {recovery.attempts} reconnects: {recovery.detail}"
        self.end_detail = detail[:MAX_END_DETAIL]

    # -- room hooks -------------------------------------------------------------------------------
    def candidate_audio_ready(self) -> None:
        """The candidate's microphone track is subscribed: greet, or welcome them back."""
        self.candidate_ready.set()
        self.candidate_present = True
        if self._welcome_back and self._greeted and self.end_reason is None and self.session is not None:
            self._welcome_back = False
            self._reply(prompts.note(prompts.REJOINED, marker=self.marker))

    def candidate_left(self) -> None:
        """The candidate disconnected: wait the grace period for them to rejoin, then end."""
        if self.end_reason is not None or not self.candidate_present:
            return
        self.candidate_present = False
        self._welcome_back = self._greeted and self.started
        log.info(
            "candidate left; waiting for a rejoin",
            extra={**self._extra, "grace_s": self.agent_settings.rejoin_grace_seconds},
        )
        if self.session is not None and self.started:  # a warm session's held greeting waits for Start
            with contextlib.suppress(Exception):
                self.session.interrupt()
        self._grace_task = self._spawn(self._grace(), "grace")

    def candidate_returned(self) -> None:
        """The candidate is back in the room (their audio follows; then the agent welcomes them)."""
        if self._grace_task is not None and not self._grace_task.done():
            self._grace_task.cancel()
            self.rejoins += 1
            log.info("candidate rejoined", extra=self._extra)
        self._grace_task = None
        self.candidate_present = True

    async def _grace(self) -> None:
        await asyncio.sleep(self.agent_settings.rejoin_grace_seconds)
        if not self.candidate_present:
            self.request_end(EndReason.CANDIDATE_LEFT)

    def stop_now(self, within: float) -> None:
        """The room is gone or the job is shutting down: end at once, within `within` seconds (what is
        left of livekit-agents' wait for the entrypoint). A candidate who had left (the grace was
        running) left; a candidate still there was cut off: an error."""
        reason = EndReason.ERROR if self.candidate_present else EndReason.CANDIDATE_LEFT
        self.request_end(reason, within=within)

    # -- session events ---------------------------------------------------------------------------
    def _on_item(self, event: ConversationItemAddedEvent) -> None:
        if not self.started:  # a warm session's held greeting, dropped unheard: not a turn
            return
        item = event.item
        if not isinstance(item, llm.ChatMessage) or item.role not in ("user", "assistant"):
            return
        text = item.text_content or ""
        if item.role == "assistant":
            if text.strip():
                self._agent_spoke_last = True
            metrics = item.metrics or {}
            started = float(metrics.get("started_speaking_at") or item.created_at)
            ended = float(metrics.get("stopped_speaking_at") or started)
            self.writer.add(TurnRole.AGENT, text, started, ended, item.interrupted)
            return
        text = self.neutralise(text)
        self._agent_spoke_last = False
        self.answers += 1
        segments = self.activity.since(self._last_user_end)
        if segments:
            started, ended = segments[0].start, segments[-1].end
            self._last_user_end = ended
        else:
            started = ended = item.created_at
        self.writer.add(TurnRole.CANDIDATE, text, started, ended, item.interrupted)

    def _on_agent_state(self, event: AgentStateChangedEvent) -> None:
        if event.new_state == "speaking":
            sample = self.latency.agent_started_speaking(event.created_at)
            if sample is not None:
                log.debug("turn latency", extra={**self._extra, "latency_ms": round(sample, 1)})

    def _on_error(self, event: ErrorEvent) -> None:
        error = event.error
        recoverable = bool(getattr(error, "recoverable", True))
        self.model_errors += 1
        meters.agent_error("model")
        log.warning(
            "session error",
            extra={
                **self._extra,
                "error": type(getattr(error, "error", error)).__name__,
                "recoverable": recoverable,
            },
        )
        if not recoverable:
            self.request_end(EndReason.ERROR)

    def _on_close(self, event: CloseEvent) -> None:
        if self.end_reason is None:
            log.warning("session closed unexpectedly", extra={**self._extra, "reason": event.reason.value})
            left = event.reason == CloseReason.PARTICIPANT_DISCONNECTED or not self.candidate_present
            self.request_end(EndReason.CANDIDATE_LEFT if left else EndReason.ERROR)

    # -- the clock --------------------------------------------------------------------------------
    def _elapsed(self) -> float:
        started = self.interview.started_at
        if started is not None:
            return max(0.0, (datetime.now(UTC) - started).total_seconds())
        return time.monotonic() - self._started_monotonic

    async def _clock(self) -> None:
        """A spoken warning shortly before the time limit, then the end."""
        remaining = self.time_limit_seconds - self._elapsed()
        warn_in = remaining - self.time_warning_seconds
        if warn_in > 0 and self.time_warning_seconds > 0:
            await asyncio.sleep(warn_in)
            note = prompts.time_warning_note(self.time_warning_seconds, marker=self.marker)
            await self._say_when_quiet(note, max_wait=30)
        await asyncio.sleep(max(0.0, self.time_limit_seconds - self._elapsed()))
        self.request_end(EndReason.TIME_LIMIT)

    def _busy(self) -> bool:
        session = self.session
        if session is None:
            return False
        speech = session.current_speech
        return session.agent_state in ("speaking", "thinking") or (speech is not None and not speech.done())

    async def _say_when_quiet(self, note: str, max_wait: float) -> None:
        """Speak a control note when neither side is talking (or after max_wait anyway)."""
        deadline = time.monotonic() + max_wait
        while time.monotonic() < deadline and (self._busy() or self.activity.speaking):
            await asyncio.sleep(0.1)
        if self.session is not None and self.end_reason is None and self.candidate_present:
            self._reply(note)

    async def _wait_for_goodbye(self, timeout: float, settle: float) -> None:
        """The goodbye rule: said once, never cut. end_interview may run before the closing words
        (the model called it first) or after them; closing waits until the agent has spoken since
        the candidate's last turn (at most goodbye_start_timeout_seconds for it to begin), then for
        its speech to end, all within `timeout`."""
        deadline = time.monotonic() + timeout
        start_by = min(deadline, time.monotonic() + self.agent_settings.goodbye_start_timeout_seconds)
        while time.monotonic() < start_by and not self._agent_spoke_last and not self._busy():
            await asyncio.sleep(0.05)
        await self._wait_quiet(max(0.0, deadline - time.monotonic()), settle)

    async def _wait_quiet(self, timeout: float, settle: float) -> None:
        """Until the agent has finished speaking (and stayed quiet for `settle`), or timeout."""
        deadline = time.monotonic() + timeout
        quiet_since: float | None = None
        while time.monotonic() < deadline:
            now = time.monotonic()
            if self._busy():
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= settle:
                return
            await asyncio.sleep(0.05)

    # -- ending -----------------------------------------------------------------------------------
    def request_end(self, reason: EndReason, within: float | None = None) -> None:
        """End the interview for `reason` (the first reason wins; later calls do nothing), with every
        step bounded so that the whole ending takes at most `within` seconds when given (a later,
        tighter bound applies to the steps still to run). A warm session whose interview never
        began (still invited) has nothing to end: it is abandoned instead."""
        if within is not None:
            by = time.monotonic() + within
            self._finish_by = by if self._finish_by is None else min(self._finish_by, by)
        if self._finish_task is not None or self.handed_over:
            return
        if not self.started and self.interview.status == InterviewStatus.INVITED:
            self.abandon(reason.value)
            return
        self.end_reason = reason
        log.info("ending the interview", extra={**self._extra, "end_reason": reason.value})
        self._finish_task = asyncio.create_task(self._finish(reason), name=f"finish-{self.interview.id}")

    def abandon(self, why: str) -> None:
        """Close a warm session that was never started (once): cancel its tasks, close the Live
        session, give the interview's live slot back. No metrics, no completion webhook: the
        interview stays invited, counts no model minutes, and the candidate can still come."""
        if self._finish_task is not None or self.handed_over:
            return
        self.abandoned = True
        log.info("closing a warm session that was not started", extra={**self._extra, "why": why})
        self._finish_task = asyncio.create_task(self._close_unstarted(), name=f"abandon-{self.interview.id}")

    async def _close_unstarted(self) -> None:
        try:
            for task in list(self._tasks):
                task.cancel()
            if self.session is not None:
                self.session.off("close", self._on_close)  # closed on purpose: nothing to end
                try:
                    await asyncio.wait_for(self.session.aclose(), self._budget(10, 0.5))
                except Exception:
                    log.exception("closing the warm session failed", extra=self._extra)
            await self.writer.aclose(self._budget(5, 0.5))
            try:
                released = await asyncio.wait_for(
                    asyncio.to_thread(lifecycle.release_unstarted, self.store, self.interview.id),
                    self._budget(10, 0.5),
                )
                log.info("warm session closed", extra={**self._extra, "live_slot_released": released})
            except Exception as error:  # the sweep gives the slot back later
                log.warning(
                    "giving the live slot back failed", extra={**self._extra, "error": type(error).__name__}
                )
        finally:
            self.finished.set()

    async def wait(self) -> Outcome:
        await self.finished.wait()
        assert self.outcome is not None
        return self.outcome

    async def _finish(self, reason: EndReason) -> None:
        try:
            await self._finish_steps(reason)
        except BaseException:
            log.exception("finishing the interview failed", extra=self._extra)
            raise
        finally:
            if self.outcome is None:
                self.outcome = Outcome(
                    reason, datetime.now(UTC), self.writer.turn_count, False, False, self.metrics()
                )
            self._count_ending(reason)
            self.finished.set()

    def _count_ending(self, reason: EndReason) -> None:
        """The interview's minutes with the model, and an error ending, on the dashboard; the live
        count goes down."""
        self._count_live(False)
        meters.model_minutes(self._elapsed() / 60)
        if reason == EndReason.ERROR:
            meters.agent_error("interview")

    def _budget(self, seconds: float, share: float = 1.0) -> float:
        """`seconds`, or less when the ending has a deadline: at most `share` of the time left."""
        if self._finish_by is None:
            return seconds
        return max(0.2, min(seconds, (self._finish_by - time.monotonic()) * share))

    async def _finish_steps(self, reason: EndReason) -> None:
        settle = 0.8 if self.audio else 0.1
        await self._store_pending_marks()
        for task in list(self._tasks):
            if task is not self._finish_task:
                task.cancel()
        session = self.session
        try:
            if session is not None:
                if reason in (EndReason.COMPLETED, EndReason.CANDIDATE_ENDED):
                    await self._wait_for_goodbye(
                        self._budget(self.agent_settings.wrap_up_timeout_seconds, 0.3), settle
                    )
                elif reason == EndReason.TIME_LIMIT and self.candidate_present:
                    await self._wait_quiet(5.0, 0.0)
                    time_up = prompts.note(prompts.TIME_UP, marker=self.marker)
                    handle = session.generate_reply(instructions=time_up, allow_interruptions=False)
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(
                            handle.wait_for_playout(), self.agent_settings.wrap_up_timeout_seconds
                        )
                    await self._wait_quiet(self.agent_settings.wrap_up_timeout_seconds, settle)
        except Exception:
            log.exception("the wrap-up failed; ending anyway", extra=self._extra)
        ended_at = datetime.now(UTC)
        if session is not None:
            try:
                await asyncio.wait_for(session.aclose(), self._budget(15, 0.4))
            except Exception:
                log.exception("closing the session failed", extra=self._extra)
        flush_timeout = self._budget(self.agent_settings.turn_flush_timeout_seconds, 0.6)
        turns_stored = await self.writer.aclose(flush_timeout)
        metrics = self.metrics()
        try:
            await asyncio.wait_for(
                asyncio.to_thread(
                    lifecycle.record_agent_metrics, self.store, self.interview.id, metrics, self.end_detail
                ),
                self._budget(30, 0.5),
            )
        except Exception as error:
            log.warning("storing agent metrics failed", extra={**self._extra, "error": type(error).__name__})
        notice = CompletionNotice(
            interview_id=self.interview.id,
            end_reason=reason,
            end_detail=self.end_detail,
            ended_at=ended_at,
            turn_count=self.writer.turn_count,
            metrics=metrics,
        )
        try:  # within a deadline the sweeper completes an interview whose webhook did not get through
            accepted = await asyncio.wait_for(self.notifier.send(notice), self._budget(3_600))
        except TimeoutError:
            log.warning("no time left for the completion webhook", extra=self._extra)
            accepted = False
        self.outcome = Outcome(reason, ended_at, self.writer.turn_count, turns_stored, accepted, metrics)
        log.info(
            "interview finished",
            extra={
                **self._extra,
                "end_reason": reason.value,
                "turns": self.writer.turn_count,
                "turns_stored": turns_stored,
                "webhook_accepted": accepted,
            },
        )

    # -- handing over (the worker is shutting down; see handover.py) ---------------------------------
    handed_over: bool = False
    """True once this agent has stopped so that another can continue: the interview did not end."""
    uncommitted_answers: dict[str, str] | None = None
    """The candidate's transcript of each turn Gemini has not committed yet, by item id."""

    def follow_transcripts(self) -> None:
        """Keep the transcript of the candidate's answer until Gemini commits it (with its reply, or
        even after the reply has played), so that a hand-over in between can still store it. Call
        after attach()."""
        if self.session is None or self.uncommitted_answers is not None:
            return
        self.uncommitted_answers = {}
        self.session.on("user_input_transcribed", self._on_transcribed)
        self.session.on("conversation_item_added", self._on_committed)

    def _on_transcribed(self, event: UserInputTranscribedEvent) -> None:
        if self.uncommitted_answers is None or not event.item_id:
            return
        if event.is_final:
            self.uncommitted_answers.pop(event.item_id, None)
        elif event.transcript.strip():
            self.uncommitted_answers[event.item_id] = event.transcript

    def _on_committed(self, event: ConversationItemAddedEvent) -> None:
        if self.uncommitted_answers is not None and isinstance(event.item, llm.ChatMessage):
            self.uncommitted_answers.pop(event.item.id, None)

    async def hand_over(self, timeout: float, answer_wait: float = 4.0) -> bool:
        """Stop this agent's part of the interview without ending it: no wrap-up, no metrics, no webhook,
        the status untouched. Another agent continues from the stored turns.

        Gemini sends the transcript of an answer while it replies and commits it only when the reply
        has played; an answer still without a transcript is waited for (at most `answer_wait`, while
        the reply goes on playing). Then the session is closed and an answer whose transcript was not
        committed is stored from that transcript, so the answer just given is not lost. True when
        every turn is stored within `timeout`.
        """
        if self._finish_task is not None or self.handed_over:
            return False
        self.handed_over = True
        self._count_live(False)  # the next agent counts it (and its minutes, at the end)
        began = time.monotonic()
        deadline = began + timeout
        for task in list(self._tasks):
            task.cancel()
        session = self.session
        pending = self.answer_pending()
        if session is not None:
            session.off("close", self._on_close)
            await self._wait_for_transcript(min(answer_wait, timeout - 1.0))
        waited = time.monotonic()
        if session is not None:
            try:
                await asyncio.wait_for(session.aclose(), max(1.5, (deadline - time.monotonic()) / 2))
            except Exception:
                log.exception("closing the session for the hand-over failed", extra=self._extra)
        closed = time.monotonic()
        rescued = self._store_uncommitted_answers()
        if self.answer_pending():
            log.warning("an answer had no transcript in time for the hand-over", extra=self._extra)
        stored = await self.writer.aclose(max(1.0, deadline - time.monotonic()))
        log.info(
            "interview handed over",
            extra={
                **self._extra,
                "turns": self.writer.turn_count,
                "turns_stored": stored,
                "answer_pending": pending,
                "answers_from_transcript": rescued,
                "wait_ms": round((waited - began) * 1000),
                "close_ms": round((closed - waited) * 1000),
                "flush_ms": round((time.monotonic() - closed) * 1000),
            },
        )
        return stored

    def answer_pending(self) -> bool:
        """The candidate spoke since their last stored turn, so a candidate turn is still to come."""
        return self.activity.speaking or bool(self.activity.since(self._last_user_end))

    async def _wait_for_transcript(self, timeout: float) -> None:
        """Until the candidate's pending answer has a transcript (or is committed), at most `timeout`."""
        deadline = time.monotonic() + timeout
        while self.answer_pending() and not self.uncommitted_answers and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    def _store_uncommitted_answers(self) -> int:
        answers = list((self.uncommitted_answers or {}).values())
        if self.uncommitted_answers is not None:
            self.uncommitted_answers.clear()
        for text in map(self.neutralise, answers):
            segments = self.activity.since(self._last_user_end)
            if segments:
                started, ended = segments[0].start, segments[-1].end
                self._last_user_end = ended
            else:
                started = ended = time.time()
            self.writer.add(TurnRole.CANDIDATE, text, started, ended)
        return len(answers)

    def metrics(self) -> dict[str, float]:
        """What the interview stores as metrics.agent (at most 32 numbers, as CompletionNotice allows)."""
        values = dict(self.latency.summary())
        values.update(
            {
                "duration_s": round(self._elapsed(), 1),
                "turns": float(self.writer.turn_count),
                "rejoins": float(self.rejoins),
                "model_errors": float(self.model_errors),
                "live_reconnects": float(self.reconnects),
                "turn_write_failures": float(self.writer.failures),
            }
        )
        return values
