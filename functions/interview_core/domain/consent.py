"""What a candidate agrees to before the interview, and the record of it. Pure: no I/O.

The consent texts live in the web app's candidate catalogue (`hosting/src/i18n/candidate/<lang>.json`,
section `consent`), which the candidate reads and ticks, one text per supported language, each with
its own version. This table is the API's copy of what identifies them, the version and the SHA-256 of
the text, so the API can check and store what was accepted without shipping the web app's files;
`tests/unit/test_candidate_catalogue.py` keeps it equal to `hosting/src/i18n/consent.json` and
recomputes every hash from the catalogue.

The invite route tells the candidate page which version it expects for the interview's language; the
page sends the version and language it showed back with its first token request, and the interview
stores the version, the text's hash, the language and when the acceptance reached the server
(interviews/{id}.consent). No LiveKit token is minted without it. A changed wording is a new version;
a version the server does not know is refused, so a record always names a text that can be shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, StringConstraints

from .errors import DomainError


class ConsentText(NamedTuple):
    version: str
    sha256: str


CONSENT_TEXTS: dict[str, ConsentText] = {
    "en": ConsentText("en-1", "7ae326c760ef4533a4917b63dca4ee1d69b3d0258fd54e428cca4f99fb3febf5"),
    "de": ConsentText("de-1", "52af8bdaacc4efaba35c8b40f849f351b24627d14cc09e69bc871234d5a7d646"),
    "fr": ConsentText("fr-1", "16b5babb6656833082d6df4085c94169d0c037e2dff410e16c05f98d773354ec"),
    "es": ConsentText("es-1", "1359a3be57ce34150e91e2d1d9492af58b2c26afa78e9821ce412fe5110794ea"),
    "it": ConsentText("it-1", "612edc327a5f38e59a749e556107acc87ed875ac0d656bd30658181c3ee4d33c"),
    "pt": ConsentText("pt-1", "ac8873bf9910850ae7f2d728f769dd3bf366c4f29ef00a0ce9fc0830c908005b"),
    "nl": ConsentText("nl-1", "900b88c29b22664cbaeb25c07dc56c20746873c919d20cc7b7f2be9f53128935"),
}
"""The current consent text per supported language (a new text is a new version)."""

CONSENT_KEYS = ("aiNotice", "recordedHeading", "audio", "transcript", "evaluation", "agreement")
"""The catalogue keys whose values, in this order and joined by a newline, are the hashed text."""

DEFAULT_CONSENT_LANGUAGE = "en"


class UnknownConsentText(DomainError):
    """The candidate page sent a consent version or language this server does not show."""

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


def current_consent(language: str) -> ConsentText | None:
    """The consent text shown to candidates of an interview in `language`, or None if unsupported."""
    return CONSENT_TEXTS.get(language)


def is_current_consent(language: str, version: str, sha256: str) -> bool:
    """Whether the client's (language, version, hash) names the consent text shown today."""
    current = CONSENT_TEXTS.get(language)
    return current is not None and current == ConsentText(version, sha256)


def shown_text(language: str) -> tuple[str, str, str]:
    """(version, language, text hash) the candidate page shows for an interview in `language`: the
    current text in that language, else in the default language."""
    chosen = language if language in CONSENT_TEXTS else DEFAULT_CONSENT_LANGUAGE
    current = CONSENT_TEXTS[chosen]
    return current.version, chosen, current.sha256


def record(acceptance: ConsentAcceptance, now: datetime) -> ConsentRecord:
    """The record of an acceptance (UnknownConsentText for a text this server does not show)."""
    current = CONSENT_TEXTS.get(acceptance.language)
    if current is None or current.version != acceptance.version:
        raise UnknownConsentText()
    return ConsentRecord(
        version=acceptance.version,
        text_sha256=current.sha256,
        language=acceptance.language,
        accepted_at=now,
    )
