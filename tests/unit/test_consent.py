"""The consent text is versioned in the domain, and the candidate page's fallback copy is the same words."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from interview_core.domain.consent import (
    CONSENT_TEXT_VERSION,
    CONSENT_TEXTS,
    ConsentAcceptance,
    UnknownConsentText,
    record,
    shown_text,
    text_sha256,
)

FALLBACK = Path(__file__).resolve().parents[2] / "hosting" / "src" / "candidate" / "consent.ts"


def test_the_record_names_the_version_the_hash_the_language_and_the_time() -> None:
    now = datetime(2026, 12, 4, tzinfo=UTC)
    made = record(ConsentAcceptance(version=CONSENT_TEXT_VERSION, language="en"), now)
    assert made.text_sha256 == text_sha256(CONSENT_TEXTS[CONSENT_TEXT_VERSION]["en"])
    assert (made.version, made.language, made.accepted_at) == (CONSENT_TEXT_VERSION, "en", now)
    with pytest.raises(UnknownConsentText):
        record(ConsentAcceptance(version="consent-v0", language="en"), now)
    with pytest.raises(UnknownConsentText):
        record(ConsentAcceptance(version=CONSENT_TEXT_VERSION, language="xx"), now)


def test_an_untranslated_language_shows_the_default_text() -> None:
    assert shown_text("de")[:2] == (CONSENT_TEXT_VERSION, "en")


def test_the_candidate_pages_fallback_is_the_current_english_text() -> None:
    source = FALLBACK.read_text(encoding="utf-8")
    assert f"version: '{CONSENT_TEXT_VERSION}'" in source
    assert f"text: '{CONSENT_TEXTS[CONSENT_TEXT_VERSION]['en']}'" in source
