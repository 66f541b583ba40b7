"""How full a worker is, told to LiveKit so that Cloud Run adds instances before any worker refuses.

LiveKit dispatches an interview to a worker whose load is below its threshold (AGENT_LOAD_THRESHOLD, 1.0)
and to no other; a job that no worker accepts is not retried. Cloud Run, for its part, cannot see
LiveKit's jobs: a worker serves no HTTP traffic, so its autoscaler has only the instances' average CPU
utilisation over a minute (target 60% by default). A load of running interviews / AGENT_MAX_JOBS alone
refuses at a job count where the CPU may still be far below that target, so Cloud Run never adds an
instance and capacity stays at `min_instances` whatever `max_instances` says.

So the load is the larger of two fractions, each 1.0 where the worker must stop taking interviews:

- CPU: the instance's utilisation (the container's own CPU share, as livekit-agents measures it) over
  AGENT_CPU_LOAD_LIMIT. That limit sits above Cloud Run's target, so Cloud Run starts an instance while
  this one still accepts interviews; the gap between the two is the headroom the new instance has to
  start and register.
- Jobs: running interviews over AGENT_MAX_JOBS, the hard cap (one process and its memory per interview).
  Set it above the interview count at which the CPU reaches the limit, or it refuses before Cloud Run
  sees anything (`CapacityPlan` computes both points).

Without AGENT_CPU_LOAD_LIMIT (the local default: on a shared development machine the CPU is everyone's)
the load is the job count alone.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from livekit.agents import AgentServer
from livekit.agents.utils.hw import get_cpu_monitor

CLOUD_RUN_CPU_TARGET = 0.6
"""Cloud Run's default CPU utilisation target for scaling out (configurable from 10% to 95%)."""


class CpuSampler:
    """The instance's CPU utilisation (0..1 of its CPUs), averaged over the last `window` samples.

    A daemon thread samples every `interval` seconds with livekit-agents' monitor (cgroup v2 or v1
    where the container has one, else the machine), so reading the load never waits.
    """

    def __init__(self, interval: float = 0.5, window: int = 10) -> None:
        self.interval = interval
        self.samples: deque[float] = deque(maxlen=window)
        self.lock = threading.Lock()
        self.monitor = get_cpu_monitor()
        self.thread = threading.Thread(target=self.run, name="agent-cpu-sampler", daemon=True)
        self.thread.start()

    def run(self) -> None:
        while True:
            value = self.monitor.cpu_percent(interval=self.interval)
            with self.lock:
                self.samples.append(value)

    def utilisation(self) -> float:
        with self.lock:
            return sum(self.samples) / len(self.samples) if self.samples else 0.0

    @property
    def cpus(self) -> float:
        return self.monitor.cpu_count()


@lru_cache(maxsize=1)
def instance_cpu() -> CpuSampler:
    """One sampler per process, started on first use (in the worker's main process only)."""
    return CpuSampler()


def instance_utilisation() -> float:
    return instance_cpu().utilisation()


class InterviewLoad:
    """The worker's load for LiveKit: max(interviews / max_jobs, cpu / cpu_limit).

    Holds only numbers and a module-level function, so it pickles like the options livekit-agents
    copies; the CPU sampler starts on the first call, in the process that reports the load.
    """

    def __init__(
        self,
        max_jobs: int,
        cpu_limit: float | None = None,
        cpu: Callable[[], float] = instance_utilisation,
    ) -> None:
        if max_jobs < 1:
            raise ValueError("max_jobs must be at least 1")
        if cpu_limit is not None and not 0 < cpu_limit <= 1:
            raise ValueError("cpu_limit is a utilisation in (0, 1]")
        self.max_jobs = max_jobs
        self.cpu_limit = cpu_limit
        self.cpu = cpu

    def of(self, jobs: int, cpu: float) -> float:
        """The load for `jobs` running interviews at `cpu` utilisation (pure; what the tests check)."""
        load = jobs / self.max_jobs
        if self.cpu_limit is not None:
            load = max(load, cpu / self.cpu_limit)
        return load

    def __call__(self, server: AgentServer) -> float:
        cpu = self.cpu() if self.cpu_limit is not None else 0.0
        return self.of(len(server.active_jobs), cpu)


@dataclass(frozen=True)
class CapacityPlan:
    """Where one instance stands as interviews arrive, for a given size and cost per interview.

    `cpu_per_interview` is in cores (bench/README.md: ~0.07 of a core per interview on the benchmark
    machine; measure your own as the instance's CPU over its running jobs). The idle worker's own CPU
    is left out: it is small next to a dozen interviews.
    """

    cpus: float
    cpu_per_interview: float
    max_jobs: int
    cpu_limit: float | None
    cpu_target: float = CLOUD_RUN_CPU_TARGET

    def utilisation(self, interviews: int) -> float:
        return interviews * self.cpu_per_interview / self.cpus

    @property
    def scale_out_at(self) -> int | None:
        """Interviews on one instance at which Cloud Run's CPU target is reached (None: the worker
        refuses first, so CPU autoscaling never starts an instance)."""
        first = math.ceil(self.cpu_target * self.cpus / self.cpu_per_interview - 1e-9)
        return first if first < self.refuse_at else None

    @property
    def refuse_at(self) -> int:
        """Interviews on one instance at which its load reaches 1.0 and LiveKit sends it no more."""
        by_jobs = self.max_jobs
        if self.cpu_limit is None:
            return by_jobs
        by_cpu = math.ceil(self.cpu_limit * self.cpus / self.cpu_per_interview - 1e-9)
        return min(by_jobs, by_cpu)

    @property
    def headroom(self) -> int:
        """Interviews an instance still accepts after Cloud Run has decided to add one (0: none)."""
        start = self.scale_out_at
        return 0 if start is None else self.refuse_at - start

    def instances_for(self, peak_interviews: int, spare: int = 1) -> int:
        """Instances to keep for `peak_interviews` at once without relying on a scale-out in time,
        plus `spare` (a worker to hand interviews to when one shuts down)."""
        per_instance = self.scale_out_at or self.refuse_at
        return math.ceil(peak_interviews / per_instance) + spare
