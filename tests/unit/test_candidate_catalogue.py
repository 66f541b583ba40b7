"""The candidate's pages speak every language the agent speaks: one catalogue file per language in
`interview_core.domain.models.SUPPORTED_LANGUAGES` (the one source of truth; the agent's language
tables follow it too), and the API's copy of the consent versions matches the web app's, with every
hash recomputed from the catalogue's consent text."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from interview_core.domain.consent import CONSENT_KEYS, CONSENT_TEXTS, is_current_consent
from interview_core.domain.models import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "hosting" / "src" / "i18n" / "candidate"
MANIFEST = ROOT / "hosting" / "src" / "i18n" / "consent.json"
CATALOGUE_MODULE = ROOT / "hosting" / "src" / "i18n" / "candidate.ts"


def _catalogue(language: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((CATALOGUE / f"{language}.json").read_text(encoding="utf-8"))
    return data


def test_the_catalogue_has_exactly_the_supported_languages() -> None:
    files = {path.stem for path in CATALOGUE.glob("*.json")}
    assert files == set(SUPPORTED_LANGUAGES)


def test_the_catalogue_module_loads_every_supported_language() -> None:
    source = CATALOGUE_MODULE.read_text(encoding="utf-8")
    for language in SUPPORTED_LANGUAGES:
        assert f"import {language} from './candidate/{language}.json';" in source


def test_the_agent_names_every_supported_language() -> None:
    from agent_worker.instructions import LANGUAGE_NAMES
    from agent_worker.model import BCP47

    assert set(LANGUAGE_NAMES) == set(SUPPORTED_LANGUAGES)
    assert set(BCP47) == set(SUPPORTED_LANGUAGES)


def _consent_hash(language: str) -> str:
    consent = _catalogue(language)["consent"]
    assert isinstance(consent, dict)
    text = "\n".join(str(consent[key]) for key in CONSENT_KEYS)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_consent_version_names_the_text_shown(language: str) -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    current = CONSENT_TEXTS[language]
    assert manifest[language] == {"version": current.version, "sha256": current.sha256}
    assert current.sha256 == _consent_hash(language), (
        f"the {language} consent text changed: give it a new version and hash in "
        "hosting/src/i18n/consent.json and interview_core/domain/consent.py"
    )


def test_consent_versions_are_unique_and_checked() -> None:
    assert len({text.version for text in CONSENT_TEXTS.values()}) == len(CONSENT_TEXTS)
    assert set(CONSENT_TEXTS) == set(SUPPORTED_LANGUAGES)
    german = CONSENT_TEXTS["de"]
    assert is_current_consent("de", german.version, german.sha256)
    assert not is_current_consent("de", german.version, CONSENT_TEXTS["en"].sha256)
    assert not is_current_consent("de", "de-0", german.sha256)
    assert not is_current_consent("xx", german.version, german.sha256)
