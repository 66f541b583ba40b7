/**
 * The typed client of the `api` function. It never imports Firebase: the recruiter side passes
 * an ID token in, the candidate side passes its invite secret in a request body (and nowhere else).
 *
 * Every failure becomes an ApiError: the server's `{"error": {"code", "message", "field"?}}`, or a
 * synthetic one for network failures (status 0, code "network_error") and non-JSON answers.
 */
import { config } from './config';
import type {
  CreateInterviewRequest,
  CreatedInterview,
  LatencyReport,
  RoomToken,
} from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** Seconds, from a Retry-After header (429, 503). */
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  /** Network failures, 5xx and 429 may succeed later; 4xx will not. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  0: "We can't reach the interview service. Check your connection and try again.",
  400: 'The request was not valid.',
  401: 'Your session has expired. Please sign in again.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  409: 'This conflicts with the current state. Refresh and try again.',
  410: 'This is no longer available.',
  413: 'The request is too large.',
  422: 'Some fields are not valid.',
  429: 'Too many requests. Please wait a moment and try again.',
};

function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return undefined;
}

/** Build an ApiError from a failed response's status, body text and Retry-After header. */
export function parseApiError(status: number, bodyText: string, retryAfterHeader?: string | null): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  const fallback =
    FALLBACK_MESSAGES[status] ?? (status >= 500 ? "The interview service isn't available right now." : 'Request failed.');
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  const error = (parsed as { error?: unknown } | undefined)?.error;
  if (error && typeof error === 'object') {
    const { code, message, field } = error as Record<string, unknown>;
    return new ApiError(
      status,
      typeof code === 'string' && code ? code : `http_${status}`,
      typeof message === 'string' && message ? message : fallback,
      typeof field === 'string' && field ? field : undefined,
      retryAfter,
    );
  }
  return new ApiError(status, status >= 500 ? 'unavailable' : `http_${status}`, fallback, undefined, retryAfter);
}

export function networkError(cause?: unknown): ApiError {
  const error = new ApiError(0, 'network_error', FALLBACK_MESSAGES[0]);
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
  return error;
}

export interface RequestOptions {
  body?: unknown;
  idToken?: string;
  signal?: AbortSignal;
  keepalive?: boolean;
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idToken) headers.Authorization = `Bearer ${options.idToken}`;
  let response: Response;
  try {
    response = await fetch(`${config.apiBase}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      keepalive: options.keepalive,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError(cause);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw parseApiError(response.status, text, response.headers.get('Retry-After'));
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'invalid_response', 'The service sent an answer we could not read.');
  }
}

const enc = encodeURIComponent;

// Recruiter ---------------------------------------------------------------------------------------

export function createInterview(body: CreateInterviewRequest, idToken: string, signal?: AbortSignal) {
  return apiRequest<CreatedInterview>('POST', '/api/interviews', { body, idToken, signal });
}

export function cancelInterview(id: string, idToken: string) {
  return apiRequest<unknown>('POST', `/api/interviews/${enc(id)}/cancel`, { idToken, body: {} });
}

export function reevaluateInterview(id: string, idToken: string) {
  return apiRequest<unknown>('POST', `/api/interviews/${enc(id)}/reevaluate`, { idToken, body: {} });
}

export function deleteInterview(id: string, idToken: string) {
  return apiRequest<unknown>('DELETE', `/api/interviews/${enc(id)}`, { idToken });
}

// Candidate ---------------------------------------------------------------------------------------

/** The welcome page's details; checks the invite without using it up. */
export function requestInviteInfo(id: string, invite: string, signal?: AbortSignal) {
  return apiRequest<InviteInfo>('POST', `/api/interviews/${enc(id)}/invite`, { body: { invite }, signal });
}

export interface InviteInfo {
  candidate_name: string;
  role: string;
  duration_minutes: number;
  language: string;
  status: string;
  expires_at: string;
}

export function requestRoomToken(id: string, invite: string, signal?: AbortSignal) {
  return apiRequest<RoomToken>('POST', `/api/interviews/${enc(id)}/token`, { body: { invite }, signal });
}

export function sendLatency(report: LatencyReport, keepalive = false) {
  return apiRequest<unknown>('POST', '/api/metrics/latency', { body: report, keepalive });
}
