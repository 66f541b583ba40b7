import { describe, expect, it } from 'vitest';
import type { TurnDoc } from '../types';
import { findTurnForQuote, normalise } from './quotes';

const turns: TurnDoc[] = [
  { seq: 0, role: 'agent', text: 'Tell me about a system you scaled.' },
  { seq: 1, role: 'candidate', text: 'At Acme I moved our queue to Kafka, and throughput went up ten times.' },
  { seq: 2, role: 'agent', text: 'How did you handle failures in Kafka?' },
  { seq: 3, role: 'candidate', text: "We used idempotent consumers — every message had a key — so retries couldn't double-charge." },
];

describe('findTurnForQuote', () => {
  it('finds an exact quote', () => {
    expect(findTurnForQuote('I moved our queue to Kafka', turns)).toBe(1);
  });

  it('ignores case, punctuation and curly quotes', () => {
    expect(findTurnForQuote('“we used IDEMPOTENT consumers, every message had a key”', turns)).toBe(3);
    expect(findTurnForQuote('retries couldn’t double-charge', turns)).toBe(3);
  });

  it('accepts quotes shortened with an ellipsis', () => {
    expect(findTurnForQuote('At Acme … throughput went up ten times', turns)).toBe(1);
  });

  it('prefers candidate turns over the interviewer', () => {
    expect(findTurnForQuote('Kafka', turns)).toBe(1);
  });

  it('matches a slightly misquoted sentence fuzzily', () => {
    expect(findTurnForQuote('I moved the queue over to Kafka and throughput went up ten times', turns)).toBe(1);
  });

  it('returns null for quotes that are not in the transcript', () => {
    expect(findTurnForQuote('I have led a team of fifty engineers', turns)).toBeNull();
    expect(findTurnForQuote('', turns)).toBeNull();
    expect(findTurnForQuote('...', turns)).toBeNull();
  });

  it('normalises accents and whitespace', () => {
    expect(normalise('  Café\n  Crème! ')).toBe('cafe creme');
  });
});
