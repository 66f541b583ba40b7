"""A function never outlives its own timeout waiting for Gemini.

The worst case of one `generate_structured` call (functions/interview_core/adapters/gemini.py): the
schema-validation loop runs up to GEMINI_ATTEMPTS calls, and google-genai retries each HTTP call up to
GEMINI_ATTEMPTS times, each bounded by GEMINI_TIMEOUT_SECONDS, with exponential delays (initial
GEMINI_RETRY_INITIAL_DELAY_SECONDS, doubling, at most 10 s, plus up to 1 s of jitter) between tries.
The values are the ones Terraform gives each function, else the settings' defaults.
"""

from __future__ import annotations

import pytest

from .conftest import Terraform, blocks

# Time a request needs besides the Gemini call (token check, Firestore reads and writes, cold start
# margin). The api's creation path is the tightest: its Gemini call must leave this much.
OTHER_WORK_SECONDS = {"api": 15, "evaluate": 15}
MAX_DELAY_SECONDS = 10.0  # the adapter's HttpRetryOptions(max_delay=10.0)
JITTER_SECONDS = 1.0  # google-genai's default jitter per retry


def worst_case_seconds(timeout: float, attempts: int, initial_delay: float) -> float:
    delays = sum(min(initial_delay * 2**i, MAX_DELAY_SECONDS) + JITTER_SECONDS for i in range(attempts - 1))
    one_call = attempts * timeout + delays
    return attempts * one_call


def gemini_budget(tf: Terraform, function: str) -> float:
    from interview_core.settings import Settings

    env = tf.locals[f"{function}_env"]
    defaults = {name: info.default for name, info in Settings.model_fields.items()}

    def value(name: str) -> float:
        raw = env.get(name.upper(), defaults[name])
        return float(tf.resolve(raw))

    return worst_case_seconds(
        value("gemini_timeout_seconds"),
        int(value("gemini_attempts")),
        value("gemini_retry_initial_delay_seconds"),
    )


def function_timeout(tf: Terraform, function: str) -> float:
    service = blocks(tf.resource("google_cloudfunctions2_function", function), "service_config")[0]
    return float(tf.resolve(service["timeout_seconds"]))


@pytest.mark.parametrize("function", sorted(OTHER_WORK_SECONDS))
def test_the_gemini_budget_fits_in_the_function_timeout(tf: Terraform, function: str) -> None:
    budget = gemini_budget(tf, function)
    timeout = function_timeout(tf, function)
    assert budget + OTHER_WORK_SECONDS[function] <= timeout, (
        f"{function}: Gemini may take {budget:.0f} s (+{OTHER_WORK_SECONDS[function]} s of other work) "
        f"but the function times out after {timeout:.0f} s: lower GEMINI_TIMEOUT_SECONDS/GEMINI_ATTEMPTS"
    )


def test_the_api_timeout_is_hostings_limit(tf: Terraform) -> None:
    """Firebase Hosting's rewrite proxy gives up after 60 s: a longer api timeout would not help."""
    assert function_timeout(tf, "api") == 60


def test_the_worst_case_counts_every_retry() -> None:
    assert worst_case_seconds(45, 1, 0.5) == 45
    # defaults: 3 schema attempts x (3 x 30 s + delays 0.5+1 and 1+1 s of jitter)
    assert worst_case_seconds(30, 3, 0.5) == pytest.approx(3 * (90 + 1.5 + 2))
    assert worst_case_seconds(30, 3, 0.5) > 60
