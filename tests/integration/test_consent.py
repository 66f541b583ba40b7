"""Consent on record: no room token before the candidate accepted the consent screen; the interview
then stores which text (version and hash), in which language and when, and the report shows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tests.conftest import AuthEmulator

Create = Callable[..., dict[str, Any]]


def test_no_token_without_consent_and_the_record_of_it(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any
) -> None:
    from interview_core.domain.consent import CONSENT_TEXTS

    english = CONSENT_TEXTS["en"]

    recruiter = auth_emulator.member("recruiter")
    created = create_interview(recruiter)
    base = f"{api_url}/api/interviews/{created['id']}"

    # The welcome page learns which version of the interview language's text it is to show.
    info = requests.post(f"{base}/invite", json={"invite": created["secret"]}, timeout=10).json()
    assert info["consent"] == {"version": english.version, "language": "en", "sha256": english.sha256}

    refused = requests.post(f"{base}/token", json={"invite": created["secret"]}, timeout=10)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "consent_required"
    unknown = requests.post(
        f"{base}/token",
        json={"invite": created["secret"], "consent": {"version": "v0", "language": "en"}},
        timeout=10,
    )
    assert unknown.status_code == 422, unknown.text
    interview = store.get(created["id"])
    assert interview.consent is None
    assert interview.invite.uses == 0  # a refused request uses nothing

    before = datetime.now(UTC)
    accepted = {"version": info["consent"]["version"], "language": info["consent"]["language"]}
    answer = requests.post(
        f"{base}/token", json={"invite": created["secret"], "consent": accepted}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    consent = store.get(created["id"]).consent
    assert consent.version == english.version
    assert consent.language == "en"
    assert consent.text_sha256 == english.sha256
    assert before - timedelta(seconds=5) <= consent.accepted_at <= datetime.now(UTC) + timedelta(seconds=5)

    # A rejoin needs no new acceptance, and does not replace the first one.
    again = requests.post(f"{base}/token", json={"invite": created["secret"]}, timeout=10)
    assert again.status_code == 200, again.text
    assert store.get(created["id"]).consent == consent

    # The report carries it.
    store.report_ref(created["id"]).set({"generation": 1, "summary": "seeded"})
    report = requests.get(
        f"{api_url}/api/reports/{created['id']}", headers=recruiter.headers, timeout=10
    ).json()
    assert report["consent"]["version"] == english.version
    assert report["consent"]["text_sha256"] == consent.text_sha256
    assert report["consent"]["language"] == "en"
