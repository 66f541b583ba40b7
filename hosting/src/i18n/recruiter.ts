/**
 * The recruiter's pages' strings, through the same library as the candidate's (react-i18next).
 * English only for now: one catalogue, `recruiter/en.json`. An instance of its own, passed to
 * useTranslation, so no provider is needed and the candidate's language never leaks in.
 */
import { createInstance } from 'i18next';
import { useTranslation } from 'react-i18next';
import en from './recruiter/en.json';

export const recruiterI18n = createInstance();
void recruiterI18n.init({
  resources: { en: { recruiter: en } },
  lng: 'en',
  fallbackLng: 'en',
  ns: ['recruiter'],
  defaultNS: 'recruiter',
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes what it renders
  returnNull: false,
});

/** `t` for the recruiter's pages. */
export function useRecruiterTranslation() {
  return useTranslation('recruiter', { i18n: recruiterI18n });
}
