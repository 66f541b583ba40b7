"""Acceptance (issue 19): rate limits per recruiter hold across two `api` processes.

Two functions-framework processes serve the api on their own ports with the stack's environment
(the same Firestore), as two Cloud Functions instances would, with a small limit on listing
(RATE_LIMITS). A recruiter whose requests alternate between them gets 429 `rate_limited` with
Retry-After past the limit, whichever process answers; another recruiter, from the same address,
is unaffected.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import AuthEmulator
from tests.integration.test_quota_two_processes import _free_port

LIST_LIMIT = 3


def _start_api(extra_env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    from devstack.services import SERVICES, Context, Ports, render

    spec = next(s for s in SERVICES if s.name == "api")
    port = _free_port()
    service = render(spec, Context(Ports(api=port)), reload=False)
    process = subprocess.Popen(
        service.command,
        cwd=service.cwd,
        env={**os.environ, **service.env, **extra_env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return process, f"http://127.0.0.1:{port}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def two_apis(stack: dict[str, str]) -> Iterator[list[str]]:
    limits = {"list": {"per_identity": LIST_LIMIT, "per_address": 1000}}
    env = {"RATE_LIMIT_SCALE": "1", "RATE_LIMITS": json.dumps(limits)}
    started = [_start_api(env) for _ in range(2)]
    try:
        deadline = time.monotonic() + 90
        for process, url in started:
            while True:
                try:
                    if requests.get(f"{url}/health", timeout=1).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert process.poll() is None, "an api process exited"
                assert time.monotonic() < deadline, "the api processes did not answer within 90 s"
                time.sleep(0.2)
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            _stop(process)


def test_a_recruiter_past_the_limit_gets_429_on_both_processes_and_another_is_unaffected(
    two_apis: list[str], auth_emulator: AuthEmulator
) -> None:
    busy = auth_emulator.member("recruiter")
    other = auth_emulator.member("recruiter")
    # Stay inside one window: start just after a minute turns when too close to the next one.
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)
    answers = [
        requests.get(f"{two_apis[n % 2]}/api/interviews", headers=busy.headers, timeout=30)
        for n in range(LIST_LIMIT + 2)
    ]
    assert [a.status_code for a in answers] == [200] * LIST_LIMIT + [429, 429]
    for refused in answers[LIST_LIMIT:]:
        assert refused.json()["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Both processes refuse: the count is in Firestore, not in either process.
    assert {a.url.split("/api")[0] for a in answers[LIST_LIMIT:]} == set(two_apis)
    for base in two_apis:
        assert requests.get(f"{base}/api/interviews", headers=other.headers, timeout=30).status_code == 200
