"""What the local stack runs: one declarative entry per service, and the values its templates name.

Each `ServiceSpec` says what a service is, the command that starts it, how to tell it is ready and on
which port; its command, working directory and environment are templates (`str.format`) over a
`Context`: `{api_port}`, `{api_address}`, `{api_url}` for every port of `Ports`, the paths `{root}`,
`{state}`, `{functions}`, and the tools (`{firestore_jar}`, `{vite}`...). A tool is looked up, and a
configuration file written, only when a selected service names it, so `--only storage` needs neither
Java nor firebase-tools.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from interview_core import local_ports, queue_policy

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("AI_STACK_STATE_DIR", ROOT / ".stack"))
FUNCTIONS = Path(os.environ.get("AI_STACK_FUNCTIONS_DIR") or ROOT / "functions")
"""The functions' source the stack serves (another folder only to test the reloader on a copy)."""
CACHE = Path(
    os.environ.get("AI_INTERVIEWER_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ai-interviewer"
)
PROJECT_ID = os.environ.get("GOOGLE_CLOUD_PROJECT", "demo-interviewer")
REGION = os.environ.get("REGION", "us-central1")
TASKS_QUEUE = os.environ.get("TASKS_QUEUE", "evaluations")
WEBHOOK_TASKS_QUEUE = os.environ.get("WEBHOOK_TASKS_QUEUE", queue_policy.WEBHOOK_QUEUE_NAME)
API_CONCURRENCY = 20  # infra/variables.tf api_concurrency; tests/infra check that they agree
STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "demo-interviewer-archives")


class StackError(RuntimeError):
    pass


def _port_field(service: str) -> int:
    return field(default_factory=lambda: local_ports.port(service))


@dataclass
class Ports:
    """The stack's ports, by the convention of interview_core.local_ports (README.md's table)."""

    firestore: int = _port_field("firestore")
    auth: int = _port_field("auth")
    storage: int = _port_field("storage")
    tasks: int = _port_field("tasks")
    livekit: int = _port_field("livekit")
    livekit_udp: int = _port_field("livekit_udp")
    gemini: int = _port_field("gemini")
    gemini_tls: int = _port_field("gemini_tls")
    api: int = _port_field("api")
    evaluate: int = _port_field("evaluate")
    sweep: int = _port_field("sweep")
    agent_health: int = _port_field("agent_health")
    hosting: int = _port_field("hosting")
    mail: int = _port_field("mail")
    smtp: int = _port_field("smtp")
    traces: int = _port_field("traces")
    traces_grpc: int = _port_field("traces_grpc")

    def items(self) -> Iterator[tuple[str, int]]:
        for each in fields(self):
            yield each.name, getattr(self, each.name)

    @classmethod
    def moved_by(cls, offset: int) -> Ports:
        """Every port at its default + `offset`, whatever this process's port variables say: a second
        stack beside the one the environment describes (the fault tests' own, tests/faults)."""
        environ = {local_ports.OFFSET_VARIABLE: str(offset)}
        return cls(**{each.name: local_ports.port(each.name, environ) for each in fields(cls)})


# -- what every process sees ------------------------------------------------------------------------
def stack_env(ports: Ports, state: Path = STATE) -> dict[str, str]:
    """What every service and every test process sees: where each emulator is."""
    url, address = local_ports.url, local_ports.address
    return {
        "GOOGLE_CLOUD_PROJECT": PROJECT_ID,
        "GCLOUD_PROJECT": PROJECT_ID,
        "REGION": REGION,
        "ENVIRONMENT": "local",
        # Every request of the tests and the browser comes from 127.0.0.1: limits x1000 (api/limits.py).
        "RATE_LIMIT_SCALE": "1000",
        "FIRESTORE_EMULATOR_HOST": address(ports.firestore),
        "FIREBASE_AUTH_EMULATOR_HOST": address(ports.auth),
        "STORAGE_EMULATOR_HOST": url(ports.storage),
        "CLOUD_TASKS_EMULATOR_HOST": address(ports.tasks),
        "TASKS_OIDC_ISSUER": url(ports.tasks),
        "TASKS_QUEUE": TASKS_QUEUE,
        "WEBHOOK_TASKS_QUEUE": WEBHOOK_TASKS_QUEUE,
        "STORAGE_BUCKET": STORAGE_BUCKET,
        "LIVEKIT_URL": url(ports.livekit, "ws"),
        "LIVEKIT_API_KEY": "devkey",
        "LIVEKIT_API_SECRET": "secret",
        # Where the local Gemini emulator answers. The functions find it themselves (settings) unless
        # GEMINI_API_KEY is set, in which case they call Google and the emulator idles.
        "GEMINI_EMULATOR_URL": url(ports.gemini),
        "GEMINI_EMULATOR_TLS_URL": url(ports.gemini_tls, "https"),
        "GEMINI_CA_FILE": str(state / "gemini" / "ca.pem"),
        "API_URL": url(ports.api),
        "EVALUATE_URL": url(ports.evaluate),
        "SWEEP_URL": url(ports.sweep),
        "PUBLIC_BASE_URL": url(ports.hosting),
        "SMTP_HOST": local_ports.HOST,
        "SMTP_PORT": str(ports.smtp),
        "MAIL_CATCHER_URL": url(ports.mail),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
    }


TRACES_ENV: Mapping[str, str] = {
    "PHOENIX_HOST": "{host}",
    "PHOENIX_PORT": "{traces_port}",
    "PHOENIX_GRPC_PORT": "{traces_grpc_port}",
    "PHOENIX_WORKING_DIR": "{state}/phoenix",
    # Offline and quiet: no usage telemetry, no assistant reaching out, no fonts from a CDN.
    "PHOENIX_TELEMETRY_ENABLED": "false",
    "PHOENIX_DISABLE_AGENT_ASSISTANT": "true",
    "PHOENIX_AGENTS_DISABLE_WEB_ACCESS": "true",
    "PHOENIX_AGENTS_DISABLE_BASH": "true",
    "PHOENIX_AGENTS_DISABLE_GITHUB": "true",
    "PHOENIX_ALLOW_EXTERNAL_RESOURCES": "false",
    "PHOENIX_DB_LOGGING_LEVEL": "warning",
    "PYTHONUNBUFFERED": "1",  # its log lines reach .stack/logs/traces.log as they are written
}
"""The trace viewer's settings (Arize Phoenix reads its own PHOENIX_* variables)."""


def tracing_env(ports: Ports) -> dict[str, str]:
    """What the functions and the agent need to send their traces to the stack's trace viewer."""
    viewer = local_ports.url(ports.traces)
    return {
        "TRACES_EXPORTER": os.environ.get("TRACES_EXPORTER", "otlp"),
        "OTLP_TRACES_ENDPOINT": f"{viewer}/v1/traces",
        "TRACE_VIEWER_URL": os.environ.get("TRACE_VIEWER_URL", viewer),
    }


HOSTING_ENV: Mapping[str, str] = {
    "HOSTING_PORT": "{hosting_port}",
    "API_ORIGIN": "{api_url}",
    "VITE_AUTH_PORT": "{auth_port}",
    "VITE_FIRESTORE_PORT": "{firestore_port}",
}
"""What the Vite dev server needs (hosting/vite.config.ts): every port as a number, no offset arithmetic."""


# -- the values templates name --------------------------------------------------------------------
def plain_values(*, reload: bool, functions: Path, state: Path = STATE) -> dict[str, str]:
    return {
        "host": local_ports.HOST,
        "root": str(ROOT),
        "state": str(state),
        "functions": str(functions),
        "project": PROJECT_ID,
        "bucket": STORAGE_BUCKET,
        "queue": f"projects/{PROJECT_ID}/locations/{REGION}/queues/{TASKS_QUEUE}",
        "webhook_queue": f"projects/{PROJECT_ID}/locations/{REGION}/queues/{WEBHOOK_TASKS_QUEUE}",
        # One gunicorn thread per concurrent request, as infra/functions.tf deploys the api
        # (functions-framework's default is 4 per core, and one request more would queue).
        "api_threads": os.environ.get("THREADS", str(API_CONCURRENCY)),
        # Locally, stopping the stack should not wait for running interviews to finish.
        "agent_drain_seconds": os.environ.get("AGENT_DRAIN_TIMEOUT_SECONDS", "3"),
        # Under reload the agent runs in its dev mode (readable logs, no drain); else as in production.
        "agent_mode": "dev" if reload else "start",
    }


def port_values(ports: Ports) -> dict[str, str]:
    """{name}_port, {name}_address (host:port) and {name}_url (http://host:port) for every port."""
    values = {}
    for name, number in ports.items():
        values[f"{name}_port"] = str(number)
        values[f"{name}_address"] = local_ports.address(number)
        values[f"{name}_url"] = local_ports.url(number)
    return values


def lazy_values(ports: Ports, state: Path = STATE) -> dict[str, Callable[[], str]]:
    """Tools (looked up, or refused with how to install them) and configuration files (written)."""
    return {
        "python": lambda: venv_bin("python"),
        "functions_framework": lambda: venv_bin("functions-framework"),
        "storage_emulator": lambda: venv_bin("gcp-storage-emulator"),
        "watchfiles": lambda: venv_bin("watchfiles"),
        "firestore_jar": firestore_jar,
        "firebase": lambda: node_bin(ROOT, "firebase"),
        "vite": lambda: node_bin(ROOT / "hosting", "vite"),
        "tasks_emulator": lambda: cached_binary(
            f"cloud-tasks-emulator-{_version('CLOUD_TASKS_EMULATOR_VERSION')}/bin/cloud-tasks-emulator"
        ),
        "livekit_server": lambda: cached_binary(f"bin/livekit-server-{_version('LIVEKIT_SERVER_VERSION')}"),
        "phoenix": lambda: cached_binary(f"phoenix-{_version('PHOENIX_VERSION')}/bin/phoenix"),
        "auth_config": lambda: str(write_firebase_auth_config(ports, state)),
        "livekit_config": lambda: livekit_config(ports),
    }


class Context(Mapping[str, str]):
    """The names a template may use. Tools and configuration files are resolved on first use."""

    def __init__(
        self, ports: Ports, *, reload: bool = False, functions: Path = FUNCTIONS, state: Path = STATE
    ) -> None:
        self.ports = ports
        self._values = {
            **plain_values(reload=reload, functions=functions, state=state),
            **port_values(ports),
        }
        self._lazy = lazy_values(ports, state)

    def __getitem__(self, key: str) -> str:
        if key not in self._values:
            self._values[key] = self._lazy[key]()
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter({**self._lazy, **self._values})

    def __len__(self) -> int:
        return len({**self._lazy, **self._values})

    def render(self, template: str) -> str:
        try:
            return template.format_map(self)
        except KeyError as error:
            raise StackError(
                f"the template {template!r} names {error}, which the stack does not define"
            ) from None


# -- configuration files --------------------------------------------------------------------------
def write_firebase_auth_config(ports: Ports, state: Path = STATE) -> Path:
    """firebase-tools reads its ports from a firebase.json: the Auth emulator's, with UI and all."""
    folder = state / "firebase"
    folder.mkdir(parents=True, exist_ok=True)
    loopback = local_ports.HOST
    config = {
        "emulators": {
            "singleProjectMode": True,
            "ui": {"enabled": False},
            "auth": {"host": loopback, "port": ports.auth},
            # firebase-tools' own hub and logging servers, moved with the other ports.
            "hub": {"host": loopback, "port": local_ports.port("firebase_hub")},
            "logging": {"host": loopback, "port": local_ports.port("firebase_logging")},
        }
    }
    path = folder / "firebase.auth.json"
    path.write_text(json.dumps(config))
    return path


def livekit_config(ports: Ports) -> str:
    """livekit-server's YAML, passed inline: everything on loopback.

    By default livekit-server binds its WebRTC UDP mux to every interface's address and its ICE/TCP
    port to all interfaces. Here media runs over UDP on 127.0.0.1 (loopback ICE candidates on) and the
    TCP fallback is off, since nothing off this machine may connect.
    """
    host = local_ports.HOST
    return (
        f"port: {ports.livekit}\n"
        f"rtc:\n  tcp_port: 0\n  udp_port: {ports.livekit_udp}\n"
        f"  use_external_ip: false\n  node_ip: {host}\n  enable_loopback_candidate: true\n"
        f"  interfaces:\n    includes: [lo]\n  ips:\n    includes: [{host}/32]\n"
        "logging:\n  level: info\n"
    )


# -- tools ----------------------------------------------------------------------------------------
def _version(name: str) -> str:
    """A pinned tool version from devstack/versions.env (which devstack/install.sh builds)."""
    for line in (ROOT / "devstack" / "versions.env").read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == name and not key.lstrip().startswith("#"):
            return value.strip()
    raise StackError(f"{name} is missing from devstack/versions.env")


def venv_bin(name: str) -> str:
    candidate = Path(os.environ.get("VENV", ROOT / ".venv")) / "bin" / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise StackError(f"{name} is not installed: run `make install` (devstack/install.sh)")
    return found


def node_bin(package_root: Path, name: str) -> str:
    path = package_root / "node_modules" / ".bin" / name
    if not path.exists():
        raise StackError(f"{path} is missing: run `make install` (devstack/install.sh)")
    return str(path)


def firestore_jar() -> str:
    sdk = os.environ.get("CLOUDSDK_ROOT")
    if not sdk and (gcloud := shutil.which("gcloud")):
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


# -- readiness probes -----------------------------------------------------------------------------
Probe = Callable[[], bool]


@dataclass(frozen=True)
class Http:
    """Ready when a GET of `path` (a template) on the service's port answers one of `expect`."""

    path: str = "/"
    expect: tuple[int, ...] = (200,)

    def probe(self, number: int, context: Context) -> Probe:
        return http_ok(local_ports.url(number) + context.render(self.path), self.expect)


@dataclass(frozen=True)
class Tcp:
    """Ready when the service's port accepts a connection."""

    def probe(self, number: int, context: Context) -> Probe:
        return tcp_open(local_ports.HOST, number)


def http_ok(url: str, expect: tuple[int, ...] = (200,)) -> Probe:
    def probe() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status in expect
        except urllib.error.HTTPError as error:
            return error.code in expect
        except (OSError, ValueError):
            return False

    return probe


def tcp_open(host: str, number: int) -> Probe:
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
            sock.bind((local_ports.HOST, number))
        except OSError:
            return True
    return False


# -- hooks ----------------------------------------------------------------------------------------
def apply_queue_policy(context: Context) -> None:
    """Give the emulator's queues (evaluations, webhooks) their production retry policy and rate limits
    (queue_policy.py).

    TASKS_MIN_BACKOFF_SECONDS / TASKS_MAX_BACKOFF_SECONDS shorten the backoff for fast local runs
    (defaults: production). Uses the emulator's REST UpdateQueue, so it needs no Tasks client.
    """
    _update_queue(
        context, context["queue"], queue_policy.local_retry_policy(os.environ), queue_policy.RATE_LIMITS
    )
    _update_queue(
        context,
        context["webhook_queue"],
        queue_policy.local_webhook_retry_policy(os.environ),
        queue_policy.WEBHOOK_RATE_LIMITS,
    )


def _update_queue(
    context: Context, queue: str, retry: queue_policy.RetryPolicy, rates: queue_policy.RateLimits
) -> None:
    """UpdateQueue over the emulator's REST API (retry policy and rate limits)."""
    body = queue_policy.queue_rest_body(queue, retry, rates)
    request = urllib.request.Request(
        f"{context['tasks_url']}/v2/{queue}?updateMask=retryConfig,rateLimits",
        data=json.dumps(body).encode(),
        method="PATCH",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise StackError(f"could not apply the queue policy: {error.code} {error.read()[:300]!r}") from error


# -- the table ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceSpec:
    """One service, declared: every string is a template over a Context."""

    name: str
    what: str
    command: tuple[str, ...]
    ready: Http | Tcp
    port: str
    """Its field of Ports (the port README.md documents, and the one probed)."""
    cwd: str = "{root}"
    env: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    on_ready: Callable[[Context], None] | None = None
    """Runs once the service answers (e.g. configure the emulator); failing it fails the start."""
    reload_watch: str | None = None
    """Under reload, the command restarts when a .py file below this folder changes."""


def function(target: str, what: str, env: Mapping[str, str] | None = None) -> ServiceSpec:
    """A Cloud Function of functions/main.py under functions-framework, on its own port."""
    return ServiceSpec(
        target,
        what,
        (
            "{functions_framework}",
            "--target",
            target,
            "--source",
            "{functions}/main.py",
            "--host",
            "{host}",
            "--port",
            f"{{{target}_port}}",
        ),
        Http("/health"),
        port=target,
        cwd="{functions}",
        env=env or {},
        reload_watch="{functions}",
    )


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "firestore",
        "Cloud Firestore emulator (gcloud jar, firestore.rules loaded)",
        (
            "java",
            # ZGC collects concurrently: G1's young-generation pauses stopped every Firestore call
            # under load, and made the tail latency of tests and benchmarks.
            "-XX:+UseZGC",
            "-cp",
            "{firestore_jar}",
            "com.google.cloud.datastore.emulator.firestore.CloudFirestore",
            "start",
            "--host={host}",
            "--port={firestore_port}",
            "--rules={root}/firestore.rules",
            "--project_id={project}",
        ),
        Http("/"),
        port="firestore",
    ),
    ServiceSpec(
        "auth",
        "Firebase Auth emulator (firebase-tools)",
        (
            "{firebase}",
            "emulators:start",
            "--only",
            "auth",
            "--project",
            "{project}",
            "--config",
            "{auth_config}",
        ),
        Http("/"),
        port="auth",
        cwd="{state}/firebase",  # firebase-tools writes its debug log into the working directory
        timeout=90,
    ),
    ServiceSpec(
        "storage",
        "Cloud Storage emulator (gcp-storage-emulator)",
        (
            "{storage_emulator}",
            "start",
            "--host={host}",
            "--port={storage_port}",
            "--in-memory",
            "--default-bucket={bucket}",
        ),
        Tcp(),
        port="storage",
    ),
    ServiceSpec(
        "tasks",
        "Cloud Tasks emulator (OIDC issuer on, queue created at start)",
        ("{tasks_emulator}",),
        Http("/v2/{queue}"),
        port="tasks",
        env={
            "LISTEN_ADDR": "{tasks_address}",
            "OIDC_ISSUER": "{tasks_url}",
            "QUEUES": "{queue},{webhook_queue}",
        },
        on_ready=apply_queue_policy,
    ),
    ServiceSpec(
        "livekit",
        "LiveKit server (--dev: keys devkey/secret)",
        (
            "{livekit_server}",
            "--dev",
            "--bind",
            "{host}",
            "--node-ip",
            "{host}",
            "--config-body",
            "{livekit_config}",
        ),
        Http("/"),
        port="livekit",
    ),
    ServiceSpec(
        "gemini",
        "local Gemini emulator (REST on this port, TLS + Live on GEMINI_TLS_PORT)",
        (
            "{python}",
            "-m",
            "devstack.gemini_emulator",
            "--host",
            "{host}",
            "--port",
            "{gemini_port}",
            "--tls-port",
            "{gemini_tls_port}",
            "--state-dir",
            "{state}/gemini",
        ),
        Http("/health"),
        port="gemini",
    ),
    ServiceSpec(
        "mail",
        "mail catcher: SMTP server on SMTP_PORT keeping every message, read at this port (web page, JSON)",
        (
            "{python}",
            "-m",
            "devstack.mail_catcher",
            "--host",
            "{host}",
            "--smtp-port",
            "{smtp_port}",
            "--http-port",
            "{mail_port}",
        ),
        Http("/health"),
        port="mail",
    ),
    function("api", "functions `api` (functions-framework)", env={"THREADS": "{api_threads}"}),
    function("evaluate", "functions `evaluate` (Cloud Tasks target, OIDC from the emulator)"),
    function("sweep", "functions `sweep` (POST with the webhook HMAC)"),
    ServiceSpec(
        "agent",
        "interviewer agent worker (LiveKit Agents on Gemini Live; health on this port)",
        ("{python}", "-m", "agent_worker", "{agent_mode}"),
        Http("/"),
        port="agent_health",
        env={
            "AGENT_HEALTH_HOST": "{host}",
            "AGENT_HEALTH_PORT": "{agent_health_port}",
            "AGENT_DRAIN_TIMEOUT_SECONDS": "{agent_drain_seconds}",
        },
    ),
    ServiceSpec(
        "traces",
        "trace viewer (Arize Phoenix: UI and REST API; OTLP/HTTP at /v1/traces)",
        ("{phoenix}", "serve"),
        Http("/healthz"),
        port="traces",
        cwd="{state}",
        env=TRACES_ENV,
        # Its imports take ~20 s of CPU (minutes on a busy machine); the first start makes its database.
        timeout=300,
    ),
    ServiceSpec(
        "hosting",
        "the web app (Vite dev server, /api proxied to the api function)",
        ("{vite}", "--strictPort"),
        Http("/"),
        port="hosting",
        cwd="{root}/hosting",
        env=HOSTING_ENV,
    ),
)


# -- a service of one stack -----------------------------------------------------------------------
@dataclass
class Service:
    """A spec rendered for one stack: the exact command, and the process once started."""

    name: str
    what: str
    command: list[str]
    ready: Probe
    port: int
    cwd: Path
    env: dict[str, str]
    timeout: float
    on_ready: Callable[[], None] | None = None
    process: subprocess.Popen[bytes] | None = None


def render(spec: ServiceSpec, context: Context, *, reload: bool) -> Service:
    command = [context.render(part) for part in spec.command]
    if reload and spec.reload_watch is not None:
        command = reloading(command, context.render(spec.reload_watch), context)
    number = getattr(context.ports, spec.port)
    hook = spec.on_ready
    return Service(
        name=spec.name,
        what=spec.what,
        command=command,
        ready=spec.ready.probe(number, context),
        port=number,
        cwd=Path(context.render(spec.cwd)),
        env={key: context.render(value) for key, value in spec.env.items()},
        timeout=spec.timeout,
        on_ready=(lambda: hook(context)) if hook is not None else None,
    )


def reloading(command: list[str], folder: str, context: Context) -> list[str]:
    """`command` under watchfiles, restarted (SIGINT, then SIGKILL after 5 s) when a .py file changes.

    The watcher is the service's process: a change that breaks the import kills only the child, and the
    next save starts it again, so a typo does not stop the stack.
    """
    return [
        context["watchfiles"],
        "--filter",
        "python",
        "--target-type",
        "command",
        "--sigint-timeout",
        "5",
        shlex.join(command),
        folder,
    ]
