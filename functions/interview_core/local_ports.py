"""Where each service of the local stack listens: the one home of the port convention.

Every local service has a documented default port and a variable of its own. The rule, shared by the
stack (devstack/services.py), the settings of the functions and the agent, and the benchmarks:

    an explicit variable wins (FIRESTORE_PORT=8085), else the default moved by AI_STACK_PORT_OFFSET

so `AI_STACK_PORT_OFFSET=100` moves a whole second stack (the tests') beside the first one. Everything
binds to and is reached at 127.0.0.1. Stdlib only, since it ships in both cloud builds with the settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

HOST = "127.0.0.1"
OFFSET_VARIABLE = "AI_STACK_PORT_OFFSET"


@dataclass(frozen=True)
class LocalPort:
    """A service's port variable and its default before the offset."""

    variable: str
    default: int


PORTS: Mapping[str, LocalPort] = {
    "firestore": LocalPort("FIRESTORE_PORT", 8080),
    "auth": LocalPort("AUTH_PORT", 9099),
    "storage": LocalPort("STORAGE_PORT", 9199),
    "tasks": LocalPort("TASKS_PORT", 8123),
    "livekit": LocalPort("LIVEKIT_PORT", 7880),
    "livekit_udp": LocalPort("LIVEKIT_UDP_PORT", 7882),
    "gemini": LocalPort("GEMINI_PORT", 8790),
    "gemini_tls": LocalPort("GEMINI_TLS_PORT", 8791),
    "api": LocalPort("API_PORT", 8001),
    "evaluate": LocalPort("EVALUATE_PORT", 8002),
    "sweep": LocalPort("SWEEP_PORT", 8003),
    "agent_health": LocalPort("AGENT_HEALTH_PORT", 8081),
    "hosting": LocalPort("HOSTING_PORT", 5173),
    # The mail catcher: its web page and JSON API, and the SMTP server the functions send through.
    "mail": LocalPort("MAIL_PORT", 8025),
    "smtp": LocalPort("SMTP_PORT", 1025),
    # The trace viewer (Arize Phoenix): UI, REST API and OTLP/HTTP on one port; its OTLP/gRPC port.
    "traces": LocalPort("TRACES_PORT", 6006),
    "traces_grpc": LocalPort("TRACES_GRPC_PORT", 4317),
    # firebase-tools' own hub and logging servers, which the Auth emulator opens beside its port.
    "firebase_hub": LocalPort("FIREBASE_HUB_PORT", 4400),
    "firebase_logging": LocalPort("FIREBASE_LOGGING_PORT", 4500),
}
"""Service name -> its variable and default. README.md's table documents the same numbers."""


class LocalPortError(ValueError):
    """A port variable or the offset does not hold a usable number."""


def _integer(variable: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise LocalPortError(f"{variable} must be a whole number, not {value!r}") from None


def _checked(number: int, origin: str) -> int:
    if not 1 <= number <= 65535:
        raise LocalPortError(f"{origin} gives port {number}, outside 1-65535")
    return number


def resolve(variable: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    """The convention for any local port: `variable` if set, else `default` + AI_STACK_PORT_OFFSET."""
    env = os.environ if environ is None else environ
    explicit = env.get(variable, "").strip()
    if explicit:
        return _checked(_integer(variable, explicit), variable)
    offset_text = env.get(OFFSET_VARIABLE, "").strip()
    offset = _integer(OFFSET_VARIABLE, offset_text) if offset_text else 0
    return _checked(default + offset, f"{OFFSET_VARIABLE}={offset} on {variable}'s default {default}")


def port(service: str, environ: Mapping[str, str] | None = None) -> int:
    """The port of one service of the stack (a key of PORTS)."""
    try:
        entry = PORTS[service]
    except KeyError:
        raise LocalPortError(f"no local service {service!r}; known: {', '.join(PORTS)}") from None
    return resolve(entry.variable, entry.default, environ)


def address(number: int) -> str:
    """host:port, as the emulator variables (FIRESTORE_EMULATOR_HOST...) want it."""
    return f"{HOST}:{number}"


def url(number: int, scheme: str = "http") -> str:
    """The base URL of a local server, without a trailing slash."""
    return f"{scheme}://{address(number)}"


def service_address(service: str, environ: Mapping[str, str] | None = None) -> str:
    return address(port(service, environ))


def service_url(service: str, scheme: str = "http", environ: Mapping[str, str] | None = None) -> str:
    return url(port(service, environ), scheme)
