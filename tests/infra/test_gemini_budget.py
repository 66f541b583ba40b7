"""Gemini's time budgets fit the functions' timeouts (settings.py against infra/functions.tf).

A structured call ends within its total budget, attempts and waits included (adapters/gemini.py);
the function around it has a hard timeout. The budget must leave the rest of the request room
(Firestore, Cloud Tasks, the report's transaction and archive), or a slow Gemini day turns into
the platform killing requests half-way. Whoever changes a timeout or a budget sees this fail.
"""

from __future__ import annotations

from .conftest import Terraform, blocks, settings_default

MARGIN_SECONDS = 10
"""What the rest of a create request or an evaluate delivery needs besides the Gemini call."""


def function_timeout(tf: Terraform, name: str) -> int:
    [service] = blocks(tf.resource("google_cloudfunctions2_function", name), "service_config")
    return int(tf.resolve(service["timeout_seconds"]))


def test_the_request_budget_fits_the_api_functions_timeout(tf: Terraform) -> None:
    budget = settings_default("gemini_total_budget_seconds")
    per_attempt = settings_default("gemini_timeout_seconds")
    assert per_attempt <= budget
    assert budget + MARGIN_SECONDS <= function_timeout(tf, "api")


def test_the_evaluation_budget_fits_the_evaluate_functions_timeout(tf: Terraform) -> None:
    budget = settings_default("gemini_evaluation_budget_seconds")
    per_attempt = settings_default("gemini_evaluation_timeout_seconds")
    assert per_attempt <= budget
    assert budget + MARGIN_SECONDS <= function_timeout(tf, "evaluate")
