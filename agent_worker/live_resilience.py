"""Keeping one Gemini Live conversation alive across connections, with public library APIs only.

Two gaps in livekit-plugins-google 1.8.9, and what fills them here:

1. goAway. The plugin reconnects the moment the server says `goAway`, which drops the reply being
   generated (the candidate hears a question cut mid-sentence). The plugin has no public way to
   defer that, so `GoAwayDeferral` defers the *message*: it is a `websockets` ClientConnection
   (`create_connection`, the library's documented extension point, which google-genai passes on
   from `HttpOptions.async_client_args`) that holds a goAway back until the model's turn is complete
   and the next resumption handle has arrived, or until shortly before `timeLeft` runs out, then
   hands it to the plugin, which reconnects with the newest handle between turns.

2. A reconnect that fails. The plugin treats a failed reconnect handshake as fatal
   (`recoverable=False`), and an AgentSession closes on the first fatal realtime error. So the
   session the AgentSession talks to is `ResilientRealtimeSession`, an `llm.RealtimeSession` (the
   public adapter interface livekit-agents' own fallback adapter implements) around the plugin's
   session: a fatal error from the plugin becomes a recoverable one, and a fresh plugin session is
   brought up with backoff, resuming with the newest handle (the plugin's public
   `session_resumption_handle`) while the server accepts it, then without it (a fresh Live session
   told the interview's current instructions and replayed the conversation). Only when every attempt
   fails does the error go on as fatal, and the interview ends as "error" with the reason.

3. A tool call the AgentSession drops. A model may call a tool before it speaks (Gemini 3.8 Live
   sends end_interview before its goodbye on some turns). The plugin gives that call a generation of
   its own and the audio that follows a second, agent-initiated one, which the AgentSession treats as
   a barge-in: it interrupts the first generation, and its tool task is cancelled, often before the
   call was even started. So every generation passes through a relay here that reads the plugin's
   function stream itself and reports each call ("function_call" on the model) the moment the plugin
   has it, then hands it on unchanged; the controller acts on end_interview and mark_question_asked
   from that report, whatever the AgentSession later does with the tool task.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterable, Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from livekit import rtc
from livekit.agents import NOT_GIVEN, NotGivenOr, llm, utils
from livekit.agents.llm import (
    ChatContext,
    FunctionCall,
    GenerationCreatedEvent,
    RealtimeModel,
    RealtimeModelError,
    RealtimeSession,
    RealtimeSessionReconnectedEvent,
    Tool,
    ToolChoice,
    ToolContext,
)
from websockets.asyncio.client import ClientConnection

log = logging.getLogger("agent_worker.live")

GOAWAY_MARGIN_SECONDS = 1.0
"""Hand the goAway on this long before timeLeft ends (at most a quarter of timeLeft), so the
reconnect is done before the server aborts the old connection."""
HANDLE_WAIT_SECONDS = 0.5
"""After the turn completes, how long to wait for the handle that covers it."""

_DURATION_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)s\s*$")


def parse_time_left(value: object) -> float | None:
    """Seconds in a protobuf Duration as JSON spells it ("12.5s"); None when absent or unreadable."""
    if isinstance(value, str):
        match = _DURATION_RE.match(value)
        if match:
            return float(match.group(1))
    return None


def release_delay(time_left: float | None) -> float:
    """How long a goAway may be held: until GOAWAY_MARGIN_SECONDS (at most a quarter of timeLeft)
    before the server closes. Without a timeLeft it is not held at all."""
    if time_left is None:
        return 0.0
    return max(0.0, time_left - min(GOAWAY_MARGIN_SECONDS, time_left / 4))


@dataclass
class _Held:
    message: Any
    deadline: float
    turn_done: bool
    handle_seen: bool = False


class GoAwayDeferral(ClientConnection):
    """A Live WebSocket that holds a goAway back until the model's current turn is complete.

    Only messages that can matter are parsed: those that mention goAway, turnComplete, a
    resumption update or model output (cheap byte searches first; audio chunks are never decoded).
    Cancelling `recv` is safe in websockets' asyncio implementation, which is what bounds the wait.
    """

    goaways_deferred = 0
    """Process-wide count, for logs and tests."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_turn = False
        self._held: _Held | None = None

    async def recv(self, decode: bool | None = None) -> Any:  # type: ignore[override]
        held = self._held
        if held is not None and (held.handle_seen or time.monotonic() >= held.deadline):
            return self._release()
        if held is None:
            message = await super().recv(decode)
        else:
            limit = (
                held.deadline
                if not held.turn_done
                else min(held.deadline, time.monotonic() + HANDLE_WAIT_SECONDS)
            )
            try:
                message = await asyncio.wait_for(super().recv(decode), max(0.0, limit - time.monotonic()))
            except TimeoutError:
                return self._release()
        return self._observe(message)

    def _release(self) -> Any:
        held, self._held = self._held, None
        assert held is not None
        log.info("handing on a deferred goAway", extra={"turn_done": held.turn_done})
        return held.message

    def _observe(self, message: Any) -> Any:
        raw = message.encode() if isinstance(message, str) else bytes(message)
        if b"goAway" in raw and len(raw) < 4_096:
            data = _json(raw)
            if isinstance(data, dict) and "goAway" in data:
                time_left = parse_time_left((data.get("goAway") or {}).get("timeLeft"))
                delay = release_delay(time_left)
                if delay <= 0 or not self._in_turn:
                    return message  # nothing being said: reconnect now
                GoAwayDeferral.goaways_deferred += 1
                self._held = _Held(message, time.monotonic() + delay, turn_done=False)
                log.info("deferring goAway until the turn completes", extra={"time_left_s": time_left})
                return self._next_placeholder()
        if b"turnComplete" in raw:
            data = _json(raw) if len(raw) < 65_536 else None
            content = data.get("serverContent") if isinstance(data, dict) else None
            if isinstance(content, dict) and content.get("turnComplete"):
                self._in_turn = False
                if self._held is not None:
                    self._held.turn_done = True
                return message
        if b"sessionResumptionUpdate" in raw and self._held is not None and self._held.turn_done:
            self._held.handle_seen = True
            return message
        if b"modelTurn" in raw or b"outputTranscription" in raw or b"toolCall" in raw:
            self._in_turn = True
        return message

    @staticmethod
    def _next_placeholder() -> bytes:
        """What the caller receives instead of the held goAway: an empty server message, which
        google-genai parses to a LiveServerMessage with nothing set (the plugin ignores it)."""
        return b"{}"


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


# -- surviving a failed reconnect --------------------------------------------------------------------

_FORWARDED: tuple[Any, ...] = (
    "input_speech_started",
    "input_speech_stopped",
    "input_audio_transcription_completed",
    "session_reconnected",
    "metrics_collected",
    "remote_item_added",
)
_HANDLE_REFUSED = re.compile(r"\b1008\b|1007|handle|invalid argument|expired", re.IGNORECASE)


@dataclass
class RetryPolicy:
    """Backoff for bringing a Live session back: attempt n waits initial * 2**(n-1), capped."""

    attempts: int = 6
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    connect_timeout: float = 15.0

    def delay(self, attempt: int) -> float:
        return min(self.max_backoff, self.initial_backoff * 2 ** max(0, attempt - 1))


@dataclass
class Recovery:
    """What happened to one lost Live connection, for the controller and the logs."""

    attempts: int = 0
    resumed: bool = False
    fresh: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def detail(self) -> str:
        """The distinct errors, newest last, in at most 240 characters (the first and the last
        say most: what broke the connection, what the server said to the final attempt)."""
        distinct = list(dict.fromkeys(self.errors))
        return "; ".join(distinct[:1] + distinct[-2:] if len(distinct) > 3 else distinct)[:240]


ModelFactory = Callable[[str | None], RealtimeModel]
"""Builds the plugin's RealtimeModel, resuming the given handle (None: a new Live session)."""


class ResilientRealtimeModel(
    RealtimeModel, rtc.EventEmitter[Literal["recovered", "gave_up", "function_call"]]
):
    """The model the AgentSession gets: sessions that outlive a failed reconnect.

    Emits "recovered" (a Recovery) when a lost session is back, "gave_up" (a Recovery) when
    every attempt failed, and "function_call" (an llm.FunctionCall) as soon as the model calls a
    tool (module docstring, 3). `instructions` is asked for a fresh session's system instruction, so it
    carries the interview's plan state as it is then.
    """

    def __init__(
        self,
        build: ModelFactory,
        *,
        policy: RetryPolicy | None = None,
        instructions: Callable[[], str] | None = None,
    ) -> None:
        self._build = build
        self._first = build(None)
        RealtimeModel.__init__(self, capabilities=self._first.capabilities)
        rtc.EventEmitter.__init__(self)
        self.policy = policy or RetryPolicy()
        self.instructions = instructions
        self.neutralise: Callable[[str], str] | None = None
        """Applied to the text of every user message before it reaches a Live session (the
        controller's: candidate text imitating a control note is defused,
        interview_core/domain/fencing.py)."""
        self.input_held = False
        """While True the candidate's audio is not sent to the model at all (the controller holds it
        until the first greeting has played: controller.greet)."""

    @property
    def model(self) -> str:
        return self._first.model

    @property
    def provider(self) -> str:
        return self._first.provider

    def build(self, handle: str | None) -> RealtimeModel:
        return self._build(handle)

    def session(self, *, turn_detection_disabled: bool = False) -> ResilientRealtimeSession:
        return ResilientRealtimeSession(self)

    async def aclose(self) -> None:
        await self._first.aclose()


class ResilientRealtimeSession(RealtimeSession):
    """Forwards to the plugin's session; replaces it, with backoff, when it fails for good."""

    def __init__(self, model: ResilientRealtimeModel) -> None:
        super().__init__(model)
        self._model = model
        self._instructions: NotGivenOr[str] = NOT_GIVEN
        self._tools: NotGivenOr[list[Tool]] = NOT_GIVEN
        self._tool_choice: NotGivenOr[ToolChoice | None] = NOT_GIVEN
        self._forwarders: dict[Any, Callable[[Any], None]] = {
            event: self._forwarder(event) for event in _FORWARDED
        }
        self._forwarders["generation_created"] = self._on_generation_created
        self._relayed: OrderedDict[int, tuple[GenerationCreatedEvent, GenerationCreatedEvent]] = OrderedDict()
        """The plugin's generation events (kept alive, so their ids stay theirs) and their relays."""
        self._relays: set[asyncio.Task[None]] = set()
        self._recovering: asyncio.Task[None] | None = None
        self._closed = False
        self._active: RealtimeSession = model.build(None).session()
        self._bind(self._active)

    def _forwarder(self, event: Any) -> Callable[[Any], None]:
        def forward(payload: Any) -> None:
            self.emit(event, payload)

        return forward

    # -- tool calls, reported as the plugin produces them -----------------------------------------
    def _on_generation_created(self, event: GenerationCreatedEvent) -> None:
        self.emit("generation_created", self._relay(event))

    def _relay(self, event: GenerationCreatedEvent) -> GenerationCreatedEvent:
        """The generation with its function stream read by a task of ours (module docstring, 3).
        The plugin hands a user-initiated generation to both its event and generate_reply's future:
        one relay per generation, whichever asks first."""
        known = self._relayed.get(id(event))
        if known is not None and known[0] is event:
            return known[1]
        calls: utils.aio.Chan[FunctionCall] = utils.aio.Chan()
        relayed = replace(event, function_stream=calls)
        self._relayed[id(event)] = (event, relayed)
        while len(self._relayed) > 16:
            self._relayed.popitem(last=False)
        task = asyncio.create_task(self._pump(event.function_stream, calls), name="gemini-live-tool-relay")
        self._relays.add(task)
        task.add_done_callback(self._relays.discard)
        return relayed

    async def _pump(self, source: AsyncIterable[FunctionCall], sink: utils.aio.Chan[FunctionCall]) -> None:
        try:
            async for call in source:
                try:
                    self._model.emit("function_call", call)
                except Exception:  # an observer's bug must not lose the call for the session
                    log.exception("a function_call observer failed", extra={"function": call.name})
                sink.send_nowait(call)
        finally:
            sink.close()

    def _relayed_future(
        self, source: asyncio.Future[GenerationCreatedEvent]
    ) -> asyncio.Future[GenerationCreatedEvent]:
        """generate_reply's future, resolving to the relayed generation."""
        result: asyncio.Future[GenerationCreatedEvent] = asyncio.get_running_loop().create_future()

        def done(future: asyncio.Future[GenerationCreatedEvent]) -> None:
            if result.done():
                return
            if future.cancelled():
                result.cancel()
            elif future.exception() is not None:
                result.set_exception(future.exception())  # type: ignore[arg-type]
            else:
                result.set_result(self._relay(future.result()))

        def cancelled(future: asyncio.Future[GenerationCreatedEvent]) -> None:
            if future.cancelled() and not source.done():
                source.cancel()

        source.add_done_callback(done)
        result.add_done_callback(cancelled)
        return result

    def _bind(self, child: RealtimeSession) -> None:
        for event, forwarder in self._forwarders.items():
            child.on(event, forwarder)
        child.on("error", self._on_child_error)

    def _unbind(self, child: RealtimeSession) -> None:
        for event, forwarder in self._forwarders.items():
            child.off(event, forwarder)
        child.off("error", self._on_child_error)

    # -- recovery ---------------------------------------------------------------------------------
    def _on_child_error(self, error: RealtimeModelError) -> None:
        if error.recoverable or self._closed:
            self.emit("error", error)
            return
        # the plugin gave up on this connection: keep the AgentSession, bring a new one up
        self.emit("error", error.model_copy(update={"recoverable": True}))
        if self._recovering is None or self._recovering.done():
            self._recovering = asyncio.create_task(self._recover(error), name="gemini-live-recover")

    def _handle(self, child: RealtimeSession) -> str | None:
        handle = getattr(child, "session_resumption_handle", None)  # the plugin's public property
        return handle if isinstance(handle, str) and handle else None

    async def _recover(self, first_error: RealtimeModelError) -> None:
        policy = self._model.policy
        recovery = Recovery(errors=[_describe(first_error.error)])
        dead = self._active
        handle = self._handle(dead)
        chat_ctx = dead.chat_ctx.copy()
        if _HANDLE_REFUSED.search(recovery.errors[0]):
            handle = None
        self._unbind(dead)
        with contextlib.suppress(Exception):
            await dead.aclose()
        for attempt in range(1, policy.attempts + 1):
            if self._closed:
                return
            recovery.attempts = attempt
            await asyncio.sleep(policy.delay(attempt))
            child, error = await self._bring_up(handle, chat_ctx, policy.connect_timeout)
            if child is not None:
                recovery.resumed, recovery.fresh = handle is not None, handle is None
                self._active = child
                log.info(
                    "gemini live session recovered",
                    extra={"attempts": attempt, "resumed": recovery.resumed},
                )
                self.emit("session_reconnected", RealtimeSessionReconnectedEvent())
                self._model.emit("recovered", recovery)
                return
            recovery.errors.append(error)
            log.warning(
                "gemini live reconnect failed; retrying",
                extra={"attempt": attempt, "with_handle": handle is not None, "error": error[:200]},
            )
            if handle is not None and (_HANDLE_REFUSED.search(error) or attempt >= 2):
                handle = None  # the server will not take it back: a fresh session from here on
        self._model.emit("gave_up", recovery)
        self.emit(
            "error",
            RealtimeModelError(
                timestamp=time.time(),
                label=self._model.label,
                error=ConnectionError(f"Gemini Live could not be resumed: {recovery.detail}"),
                recoverable=False,
            ),
        )

    async def _bring_up(
        self, handle: str | None, chat_ctx: ChatContext, timeout: float
    ) -> tuple[RealtimeSession | None, str]:
        """A new plugin session on `handle`, told everything the old one knew; it counts as up once
        it has connected (the plugin reports the connection as metrics), down on a fatal error."""
        outcome: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        child = self._model.build(handle).session()

        def on_metrics(metrics: Any) -> None:
            if getattr(metrics, "acquire_time", 0) and not outcome.done():
                outcome.set_result(None)

        def on_error(error: RealtimeModelError) -> None:
            if not error.recoverable and not outcome.done():
                outcome.set_result(_describe(error.error))

        child.on("metrics_collected", on_metrics)
        child.on("error", on_error)
        instructions = self._model.instructions() if handle is None and self._model.instructions else None
        if instructions is not None:
            await child.update_instructions(instructions)
        elif isinstance(self._instructions, str):
            await child.update_instructions(self._instructions)
        await child.update_chat_ctx(self._defused(chat_ctx))
        if isinstance(self._tools, list):
            await child.update_tools(self._tools)
        if not isinstance(self._tool_choice, type(NOT_GIVEN)):
            child.update_options(tool_choice=self._tool_choice)
        try:
            failure = await asyncio.wait_for(outcome, timeout)
        except TimeoutError:
            failure = "no connection within the timeout"
        child.off("metrics_collected", on_metrics)
        child.off("error", on_error)
        if failure is None:
            self._bind(child)
            return child, ""
        with contextlib.suppress(Exception):
            await child.aclose()
        return None, failure

    # -- the RealtimeSession interface, forwarded ---------------------------------------------------
    @property
    def chat_ctx(self) -> ChatContext:
        return self._active.chat_ctx

    @property
    def tools(self) -> ToolContext:
        return self._active.tools

    async def update_instructions(self, instructions: str) -> None:
        self._instructions = instructions
        await self._active.update_instructions(instructions)

    async def update_chat_ctx(self, chat_ctx: ChatContext) -> None:
        await self._active.update_chat_ctx(self._defused(chat_ctx))

    def _defused(self, chat_ctx: ChatContext) -> ChatContext:
        """The context with each user message's text passed through the model's `neutralise`: the
        candidate's typed text and replayed transcripts take the same path into Gemini Live as the
        agent's control notes, and must not pass for one. Items keep their ids (the plugin sends
        only items it has not seen, by id)."""
        neutralise = self._model.neutralise
        if neutralise is None:
            return chat_ctx
        items: list[llm.ChatItem] = []
        for item in chat_ctx.items:
            if isinstance(item, llm.ChatMessage) and item.role == "user":
                content = [neutralise(part) if isinstance(part, str) else part for part in item.content]
                item = item.model_copy(update={"content": content})
            items.append(item)
        return ChatContext(items)

    async def update_tools(self, tools: list[Tool]) -> None:
        self._tools = tools
        await self._active.update_tools(tools)

    def update_options(self, *, tool_choice: NotGivenOr[ToolChoice | None] = NOT_GIVEN) -> None:
        self._tool_choice = tool_choice
        self._active.update_options(tool_choice=tool_choice)

    def push_audio(self, frame: rtc.AudioFrame) -> None:
        if self._model.input_held:
            return
        if self._recovering is None or self._recovering.done():
            self._active.push_audio(frame)

    def push_video(self, frame: rtc.VideoFrame) -> None:
        self._active.push_video(frame)

    def generate_reply(
        self,
        *,
        instructions: NotGivenOr[str] = NOT_GIVEN,
        tool_choice: NotGivenOr[ToolChoice] = NOT_GIVEN,
        tools: NotGivenOr[list[Tool]] = NOT_GIVEN,
    ) -> asyncio.Future[GenerationCreatedEvent]:
        return self._relayed_future(
            self._active.generate_reply(instructions=instructions, tool_choice=tool_choice, tools=tools)
        )

    def commit_audio(self) -> None:
        self._active.commit_audio()

    def clear_audio(self) -> None:
        self._active.clear_audio()

    def interrupt(self) -> None:
        self._active.interrupt()

    def start_user_activity(self) -> None:
        self._active.start_user_activity()

    def say(self, text: str | AsyncIterable[str]) -> asyncio.Future[GenerationCreatedEvent]:
        return self._relayed_future(self._active.say(text))

    def truncate(
        self,
        *,
        message_id: str,
        modalities: list[Literal["text", "audio"]],
        audio_end_ms: int,
        audio_transcript: NotGivenOr[str] = NOT_GIVEN,
    ) -> None:
        self._active.truncate(
            message_id=message_id,
            modalities=modalities,
            audio_end_ms=audio_end_ms,
            audio_transcript=audio_transcript,
        )

    async def aclose(self) -> None:
        self._closed = True
        for relay in list(self._relays):
            relay.cancel()
        if self._recovering is not None:
            self._recovering.cancel()
            with contextlib.suppress(BaseException):
                await self._recovering
        self._unbind(self._active)
        await self._active.aclose()


def _describe(error: BaseException) -> str:
    """An error as one line for logs and the interview's end_detail: type, code, message (the
    server's close reason; never what anyone said)."""
    cause = error.__cause__ or error
    code = getattr(cause, "code", None)
    text = " ".join(str(cause).split())[:240]
    return f"{type(cause).__name__}{f' {code}' if code is not None else ''}: {text}"


__all__ = [
    "GoAwayDeferral",
    "Recovery",
    "ResilientRealtimeModel",
    "ResilientRealtimeSession",
    "RetryPolicy",
    "llm",
]
