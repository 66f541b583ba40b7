"""Accounts on the local Firebase Auth emulator, over its REST API, the way the web app makes them.

Shared by the tests (tests/conftest.py) and the benchmarks (bench/common.py). A password sign-up is
unverified (`email_verified: false`), as in production; `verify_by_link` follows the verification
email's link as a person would (the emulator lists its links at /emulator/v1/projects/{p}/oobCodes),
and `mark_verified` is the emulator's admin shortcut (`Bearer owner`). Either way a token minted
before stays unverified: sign in again for one that says `email_verified: true`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests

DEFAULT_PASSWORD = "correct-horse-battery"  # noqa: S105 -- emulator accounts only
TIMEOUT = 10


@dataclass(frozen=True)
class Account:
    uid: str
    email: str
    id_token: str
    password: str = DEFAULT_PASSWORD


class AuthEmulatorClient:
    def __init__(self, host: str, project: str = "demo-interviewer") -> None:
        self.host = host
        self.project = project
        self.base = f"http://{host}/identitytoolkit.googleapis.com/v1"

    def sign_up(self, email: str | None = None, password: str = DEFAULT_PASSWORD) -> Account:
        email = email or f"user-{uuid.uuid4().hex[:12]}@example.com"
        body = self._post(
            "accounts:signUp", {"email": email, "password": password, "returnSecureToken": True}
        )
        return Account(body["localId"], email.lower(), body["idToken"], password)

    def sign_in(self, account: Account) -> Account:
        """A fresh ID token (it carries the account's current email_verified)."""
        body = self._post(
            "accounts:signInWithPassword",
            {"email": account.email, "password": account.password, "returnSecureToken": True},
        )
        return Account(body["localId"], account.email, body["idToken"], account.password)

    def mark_verified(self, account: Account) -> Account:
        """The emulator's admin update (as `Bearer owner`), then a fresh token."""
        response = requests.post(
            f"{self.base}/projects/{self.project}/accounts:update",
            json={"localId": account.uid, "emailVerified": True},
            headers={"Authorization": "Bearer owner"},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return self.sign_in(account)

    def verify_by_link(self, account: Account) -> Account:
        """Send the verification email, follow its link's code, then a fresh token."""
        self._post("accounts:sendOobCode", {"requestType": "VERIFY_EMAIL", "idToken": account.id_token})
        codes = requests.get(
            f"http://{self.host}/emulator/v1/projects/{self.project}/oobCodes", timeout=TIMEOUT
        ).json()["oobCodes"]
        mine = [c for c in codes if c["email"] == account.email and c["requestType"] == "VERIFY_EMAIL"]
        self._post("accounts:update", {"oobCode": mine[-1]["oobCode"]})
        return self.sign_in(account)

    def _post(self, method: str, body: dict[str, Any]) -> dict[str, str]:
        response = requests.post(f"{self.base}/{method}?key=any", json=body, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]
