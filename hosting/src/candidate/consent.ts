/**
 * The consent and AI-disclosure text the candidate accepts, versioned by the server
 * (functions/interview_core/domain/consent.py): the welcome page shows the text the invite route
 * returns, and sends its version and language back with the token request, so the interview records
 * exactly which words were accepted. This copy of consent-v1 in English is shown when the invite
 * details could not be read (tests/unit/test_consent.py keeps it equal to the server's).
 */
export interface ConsentText {
  version: string;
  language: string;
  text: string;
}

/** What the token request carries: which text was accepted (its hash and the time are the server's). */
export interface ConsentAcceptance {
  version: string;
  language: string;
}

export const FALLBACK_CONSENT: ConsentText = {
  version: 'consent-v1',
  language: 'en',
  text: 'I understand that an AI conducts this interview, and I agree that a transcript is stored and evaluated into a report for the recruiter.',
};

export function acceptanceOf(shown: ConsentText): ConsentAcceptance {
  return { version: shown.version, language: shown.language };
}
