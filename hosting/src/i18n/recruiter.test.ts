import { describe, expect, it } from 'vitest';
import { recruiterI18n } from './recruiter';
import en from './recruiter/en.json';

type Tree = { [key: string]: string | Tree };

/** Every leaf key of the catalogue, dotted. */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

/** The recruiter side's sources (the candidate's have their own catalogues and test). */
const SOURCES = import.meta.glob(
  ['../recruiter/*.{ts,tsx}', '../report/*.{ts,tsx}', '../team/*.{ts,tsx}', '../lib/*.ts', '../components/*.tsx'],
  { query: '?raw', import: 'default', eager: true },
) as Record<string, string>;

/** The literal keys passed to `t('…')` or `recruiterI18n.t('…')` (template keys are not checked). */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  for (const [file, text] of Object.entries(SOURCES)) {
    if (file.includes('.test.')) continue;
    for (const match of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.-]+)'/g)) used.set(match[1], file);
  }
  return used;
}

describe('the recruiter catalogue', () => {
  const known = new Set(keys(en as Tree));
  /** A key with a count resolves to `key_one` / `key_other` when those exist. */
  const resolves = (key: string) => known.has(key) || (known.has(`${key}_one`) && known.has(`${key}_other`));

  it('has every key the recruiter pages ask for', () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(200); // the scan found the pages' strings
    const missing = [...used].filter(([key]) => !resolves(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('words plurals and placeholders as English does', () => {
    expect(recruiterI18n.t('dashboard.count', { count: 1 })).toBe('1 interview');
    expect(recruiterI18n.t('dashboard.count', { count: 3 })).toBe('3 interviews');
    expect(recruiterI18n.t('review.cvAttached', { filename: 'cv.pdf', count: 2 })).toBe('Attached: cv.pdf (2 pages).');
    expect(recruiterI18n.t('audit.actions.cv.deleted')).toBe('Removed a CV');
  });
});
