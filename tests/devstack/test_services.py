"""The service table as documented, the reload flag's effect on commands, `env`, and signal holding."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pytest

from devstack.services import SERVICES, Context, Ports
from devstack.stack import SignalLog, Stack, StackError, main
from interview_core import local_ports
from tests.devstack.support import REPO, stack_environ

ROW = re.compile(r"^\| `(\w+)` \| (\d+) \(`(\w+)`\)(?:, [\w ]+? (\d+) \(`(\w+)`\))?")


def test_readme_documents_every_port_and_variable_the_stack_uses() -> None:
    documented: dict[str, tuple[int, str]] = {}
    for line in (REPO / "README.md").read_text().splitlines():
        if match := ROW.match(line):
            name, default, variable, extra_default, extra_variable = match.groups()
            documented[variable] = (int(default), name)
            if extra_variable:
                documented[extra_variable] = (int(extra_default), name)
    assert {"LIVEKIT_UDP_PORT", "GEMINI_TLS_PORT", "HOSTING_PORT"} <= set(documented)
    by_variable = {entry.variable: entry.default for entry in local_ports.PORTS.values()}
    for spec in SERVICES:
        entry = local_ports.PORTS[spec.port]
        assert documented[entry.variable] == (entry.default, spec.name)
    for variable, (default, _) in documented.items():
        assert by_variable[variable] == default
    assert {f.name for f in fields(Ports)} <= set(local_ports.PORTS)


def test_reload_restarts_functions_under_watchfiles_and_runs_the_agent_in_dev_mode() -> None:
    reloading = {s.name: s for s in Stack(["api", "sweep", "agent"], reload=True).services}
    assert os.path.basename(reloading["api"].command[0]) == "watchfiles"
    assert reloading["api"].command[-1] == str(REPO / "functions")
    assert "functions-framework --target sweep" in " ".join(reloading["sweep"].command)
    assert reloading["agent"].command[-2:] == ["agent_worker", "dev"]


def test_without_reload_the_processes_are_the_plain_ones() -> None:
    stable = {s.name: s for s in Stack(["api", "agent"]).services}
    assert os.path.basename(stable["api"].command[0]) == "functions-framework"
    assert stable["agent"].command[-2:] == ["agent_worker", "start"]


def test_up_reloads_unless_told_not_to_and_run_never_does(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def start_nothing(stack: Stack) -> None:
        seen.append(stack.reload)
        raise StackError("not started by this test")

    monkeypatch.setattr(Stack, "start", start_nothing)
    monkeypatch.setattr(SignalLog, "install", lambda log: None)  # keep pytest's own Ctrl-C
    assert main(["up", "--only", "api"]) == 1
    assert main(["up", "--only", "api", "--no-reload"]) == 1
    assert main(["run", "--only", "api", "--", "true"]) == 1
    assert seen == [True, False, False]


def test_unknown_services_and_template_names_are_refused() -> None:
    with pytest.raises(StackError, match="unknown services: nope"):
        Stack(["storage", "nope"])
    with pytest.raises(StackError, match="names 'nowhere'"):
        Context(Ports()).render("{nowhere}")


def test_env_prints_what_a_shell_and_the_web_apps_dev_server_need(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = stack_environ(tmp_path)
    names = "$API_URL $HOSTING_PORT $API_ORIGIN $VITE_AUTH_PORT $VITE_FIRESTORE_PORT"
    script = f'eval "$({sys.executable} -m devstack env)" && echo "{names}"'
    out = subprocess.run(
        ["bash", "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["http://127.0.0.1:8601", "5773", "http://127.0.0.1:8601", "9699", "8680"]
    # ...the same values the stack gives its own Vite dev server (its environment only: the dev server's
    # binary need not be installed for this, e.g. on a clean checkout)
    monkeypatch.setenv("AI_STACK_PORT_OFFSET", "600")
    for variable in ("HOSTING_PORT", "API_PORT", "AUTH_PORT", "FIRESTORE_PORT"):
        monkeypatch.delenv(variable, raising=False)
    (hosting,) = (spec for spec in SERVICES if spec.name == "hosting")
    context = Context(Ports())
    assert {key: context.render(value) for key, value in hosting.env.items()} == {
        "HOSTING_PORT": "5773",
        "API_ORIGIN": "http://127.0.0.1:8601",
        "VITE_AUTH_PORT": "9699",
        "VITE_FIRESTORE_PORT": "8680",
    }


def _stop_interrupted_by_ctrl_c(log: SignalLog, finished: list[str]) -> None:
    with log.held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs here: it records instead of raising
        finished.append("stop completed")


def test_a_signal_during_a_held_stop_reaches_the_caller_after_it() -> None:
    log, finished = SignalLog(), []
    with pytest.raises(KeyboardInterrupt):
        _stop_interrupted_by_ctrl_c(log, finished)
    assert finished == ["stop completed"]
    assert log.received == [signal.SIGINT]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
