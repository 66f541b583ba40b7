"""The emulator's HTTP application: routes, the generateContent pipeline, and serving on HTTP and TLS.

One aiohttp application is served on both ports, so `/health`, the REST API, the Live WebSocket and
the admin endpoints answer the same on each; the TLS port exists because the Live API needs `wss`.

generateContent pipeline: parse the body (400) -> the real API's refusals when the profile checks
them (unknown model 404, schema or thinking setting the model rejects 400; checks.py) -> recognise
the task by schema properties (400 when unknown) -> injected delay -> injected failure (429 in
Google's RESOURCE_EXHAUSTED shape with RetryInfo) or safety block -> run the task handler (501 when
not written yet) -> optionally over-lengthen or break the output on purpose -> wrap it in a
GenerateContentResponse. Profiles and faults: faults.py, profiles.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import ssl
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from . import registry
from .checks import check_model, check_schema, check_thinking
from .faults import FAULTS_KEY, STATS_KEY, FaultInjector, FaultPlan, Stats, apply_fields, lengthen
from .gemini_api import (
    MODEL_VERSION,
    GeminiError,
    blocked_response,
    build_response,
    error_body,
    parse_generate_request,
    rate_limit_body,
)
from .live import LIVE_ROUTE, handle_live
from .live_runtime import LIVE_FIELDS, LIVE_KEY, LiveFaultPlan, LiveRuntime, apply_live_fields
from .live_transcribe import Transcriber
from .profiles import profile_fields, startup_profile

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_REQUEST_LOG = 50


@dataclass
class RequestLog:
    """The last calls' settings, for GET /emulator/requests."""

    entries: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAX_REQUEST_LOG))


REQUESTS_KEY: web.AppKey[RequestLog] = web.AppKey("gemini_emulator_requests", RequestLog)


def gemini_error(status: int, message: str) -> web.Response:
    """An error response google-genai raises as errors.ClientError / errors.ServerError."""
    return web.json_response(error_body(status, message), status=status)


def _summary(model: str, task: str, config: dict[str, Any], parts: tuple[str, ...]) -> dict[str, Any]:
    """What GET /emulator/requests shows of one call: settings, not the prompt (the schema is left
    out for size; a follow-up part, such as a caller's correction note, shows its first 200 chars)."""
    settings = {k: v for k, v in config.items() if k not in ("responseJsonSchema", "responseSchema")}
    return {
        "model": model,
        "task": task,
        "generation_config": settings,
        "schema_dialect": "responseJsonSchema" if "responseJsonSchema" in config else "responseSchema",
        "user_parts": len(parts),
        "last_user_part": parts[-1][:200] if len(parts) > 1 else None,
    }


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "model": MODEL_VERSION, "tls": request.secure})


async def generate_content(request: web.Request) -> web.Response:
    """POST /{api_version}/models/{model}:generateContent."""
    stats = request.app[STATS_KEY]
    faults = request.app[FAULTS_KEY]
    model = request.match_info["model"]
    try:
        body = await request.json()
        parsed = parse_generate_request(body)
    except GeminiError as error:
        stats.rejected += 1
        return gemini_error(error.status, error.message)
    except ValueError:
        stats.rejected += 1
        return gemini_error(400, "Invalid JSON payload received.")
    refusals = []
    if faults.plan.check_models:
        refusals.append(("model", check_model(model, request.match_info["api_version"])))
    if faults.plan.check_schema:
        refusals.append(("schema", check_schema(parsed.schema)))
        refusals.append(("thinking", check_thinking(model, parsed.generation_config)))
    for check, refusal in refusals:
        if refusal is not None:
            stats.rejected += 1
            stats.refused[check] += 1
            return gemini_error(refusal.status, refusal.message)
    task = registry.match(parsed.properties)
    if task is None:
        stats.rejected += 1
        known = "; ".join(f"{t.name}: {sorted(t.required_properties)}" for t in registry.tasks())
        return gemini_error(
            400,
            "The local Gemini emulator answers only structured-output requests whose response schema "
            f"it recognises by its top-level properties ({known}); got {sorted(parsed.properties)}.",
        )
    request.app[REQUESTS_KEY].entries.append(
        _summary(model, task.name, parsed.generation_config, parsed.user_parts)
    )
    task_stats = stats.task(task.name)
    task_stats.calls += 1
    decision = faults.decide(task.name)
    if decision.delay_ms:
        await asyncio.sleep(decision.delay_ms / 1000)
    if decision.fail_status is not None:
        task_stats.injected_failures += 1
        if decision.fail_status == 429:
            return web.json_response(rate_limit_body(model, decision.retry_after_s), status=429)
        return gemini_error(decision.fail_status, f"Injected failure by the local emulator ({task.name}).")
    if decision.blocked is not None:
        task_stats.blocked += 1
        return web.json_response(blocked_response(body, parsed, decision.blocked))
    try:
        handler = registry.load(task)
        output = await asyncio.to_thread(handler, body)
    except registry.HandlerMissingError as missing:
        task_stats.errors += 1
        return gemini_error(501, f"The local emulator has no handler for {task.name} yet: {missing}.")
    except GeminiError as error:
        task_stats.errors += 1
        return gemini_error(error.status, error.message)
    except Exception:
        task_stats.errors += 1
        log.exception("task handler %s failed", task.name)
        return gemini_error(500, f"The local emulator's {task.name} handler failed; see its log.")
    if decision.overlong:
        task_stats.overlong += 1
        output = lengthen(output, task.name)
    text = json.dumps(output, ensure_ascii=False)
    if decision.malformed:
        task_stats.malformed += 1
        # What a real model produces when it runs out of output tokens: JSON cut off mid-way.
        return web.json_response(build_response(body, parsed, text[: len(text) // 2], "MAX_TOKENS"))
    task_stats.ok += 1
    return web.json_response(build_response(body, parsed, text))


async def unsupported_method(request: web.Request) -> web.Response:
    """Other model methods (streamGenerateContent, countTokens, ...) are not emulated: say so clearly."""
    method = request.match_info["method"]
    return gemini_error(404, f"The local Gemini emulator does not implement models.{method}.")


def _faults_json(app: web.Application) -> dict[str, object]:
    """The REST plan, plus the Live plan under `live` while it differs from its start-up default."""
    body: dict[str, object] = dict(app[FAULTS_KEY].as_json())
    live = app[LIVE_KEY].faults_json()
    if live:
        body["live"] = live
    return body


async def set_faults(request: web.Request) -> web.Response:
    """POST /emulator/faults: change the plan (only the fields given). Live fields go to the Live
    plan, flat (`live_*`) or in a `live` section. With `profile`, both plans are first reset to that
    profile (profiles.py), then the other fields apply; the whole body is validated before anything
    changes."""
    app = request.app
    try:
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("expected a JSON object")
        section = body.get("live", {})
        if not isinstance(section, dict):
            raise ValueError("live must be an object of live_* fields")
        plan, live_plan = app[FAULTS_KEY].plan, app[LIVE_KEY].faults
        if "profile" in body:
            rest_profile, live_profile = profile_fields(body["profile"])
            plan = apply_fields(FaultPlan(), rest_profile)
            live_plan = apply_live_fields(LiveFaultPlan(), live_profile)
        live = {**section, **{k: v for k, v in body.items() if k in LIVE_FIELDS}}
        rest = {k: v for k, v in body.items() if k not in LIVE_FIELDS and k not in ("profile", "live")}
        plan = apply_fields(plan, rest)  # validate everything before changing anything
        live_plan = apply_live_fields(live_plan, live)
        app[FAULTS_KEY].replace(plan)
        app[LIVE_KEY].replace(live_plan)
        log.info("fault plan now %s; live %s", plan, live_plan)
    except ValueError as error:
        return gemini_error(400, f"Invalid fault plan: {error}.")
    return web.json_response(_faults_json(app))


async def reset_faults(request: web.Request) -> web.Response:
    """DELETE /emulator/faults: back to the start-up plan (REST and Live)."""
    request.app[FAULTS_KEY].reset()
    request.app[LIVE_KEY].reset()
    return web.json_response(_faults_json(request.app))


async def get_requests(request: web.Request) -> web.Response:
    """GET /emulator/requests: the last calls' model, task and settings (for tests)."""
    return web.json_response(list(request.app[REQUESTS_KEY].entries))


async def reset_requests(request: web.Request) -> web.Response:
    request.app[REQUESTS_KEY].entries.clear()
    return web.json_response([])


async def get_faults(request: web.Request) -> web.Response:
    return web.json_response(_faults_json(request.app))


async def get_live(request: web.Request) -> web.Response:
    """GET /emulator/live: Live sessions now open and per-reply timings (for benchmarks)."""
    return web.json_response(request.app[LIVE_KEY].timings_json())


async def reset_live(request: web.Request) -> web.Response:
    """DELETE /emulator/live: forget the recorded timings."""
    request.app[LIVE_KEY].turns.clear()
    return web.json_response(request.app[LIVE_KEY].timings_json())


async def get_stats(request: web.Request) -> web.Response:
    """GET /emulator/stats: calls per task, injected faults, Live sessions."""
    return web.json_response(request.app[STATS_KEY].as_json())


async def reset_stats(request: web.Request) -> web.Response:
    """DELETE /emulator/stats: zero the counters (the fault plan is untouched)."""
    request.app[STATS_KEY].reset()
    return web.json_response(request.app[STATS_KEY].as_json())


@web.middleware
async def json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Unknown paths and wrong methods answer in Gemini's error shape, like the real endpoint."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400 or error.content_type == "application/json":
            raise
        return gemini_error(error.status, f"{error.reason}: {request.method} {request.path}")


async def _close_transcriber(app: web.Application) -> None:
    app[LIVE_KEY].transcriber.close()


def create_app(
    delay_ms: int | None = None,
    live_delay_ms: int | None = None,
    transcribe: str | None = None,
    profile: str | None = None,
) -> web.Application:
    """The application; state (faults, stats, Live sessions) lives on it, so tests can build one per case.

    `profile` (default: GEMINI_EMULATOR_PROFILE or strict; profiles.py) is the start-up plan of
    both APIs; `delay_ms`, when given, overrides its REST latency. `live_delay_ms` (default:
    GEMINI_LIVE_DELAY_MS, else the profile's: 0, 700 for realistic) is how long each Live reply
    waits before it starts, so benchmarks can tell the agent's own latency from the model's.
    `transcribe` is the speech recognition mode (default: GEMINI_LIVE_TRANSCRIBE or auto; see
    live_transcribe.py).
    """
    rest_profile, live_profile = profile_fields(startup_profile(profile))
    startup = apply_fields(FaultPlan(), rest_profile)
    if delay_ms is not None:
        startup.delay_ms = delay_ms
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[json_errors])
    app[FAULTS_KEY] = FaultInjector(startup)
    app[STATS_KEY] = Stats()
    app[REQUESTS_KEY] = RequestLog()
    transcriber = Transcriber(transcribe)
    live_startup = apply_live_fields(LiveFaultPlan(), live_profile)
    env_live_delay = os.environ.get("GEMINI_LIVE_DELAY_MS", "").strip()
    if live_delay_ms is None and env_live_delay.isdigit():
        live_delay_ms = int(env_live_delay)
    if live_delay_ms is not None:
        live_startup.live_delay_ms = live_delay_ms
    app[LIVE_KEY] = LiveRuntime(startup=live_startup, transcriber=transcriber)
    app.on_cleanup.append(_close_transcriber)
    app.router.add_get("/health", health)
    app.router.add_post(
        "/{api_version:v[0-9]+[a-z0-9]*}/models/{model:[A-Za-z0-9._-]+}:generateContent", generate_content
    )
    app.router.add_post(
        "/{api_version:v[0-9]+[a-z0-9]*}/models/{model:[A-Za-z0-9._-]+}:{method:[A-Za-z]+}",
        unsupported_method,
    )
    app.router.add_get(LIVE_ROUTE, handle_live)
    app.router.add_get("/emulator/faults", get_faults)
    app.router.add_post("/emulator/faults", set_faults)
    app.router.add_delete("/emulator/faults", reset_faults)
    app.router.add_get("/emulator/stats", get_stats)
    app.router.add_get("/emulator/live", get_live)
    app.router.add_delete("/emulator/live", reset_live)
    app.router.add_delete("/emulator/stats", reset_stats)
    app.router.add_get("/emulator/requests", get_requests)
    app.router.add_delete("/emulator/requests", reset_requests)
    return app


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free port, read back with getsockname()."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=128)


@dataclass
class RunningServer:
    """A started emulator: its runner and the ports it actually listens on."""

    runner: web.AppRunner
    http_port: int
    tls_port: int | None

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start(
    app: web.Application,
    host: str,
    port: int,
    tls_port: int | None = None,
    ssl_context: ssl.SSLContext | None = None,
    access_log: bool = False,
) -> RunningServer:
    """Serve `app` on host:port and, with a context, on host:tls_port over TLS."""
    runner = web.AppRunner(app, access_log=log if access_log else None, handle_signals=False)
    await runner.setup()
    http_sock = bind(host, port)
    await web.SockSite(runner, http_sock).start()
    actual_tls: int | None = None
    if ssl_context is not None and tls_port is not None:
        tls_sock = bind(host, tls_port)
        await web.SockSite(runner, tls_sock, ssl_context=ssl_context).start()
        actual_tls = tls_sock.getsockname()[1]
    return RunningServer(runner, http_sock.getsockname()[1], actual_tls)
