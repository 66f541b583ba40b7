"""The Gemini Live (BidiGenerateContent) WebSocket endpoint. For now a skeleton: setup handshake only.

google-genai connects to `{base_url}/ws/google.ai.generativelanguage.{version}.GenerativeService.
BidiGenerateContent` over `wss` (so through the emulator's TLS port), sends one JSON `setup` message
and waits for `setupComplete` before it sends anything else. This module does exactly that and then
reads the client's messages without answering, so a session can be opened end to end.

To build the full protocol (serverContent with 24 kHz PCM audio, transcriptions, turnComplete,
toolCall, goAway, sessionResumptionUpdate), extend `LiveSession`: `on_message` dispatches each client
message by its top-level key to `handle_<key>` (for example `handle_realtimeInput`,
`handle_clientContent`, `handle_toolResponse`); `send` writes one server message. Clients mix
snake_case and camelCase keys, so `message_kind` normalises them.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from aiohttp import WSCloseCode, WSMessage, WSMsgType, web

from .faults import STATS_KEY

log = logging.getLogger(__name__)

LIVE_ROUTE = (
    "/ws/google.ai.generativelanguage.{version:v[0-9]+[a-z0-9]*}"
    ".GenerativeService.{method:BidiGenerateContent(?:Constrained)?}"
)
SETUP_TIMEOUT_SECONDS = 10.0
MAX_MESSAGE_BYTES = 8 * 1024 * 1024
CLOSE_INVALID_PAYLOAD = 1007
"""The code Gemini uses for a request it rejects; livekit-plugins-google treats it as fatal."""


def message_kind(message: dict[str, Any]) -> str | None:
    """The message's top-level key in camelCase (`realtime_input` -> `realtimeInput`)."""
    for key in message:
        return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)
    return None


class LiveSession:
    """One client connection after a valid setup. Extend the handle_* methods to add the protocol."""

    def __init__(self, ws: web.WebSocketResponse, setup: dict[str, Any], version: str) -> None:
        self.ws = ws
        self.setup = setup
        self.version = version
        self.model = str(setup.get("model", ""))

    async def send(self, message: dict[str, Any]) -> None:
        """Send one server message as a JSON text frame (google-genai accepts text and binary)."""
        await self.ws.send_str(json.dumps(message, separators=(",", ":")))

    async def start(self) -> None:
        """Answer the handshake. Later: session resumption handles, a greeting, a goAway timer."""
        await self.send({"setupComplete": {}})

    async def on_message(self, message: dict[str, Any]) -> None:
        """Route a client message to `handle_<kind>`; unknown kinds are ignored, like the real API."""
        kind = message_kind(message)
        handler = getattr(self, f"handle_{kind}", None) if kind else None
        if handler is None:
            log.debug("live: ignoring %s message", kind)
            return
        await handler(message[next(iter(message))])

    async def close(self) -> None:
        """Release per-session resources. Nothing to release yet."""


def _decode(msg: WSMessage) -> dict[str, Any] | None:
    """A client frame as a JSON object, or None when it is not one."""
    if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
        return None
    try:
        data = json.loads(msg.data)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


async def handle_live(request: web.Request) -> web.WebSocketResponse:
    """The WebSocket handler: validate the setup message, answer setupComplete, then serve messages."""
    stats = request.app[STATS_KEY]
    ws = web.WebSocketResponse(max_msg_size=MAX_MESSAGE_BYTES)
    await ws.prepare(request)
    stats.live["connections"] += 1
    try:
        first = await ws.receive(timeout=SETUP_TIMEOUT_SECONDS)
    except TimeoutError:
        await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"setup message expected")
        return ws
    message = _decode(first)
    setup = message.get("setup") if message else None
    if not isinstance(setup, dict) or not isinstance(setup.get("model"), str):
        stats.live["rejected_setups"] += 1
        await ws.close(code=CLOSE_INVALID_PAYLOAD, message=b"the first message must be a setup with a model")
        return ws
    session = LiveSession(ws, setup, request.match_info["version"])
    stats.live["sessions"] += 1
    try:
        await session.start()
        async for msg in ws:
            data = _decode(msg)
            if data is None:
                if msg.type == WSMsgType.ERROR:
                    break
                continue
            stats.live["client_messages"] += 1
            await session.on_message(data)
    except ConnectionResetError:
        log.debug("live: client went away")
    finally:
        await session.close()
    return ws
