"""What a candidate agrees to before the interview, and the record of it. Pure: no I/O.

The consent text is versioned here, per language, so the exact words a candidate accepted can be
shown later: the interview stores the version, the SHA-256 of the text, its language and when the
acceptance reached the server (interviews/{id}.consent). The candidate page shows the text the invite
route returns and sends its version and language back with its token request; no LiveKit token is
minted for an interview without a consent on record. A changed wording is a new version (old
versions stay listed, so their records can still be checked); a translation is another language of
the same version.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from .errors import DomainError

CONSENT_TEXT_VERSION = "consent-v1"
"""The version new invites show."""

CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "consent-v1": {
        "en": (
            "I understand that an AI conducts this interview, and I agree that a transcript is stored and "
            "evaluated into a report for the recruiter."
        ),
    },
}
"""Every consent text ever shown, by version and language."""

DEFAULT_CONSENT_LANGUAGE = "en"


class UnknownConsentText(DomainError):
    """The candidate page sent a consent version or language this server never showed."""

    code = "unknown_consent_text"
    default_message = "the consent text is not known; reload the page"


class ConsentRequired(DomainError):
    """A token was asked for before the candidate accepted the consent screen."""

    code = "consent_required"
    default_message = "accept the consent and AI-disclosure screen first"


class ConsentAcceptance(BaseModel):
    """What the candidate page sends with its token request: which text the candidate accepted."""

    model_config = ConfigDict(extra="forbid")

    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    language: Annotated[str, StringConstraints(min_length=2, max_length=10)]


class ConsentRecord(BaseModel):
    """interviews/{id}.consent: which text (version and hash), in which language, and when."""

    version: str
    text_sha256: str
    language: str
    accepted_at: datetime


def consent_text(version: str, language: str) -> str:
    text = CONSENT_TEXTS.get(version, {}).get(language)
    if text is None:
        raise UnknownConsentText()
    return text


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shown_text(language: str) -> tuple[str, str, str]:
    """(version, language, text) the candidate page shows for an interview in `language`: the
    current version in that language, else in the default language."""
    texts = CONSENT_TEXTS[CONSENT_TEXT_VERSION]
    chosen = language if language in texts else DEFAULT_CONSENT_LANGUAGE
    return CONSENT_TEXT_VERSION, chosen, texts[chosen]


def record(acceptance: ConsentAcceptance, now: datetime) -> ConsentRecord:
    """The record of an acceptance (UnknownConsentText for a text this server never showed)."""
    text = consent_text(acceptance.version, acceptance.language)
    return ConsentRecord(
        version=acceptance.version,
        text_sha256=text_sha256(text),
        language=acceptance.language,
        accepted_at=now,
    )
