"""The background writer that stores every finished turn in interviews/{id}/turns, off the audio path.

Turns arrive from session events on the event loop; Firestore calls are blocking and can fail, so
they run in a worker thread from a queue, batched (one Firestore batch per write), retried with
exponential backoff. A turn is never dropped: a failing write is retried until the writer is flushed
at the end of the interview, and whatever still cannot be stored then is logged as an error with its
sequence numbers (never its text), so the sweeper and an operator can see it.

Ordering: with Gemini Live a candidate's turn is committed when the model's reply completes, which is
about when the reply itself is committed. Turns therefore wait a short reorder window and leave it in
order of when they started, so the stored sequence reads question, answer, question.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from interview_core.domain.models import MAX_TURN_TEXT_CHARS, Turn, TurnRole

log = logging.getLogger("agent_worker.transcript")


class TurnStore(Protocol):
    """The slice of InterviewStore the writer needs (the adapter boundary tests wrap)."""

    def add_turns(self, interview_id: str, turns: Iterable[Turn]) -> None: ...


@dataclass(order=True)
class _Held:
    started_at: float
    arrived: float = field(compare=False)
    role: TurnRole = field(compare=False)
    text: str = field(compare=False)
    ended_at: float = field(compare=False)
    interrupted: bool = field(compare=False)


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class TurnWriter:
    """Assigns sequence numbers, batches and stores turns; `flush` waits until all are stored."""

    def __init__(
        self,
        store: TurnStore,
        interview_id: str,
        *,
        first_seq: int = 0,
        reorder_seconds: float = 1.5,
        batch_max: int = 25,
        attempts_before_alarm: int = 8,
        initial_backoff: float = 0.2,
        max_backoff: float = 10.0,
    ) -> None:
        self.store = store
        self.interview_id = interview_id
        self.next_seq = first_seq
        self.reorder_seconds = reorder_seconds
        self.batch_max = batch_max
        self.attempts_before_alarm = attempts_before_alarm
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.stored = 0
        self.failures = 0
        self._held: list[_Held] = []
        self._queue: list[Turn] = []
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False
        self._task: asyncio.Task[None] | None = None

    @property
    def turn_count(self) -> int:
        """Turns given a sequence number so far (stored or on their way)."""
        return self.next_seq

    @property
    def pending(self) -> int:
        return len(self._held) + len(self._queue)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"turn-writer-{self.interview_id}")

    def add(
        self,
        role: TurnRole,
        text: str,
        started_at: float,
        ended_at: float | None = None,
        interrupted: bool = False,
    ) -> None:
        """Take a finished turn (times are epoch seconds). Never blocks; empty text is ignored."""
        text = text.strip()
        if not text:
            return
        ended = max(started_at, ended_at if ended_at is not None else started_at)
        self._held.append(_Held(started_at, time.monotonic(), role, text, ended, interrupted))
        self._idle.clear()
        self._wakeup.set()

    def _release(self, everything: bool = False) -> None:
        """Move turns whose reorder window is over into the write queue, oldest start first."""
        if not self._held:
            return
        horizon = time.monotonic() - self.reorder_seconds
        ready = sorted(h for h in self._held if everything or h.arrived <= horizon)
        if not ready:
            return
        taken = {id(h) for h in ready}
        self._held = [h for h in self._held if id(h) not in taken]
        for held in ready:
            self._queue.append(
                Turn(
                    seq=self.next_seq,
                    role=held.role,
                    text=held.text[:MAX_TURN_TEXT_CHARS],
                    started_at=_utc(held.started_at),
                    ended_at=_utc(held.ended_at),
                    interrupted=held.interrupted,
                )
            )
            self.next_seq += 1

    async def _run(self) -> None:
        attempt = 0
        while True:
            if not self._queue:
                self._release(everything=self._closing)
            if not self._queue:
                if not self._held:
                    self._idle.set()
                    if self._closing:
                        return
                self._wakeup.clear()
                timeout = self.reorder_seconds / 2 if self._held else None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout)
                continue
            batch = self._queue[: self.batch_max]
            try:
                await asyncio.to_thread(self.store.add_turns, self.interview_id, batch)
            except Exception as error:
                attempt += 1
                self.failures += 1
                delay = min(self.max_backoff, self.initial_backoff * 2 ** (attempt - 1))
                level = logging.ERROR if attempt == self.attempts_before_alarm else logging.WARNING
                log.log(
                    level,
                    "storing turns failed; retrying",
                    extra={
                        "interview_id": self.interview_id,
                        "error": type(error).__name__,
                        "attempt": attempt,
                        "first_seq": batch[0].seq,
                        "turns": len(batch),
                        "retry_in_s": round(delay, 2),
                    },
                )
                await asyncio.sleep(delay)
                continue
            attempt = 0
            del self._queue[: len(batch)]
            self.stored += len(batch)

    async def flush(self, timeout: float) -> bool:
        """Release every held turn and wait until all are stored; False when time ran out."""
        self.start()
        self._release(everything=True)
        if self._queue:
            self._idle.clear()
        self._wakeup.set()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.error(
                "turns could not be stored before the interview ended",
                extra={
                    "interview_id": self.interview_id,
                    "unstored": self.pending,
                    "seqs": ",".join(str(t.seq) for t in self._queue[:50]),
                },
            )
            return False
        return True

    async def aclose(self, timeout: float) -> bool:
        """Flush, then stop the background task."""
        ok = await self.flush(timeout)
        self._closing = True
        self._wakeup.set()
        if self._task is not None:
            if ok:
                await asyncio.wait_for(self._task, 5)
            else:
                self._task.cancel()
                await asyncio.gather(self._task, return_exceptions=True)
        return ok
