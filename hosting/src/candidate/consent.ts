/**
 * The consent and AI-disclosure text the candidate accepts is the `consent` section of the candidate
 * catalogue in the interview's language (src/i18n/candidate/<lang>.json), versioned per language with
 * the SHA-256 of its text (src/i18n/consent.ts). The welcome page sends the version and language it
 * showed with the first token request; the server checks them against its copy
 * (functions/interview_core/domain/consent.py) and records version, hash, language and time.
 */
import { consentRecord } from '../i18n/consent';

/** What the invite route says the page is expected to show: version, language and the text's hash. */
export interface ConsentText {
  version: string;
  language: string;
  sha256?: string;
}

/** What the token request carries: which text was accepted (its hash and the time are the server's). */
export interface ConsentAcceptance {
  version: string;
  language: string;
}

/** The acceptance of the text shown in `language` (the catalogue's, or English when unsupported). */
export function acceptanceFor(language: string): ConsentAcceptance {
  const shown = consentRecord(language);
  return { version: shown.version, language: shown.language };
}
