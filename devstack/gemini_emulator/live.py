"""The Gemini Live (BidiGenerateContent) WebSocket endpoint, with a deterministic interviewer behind it.

google-genai connects to `{base_url}/ws/google.ai.generativelanguage.{version}.GenerativeService.
BidiGenerateContent` over `wss` (so through the emulator's TLS port), sends one JSON `setup` message
and waits for `setupComplete`. After that the protocol is what livekit-plugins-google speaks:

client -> server
  realtimeInput   audio (16 kHz s16le PCM, base64, 50 ms chunks), text, activityStart/End, audioStreamEnd
  clientContent   turns [{role, parts:[{text}]}] and turnComplete. A user text turn arrives as the text
                  with turnComplete false, then "." with turnComplete true; generate_reply(instructions)
                  arrives as a model turn with the instructions, then "." with turnComplete true.
  toolResponse    functionResponses [{id, name, response}]
server -> client
  setupComplete, serverContent {modelTurn.parts[].inlineData (audio/pcm;rate=24000) or .text,
  inputTranscription, outputTranscription, generationComplete, turnComplete, interrupted},
  toolCall {functionCalls [{id, name, args}]}, goAway {timeLeft}, sessionResumptionUpdate
  {newHandle, resumable}, usageMetadata.

Turn-taking: the candidate's audio goes through an energy detector (live_audio.SpeechDetector);
speech followed by ~600 ms of silence ends their turn. The reply starts at once; the turn's audio is
recognised meanwhile (live_transcribe: Whisper, or a placeholder "[candidate audio 3.2 s]") and its
inputTranscription is sent during the reply, before the turn ends, which is when livekit-plugins-google
finalises the candidate's transcript. Talking over the model's reply interrupts it. Like Gemini, the end of a
spoken reply (turnComplete) is held back until its audio would have played out, but only once the
client has sent audio: a text-only client gets turnComplete at once. What to say is decided by
live_interviewer.Interviewer; this module only does the wire protocol and timing.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import WSCloseCode, WSMessage, WSMsgType, web

from .checks import live_setup_refusal
from .faults import STATS_KEY, Stats
from .live_audio import (
    OUTPUT_RATE,
    SpeechDetector,
    SpeechEvent,
    SynthesisError,
    first_voiced_offset,
    split_sentences,
)
from .live_interviewer import END_TOOL, Interviewer, InterviewerState, Reply, parse_plan
from .live_runtime import CLOSE_REASONS, HANDLE_REFUSED, LIVE_KEY, LiveRuntime, TurnTiming
from .live_transcribe import placeholder

log = logging.getLogger(__name__)

LIVE_ROUTE = (
    "/ws/google.ai.generativelanguage.{version:v[0-9]+[a-z0-9]*}"
    ".GenerativeService.{method:BidiGenerateContent(?:Constrained)?}"
)
SETUP_TIMEOUT_SECONDS = 10.0
MAX_MESSAGE_BYTES = 8 * 1024 * 1024
CLOSE_INVALID_PAYLOAD = 1007
"""The code Gemini uses for a request it rejects; livekit-plugins-google treats it as fatal."""
AUDIO_CHUNK_BYTES = OUTPUT_RATE * 2 // 10  # 100 ms of 24 kHz s16le per message
GOAWAY_SECONDS = 1.0
PLAYOUT_MARGIN_SECONDS = 0.15
GENERATION_GAP_SECONDS = 0.3
"""After a goAway mid-reply, the rest of the reply is still being generated: one sentence per gap,
so a client that drops the connection at once loses it, as it would with the real API."""
TOOL_RESPONSE_TIMEOUT_SECONDS = 30.0
ABORTED = (1011, "The connection reached its lifetime and was aborted (ABORTED).")
NON_BLOCKING_BY_DEFAULT = ("3.8",)
"""Live models that run declared functions NON_BLOCKING unless the declaration says BLOCKING."""
_ids = itertools.count(1)


def message_kind(message: dict[str, Any]) -> str | None:
    """The message's top-level key in camelCase (`realtime_input` -> `realtimeInput`)."""
    for key in message:
        return _camel(key)
    return None


def _camel(key: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)


def _get(obj: object, key: str) -> Any:
    """A field by its camelCase name or its snake_case spelling (clients mix both)."""
    if not isinstance(obj, dict):
        return None
    if key in obj:
        return obj[key]
    return obj.get(re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), key))


def _content_text(content: object) -> str:
    parts = _get(content, "parts")
    if not isinstance(parts, list):
        return ""
    return "".join(p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str))


def _tool_names(setup: dict[str, Any]) -> frozenset[str]:
    return frozenset(_tool_behaviors(setup))


def _tool_behaviors(setup: dict[str, Any]) -> dict[str, bool]:
    """Declared function names, and whether each runs NON_BLOCKING (the declaration's `behavior`,
    else the model family's default: blocking up to 2.5 and 3.1, non-blocking from 3.8)."""
    default = any(tag in str(setup.get("model", "")) for tag in NON_BLOCKING_BY_DEFAULT)
    behaviors: dict[str, bool] = {}
    for tool in _get(setup, "tools") or []:
        for declaration in _get(tool, "functionDeclarations") or []:
            if isinstance(declaration, dict) and isinstance(declaration.get("name"), str):
                behavior = str(_get(declaration, "behavior") or "").upper()
                behaviors[declaration["name"]] = (
                    behavior == "NON_BLOCKING" if behavior in ("BLOCKING", "NON_BLOCKING") else default
                )
    return behaviors


def close_reason(text: str) -> bytes:
    """A close frame's reason: at most 123 bytes (RFC 6455; the real API cuts its messages too)."""
    return text.encode()[:123].decode(errors="ignore").encode()


def setup_handle(setup: dict[str, Any]) -> str | None:
    """The resumption handle a setup asks to continue, if any."""
    resumption = _get(setup, "sessionResumption")
    handle = _get(resumption, "handle") if isinstance(resumption, dict) else None
    return handle if isinstance(handle, str) and handle else None


def _b64decode(data: str) -> bytes:
    """Base64 as google-genai sends it: URL-safe alphabet, padding dropped (standard also accepted)."""
    data = data.strip().replace("-", "+").replace("_", "/")
    return base64.b64decode(data + "=" * (-len(data) % 4))


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


@dataclass
class _PendingReply:
    reply: Reply
    speech_end_at: float | None = None
    detected_at: float | None = None


@dataclass
class _PendingCall:
    """A toolCall the client has not answered yet."""

    name: str
    non_blocking: bool
    answered: asyncio.Future[str | None]
    """Resolved with the response's scheduling (None when it gave none)."""


class LiveSession:
    """One client connection after a valid setup: reads input, speaks the interviewer's replies."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        setup: dict[str, Any],
        version: str,
        runtime: LiveRuntime | None = None,
        stats: Stats | None = None,
    ) -> None:
        self.ws = ws
        self.setup = setup
        self.version = version
        self.runtime = runtime or LiveRuntime()
        self.stats = stats or Stats()
        self.model = str(setup.get("model", ""))
        self.id = f"live-{next(_ids)}"
        config = _get(setup, "generationConfig") or {}
        modalities = [str(m).upper() for m in (_get(config, "responseModalities") or ["AUDIO"])]
        self.audio_out = "AUDIO" in modalities
        self.system_text = _content_text(_get(setup, "systemInstruction"))
        self.input_transcription = _get(setup, "inputAudioTranscription") is not None
        self.output_transcription = _get(setup, "outputAudioTranscription") is not None
        resumption = _get(setup, "sessionResumption")
        self.resumable = resumption is not None
        handle = _get(resumption, "handle") if isinstance(resumption, dict) else None
        restored = self.runtime.resume(handle) if isinstance(handle, str) and handle else None
        self.resumed = restored is not None
        state = InterviewerState.restore(restored) if restored else InterviewerState()
        self.tool_behaviors = _tool_behaviors(setup)
        faults = self.runtime.faults
        self.interviewer = Interviewer(
            parse_plan(self.system_text),
            frozenset(self.tool_behaviors),
            state,
            paraphrase=faults.live_paraphrase,
            seed=faults.live_seed,
        )
        if isinstance(handle, str) and handle and not restored:
            # An unknown handle (the emulator restarted): continue without greeting again.
            self.interviewer.state.greeted = True
        self.detector = SpeechDetector(silence_ms=self.runtime.silence_ms)
        self.audio_seen = False
        self.pending_user: list[str] = []
        self.pending_control: str | None = None
        self.model_turns = 0
        self._send_lock = asyncio.Lock()
        self._queue: asyncio.Queue[_PendingReply] = asyncio.Queue()
        self._speaker: asyncio.Task[None] | None = None
        self._current: asyncio.Task[None] | None = None
        self._activity_started: float | None = None
        self._closing = False
        self._calls: dict[str, _PendingCall] = {}
        self._timers: list[asyncio.TimerHandle] = []
        self._side_tasks: set[asyncio.Future[None]] = set()
        self._goaway_pending = False
        self._goaway_sent = False
        self._pace_sentences = False
        self._untold: list[asyncio.Future[str]] = []
        """The candidate's finished turns whose inputTranscription has not been sent yet, in order."""

    # -- wire -------------------------------------------------------------------------------------
    async def send(self, message: dict[str, Any]) -> None:
        """Send one server message as a JSON text frame (google-genai accepts text and binary)."""
        if self.ws.closed:
            raise ConnectionResetError("the client went away")
        async with self._send_lock:
            await self.ws.send_str(json.dumps(message, separators=(",", ":")))

    async def start(self) -> None:
        """Answer the handshake, hand out a first resumption handle, and start the speaker."""
        await self.send({"setupComplete": {}})
        self.runtime.active_sessions += 1
        if self.resumed:
            self.stats.live["resumed_sessions"] += 1
        if self.resumable:
            await self._send_handle()
        self._speaker = asyncio.create_task(self._speak_loop(), name=f"{self.id}-speaker")
        if self.input_transcription and self.runtime.faults.live_transcribe:
            self.runtime.transcriber.warm()
        self._start_timers()

    def _start_timers(self) -> None:
        """Connection-age events on the emulated clock: the goAway every connection gets (the real
        API: about every 10 minutes) and a session-limit or quota close."""
        faults, loop = self.runtime.faults, asyncio.get_running_loop()
        if faults.live_goaway_every_s is not None:
            self._timers.append(
                loop.call_later(self.runtime.real_seconds(faults.live_goaway_every_s), self._goaway_due)
            )
        if faults.live_close_after_s is not None:
            code, reason = CLOSE_REASONS[faults.live_close_kind]
            self._timers.append(
                loop.call_later(
                    self.runtime.real_seconds(faults.live_close_after_s),
                    lambda: asyncio.ensure_future(self._close_for(code, reason, "limit_closes")),
                )
            )

    def _goaway_due(self) -> None:
        """The connection is old: say goAway now if a reply is being spoken (mid-turn), else during
        the next reply, after its first sentence (the worst moment for a client that drops at once)."""
        if self._current is not None and not self._current.done():
            self._side_tasks.add(asyncio.ensure_future(self._send_goaway()))
        else:
            self._goaway_pending = True

    async def _send_goaway(self) -> None:
        if self._goaway_sent or self.ws.closed:
            return
        self._goaway_sent = True
        self._goaway_pending = False
        self._pace_sentences = True
        left = self.runtime.real_seconds(self.runtime.faults.live_goaway_time_left_s)
        self.stats.live["goaways"] += 1
        await self.send({"goAway": {"timeLeft": f"{left:.3f}s"}})
        code, reason = ABORTED
        self._timers.append(
            asyncio.get_running_loop().call_later(
                left, lambda: asyncio.ensure_future(self._close_for(code, reason, "aborted_connections"))
            )
        )

    async def _close_for(self, code: int, reason: str, counter: str) -> None:
        if self.ws.closed:
            return
        self.stats.live[counter] += 1
        await self.ws.close(code=code, message=close_reason(reason))

    async def on_message(self, message: dict[str, Any]) -> None:
        """Route a client message to `handle_<kind>`; unknown kinds are ignored, like the real API."""
        kind = message_kind(message)
        handler = getattr(self, f"handle_{kind}", None) if kind else None
        if handler is None:
            log.debug("live: ignoring %s message", kind)
            return
        await handler(message[next(iter(message))])

    async def close(self) -> None:
        """Stop speaking and release the session."""
        self._closing = True
        for timer in self._timers:
            timer.cancel()
        for call in self._calls.values():
            if not call.answered.done():
                call.answered.cancel()
        for task in (self._current, self._speaker, *self._untold):
            if task is not None:
                task.cancel()
        for task in (self._current, self._speaker):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._speaker is not None:
            self.runtime.active_sessions -= 1
            self._speaker = None

    # -- client messages --------------------------------------------------------------------------
    async def handle_realtimeInput(self, body: Any) -> None:  # noqa: N802 (wire name)
        if not isinstance(body, dict):
            return
        audio = _get(body, "audio")
        chunks = [audio] if isinstance(audio, dict) else []
        chunks += [c for c in (_get(body, "mediaChunks") or []) if isinstance(c, dict)]
        for chunk in chunks:
            mime = str(_get(chunk, "mimeType") or "audio/pcm")
            data = _get(chunk, "data")
            if mime.startswith("audio/") and isinstance(data, str) and data:
                try:
                    pcm = _b64decode(data)
                except ValueError:
                    log.warning(
                        "live: ignoring an audio chunk that is not base64 (%d chars, %r...%r)",
                        len(data),
                        data[:12],
                        data[-12:],
                    )
                    continue
                self.audio_seen = True
                for event in self.detector.feed(pcm):
                    await self._on_speech(event)
        text = _get(body, "text")
        if isinstance(text, str) and text.strip():
            await self._interrupt(barge_in=True)
            self._enqueue(_PendingReply(self.interviewer.answer(text=text), detected_at=time.time()))
        if _get(body, "activityStart") is not None:
            self.audio_seen = True
            self._activity_started = time.monotonic()
            await self._on_speech(SpeechEvent("start"))
        if _get(body, "activityEnd") is not None and self._activity_started is not None:
            seconds = time.monotonic() - self._activity_started
            self._activity_started = None
            await self._on_speech(SpeechEvent("end", seconds))
        if _get(body, "audioStreamEnd") and self.detector.speaking:
            self.detector.reset()
            await self._on_speech(SpeechEvent("end", 1.0))

    async def handle_clientContent(self, body: Any) -> None:  # noqa: N802 (wire name)
        if not isinstance(body, dict):
            return
        turns = _get(body, "turns") or []
        for turn in turns if isinstance(turns, list) else []:
            text = _content_text(turn).strip()
            control = self.interviewer.plan.control_kind(text)
            if control:  # a model turn (2.5) or a user turn wrapping <instructions> (3.1, 3.8)
                self.pending_control = control
            elif _get(turn, "role") == "model":
                if "QUESTION PLAN" in text:  # new instructions mid-session: same state, new plan
                    self.interviewer.plan = parse_plan(text)
                else:  # replayed history after a reconnect: earlier user text was answered already
                    self.pending_user.clear()
                    if text:  # the model spoke before: a fresh session on old history greets no more
                        self.interviewer.state.greeted = True
            elif text and text != ".":
                self.pending_user.append(text)
        if not _get(body, "turnComplete"):
            return
        if self.pending_control:
            reply = self.interviewer.control(self.pending_control)
        elif self.pending_user:
            reply = self.interviewer.answer(text=" ".join(self.pending_user))
        else:
            reply = self.interviewer.repeat()
        self.pending_control = None
        self.pending_user.clear()
        await self._interrupt()
        self._enqueue(_PendingReply(reply, detected_at=time.time()))

    async def handle_toolResponse(self, body: Any) -> None:  # noqa: N802 (wire name)
        """Answer the pending call each response names (or the oldest, for a response without id).

        A blocking call's reply waits for it (`_speak_reply`). A non-blocking call's response is
        spoken about the way its scheduling says: SILENT not at all, WHEN_IDLE (the default) after the
        current reply, INTERRUPT at once; a model that answers (the realistic profile) says goodbye
        again after end_interview, which is why the agent asks for SILENT."""
        for response in _get(body, "functionResponses") or []:
            if not isinstance(response, dict):
                continue
            call_id = _get(response, "id")
            if call_id not in self._calls:
                call_id = next(iter(self._calls), None)
            call = self._calls.pop(call_id, None) if call_id is not None else None
            if call is None:
                continue
            self.stats.live["tool_responses"] += 1
            scheduling = str(_get(response, "scheduling") or "").upper() or None
            if not call.answered.done():
                call.answered.set_result(scheduling)
            answers = self.runtime.faults.live_answer_tool_responses
            if call.non_blocking and scheduling != "SILENT" and answers:
                if scheduling == "INTERRUPT":
                    await self._interrupt()
                self.stats.live["tool_answers"] += 1
                self._enqueue(_PendingReply(self.interviewer.tool_answer(call.name), detected_at=time.time()))

    # -- turn taking ------------------------------------------------------------------------------
    async def _on_speech(self, event: SpeechEvent) -> None:
        if event.kind == "start":
            await self._interrupt(barge_in=True)
            return
        now = time.time()
        self.stats.live["candidate_turns"] += 1
        if self.input_transcription:
            self._untold.append(self._transcribe(event))
        # The reply does not wait for the words: like Gemini, it is decided on the audio alone.
        reply = self.interviewer.answer(audio_seconds=event.speech_seconds)
        self._enqueue(
            _PendingReply(reply, speech_end_at=now - self.detector.silence_ms / 1000, detected_at=now)
        )

    def _transcribe(self, event: SpeechEvent) -> asyncio.Future[str]:
        transcriber = self.runtime.transcriber
        if self.runtime.faults.live_transcribe and transcriber.active:
            return asyncio.ensure_future(
                transcriber.transcribe(event.pcm, event.speech_seconds, self.interviewer.plan.language)
            )
        told: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        told.set_result(placeholder(event.speech_seconds))
        return told

    async def _tell_transcripts(self) -> None:
        """Send what the candidate said since the last reply told it, as one inputTranscription.

        Waits for the recognition (bounded by its own timeout). A reply cancelled meanwhile (barge-in)
        leaves the turns untold, so the next reply tells them: nothing the candidate said is dropped.
        """
        pending = list(self._untold)
        texts = [await asyncio.shield(told) for told in pending]
        del self._untold[: len(pending)]
        text = " ".join(t for t in texts if t)
        if text:
            await self.send({"serverContent": {"inputTranscription": {"text": text}}})

    async def _interrupt(self, barge_in: bool = False) -> None:
        """Stop the reply being spoken (barge-in, or new client content), as Gemini does. A barge-in
        also cancels the tool calls still waiting for their response (toolCallCancellation)."""
        if barge_in and self._calls and self.runtime.faults.live_tool_cancel_on_barge_in:
            ids = list(self._calls)
            for call in self._calls.values():
                if not call.answered.done():
                    call.answered.cancel()
            self._calls.clear()
            self.stats.live["tool_cancellations"] += 1
            await self.send({"toolCallCancellation": {"ids": ids}})
        while not self._queue.empty():
            self._queue.get_nowait()
        if self._current is None or self._current.done():
            return
        self._current.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._current
        self.stats.live["interruptions"] += 1
        await self.send({"serverContent": {"interrupted": True}})
        await self.send({"serverContent": {"turnComplete": True}})

    def _enqueue(self, pending: _PendingReply) -> None:
        self._queue.put_nowait(pending)

    async def _speak_loop(self) -> None:
        while True:
            pending = await self._queue.get()
            self._current = asyncio.create_task(self._speak(pending), name=f"{self.id}-reply")
            try:
                await self._current
            except asyncio.CancelledError:
                if self._closing:
                    raise
            except ConnectionResetError:
                return
            finally:
                self._current = None

    async def _speak(self, pending: _PendingReply) -> None:
        reply = pending.reply
        timing = TurnTiming(
            self.id,
            reply.kind,
            self.interviewer.plan.role,
            pending.speech_end_at,
            pending.detected_at,
            time.time(),
        )
        self.runtime.turns.append(timing)
        try:
            await self._speak_reply(reply, timing)
        except asyncio.CancelledError:
            timing.interrupted = True
            raise

    async def _speak_reply(self, reply: Reply, timing: TurnTiming) -> None:
        delay_ms = self.runtime.faults.live_delay_ms
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        if self._untold and all(told.done() for told in self._untold):
            await self._tell_transcripts()  # placeholders, or words already recognised: first
        usage = {
            "promptTokenCount": _tokens(self.system_text),
            "responseTokenCount": _tokens(reply.text),
            "totalTokenCount": _tokens(self.system_text) + _tokens(reply.text),
        }
        call = reply.tool_call if reply.tool_call and reply.tool_call[0] in self.tool_behaviors else None
        tool_first = call is not None and call[0] == END_TOOL and self.runtime.take_tool_first()
        if call is not None and tool_first:
            await self.send({"usageMetadata": usage})
            reply = await self._call_tool(call, reply) or reply
        audio_seconds = await self._say(reply.text, timing)
        await self.send({"serverContent": {"generationComplete": True}})
        if self._untold:  # still being recognised: told while the reply plays, before the turn ends
            await self._tell_transcripts()
        if call is not None and not tool_first:
            await self.send({"usageMetadata": usage})
            answer = await self._call_tool(call, None)
            if answer is not None:
                audio_seconds += await self._say(answer.text, timing)
        if self.audio_seen and audio_seconds and timing.first_audio_at is not None:
            # Like Gemini, end the turn when the client has played it, so talking over it interrupts.
            played = time.time() - timing.first_audio_at
            await asyncio.sleep(max(0.0, audio_seconds - played - PLAYOUT_MARGIN_SECONDS))
        await self.send({"serverContent": {"turnComplete": True}, "usageMetadata": usage})
        timing.completed_at = time.time()
        await self._after_turn()

    async def _say(self, text: str, timing: TurnTiming) -> float:
        """Speak (or write, for a TEXT session) one reply's words; seconds of audio sent."""
        if self.audio_out:
            return await self._send_audio(text, timing)
        timing.first_audio_at = timing.first_audio_at or time.time()
        await self.send({"serverContent": {"modelTurn": {"parts": [{"text": text}]}}})
        if self._goaway_pending:
            await self._send_goaway()
        return 0.0

    async def _call_tool(self, call: tuple[str, dict[str, Any]], before: Reply | None) -> Reply | None:
        """Send a toolCall. A blocking call waits for its response, as the real API does, and a model
        that answers tool responses (realistic) then speaks; returns what to say after the call (the
        reply itself when the call went first, plus any answer)."""
        name, args = call
        call_id = f"call-{next(_ids)}"
        non_blocking = self.tool_behaviors.get(name, False)
        pending = _PendingCall(name, non_blocking, asyncio.get_running_loop().create_future())
        self._calls[call_id] = pending
        self.stats.live["tool_calls"] += 1
        await self.send({"toolCall": {"functionCalls": [{"id": call_id, "name": name, "args": args}]}})
        if non_blocking:
            return before
        try:
            answered = asyncio.shield(pending.answered)
            scheduling = await asyncio.wait_for(answered, TOOL_RESPONSE_TIMEOUT_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            self._calls.pop(call_id, None)
            if self._closing:
                raise
            return before
        if scheduling == "SILENT" or not self.runtime.faults.live_answer_tool_responses:
            return before
        self.stats.live["tool_answers"] += 1
        answer = self.interviewer.tool_answer(name)
        if before is None:
            return answer
        return Reply(f"{before.text} {answer.text}", kind=before.kind)

    async def _send_audio(self, text: str, timing: TurnTiming) -> float:
        """Synthesise sentence by sentence (all at once, sent in order) and stream 100 ms chunks."""
        language = self.interviewer.plan.language
        sentences = split_sentences(text) or [text]
        synth = self.runtime.synthesizer
        # paced only for a client that streams audio, so plays replies in real time (text-mode
        # clients, like the agent's text tests, get each sentence at once)
        speed = self.runtime.audio_speed if self.audio_seen else 0.0
        jobs = [asyncio.ensure_future(synth.synthesize(s, language)) for s in sentences]
        seconds = 0.0
        try:
            for index, (sentence, job) in enumerate(zip(sentences, jobs, strict=True)):
                if index > 0 and self._pace_sentences:
                    await asyncio.sleep(GENERATION_GAP_SECONDS)
                if index == 1 and self._goaway_pending:
                    await self._send_goaway()
                try:
                    pcm = await job
                except SynthesisError as error:
                    log.warning("live: synthesis failed, sending the transcript only: %s", error)
                    pcm = b""
                content: dict[str, Any] = {}
                if self.output_transcription:
                    content["outputTranscription"] = {"text": sentence + " "}
                if not pcm:
                    if content:
                        await self.send({"serverContent": content})
                    continue
                for offset in range(0, len(pcm), AUDIO_CHUNK_BYTES):
                    chunk = pcm[offset : offset + AUDIO_CHUNK_BYTES]
                    if speed > 0 and timing.first_audio_at is not None:
                        # stream at `speed` x real time, as a model generating speech does
                        ahead = timing.first_audio_at + seconds / speed - time.time()
                        if ahead > 0:
                            await asyncio.sleep(ahead)
                    content["modelTurn"] = {
                        "parts": [
                            {
                                "inlineData": {
                                    "mimeType": f"audio/pcm;rate={OUTPUT_RATE}",
                                    "data": base64.b64encode(chunk).decode(),
                                }
                            }
                        ]
                    }
                    if timing.first_audio_at is None:
                        # taken before the send: a send that waits for the socket (or for this busy
                        # loop) counts against the agent's measured overhead, never for it
                        timing.first_audio_at = time.time()
                    await self.send({"serverContent": content})
                    if timing.first_voice_at is None:
                        voiced = first_voiced_offset(chunk)
                        if voiced is not None:  # played from first_audio_at on, in real time
                            timing.first_voice_at = timing.first_audio_at + seconds + voiced
                    content = {}
                    seconds += len(chunk) / 2 / OUTPUT_RATE
            if self._goaway_pending:  # a one-sentence reply: still before its turn completes
                await self._send_goaway()
        finally:
            for job in jobs:
                job.cancel()
        return seconds

    async def _after_turn(self) -> None:
        """Count the turn, hand out a fresh resumption handle, then apply any turn-count fault."""
        self.model_turns += 1
        self.stats.live["model_turns"] += 1
        if self.resumable:
            await self._send_handle()
        if self.runtime.take_goaway(self.model_turns):
            self.stats.live["goaways"] += 1
            await self.send({"goAway": {"timeLeft": f"{GOAWAY_SECONDS:g}s"}})
            asyncio.get_running_loop().call_later(
                GOAWAY_SECONDS, lambda: asyncio.ensure_future(self.ws.close(code=WSCloseCode.OK))
            )
            return
        code = self.runtime.take_close(self.model_turns)
        if code is not None:
            self.stats.live["injected_closes"] += 1
            await self.ws.close(code=code, message=b"injected failure by the local emulator")

    async def _send_handle(self) -> None:
        handle = self.runtime.new_handle(self.interviewer.state.snapshot())
        await self.send({"sessionResumptionUpdate": {"newHandle": handle, "resumable": True}})


def _decode(msg: WSMessage) -> dict[str, Any] | None:
    """A client frame as a JSON object, or None when it is not one."""
    if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
        return None
    try:
        data = json.loads(msg.data)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


async def handle_live(request: web.Request) -> web.WebSocketResponse:
    """The WebSocket handler: validate the setup message, answer setupComplete, then serve messages."""
    stats = request.app[STATS_KEY]
    runtime = request.app[LIVE_KEY] if LIVE_KEY in request.app else LiveRuntime()
    ws = web.WebSocketResponse(max_msg_size=MAX_MESSAGE_BYTES)
    await ws.prepare(request)
    stats.live["connections"] += 1
    try:
        first = await ws.receive(timeout=SETUP_TIMEOUT_SECONDS)
    except TimeoutError:
        await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"setup message expected")
        return ws
    message = _decode(first)
    setup = message.get("setup") if message else None
    if not isinstance(setup, dict) or not isinstance(setup.get("model"), str):
        stats.live["rejected_setups"] += 1
        await ws.close(code=CLOSE_INVALID_PAYLOAD, message=b"the first message must be a setup with a model")
        return ws
    refusal = None
    if runtime.faults.live_check_setup:
        refusal = live_setup_refusal(setup, request.match_info["version"])
        if refusal is not None:
            stats.refused["live_setup"] += 1
    refusal = refusal or runtime.take_refusal()
    handle = setup_handle(setup)
    if refusal is None and handle is not None and runtime.handle_refusal(handle) is not None:
        refusal = HANDLE_REFUSED
        stats.live["refused_handles"] += 1
    if refusal is not None:  # quota, outage or a stale handle: refused before setupComplete
        stats.live["refused_setups"] += 1
        await ws.close(code=refusal[0], message=close_reason(refusal[1]))
        return ws
    session = LiveSession(ws, setup, request.match_info["version"], runtime, stats)
    stats.live["sessions"] += 1
    try:
        await session.start()
        async for msg in ws:
            data = _decode(msg)
            if data is None:
                if msg.type == WSMsgType.ERROR:
                    break
                continue
            stats.live["client_messages"] += 1
            await session.on_message(data)
    except ConnectionResetError:
        log.debug("live: client went away")
    finally:
        await session.close()
        stats.live["closed_sessions"] += 1  # with "sessions": how many are open (the warm start's test)
    return ws
