import { describe, expect, it } from 'vitest';
import { parseApiError } from '../api';
import { quotaMessage, resetPhrase } from './quota';

const NOW = new Date('2030-01-01T15:00:00Z');
const at = (iso: string) => resetPhrase(new Date(iso), NOW);

describe('quotaMessage', () => {
  it('names the daily interview limit, its value and the reset time', () => {
    const message = quotaMessage(
      { limit: 'interviews_per_day', max: 50, resets_at: '2030-01-02T00:00:00Z' },
      'quota exceeded',
      undefined,
      NOW,
    );
    expect(message).toBe(`The team's daily limit of 50 interviews is reached; it resets ${at('2030-01-02T00:00:00Z')}.`);
    expect(message).toMatch(/resets at \d\d:\d\d\.$/);
  });

  it('leaves the number out when the API does not send it, and falls back on Retry-After', () => {
    expect(quotaMessage({ limit: 'evaluations_per_day' }, 'quota exceeded', 3600, NOW)).toBe(
      `The team's daily limit of evaluations is reached; it resets ${at('2030-01-01T16:00:00Z')}.`,
    );
  });

  it('gives the date of a monthly reset', () => {
    const message = quotaMessage(
      { limit: 'model_minutes_per_month', max: 3000, resets_at: '2030-02-01T00:00:00Z' },
      'x',
      undefined,
      NOW,
    );
    expect(message).toMatch(/^The team's monthly limit of 3,000 minutes of interviews is reached; it resets on .*2030/);
  });

  it('says to wait for a running interview to end for the live limit', () => {
    expect(quotaMessage({ limit: 'live_interviews', max: 5 }, 'x', 30, NOW)).toBe(
      "The team's limit of 5 interviews running at the same time is reached; try again when one of them has ended.",
    );
  });

  it('keeps the server’s words for a limit it does not know', () => {
    expect(quotaMessage({ limit: 'something_new' }, 'Too many widgets.', undefined, NOW)).toBe('Too many widgets.');
    expect(quotaMessage({}, 'Too many widgets.', 60, NOW)).toBe(`Too many widgets; it resets ${at('2030-01-01T15:01:00Z')}.`);
  });
});

describe('parseApiError of a 429 quota_exceeded', () => {
  it('keeps the limit details and words the message for the team', () => {
    const error = parseApiError(
      429,
      JSON.stringify({
        error: { code: 'quota_exceeded', message: 'quota exceeded', limit: 'interviews_per_day', max: 50, resets_at: '2030-01-02T00:00:00Z' },
      }),
      '32400',
    );
    expect(error.code).toBe('quota_exceeded');
    expect(error.details).toEqual({ limit: 'interviews_per_day', max: 50, resets_at: '2030-01-02T00:00:00Z' });
    expect(error.retryAfter).toBe(32400);
    expect(error.message).toMatch(/^The team's daily limit of 50 interviews is reached; it resets (at|on) /);
  });
});
