"""Rate limits of the api's routes, per caller identity and per client address.

Counted in Firestore (adapters/rate_limits.py), so they hold across instances. Past a limit the
route answers 429 `rate_limited` with Retry-After (the seconds to the end of the window). The
identity is who the route knows the caller as: the recruiter's uid, or the interview id for the
candidate's and the agent's routes (their secret or token is checked first). Settings change the
limits (`RATE_LIMITS`, `RATE_LIMIT_SCALE`); the defaults are generous for people and tight for floods.
"""

from __future__ import annotations

import logging

from flask import request

from interview_core.adapters.firestore_store import utcnow
from interview_core.adapters.rate_limits import Counter, default_rate_limit_store
from interview_core.domain.errors import TokenRateLimited
from interview_core.settings import RouteLimit, Settings, get_settings

log = logging.getLogger("api")

DEFAULT_LIMITS: dict[str, RouteLimit] = {
    "create": RouteLimit(per_identity=10, per_address=30),
    "list": RouteLimit(per_identity=120, per_address=600),
    "report": RouteLimit(per_identity=120, per_address=600),
    "token": RouteLimit(per_identity=20, per_address=60),
    "latency": RouteLimit(per_identity=30, per_address=300),
    "webhook": RouteLimit(per_identity=30, per_address=600),
}
"""Requests per window (a minute by default) for each limited route."""


def limit_of(route: str, settings: Settings) -> RouteLimit:
    base = settings.rate_limits.get(route) or DEFAULT_LIMITS[route]
    scale = settings.rate_limit_scale
    return RouteLimit(
        per_identity=max(1, round(base.per_identity * scale)),
        per_address=max(1, round(base.per_address * scale)),
    )


def client_address(settings: Settings) -> str:
    """The caller's address: the socket's peer locally, the front end's X-Forwarded-For entry in
    the cloud (entries before it are the client's own claims and are not trusted)."""
    hops = settings.client_address_hops
    if hops is None:
        hops = 1 if settings.environment == "production" else 0
    if hops:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops][:64]
    return request.remote_addr or "unknown"


def enforce(route: str, identity: str | None) -> None:
    """Count this request for `route`; 429 with Retry-After when the identity or the address is over."""
    settings = get_settings()
    limit = limit_of(route, settings)
    counters = [Counter(route, "address", client_address(settings), limit.per_address)]
    if identity:
        counters.insert(0, Counter(route, "identity", identity, limit.per_identity))
    exceeded = default_rate_limit_store().count(counters, utcnow(), settings.rate_limit_window_seconds)
    if exceeded is None:
        return
    log.warning("rate limited", extra={"route": route, "by": exceeded.counter.kind})
    raise TokenRateLimited(
        exceeded.retry_after_seconds,
        f"too many {route} requests from this {exceeded.counter.kind}; try again in "
        f"{exceeded.retry_after_seconds} s",
    )
