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


def test_the_api_timeout_is_hostings_limit(tf: Terraform) -> None:
    """Firebase Hosting's rewrite proxy gives up after 60 s: a longer api timeout would not help, and
    the creation budget above is sized against it."""
    assert function_timeout(tf, "api") == 60


def test_terraform_leaves_the_budgets_to_the_settings(tf: Terraform) -> None:
    """The budgets are checked here against the settings' defaults: a per-function override in
    Terraform would escape that check."""
    budget_settings = {
        "GEMINI_TIMEOUT_SECONDS",
        "GEMINI_TOTAL_BUDGET_SECONDS",
        "GEMINI_EVALUATION_TIMEOUT_SECONDS",
        "GEMINI_EVALUATION_BUDGET_SECONDS",
        "GEMINI_ATTEMPTS",
        "GEMINI_MIN_ATTEMPT_SECONDS",
    }
    for function in ("api", "evaluate"):
        assert not budget_settings & set(tf.locals[f"{function}_env"]), function


def test_terraform_deploys_the_models_the_code_defaults_to(tf: Terraform) -> None:
    """One place decides the served models (interview_core/domain/gemini_models.py, the settings);
    Terraform's defaults must not drift back to a retired one."""
    assert tf.variable_default("gemini_model") == settings_default("gemini_model")


def test_terraform_deploys_the_live_model_the_agent_defaults_to(tf: Terraform) -> None:
    """The agent's Live model is decided in agent_worker/config.py (and described by the catalogue);
    Terraform's default must follow it, not keep a retired preview."""
    from agent_worker.config import AgentSettings
    from interview_core.domain.gemini_models import SERVED_LIVE_MODELS

    default = AgentSettings.model_fields["gemini_live_model"].default
    assert tf.variable_default("agent_gemini_model") == default
    assert default in SERVED_LIVE_MODELS
