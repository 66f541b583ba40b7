import { describe, expect, it } from 'vitest';
import { graceText, rejoinSentence } from './grace';

describe('the rejoin grace the candidate is told', () => {
  it('states the configured number of seconds or minutes', () => {
    expect(graceText(32)).toBe('32 seconds');
    expect(graceText(60)).toBe('60 seconds');
    expect(graceText(120)).toBe('2 minutes');
    expect(graceText(150)).toBe('2 minutes 30 seconds');
    expect(rejoinSentence(60)).toContain('within 60 seconds');
  });

  it('promises no rejoin when there is no grace, and no number it does not know', () => {
    expect(graceText(0)).toBeNull();
    expect(rejoinSentence(0)).toBe('The interview ends as soon as you leave.');
    expect(rejoinSentence(undefined)).not.toMatch(/\d|minutes/);
  });
});
