/**
 * Which consent text the candidate accepted: per language, a version and the SHA-256 of the text.
 * The text is the `consent` section of the candidate catalogue (src/i18n/candidate/<lang>.json),
 * its keys in CONSENT_KEYS order joined by "\n", as written in the catalogue (markup included).
 * Changing a consent text means a new version here: consent.test.ts fails until the hash is updated,
 * and the API's copy (interview_core/domain/consent.py) is checked against consent.json by
 * tests/unit/test_candidate_catalogue.py.
 */
import { CANDIDATE_CATALOGUE, DEFAULT_CANDIDATE_LANGUAGE, isCandidateLanguage, type CandidateLanguage } from './candidate';
import manifest from './consent.json';

export const CONSENT_KEYS = ['aiNotice', 'recordedHeading', 'audio', 'transcript', 'evaluation', 'agreement'] as const;

export interface ConsentRecord {
  language: CandidateLanguage;
  version: string;
  sha256: string;
}

export const CONSENT_VERSIONS: Record<CandidateLanguage, { version: string; sha256: string }> = manifest;

/** The exact text whose hash is recorded. */
export function consentText(language: CandidateLanguage): string {
  const texts = CANDIDATE_CATALOGUE[language].consent;
  return CONSENT_KEYS.map((key) => texts[key]).join('\n');
}

/** What to send to the API with the candidate's consent: the language shown, version and hash. */
export function consentRecord(language: string): ConsentRecord {
  const code = isCandidateLanguage(language) ? language : DEFAULT_CANDIDATE_LANGUAGE;
  return { language: code, ...CONSENT_VERSIONS[code] };
}
