/**
 * The typed client of the `api` function, on openapi-fetch with the paths generated from the server's
 * OpenAPI document (generated/api.d.ts, `make openapi`): `tsc -b` checks every route, path parameter,
 * query parameter and JSON body against what the server declares. It never imports Firebase: the
 * recruiter side passes its credentials in (an ID token and the chosen workspace, sent as
 * `Authorization` and `X-Workspace-Id`), the candidate side passes its invite secret in a request body
 * (and nowhere else).
 *
 * Every failure becomes an ApiError: the server's RFC 9457 problem document (`application/problem+json`:
 * `type`, `title`, `status`, `detail`, and the extensions `code`, `field` and details such as a quota's
 * `limit`), or a synthetic one for network failures (status 0, code "network_error") and non-JSON answers.
 */
import createClient from 'openapi-fetch';
import { config } from './config';
import type { components, operations, paths } from './generated/api';
import { quotaMessage } from './lib/quota';
import type { ConsentAcceptance, ConsentText } from './candidate/consent';
import type {
  CreateInterviewRequest,
  CreatedInterview,
  CreatedInvitation,
  CreateInvitationRequest,
  CreateWebhookRequest,
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
  WebhookEvent,
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

/** How one call is sent: its credentials, and its abort signal and keepalive flag. */
export interface CallOptions {
  idToken?: string;
  workspaceId?: string | null;
  signal?: AbortSignal;
  keepalive?: boolean;
}

export const WORKSPACE_HEADER = 'X-Workspace-Id';

/**
 * The generated client. openapi-fetch builds a Request, which needs an absolute URL outside a page
 * (the unit tests), so an empty apiBase means this page's origin, as it does in the browser.
 */
const client = createClient<paths>({
  baseUrl: config.apiBase || globalThis.location?.origin || '',
  credentials: 'omit',
  cache: 'no-store',
});

/**
 * The headers and transport of one call. The signal goes to fetch itself, not into openapi-fetch's
 * Request (a Request refuses a signal of another realm, as jsdom's is in the unit tests), and fetch
 * is looked up at each call, so a page or a test that replaces it is the one used.
 */
function sendWith(options: CallOptions) {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.idToken) headers.Authorization = `Bearer ${options.idToken}`;
  if (options.workspaceId) headers[WORKSPACE_HEADER] = options.workspaceId;
  return {
    headers,
    keepalive: options.keepalive,
    parseAs: 'text' as const,
    fetch: (request: Request) => globalThis.fetch(request, { signal: options.signal }),
  };
}

/** What openapi-fetch answers: the body (as parsed by `parseAs`) on success, the error body otherwise. */
interface Answer<Body> {
  data?: Body;
  error?: unknown;
  response: Response;
}

/** openapi-fetch hands an error body over parsed when it is JSON and as text otherwise: text again. */
function errorText(error: unknown): string {
  if (error === undefined || error === null) return '';
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** Await one call's answer: a network failure becomes an ApiError (status 0); an abort stays an abort. */
async function answered<Body>(call: () => Promise<Answer<Body>>): Promise<Answer<Body>> {
  let answer: Answer<Body>;
  try {
    answer = await call();
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError(cause);
  }
  const { response } = answer;
  if (!response.ok) throw parseApiError(response.status, errorText(answer.error), response.headers.get('Retry-After'));
  return answer;
}

/** One call's JSON body (undefined when empty), or an ApiError. */
async function settle<T>(call: () => Promise<Answer<string>>): Promise<T> {
  const { data, response } = await answered(call);
  if (!data) return undefined as T;
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new ApiError(response.status, 'invalid_response', 'The service sent an answer we could not read.');
  }
}

/** GET a file export (CSV, JSON, PDF) and save it under the file name the server gave. */
async function download(call: () => Promise<Answer<Blob>>): Promise<void> {
  const { data, response } = await answered(call);
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'export';
  const url = URL.createObjectURL(data ?? new Blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The CSV export's query, as the server declares it. */
type ExportQuery = NonNullable<operations['exports_interviews_csv']['parameters']['query']>;

/** The dashboard's list as CSV, filtered as it shows it. */
export function exportInterviewsCsv(
  auth: Credentials,
  filters: { search: string; status: string; sort: NonNullable<ExportQuery['sort']>; mine: boolean },
) {
  const query: ExportQuery = {
    q: filters.search.trim(),
    // The dashboard's select offers 'all' and the statuses the server knows (types.ts INTERVIEW_STATUSES).
    status: filters.status as ExportQuery['status'],
    sort: filters.sort,
    mine: filters.mine,
  };
  return download(() =>
    client.GET('/api/exports/interviews.csv', { ...sendWith(withAuth(auth)), params: { query }, parseAs: 'blob' }),
  );
}

/** The report as JSON or PDF. */
export function exportReport(id: string, format: 'json' | 'pdf', auth: Credentials) {
  const init = { ...sendWith(withAuth(auth)), params: interview(id), parseAs: 'blob' as const };
  return download(() =>
    format === 'json'
      ? client.GET('/api/reports/{interview_id}/export.json', init)
      : client.GET('/api/reports/{interview_id}/export.pdf', init),
  );
}

// Recruiter ---------------------------------------------------------------------------------------

/** A recruiter route's options: the credentials as headers, plus the signal. */
function withAuth(auth: Credentials, extra: Omit<CallOptions, 'idToken' | 'workspaceId'> = {}): CallOptions {
  return { ...extra, idToken: auth.idToken, workspaceId: auth.workspaceId };
}

/** The path parameters of an interview's routes. */
function interview(id: string) {
  return { path: { interview_id: id } };
}

/** Who the signed-in account is and its workspaces; answers accounts without any (workspaces: []). */
export function getMe(idToken: string, signal?: AbortSignal) {
  return settle<Me>(() => client.GET('/api/me', sendWith({ idToken, signal })));
}

export interface InterviewPage {
  interviews: InterviewDoc[];
  next_page_token?: string | null;
}

/** The workspace's interviews, newest first; `mine` keeps only those the caller created. */
export function listInterviews(auth: Credentials, params: { mine?: boolean; pageSize?: number; pageToken?: string } = {}) {
  const query = {
    mine: params.mine || undefined,
    page_size: params.pageSize || undefined,
    page_token: params.pageToken || undefined,
  };
  return settle<InterviewPage>(() => client.GET('/api/interviews', { ...sendWith(withAuth(auth)), params: { query } }));
}

/** One interview of the team (no invite secret), as GET /api/interviews/{id} answers it, turns included. */
export function getInterview(id: string, auth: Credentials, signal?: AbortSignal) {
  return settle<InterviewDoc>(() =>
    client.GET('/api/interviews/{interview_id}', { ...sendWith(withAuth(auth, { signal })), params: interview(id) }),
  );
}

export function createInterview(body: CreateInterviewRequest, auth: Credentials, signal?: AbortSignal) {
  return settle<CreatedInterview>(() => client.POST('/api/interviews', { ...sendWith(withAuth(auth, { signal })), body }));
}

/** Replace a draft's reviewed plan (skills, weights, anchors, questions); 409 once the invite is sent. */
export function editPlan(
  id: string,
  body: { base_version: number; skills: Skill[]; question_plan: PlannedQuestion[] },
  auth: Credentials,
) {
  const sent: components['schemas']['PlanEdit'] = {
    base_version: body.base_version,
    // The server's model requires each skill's description and anchors; the editor shows a missing one
    // as empty, and sends it so.
    skills: body.skills.map((skill) => ({
      name: skill.name,
      description: skill.description ?? '',
      weight: skill.weight,
      anchors: skill.anchors ?? { low: '', mid: '', high: '' },
    })),
    question_plan: body.question_plan,
  };
  return settle<ReviewPlan>(() =>
    client.PUT('/api/interviews/{interview_id}/plan', { ...sendWith(withAuth(auth)), params: interview(id), body: sent }),
  );
}

/** Approve the plan and mint the invite link (draft -> invited). */
export function sendInvite(id: string, auth: Credentials) {
  return settle<SentInvite>(() =>
    client.POST('/api/interviews/{interview_id}/send-invite', { ...sendWith(withAuth(auth)), params: interview(id) }),
  );
}

/** The CV upload's query, as the server declares it. */
type CvQuery = NonNullable<operations['review_attach_cv']['parameters']['query']>;

/**
 * Attach the candidate's CV (a PDF) to a draft; the plan is regenerated from it unless `replan` is false.
 * The one call outside openapi-fetch: its body is the file itself, which the document does not describe
 * (it describes JSON bodies); its query is still the declared one.
 */
export async function uploadCv(id: string, file: Blob, filename: string, auth: Credentials, replan = true) {
  const declared: CvQuery = { filename, replan: replan ? '1' : '0' };
  const query = new URLSearchParams({ filename: declared.filename ?? '', replan: declared.replan ?? '1' });
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/pdf',
    Authorization: `Bearer ${auth.idToken}`,
  };
  if (auth.workspaceId) headers[WORKSPACE_HEADER] = auth.workspaceId;
  let response: Response;
  try {
    response = await fetch(`${config.apiBase}/api/interviews/${encodeURIComponent(id)}/cv?${query}`, {
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

/** Remove the candidate's CV (file and extracted text), in any status; the plan stays as it is. */
export function deleteCv(id: string, auth: Credentials) {
  return settle<unknown>(() =>
    client.DELETE('/api/interviews/{interview_id}/cv', { ...sendWith(withAuth(auth)), params: interview(id) }),
  );
}

export function cancelInterview(id: string, auth: Credentials) {
  return settle<unknown>(() =>
    client.POST('/api/interviews/{interview_id}/cancel', { ...sendWith(withAuth(auth)), params: interview(id) }),
  );
}

/** Email the candidate a fresh invite link (earlier links keep working). */
export function resendInviteEmail(id: string, auth: Credentials) {
  return settle<{ id: string; invite_email: EmailDelivery }>(() =>
    client.POST('/api/interviews/{interview_id}/invite-email', { ...sendWith(withAuth(auth)), params: interview(id) }),
  );
}

export function reevaluateInterview(id: string, auth: Credentials) {
  return settle<unknown>(() =>
    client.POST('/api/interviews/{interview_id}/reevaluate', { ...sendWith(withAuth(auth)), params: interview(id) }),
  );
}

export function deleteInterview(id: string, auth: Credentials) {
  return settle<unknown>(() =>
    client.DELETE('/api/interviews/{interview_id}', { ...sendWith(withAuth(auth)), params: interview(id) }),
  );
}

/** Mark a report whose integrity asks for it reviewed: its withheld recommendation is released. */
export function reviewReport(id: string, auth: Credentials) {
  return settle<unknown>(() =>
    client.POST('/api/interviews/{interview_id}/report/review', { ...sendWith(withAuth(auth)), params: interview(id) }),
  );
}

/** The report through the API; the report page calls it once per view so that `report.viewed` is audited. */
export function getReport(id: string, auth: Credentials, signal?: AbortSignal) {
  return settle<unknown>(() =>
    client.GET('/api/reports/{interview_id}', { ...sendWith(withAuth(auth, { signal })), params: interview(id) }),
  );
}

// Workspace (team) --------------------------------------------------------------------------------

export function getWorkspace(auth: Credentials, signal?: AbortSignal) {
  return settle<WorkspaceInfo>(() => client.GET('/api/workspace', sendWith(withAuth(auth, { signal }))));
}

export function updateWorkspaceSettings(patch: WorkspaceSettingsPatch, auth: Credentials) {
  return settle<WorkspaceSettings>(() =>
    client.PATCH('/api/workspace/settings', { ...sendWith(withAuth(auth)), body: patch }),
  );
}

export function getWorkspaceUsage(auth: Credentials, signal?: AbortSignal) {
  return settle<WorkspaceUsage>(() => client.GET('/api/workspace/usage', sendWith(withAuth(auth, { signal }))));
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
  const query = { page_size: params.pageSize || undefined, page_token: params.pageToken || undefined };
  return settle<AuditPage>(() =>
    client.GET('/api/workspace/audit', { ...sendWith(withAuth(auth, { signal })), params: { query } }),
  );
}

// Outbound webhooks (admins; docs/webhooks.md) -----------------------------------------------------

/** An endpoint as the API lists it: never its secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEvent[];
  description: string;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  /** Until when the secret before the last rotation still signs deliveries; null when none does. */
  previous_secret_expires_at: string | null;
}

/** The answer of create and rotate: the endpoint and its secret, shown this once. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

export interface WebhookAttempt {
  attempt: number;
  at: string;
  status_code: number | null;
  duration_ms: number;
  error_kind: string | null;
}

export interface WebhookDelivery {
  id: string;
  event_type: string;
  status: 'pending' | 'retrying' | 'delivered' | 'failed' | 'refused' | 'skipped';
  created_at: string;
  updated_at: string;
  last_status_code: number | null;
  attempts: WebhookAttempt[];
  payload: Record<string, unknown>;
}

export function listWebhooks(auth: Credentials, signal?: AbortSignal) {
  return settle<{ endpoints: WebhookEndpoint[] }>(() =>
    client.GET('/api/workspace/webhooks', sendWith(withAuth(auth, { signal }))),
  );
}

export function createWebhook(body: CreateWebhookRequest, auth: Credentials) {
  return settle<WebhookEndpointWithSecret>(() =>
    client.POST('/api/workspace/webhooks', { ...sendWith(withAuth(auth)), body }),
  );
}

export function deleteWebhook(id: string, auth: Credentials) {
  return settle<unknown>(() =>
    client.DELETE('/api/workspace/webhooks/{endpoint_id}', {
      ...sendWith(withAuth(auth)),
      params: { path: { endpoint_id: id } },
    }),
  );
}

export function rotateWebhookSecret(id: string, auth: Credentials) {
  return settle<WebhookEndpointWithSecret>(() =>
    client.POST('/api/workspace/webhooks/{endpoint_id}/rotate-secret', {
      ...sendWith(withAuth(auth)),
      params: { path: { endpoint_id: id } },
      body: {},
    }),
  );
}

export function sendWebhookTest(id: string, auth: Credentials) {
  return settle<{ delivery_id: string }>(() =>
    client.POST('/api/workspace/webhooks/{endpoint_id}/test', {
      ...sendWith(withAuth(auth)),
      params: { path: { endpoint_id: id } },
    }),
  );
}

export function listWebhookDeliveries(id: string, auth: Credentials, params: { pageToken?: string } = {}, signal?: AbortSignal) {
  const query = { page_size: 20, page_token: params.pageToken || undefined };
  return settle<{ deliveries: WebhookDelivery[]; next_page_token: string | null }>(() =>
    client.GET('/api/workspace/webhooks/{endpoint_id}/deliveries', {
      ...sendWith(withAuth(auth, { signal })),
      params: { path: { endpoint_id: id }, query },
    }),
  );
}

export function listMembers(auth: Credentials, signal?: AbortSignal) {
  return settle<{ members: Member[] }>(() => client.GET('/api/workspace/members', sendWith(withAuth(auth, { signal }))));
}

export function changeMemberRole(uid: string, role: Role, auth: Credentials) {
  return settle<unknown>(() =>
    client.PATCH('/api/workspace/members/{target_uid}', {
      ...sendWith(withAuth(auth)),
      params: { path: { target_uid: uid } },
      body: { role },
    }),
  );
}

export function removeMember(uid: string, auth: Credentials) {
  return settle<unknown>(() =>
    client.DELETE('/api/workspace/members/{target_uid}', {
      ...sendWith(withAuth(auth)),
      params: { path: { target_uid: uid } },
    }),
  );
}

export function listInvitations(auth: Credentials, signal?: AbortSignal) {
  return settle<{ invitations: Invitation[] }>(() =>
    client.GET('/api/workspace/invitations', sendWith(withAuth(auth, { signal }))),
  );
}

export function createInvitation(body: CreateInvitationRequest, auth: Credentials) {
  return settle<CreatedInvitation>(() => client.POST('/api/workspace/invitations', { ...sendWith(withAuth(auth)), body }));
}

export function revokeInvitation(id: string, auth: Credentials) {
  return settle<unknown>(() =>
    client.DELETE('/api/workspace/invitations/{invitation_id}', {
      ...sendWith(withAuth(auth)),
      params: { path: { invitation_id: id } },
    }),
  );
}

// Joining (not a member yet: no X-Workspace-Id) ---------------------------------------------------

/** What an invitation offers (team, role, email), checked with its secret; nothing is used up. */
export function lookupInvitation(body: InvitationSecret, signal?: AbortSignal) {
  return settle<InvitationPreview>(() => client.POST('/api/invitations/lookup', { ...sendWith({ signal }), body }));
}

export function acceptInvitation(body: InvitationSecret, idToken: string) {
  return settle<JoinedWorkspace>(() => client.POST('/api/invitations/accept', { ...sendWith({ idToken }), body }));
}

/** Joins a workspace that lets verified addresses of its allowed domains in (as viewers). */
export function joinWorkspaceByDomain(workspaceId: string, idToken: string) {
  return settle<JoinedWorkspace>(() =>
    client.POST('/api/workspaces/{wid}/join', { ...sendWith({ idToken }), params: { path: { wid: workspaceId } } }),
  );
}

// Candidate ---------------------------------------------------------------------------------------

/** The welcome page's details; checks the invite without using it up. */
export function requestInviteInfo(id: string, invite: string, signal?: AbortSignal) {
  return settle<InviteInfo>(() =>
    client.POST('/api/interviews/{interview_id}/invite', { ...sendWith({ signal }), params: interview(id), body: { invite } }),
  );
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
  return settle<RoomToken>(() =>
    client.POST('/api/interviews/{interview_id}/token', { ...sendWith({ signal }), params: interview(id), body }),
  );
}

export function sendLatency(report: LatencyReport, keepalive = false) {
  return settle<unknown>(() => client.POST('/api/metrics/latency', { ...sendWith({ keepalive }), body: report }));
}
