"""The consent text is versioned per language, and a record names a text the server knows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interview_core.domain.consent import (
    CONSENT_TEXTS,
    ConsentAcceptance,
    UnknownConsentText,
    record,
    shown_text,
)


def test_the_record_names_the_version_the_hash_the_language_and_the_time() -> None:
    now = datetime(2026, 12, 4, tzinfo=UTC)
    german = CONSENT_TEXTS["de"]
    made = record(ConsentAcceptance(version=german.version, language="de"), now)
    assert made.text_sha256 == german.sha256
    assert (made.version, made.language, made.accepted_at) == (german.version, "de", now)
    with pytest.raises(UnknownConsentText):
        record(ConsentAcceptance(version="de-0", language="de"), now)
    with pytest.raises(UnknownConsentText):  # another language's version is not this one's
        record(ConsentAcceptance(version=CONSENT_TEXTS["en"].version, language="de"), now)
    with pytest.raises(UnknownConsentText):
        record(ConsentAcceptance(version="en-1", language="xx"), now)


def test_each_language_shows_its_own_text_and_an_unsupported_one_the_default() -> None:
    assert shown_text("de") == (CONSENT_TEXTS["de"].version, "de", CONSENT_TEXTS["de"].sha256)
    assert shown_text("xx")[:2] == (CONSENT_TEXTS["en"].version, "en")
