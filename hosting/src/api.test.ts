import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, createInterview, parseApiError, requestRoomToken } from './api';

function mockFetch(response: Response | Error) {
  const fn = vi.fn(async () => {
    if (response instanceof Error) throw response;
    return response;
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('parseApiError', () => {
  it('reads code, detail, field and details from a problem document (RFC 9457)', () => {
    const problem = {
      type: 'tag:ai-interviewer,2026:problem:quota_exceeded',
      title: 'Too Many Requests',
      status: 429,
      detail: 'the limit is reached',
      code: 'quota_exceeded',
      limit: 'interviews_per_day',
      max: 3,
      error: { code: 'quota_exceeded', message: 'the limit is reached' },
    };
    const error = parseApiError(429, JSON.stringify(problem), '60');
    expect(error.code).toBe('quota_exceeded');
    expect(error.details).toEqual({ limit: 'interviews_per_day', max: 3 });
    expect(error.retryAfter).toBe(60);
    const invalid = parseApiError(
      422,
      JSON.stringify({ type: 'tag:x', title: 'Unprocessable Content', status: 422, detail: 'too long', code: 'invalid_field', field: 'role' }),
    );
    expect([invalid.code, invalid.message, invalid.field]).toEqual(['invalid_field', 'too long', 'role']);
  });

  it('reads code, message and field from the error envelope', () => {
    const error = parseApiError(
      422,
      JSON.stringify({ error: { code: 'validation_error', message: 'value is not a valid email', field: 'candidate.email' } }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_error');
    expect(error.message).toBe('value is not a valid email');
    expect(error.field).toBe('candidate.email');
    expect(error.retryable).toBe(false);
  });

  it('leaves field undefined when the envelope has none', () => {
    const error = parseApiError(410, JSON.stringify({ error: { code: 'invite_used_up', message: 'used up' } }));
    expect(error.code).toBe('invite_used_up');
    expect(error.field).toBeUndefined();
  });

  it('falls back to a readable message for non-JSON bodies', () => {
    const error = parseApiError(502, '<html>Bad gateway</html>');
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/isn't available/);
    expect(error.retryable).toBe(true);
  });

  it('falls back when the JSON has no error object or odd types', () => {
    expect(parseApiError(404, '{"detail": "nope"}').code).toBe('http_404');
    const odd = parseApiError(400, JSON.stringify({ error: { code: 7, message: null, field: '' } }));
    expect(odd.code).toBe('http_400');
    expect(odd.message).toBe('The request was not valid.');
    expect(odd.field).toBeUndefined();
  });

  it('parses Retry-After in seconds', () => {
    const error = parseApiError(429, JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }), '12');
    expect(error.retryAfter).toBe(12);
    expect(error.retryable).toBe(true);
  });
});

describe('apiRequest', () => {
  it('sends JSON with the bearer token and returns the parsed body', async () => {
    const fetch = mockFetch(
      new Response(JSON.stringify({ id: 'abc', invite_url: 'http://x/i/abc#s', skills: [] }), { status: 201 }),
    );
    const result = await createInterview(
      { candidate: { name: 'Ada', email: 'ada@example.com' }, role: 'Engineer', job_description: 'x'.repeat(40), language: 'en', duration_minutes: 20 },
      { idToken: 'id-token-1', workspaceId: 'team-1' },
    );
    expect(result.id).toBe('abc');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/interviews');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer id-token-1');
    expect((init.headers as Record<string, string>)['X-Workspace-Id']).toBe('team-1');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(init.body as string).candidate.email).toBe('ada@example.com');
  });

  it('sends the invite secret only in the body of the token request', async () => {
    const fetch = mockFetch(new Response(JSON.stringify({ token: 't' }), { status: 200 }));
    await requestRoomToken('int-1', 'secret-secret-secret');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/interviews/int-1/token');
    expect(url).not.toContain('secret');
    expect(JSON.parse(init.body as string)).toEqual({ invite: 'secret-secret-secret' });
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
    expect((init.headers as Record<string, string>)['X-Workspace-Id']).toBeUndefined();
  });

  it('throws the parsed ApiError on failure', async () => {
    mockFetch(
      new Response(JSON.stringify({ error: { code: 'invalid_invite', message: 'this invite link is not valid' } }), {
        status: 403,
      }),
    );
    await expect(requestRoomToken('int-1', 'wrong-secret-123456')).rejects.toMatchObject({
      status: 403,
      code: 'invalid_invite',
    });
  });

  it('turns a network failure into status 0 network_error', async () => {
    mockFetch(new TypeError('Failed to fetch'));
    const error = await apiRequest('GET', '/api/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'network_error', retryable: true });
  });

  it('returns undefined for an empty success body', async () => {
    mockFetch(new Response(null, { status: 204 }));
    await expect(apiRequest('DELETE', '/api/interviews/x')).resolves.toBeUndefined();
  });
});
