/**
 * The candidate's pages in the interview's language. One i18next instance of its own, so switching
 * it to the interview's language never touches the recruiter's pages. The catalogue has one file
 * per language the agent speaks (`interview_core.domain.models.SUPPORTED_LANGUAGES`, the one source
 * of truth; tests/unit/test_candidate_catalogue.py checks the files against it and
 * catalogue.test.ts checks every file has every English key).
 */
import { createInstance, type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import de from './candidate/de.json';
import en from './candidate/en.json';
import es from './candidate/es.json';
import fr from './candidate/fr.json';
import it from './candidate/it.json';
import nl from './candidate/nl.json';
import pt from './candidate/pt.json';

export const CANDIDATE_CATALOGUE = { en, de, fr, es, it, pt, nl } as const;

export type CandidateLanguage = keyof typeof CANDIDATE_CATALOGUE;

export const CANDIDATE_LANGUAGES = Object.keys(CANDIDATE_CATALOGUE) as CandidateLanguage[];

export const DEFAULT_CANDIDATE_LANGUAGE: CandidateLanguage = 'en';

export function isCandidateLanguage(code: unknown): code is CandidateLanguage {
  return typeof code === 'string' && Object.hasOwn(CANDIDATE_CATALOGUE, code);
}

/**
 * The language to show before the interview's is known (a link the API refuses never tells it):
 * the browser's first preferred language the catalogue has, else English.
 */
export function preferredCandidateLanguage(preferences: readonly string[] = navigator.languages ?? []): CandidateLanguage {
  for (const tag of preferences) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isCandidateLanguage(primary)) return primary;
  }
  return DEFAULT_CANDIDATE_LANGUAGE;
}

/** A fresh instance in `language` (English for anything the catalogue lacks). */
export function createCandidateI18n(language: string = DEFAULT_CANDIDATE_LANGUAGE): I18n {
  const instance = createInstance();
  void instance.use(initReactI18next).init({
    resources: Object.fromEntries(Object.entries(CANDIDATE_CATALOGUE).map(([code, texts]) => [code, { candidate: texts }])),
    lng: isCandidateLanguage(language) ? language : DEFAULT_CANDIDATE_LANGUAGE,
    fallbackLng: DEFAULT_CANDIDATE_LANGUAGE,
    supportedLngs: CANDIDATE_LANGUAGES,
    ns: ['candidate'],
    defaultNS: 'candidate',
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes what it renders
    returnNull: false,
  });
  return instance;
}
