"""The Live API WebSocket skeleton: the setup handshake over wss, and refusal of a bad first message."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp

from devstack.gemini_emulator.faults import STATS_KEY
from devstack.gemini_emulator.server import create_app
from devstack.gemini_emulator.tls import client_ssl_context, ensure_certificates, server_ssl_context
from tests.gemini_emulator.support import serving

LIVE_PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"


async def _session(state: Path, first_message: str) -> tuple[object, int | None, dict[str, int]]:
    """Open the Live socket over TLS, send one message; return the reply, the close code, Live stats."""
    files = ensure_certificates(state)
    app = create_app()
    async with serving(app, tls_port=0, ssl_context=server_ssl_context(files)) as running:
        url = f"wss://127.0.0.1:{running.tls_port}{LIVE_PATH}?key=anything"
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, ssl=client_ssl_context(files.ca)) as ws,
        ):
            await ws.send_str(first_message)
            reply = await ws.receive(timeout=5)
            data = json.loads(reply.data) if reply.type == aiohttp.WSMsgType.TEXT else reply.type
            if reply.type == aiohttp.WSMsgType.TEXT:
                await ws.send_str(
                    json.dumps({"realtime_input": {"audio": {"data": "", "mimeType": "audio/pcm"}}})
                )
                await ws.close()
            await asyncio.sleep(0.05)
            return data, ws.close_code, dict(app[STATS_KEY].live)


def test_setup_is_answered_with_setup_complete(tmp_path: Path) -> None:
    setup = json.dumps({"setup": {"model": "models/gemini-3.8-live", "generationConfig": {}}})
    reply, _, live = asyncio.run(_session(tmp_path, setup))
    assert reply == {"setupComplete": {}}
    assert live["sessions"] == 1
    assert live["client_messages"] == 1


def test_a_first_message_that_is_not_a_setup_closes_with_1007(tmp_path: Path) -> None:
    reply, code, live = asyncio.run(_session(tmp_path, json.dumps({"clientContent": {"turns": []}})))
    assert reply == aiohttp.WSMsgType.CLOSE
    assert code == 1007
    assert live["rejected_setups"] == 1
