"""The candidate page's latency figures, as the numbers the interview's trace carries.

The page's samples (POST /api/metrics/latency) are kept on the interview as `metrics.client`: per kind,
a count, a sum, a maximum and the latest values (api/routes.py). When the interview is completed the
api puts these figures on its trace (`interviewer.score.client_<kind>_mean_ms`, `_max_ms`, `_count`),
beside the agent's own, so the trace viewer shows what the candidate experienced (the same figures as
the recruiter's page, hosting/src/report/experience.ts). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping

KINDS = ("first_audio", "agent_response", "connect", "round_trip")
"""LatencySample.kind's values (domain/models.py): the only keys read, so a stored map of any shape
adds at most 12 numbers."""


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def client_latency_scores(client: object) -> dict[str, float]:
    """Mean, maximum and count per kind the page reported; kinds with no sample are left out."""
    if not isinstance(client, Mapping):
        return {}
    scores: dict[str, float] = {}
    for kind in KINDS:
        entry = client.get(kind)
        if not isinstance(entry, Mapping):
            continue
        count, total = _number(entry.get("count")), _number(entry.get("sum_ms"))
        if not count or count < 0 or total is None:
            continue
        scores[f"client_{kind}_mean_ms"] = round(total / count, 1)
        scores[f"client_{kind}_count"] = count
        if (most := _number(entry.get("max_ms"))) is not None:
            scores[f"client_{kind}_max_ms"] = round(most, 1)
    return scores
