"""The local stack: every emulator and server the product needs, on 127.0.0.1, started and stopped
together. `make dev` and the test fixtures both use this module.

    python -m devstack up                 # start everything, print the table, wait for Ctrl-C
    python -m devstack up --only firestore,auth
    python -m devstack run -- pytest -q   # start, run a command with the stack's env, stop
    python -m devstack env                # print the environment the stack exports

Stdlib only, so it runs before anything else is installed. Each service logs to .stack/logs/<name>.log;
only the processes this module started are stopped (each runs in its own process group).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("AI_STACK_STATE_DIR", ROOT / ".stack"))
CACHE = Path(
    os.environ.get("AI_INTERVIEWER_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ai-interviewer"
)
PROJECT_ID = os.environ.get("GOOGLE_CLOUD_PROJECT", "demo-interviewer")
REGION = os.environ.get("REGION", "us-central1")
TASKS_QUEUE = os.environ.get("TASKS_QUEUE", "evaluations")
API_CONCURRENCY = 20  # infra/variables.tf api_concurrency; tests/infra check that they agree
STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "demo-interviewer-archives")


def _versions() -> dict[str, str]:
    values = {}
    for line in (ROOT / "devstack" / "versions.env").read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def port(name: str, default: int) -> int:
    """A fixed, documented port; its variable overrides it, AI_STACK_PORT_OFFSET moves them all."""
    explicit = os.environ.get(name)
    if explicit:
        return int(explicit)
    return default + int(os.environ.get("AI_STACK_PORT_OFFSET", "0") or 0)


@dataclass
class Ports:
    firestore: int = field(default_factory=lambda: port("FIRESTORE_PORT", 8080))
    auth: int = field(default_factory=lambda: port("AUTH_PORT", 9099))
    storage: int = field(default_factory=lambda: port("STORAGE_PORT", 9199))
    tasks: int = field(default_factory=lambda: port("TASKS_PORT", 8123))
    livekit: int = field(default_factory=lambda: port("LIVEKIT_PORT", 7880))
    livekit_udp: int = field(default_factory=lambda: port("LIVEKIT_UDP_PORT", 7882))
    gemini: int = field(default_factory=lambda: port("GEMINI_PORT", 8790))
    gemini_tls: int = field(default_factory=lambda: port("GEMINI_TLS_PORT", 8791))
    api: int = field(default_factory=lambda: port("API_PORT", 8001))
    evaluate: int = field(default_factory=lambda: port("EVALUATE_PORT", 8002))
    sweep: int = field(default_factory=lambda: port("SWEEP_PORT", 8003))
    agent_health: int = field(default_factory=lambda: port("AGENT_HEALTH_PORT", 8081))
    hosting: int = field(default_factory=lambda: port("HOSTING_PORT", 5173))


@dataclass
class Service:
    name: str
    what: str
    command: list[str]
    ready: Callable[[], bool]
    port: int
    cwd: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    process: subprocess.Popen[bytes] | None = None
    on_ready: Callable[[], None] | None = None
    """Runs once the service answers (e.g. configure the emulator); failing it fails the start."""


class StackError(RuntimeError):
    pass


# -- readiness probes -----------------------------------------------------------------------------
def http_ok(url: str, expect: Iterable[int] = (200,)) -> Callable[[], bool]:
    def probe() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status in expect
        except urllib.error.HTTPError as error:
            return error.code in expect
        except (OSError, ValueError):
            return False

    return probe


def tcp_open(host: str, number: int) -> Callable[[], bool]:
    def probe() -> bool:
        try:
            with socket.create_connection((host, number), timeout=0.5):
                return True
        except OSError:
            return False

    return probe


def port_in_use(number: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", number))
        except OSError:
            return True
    return False


# -- tools ----------------------------------------------------------------------------------------
def venv_bin(name: str) -> str:
    candidate = Path(os.environ.get("VENV", ROOT / ".venv")) / "bin" / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise StackError(f"{name} is not installed: run `make install` (devstack/install.sh)")
    return found


def firestore_jar() -> str:
    sdk = os.environ.get("CLOUDSDK_ROOT")
    if not sdk:
        gcloud = shutil.which("gcloud")
        if gcloud:
            out = subprocess.run(
                [gcloud, "info", "--format=value(installation.sdk_root)"],
                capture_output=True,
                text=True,
                check=False,
            )
            sdk = out.stdout.strip()
    jar = (
        Path(sdk or "/usr/lib/google-cloud-sdk")
        / "platform/cloud-firestore-emulator/cloud-firestore-emulator.jar"
    )
    if not jar.exists():
        raise StackError(
            f"the Firestore emulator jar is missing at {jar}: install the gcloud CLI's "
            "cloud-firestore-emulator component or set CLOUDSDK_ROOT"
        )
    return str(jar)


def cached_binary(relative: str) -> str:
    path = CACHE / relative
    if not path.exists():
        raise StackError(f"{path} is missing: run `make install` (devstack/install.sh)")
    return str(path)


# -- the stack ------------------------------------------------------------------------------------
def stack_env(ports: Ports) -> dict[str, str]:
    """What every service and every test process sees: where each emulator is."""
    return {
        "GOOGLE_CLOUD_PROJECT": PROJECT_ID,
        "GCLOUD_PROJECT": PROJECT_ID,
        "REGION": REGION,
        "ENVIRONMENT": "local",
        "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{ports.firestore}",
        "FIREBASE_AUTH_EMULATOR_HOST": f"127.0.0.1:{ports.auth}",
        "STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{ports.storage}",
        "CLOUD_TASKS_EMULATOR_HOST": f"127.0.0.1:{ports.tasks}",
        "TASKS_OIDC_ISSUER": f"http://127.0.0.1:{ports.tasks}",
        "TASKS_QUEUE": TASKS_QUEUE,
        "STORAGE_BUCKET": STORAGE_BUCKET,
        "LIVEKIT_URL": f"ws://127.0.0.1:{ports.livekit}",
        "LIVEKIT_API_KEY": "devkey",
        "LIVEKIT_API_SECRET": "secret",
        # Where the local Gemini emulator answers. The functions find it themselves (settings) unless
        # GEMINI_API_KEY is set, in which case they call Google and the emulator idles.
        "GEMINI_EMULATOR_URL": f"http://127.0.0.1:{ports.gemini}",
        "GEMINI_EMULATOR_TLS_URL": f"https://127.0.0.1:{ports.gemini_tls}",
        "GEMINI_CA_FILE": str(STATE / "gemini" / "ca.pem"),
        "API_URL": f"http://127.0.0.1:{ports.api}",
        "EVALUATE_URL": f"http://127.0.0.1:{ports.evaluate}",
        "SWEEP_URL": f"http://127.0.0.1:{ports.sweep}",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports.hosting}",
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
    }


def services(ports: Ports) -> list[Service]:
    versions = _versions()
    python = venv_bin("python")
    queue = f"projects/{PROJECT_ID}/locations/{REGION}/queues/{TASKS_QUEUE}"
    (STATE / "firebase").mkdir(parents=True, exist_ok=True)
    auth_config = STATE / "firebase" / "firebase.auth.json"
    auth_config.write_text(
        json.dumps(
            {
                "emulators": {
                    "singleProjectMode": True,
                    "ui": {"enabled": False},
                    "auth": {"host": "127.0.0.1", "port": ports.auth},
                    # firebase-tools' own hub and logging servers, moved with the other ports.
                    "hub": {"host": "127.0.0.1", "port": port("FIREBASE_HUB_PORT", 4400)},
                    "logging": {"host": "127.0.0.1", "port": port("FIREBASE_LOGGING_PORT", 4500)},
                }
            }
        )
    )
    # Loopback only: by default livekit-server binds its WebRTC UDP mux to every interface's address
    # and its ICE/TCP port to all interfaces. Here media runs over UDP on 127.0.0.1 (loopback ICE
    # candidates on) and the TCP fallback is off, since nothing off this machine may connect.
    livekit_config = (
        f"port: {ports.livekit}\n"
        f"rtc:\n  tcp_port: 0\n  udp_port: {ports.livekit_udp}\n"
        "  use_external_ip: false\n  node_ip: 127.0.0.1\n  enable_loopback_candidate: true\n"
        "  interfaces:\n    includes: [lo]\n  ips:\n    includes: [127.0.0.1/32]\n"
        "logging:\n  level: info\n"
    )
    return [
        Service(
            "firestore",
            "Cloud Firestore emulator (gcloud jar, firestore.rules loaded)",
            [
                "java",
                # ZGC collects concurrently: under load G1's young pauses stopped every Firestore
                # call for 10-40 ms every few seconds (-Xlog:gc), the tail of tests and benches.
                "-XX:+UseZGC",
                "-cp",
                firestore_jar(),
                "com.google.cloud.datastore.emulator.firestore.CloudFirestore",
                "start",
                "--host=127.0.0.1",
                f"--port={ports.firestore}",
                f"--rules={ROOT / 'firestore.rules'}",
                f"--project_id={PROJECT_ID}",
            ],
            http_ok(f"http://127.0.0.1:{ports.firestore}/"),
            ports.firestore,
        ),
        Service(
            "auth",
            "Firebase Auth emulator (firebase-tools)",
            [
                str(ROOT / "node_modules" / ".bin" / "firebase"),
                "emulators:start",
                "--only",
                "auth",
                "--project",
                PROJECT_ID,
                "--config",
                str(auth_config),
            ],
            http_ok(f"http://127.0.0.1:{ports.auth}/"),
            ports.auth,
            cwd=STATE / "firebase",  # firebase-tools writes its debug log into the working directory
            timeout=90,
        ),
        Service(
            "storage",
            "Cloud Storage emulator (gcp-storage-emulator)",
            [
                venv_bin("gcp-storage-emulator"),
                "start",
                "--host=127.0.0.1",
                f"--port={ports.storage}",
                "--in-memory",
                f"--default-bucket={STORAGE_BUCKET}",
            ],
            tcp_open("127.0.0.1", ports.storage),
            ports.storage,
        ),
        Service(
            "tasks",
            "Cloud Tasks emulator (OIDC issuer on, queue created at start)",
            [
                cached_binary(
                    f"cloud-tasks-emulator-{versions['CLOUD_TASKS_EMULATOR_VERSION']}/bin/cloud-tasks-emulator"
                )
            ],
            http_ok(f"http://127.0.0.1:{ports.tasks}/v2/{queue}"),
            ports.tasks,
            env={
                "LISTEN_ADDR": f"127.0.0.1:{ports.tasks}",
                "OIDC_ISSUER": f"http://127.0.0.1:{ports.tasks}",
                "QUEUES": queue,
            },
            on_ready=lambda: apply_queue_policy(ports.tasks, queue),
        ),
        Service(
            "livekit",
            "LiveKit server (--dev: keys devkey/secret)",
            [
                cached_binary(f"bin/livekit-server-{versions['LIVEKIT_SERVER_VERSION']}"),
                "--dev",
                "--bind",
                "127.0.0.1",
                "--node-ip",
                "127.0.0.1",
                "--config-body",
                livekit_config,
            ],
            http_ok(f"http://127.0.0.1:{ports.livekit}/"),
            ports.livekit,
        ),
        Service(
            "gemini",
            "local Gemini emulator (REST on this port, TLS + Live on GEMINI_TLS_PORT)",
            [
                python,
                "-m",
                "devstack.gemini_emulator",
                "--host",
                "127.0.0.1",
                "--port",
                str(ports.gemini),
                "--tls-port",
                str(ports.gemini_tls),
                "--state-dir",
                str(STATE / "gemini"),
            ],
            http_ok(f"http://127.0.0.1:{ports.gemini}/health"),
            ports.gemini,
        ),
        Service(
            "api",
            "functions `api` (functions-framework)",
            [
                venv_bin("functions-framework"),
                "--target",
                "api",
                "--source",
                str(ROOT / "functions" / "main.py"),
                "--host",
                "127.0.0.1",
                "--port",
                str(ports.api),
            ],
            http_ok(f"http://127.0.0.1:{ports.api}/health"),
            ports.api,
            cwd=ROOT / "functions",
            # One gunicorn thread per concurrent request, as infra/functions.tf deploys the api
            # (functions-framework's default is 4 per core: 8 here, and the 9th request would queue).
            env={"THREADS": os.environ.get("THREADS", str(API_CONCURRENCY))},
        ),
        *(
            Service(
                target,
                what,
                [
                    venv_bin("functions-framework"),
                    "--target",
                    target,
                    "--source",
                    str(ROOT / "functions" / "main.py"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(number),
                ],
                http_ok(f"http://127.0.0.1:{number}/health"),
                number,
                cwd=ROOT / "functions",
            )
            for target, what, number in (
                (
                    "evaluate",
                    "functions `evaluate` (Cloud Tasks target, OIDC from the emulator)",
                    ports.evaluate,
                ),
                ("sweep", "functions `sweep` (POST with the webhook HMAC)", ports.sweep),
            )
        ),
        Service(
            "agent",
            "interviewer agent worker (LiveKit Agents on Gemini Live; health on this port)",
            [python, "-m", "agent_worker", "start"],
            http_ok(f"http://127.0.0.1:{ports.agent_health}/"),
            ports.agent_health,
            env={
                "AGENT_HEALTH_HOST": "127.0.0.1",
                "AGENT_HEALTH_PORT": str(ports.agent_health),
                # Locally, stopping the stack should not wait for running interviews to finish.
                "AGENT_DRAIN_TIMEOUT_SECONDS": os.environ.get("AGENT_DRAIN_TIMEOUT_SECONDS", "3"),
            },
        ),
        Service(
            "hosting",
            "the web app (Vite dev server, /api proxied to the api function)",
            [str(ROOT / "hosting" / "node_modules" / ".bin" / "vite"), "--strictPort"],
            http_ok(f"http://127.0.0.1:{ports.hosting}/"),
            ports.hosting,
            cwd=ROOT / "hosting",
            # All ports as numbers: vite.config.ts and the app do no offset arithmetic of their own.
            env={
                "HOSTING_PORT": str(ports.hosting),
                "API_ORIGIN": f"http://127.0.0.1:{ports.api}",
                "VITE_AUTH_PORT": str(ports.auth),
                "VITE_FIRESTORE_PORT": str(ports.firestore),
            },
        ),
    ]


def apply_queue_policy(tasks_port: int, queue: str) -> None:
    """Give the emulator's queue the production retry policy and rate limits (queue_policy.py).

    TASKS_MIN_BACKOFF_SECONDS / TASKS_MAX_BACKOFF_SECONDS shorten the backoff for fast local runs
    (defaults: production). Uses the emulator's REST UpdateQueue, so it needs nothing installed.
    """
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_queue_policy", ROOT / "functions" / "interview_core" / "queue_policy.py"
    )
    if spec is None or spec.loader is None:
        raise StackError("functions/interview_core/queue_policy.py is missing")
    policy = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = policy  # dataclasses resolve their module while the file executes
    spec.loader.exec_module(policy)
    body = json.dumps(policy.queue_rest_body(queue, policy.local_retry_policy(os.environ))).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{tasks_port}/v2/{queue}?updateMask=retryConfig,rateLimits",
        data=body,
        method="PATCH",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise StackError(f"could not apply the queue policy: {error.code} {error.read()[:300]!r}") from error


class Stack:
    """Starts services, waits for them, and stops exactly what it started."""

    def __init__(self, only: Iterable[str] | None = None, ports: Ports | None = None) -> None:
        self.ports = ports or Ports()
        wanted = set(only) if only else None
        self.services = [s for s in services(self.ports) if wanted is None or s.name in wanted]
        if wanted and (unknown := wanted - {s.name for s in self.services}):
            raise StackError(f"unknown services: {', '.join(sorted(unknown))}")
        self.env = stack_env(self.ports)
        self.logs = STATE / "logs"

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        busy = [f"{s.name} ({s.port})" for s in self.services if port_in_use(s.port)]
        if busy:
            raise StackError(
                "ports already in use: "
                + ", ".join(busy)
                + ". Is another stack running? Stop it, or move this one with AI_STACK_PORT_OFFSET=100."
            )
        base_env = {**os.environ, **self.env}
        try:
            for service in self.services:
                log = open(self.logs / f"{service.name}.log", "wb")  # noqa: SIM115 (kept open by the child)
                service.process = subprocess.Popen(
                    service.command,
                    cwd=service.cwd,
                    env={**base_env, **service.env},
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                log.close()
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        pending = {s.name: s for s in self.services}
        started = time.monotonic()
        while pending:
            for name, service in list(pending.items()):
                assert service.process is not None
                if service.process.poll() is not None:
                    raise StackError(
                        f"{name} exited with {service.process.returncode}; see {self.logs / name}.log:\n"
                        + _tail(self.logs / f"{name}.log")
                    )
                if service.ready():
                    pending.pop(name)
                    if service.on_ready is not None:
                        service.on_ready()
                elif time.monotonic() - started > service.timeout:
                    raise StackError(
                        f"{name} did not answer within {service.timeout:.0f}s; see "
                        f"{self.logs / name}.log:\n" + _tail(self.logs / f"{name}.log")
                    )
            if pending:
                time.sleep(0.1)

    def stop(self) -> None:
        for service in reversed(self.services):
            process = service.process
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        deadline = time.monotonic() + 10
        for service in self.services:
            process = service.process
            if process is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # The group may hold children (java under a launcher, node workers).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            service.process = None

    def describe(self) -> str:
        rows = [f"  {s.name:<10} 127.0.0.1:{s.port:<6} {s.what}" for s in self.services]
        return "\n".join(rows)


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m devstack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the stack and wait for Ctrl-C")
    up.add_argument("--only", help="comma-separated service names")
    run = sub.add_parser("run", help="start the stack, run a command with its env, stop")
    run.add_argument("--only", help="comma-separated service names")
    run.add_argument("cmd", nargs=argparse.REMAINDER)
    sub.add_parser("env", help="print the environment the stack exports")
    args = parser.parse_args(argv)

    if args.command == "env":
        for key, value in stack_env(Ports()).items():
            print(f"export {key}={value}")
        return 0

    only = args.only.split(",") if args.only else None
    try:
        stack = Stack(only)
    except StackError as error:
        print(f"[stack] {error}", file=sys.stderr)
        return 2

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    try:
        stack.start()
    except StackError as error:
        print(f"[stack] {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(
        f"[stack] ready in {time.monotonic() - started:.1f}s (logs in {stack.logs}):\n{stack.describe()}",
        file=sys.stderr,
    )
    try:
        if args.command == "up":
            print("[stack] Ctrl-C stops everything.", file=sys.stderr)
            while True:
                time.sleep(3600)
        cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
        if not cmd:
            print("[stack] run needs a command", file=sys.stderr)
            return 2
        env = {**os.environ, **stack.env, "AI_STACK_RUNNING": "1"}
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        stack.stop()
        print("[stack] stopped", file=sys.stderr)
