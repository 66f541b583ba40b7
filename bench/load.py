"""bench/load: ramp the concurrency against the api on loopback and name the knee of each route.

    make bench-load       (starts its own stack, runs this, stops the stack)

Three routes: candidate token minting (`POST /api/interviews/{id}/token`, a rejoin: the invite gate's
read and compare-and-set), the recruiter's list (`GET /api/interviews`) and interview creation
(`POST /api/interviews`, on the local Gemini emulator). Each is ramped through steps of rising
concurrency; a step is closed-loop (each client sends its next request when its last one answered)
for a fixed time. For each step it prints the throughput (answered requests a second), p50, p99 and
the errors by kind, then names the knee: the first step whose throughput is within KNEE_SHARE of the
ramp's best error-free step. Past the knee more clients only queue: the throughput stays, the p99
grows. Each step also reports the CPU the api and the Firestore emulator spent per request and their
share of a core, and after the token ramp the same ramp of Firestore read+CAS alone (the floor under a
mint): together, what limits the knee. Goal (issue 19): token minting at least 200/s with a p99 under
100 ms at the knee.

Two layouts of the same machine (bench/pinning.py): `pinned`, the api alone on the first core (its
Cloud Run instance has 1 vCPU, infra/functions.tf) and everything that runs elsewhere in production
(Firestore, the Gemini emulator, this load generator standing in for the browsers) on the others;
`shared`, every process on every core. Linux with two cores or more for `pinned`.

Rate limits are part of the product and stay on, scaled for a benchmark that sends everything from
one address: the stack multiplies the per-route limits by RATE_LIMIT_SCALE (1000, devstack/services.py)
and `make bench-load` raises the per-interview token limit to its maximum
(TOKEN_RATE_LIMIT_PER_MINUTE=600). The mints are spread round robin over enough interviews that none
passes that limit or its invite's use count; a 429 in the output is a finding, not noise.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from urllib.parse import urlparse

from bench.common import (
    ENGLISH_CONSENT,
    KeepAliveClient,
    listening_pid,
    machine,
    percentile,
    run_load,
    sign_up,
)
from interview_core import local_ports

API = os.environ.get("API_URL") or local_ports.service_url("api")
CLIENT = KeepAliveClient(API)
CONSENT = ENGLISH_CONSENT
USES_PER_INVITE = 200
"""The most uses an invite may have (InterviewOptions.invite_max_uses): each pool interview's budget."""
BODY = {
    "candidate": {"name": "Load Candidate", "email": "load@example.com"},
    "role": "Backend Engineer",
    "job_description": "Backend engineer with strong Python, SQL and API design skills; Kubernetes is a "
    "plus. You must communicate clearly with product and mentor others.",
    "duration_minutes": 15,
    "options": {"invite_max_uses": USES_PER_INVITE},
}
KNEE_SHARE = 0.9
"""The knee is the first step reaching this share of the best throughput of the ramp."""
MAX_TOKEN_RATE = 1000.0
"""The most mints a second the pool is sized for (the per-address token limit at RATE_LIMIT_SCALE 1000)."""
GOAL_THROUGHPUT = 200.0
GOAL_P99_MS = 100.0


@dataclass
class Step:
    """One step of a ramp: `clients` closed-loop clients for `seconds` of wall time."""

    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    """CPU time each watched process (and its children) spent during the step."""

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        errors = ", ".join(f"{n} {kind}" for kind, n in self.errors.most_common()) or "0"
        p50, p99 = percentile(self.latencies, 0.5), percentile(self.latencies, 0.99)
        return (
            f"  {self.clients:>4} clients  {self.throughput:8.1f}/s  p50={p50:7.1f} ms  p99={p99:7.1f} ms"
            f"  n={len(self.latencies):<6} errors: {errors}{self.cpu_line()}"
        )

    def cpu_line(self) -> str:
        """Each watched process's CPU per answered request and its share of one core."""
        answered = max(1, len(self.latencies))
        parts = [
            f"{name} {1000 * used / answered:.2f} ms/req {100 * used / self.seconds:.0f}% core"
            for name, used in self.cpu_seconds.items()
        ]
        return f"  [{'; '.join(parts)}]" if parts else ""


def error_kind(error: Exception) -> str:
    """`HTTP 429` for an answer KeepAliveClient refused, else the exception's type."""
    found = re.search(r"HTTP (\d{3})", str(error))
    return f"HTTP {found.group(1)}" if found else type(error).__name__


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of `pid` and its children so far (0 once it is gone)."""
    import psutil

    total = 0.0
    with suppress(psutil.Error):
        root = psutil.Process(pid)
        for process in [root, *root.children(recursive=True)]:
            with suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system
    return total


def watched() -> dict[str, int]:
    """The processes whose CPU each step reports: the api and the Firestore emulator."""
    firestore = os.environ.get("FIRESTORE_EMULATOR_HOST") or local_ports.service_address("firestore")
    found = {
        "api": listening_pid(urlparse(API).port or 80),
        "firestore": listening_pid(int(firestore.rsplit(":", 1)[1])),
    }
    return {name: pid for name, pid in found.items() if pid is not None}


def run_step(call: Callable[[int], None], clients: int, seconds: float) -> Step:
    """`clients` threads calling `call(n)` back to back until `seconds` have passed."""
    numbers = itertools.count()
    lock = threading.Lock()
    step = Step(clients, seconds)

    def client() -> None:
        while time.perf_counter() < deadline:
            with lock:
                n = next(numbers)
            started = time.perf_counter()
            try:
                call(n)
            except Exception as error:  # counted by kind; the step goes on
                with lock:
                    step.errors[error_kind(error)] += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                step.latencies.append(elapsed)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    processes = watched()
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    started = time.perf_counter()
    deadline = started + seconds  # read by the clients, which start below
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    step.seconds = time.perf_counter() - started
    step.cpu_seconds = {name: cpu_seconds(pid) - before[name] for name, pid in processes.items()}
    return step


def knee(steps: list[Step]) -> Step | None:
    """The first error-free step within KNEE_SHARE of the best error-free throughput, if any."""
    clean = [s for s in steps if not s.errors and s.latencies]
    if not clean:
        return None
    best = max(s.throughput for s in clean)
    return next(s for s in clean if s.throughput >= KNEE_SHARE * best)


def ramp(label: str, call: Callable[[int], None], levels: list[int], seconds: float) -> Step | None:
    """Every step of `levels`, printed as it ends, and the knee."""
    print(f"\n{label}", flush=True)
    steps = []
    for clients in levels:
        steps.append(run_step(call, clients, seconds))
        print(steps[-1].line(), flush=True)
    found = knee(steps)
    if found is None:
        print("  knee: none (every step had errors)")
    else:
        print(
            f"  knee: {found.clients} clients, {found.throughput:.1f}/s, "
            f"p99 {percentile(found.latencies, 0.99):.1f} ms"
        )
    return found


class Routes:
    """The three calls a ramp makes, for one benchmark team and one pool of opened invites."""

    def __init__(self, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}"}
        self.pool: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def create(self, _: int) -> None:
        _status, raw = CLIENT.request("POST", "/api/interviews", BODY, self.headers)
        body = json.loads(raw)
        with self._lock:
            self.pool.append((body["id"], urlparse(body["invite_url"]).fragment))

    def listing(self, _: int) -> None:
        CLIENT.request("GET", "/api/interviews?page_size=20", None, self.headers)

    def mint(self, n: int) -> None:
        interview_id, secret = self.pool[n % len(self.pool)]
        CLIENT.request(
            "POST", f"/api/interviews/{interview_id}/token", {"invite": secret, "consent": CONSENT}
        )

    def open_pool(self, size: int) -> None:
        """`size` new interviews, each opened as a candidate does (welcome page, first token with the
        consent, which takes a live slot), so the timed mints are rejoins. Untimed."""
        self.pool = []
        run_load(self.create, total=size, clients=16)
        pool = list(self.pool)

        def first_visit(n: int) -> None:
            interview_id, secret = pool[n]
            body = {"invite": secret, "consent": CONSENT}
            CLIENT.request("POST", f"/api/interviews/{interview_id}/invite", {"invite": secret})
            CLIENT.request("POST", f"/api/interviews/{interview_id}/token", body)

        run_load(first_visit, total=len(pool), clients=8)


def pool_size(levels: list[int], seconds: float, per_minute: int) -> int:
    """Interviews enough that no invite passes its uses or the per-interview token limit: at most
    MAX_TOKEN_RATE mints a second over the whole ramp, within any minute."""
    total = MAX_TOKEN_RATE * seconds * len(levels)
    by_uses = total / (USES_PER_INVITE - 1)  # one use went to the first token
    by_rate = MAX_TOKEN_RATE * 60 / per_minute
    return max(16, math.ceil(max(by_uses, by_rate)))


@contextmanager
def layout(name: str) -> Iterator[str]:
    """The api on its own core (`pinned`) or not (`shared`); yields the layout's description."""
    if name == "shared":
        yield "every process on every core"
        return
    from bench.pinning import Pinning

    api_pid = listening_pid(urlparse(API).port or 80)
    if api_pid is None or not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2:
        raise SystemExit("the pinned layout needs Linux, two cores and the api found on its port")
    pinning = Pinning.split(api_pid, port="api", load="load generator")
    pinning.apply()
    try:
        yield f"api on core {sorted(pinning.worker_cores)}; {pinning.describe().split('; ', 1)[1]}"
    finally:
        pinning.undo()


def parse_levels(text: str) -> list[int]:
    levels = [int(part) for part in text.split(",") if part.strip()]
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("levels are positive integers, comma-separated")
    return levels


def main(argv: list[str] | None = None) -> None:
    from bench.api import WARM_UP_CALLS, firestore_floor
    from interview_core.settings import get_settings

    parser = argparse.ArgumentParser(prog="bench.load", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--layouts", default="pinned,shared", help="pinned, shared or both (default)")
    parser.add_argument("--levels", type=parse_levels, default=[1, 2, 4, 8, 16, 32, 64])
    parser.add_argument("--create-levels", type=parse_levels, default=[1, 2, 4, 8, 16])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each step")
    args = parser.parse_args(argv)
    settings = get_settings()
    per_minute = settings.token_rate_limit_per_minute
    print(f"bench/load on {machine()}")
    print(
        f"api at {API}; rate limits x{settings.rate_limit_scale:g}, token limit {per_minute}/min per "
        f"interview; {args.seconds:g} s a step; knee = first step at {KNEE_SHARE:.0%} of the best throughput"
    )
    print("The machine may be shared with other work: read every figure with that in mind.", flush=True)
    size = pool_size(args.levels, args.seconds, per_minute)
    if size > 2000:
        raise SystemExit(
            f"{size} interviews would be needed at {per_minute} tokens/min each: run with "
            "TOKEN_RATE_LIMIT_PER_MINUTE=600 (as `make bench-load` does)"
        )
    routes = Routes(sign_up())
    # The Firestore emulator's JIT warms up over its first ~20,000 calls (bench/README.md): uncounted.
    floor = firestore_floor()
    run_load(floor, total=WARM_UP_CALLS, clients=16)
    knees: dict[tuple[str, str], Step | None] = {}
    for name in [part.strip() for part in args.layouts.split(",") if part.strip()]:
        routes.open_pool(size)
        with layout(name) as described:
            print(f"\n=== layout {name}: {described}; {len(routes.pool)} opened interviews to mint on")
            knees[name, "token"] = ramp("token minting", routes.mint, args.levels, args.seconds)
            ramp(
                "  Firestore read+CAS alone (a mint's floor: no HTTP, no api)",
                floor,
                args.levels,
                args.seconds,
            )
            knees[name, "list"] = ramp("list interviews", routes.listing, args.levels, args.seconds)
            knees[name, "create"] = ramp(
                "create interview (local Gemini emulator)", routes.create, args.create_levels, args.seconds
            )
    print("\nsummary (goal: token minting >= 200/s with p99 < 100 ms at the knee)")
    for (name, route), found in knees.items():
        if found is None:
            print(f"  {name:<7} {route:<7} no error-free step")
            continue
        p99 = percentile(found.latencies, 0.99)
        verdict = ""
        if route == "token":
            met = found.throughput >= GOAL_THROUGHPUT and p99 < GOAL_P99_MS
            verdict = "  goal met" if met else "  goal NOT met"
        print(
            f"  {name:<7} {route:<7} knee at {found.clients:>3} clients: {found.throughput:7.1f}/s, "
            f"p99 {p99:6.1f} ms{verdict}"
        )


if __name__ == "__main__":
    main()
