"""An audio output that holds what the agent says until the candidate presses Start.

The warm start opens the Live session while the candidate is still on the device check. With the
greeting prepared there too, Start no longer waits for the model to write and voice it (a few hundred
milliseconds with the local model, often more with Gemini): the greeting's audio waits here, and Start
lets it through. It wraps the session's audio output the way livekit-agents' own recorder does
(`session.output.audio = AudioGate(session.output.audio)`), so the room, the transcript and the
playback events see the held audio as if it had just been spoken. The greeting's words are held the
same way (TextGate), so the candidate's captions do not show it before they hear it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from livekit import rtc
from livekit.agents import AgentSession
from livekit.agents.voice import io


@dataclass
class HeldSegment:
    """One spoken segment (a flush ends it) whose audio has not been let through."""

    frames: list[rtc.AudioFrame] = field(default_factory=list)
    flushed: bool = False
    continues: bool = False
    """The rest of a segment whose start already went through while the held audio was let out."""


class AudioGate(io.AudioOutput):
    """Closed, it keeps every frame and flush in order; open() lets them through downstream, and from
    then on it passes everything straight on. A segment cleared (interrupted) before it got through
    never reaches the room, so the gate itself reports it finished, unplayed."""

    def __init__(self, downstream: io.AudioOutput) -> None:
        super().__init__(
            label="AudioGate",
            capabilities=io.AudioOutputCapabilities(pause=True),
            next_in_chain=downstream,
            sample_rate=downstream.sample_rate,
        )
        self._held: deque[HeldSegment] = deque()
        self._open = False
        self._releasing = False
        self._release_cancelled = False
        self._passing_segment = False
        """A segment has frames downstream and no flush yet."""

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def held_seconds(self) -> float:
        """Audio waiting for Start."""
        return sum(frame.duration for segment in self._held for frame in segment.frames)

    def _downstream(self) -> io.AudioOutput:
        downstream = self.next_in_chain
        assert downstream is not None
        return downstream

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        if self._open:
            await self._pass_frame(frame)
            return
        if not self._held or self._held[-1].flushed:
            self._held.append(HeldSegment(continues=not self._held and self._passing_segment))
        self._held[-1].frames.append(frame)

    def flush(self) -> None:
        super().flush()
        if self._open:
            self._pass_flush()
        elif self._held and not self._held[-1].flushed:
            self._held[-1].flushed = True
        elif not self._held and self._passing_segment:  # the segment going through ends here
            self._held.append(HeldSegment(flushed=True, continues=True))

    def clear_buffer(self) -> None:
        if self._open or self._passing_segment:
            self._release_cancelled = self._releasing
            self._passing_segment = False
            self._downstream().clear_buffer()
        unplayed = sum(not segment.continues for segment in self._held)
        self._held.clear()
        for _ in range(unplayed):
            self.on_playback_finished(playback_position=0.0, interrupted=True)

    async def _pass_frame(self, frame: rtc.AudioFrame) -> None:
        self._passing_segment = True
        await self._downstream().capture_frame(frame)

    def _pass_flush(self) -> None:
        self._passing_segment = False
        self._downstream().flush()

    async def open(self) -> None:
        """Let the held audio through, in order, then pass everything on. Frames that arrive while the
        held ones are going through queue behind them."""
        if self._open or self._releasing:
            return
        self._releasing = True
        try:
            while self._held:
                segment = self._held.popleft()
                self._release_cancelled = False
                for frame in segment.frames:
                    if self._release_cancelled:
                        break
                    await self._pass_frame(frame)
                if segment.flushed and not self._release_cancelled:
                    self._pass_flush()
        finally:
            self._releasing = False
            self._open = True


class TextGate(io.TextOutput):
    """The words that go with held audio (the candidate's captions), held and let through the same
    way."""

    def __init__(self, downstream: io.TextOutput) -> None:
        super().__init__(label="TextGate", next_in_chain=downstream)
        self._held: deque[str | None] = deque()  # None: a flush
        self._open = False
        self._releasing = False

    def _downstream(self) -> io.TextOutput:
        downstream = self.next_in_chain
        assert downstream is not None
        return downstream

    async def capture_text(self, text: str) -> None:
        if self._open:
            await self._downstream().capture_text(text)
        else:
            self._held.append(text)

    def flush(self) -> None:
        if self._open:
            self._downstream().flush()
        else:
            self._held.append(None)

    async def open(self) -> None:
        if self._open or self._releasing:
            return
        self._releasing = True
        try:
            while self._held:
                text = self._held.popleft()
                if text is None:
                    self._downstream().flush()
                else:
                    await self._downstream().capture_text(text)
        finally:
            self._releasing = False
            self._open = True


class StartGate:
    """Both gates on a session: what the agent says, and its words, held until open()."""

    def __init__(self, session: AgentSession) -> None:
        self.audio: AudioGate | None = None
        self.text: TextGate | None = None
        if session.output.audio is not None:
            self.audio = AudioGate(session.output.audio)
            session.output.audio = self.audio
        if session.output.transcription is not None:
            self.text = TextGate(session.output.transcription)
            session.output.transcription = self.text

    async def open(self) -> None:
        if self.audio is not None:
            await self.audio.open()
        if self.text is not None:
            await self.text.open()
