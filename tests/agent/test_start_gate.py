"""The gate that holds a warm session's prepared greeting until Start (agent_worker/start_gate.py).

The sink below is an audio output like the room's, written against livekit-agents' public AudioOutput
contract: it records what reaches it and reports a segment finished when it is flushed or cleared.
The gate in a real room is exercised by tests/agent/test_warm_start.py.
"""

from __future__ import annotations

import asyncio

from livekit import rtc
from livekit.agents.voice import io

from agent_worker.start_gate import AudioGate, TextGate

RATE = 24_000


def frame(index: int) -> rtc.AudioFrame:
    samples = RATE // 100  # 10 ms
    data = index.to_bytes(2, "little") * samples
    return rtc.AudioFrame(data, RATE, 1, samples)


class RecordingSink(io.AudioOutput):
    def __init__(self) -> None:
        super().__init__(label="sink", capabilities=io.AudioOutputCapabilities(pause=True), sample_rate=RATE)
        self.events: list[str] = []

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        self.events.append(f"frame {frame.data[0]}")

    def flush(self) -> None:
        super().flush()
        self.events.append("flush")
        self.on_playback_finished(playback_position=0.01, interrupted=False)

    def clear_buffer(self) -> None:
        self.events.append("clear")
        self.on_playback_finished(playback_position=0.0, interrupted=True)


class RecordingText(io.TextOutput):
    def __init__(self) -> None:
        super().__init__(label="text", next_in_chain=None)
        self.events: list[str] = []

    async def capture_text(self, text: str) -> None:
        self.events.append(text)

    def flush(self) -> None:
        self.events.append("flush")


def test_held_audio_reaches_nothing_until_open_then_all_of_it_in_order() -> None:
    async def scenario() -> None:
        sink = RecordingSink()
        gate = AudioGate(sink)
        for index in range(3):
            await gate.capture_frame(frame(index))
        gate.flush()
        await gate.capture_frame(frame(7))
        assert sink.events == [], "audio reached the room before Start"
        assert abs(gate.held_seconds - 0.04) < 1e-6
        playout = asyncio.create_task(gate.wait_for_playout())
        await asyncio.sleep(0.01)
        assert not playout.done(), "a held segment counted as played"

        await gate.open()
        await gate.capture_frame(frame(8))  # the second segment goes on, straight through now
        gate.flush()
        assert sink.events == ["frame 0", "frame 1", "frame 2", "flush", "frame 7", "frame 8", "flush"]
        finished = await asyncio.wait_for(playout, 1)
        assert not finished.interrupted
        assert gate.is_open
        assert gate.held_seconds == 0

    asyncio.run(scenario())


def test_held_audio_cleared_before_start_never_plays_and_still_finishes() -> None:
    async def scenario() -> None:
        sink = RecordingSink()
        gate = AudioGate(sink)
        await gate.capture_frame(frame(1))
        gate.flush()
        gate.clear_buffer()  # the session closes, unstarted
        finished = await asyncio.wait_for(gate.wait_for_playout(), 1)
        assert finished.interrupted
        assert finished.playback_position == 0
        assert sink.events == [], "a cleared greeting reached the room"
        await gate.open()
        assert sink.events == []

    asyncio.run(scenario())


def test_audio_arriving_while_the_held_audio_goes_through_queues_behind_it() -> None:
    async def scenario() -> None:
        sink = RecordingSink()
        gate = AudioGate(sink)
        await gate.capture_frame(frame(1))
        await gate.capture_frame(frame(2))

        async def more() -> None:
            await gate.capture_frame(frame(3))
            gate.flush()

        await asyncio.gather(gate.open(), more())
        assert sink.events == ["frame 1", "frame 2", "frame 3", "flush"]
        await asyncio.wait_for(gate.wait_for_playout(), 1)

    asyncio.run(scenario())


def test_held_words_wait_for_start_too() -> None:
    async def scenario() -> None:
        text = RecordingText()
        gate = TextGate(text)
        await gate.capture_text("Hello ")
        await gate.capture_text("Ada.")
        gate.flush()
        assert text.events == [], "the caption showed the greeting before Start"
        await gate.open()
        await gate.capture_text("Next")
        assert text.events == ["Hello ", "Ada.", "flush", "Next"]

    asyncio.run(scenario())
