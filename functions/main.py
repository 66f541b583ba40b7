"""Cloud Functions entry points (functions-framework targets): `api`, `evaluate`, `sweep`.

Each is one HTTP function. Clients are created lazily at module level on first use, so a cold
start imports quickly and warm requests reuse connections.
"""

from __future__ import annotations

import gc
from functools import cache

import functions_framework
from flask import Request, Response
from werkzeug.exceptions import HTTPException

from api.routes import app as api_app
from api.routes import http_problem
from interview_core import metrics, tracing
from interview_core.observability import configure_logging
from interview_core.settings import WEBHOOK_DELIVERY_PATH, get_settings

configure_logging(get_settings().log_format)

# The functions-framework routes every path to the function through its own Flask app, and answers
# itself, in HTML, what its catch-all route cannot match (a path with a newline: `/api/interviews/%0A`).
# Its public error hook makes those answers the same problem+json documents as the API's own 404s.
functions_framework.errorhandler(HTTPException)(http_problem)
gc.freeze()  # the modules just imported live as long as the process (see adapters/clients.per_process)


@cache
def traced(function: str) -> bool:
    """Install this function's meter and tracer providers on its first request (one function per
    process); True when spans are exported."""
    metrics.configure_metrics(function, get_settings())
    return tracing.configure_tracing(function, get_settings()) is not None


@functions_framework.http
def api(request: Request) -> Response:
    """The recruiter and candidate REST API (routes in api/routes.py)."""
    traced("api")
    with api_app.request_context(request.environ):
        return api_app.full_dispatch_request()


@functions_framework.http
def evaluate(request: Request) -> Response:
    """Cloud Tasks target: evaluates one finished interview (pipeline/evaluate.py).

    Imported on first call, so the api's cold start does not pay for the pipeline's modules. The same
    function also runs outbound webhook deliveries (pipeline/webhook_delivery.py) at their own path:
    both are tasks of this project's queues, with the same invoker and OIDC check.
    """
    if request.path == WEBHOOK_DELIVERY_PATH:
        from pipeline.webhook_delivery import handle as deliver

        traced("evaluate")
        return deliver(request)
    from pipeline.evaluate import handle

    if traced("evaluate"):
        try:
            return handle(request)
        finally:
            tracing.flush()  # the instance may be frozen once the task is answered
    return handle(request)


@functions_framework.http
def sweep(request: Request) -> Response:
    """Scheduled housekeeping: abandoned interviews, expired invites, stalled evaluations (pipeline/sweep)."""
    from pipeline.sweep import handle

    traced("sweep")
    return handle(request)
