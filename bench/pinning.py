"""Pin the measured process (the agent worker, or the api) to a core of its own and everything else of
the bench to the others.

On a shared machine the synthetic candidates, LiveKit, the Gemini emulator and Firestore compete
with the worker for the same cores, so a bench at 10 interviews measures the box more than the
agent. Pinned, the worker's figures (overhead, CPU per interview) are those of one dedicated core.

Linux keeps CPU affinity per thread and a new thread or process inherits its creator's, so every
thread of each process tree is pinned as it is now; job processes the worker forks later inherit
the worker's core. Only the bench's own processes are touched: the worker found on its health port,
the stack's services found on their ports, and this process (the candidates).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields

from bench.common import for_each_thread, listening_pid


def stack_pids(exclude: set[str]) -> dict[str, int]:
    """The stack's services listening on their ports (README's table), by name, except `exclude`."""
    from devstack.services import Ports

    ports = Ports()
    found: dict[str, int] = {}
    for port_field in fields(ports):
        if port_field.name in exclude:
            continue
        pid = listening_pid(int(getattr(ports, port_field.name)))
        if pid is not None and pid not in found.values():
            found[port_field.name] = pid
    return found


def set_affinity(pid: int, cores: set[int]) -> None:
    """Every thread of `pid` and of its children, as they are now, on `cores`."""
    for_each_thread(pid, lambda thread: os.sched_setaffinity(thread, cores))


@dataclass
class Pinning:
    """The worker on `worker_cores`, the rest of the bench on `other_cores`; `undo()` gives every one
    of them all the cores back."""

    worker: int
    others: dict[str, int]
    worker_cores: set[int]
    other_cores: set[int]
    all_cores: set[int] = field(default_factory=lambda: set(os.sched_getaffinity(0)))

    @classmethod
    def split(cls, worker: int, *, port: str = "agent_health", load: str = "candidates") -> Pinning:
        """Core 0 (the first allowed) for the measured process (`worker`, found on the stack's port
        named `port`), the other allowed cores for every other service and this process (`load`)."""
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) < 2:
            raise SystemExit("pinning needs at least 2 cores")
        others = {
            name: pid
            for name, pid in stack_pids(exclude={"agent_health", "livekit_udp", port}).items()
            if pid != worker
        }
        others[load] = os.getpid()
        return cls(worker, others, {cores[0]}, set(cores[1:]), set(cores))

    def apply(self) -> None:
        set_affinity(self.worker, self.worker_cores)
        for pid in self.others.values():
            set_affinity(pid, self.other_cores)

    def undo(self) -> None:
        for pid in (self.worker, *self.others.values()):
            set_affinity(pid, self.all_cores)

    def describe(self) -> str:
        return (
            f"worker on core {sorted(self.worker_cores)}; "
            f"{', '.join(sorted(self.others))} on cores {sorted(self.other_cores)}"
        )
