"""A synthetic candidate: a livekit.rtc participant that joins an interview room with the token the
real api mints, publishes a microphone track (espeak-ng speech, silence in between, like an open
mic), and listens to the agent's audio. Used by tests/agent and bench/agent.py.

Timings are wall-clock (time.time()) so they can be compared with the emulator's and the agent's.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import requests
from livekit import rtc

from bench.common import ENGLISH_CONSENT

RATE = 16_000
# 50 ms per frame pushed and heard. The SDK still encodes and sends 20 ms Opus packets, so the agent
# receives what a browser would send; larger frames only spare the candidates' own CPU (ten of them
# share the cores with the worker under test) at a timing resolution of 50 ms.
FRAME_MS = 50
FRAME_SAMPLES = RATE * FRAME_MS // 1000
LOUD_RMS = 300.0


def synthesize(text: str, words_per_minute: int = 190) -> bytes:
    """16 kHz mono s16le speech from espeak-ng (sox resamples its 22.05 kHz output)."""
    espeak = shutil.which("espeak-ng")
    sox = shutil.which("sox")
    if espeak is None or sox is None:
        raise RuntimeError("espeak-ng and sox are needed for the synthetic candidate")
    wav = subprocess.run(
        [espeak, "--stdout", "-v", "en", "-s", str(words_per_minute), "--", text],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    pcm = subprocess.run(
        [sox, "-t", "wav", "-", "-t", "raw", "-r", str(RATE), "-e", "signed", "-b", "16", "-c", "1", "-"],
        input=wav,
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    return pcm[: len(pcm) - len(pcm) % 2]


def trailing_silence(pcm: bytes, threshold: float = LOUD_RMS) -> float:
    """Seconds of quiet at the end of 16 kHz s16le `pcm` (frames below `threshold`)."""
    samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype=np.int16).astype(np.float32)
    frames = samples[: len(samples) - len(samples) % FRAME_SAMPLES].reshape(-1, FRAME_SAMPLES)
    loud = np.nonzero(np.sqrt(np.mean(frames * frames, axis=1)) >= threshold)[0]
    if not loud.size:
        return 0.0
    return (len(samples) - (int(loud[-1]) + 1) * FRAME_SAMPLES) / RATE


def request_token(api_url: str, interview_id: str, secret: str, *, warm: bool = False) -> tuple[str, str]:
    """POST /api/interviews/{id}/token, as the candidate page does: (livekit_url, token). `warm`: the
    token of a page that joins during the microphone check (the agent waits for start())."""
    request: dict[str, Any] = {"invite": secret, "consent": ENGLISH_CONSENT}
    if warm:
        request["warm"] = True
    response = requests.post(f"{api_url}/api/interviews/{interview_id}/token", json=request, timeout=15)
    response.raise_for_status()
    body = response.json()
    return body["livekit_url"], body["token"]


@dataclass
class AgentAudio:
    """What the candidate heard: when agent audio started and when it was last loud."""

    first_audio_at: float | None = None
    last_loud_at: float = 0.0
    onsets: list[float] = field(default_factory=list)
    frames: int = 0
    _speaking: bool = False

    def observe(self, rms: float, now: float) -> None:
        self.frames += 1
        if rms >= LOUD_RMS:
            if self.first_audio_at is None:
                self.first_audio_at = now
            if not self._speaking and now - self.last_loud_at > 0.9:
                self.onsets.append(now)
            self._speaking = True
            self.last_loud_at = now
        elif now - self.last_loud_at > 0.9:
            self._speaking = False


class SyntheticCandidate:
    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.room = rtc.Room()
        self.heard = AgentAudio()
        self.joined_at: float | None = None
        self.started_at: float | None = None
        """When the microphone was published: the page's "Start" (at joining, unless warm)."""
        # When this candidate subscribed to the agent's audio: the agent's first frame waits for it
        # (livekit-agents holds playback until the track has a subscriber).
        self.agent_track_at: float | None = None
        self.disconnected = asyncio.Event()
        self.speech_ends: list[float] = []
        self._source = rtc.AudioSource(RATE, 1, queue_size_ms=200)
        self._track: rtc.LocalAudioTrack | None = None
        self._pending = bytearray()
        self._speech_done: asyncio.Future[float] | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def join(self, *, publish: bool = True, muted: bool = False) -> None:
        """Connect to the room and publish the microphone: live at once, or, for a warm join (the
        page on the microphone check), `muted` until start(). `publish=False` publishes nothing
        until start(), as the page did before it published a muted microphone."""
        self.room.on("track_subscribed", self._on_track)
        self.room.on("disconnected", lambda *_: self.disconnected.set())
        await self.room.connect(self.url, self.token, rtc.RoomOptions(auto_subscribe=True))
        self.joined_at = time.time()
        if muted:
            await self._publish(muted=True)
        elif publish:
            await self.start()

    async def start(self) -> float:
        """The candidate presses Start: unmute the microphone published muted, or publish it; returns
        when Start was pressed (wall clock)."""
        self.started_at = time.time()
        if self._track is not None:
            self._track.unmute()
        else:
            await self._publish(muted=False)
        return self.started_at

    async def _publish(self, *, muted: bool) -> None:
        track = rtc.LocalAudioTrack.create_audio_track("microphone", self._source)
        if muted:
            track.mute()
        options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
        await self.room.local_participant.publish_track(track, options)
        self._track = track
        self._tasks.append(asyncio.create_task(self._microphone()))

    def _on_track(
        self, track: rtc.Track, _publication: rtc.RemoteTrackPublication, _participant: rtc.RemoteParticipant
    ) -> None:
        if track.kind == rtc.TrackKind.KIND_AUDIO:
            if self.agent_track_at is None:
                self.agent_track_at = time.time()
            self._tasks.append(asyncio.create_task(self._listen(track)))

    async def _listen(self, track: rtc.Track) -> None:
        stream = rtc.AudioStream(track, sample_rate=RATE, num_channels=1, frame_size_ms=FRAME_MS)
        try:
            async for event in stream:
                samples = np.frombuffer(event.frame.data, dtype=np.int16).astype(np.float32)
                rms = float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0
                self.heard.observe(rms, time.time())
        finally:
            await stream.aclose()

    async def _microphone(self) -> None:
        """An open microphone: speech when there is some, silence otherwise, paced in real time."""
        silence = bytes(FRAME_SAMPLES * 2)
        while True:
            if self._pending:
                chunk = bytes(self._pending[: FRAME_SAMPLES * 2])
                del self._pending[: FRAME_SAMPLES * 2]
                chunk = chunk.ljust(FRAME_SAMPLES * 2, b"\0")
                if not self._pending and self._speech_done is not None and not self._speech_done.done():
                    self._speech_done.set_result(time.time())
            else:
                chunk = silence
            frame = rtc.AudioFrame(chunk, RATE, 1, FRAME_SAMPLES)
            await self._source.capture_frame(frame)

    async def say(self, pcm: bytes) -> float:
        """Speak `pcm` (16 kHz s16le); returns when its last voiced sample left the microphone."""
        self._speech_done = asyncio.get_running_loop().create_future()
        self._pending.extend(pcm)
        queued = await self._speech_done
        # capture_frame returns once a frame is queued: the source's queue (200 ms) still holds it.
        # Synthesised speech ends with a little silence, which is not part of the answer.
        ended = queued + 0.2 - trailing_silence(pcm)
        self.speech_ends.append(ended)
        return ended

    async def wait_for_agent(self, timeout: float = 30.0) -> float:
        """Until the agent has spoken and then been quiet for a second; returns its first-audio time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.heard.first_audio_at is not None and time.time() - self.heard.last_loud_at > 1.0:
                return self.heard.first_audio_at
            if self.disconnected.is_set():
                break
            await asyncio.sleep(0.05)
        if self.heard.first_audio_at is None:
            raise TimeoutError("the agent never spoke")
        return self.heard.first_audio_at

    async def wait_for_reply(self, after: float, timeout: float = 30.0) -> float:
        """The onset of the first agent audio after `after`, once that reply has ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            onset = next((t for t in self.heard.onsets if t > after), None)
            if onset is not None and time.time() - self.heard.last_loud_at > 1.0:
                return onset
            if self.disconnected.is_set() and onset is not None:
                return onset
            await asyncio.sleep(0.05)
        raise TimeoutError("no reply from the agent")

    async def leave(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        await self.room.disconnect()


async def transport_baseline(url: str, api_key: str, api_secret: str, beeps: int = 8) -> list[float]:
    """Milliseconds from a participant's beep to another hearing it, through the same LiveKit server.

    The probe publishes the way the agent does (24 kHz AudioSource with a 200 ms queue, audio only
    while speaking), so the delay is the part of the agent's measured overhead that is transport:
    Opus, the SFU, the listener's jitter buffer and its 20 ms frames.
    """
    import uuid

    from livekit import api

    room_name = f"bench-baseline-{uuid.uuid4().hex[:8]}"

    def token(identity: str) -> str:
        grants = api.VideoGrants(room_join=True, room=room_name, can_publish=True, can_subscribe=True)
        return api.AccessToken(api_key, api_secret).with_identity(identity).with_grants(grants).to_jwt()

    speaker, listener = rtc.Room(), rtc.Room()
    heard = AgentAudio()
    tasks: list[asyncio.Task[None]] = []

    async def listen(track: rtc.Track) -> None:
        stream = rtc.AudioStream(track, sample_rate=RATE, num_channels=1, frame_size_ms=FRAME_MS)
        async for event in stream:
            samples = np.frombuffer(event.frame.data, dtype=np.int16).astype(np.float32)
            heard.observe(float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0, time.time())

    listener.on("track_subscribed", lambda track, *_: tasks.append(asyncio.create_task(listen(track))))
    await listener.connect(url, token("listener"))
    await speaker.connect(url, token("speaker"))
    out_rate, samples_10ms = 24_000, 240
    source = rtc.AudioSource(out_rate, 1, queue_size_ms=200)
    track = rtc.LocalAudioTrack.create_audio_track("probe", source)
    await speaker.local_participant.publish_track(
        track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    )
    tone = np.sin(np.arange(samples_10ms) * 2 * np.pi * 440 / out_rate) * 8000
    beep = rtc.AudioFrame(tone.astype(np.int16).tobytes(), out_rate, 1, samples_10ms)
    delays: list[float] = []
    try:
        await asyncio.sleep(1.0)  # let the subscription settle
        for _ in range(beeps):
            await source.wait_for_playout()
            await asyncio.sleep(0.8)
            sent = time.time()
            for _ in range(30):
                await source.capture_frame(beep)
            await asyncio.sleep(0.6)
            onset = next((t for t in heard.onsets if t > sent - 0.1), None)
            if onset is not None:
                delays.append((onset - sent) * 1000)
    finally:
        for task in tasks:
            task.cancel()
        await speaker.disconnect()
        await listener.disconnect()
    return delays
