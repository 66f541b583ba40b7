"""Settings: local defaults need nothing; production refuses local secrets and ignores emulators."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from interview_core.settings import Settings


def test_local_defaults_point_at_the_local_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "FIRESTORE_EMULATOR_HOST",
        "GEMINI_API_KEY",
        "GEMINI_BASE_URL",
        "FIRESTORE_PORT",
        "GEMINI_PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AI_STACK_PORT_OFFSET", "0")
    settings = Settings(_env_file=None)
    assert settings.firestore_emulator_host == "127.0.0.1:8080"
    assert settings.uses_local_gemini
    assert settings.effective_gemini_base_url == "http://127.0.0.1:8790"


def test_port_offset_moves_every_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    monkeypatch.delenv("FIRESTORE_PORT", raising=False)
    monkeypatch.setenv("AI_STACK_PORT_OFFSET", "100")
    assert Settings(_env_file=None).firestore_emulator_host == "127.0.0.1:8180"


def test_a_real_key_means_googles_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_BASE_URL", raising=False)
    monkeypatch.setenv("GEMINI_API_KEY", "real-key")
    settings = Settings(_env_file=None)
    assert not settings.uses_local_gemini
    assert settings.effective_gemini_base_url is None
    assert "real-key" not in repr(settings)


def test_production_requires_secrets_and_drops_emulators(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GEMINI_BASE_URL", raising=False)
    with pytest.raises(ValidationError, match="GEMINI_API_KEY"):
        Settings(_env_file=None)
    monkeypatch.setenv("GEMINI_API_KEY", "k")
    monkeypatch.setenv("LIVEKIT_API_SECRET", "a-real-secret")
    monkeypatch.setenv("WEBHOOK_AUTH", "oidc")
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8080")
    settings = Settings(_env_file=None)
    assert settings.firestore_emulator_host is None
    monkeypatch.setenv("WEBHOOK_AUTH", "hmac")
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        Settings(_env_file=None)
