import { LANGUAGES } from '../types';

export { END_REASON_LABELS } from '../lib/labels';

export function LANGUAGE_LABEL(code: string | undefined): string {
  if (!code) return '—';
  return LANGUAGES.find((l) => l.code === code)?.label ?? code;
}
