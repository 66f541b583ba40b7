import { describe, expect, it } from 'vitest';
import { CANDIDATE_LANGUAGES } from './candidate';
import { CONSENT_VERSIONS, consentRecord, consentText } from './consent';

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('consent versions', () => {
  it.each(CANDIDATE_LANGUAGES)('%s: the recorded hash is the hash of the text shown', async (language) => {
    const hash = await sha256(consentText(language));
    expect(CONSENT_VERSIONS[language].sha256, 'the consent text changed: give it a new version and hash in consent.json').toBe(hash);
    expect(CONSENT_VERSIONS[language].version.startsWith(`${language}-`)).toBe(true);
  });

  it('names the language, version and hash to store with the consent', () => {
    expect(consentRecord('de')).toEqual({ language: 'de', ...CONSENT_VERSIONS.de });
    expect(consentRecord('xx').language).toBe('en');
  });
});
