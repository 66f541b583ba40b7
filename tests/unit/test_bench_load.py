"""bench/load's reading of a ramp: the knee is the first error-free step near the best throughput."""

from __future__ import annotations

from collections import Counter

from bench.load import Step, error_kind, knee, pool_size


def _step(clients: int, answered: int, errors: int = 0) -> Step:
    return Step(
        clients, 1.0, latencies=[5.0] * answered, errors=Counter({"HTTP 429": errors} if errors else {})
    )


def test_the_knee_is_the_first_step_within_reach_of_the_best_throughput() -> None:
    steps = [_step(1, 50), _step(2, 100), _step(4, 190), _step(8, 200), _step(16, 205), _step(32, 198)]
    found = knee(steps)
    assert found is not None
    assert found.clients == 4  # 190/s is over 90 % of the best (205/s); doubling again buys little


def test_steps_with_errors_are_never_the_knee_nor_the_best() -> None:
    steps = [_step(1, 50), _step(2, 100), _step(4, 400, errors=3)]
    found = knee(steps)
    assert found is not None
    assert found.clients == 2
    assert knee([_step(1, 10, errors=1)]) is None


def test_error_kinds_name_the_status_or_the_exception() -> None:
    assert error_kind(RuntimeError("POST /api/x: HTTP 429: b'...'")) == "HTTP 429"
    assert error_kind(ConnectionResetError("reset")) == "ConnectionResetError"


def test_the_pool_keeps_every_invite_under_its_uses_and_the_token_limit() -> None:
    levels, seconds = [1, 2, 4, 8, 16, 32, 64], 5.0
    size = pool_size(levels, seconds, per_minute=600)
    assert size * 199 >= 1000 * seconds * len(levels)  # uses: 200 each, one taken by the first token
    assert size * 600 >= 1000 * 60  # a minute at the highest rate stays under 600 per interview
    assert pool_size(levels, seconds, per_minute=6) >= 10_000  # why the bench needs the raised limit
