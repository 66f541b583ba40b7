"""bench/api: latency of the api function against the local stack.

    make bench-api        (starts the stack, runs this, stops the stack)

Prints p50/p99 for /health (the baseline of the same run), interview creation (Gemini emulator +
Firestore) and candidate token minting, each at 1 and 16 concurrent clients, and the import time of
functions/main.py. Goals: token minting p99 < 60 ms at 16 clients; import < 1 s.

Token minting is measured as candidates do it: the welcome page reads the invite (untimed), then the
token request reads the invite gate and writes the new use count with the read's update time as a
precondition (two Firestore round trips, through the client library's public API). A candidate's
first token, which also takes a live-interview slot of the team (a transaction), is timed apart.

And in two layouts of the same machine. Shared: every process may run on every core, so the api's
threads, the Firestore emulator's JVM and the load generator take turns on both. As deployed: the api
alone on core 0, as on its 1-vCPU Cloud Run instance (infra/functions.tf), and the stand-ins for what
runs elsewhere in production (the Firestore emulator, this load generator: the candidates'
browsers) on the other cores. Linux only (CPU affinity per thread); elsewhere only the shared rows.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

from bench.common import (
    KeepAliveClient,
    for_each_thread,
    listening_pid,
    machine,
    percentile,
    row,
    run_load,
    sign_up,
)
from interview_core import local_ports

ROOT = Path(__file__).resolve().parent.parent
API = os.environ.get("API_URL") or local_ports.service_url("api")
BODY = {
    "candidate": {"name": "Bench Candidate", "email": "bench@example.com"},
    "role": "Backend Engineer",
    "job_description": "Backend engineer with strong Python, SQL and API design skills; Kubernetes is a "
    "plus. You must communicate clearly with product and mentor others.",
    "duration_minutes": 15,
    "options": {"invite_max_uses": 200},
}
CLIENT = KeepAliveClient(API)
CONSENT = {"version": "en-1", "language": "en"}
"""The consent text the candidate accepted: the first token of an interview needs it (domain/consent.py)."""


WARM_UP_CALLS = 24_000
"""Read+write calls straight to the emulator before anything is measured, so its JIT has compiled."""


def import_time_ms(repeats: int = 5) -> list[float]:
    code = "import time; t = time.perf_counter(); import main; print((time.perf_counter() - t) * 1000)"
    results = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT / "functions",
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(float(out.stdout.strip().splitlines()[-1]))
    return results


def deployed_layout() -> dict[int, set[int]] | None:
    """The cores of each process in the deployed layout (module docstring), or None where it cannot
    be set up: not Linux, one core, or the api or the Firestore emulator not found."""
    cores = set(range(os.cpu_count() or 1))
    api_pid = listening_pid(urlparse(API).port or 80)
    firestore = os.environ.get("FIRESTORE_EMULATOR_HOST") or local_ports.service_address("firestore")
    firestore_pid = listening_pid(int(firestore.rsplit(":", 1)[1]))
    if not hasattr(os, "sched_setaffinity") or len(cores) < 2 or not api_pid or not firestore_pid:
        return None
    elsewhere = cores - {0}
    return {api_pid: {0}, firestore_pid: elsewhere, os.getpid(): elsewhere}


@contextlib.contextmanager
def placed(layout: dict[int, set[int]]) -> Iterator[None]:
    """Every thread of each process on its cores while the block runs; all cores again after."""

    def place(pid: int, cpus: set[int]) -> None:
        for_each_thread(pid, lambda thread: os.sched_setaffinity(thread, cpus))

    try:
        for pid, cpus in layout.items():
            place(pid, cpus)
        yield
    finally:
        for pid in layout:
            place(pid, set(range(os.cpu_count() or 1)))


def firestore_floor() -> Callable[[int], None]:
    """The emulator's share of a token mint: one read and one compare-and-set write, no HTTP, no app."""
    from google.api_core.exceptions import FailedPrecondition

    from interview_core.adapters.clients import firestore_client

    db = firestore_client()
    refs = [db.collection("bench_floor").document(f"doc{n}") for n in range(100)]
    for ref in refs:
        ref.set({"uses": 0})

    def read_and_write(n: int) -> None:
        # Calls n and n + 100 can overlap on one document (a slow client): the loser reads again,
        # as the store's compare-and-set does, instead of failing the benchmark.
        ref = refs[n % len(refs)]
        while True:
            snapshot = ref.get()
            try:
                ref.update(
                    {"uses": snapshot.get("uses") + 1},
                    option=db.write_option(last_update_time=snapshot.update_time),
                )
                return
            except FailedPrecondition:
                continue

    return read_and_write


def main() -> None:
    print(f"bench/api on {machine()}")
    print(f"api at {API}\n")
    token = sign_up()
    headers = {"Authorization": f"Bearer {token}"}
    invites: list[tuple[str, str]] = []
    lock = threading.Lock()

    def health(_: int) -> None:
        CLIENT.request("GET", "/health")

    def creator(into: list[tuple[str, str]]) -> Callable[[int], None]:
        def create(_: int) -> None:
            _, raw = CLIENT.request("POST", "/api/interviews", BODY, headers)
            body = json.loads(raw)
            with lock:
                into.append((body["id"], urlparse(body["invite_url"]).fragment))

        return create

    def minter(pool: list[tuple[str, str]], path: str = "token") -> Callable[[int], None]:
        """Round-robin over `pool`: each call takes the next interview."""
        counter = iter(range(10**9))

        def mint(_: int) -> None:
            with lock:
                n = next(counter)
            interview_id, secret = pool[n % len(pool)]
            status, _body = CLIENT.request(
                "POST", f"/api/interviews/{interview_id}/{path}", {"invite": secret, "consent": CONSENT}
            )
            if status != 200:
                raise SystemExit(f"POST {path} answered {status}")

        return mint

    create = creator(invites)
    mint = minter(invites)

    # Warm every client connection and every server worker's lazy clients, and let the emulator's
    # JVM compile its hot paths before anything is measured (none of this is counted): its CPU per
    # read+write keeps falling for its first ~20,000 calls (bench/README.md), and a JIT still
    # compiling would be measured as the api's latency.
    floor = firestore_floor()
    run_load(floor, total=WARM_UP_CALLS, clients=16)
    run_load(health, total=64, clients=16)
    run_load(create, total=16, clients=16)
    run_load(mint, total=32, clients=16)

    results = {}
    for clients in (1, 16):
        results[f"GET /health, {clients} client(s)"] = run_load(health, total=200, clients=clients)
    for clients in (1, 16):
        results[f"create interview, {clients} client(s)"] = run_load(create, total=48, clients=clients)
    # Enough invites that no interview gets more than 3 of the mints below within a minute, besides
    # its first token and the warm-up's: the per-interview rate limit (6/min) is part of the product
    # and must not turn into 429s here.
    mints = {1: 240, 16: 960}
    missing = sum(mints.values()) // 3 - len(invites)
    if missing > 0:
        run_load(create, total=missing, clients=16)
    # Each candidate opens the welcome page (not timed), then asks for tokens. The first token also
    # takes one of the team's live-interview slots, in a transaction with the team's usage counters:
    # timed apart, one candidate at a time (a team has a handful of live slots, so first tokens do
    # not come in bursts). The mints timed after it are rejoins: the compare-and-set alone.
    run_load(minter(invites, "invite"), total=len(invites), clients=16)
    results["first token (takes a live slot), 1"] = run_load(minter(invites), total=len(invites), clients=1)
    for clients, total in mints.items():
        results[f"mint token, {clients} client(s)"] = run_load(mint, total=total, clients=clients)
    for clients in (1, 16):
        results[f"  Firestore read+CAS only, {clients}"] = run_load(
            floor, total=960 if clients > 1 else 240, clients=clients
        )

    # The same mints with the api alone on a core, on invites of their own (created and opened on
    # the welcome page beforehand, untimed), so no interview passes the rate limit.
    layout = deployed_layout()
    if layout is not None:
        opened: list[tuple[str, str]] = []
        run_load(creator(opened), total=sum(mints.values()) // 4, clients=16)
        run_load(minter(opened, "invite"), total=len(opened), clients=16)
        with placed(layout):
            dedicated = minter(opened)
            for clients, total in mints.items():
                results[f"mint token, {clients}, api on own core"] = run_load(
                    dedicated, total=total, clients=clients
                )

    for label, latencies in results.items():
        print(row(label, latencies))
    imports = import_time_ms()
    print(
        f"\n  import functions/main.py          median={statistics.median(imports):7.1f} ms   "
        f"max={max(imports):7.1f} ms (5 fresh interpreters)"
    )
    mint16 = results["mint token, 16 client(s)"]
    floor16 = results["  Firestore read+CAS only, 16"]
    base16 = results["GET /health, 16 client(s)"]
    ratio = percentile(mint16, 0.5) / percentile(base16, 0.5)
    print(
        f"\n  token minting p99 at 16 clients (goal < 60 ms), every process on both cores: "
        f"{percentile(mint16, 0.99):.1f} ms; {ratio:.1f}x the /health p50; the Firestore emulator's "
        f"read+write alone: p99 {percentile(floor16, 0.99):.1f} ms"
    )
    if layout is not None:
        own16 = results["mint token, 16, api on own core"]
        print(
            f"  with the api alone on core 0 as deployed (1 vCPU) and the stand-ins on the other core: "
            f"{percentile(own16, 0.99):.1f} ms"
        )
    else:
        print("  (the api-on-its-own-core layout needs Linux and two cores: not measured here)")


if __name__ == "__main__":
    main()
