/**
 * The typed client of the `api` function. It never imports Firebase: the recruiter side passes
 * its credentials in (an ID token and the chosen workspace, sent as `Authorization` and
 * `X-Workspace-Id`), the candidate side passes its invite secret in a request body (and nowhere else).
 *
 * Every failure becomes an ApiError: the server's RFC 9457 problem document (`application/problem+json`:
 * `type`, `title`, `status`, `detail`, and the extensions `code`, `field` and details such as a quota's
 * `limit`), or a synthetic one for network failures (status 0, code "network_error") and non-JSON answers.
 */
import { config } from './config';
import { quotaMessage } from './lib/quota';
import type { ConsentAcceptance, ConsentText } from './candidate/consent';
import type {
  CreateInterviewRequest,
  CreatedInterview,
  CreatedInvitation,
  CreateInvitationRequest,
  EmailDelivery,
  Invitation,
  InvitationPreview,
  InvitationSecret,
  InterviewDoc,
  JoinedWorkspace,
  LatencyReport,
  Me,
  Member,
  PlannedQuestion,
  ReviewPlan,
  Role,
  RoomToken,
  SentInvite,
  Skill,
  TokenRequest,
  WorkspaceInfo,
  WorkspaceSettings,
  WorkspaceSettingsPatch,
  WorkspaceUsage,
} from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** Seconds, from a Retry-After header (429, 503). */
  readonly retryAfter?: number;
  /** The envelope's other fields, e.g. `limit`, `max` and `resets_at` of a 429 `quota_exceeded`. */
  readonly details: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    message: string,
    field?: string,
    retryAfter?: number,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
    this.details = details;
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

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'instance', 'error']);

/**
 * The members of a problem document that the app reads: `code`, `detail`, `field` and the error's
 * details (the RFC's own members left out). An older `{"error": {"code", "message"}}` body is read
 * the same way; anything else is no problem document.
 */
function asProblem(parsed: unknown): Record<string, unknown> | undefined {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const body = parsed as Record<string, unknown>;
  if ('code' in body || 'detail' in body) {
    return Object.fromEntries(Object.entries(body).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
  }
  const legacy = body.error;
  if (legacy && typeof legacy === 'object') {
    const { message, ...rest } = legacy as Record<string, unknown>;
    return { ...rest, detail: message };
  }
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
  const problem = asProblem(parsed);
  if (problem) {
    const { code, detail, field, ...details } = problem;
    const text = typeof detail === 'string' && detail ? detail : fallback;
    const finalCode = typeof code === 'string' && code ? code : `http_${status}`;
    return new ApiError(
      status,
      finalCode,
      // A quota refusal says which limit, its value and when it resets, in the team's words.
      finalCode === 'quota_exceeded' ? quotaMessage(details, text, retryAfter) : text,
      typeof field === 'string' && field ? field : undefined,
      retryAfter,
      details,
    );
  }
  return new ApiError(status, status >= 500 ? 'unavailable' : `http_${status}`, fallback, undefined, retryAfter);
}

export function networkError(cause?: unknown): ApiError {
  const error = new ApiError(0, 'network_error', FALLBACK_MESSAGES[0]);
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
  return error;
}

/** Who calls a recruiter route: the Firebase ID token and the workspace chosen in the header. */
export interface Credentials {
  idToken: string;
  /** Sent as X-Workspace-Id; routes for people who are not members yet go without it. */
  workspaceId?: string | null;
}

export interface RequestOptions {
  body?: unknown;
  idToken?: string;
  workspaceId?: string | null;
  signal?: AbortSignal;
  keepalive?: boolean;
}

export const WORKSPACE_HEADER = 'X-Workspace-Id';

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idToken) headers.Authorization = `Bearer ${options.idToken}`;
  if (options.workspaceId) headers[WORKSPACE_HEADER] = options.workspaceId;
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

/** GET a file export (CSV, JSON, PDF) with the credentials and save it under the server's file name. */
export async function downloadExport(path: string, auth: Credentials, params: Record<string, string> = {}): Promise<void> {
  const query = new URLSearchParams(params).toString();
  const headers: Record<string, string> = { Authorization: `Bearer ${auth.idToken}` };
  if (auth.workspaceId) headers[WORKSPACE_HEADER] = auth.workspaceId;
  let response: Response;
  try {
    response = await fetch(`${config.apiBase}${path}${query ? `?${query}` : ''}`, {
      headers,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (cause) {
    throw networkError(cause);
  }
  if (!response.ok) {
    throw parseApiError(response.status, await response.text().catch(() => ''), response.headers.get('Retry-After'));
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'export';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The dashboard's list as CSV, filtered as it shows it. */
export function exportInterviewsCsv(
  auth: Credentials,
  filters: { search: string; status: string; sort: string; mine: boolean },
) {
  return downloadExport('/api/exports/interviews.csv', auth, {
    q: filters.search.trim(),
    status: filters.status,
    sort: filters.sort,
    mine: String(filters.mine),
  });
}

/** The report as JSON or PDF. */
export function exportReport(id: string, format: 'json' | 'pdf', auth: Credentials) {
  return downloadExport(`/api/reports/${enc(id)}/export.${format}`, auth);
}

// Recruiter ---------------------------------------------------------------------------------------

/** A recruiter route's options: the credentials as headers, plus the body and signal. */
function withAuth(auth: Credentials, extra: Omit<RequestOptions, 'idToken' | 'workspaceId'> = {}): RequestOptions {
  return { ...extra, idToken: auth.idToken, workspaceId: auth.workspaceId };
}

/** Who the signed-in account is and its workspaces; answers accounts without any (workspaces: []). */
export function getMe(idToken: string, signal?: AbortSignal) {
  return apiRequest<Me>('GET', '/api/me', { idToken, signal });
}

export interface InterviewPage {
  interviews: InterviewDoc[];
  next_page_token?: string | null;
}

/** The workspace's interviews, newest first; `mine` keeps only those the caller created. */
export function listInterviews(auth: Credentials, params: { mine?: boolean; pageSize?: number; pageToken?: string } = {}) {
  const query = new URLSearchParams();
  if (params.mine) query.set('mine', 'true');
  if (params.pageSize) query.set('page_size', String(params.pageSize));
  if (params.pageToken) query.set('page_token', params.pageToken);
  const suffix = query.toString() ? `?${query}` : '';
  return apiRequest<InterviewPage>('GET', `/api/interviews${suffix}`, withAuth(auth));
}

export function createInterview(body: CreateInterviewRequest, auth: Credentials, signal?: AbortSignal) {
  return apiRequest<CreatedInterview>('POST', '/api/interviews', withAuth(auth, { body, signal }));
}

/** Replace a draft's reviewed plan (skills, weights, anchors, questions); 409 once the invite is sent. */
export function editPlan(
  id: string,
  body: { base_version: number; skills: Skill[]; question_plan: PlannedQuestion[] },
  auth: Credentials,
) {
  return apiRequest<ReviewPlan>('PUT', `/api/interviews/${enc(id)}/plan`, withAuth(auth, { body }));
}

/** Approve the plan and mint the invite link (draft -> invited). */
export function sendInvite(id: string, auth: Credentials) {
  return apiRequest<SentInvite>('POST', `/api/interviews/${enc(id)}/send-invite`, withAuth(auth));
}

/** Attach the candidate's CV (a PDF) to a draft; the plan is regenerated from it unless `replan` is false. */
export async function uploadCv(id: string, file: Blob, filename: string, auth: Credentials, replan = true) {
  const query = new URLSearchParams({ filename, replan: replan ? '1' : '0' });
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/pdf',
    Authorization: `Bearer ${auth.idToken}`,
  };
  if (auth.workspaceId) headers[WORKSPACE_HEADER] = auth.workspaceId;
  let response: Response;
  try {
    response = await fetch(`${config.apiBase}/api/interviews/${enc(id)}/cv?${query}`, {
      method: 'POST',
      headers,
      body: file,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (cause) {
    throw networkError(cause);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw parseApiError(response.status, text, response.headers.get('Retry-After'));
  return JSON.parse(text) as ReviewPlan;
}

export function cancelInterview(id: string, auth: Credentials) {
  return apiRequest<unknown>('POST', `/api/interviews/${enc(id)}/cancel`, withAuth(auth, { body: {} }));
}

/** Email the candidate a fresh invite link (earlier links keep working). */
export function resendInviteEmail(id: string, auth: Credentials) {
  return apiRequest<{ id: string; invite_email: EmailDelivery }>(
    'POST',
    `/api/interviews/${enc(id)}/invite-email`,
    withAuth(auth, { body: {} }),
  );
}

export function reevaluateInterview(id: string, auth: Credentials) {
  return apiRequest<unknown>('POST', `/api/interviews/${enc(id)}/reevaluate`, withAuth(auth, { body: {} }));
}

export function deleteInterview(id: string, auth: Credentials) {
  return apiRequest<unknown>('DELETE', `/api/interviews/${enc(id)}`, withAuth(auth));
}

/** Mark a report whose integrity asks for it reviewed: its withheld recommendation is released. */
export function reviewReport(id: string, auth: Credentials) {
  return apiRequest<unknown>('POST', `/api/interviews/${enc(id)}/report/review`, withAuth(auth, { body: {} }));
}

/** The report through the API; the report page calls it once per view so that `report.viewed` is audited. */
export function getReport(id: string, auth: Credentials, signal?: AbortSignal) {
  return apiRequest<unknown>('GET', `/api/reports/${enc(id)}`, withAuth(auth, { signal }));
}

// Workspace (team) --------------------------------------------------------------------------------

export function getWorkspace(auth: Credentials, signal?: AbortSignal) {
  return apiRequest<WorkspaceInfo>('GET', '/api/workspace', withAuth(auth, { signal }));
}

export function updateWorkspaceSettings(patch: WorkspaceSettingsPatch, auth: Credentials) {
  return apiRequest<WorkspaceSettings>('PATCH', '/api/workspace/settings', withAuth(auth, { body: patch }));
}

export function getWorkspaceUsage(auth: Credentials, signal?: AbortSignal) {
  return apiRequest<WorkspaceUsage>('GET', '/api/workspace/usage', withAuth(auth, { signal }));
}

/** One entry of the team's audit log (GET /api/workspace/audit, admins). */
export interface AuditEntry {
  id: string;
  at: string;
  actor_uid: string;
  action: string;
  target: string;
  detail: Record<string, string | number | boolean | null>;
}

export interface AuditPage {
  entries: AuditEntry[];
  next_page_token: string | null;
}

export function listAudit(auth: Credentials, params: { pageSize?: number; pageToken?: string } = {}, signal?: AbortSignal) {
  const query = new URLSearchParams();
  if (params.pageSize) query.set('page_size', String(params.pageSize));
  if (params.pageToken) query.set('page_token', params.pageToken);
  const suffix = query.size ? `?${query}` : '';
  return apiRequest<AuditPage>('GET', `/api/workspace/audit${suffix}`, withAuth(auth, { signal }));
}

export function listMembers(auth: Credentials, signal?: AbortSignal) {
  return apiRequest<{ members: Member[] }>('GET', '/api/workspace/members', withAuth(auth, { signal }));
}

export function changeMemberRole(uid: string, role: Role, auth: Credentials) {
  return apiRequest<unknown>('PATCH', `/api/workspace/members/${enc(uid)}`, withAuth(auth, { body: { role } }));
}

export function removeMember(uid: string, auth: Credentials) {
  return apiRequest<unknown>('DELETE', `/api/workspace/members/${enc(uid)}`, withAuth(auth));
}

export function listInvitations(auth: Credentials, signal?: AbortSignal) {
  return apiRequest<{ invitations: Invitation[] }>('GET', '/api/workspace/invitations', withAuth(auth, { signal }));
}

export function createInvitation(body: CreateInvitationRequest, auth: Credentials) {
  return apiRequest<CreatedInvitation>('POST', '/api/workspace/invitations', withAuth(auth, { body }));
}

export function revokeInvitation(id: string, auth: Credentials) {
  return apiRequest<unknown>('DELETE', `/api/workspace/invitations/${enc(id)}`, withAuth(auth));
}

// Joining (not a member yet: no X-Workspace-Id) ---------------------------------------------------

/** What an invitation offers (team, role, email), checked with its secret; nothing is used up. */
export function lookupInvitation(body: InvitationSecret, signal?: AbortSignal) {
  return apiRequest<InvitationPreview>('POST', '/api/invitations/lookup', { body, signal });
}

export function acceptInvitation(body: InvitationSecret, idToken: string) {
  return apiRequest<JoinedWorkspace>('POST', '/api/invitations/accept', { body, idToken });
}

/** Joins a workspace that lets verified addresses of its allowed domains in (as viewers). */
export function joinWorkspaceByDomain(workspaceId: string, idToken: string) {
  return apiRequest<JoinedWorkspace>('POST', `/api/workspaces/${enc(workspaceId)}/join`, { body: {}, idToken });
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
  /** The consent text to show, versioned by the server (candidate/consent.ts). */
  consent?: ConsentText;
}

/** A room token; the first one of an interview needs the consent the candidate accepted. */
export function requestRoomToken(id: string, invite: string, consent?: ConsentAcceptance, signal?: AbortSignal, warm = false) {
  const body: TokenRequest = consent ? { invite, consent } : { invite };
  if (warm) body.warm = true;
  return apiRequest<RoomToken>('POST', `/api/interviews/${enc(id)}/token`, { body, signal });
}

export function sendLatency(report: LatencyReport, keepalive = false) {
  return apiRequest<unknown>('POST', '/api/metrics/latency', { body: report, keepalive });
}
