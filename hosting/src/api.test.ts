import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createInterview, deleteInterview, getMe, listInterviews, parseApiError, requestRoomToken } from './api';
import { readRequest } from './test/requests';

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

describe('the typed client (openapi-fetch)', () => {
  const auth = { idToken: 'id-token-1', workspaceId: 'team-1' };

  it('sends JSON with the bearer token and the workspace, and returns the parsed body', async () => {
    const fetch = mockFetch(
      new Response(JSON.stringify({ id: 'abc', invite_url: 'http://x/i/abc#s', skills: [] }), { status: 201 }),
    );
    const result = await createInterview(
      { candidate: { name: 'Ada', email: 'ada@example.com' }, role: 'Engineer', job_description: 'x'.repeat(40), language: 'en', duration_minutes: 20 },
      auth,
    );
    expect(result.id).toBe('abc');
    const sent = await readRequest(...(fetch.mock.calls[0] as unknown as [Request]));
    expect(sent.url).toBe('/api/interviews');
    expect(sent.method).toBe('POST');
    expect(sent.headers.authorization).toBe('Bearer id-token-1');
    expect(sent.headers['x-workspace-id']).toBe('team-1');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body).candidate.email).toBe('ada@example.com');
  });

  it('puts declared query parameters in the URL and leaves unset ones out', async () => {
    const fetch = mockFetch(new Response(JSON.stringify({ interviews: [], next_page_token: null }), { status: 200 }));
    await listInterviews(auth, { mine: true, pageSize: 5 });
    const sent = await readRequest(...(fetch.mock.calls[0] as unknown as [Request]));
    expect([sent.method, sent.url]).toEqual(['GET', '/api/interviews?mine=true&page_size=5']);
    expect(sent.body).toBe('');
  });

  it('sends the invite secret only in the body of the token request', async () => {
    const fetch = mockFetch(new Response(JSON.stringify({ token: 't' }), { status: 200 }));
    await requestRoomToken('int-1', 'secret-secret-secret');
    const sent = await readRequest(...(fetch.mock.calls[0] as unknown as [Request]));
    expect(sent.url).toBe('/api/interviews/int-1/token');
    expect(sent.url).not.toContain('secret');
    expect(JSON.parse(sent.body)).toEqual({ invite: 'secret-secret-secret' });
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['x-workspace-id']).toBeUndefined();
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

  it('reads a problem document with its Retry-After into the ApiError', async () => {
    const problem = { type: 'tag:x', title: 'Too Many Requests', status: 429, detail: 'slow down', code: 'rate_limited' };
    mockFetch(
      new Response(JSON.stringify(problem), {
        status: 429,
        headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '30' },
      }),
    );
    await expect(getMe('id-token-1')).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'slow down',
      retryAfter: 30,
      retryable: true,
    });
  });

  it('turns a network failure into status 0 network_error', async () => {
    mockFetch(new TypeError('Failed to fetch'));
    const error = await getMe('id-token-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'network_error', retryable: true });
  });

  it('says so when a success answer is not JSON', async () => {
    mockFetch(new Response('<html>proxy page</html>', { status: 200 }));
    await expect(getMe('id-token-1')).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('returns undefined for an empty success body', async () => {
    mockFetch(new Response(null, { status: 204 }));
    await expect(deleteInterview('x', auth)).resolves.toBeUndefined();
  });
});
