"""Which consent text a candidate accepted: per language, the version and the SHA-256 of the text.

The texts live in the web app's candidate catalogue (`hosting/src/i18n/candidate/<lang>.json`,
section `consent`), which the candidate reads and ticks; the web app sends the language, version and
hash it showed. This table is the API's copy, so it can store and check what was accepted without
shipping the web app's files; `tests/unit/test_candidate_catalogue.py` keeps it equal to
`hosting/src/i18n/consent.json` and recomputes every hash from the catalogue.
"""

from __future__ import annotations

from typing import NamedTuple


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


def current_consent(language: str) -> ConsentText | None:
    """The consent text shown to candidates of an interview in `language`, or None if unsupported."""
    return CONSENT_TEXTS.get(language)


def is_current_consent(language: str, version: str, sha256: str) -> bool:
    """Whether the client's (language, version, hash) names the consent text shown today."""
    current = CONSENT_TEXTS.get(language)
    return current is not None and current == ConsentText(version, sha256)
