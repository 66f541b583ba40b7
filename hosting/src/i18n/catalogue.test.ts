import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../types';
import { CANDIDATE_CATALOGUE, CANDIDATE_LANGUAGES, createCandidateI18n, preferredCandidateLanguage } from './candidate';

type Tree = { [key: string]: string | Tree };

/** Every leaf of a catalogue as [dotted key, text]. */
function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`),
  );
}

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
const tags = (text: string) => [...text.matchAll(/<\/?(\w+)>/g)].map((m) => m[0]);

const english = new Map(leaves(CANDIDATE_CATALOGUE.en as Tree));

describe('the candidate catalogue', () => {
  it('covers every language the recruiter can choose for an interview', () => {
    expect(new Set(CANDIDATE_LANGUAGES)).toEqual(new Set(LANGUAGES.map((l) => l.code)));
  });

  it.each(CANDIDATE_LANGUAGES.filter((l) => l !== 'en'))('%s has every English key, translated, with the same placeholders and markup', (language) => {
    const texts = new Map(leaves(CANDIDATE_CATALOGUE[language] as Tree));
    expect([...texts.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of texts) {
      expect(text.trim(), `${language}:${key}`).not.toBe('');
      expect(placeholders(text), `${language}:${key}`).toEqual(placeholders(english.get(key) ?? ''));
      expect(tags(text), `${language}:${key}`).toEqual(tags(english.get(key) ?? ''));
    }
    // Spot check that it is a translation and not a copy: the consent sentence differs from English.
    expect(texts.get('consent.agreement')).not.toBe(english.get('consent.agreement'));
  });

  it('falls back to English for a language it lacks', () => {
    const i18n = createCandidateI18n('xx');
    expect(i18n.language).toBe('en');
    expect(i18n.t('titles.welcome')).toBe('Your interview');
    expect(createCandidateI18n('de').t('welcome.durationKnown', { minutes: 20 })).toBe('bis zu 20 Minuten.');
  });

  it("starts in the browser's first preferred language it has, before the interview's is known", () => {
    expect(preferredCandidateLanguage(['de-AT', 'en'])).toBe('de');
    expect(preferredCandidateLanguage(['ja', 'pt-BR'])).toBe('pt');
    expect(preferredCandidateLanguage(['ja'])).toBe('en');
    expect(preferredCandidateLanguage([])).toBe('en');
  });
});
