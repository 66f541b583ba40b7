"""The model catalogue: the default model is current and served, each family's request settings."""

from __future__ import annotations

import pytest

from interview_core.domain import gemini_models as catalogue
from interview_core.settings import Settings


def test_the_default_text_model_is_the_catalogues_current_served_one() -> None:
    """gemini-2.5-flash was shut down on 2026-12-01 (requests answer 503): the default must be a
    model Google serves, and settings.py and the catalogue must name the same one."""
    default = Settings().gemini_model
    assert default == catalogue.DEFAULT_TEXT_MODEL
    assert catalogue.is_served_text_model(default)
    assert catalogue.CATALOGUE[default].served
    assert not catalogue.resolve(default).family.live


def test_retired_models_are_known_but_not_served() -> None:
    for retired in ("gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash"):
        assert catalogue.resolve(retired).known
        assert not catalogue.is_served_text_model(retired)


@pytest.mark.parametrize(
    ("model", "temperature", "level", "budget"),
    [
        ("gemini-3.8-flash", None, "LOW", None),  # sampling parameters deprecated; no MINIMAL
        ("models/gemini-3.6-flash", None, "LOW", None),
        ("gemini-3.5-flash-lite", None, "LOW", None),
        ("gemini-3.1-pro-preview", 1.0, "LOW", None),  # the first Gemini 3 models want 1.0
        ("gemini-2.5-flash-lite", 0.2, None, 0),  # a thinking budget, not a level
        ("gemini-3.8-flash-001", None, "LOW", None),  # a pin of a listed family, by its name
    ],
)
def test_each_family_has_its_own_request_settings(
    model: str, temperature: float | None, level: str | None, budget: int | None
) -> None:
    family = catalogue.resolve(model).family
    assert (family.temperature, family.thinking_level, family.thinking_budget) == (temperature, level, budget)


def test_every_family_asks_for_a_level_it_accepts_and_never_for_both_kinds() -> None:
    for family in (*catalogue.FAMILIES, catalogue.CONSERVATIVE):
        assert family.thinking_level is None or family.thinking_budget is None
        if family.thinking_level is not None:
            assert family.thinking_level in family.thinking_levels
    assert "MINIMAL" not in catalogue.resolve("gemini-3.8-flash").family.thinking_levels


def test_an_unknown_model_gets_the_conservative_settings() -> None:
    resolved = catalogue.resolve("some-new-model")
    assert not resolved.known
    assert resolved.family is catalogue.CONSERVATIVE
    assert (resolved.family.temperature, resolved.family.thinking_level) == (None, None)
    assert resolved.family.thinking_budget is None


def test_the_live_models_are_listed_for_the_agent_and_not_served_over_rest() -> None:
    assert "gemini-3.8-live" in catalogue.LIVE_MODELS
    assert catalogue.resolve("gemini-2.5-flash-native-audio-preview-12-2025").family.live
    assert not catalogue.LIVE_MODELS & catalogue.SERVED_TEXT_MODELS


def test_the_check_date_is_recorded_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert catalogue.CHECKED_ON in readme
    assert catalogue.DEFAULT_TEXT_MODEL in readme


def test_the_agents_live_model_has_its_family_no_thinking_level_and_extended_thinking_gets_low() -> None:
    """The agent reads what a Live model takes from here (agent_worker/model.py), and the emulator's
    strict profile refuses setups by it: plain 3.8 Live refuses a thinking level, the
    extended-thinking variant takes LOW; both have the 131,072-token window compression is sized by."""
    plain = catalogue.resolve("models/gemini-3.8-live")
    assert plain.known
    assert plain.family is catalogue.GEMINI_3_8_LIVE
    assert (plain.family.thinking_level, plain.family.thinking_budget) == (None, None)
    assert not plain.family.thinking_levels
    assert plain.family.temperature is None
    extended = catalogue.resolve("gemini-3.8-live-extended-thinking")
    assert extended.family is catalogue.GEMINI_3_8_LIVE_EXTENDED_THINKING
    assert extended.family.thinking_level == "LOW"
    assert catalogue.resolve("gemini-3.8-live-001").family is catalogue.GEMINI_3_8_LIVE
    for name in ("gemini-3.8-live", "gemini-3.8-live-extended-thinking"):
        assert catalogue.resolve(name).family.context_tokens == 131_072
        assert catalogue.is_served_live_model(name)
    assert not catalogue.is_served_live_model("gemini-2.5-flash-native-audio-preview-12-2025")
    assert not catalogue.SERVED_LIVE_MODELS & catalogue.SERVED_TEXT_MODELS
