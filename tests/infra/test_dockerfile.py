"""agent_worker/Dockerfile: the base image, the user, what is copied, and the entry point.

No Docker engine runs here, so the file is checked as text against what the rest of the repository
expects (the Python of the functions' runtime, the shared core's one home, Terraform's probe port).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from .conftest import REPO, Terraform

DOCKERFILE = REPO / "agent_worker" / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        pairs.append((keyword.upper(), rest.strip()))
    return pairs


def args_of(keyword: str) -> list[str]:
    return [rest for key, rest in instructions() if key == keyword]


def test_base_image_is_the_slim_python_of_the_functions_runtime() -> None:
    (base,) = args_of("FROM")
    assert re.fullmatch(r"python:3\.11\.\d+-slim(-\w+)?@sha256:[0-9a-f]{64}", base), base
    assert "latest" not in base


def test_exposes_the_port_the_probes_call(tf: Terraform) -> None:
    (exposed,) = args_of("EXPOSE")
    assert int(exposed) == int(tf.locals["agent_health_port"]) == 8081


def test_runs_as_a_non_root_user_after_compiling_the_bytecode() -> None:
    order = [key for key, _ in instructions()]
    (user,) = args_of("USER")
    assert user.split(":")[0] not in {"0", "root"}
    compile_step = next(
        i for i, (k, rest) in enumerate(instructions()) if k == "RUN" and "compileall" in rest
    )
    assert compile_step < order.index("USER"), "compile while root can still write, then drop root"


def test_copies_the_shared_core_and_the_agent_and_installs_the_agents_requirements() -> None:
    copies = [shlex.split(rest) for rest in args_of("COPY")]
    sources = {parts[-2] for parts in copies}
    assert {"functions/interview_core", "agent_worker"} <= sources
    for parts in copies:
        assert (REPO / parts[-2]).exists(), f"COPY names {parts[-2]}, which does not exist"
    runs = " ".join(args_of("RUN"))
    assert "pip install" in runs
    assert "agent_worker/requirements.txt" in runs
    env = " ".join(args_of("ENV"))
    assert "PYTHONPATH" not in env, "the core is copied beside the agent, not found through PYTHONPATH"


def test_entry_point_starts_the_worker_and_drains_on_sigterm() -> None:
    (cmd,) = args_of("CMD")
    assert cmd == '["python", "-m", "agent_worker", "start"]'
    assert (REPO / "agent_worker" / "__main__.py").is_file()
    assert args_of("STOPSIGNAL") == ["SIGTERM"]
    env = " ".join(args_of("ENV"))
    drain = re.search(r"AGENT_DRAIN_TIMEOUT_SECONDS=(\d+)", env)
    assert drain is not None
    assert int(drain.group(1)) >= 600, "running interviews must be allowed to finish"


def test_health_port_matches_the_cloud_run_probe(tf: Terraform) -> None:
    # Cloud Run sets PORT to the container port; the worker's health server listens on it.
    probe_port = tf.locals["agent_health_port"]
    service = tf.resource("google_cloud_run_v2_service", "agent")
    text = str(service)
    assert "local.agent_health_port" in text
    healthcheck = " ".join(args_of("HEALTHCHECK"))
    assert "PORT" in healthcheck
    assert str(probe_port) in healthcheck or "AGENT_HEALTH_PORT" in healthcheck
    assert tf.variable_default("agent_health_path") == "/"


def test_the_image_context_is_an_allow_list_of_the_two_folders() -> None:
    ignore = Path(str(DOCKERFILE) + ".dockerignore")
    lines = [
        line.strip() for line in ignore.read_text().splitlines() if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "deny everything first, so .env, .stack and node_modules never reach the image"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert allowed == {"agent_worker", "functions/interview_core"}
