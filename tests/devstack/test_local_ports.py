"""The port convention: an explicit variable wins, else the default moved by AI_STACK_PORT_OFFSET."""

from __future__ import annotations

import pytest

from agent_worker.config import AgentSettings
from devstack.stack import Ports, stack_env
from interview_core import local_ports
from interview_core.local_ports import LocalPortError
from interview_core.settings import Settings


def test_defaults_without_offset() -> None:
    assert local_ports.port("firestore", {}) == 8080
    assert local_ports.port("hosting", {"AI_STACK_PORT_OFFSET": ""}) == 5173


def test_the_offset_moves_every_default() -> None:
    env = {"AI_STACK_PORT_OFFSET": "100"}
    for name, entry in local_ports.PORTS.items():
        assert local_ports.port(name, env) == entry.default + 100


def test_an_explicit_variable_wins_over_the_offset() -> None:
    env = {"AI_STACK_PORT_OFFSET": "100", "API_PORT": "9001"}
    assert local_ports.port("api", env) == 9001
    assert local_ports.port("evaluate", env) == 8102


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"API_PORT": "eighty"}, "API_PORT must be a whole number, not 'eighty'"),
        ({"AI_STACK_PORT_OFFSET": "1e2"}, "AI_STACK_PORT_OFFSET must be a whole number"),
        ({"API_PORT": "70000"}, "API_PORT gives port 70000, outside 1-65535"),
        ({"AI_STACK_PORT_OFFSET": "60000"}, "AI_STACK_PORT_OFFSET=60000 on API_PORT's default 8001"),
    ],
)
def test_bad_values_say_which_variable_is_wrong(env: dict[str, str], message: str) -> None:
    with pytest.raises(LocalPortError, match=message):
        local_ports.port("api", env)


def test_an_unknown_service_is_refused() -> None:
    with pytest.raises(LocalPortError, match="no local service 'apis'"):
        local_ports.port("apis", {})


def test_addresses_and_urls_are_loopback() -> None:
    env = {"AI_STACK_PORT_OFFSET": "600"}
    assert local_ports.service_address("firestore", env) == "127.0.0.1:8680"
    assert local_ports.service_url("livekit", "ws", env) == "ws://127.0.0.1:8480"


def test_stack_settings_and_agent_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The three readers of the convention see the same ports for the same environment."""
    for entry in local_ports.PORTS.values():
        monkeypatch.delenv(entry.variable, raising=False)
    for name in ("FIRESTORE_EMULATOR_HOST", "API_URL", "GEMINI_EMULATOR_TLS_URL", "EVALUATE_URL", "PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AI_STACK_PORT_OFFSET", "600")
    monkeypatch.setenv("GEMINI_TLS_PORT", "9791")
    env = stack_env(Ports())
    settings = Settings(_env_file=None)
    agent = AgentSettings(_env_file=None)
    assert env["FIRESTORE_EMULATOR_HOST"] == settings.firestore_emulator_host == "127.0.0.1:8680"
    assert env["EVALUATE_URL"] == settings.evaluate_url == "http://127.0.0.1:8602"
    assert env["API_URL"] == agent.api_url == "http://127.0.0.1:8601"
    assert env["GEMINI_EMULATOR_TLS_URL"] == agent.gemini_emulator_tls_url == "https://127.0.0.1:9791"
    assert agent.agent_health_port == Ports().agent_health == 8681
