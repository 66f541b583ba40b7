import { describe, expect, it } from 'vitest';
import { bannerMessage, fieldForApiError, fieldMessage, INITIAL_VALUES, toRequest, validate, type FormValues } from './createForm';

const valid: FormValues = {
  candidateName: '  Ada Lovelace ',
  candidateEmail: 'ada@example.com',
  role: 'Backend engineer',
  jobDescription: 'We are looking for a backend engineer who knows Python and Go.',
  language: 'de',
  durationMinutes: '30',
};

describe('validate', () => {
  it('accepts a complete form', () => {
    expect(validate(valid)).toEqual({});
  });

  it('flags every required field of the empty form', () => {
    const errors = validate(INITIAL_VALUES);
    expect(Object.keys(errors).sort()).toEqual(['candidate.email', 'candidate.name', 'job_description', 'role']);
  });

  it('checks the job description length after trimming, 30 to 20000', () => {
    expect(validate({ ...valid, jobDescription: `   ${'a'.repeat(29)}   ` }).job_description).toMatch(/at least 30/);
    expect(validate({ ...valid, jobDescription: 'a'.repeat(30) }).job_description).toBeUndefined();
    expect(validate({ ...valid, jobDescription: 'a'.repeat(20_000) }).job_description).toBeUndefined();
    expect(validate({ ...valid, jobDescription: 'a'.repeat(20_001) }).job_description).toMatch(/20,000/);
  });

  it('checks the duration is a whole number from 5 to 60', () => {
    for (const bad of ['4', '61', '7.5', '', 'abc']) {
      expect(validate({ ...valid, durationMinutes: bad }).duration_minutes).toBeDefined();
    }
    for (const good of ['5', '60', '45']) {
      expect(validate({ ...valid, durationMinutes: good }).duration_minutes).toBeUndefined();
    }
  });

  it('rejects malformed emails, long names, control characters and short roles', () => {
    expect(validate({ ...valid, candidateEmail: 'ada@' })['candidate.email']).toBeDefined();
    expect(validate({ ...valid, candidateName: 'x'.repeat(121) })['candidate.name']).toBeDefined();
    expect(validate({ ...valid, candidateName: 'Ada\u0007' })['candidate.name']).toBeDefined();
    expect(validate({ ...valid, role: 'x' }).role).toBeDefined();
  });
});

describe('toRequest', () => {
  it('trims text and converts the duration', () => {
    expect(toRequest(valid)).toEqual({
      candidate: { name: 'Ada Lovelace', email: 'ada@example.com' },
      role: 'Backend engineer',
      job_description: valid.jobDescription,
      language: 'de',
      duration_minutes: 30,
    });
  });
});

describe('fieldForApiError', () => {
  it.each([
    ['candidate.email', 'candidate.email'],
    ['candidate.name', 'candidate.name'],
    ['body.candidate.email', 'candidate.email'],
    ['candidate[email]', 'candidate.email'],
    ['candidate/email', 'candidate.email'],
    ['job_description', 'job_description'],
    ['duration_minutes', 'duration_minutes'],
    ['language', 'language'],
    ['role', 'role'],
    ['candidate', 'candidate.name'],
  ])('maps %s to %s', (field, expected) => {
    expect(fieldForApiError(field)).toBe(expected);
  });

  it.each([undefined, null, '', 'options.invite_ttl_hours', 'roles', 'unknown'])('has no field for %s', (field) => {
    expect(fieldForApiError(field)).toBeNull();
  });

  it('names an unmapped field in the banner text', () => {
    expect(bannerMessage({ message: 'too large', field: 'options.invite_max_uses' })).toBe('options.invite_max_uses: too large');
    expect(bannerMessage({ message: 'Gemini is unavailable' })).toBe('Gemini is unavailable');
    expect(bannerMessage({ message: 'options.invite_max_uses: too large', field: 'options.invite_max_uses' })).toBe(
      'options.invite_max_uses: too large',
    );
  });

  it('drops the path prefix the API puts in front of field messages', () => {
    expect(fieldMessage({ message: 'candidate.email: value is not a valid email address', field: 'candidate.email' })).toBe(
      'Value is not a valid email address',
    );
    expect(fieldMessage({ message: 'The domain does not exist', field: 'candidate.email' })).toBe('The domain does not exist');
  });
});
