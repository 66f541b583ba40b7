"""The Live API's everyday and worst-day behaviours, one knob at a time, on the wire (no agent).

Each test speaks the Live protocol as raw JSON over a WebSocket to an in-process emulator on its
`strict` profile (the stack's default), sets the knob it is about per test, and runs any timer on a
sped-up emulated clock (`live_clock_scale`) so nothing waits for real-world minutes.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from devstack.gemini_emulator.faults import STATS_KEY
from devstack.gemini_emulator.server import create_app
from tests.gemini_emulator.support import serving

LIVE_PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
QUESTION = "Tell me about a data project where SQL was central to the result."
SYSTEM = f"""Interviewer: Alex
Candidate: Ada Lovelace
Role: Data Engineer
Interview language: en (English)
Time budget: 10 minutes
QUESTION PLAN (ask in this order, one at a time):
1. [SQL] {QUESTION}
"""
ANSWER = "I built the finance reporting warehouse and wrote every model in SQL with the analysts."
Message = dict[str, Any]


def declaration(name: str, behavior: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "description": name, "parameters": {"type": "OBJECT"}}
    if behavior:
        body["behavior"] = behavior
    return body


@dataclass
class Closed:
    code: int | None
    reason: str


class Live:
    """One Live connection after its setup: send messages, read until something arrives."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.seen: list[Message] = []

    async def send(self, message: Message) -> None:
        await self.ws.send_str(json.dumps(message))

    async def until(self, done: Callable[[Message], bool], timeout: float = 5.0) -> list[Message] | Closed:
        """Messages up to and including the first that `done` accepts; Closed if the server
        closes the connection first."""
        got: list[Message] = []
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.ws.receive(timeout=max(0.01, deadline - time.monotonic()))
            if frame.type != aiohttp.WSMsgType.TEXT:
                return Closed(self.ws.close_code, str(frame.extra or ""))
            message = json.loads(frame.data)
            got.append(message)
            self.seen.append(message)
            if done(message):
                return got

    async def quiet_for(self, seconds: float) -> list[Message]:
        """What arrives within `seconds` (nothing, for a model that stays silent)."""
        got: list[Message] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = await self.ws.receive(timeout=left)
            except TimeoutError:
                break
            if frame.type != aiohttp.WSMsgType.TEXT:
                break
            got.append(json.loads(frame.data))
        return got

    async def greet(self) -> list[Message]:
        await self.send(
            {
                "clientContent": {
                    "turns": [
                        {"role": "model", "parts": [{"text": "SYSTEM NOTE [greet]: greet the candidate."}]},
                        {"role": "user", "parts": [{"text": "."}]},
                    ],
                    "turnComplete": True,
                }
            }
        )
        return await self.turn()

    async def answer(self, text: str = ANSWER) -> list[Message]:
        await self.send(
            {"clientContent": {"turns": [{"role": "user", "parts": [{"text": text}]}], "turnComplete": True}}
        )
        return await self.turn()

    async def turn(self) -> list[Message]:
        got = await self.until(
            lambda m: bool(m.get("serverContent", {}).get("turnComplete")) or "toolCall" in m
        )
        assert not isinstance(got, Closed), got
        return got


def said(messages: list[Message]) -> str:
    return " ".join(
        part.get("text", "")
        for m in messages
        for part in m.get("serverContent", {}).get("modelTurn", {}).get("parts", [])
    )


def calls(messages: list[Message]) -> list[Message]:
    return [call for m in messages for call in m.get("toolCall", {}).get("functionCalls", [])]


@dataclass
class Emulator:
    """An in-process emulator for one test: Live connections and its Live statistics."""

    app: Any
    http: aiohttp.ClientSession
    port: int

    async def connect(
        self, tools: tuple[dict[str, Any], ...] = (), handle: str | None = None
    ) -> Live | Closed:
        """A TEXT-modality Live setup (with a handle: a resumption); Closed when it is refused."""
        ws = await self.http.ws_connect(f"ws://127.0.0.1:{self.port}{LIVE_PATH}?key=any")
        setup: dict[str, Any] = {
            "model": "models/gemini-3.8-live",
            "generationConfig": {"responseModalities": ["TEXT"]},
            "systemInstruction": {"parts": [{"text": SYSTEM}]},
            "sessionResumption": {"handle": handle} if handle else {},
        }
        if tools:
            setup["tools"] = [{"functionDeclarations": list(tools)}]
        await ws.send_str(json.dumps({"setup": setup}))
        live = Live(ws)
        first = await live.until(lambda m: "setupComplete" in m)
        return first if isinstance(first, Closed) else live

    def stats(self) -> dict[str, int]:
        return dict(self.app[STATS_KEY].live)


@asynccontextmanager
async def emulator(profile: str = "strict", **faults: Any) -> AsyncIterator[Emulator]:
    """An emulator on `profile`, with `faults` set the way a test sets them (POST /emulator/faults)."""
    app = create_app(profile=profile, transcribe="placeholder")
    async with serving(app) as running, aiohttp.ClientSession() as http:
        if faults:
            url = f"http://127.0.0.1:{running.http_port}/emulator/faults"
            async with http.post(url, json=faults) as response:
                assert response.status == 200, await response.text()
        yield Emulator(app, http, running.http_port)


def run(scenario: Any) -> Any:
    return asyncio.run(asyncio.wait_for(scenario, 30))


def handles(messages: list[Message]) -> list[str]:
    return [m["sessionResumptionUpdate"]["newHandle"] for m in messages if "sessionResumptionUpdate" in m]


# -- everyday behaviours that cost no time: on in strict ------------------------------------------
def test_planned_questions_are_paraphrased_in_strict_and_word_for_word_in_ideal() -> None:
    async def greeting(profile: str) -> str:
        async with emulator(profile) as emu:
            live = await emu.connect()
            return said(await live.greet())

    strict, ideal = run(greeting("strict")), run(greeting("ideal"))
    assert QUESTION in ideal
    assert QUESTION not in strict
    assert QUESTION.rstrip(".")[1:] in strict  # the core is kept, reworded at both ends


def test_a_resumption_handle_is_single_use_and_expires_on_the_emulated_clock() -> None:
    async def scenario() -> tuple[Any, ...]:
        async with emulator(live_clock_scale=1000, live_handle_ttl_s=600) as emu:
            live = await emu.connect()
            handle = handles(await live.greet())[-1]
            await live.ws.close()
            resumed = await emu.connect(handle=handle)
            reused = await emu.connect(handle=handle)
            assert isinstance(resumed, Live)
            fresh = handles(await resumed.answer())[-1]
            await resumed.ws.close()
            await asyncio.sleep(0.7)  # 700 emulated seconds: past the handle's 600
            expired = await emu.connect(handle=fresh)
            return resumed, reused, expired, emu.stats()

    resumed, reused, expired, stats = run(scenario())
    assert isinstance(resumed, Live)
    for refused in (reused, expired):
        assert isinstance(refused, Closed), refused
        assert refused.code == 1008
        assert "invalid or has expired" in refused.reason
    assert stats["refused_handles"] == 2


def test_some_closing_turns_call_end_interview_before_the_goodbye() -> None:
    async def closing(every: int | None) -> tuple[list[Message], list[Message]]:
        async with emulator(live_tool_first_every=every) as emu:
            live = await emu.connect(tools=(declaration("end_interview"),))
            await live.greet()
            until_call = await live.answer()  # up to the call, or the whole turn when it comes last
            rest = await live.turn() if not said(until_call) else []
            return until_call, rest

    first, goodbye = run(closing(1))
    assert calls(first)[0]["name"] == "end_interview"
    assert not said(first)  # the call before any word of the closing turn...
    assert "goodbye" in said(goodbye).casefold()  # ...then the goodbye
    last, _ = run(closing(None))
    assert "goodbye" in said(last).casefold()  # the words, then the call
    assert calls(last)[0]["name"] == "end_interview"


def test_a_tool_response_is_answered_aloud_unless_it_is_silent() -> None:
    async def after_the_response(scheduling: str | None) -> tuple[list[Message], dict[str, int]]:
        async with emulator(live_tool_first_every=None) as emu:
            live = await emu.connect(tools=(declaration("end_interview", "NON_BLOCKING"),))
            await live.greet()
            call = calls(await live.answer())[0]
            response: dict[str, Any] = {"id": call["id"], "name": call["name"], "response": {"ok": True}}
            if scheduling:
                response["scheduling"] = scheduling
            await live.send({"toolResponse": {"functionResponses": [response]}})
            return await live.quiet_for(1.0), emu.stats()

    silent, silent_stats = run(after_the_response("SILENT"))
    when_idle, idle_stats = run(after_the_response("WHEN_IDLE"))
    assert not said(silent)
    assert silent_stats.get("tool_answers", 0) == 0
    assert said(when_idle)  # a second goodbye: why the agent sends SILENT
    assert idle_stats["tool_answers"] == 1


def test_a_barge_in_cancels_a_tool_call_that_awaits_its_response() -> None:
    async def scenario() -> tuple[list[Message], list[Message] | Closed]:
        async with emulator() as emu:
            live = await emu.connect(tools=(declaration("mark_question_asked", "BLOCKING"),))
            greeting = await live.greet()  # the first question, then a blocking mark call
            await live.send({"realtimeInput": {"text": "Sorry, could you repeat that?"}})
            return greeting, await live.until(lambda m: "toolCallCancellation" in m)

    greeting, cancelled = run(scenario())
    [call] = calls(greeting)
    assert not isinstance(cancelled, Closed), cancelled
    assert cancelled[-1]["toolCallCancellation"]["ids"] == [call["id"]]


# -- timers and closes: set per test, on a sped-up clock ----------------------------------------
def test_a_goaway_comes_at_its_connection_age_with_time_left_then_the_connection_is_aborted() -> None:
    """goAway at 60 emulated seconds of age with 100 s left, at 100x: 0.6 s and 1 s of wall clock."""

    async def scenario() -> tuple[list[Message], Closed, float]:
        async with emulator(live_clock_scale=100, live_goaway_every_s=60, live_goaway_time_left_s=100) as emu:
            live = await emu.connect()
            assert isinstance(live, Live)
            await asyncio.sleep(0.7)  # past the goAway mark, nothing being said: the next reply carries it
            await live.greet()
            got = live.seen
            goaway_at = time.monotonic()
            closed = await live.until(lambda m: False, timeout=5)
            assert isinstance(closed, Closed)
            return got, closed, time.monotonic() - goaway_at

    seen, closed, waited = run(scenario())
    [goaway] = [m["goAway"] for m in seen if "goAway" in m]
    assert goaway["timeLeft"] == "1.000s"  # wall-clock seconds: what the client must act on
    assert said(seen)  # it came during a reply, which went on
    assert closed.code == 1011
    assert "ABORTED" in closed.reason
    assert 0.5 < waited < 3.0


def test_a_connection_is_closed_at_its_age_the_way_the_real_api_closes_it() -> None:
    async def closed_by(kind: str) -> tuple[Closed, float]:
        async with emulator(live_clock_scale=100, live_close_after_s=30, live_close_kind=kind) as emu:
            began = time.monotonic()
            live = await emu.connect()
            assert isinstance(live, Live)
            closed = await live.until(lambda m: False, timeout=5)
            assert isinstance(closed, Closed)
            return closed, time.monotonic() - began

    for kind, words in (
        ("quota", "RESOURCE_EXHAUSTED"),
        ("unavailable", "currently unavailable"),
        ("session_limit", "Deadline expired"),
    ):
        closed, after = run(closed_by(kind))
        assert closed.code == 1011, kind
        assert words in closed.reason, (kind, closed.reason)
        assert after < 3.0  # 30 emulated seconds at 100x


def test_refused_setups_close_before_setup_complete_then_one_is_let_through() -> None:
    async def scenario() -> list[Live | Closed]:
        async with emulator(live_refuse_setups=2, live_refuse_kind="unavailable") as emu:
            return [await emu.connect() for _ in range(3)]

    first, second, third = run(scenario())
    for refused in (first, second):
        assert isinstance(refused, Closed)
        assert refused.code == 1011
        assert "currently unavailable" in refused.reason
    assert isinstance(third, Live)
