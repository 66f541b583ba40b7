/**
 * Evidence quotes are meant to be verbatim candidate words, but models and transcription drift in
 * punctuation, case and the odd word. Find the turn a quote came from, leniently, so the report can
 * link it. Pure, tested.
 */
import type { TurnDoc } from '../types';

export function normalise(text: string): string {
  return text
    .toLocaleLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function words(text: string): string[] {
  return normalise(text).split(' ').filter(Boolean);
}

/** Parts of a quote split at ellipses ("I built … in Go"), each at least one word. */
function parts(quote: string): string[] {
  return quote
    .split(/\.\.\.|…|\[\.\.\.\]/)
    .map(normalise)
    .filter(Boolean);
}

function containsAll(haystack: string, needles: string[]): boolean {
  return needles.length > 0 && needles.every((needle) => haystack.includes(needle));
}

/** Share of the quote's words found in the turn, in order (a longest-common-subsequence ratio). */
function orderedOverlap(quoteWords: string[], turnWords: string[]): number {
  if (quoteWords.length === 0) return 0;
  let previous = new Array<number>(turnWords.length + 1).fill(0);
  for (const qw of quoteWords) {
    const current = new Array<number>(turnWords.length + 1).fill(0);
    for (let j = 1; j <= turnWords.length; j += 1) {
      current[j] = qw === turnWords[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    }
    previous = current;
  }
  return previous[turnWords.length] / quoteWords.length;
}

const FUZZY_MIN_WORDS = 4;
const FUZZY_THRESHOLD = 0.75;

/**
 * The seq of the turn that holds the quote: candidate turns first, then any turn; exact (after
 * normalising), then with ellipses, then a fuzzy in-order word match for quotes of 4+ words.
 */
export function findTurnForQuote(quote: string, turns: TurnDoc[]): number | null {
  const quoteParts = parts(quote);
  if (quoteParts.length === 0) return null;
  const candidateTurns = turns.filter((t) => t.role === 'candidate');
  const ordered = [...candidateTurns, ...turns.filter((t) => t.role !== 'candidate')];
  const normalisedTurns = ordered.map((t) => ({ seq: t.seq, text: normalise(t.text ?? '') }));

  for (const turn of normalisedTurns) {
    if (containsAll(turn.text, quoteParts)) return turn.seq;
  }

  const quoteWords = words(quote);
  if (quoteWords.length < FUZZY_MIN_WORDS) return null;
  let best: { seq: number; score: number } | null = null;
  for (const turn of normalisedTurns.slice(0, candidateTurns.length)) {
    const score = orderedOverlap(quoteWords, turn.text.split(' '));
    if (score >= FUZZY_THRESHOLD && (!best || score > best.score)) best = { seq: turn.seq, score };
  }
  return best?.seq ?? null;
}

export function turnAnchor(seq: number): string {
  return `turn-${seq}`;
}
