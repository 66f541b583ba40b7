"""Shared helpers for the benchmarks: percentiles, the machine description, concurrent load."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from interview_core.domain.consent import CONSENT_TEXTS

ENGLISH_CONSENT = {"version": CONSENT_TEXTS["en"].version, "language": "en"}
"""What the candidate page sends with its first token request once the consent screen is accepted."""


def sign_up() -> str:
    """The owner of a fresh team on the running stack; returns its ID token.

    Since teams, signing up is not enough: the account's email is verified (the Auth emulator's admin
    update), it is made the owner of a new workspace the way the operator's command does, and the
    team's quotas are raised to their maximum so that the benchmark measures latency, not limits.
    """
    import uuid
    from datetime import UTC, datetime

    from devstack.accounts import AuthEmulatorClient
    from interview_core import local_ports
    from interview_core.adapters.workspace_store import WorkspaceStore
    from interview_core.domain.workspaces import MAX_QUOTA, Quotas, QuotasPatch, SettingsPatch
    from interview_core.settings import get_settings

    auth = os.environ.get("FIREBASE_AUTH_EMULATOR_HOST") or local_ports.service_address("auth")
    client = AuthEmulatorClient(auth, get_settings().project_id)
    account = client.mark_verified(
        client.sign_up(f"bench-{uuid.uuid4().hex[:8]}@example.com", "bench-password-1")
    )
    store = WorkspaceStore()
    now = datetime.now(UTC)
    workspace = store.create_workspace(
        "Benchmark team", owner_uid=account.uid, owner_email=account.email, actor_uid="operator", now=now
    )
    unlimited = QuotasPatch(**dict.fromkeys(Quotas.model_fields, MAX_QUOTA))
    store.update_settings(workspace.id, actor_uid=account.uid, patch=SettingsPatch(quotas=unlimited), now=now)
    return account.id_token


class KeepAliveClient:
    """A minimal HTTP/1.1 client with one keep-alive connection per thread.

    The load generator shares the machine's cores with the server it measures, so it should cost as
    little CPU as it can: http.client takes a fraction of what requests spends per call.
    """

    def __init__(self, base_url: str, timeout: float = 60) -> None:
        from urllib.parse import urlparse

        parsed = urlparse(base_url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 80
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        if not hasattr(self._local, "connection"):
            self._local.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._local.connection  # type: ignore[no-any-return]

    def request(
        self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """Send one request; raise on a status >= 400 (a failed call must not count as a fast one)."""
        payload = None if body is None else json.dumps(body).encode()
        all_headers = {**(headers or {}), **({"Content-Type": "application/json"} if payload else {})}
        connection = self._connection()
        try:
            connection.request(method, path, body=payload, headers=all_headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            del self._local.connection
            raise
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}: {data[:300]!r}")
        return response.status, data


def listening_pid(port: int | None) -> int | None:
    """The process listening on TCP `port` on this machine, if any."""
    import psutil

    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
            return int(conn.pid)
    return None


def for_each_thread(pid: int, apply: Callable[[int], object]) -> None:
    """`apply(thread id)` on every thread of `pid` and of its children, as they are now.

    Linux keeps niceness and CPU affinity per thread; threads started later inherit their creator's.
    A thread or process that ends meanwhile is skipped.
    """
    import psutil

    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            for thread in process.threads():
                with contextlib.suppress(OSError):
                    apply(thread.id)


def machine() -> str:
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, Python {python}, {platform.system()}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=1000, method="inclusive")[int(q * 1000) - 1]


def run_load(call: Callable[[int], None], *, total: int, clients: int) -> list[float]:
    """Run `call(i)` total times from `clients` threads; return each call's latency in ms."""
    latencies: list[float] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        started = time.perf_counter()
        call(i)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(total)))
    return latencies


def row(label: str, latencies: list[float]) -> str:
    return (
        f"  {label:<34} n={len(latencies):<4} p50={percentile(latencies, 0.50):7.1f} ms   "
        f"p99={percentile(latencies, 0.99):7.1f} ms"
    )
