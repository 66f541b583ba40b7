"""Settings: local defaults need nothing; production refuses local secrets and ignores emulators."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from interview_core.settings import EMULATOR_HOST_VARIABLES, MissingSecretError, Settings

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"


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


def test_production_refuses_missing_secrets_where_used_and_drops_emulators(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    for name in ("GEMINI_API_KEY", "GEMINI_BASE_URL", "LIVEKIT_API_SECRET", "WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name in EMULATOR_HOST_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEBHOOK_OIDC_ISSUER", "http://127.0.0.1:9999")
    # A deployable that was given no secrets still starts (sweep needs no Gemini key)...
    settings = Settings(_env_file=None)
    assert settings.firestore_emulator_host is None
    assert settings.tasks_oidc_issuer is None
    assert settings.effective_webhook_oidc_issuer == "https://accounts.google.com"
    # ...but using a secret it was not given fails loudly instead of falling back to a local default.
    with pytest.raises(MissingSecretError, match="GEMINI_API_KEY"):
        _ = settings.effective_gemini_api_key
    with pytest.raises(MissingSecretError, match="LIVEKIT_API_SECRET"):
        settings.secret("livekit_api_secret")
    with pytest.raises(MissingSecretError, match="WEBHOOK_SECRET"):
        settings.secret("webhook_secret")
    monkeypatch.setenv("GEMINI_API_KEY", "k")
    monkeypatch.setenv("LIVEKIT_API_SECRET", "a-real-secret")
    monkeypatch.setenv("WEBHOOK_SECRET", "a-real-webhook-secret")
    settings = Settings(_env_file=None)
    assert settings.effective_gemini_api_key == "k"
    assert settings.secret("livekit_api_secret") == "a-real-secret"
    assert settings.secret("webhook_secret") == "a-real-webhook-secret"


def test_local_secrets_are_the_stacks_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVEKIT_API_SECRET", raising=False)
    monkeypatch.setenv("ENVIRONMENT", "local")
    assert Settings(_env_file=None).secret("livekit_api_secret") == "secret"


@pytest.mark.parametrize("name", EMULATOR_HOST_VARIABLES)
def test_unset_environment_is_production_and_refuses_an_emulator_host(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    for each in EMULATOR_HOST_VARIABLES:
        monkeypatch.delenv(each, raising=False)
    assert Settings(_env_file=None).environment == "production"
    monkeypatch.setenv(name, "127.0.0.1:8080")
    with pytest.raises(
        ValidationError, match=f"refusing to start: {name} set while ENVIRONMENT is production"
    ):
        Settings(_env_file=None)
    monkeypatch.setenv("ENVIRONMENT", "local")
    assert Settings(_env_file=None).environment == "local"


def test_the_functions_refuse_to_start_with_emulators_and_no_environment() -> None:
    """The deployable itself (main.py, as functions-framework imports it) exits with the reason."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"}
    started = subprocess.run(
        [sys.executable, "-c", "import main"],
        cwd=FUNCTIONS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert "refusing to start: FIRESTORE_EMULATOR_HOST set while ENVIRONMENT is production" in started.stderr
    assert "ENVIRONMENT=local" in started.stderr
    env["ENVIRONMENT"] = "local"
    local = subprocess.run(
        [sys.executable, "-c", "import main"],
        cwd=FUNCTIONS_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert local.returncode == 0, local.stderr[-2000:]
