"""The completion webhook: POST {API_URL}/api/webhooks/interview-complete, authenticated, retried.

Locally the body is signed with the shared HMAC secret (interview_core.domain.webhook_signature);
in the cloud (WEBHOOK_AUTH=oidc) the request carries a Google ID token of the agent's service
account for the webhook's audience, fetched with google-auth from the metadata server. The API is
idempotent, so retrying after an unclear failure is safe. When every attempt fails the agent logs it
and gives up: the sweeper finalises abandoned interviews later.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp

from interview_core.domain import webhook_signature
from interview_core.domain.models import CompletionNotice
from interview_core.settings import Settings

from .config import AgentSettings

log = logging.getLogger("agent_worker.webhook")

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def _oidc_token(audience: str) -> str:
    """A Google-signed ID token for `audience` (blocking; call it in a thread)."""
    from google.auth.transport import requests as google_requests
    from google.oauth2 import id_token

    return str(id_token.fetch_id_token(google_requests.Request(), audience))


class WebhookNotifier:
    """Sends one CompletionNotice with retries; `send` says whether the API accepted it."""

    def __init__(
        self,
        settings: Settings,
        agent: AgentSettings,
        *,
        url: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.agent = agent
        self.url = url or agent.webhook_url
        self._sleep = sleep
        self.attempts_made = 0

    async def _headers(self, body: bytes) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.settings.webhook_auth == "oidc":
            audience = self.settings.webhook_oidc_audience or self.url
            token = await asyncio.to_thread(_oidc_token, audience)
            headers["Authorization"] = f"Bearer {token}"
            return headers
        timestamp = int(time.time())  # signed per attempt: the API refuses stale timestamps
        secret = self.settings.webhook_secret.get_secret_value()
        headers[webhook_signature.TIMESTAMP_HEADER] = str(timestamp)
        headers[webhook_signature.SIGNATURE_HEADER] = webhook_signature.sign(secret, timestamp, body)
        return headers

    async def send(self, notice: CompletionNotice) -> bool:
        body = notice.model_dump_json().encode()
        extra = {"interview_id": notice.interview_id, "end_reason": notice.end_reason.value}
        timeout = aiohttp.ClientTimeout(total=self.agent.webhook_timeout_seconds)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            for attempt in range(1, self.agent.webhook_attempts + 1):
                self.attempts_made = attempt
                outcome = "error"
                try:
                    headers = await self._headers(body)
                    async with http.post(self.url, data=body, headers=headers) as response:
                        status = response.status
                    if 200 <= status < 300:
                        log.info("completion webhook accepted", extra={**extra, "attempt": attempt})
                        return True
                    if status not in RETRYABLE_STATUSES:
                        log.error(
                            "completion webhook refused; not retrying",
                            extra={**extra, "status": status, "attempt": attempt},
                        )
                        return False
                    outcome = f"http {status}"
                except (aiohttp.ClientError, TimeoutError, OSError) as error:
                    outcome = type(error).__name__
                except Exception as error:  # e.g. no ID token available: retry, then give up
                    outcome = type(error).__name__
                if attempt == self.agent.webhook_attempts:
                    break
                delay = min(
                    self.agent.webhook_max_backoff_seconds,
                    self.agent.webhook_initial_backoff_seconds * 2 ** (attempt - 1),
                )
                log.warning(
                    "completion webhook failed; retrying",
                    extra={**extra, "outcome": outcome, "attempt": attempt, "retry_in_s": delay},
                )
                await self._sleep(delay)
        log.error(
            "completion webhook failed after every attempt; the sweeper will finalise the interview",
            extra={**extra, "attempts": self.agent.webhook_attempts},
        )
        return False
