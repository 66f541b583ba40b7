"""Invite and reminder emails, read back from the stack's real SMTP catcher (devstack/mail_catcher.py):
the invite goes out at creation in the interview's language with a working link, its delivery state
is on the interview, the recruiter can resend, a failing relay is recorded with a reason, and the
sweeper's reminder goes once, before expiry, only to candidates who have not started (clock moved)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
import requests

from tests.conftest import Recruiter
from tests.integration.conftest import signed_sweep

Create = Callable[..., dict[str, Any]]


class Mailbox:
    """The catcher's JSON API."""

    def __init__(self, url: str) -> None:
        self.url = url

    def messages(self, to: str) -> list[dict[str, Any]]:
        response = requests.get(f"{self.url}/api/messages", params={"to": to}, timeout=5)
        response.raise_for_status()
        return list(response.json()["messages"])

    def wait_for(self, to: str, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(found := self.messages(to)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} message(s) expected, {len(found)} caught")
            time.sleep(0.1)
        return found


@pytest.fixture
def mailbox(stack: dict[str, str]) -> Mailbox:
    return Mailbox(stack["MAIL_CATCHER_URL"])


def fresh_address() -> str:
    return f"cand-{uuid.uuid4().hex[:10]}@example.com"


def link_in(message: dict[str, Any]) -> str:
    line = next(w for w in message["text"].split() if "/i/" in w)
    assert f'href="{line}"' in message["html"]
    return line


def invite_info(api_url: str, link: str) -> requests.Response:
    url = urlparse(link)
    interview_id = url.path.rsplit("/", 1)[1]
    return requests.post(
        f"{api_url}/api/interviews/{interview_id}/invite", json={"invite": url.fragment}, timeout=10
    )


def test_the_invite_is_emailed_in_the_interviews_language_with_a_working_link(
    api_url: str, recruiter: Recruiter, create_interview: Create, mailbox: Mailbox, store: Any
) -> None:
    address = fresh_address()
    created = create_interview(
        recruiter, candidate={"name": "Grace <Hopper>", "email": address}, language="de"
    )
    assert created["invite_email"]["status"] == "sent"

    (message,) = mailbox.wait_for(address)
    assert message["to"] == [address]
    assert message["subject"] == "Ihr Interview für Senior Data Engineer"
    assert message["text"].startswith("Hallo Grace <Hopper>,")
    assert "Hallo Grace &lt;Hopper&gt;," in message["html"]  # escaped in the HTML part
    assert message["headers"]["Content-Language"] == "de"
    link = link_in(message)
    assert link == created["invite_url"]
    assert invite_info(api_url, link).status_code == 200

    interview = store.get(created["id"])
    assert interview.emails.invite.status == "sent"
    assert interview.emails.reminder_due_at == interview.invite.expires_at - timedelta(hours=24)
    listed = requests.get(f"{api_url}/api/interviews", headers=recruiter.headers, timeout=10).json()
    (summary,) = [i for i in listed["interviews"] if i["id"] == created["id"]]
    assert summary["emails"]["invite"]["status"] == "sent"


def test_the_recruiter_resends_with_a_new_link_and_both_links_work(
    api_url: str, recruiter: Recruiter, create_interview: Create, mailbox: Mailbox, auth_emulator: Any
) -> None:
    address = fresh_address()
    created = create_interview(recruiter, candidate={"name": "Alan Turing", "email": address})
    mailbox.wait_for(address)

    resend = f"{api_url}/api/interviews/{created['id']}/invite-email"
    answer = requests.post(resend, headers=recruiter.headers, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["invite_email"]["status"] == "sent"
    newest, first = mailbox.wait_for(address, count=2)
    assert newest["subject"] == first["subject"] == "Your interview for Senior Data Engineer"
    assert link_in(newest) != link_in(first)
    assert invite_info(api_url, link_in(newest)).status_code == 200
    assert invite_info(api_url, link_in(first)).status_code == 200

    viewer = auth_emulator.member("viewer", workspace_id=recruiter.workspace_id)
    assert requests.post(resend, headers=viewer.headers, timeout=10).status_code == 403
    outsider = auth_emulator.member("recruiter")
    assert requests.post(resend, headers=outsider.headers, timeout=10).status_code == 404

    requests.post(f"{api_url}/api/interviews/{created['id']}/cancel", headers=recruiter.headers, timeout=10)
    refused = requests.post(resend, headers=recruiter.headers, timeout=10)
    assert refused.status_code == 409
    assert len(mailbox.messages(address)) == 2


def test_an_unreachable_relay_is_recorded_as_failed_with_a_reason(
    recruiter: Recruiter, create_interview: Create, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delivery code run in this process against a port where no SMTP server listens."""
    from interview_core.domain.models import MailKind
    from interview_core.invite_delivery import deliver
    from interview_core.settings import Settings

    created = create_interview(recruiter, candidate={"name": "No Relay", "email": fresh_address()})
    interview = store.get(created["id"])
    monkeypatch.setenv("SMTP_PORT", "1")
    delivery = deliver(store, interview, created["secret"], MailKind.INVITE, Settings(), interview.created_at)
    assert delivery.status == "failed"
    assert delivery.reason == "mail server unreachable (ConnectionRefusedError)"
    assert store.get(created["id"]).emails.invite.reason == delivery.reason


def test_the_reminder_goes_once_before_expiry_and_not_to_a_candidate_who_started(
    api_url: str,
    sweep_url: str,
    recruiter: Recruiter,
    create_interview: Create,
    mailbox: Mailbox,
    store: Any,
) -> None:
    from interview_core.invite_delivery import send_due_reminders
    from interview_core.settings import get_settings

    waiting, started = fresh_address(), fresh_address()
    options = {"invite_ttl_hours": 26}  # the default lead time is 24 h: the reminder is due in 2 h
    pending = create_interview(recruiter, candidate={"name": "Wait Ing", "email": waiting}, options=options)
    going = create_interview(recruiter, candidate={"name": "Star Ted", "email": started}, options=options)
    store.interview_ref(going["id"]).update({"status": "in_progress"})
    mailbox.wait_for(waiting)
    mailbox.wait_for(started)

    # The real sweeper, now: nothing is due yet.
    assert signed_sweep(sweep_url).status_code == 200
    assert len(mailbox.messages(waiting)) == 1

    due = store.get(pending["id"]).emails.reminder_due_at
    assert due is not None
    settings = get_settings()
    before_due = send_due_reminders(store, settings, due - timedelta(minutes=1), limit=100)
    assert before_due["reminders_sent"] == 0
    assert len(mailbox.messages(waiting)) == 1

    moved = due + timedelta(minutes=1)  # the clock moved past the reminder's time
    counts = send_due_reminders(store, settings, moved, limit=100)
    assert counts["reminders_sent"] >= 1
    reminder, _ = mailbox.wait_for(waiting, count=2)
    assert reminder["subject"] == "Reminder: your interview for Senior Data Engineer"
    assert invite_info(api_url, link_in(reminder)).status_code == 200
    after = store.get(pending["id"])
    assert after.emails.reminder is not None
    assert after.emails.reminder.status == "sent"
    assert after.emails.reminder_due_at is None

    assert len(mailbox.messages(started)) == 1  # started: no reminder
    assert store.get(going["id"]).emails.reminder_due_at is None

    send_due_reminders(store, settings, moved + timedelta(minutes=5), limit=100)
    assert len(mailbox.messages(waiting)) == 2  # once


def test_no_email_when_the_recruiter_sends_the_link_themselves(
    recruiter: Recruiter, create_interview: Create, mailbox: Mailbox, store: Any
) -> None:
    address = fresh_address()
    created = create_interview(
        recruiter, candidate={"name": "Self Sent", "email": address}, options={"send_invite_email": False}
    )
    assert created["invite_email"] is None
    assert store.get(created["id"]).emails.reminder_due_at is None
    time.sleep(0.5)
    assert mailbox.messages(address) == []
