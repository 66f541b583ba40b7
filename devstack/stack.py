"""The local stack: every emulator and server the product needs, on 127.0.0.1, started and stopped
together. `make dev` and the test fixtures both use this module.

    python -m devstack up                 # start everything, print the table, wait for Ctrl-C
    python -m devstack up --only firestore,auth
    python -m devstack up --no-reload     # do not restart the functions when their code changes
    python -m devstack run -- pytest -q   # start, run a command with the stack's env, stop
    python -m devstack env                # print the environment the stack exports
    python -m devstack seed               # the demo team in a running stack (`up` does it itself)

What runs is declared in devstack/services.py; this module starts it, watches it and stops it. Each
service logs to .stack/logs/<name>.log and runs in its own process group; only the processes this
module started are stopped. `up` restarts the functions when a .py file under functions/ changes and
runs the agent in its dev mode; `run` does neither (tests and benchmarks want stable processes). A
service that exits while the stack runs stops `up` with its log's tail; under `run` the command is
left to finish first. Ctrl-C (or SIGTERM, SIGHUP) stops everything; further signals cannot cut the
stop short, and the third one kills every service at once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import FrameType

from devstack.seed import run_seed
from devstack.services import (
    API_CONCURRENCY,
    FUNCTIONS,
    HOSTING_ENV,
    PROJECT_ID,
    ROOT,
    SERVICES,
    STATE,
    Context,
    Ports,
    Service,
    StackError,
    port_in_use,
    render,
    stack_env,
    tracing_env,
)
from interview_core import local_ports

__all__ = [
    "API_CONCURRENCY",
    "PROJECT_ID",
    "ROOT",
    "Ports",
    "Stack",
    "StackError",
    "main",
    "port",
    "stack_env",
]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
KILL_AT_SIGNAL = 3
"""The signal that turns a graceful stop into SIGKILL of every service at once."""
STOP_GRACE_SECONDS = 10.0
POLL_SECONDS = 0.2


def port(variable: str, default: int) -> int:
    """A local port by the stack's convention (interview_core.local_ports.resolve)."""
    return local_ports.resolve(variable, default)


class Interrupted(StackError):
    """A stop signal arrived while the stack was starting."""


class SignalLog:
    """SIGINT, SIGTERM and SIGHUP, recorded instead of raised.

    An exception raised from a signal handler lands wherever the main thread happens to be: inside
    Stack.stop() it abandoned the remaining services on their ports. Recorded, a signal is acted on by
    the loop that waits (start, up, run, stop), at a point where acting on it is safe.
    """

    def __init__(self) -> None:
        self.received: list[int] = []

    def __call__(self, signum: int, _frame: FrameType | None) -> None:
        self.received.append(signum)

    @property
    def count(self) -> int:
        return len(self.received)

    def install(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Record stop signals while inside; after, restore the old handlers and deliver the first one.

        For callers that did not install the log (the pytest fixture): their Ctrl-C still reaches them,
        once every service is stopped.
        """
        installed = signal.getsignal(signal.SIGINT) is self
        if installed or threading.current_thread() is not threading.main_thread():
            yield
            return
        before = self.count
        previous = [(signum, signal.signal(signum, self)) for signum in STOP_SIGNALS]
        try:
            yield
        finally:
            for signum, handler in previous:
                if handler is not None:
                    signal.signal(signum, handler)
            if self.count > before:
                signal.raise_signal(self.received[before])


class Stack:
    """Starts services, waits for them, watches them, and stops exactly what it started."""

    def __init__(
        self,
        only: Iterable[str] | None = None,
        ports: Ports | None = None,
        *,
        reload: bool = False,
        functions: Path = FUNCTIONS,
        state: Path = STATE,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        """`state` holds logs, certificates and configuration (a second stack needs its own);
        `settings` are extra variables every service sees (e.g. short backoffs for a test's stack)."""
        self.ports = ports or Ports()
        self.reload = reload
        wanted = set(only) if only else None
        if wanted and (unknown := wanted - {spec.name for spec in SERVICES}):
            raise StackError(f"unknown services: {', '.join(sorted(unknown))}")
        context = Context(self.ports, reload=reload, functions=functions, state=state)
        self.services = [
            render(spec, context, reload=reload) for spec in SERVICES if wanted is None or spec.name in wanted
        ]
        self.env = {**stack_env(self.ports, state), **(settings or {})}
        if any(service.name == "traces" for service in self.services):
            self.env.update(tracing_env(self.ports))  # traces only where a viewer receives them
        self.logs = state / "logs"
        self.signals = SignalLog()

    # -- start ------------------------------------------------------------------------------------
    def start(self) -> None:
        self._check_ports_free()
        self.logs.mkdir(parents=True, exist_ok=True)
        try:
            for service in self.services:
                self._launch(service)
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _check_ports_free(self) -> None:
        busy = [f"{s.name} ({s.port})" for s in self.services if port_in_use(s.port)]
        if busy:
            raise StackError(
                "ports already in use: "
                + ", ".join(busy)
                + ". Is another stack running? Stop it, or move this one with AI_STACK_PORT_OFFSET=100."
            )

    def _launch(self, service: Service, *, append: bool = False) -> None:
        """Start the service's process; a restart appends to the log of the run before it. The child
        keeps its own descriptor of the log."""
        with open(self.log_of(service), "ab" if append else "wb") as log:
            try:
                service.process = subprocess.Popen(
                    service.command,
                    cwd=service.cwd,
                    env={**os.environ, **self.env, **service.env},
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as error:  # e.g. java not on PATH: say which service, not only the errno
                raise StackError(f"cannot start {service.name} ({service.command[0]}): {error}") from error

    def _wait_ready(self) -> None:
        pending = list(self.services)
        started = time.monotonic()
        while pending:
            if self.signals.count:
                raise Interrupted("stopped by a signal while starting")
            for service in list(pending):
                if self._is_ready(service, time.monotonic() - started):
                    pending.remove(service)
            if pending:
                time.sleep(0.1)

    def _is_ready(self, service: Service, waited: float) -> bool:
        """True once it answers (and its on-ready hook ran); raises when it exited or took too long."""
        if self.exit_code(service) is not None:
            raise StackError(self.death_report(service))
        if service.ready():
            if service.on_ready is not None:
                service.on_ready()
            return True
        if waited > service.timeout:
            raise StackError(
                f"{service.name} did not answer within {service.timeout:.0f}s; see {self.log_of(service)}:\n"
                + _tail(self.log_of(service))
            )
        return False

    # -- watch ------------------------------------------------------------------------------------
    def exit_code(self, service: Service) -> int | None:
        return None if service.process is None else service.process.poll()

    def exited(self) -> Service | None:
        """The first service whose process has ended, if any."""
        return next((s for s in self.services if self.exit_code(s) is not None), None)

    def death_report(self, service: Service) -> str:
        code = self.exit_code(service)
        how = (
            f"was killed by {signal.Signals(-code).name}"
            if code is not None and code < 0
            else f"exited with {code}"
        )
        log = self.log_of(service)
        return f"{service.name} {how}; the end of {log}:\n{_tail(log)}"

    def log_of(self, service: Service) -> Path:
        return self.logs / f"{service.name}.log"

    # -- stop -------------------------------------------------------------------------------------
    def stop(self) -> None:
        """SIGTERM to every service's process group, SIGKILL to what is left after STOP_GRACE_SECONDS.

        Signals cannot interrupt it (they are recorded); the KILL_AT_SIGNAL-th one sends SIGKILL at once.
        """
        with self.signals.held():
            self._terminate()

    def _terminate(self) -> None:
        started = [s for s in self.services if s.process is not None]
        if started:
            count = f"{len(started)} service" + ("s" if len(started) > 1 else "")
            _say(f"stopping {count} (a third Ctrl-C kills them at once)")
        for service in reversed(started):
            _signal_group(service, signal.SIGCONT)  # a paused service (pause_service) must run to stop
            _signal_group(service, signal.SIGTERM)
        self._wait_for_exit(started)
        for service in started:
            _signal_group(service, signal.SIGKILL)  # what the group still holds: workers, grandchildren
            assert service.process is not None
            with contextlib.suppress(subprocess.TimeoutExpired):
                service.process.wait(timeout=5)
            service.process = None

    def _wait_for_exit(self, services: list[Service]) -> None:
        """Until they exit or STOP_GRACE_SECONDS pass; not at all once KILL_AT_SIGNAL signals came."""
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        noted = self.signals.count
        while any(self.exit_code(s) is None for s in services) and time.monotonic() < deadline:
            if self.signals.count >= KILL_AT_SIGNAL:
                _say("signal received again: killing every service now")
                return
            if self.signals.count != noted:
                noted = self.signals.count
                _say("still stopping")
            time.sleep(0.05)

    # -- one service of a running stack (the fault tests, tests/faults) --------------------------------
    def service(self, name: str) -> Service:
        found = next((s for s in self.services if s.name == name), None)
        if found is None:
            raise StackError(f"{name} is not a service of this stack")
        return found

    def stop_service(self, name: str) -> None:
        """Stop one service as a crash or a redeploy would (SIGKILL to its process group: no drain,
        nothing flushed), and wait until its port is free again; the others keep running."""
        service = self.service(name)
        _signal_group(service, signal.SIGCONT)  # a paused process cannot die until it runs again
        _signal_group(service, signal.SIGKILL)
        if service.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                service.process.wait(timeout=STOP_GRACE_SECONDS)
        service.process = None
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while port_in_use(service.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def start_service(self, name: str) -> None:
        """Start one (stopped) service again with its command and wait until it answers (its
        on-ready hook runs again: the Tasks emulator gets its queue policy back)."""
        service = self.service(name)
        if service.process is not None and service.process.poll() is None:
            raise StackError(f"{name} is running")
        self._launch(service, append=True)
        started = time.monotonic()
        while not self._is_ready(service, time.monotonic() - started):
            time.sleep(0.1)

    def pause_service(self, name: str) -> None:
        """SIGSTOP to the service's process group: it keeps its data and its connections, and answers
        nothing until resumed, as a managed service during an outage."""
        _signal_group(self.service(name), signal.SIGSTOP)

    def resume_service(self, name: str) -> None:
        _signal_group(self.service(name), signal.SIGCONT)

    def describe(self) -> str:
        return "\n".join(f"  {s.name:<10} {local_ports.address(s.port):<16} {s.what}" for s in self.services)


def _signal_group(service: Service, signum: int) -> None:
    if service.process is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(service.process.pid, signum)


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _say(message: str) -> None:
    print(f"[stack] {message}", file=sys.stderr, flush=True)


# -- the commands ---------------------------------------------------------------------------------
def wait_for_stop(stack: Stack) -> int:
    """`up`: until a stop signal (130) or the death of a service (1, with its log's tail)."""
    _say("Ctrl-C stops everything.")
    while not stack.signals.count:
        if (dead := stack.exited()) is not None:
            _say(stack.death_report(dead))
            return 1
        time.sleep(POLL_SECONDS)
    return 130


def run_command(stack: Stack, command: list[str]) -> int:
    """`run`: the command's exit status; 1 if it passed but a service died meanwhile.

    A service that dies is reported at once and in full when the command ends; the command is not
    interrupted. A SIGTERM to this process is passed on to the command; the third stop signal kills it.
    """
    process = subprocess.Popen(command, env={**os.environ, **stack.env, "AI_STACK_RUNNING": "1"})
    seen, dead = 0, None
    while (code := _wait(process)) is None:
        seen = _pass_on_signals(stack.signals, seen, process)
        if dead is None and (dead := stack.exited()) is not None:
            _say(f"{dead.name} stopped while the command runs; letting the command finish")
    dead = dead or stack.exited()
    if dead is None:
        return code
    _say(stack.death_report(dead))
    return code or 1


def _wait(process: subprocess.Popen[bytes]) -> int | None:
    """The exit status as a shell reports it (128 + N for signal N), or None while it runs."""
    try:
        code = process.wait(timeout=POLL_SECONDS)
    except subprocess.TimeoutExpired:
        return None
    return 128 - code if code < 0 else code


def _pass_on_signals(signals: SignalLog, seen: int, process: subprocess.Popen[bytes]) -> int:
    """Ctrl-C already reached the command (same terminal process group); SIGTERM and SIGHUP did not."""
    for index in range(seen, signals.count):
        if index + 1 >= KILL_AT_SIGNAL:
            process.kill()
        elif signals.received[index] != signal.SIGINT:
            process.send_signal(signals.received[index])
    return signals.count


def seed_demo_team(stack: Stack) -> None:
    """`up`: the demo team and its owner, once Firestore and Auth answer (devstack/seed.py); a failure
    is reported and the stack keeps running."""
    names = {s.name for s in stack.services}
    if not {"firestore", "auth"} <= names:
        return
    ok, line = run_seed(stack.env)
    _say(line if ok else f"could not seed the demo team: {line}")


def print_env(ports: Ports) -> None:
    """What a shell needs to talk to the stack, and what `npm run dev` in hosting/ needs."""
    for key, value in stack_env(ports).items():
        print(f"export {key}={shlex.quote(value)}")
    print("# the web app's dev server (cd hosting && npm run dev):")
    context = Context(ports)
    for key, template in HOSTING_ENV.items():
        print(f"export {key}={shlex.quote(context.render(template))}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devstack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the stack and wait for Ctrl-C")
    up.add_argument("--only", help="comma-separated service names")
    up.add_argument(
        "--reload",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="restart the functions when their code changes, run the agent in dev mode (default: on)",
    )
    up.add_argument(
        "--seed",
        action=argparse.BooleanOptionalAction,
        default=True,
        help='create the workspace "Demo team" and its owner once the stack is ready (default: on)',
    )
    run = sub.add_parser("run", help="start the stack, run a command with its env, stop")
    run.add_argument("--only", help="comma-separated service names")
    run.add_argument("cmd", nargs=argparse.REMAINDER)
    sub.add_parser("env", help="print the environment the stack exports")
    sub.add_parser("seed", help="create the demo team and its owner in a running stack")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.command == "env":
        print_env(Ports())
        return 0
    if args.command == "seed":
        ok, line = run_seed(stack_env(Ports()))
        print(line if ok else f"seeding failed: {line}", file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    command = args.cmd[1:] if args.command == "run" and args.cmd[:1] == ["--"] else getattr(args, "cmd", [])
    if args.command == "run" and not command:
        _say("run needs a command")
        return 2
    try:
        stack = Stack(args.only.split(",") if args.only else None, reload=getattr(args, "reload", False))
    except StackError as error:
        _say(str(error))
        return 2
    stack.signals.install()
    return _serve(stack, command, seed=args.command == "up" and args.seed)


def _serve(stack: Stack, command: list[str], *, seed: bool = False) -> int:
    started = time.monotonic()
    try:
        stack.start()
    except Interrupted:
        return 130
    except StackError as error:
        _say(str(error))
        return 1
    _say(f"ready in {time.monotonic() - started:.1f}s (logs in {stack.logs}):\n{stack.describe()}")
    if seed:
        seed_demo_team(stack)
    try:
        return run_command(stack, command) if command else wait_for_stop(stack)
    finally:
        stack.stop()
        _say("stopped")
