import { describe, expect, it, vi } from 'vitest';
import { loadInfo, saveInfo, startedAt, takeInviteSecret } from './inviteSecret';

function fakeHistory() {
  return { state: { idx: 3 }, replaceState: vi.fn() };
}

describe('takeInviteSecret', () => {
  it('takes the secret from the fragment, stores it and clears the address bar', () => {
    const history = fakeHistory();
    const secret = takeInviteSecret('int-1', { hash: '#s3cr3t-s3cr3t-s3cr3t', pathname: '/i/int-1', search: '' }, sessionStorage, history);
    expect(secret).toBe('s3cr3t-s3cr3t-s3cr3t');
    expect(history.replaceState).toHaveBeenCalledWith({ idx: 3 }, '', '/i/int-1');
    // A reload has no fragment any more but still finds it.
    expect(takeInviteSecret('int-1', { hash: '', pathname: '/i/int-1', search: '' }, sessionStorage, fakeHistory())).toBe(
      's3cr3t-s3cr3t-s3cr3t',
    );
  });

  it('keeps secrets of different interviews apart and returns null without one', () => {
    takeInviteSecret('a', { hash: '#secret-for-a-xxxxxx', pathname: '/i/a', search: '' }, sessionStorage, fakeHistory());
    expect(takeInviteSecret('b', { hash: '', pathname: '/i/b', search: '' }, sessionStorage, fakeHistory())).toBeNull();
  });

  it('decodes percent-encoded fragments', () => {
    expect(takeInviteSecret('c', { hash: '#abc%2Ddef', pathname: '/i/c', search: '' }, sessionStorage, fakeHistory())).toBe('abc-def');
  });

  it('still works when storage throws', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } } as unknown as Storage;
    expect(takeInviteSecret('d', { hash: '#only-once-secret-x', pathname: '/i/d', search: '' }, broken, fakeHistory())).toBe('only-once-secret-x');
    expect(takeInviteSecret('d', { hash: '', pathname: '/i/d', search: '' }, broken, fakeHistory())).toBeNull();
  });
});

describe('interview info and start time', () => {
  it('round-trips the info', () => {
    expect(loadInfo('x')).toBeNull();
    saveInfo('x', { candidate_name: 'Ada', role: 'Engineer', duration_minutes: 30 });
    expect(loadInfo('x')).toEqual({ candidate_name: 'Ada', role: 'Engineer', duration_minutes: 30 });
  });

  it('remembers the first start time', () => {
    expect(startedAt('y', 1000)).toBe(1000);
    expect(startedAt('y', 5000)).toBe(1000);
  });
});
