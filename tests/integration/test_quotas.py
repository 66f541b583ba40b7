"""A team's quotas besides interviews per day: live interviews at once (a slot taken at a candidate's
first token, given back when the interview ends or never starts), monthly model minutes (added when
an interview ends), evaluations per day (counted when an evaluation starts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tests.conftest import AuthEmulator, Recruiter
from tests.integration.conftest import signed_sweep, signed_webhook
from tests.integration.pipeline_support import Queue, golden, seed_finished_interview, wait_for

Create = Callable[..., dict[str, Any]]


def _limits(api_url: str, owner: Recruiter, **quotas: int) -> None:
    response = requests.patch(
        f"{api_url}/api/workspace/settings", json={"quotas": quotas}, headers=owner.headers, timeout=10
    )
    assert response.status_code == 200, response.text


def _used(api_url: str, owner: Recruiter) -> dict[str, Any]:
    return dict(
        requests.get(f"{api_url}/api/workspace/usage", headers=owner.headers, timeout=10).json()["used"]
    )


def _token(api_url: str, created: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{api_url}/api/interviews/{created['id']}/token",
        json={"invite": created["secret"], "consent": {"version": "en-1", "language": "en"}},
        timeout=30,
    )


def test_live_interviews_take_a_slot_at_the_first_token_and_give_it_back_when_they_end(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any
) -> None:
    owner = auth_emulator.member("owner")
    _limits(api_url, owner, live_interviews=1)
    first, second = create_interview(owner), create_interview(owner)

    assert _token(api_url, first).status_code == 200
    assert _token(api_url, first).status_code == 200  # a rejoin takes no second slot
    assert _used(api_url, owner)["live_interviews"] == 1
    full = _token(api_url, second)
    assert full.status_code == 429, full.text
    error = full.json()["error"]
    assert (error["code"], error["limit"], error["max"], error["resets_at"]) == (
        "quota_exceeded",
        "live_interviews",
        1,
        None,
    )
    assert full.headers["Retry-After"] == "60"
    assert store.get(second["id"]).invite.uses == 0  # the refused request used nothing

    # The first interview runs (the agent marks it started) for ten minutes, then completes.
    started = datetime.now(UTC) - timedelta(minutes=10)
    store.interview_ref(first["id"]).update({"status": "in_progress", "started_at": started})
    done = signed_webhook(api_url, {"interview_id": first["id"], "end_reason": "completed"})
    assert done.status_code == 200, done.text
    assert store.get(first["id"]).live_since is None
    used = _used(api_url, owner)
    assert used["live_interviews"] == 0
    assert 9.9 <= used["model_minutes_this_month"] <= 10.5
    # A repeated webhook gives nothing back twice and adds no minutes. (The evaluation the first webhook
    # queued may count itself meanwhile: only the live slots and the minutes are the webhook's.)
    signed_webhook(api_url, {"interview_id": first["id"], "end_reason": "completed"})
    again = _used(api_url, owner)
    assert (again["live_interviews"], again["model_minutes_this_month"]) == (
        used["live_interviews"],
        used["model_minutes_this_month"],
    )

    assert _token(api_url, second).status_code == 200
    cancel = requests.post(
        f"{api_url}/api/interviews/{second['id']}/cancel", headers=owner.headers, timeout=15
    )
    assert cancel.status_code == 200
    assert _used(api_url, owner)["live_interviews"] == 0


def test_the_months_model_minutes_stop_new_interviews_from_starting(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any
) -> None:
    owner = auth_emulator.member("owner")
    ran = create_interview(owner)
    assert _token(api_url, ran).status_code == 200
    store.interview_ref(ran["id"]).update(
        {"status": "in_progress", "started_at": datetime.now(UTC) - timedelta(minutes=3)}
    )
    assert signed_webhook(api_url, {"interview_id": ran["id"], "end_reason": "time_limit"}).status_code == 200
    _limits(api_url, owner, model_minutes_per_month=3)
    refused = _token(api_url, create_interview(owner))
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["limit"] == "model_minutes_per_month"
    resets = datetime.fromisoformat(error["resets_at"])
    assert (resets.day, resets.hour) == (1, 0)
    assert resets > datetime.now(UTC)
    assert _used(api_url, owner)["live_interviews"] == 0  # the refusal took no slot
    _limits(api_url, owner, model_minutes_per_month=4)
    assert _token(api_url, create_interview(owner)).status_code == 200


def test_the_sweep_gives_back_a_slot_whose_interview_never_started(
    api_url: str, sweep_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any
) -> None:
    owner = auth_emulator.member("owner")
    created = create_interview(owner)
    assert _token(api_url, created).status_code == 200
    fresh = create_interview(owner)
    assert _token(api_url, fresh).status_code == 200
    assert _used(api_url, owner)["live_interviews"] == 2
    # The candidate took a token half an hour ago and never joined.
    store.interview_ref(created["id"]).update({"live_since": datetime.now(UTC) - timedelta(minutes=30)})
    swept = signed_sweep(sweep_url)
    assert swept.status_code == 200, swept.text
    assert swept.json()["slots_released"] >= 1
    assert store.get(created["id"]).live_since is None
    assert store.get(fresh["id"]).live_since is not None  # a slot taken a moment ago stays
    assert _used(api_url, owner)["live_interviews"] == 1
    # Deleting an invited interview that holds a slot gives it back too.
    assert (
        requests.delete(
            f"{api_url}/api/interviews/{fresh['id']}", headers=owner.headers, timeout=10
        ).status_code
        == 204
    )
    assert _used(api_url, owner)["live_interviews"] == 0


def _completed(api_url: str, owner: Recruiter, create_interview: Create, store: Any) -> str:
    interview_id = create_interview(owner)["id"]
    seed_finished_interview(store, interview_id, golden("strong"))
    assert (
        signed_webhook(api_url, {"interview_id": interview_id, "end_reason": "completed"}).status_code == 200
    )
    return interview_id


def test_evaluations_per_day_are_counted_when_an_evaluation_starts(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any, queue: Queue
) -> None:
    owner = auth_emulator.member("owner")
    _limits(api_url, owner, evaluations_per_day=1)
    first = _completed(api_url, owner, create_interview, store)
    wait_for(lambda: store.get(first).status == "evaluated", what="the first evaluation")
    assert _used(api_url, owner)["evaluations_today"] == 1

    # The day's evaluations are used up: the next one fails at once, saying why and until when.
    second = _completed(api_url, owner, create_interview, store)
    failed = wait_for(lambda: (i := store.get(second)).status == "evaluation_failed" and i, what="refused")
    assert "limit of 1 evaluations a day" in (failed.evaluation.last_error or "")
    assert store.report(second) is None
    again = requests.post(f"{api_url}/api/interviews/{first}/reevaluate", headers=owner.headers, timeout=10)
    assert again.status_code == 429, again.text
    assert again.json()["error"]["limit"] == "evaluations_per_day"
    assert int(again.headers["Retry-After"]) > 0
    assert store.get(first).status == "evaluated"  # refused before anything changed
    assert _used(api_url, owner)["evaluations_today"] == 1

    _limits(api_url, owner, evaluations_per_day=2)
    retried = requests.post(
        f"{api_url}/api/interviews/{second}/reevaluate", headers=owner.headers, timeout=10
    )
    assert retried.status_code == 202, retried.text
    wait_for(lambda: store.get(second).status == "evaluated", what="the re-evaluation")
    assert _used(api_url, owner)["evaluations_today"] == 2
