"""The emulator's Live API through google-genai itself, over TLS, in this process (no stack):
setup and resumption handles, spoken replies as 24 kHz PCM with transcriptions, turns ended by voice
activity, barge-in, the end_interview tool call, goAway with resumption, text modality, faults."""

from __future__ import annotations

import asyncio
import math
import shutil
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from google import genai
from google.genai import types

from devstack.gemini_emulator.live_audio import run_sync
from devstack.gemini_emulator.live_runtime import LIVE_KEY
from devstack.gemini_emulator.server import RunningServer, create_app
from devstack.gemini_emulator.tls import client_ssl_context, ensure_certificates, server_ssl_context
from tests.gemini_emulator.support import serving

SYSTEM = """Interviewer: Alex
Candidate: Ada Lovelace
Role: Data Engineer
Interview language: en (English)
Time budget: 10 minutes
QUESTION PLAN (ask in this order, one at a time):
1. [SQL] Why SQL?
2. [Python] Why Python?
"""
END_TOOL = types.Tool(
    function_declarations=[
        types.FunctionDeclaration(
            name="end_interview",
            description="End the interview.",
            parameters=types.Schema(
                type=types.Type.OBJECT, properties={"reason": types.Schema(type=types.Type.STRING)}
            ),
        )
    ]
)
GREET = "SYSTEM NOTE [greet]: greet the candidate."


def tone(seconds: float, rate: int = 16_000) -> bytes:
    return b"".join(struct.pack("<h", int(7000 * math.sin(i * 0.07))) for i in range(int(seconds * rate)))


def silence(seconds: float, rate: int = 16_000) -> bytes:
    return b"\0\0" * int(seconds * rate)


@asynccontextmanager
async def emulator(
    state: Path, transcribe: str = "placeholder"
) -> AsyncIterator[tuple[RunningServer, Any, genai.Client]]:
    """Tones are not speech: these tests use placeholders unless they speak words and ask for Whisper.
    They test the wire protocol word for word, so on the ideal profile (no paraphrasing, handles
    that do not expire, any model name); the strict and realistic profiles have their own tests
    (tests/gemini_emulator/test_live_profiles.py and test_live_worst_day.py,
    tests/agent/test_agent_realistic.py)."""
    files = ensure_certificates(state)
    app = create_app(transcribe=transcribe, profile="ideal")
    async with serving(app, tls_port=0, ssl_context=server_ssl_context(files)) as running:
        client = genai.Client(
            api_key="any",
            http_options=types.HttpOptions(
                base_url=f"https://127.0.0.1:{running.tls_port}",
                async_client_args={"ssl": client_ssl_context(files.ca)},
            ),
        )
        yield running, app, client


def config(
    handle: str | None = None, modality: types.Modality = types.Modality.AUDIO
) -> types.LiveConnectConfig:
    return types.LiveConnectConfig(
        response_modalities=[modality],
        system_instruction=SYSTEM,
        tools=[END_TOOL],
        input_audio_transcription=types.AudioTranscriptionConfig(),
        output_audio_transcription=types.AudioTranscriptionConfig(),
        session_resumption=types.SessionResumptionConfig(handle=handle),
        context_window_compression=types.ContextWindowCompressionConfig(
            trigger_tokens=10_000, sliding_window=types.SlidingWindow(target_tokens=5_000)
        ),
    )


async def collect_turn(session: Any, timeout: float = 15) -> list[types.LiveServerMessage]:
    """Messages up to and including turnComplete (or a toolCall / goAway)."""
    messages: list[types.LiveServerMessage] = []

    async def read() -> None:
        while True:
            async for message in session.receive():
                messages.append(message)
                content = message.server_content
                if message.tool_call or message.go_away or (content and content.turn_complete):
                    return

    await asyncio.wait_for(read(), timeout)
    return messages


def spoken(messages: list[types.LiveServerMessage]) -> tuple[str, bytes]:
    text, audio = "", b""
    for message in messages:
        content = message.server_content
        if content and content.output_transcription and content.output_transcription.text:
            text += content.output_transcription.text
        for part in (content.model_turn.parts or []) if content and content.model_turn else []:
            if part.inline_data:
                assert part.inline_data.mime_type == "audio/pcm;rate=24000"
                audio += part.inline_data.data or b""
    return text.strip(), audio


async def greet(session: Any) -> list[types.LiveServerMessage]:
    await session.send_client_content(
        turns=[
            types.Content(role="model", parts=[types.Part(text=GREET)]),
            types.Content(role="user", parts=[types.Part(text=".")]),
        ],
        turn_complete=True,
    )
    return await collect_turn(session)


async def answer_by_text(session: Any, text: str) -> list[types.LiveServerMessage]:
    """The way livekit-plugins-google sends a typed turn: the text, then "." completing it."""
    await session.send_client_content(
        turns=[types.Content(role="user", parts=[types.Part(text=text)])], turn_complete=False
    )
    await session.send_client_content(
        turns=[types.Content(role="user", parts=[types.Part(text=".")])], turn_complete=True
    )
    return await collect_turn(session)


async def speak(session: Any, pcm: bytes) -> None:
    for offset in range(0, len(pcm), 1600):  # 50 ms chunks, like the plugin
        await session.send_realtime_input(
            audio=types.Blob(data=pcm[offset : offset + 1600], mime_type="audio/pcm;rate=16000")
        )


def test_greeting_audio_answers_and_the_closing_tool_call(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with emulator(tmp_path) as (_, app, client):
            async with client.aio.live.connect(model="gemini-live", config=config()) as session:
                hello = await greet(session)
                text, audio = spoken(hello)
                assert text.startswith("Hello Ada, I'm Alex")
                assert "Why SQL?" in text
                assert len(audio) > 24_000 * 2 * 0.5  # at least half a second of 24 kHz s16le speech
                assert hello[-1].server_content.turn_complete  # type: ignore[union-attr]

                await speak(session, tone(2.5) + silence(0.8))
                reply = await collect_turn(session)
                handles = [
                    m.session_resumption_update.new_handle for m in reply if m.session_resumption_update
                ]
                assert handles  # a fresh handle after every completed turn
                first = next(m.server_content for m in reply if m.server_content)
                assert first.input_transcription is not None
                assert first.input_transcription.text == "[candidate audio 2.5 s]"
                assert "Why Python?" in spoken(reply)[0]

                await speak(session, tone(3.0) + silence(0.8))
                closing = await collect_turn(session)
                assert "last question" in spoken(closing)[0]
                call = closing[-1].tool_call
                assert call is not None
                assert call.function_calls is not None
                assert call.function_calls[0].name == "end_interview"
                assert call.function_calls[0].args == {"reason": "completed"}
                await session.send_tool_response(
                    function_responses=[
                        types.FunctionResponse(
                            id=call.function_calls[0].id, name="end_interview", response={"output": "ok"}
                        )
                    ]
                )
                done = await collect_turn(session)
                assert done[-1].server_content is not None
                assert done[-1].server_content.turn_complete
            stats = app[LIVE_KEY]
            assert [t.kind for t in stats.turns] == ["question", "question", "wrap_up"]

    asyncio.run(scenario())


def test_reply_audio_streams_at_the_configured_speed(tmp_path: Path) -> None:
    """Like Gemini generating speech, a reply's audio reaches a client that streams its microphone
    over time (here 4x real time), not all at once: its receive loop gets a chunk or two at a time."""

    async def scenario() -> tuple[float, float]:
        async with emulator(tmp_path) as (_, app, client):
            app[LIVE_KEY].audio_speed = 4.0
            async with client.aio.live.connect(model="gemini-live", config=config()) as session:
                await speak(session, silence(0.1))  # a client streaming its microphone
                await session.send_client_content(
                    turns=[
                        types.Content(role="model", parts=[types.Part(text=GREET)]),
                        types.Content(role="user", parts=[types.Part(text=".")]),
                    ],
                    turn_complete=True,
                )
                arrivals: list[float] = []
                audio = 0
                async for message in session.receive():
                    content = message.server_content
                    for part in (content.model_turn.parts or []) if content and content.model_turn else []:
                        if part.inline_data and part.inline_data.data:
                            arrivals.append(asyncio.get_running_loop().time())
                            audio += len(part.inline_data.data)
                    if content and content.generation_complete:
                        break
                return arrivals[-1] - arrivals[0], audio / 2 / 24_000

    spread, seconds = asyncio.run(scenario())
    assert seconds > 1.5  # the greeting is several sentences long
    paced = (seconds - 0.1) / 4  # the last chunk leaves a quarter of the audio's length after the first
    assert paced * 0.9 <= spread <= paced + 1.0


def test_talking_over_a_reply_interrupts_it(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with emulator(tmp_path) as (_, app, client):
            async with client.aio.live.connect(model="gemini-live", config=config()) as session:
                await speak(session, silence(0.2))  # an audio client: replies are paced like playback
                await session.send_client_content(
                    turns=[types.Content(role="model", parts=[types.Part(text=GREET)])], turn_complete=True
                )
                first = await session._receive()
                while not (first.server_content and first.server_content.model_turn):
                    first = await session._receive()
                await speak(session, tone(0.4))
                rest = await collect_turn(session)
                assert any(m.server_content and m.server_content.interrupted for m in rest)
            assert app[LIVE_KEY].turns[0].interrupted

    asyncio.run(scenario())


def words(text: str) -> bytes:
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is installed by devstack/install.sh"
    return run_sync(espeak, text)


def transcripts(messages: list[types.LiveServerMessage]) -> list[tuple[int, str]]:
    """(position in `messages`, text) of every inputTranscription."""
    return [
        (index, m.server_content.input_transcription.text or "")
        for index, m in enumerate(messages)
        if m.server_content and m.server_content.input_transcription
    ]


def first_audio(messages: list[types.LiveServerMessage]) -> int:
    return next(i for i, m in enumerate(messages) if m.server_content and m.server_content.model_turn)


def test_spoken_words_are_transcribed_while_the_reply_plays(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with emulator(tmp_path, transcribe="whisper") as (_, app, client):
            async with client.aio.live.connect(model="gemini-live", config=config()) as session:
                await greet(session)
                await speak(session, words("I have used SQL every day for many years.") + silence(0.8))
                reply = await collect_turn(session)
                told = transcripts(reply)
                assert len(told) == 1
                position, text = told[0]
                assert "many years" in text
                # the reply did not wait for the words, and they came before the turn ended
                assert first_audio(reply) < position < len(reply) - 1
                assert "Why Python?" in spoken(reply)[0]
            assert app[LIVE_KEY].transcriber.transcribed == 1

    asyncio.run(scenario())


def test_words_of_an_interrupted_reply_are_told_with_the_next_one(tmp_path: Path) -> None:
    """Barge-in cancels the reply before its transcript is sent; the next reply carries both turns."""

    async def scenario() -> None:
        async with (
            emulator(tmp_path, transcribe="whisper") as (_, _app, client),
            client.aio.live.connect(model="gemini-live", config=config()) as session,
        ):
            await greet(session)
            await speak(session, words("I have used SQL every day for many years.") + silence(0.8))
            cut: list[types.LiveServerMessage] = []
            while not cut or not cut[-1].server_content or not cut[-1].server_content.model_turn:
                cut.append(await session._receive())
            await speak(session, words("Sorry, and mostly with Python and SQL.") + silence(0.8))
            cut += await collect_turn(session)  # up to the interrupted reply's turnComplete
            assert any(m.server_content and m.server_content.interrupted for m in cut)
            assert transcripts(cut) == []
            reply = await collect_turn(session)
            told = " ".join(text for _, text in transcripts(reply)).lower()
            assert "many years" in told
            assert "python" in told
            assert told.index("many years") < told.index("python")

    asyncio.run(scenario())


def test_goaway_then_resumption_continues_without_greeting(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with emulator(tmp_path) as (running, app, client):
            async with (
                aiohttp.ClientSession() as http,
                http.post(
                    f"http://127.0.0.1:{running.http_port}/emulator/faults",
                    json={"live_goaway_after_turns": 1},
                ) as r,
            ):
                assert (await r.json())["live"]["live_goaway_after_turns"] == 1
            handle = None
            async with client.aio.live.connect(
                model="gemini-live", config=config(modality=types.Modality.TEXT)
            ) as session:
                await greet(session)
                while True:  # the newest handle, then goAway
                    message = await session._receive()
                    if message.session_resumption_update and message.session_resumption_update.new_handle:
                        handle = message.session_resumption_update.new_handle
                    if message.go_away:
                        assert message.go_away.time_left is not None
                        break
            assert handle
            async with client.aio.live.connect(
                model="gemini-live", config=config(handle, types.Modality.TEXT)
            ) as session:
                reply = await answer_by_text(
                    session, "I have used SQL daily for years to build reports for finance."
                )
                parts = [
                    p.text
                    for m in reply
                    if m.server_content and m.server_content.model_turn
                    for p in m.server_content.model_turn.parts or []
                ]
                assert parts == ["Thank you. Why Python?"]
            live = app[LIVE_KEY]
            assert live.faults.live_goaway_after_turns is None  # fired once
            stats_url = f"http://127.0.0.1:{running.http_port}/emulator/stats"
            async with aiohttp.ClientSession() as http, http.get(stats_url) as r:
                stats = (await r.json())["live"]
            assert stats["goaways"] == 1
            assert stats["resumed_sessions"] == 1

    asyncio.run(scenario())


def test_live_faults_validate_and_reset_without_changing_the_rest_plan(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with emulator(tmp_path) as (running, _, _client):
            base = f"http://127.0.0.1:{running.http_port}/emulator/faults"
            async with aiohttp.ClientSession() as http:
                async with http.post(
                    base, json={"live_close_after_turns": 2, "live_close_code": 1007, "live_delay_ms": 50}
                ) as r:
                    body = await r.json()
                    assert {k: body["live"][k] for k in ("live_close_after_turns", "live_close_code")} == {
                        "live_close_after_turns": 2,
                        "live_close_code": 1007,
                    }
                    assert body["live"]["live_delay_ms"] == 50
                    assert body["live"]["live_transcribe"] is True
                    assert body["live"]["live_paraphrase"] is False  # the ideal profile's
                    assert body["fail_next"] == 0
                async with http.post(base, json={"live_close_code": 99}) as r:
                    assert r.status == 400
                async with http.post(base, json={"live_transcribe": "no"}) as r:
                    assert r.status == 400
                    assert "live_transcribe" in (await r.json())["error"]["message"]
                async with http.post(base, json={"live_transcribe": False}) as r:
                    assert (await r.json())["live"]["live_transcribe"] is False
                async with http.delete(base) as r:
                    reset = await r.json()
                    assert "live" not in reset  # back to the start-up plan
                    assert (reset["profile"], reset["fail_next"], reset["delay_ms"]) == ("ideal", 0, 0)
                async with http.get(f"http://127.0.0.1:{running.http_port}/emulator/live") as r:
                    live = await r.json()
                    assert live["turns"] == []
                    assert live["transcription"]["on"] is True  # the reset turned it back on

    asyncio.run(scenario())
