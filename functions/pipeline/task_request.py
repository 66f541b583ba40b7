"""What every Cloud Tasks target of this project checks first: who calls, and which delivery this is.

`evaluate` and the outbound webhook deliveries are tasks of this project's queues, served by the same
function with the same invoker, so they share one check: an OIDC token of the queue's service
account, for the function's URL, signed by the expected issuer (the Cloud Tasks emulator locally,
Google in the cloud).
"""

from __future__ import annotations

from flask import Request

from interview_core.adapters import oidc
from interview_core.settings import Settings

RETRY_COUNT_HEADER = "X-CloudTasks-TaskRetryCount"


def verify_task_caller(request: Request, settings: Settings) -> None:
    """Raises the DomainError to answer (401, 403, or 503 when the issuer's keys cannot be fetched)."""
    oidc.verify_caller(
        request.headers.get("Authorization"),
        issuer=settings.effective_tasks_oidc_issuer,
        audience=settings.evaluate_url,
        email=settings.tasks_service_account,
    )


def retry_count(request: Request) -> int:
    """The queue's count of earlier attempts; absent or garbled counts as the first attempt."""
    try:
        return max(0, int(request.headers.get(RETRY_COUNT_HEADER) or "0"))
    except ValueError:
        return 0
