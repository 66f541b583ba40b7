"""Acceptance (issue 18): two `api` processes on different ports share one daily quota.

A second functions-framework process serves the api on another port with the stack's environment
(the same emulators), as a second Cloud Functions instance would. Requests alternate between the two;
the one past the team's limit gets 429 with `Retry-After` and a JSON body naming the limit and when
it resets, whichever process it reaches, while another team is unaffected. The small limit is set
through the settings route.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import requests

from tests.conftest import AuthEmulator, Recruiter
from tests.integration.conftest import interview_body


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def second_api(stack: dict[str, str]) -> Iterator[str]:
    """Another `api` process: the stack's own command and environment, on a free port."""
    from devstack.services import SERVICES, Context, Ports, render

    spec = next(s for s in SERVICES if s.name == "api")
    port = _free_port()
    service = render(spec, Context(Ports(api=port)), reload=False)
    log = open(os.devnull, "wb")  # noqa: SIM115 -- held for the process's lifetime
    process = subprocess.Popen(
        service.command,
        cwd=service.cwd,
        env={**os.environ, **service.env},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, "the second api process exited"
            assert time.monotonic() < deadline, "the second api process did not answer within 60 s"
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()


def _create(base: str, who: Recruiter) -> requests.Response:
    return requests.post(f"{base}/api/interviews", json=interview_body(), headers=who.headers, timeout=60)


def _set_daily_limit(base: str, owner: Recruiter, limit: int) -> None:
    response = requests.patch(
        f"{base}/api/workspace/settings",
        json={"quotas": {"interviews_per_day": limit}},
        headers=owner.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert response.json()["quotas"]["interviews_per_day"] == limit


def test_two_api_processes_share_one_daily_quota(
    api_url: str, second_api: str, auth_emulator: AuthEmulator
) -> None:
    assert second_api != api_url
    team = auth_emulator.member("owner")
    other_team = auth_emulator.member("owner")
    _set_daily_limit(api_url, team, 3)

    processes = [api_url, second_api]
    answers = [_create(processes[i % 2], team) for i in range(5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429], [a.text for a in answers]

    refused = answers[3]
    error = refused.json()["error"]
    assert error["code"] == "quota_exceeded"
    assert error["limit"] == "interviews_per_day"
    assert error["max"] == 3
    assert error["message"]
    resets_at = datetime.fromisoformat(error["resets_at"])
    now = datetime.now(UTC)
    assert (resets_at.hour, resets_at.minute, resets_at.second) == (0, 0, 0)
    seconds_left = (resets_at - now).total_seconds()
    assert 0 < seconds_left <= 24 * 3600
    assert abs(int(refused.headers["Retry-After"]) - seconds_left) <= 60
    assert answers[4].json()["error"]["limit"] == "interviews_per_day"  # the other process refuses too

    # Another team, through either process, is unaffected.
    assert [_create(p, other_team).status_code for p in processes] == [201, 201]
    usage = requests.get(f"{second_api}/api/workspace/usage", headers=team.headers, timeout=10).json()
    assert usage["used"]["interviews_today"] == 3
    listed = requests.get(f"{api_url}/api/interviews", headers=team.headers, timeout=10).json()
    assert len(listed["interviews"]) == 3


def test_a_burst_across_both_processes_never_passes_the_limit(
    api_url: str, second_api: str, auth_emulator: AuthEmulator
) -> None:
    """Eight requests at once for four places: never more than four interviews, and the counter
    always equals what was created. A request that lost the race for the counter too often is told
    409 `conflict` (try again), never admitted past the limit; asked again, exactly the places left
    are given."""
    team = auth_emulator.member("owner")
    _set_daily_limit(second_api, team, 4)
    processes = [api_url, second_api]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda i: _create(processes[i % 2], team).status_code, range(8)))
    assert set(statuses) <= {201, 409, 429}, statuses
    created = statuses.count(201)
    assert 1 <= created <= 4, statuses

    def used() -> int:
        usage = requests.get(f"{api_url}/api/workspace/usage", headers=team.headers, timeout=10).json()
        return int(usage["used"]["interviews_today"])

    assert used() == created
    again = [_create(processes[i % 2], team).status_code for i in range(statuses.count(409) + 1)]
    assert again == [201] * (4 - created) + [429] * (len(again) - (4 - created)), (statuses, again)
    assert used() == 4
