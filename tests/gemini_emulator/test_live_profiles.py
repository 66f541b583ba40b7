"""One profile mechanism for both APIs: the Live knobs are part of `ideal` / `strict` / `realistic`.

`strict` (the local stack's and `make test`'s default) must carry every Live behaviour of the real
API that costs no time; `realistic` adds the model's latency and scheduled faults; a profile set
over POST /emulator/faults switches the REST and the Live plans together.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from devstack.gemini_emulator.faults import STATS_KEY
from devstack.gemini_emulator.live_runtime import LIVE_KEY, LiveFaultPlan
from devstack.gemini_emulator.profiles import PROFILES
from devstack.gemini_emulator.server import create_app
from devstack.gemini_emulator.tls import client_ssl_context, ensure_certificates, server_ssl_context
from interview_core.domain.gemini_models import SERVED_LIVE_MODELS
from tests.gemini_emulator.support import serving

LIVE_PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"

STRICT_LIVE = {
    "live_check_setup": True,
    "live_paraphrase": True,
    "live_handle_single_use": True,
    "live_tool_cancel_on_barge_in": True,
    "live_answer_tool_responses": True,
}


def test_the_default_profile_is_strict_and_carries_the_live_behaviours_that_cost_no_time() -> None:
    live = create_app()[LIVE_KEY].faults
    for knob, value in STRICT_LIVE.items():
        assert getattr(live, knob) == value, knob
    assert live.live_handle_ttl_s is not None  # handles expire
    assert live.live_tool_first_every  # some goodbyes come after their end_interview call
    # nothing that costs a test time: no latency, no timers, no closes
    assert live.live_delay_ms == 0
    assert (live.live_goaway_every_s, live.live_close_after_s, live.live_refuse_every) == (None, None, 0)
    assert live.live_clock_scale == 1.0


def test_realistic_is_strict_plus_latency_and_scheduled_faults_and_ideal_is_forgiving() -> None:
    ideal, strict, realistic = (create_app(profile=name)[LIVE_KEY].faults for name in PROFILES)
    assert PROFILES["strict"].items() <= PROFILES["realistic"].items()
    assert realistic.live_delay_ms > 0
    assert realistic.live_refuse_every > 0
    assert realistic.live_goaway_every_s is not None
    for knob in STRICT_LIVE:
        assert getattr(realistic, knob) == getattr(strict, knob), knob
        assert getattr(ideal, knob) is False, knob
    assert (ideal.live_handle_ttl_s, ideal.live_tool_first_every) == (None, None)
    assert strict == LiveFaultPlan()  # the dataclass defaults are strict's, as FaultPlan's are


def test_a_profile_set_per_test_switches_both_plans_and_a_delete_returns_to_the_start_up_one() -> None:
    async def scenario() -> list[Any]:
        app = create_app(profile="strict")
        async with serving(app) as running, aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{running.http_port}/emulator/faults"
            bodies = []
            for method, body in (
                ("POST", {"profile": "ideal", "live": {"live_goaway_after_turns": 2}}),
                ("POST", {"profile": "realistic", "delay_ms": 5, "live_delay_ms": 10}),
                ("POST", {"profile": "strict", "live": {"live_clock_scale": "fast"}}),
                ("POST", {"live": ["not", "an", "object"]}),
                ("DELETE", None),
            ):
                async with http.request(method, base, json=body) as response:
                    bodies.append((response.status, await response.json(), app[LIVE_KEY].faults))
            return bodies

    ideal, realistic, bad_value, bad_section, reset = asyncio.run(scenario())
    assert ideal[0] == 200
    assert (ideal[1]["profile"], ideal[1]["check_models"]) == ("ideal", False)
    assert ideal[2].live_paraphrase is False
    assert ideal[2].live_goaway_after_turns == 2
    assert ideal[1]["live"]["live_paraphrase"] is False
    assert realistic[1]["delay_ms"] == 5  # the profile first, then the fields of the same body
    assert realistic[2].live_delay_ms == 10
    assert realistic[2].live_refuse_every > 0
    assert realistic[2].live_goaway_after_turns is None  # the profile reset the Live plan
    for status, body, plan in (bad_value, bad_section):  # refused whole: nothing changed
        assert status == 400, body
        assert plan.live_delay_ms == 10
    assert reset[1]["profile"] == "strict"
    assert "live" not in reset[1]
    assert reset[2] == LiveFaultPlan()


def test_the_realistic_profile_refuses_every_ninth_setup_on_a_fixed_schedule(tmp_path: Path) -> None:
    every = PROFILES["realistic"]["live_refuse_every"]
    codes = asyncio.run(_setups(tmp_path, ["gemini-3.8-live"] * every, profile="realistic"))
    assert [code for code, _ in codes[:-1]] == [None] * (every - 1)
    assert codes[-1][0] == 1011
    assert "RESOURCE_EXHAUSTED" in codes[-1][1]


@pytest.mark.parametrize(
    ("model", "config", "code", "words"),
    [
        ("gemini-2.5-flash-native-audio-preview-12-2025", {}, 1008, "is not found"),  # retired preview
        ("gemini-3.8-flash", {}, 1008, "bidiGenerateContent"),  # a REST model
        ("no-such-model", {}, 1008, "is not found"),
        ("gemini-3.8-live", {"thinkingConfig": {"thinkingLevel": "LOW"}}, 1007, "not supported"),
    ],
)
def test_strict_refuses_setups_the_live_api_refuses_and_ideal_takes_them(
    model: str, config: dict[str, Any], code: int, words: str, tmp_path: Path
) -> None:
    """Before setupComplete, with the real API's close: an unknown or retired Live model, or a
    thinking level plain 3.8 Live does not take (its extended-thinking variant does)."""
    strict = asyncio.run(_setups(tmp_path, [model], config=config))
    assert strict[0][0] == code, strict
    assert words in strict[0][1], strict
    ideal = asyncio.run(_setups(tmp_path, [model], config=config, profile="ideal"))
    assert ideal[0] == (None, "setupComplete")


def test_the_live_models_served_are_the_catalogues_and_extended_thinking_takes_a_level(
    tmp_path: Path,
) -> None:
    assert "gemini-3.8-live" in SERVED_LIVE_MODELS
    accepted = asyncio.run(
        _setups(
            tmp_path,
            ["gemini-3.8-live-extended-thinking"],
            config={"thinkingConfig": {"thinkingLevel": "LOW"}},
        )
    )
    assert accepted[0] == (None, "setupComplete")


async def _setups(
    state: Path, models: list[str], config: dict[str, Any] | None = None, profile: str = "strict"
) -> list[tuple[int | None, str]]:
    """One Live setup per model, in order; (close code, reason) for each refused one, (None,
    "setupComplete") for each accepted one."""
    files = ensure_certificates(state)
    app = create_app(profile=profile, transcribe="placeholder")
    results: list[tuple[int | None, str]] = []
    async with (
        serving(app, tls_port=0, ssl_context=server_ssl_context(files)) as running,
        aiohttp.ClientSession() as http,
    ):
        url = f"wss://127.0.0.1:{running.tls_port}{LIVE_PATH}?key=anything"
        for model in models:
            async with http.ws_connect(url, ssl=client_ssl_context(files.ca)) as ws:
                setup = {"setup": {"model": f"models/{model}", "generationConfig": config or {}}}
                await ws.send_str(json.dumps(setup))
                reply = await ws.receive(timeout=5)
                if reply.type == aiohttp.WSMsgType.TEXT and "setupComplete" in json.loads(reply.data):
                    results.append((None, "setupComplete"))
                    await ws.close()
                else:
                    results.append((ws.close_code, str(reply.extra or "")))
    assert sum(app[STATS_KEY].live.values()) > 0
    return results
