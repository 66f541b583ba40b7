import { describe, expect, it } from 'vitest';
import { levelFromSamples, micErrorKind } from './audioLevel';

describe('levelFromSamples', () => {
  it('is 0 for silence and 1 for full scale', () => {
    expect(levelFromSamples(new Float32Array(128))).toBe(0);
    expect(levelFromSamples(new Float32Array(128).fill(1))).toBe(1);
  });

  it('maps -30 dBFS to the middle', () => {
    expect(levelFromSamples(new Float32Array(128).fill(10 ** (-30 / 20)))).toBeCloseTo(0.5, 2);
  });

  it('classifies getUserMedia errors', () => {
    expect(micErrorKind(new DOMException('no', 'NotAllowedError'))).toBe('denied');
    expect(micErrorKind(new DOMException('no', 'NotFoundError'))).toBe('not_found');
    expect(micErrorKind(new DOMException('no', 'NotReadableError'))).toBe('busy');
    expect(micErrorKind(new Error('?'))).toBe('unknown');
  });
});
