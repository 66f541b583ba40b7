/**
 * Shapes of the API and of the Firestore documents the recruiter may read.
 * Mirrors functions/interview_core/domain/models.py. Documents read from Firestore are typed as
 * partial where the backend may not have written a field yet: render defensively.
 */

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'de', label: 'Deutsch' },
  { code: 'fr', label: 'Français' },
  { code: 'es', label: 'Español' },
  { code: 'it', label: 'Italiano' },
  { code: 'pt', label: 'Português' },
  { code: 'nl', label: 'Nederlands' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const INTERVIEW_STATUSES = [
  'draft',
  'invited',
  'in_progress',
  'completed',
  'evaluating',
  'evaluated',
  'evaluation_failed',
  'expired',
  'cancelled',
] as const;

export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];

export type EndReason = 'completed' | 'candidate_ended' | 'time_limit' | 'candidate_left' | 'abandoned' | 'error';

export const RECOMMENDATIONS = ['strong_hire', 'hire', 'lean_hire', 'lean_no_hire', 'no_hire'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

/** A Firestore Timestamp, a Date, an ISO string or epoch milliseconds; see lib/time.ts. */
export type TimestampLike = unknown;

export interface Candidate {
  name: string;
  email: string;
}

/** What a low (1), middle (3) and high (5) answer about a skill sounds like in this job. */
export interface SkillAnchors {
  low: string;
  mid: string;
  high: string;
}

export interface Skill {
  name: string;
  description?: string;
  weight: number;
  anchors?: SkillAnchors;
}

export interface PlannedQuestion {
  skill: string;
  question: string;
  follow_ups?: string[];
  /** Added or marked by the recruiter at review: always asked. */
  must_ask?: boolean;
}

/** The attached CV (the file itself is served by GET /api/interviews/{id}/cv). */
export interface CvInfo {
  filename: string;
  size_bytes: number;
  pages: number;
  uploaded_at?: TimestampLike;
}

/** The reviewed plan of a draft interview, as the review routes answer it. */
export interface ReviewPlan {
  id: string;
  status: InterviewStatus;
  plan_version: number;
  plan_hash?: string | null;
  skills: Skill[];
  question_plan: PlannedQuestion[];
  cv?: CvInfo | null;
}

/** 200 answer of POST /api/interviews/{id}/send-invite. */
export interface SentInvite {
  id: string;
  status: InterviewStatus;
  invite_url: string;
  expires_at?: string;
  plan_version: number;
  plan_hash?: string | null;
}

/** Body of POST /api/interviews (CreateInterviewRequest). */
export interface CreateInterviewRequest {
  candidate: Candidate;
  role: string;
  job_description: string;
  language: LanguageCode;
  duration_minutes: number;
  /** Create for review: no invite works until POST /api/interviews/{id}/send-invite. */
  draft?: boolean;
}

/** 201 answer of POST /api/interviews. */
export interface CreatedInterview {
  id: string;
  /** null for a draft: the invite link comes with send-invite. */
  invite_url: string | null;
  plan_version?: number;
  plan_hash?: string | null;
  skills: Skill[];
  status?: InterviewStatus;
  question_plan?: PlannedQuestion[];
  /** When the invite link stops working (ISO 8601). */
  expires_at?: string;
  model?: string;
  /** The invite email's delivery (null: the recruiter sends the link). */
  invite_email?: EmailDelivery | null;
}

/** One email to the candidate (interviews/{id}.emails.invite or .reminder). */
export interface EmailDelivery {
  kind: 'invite' | 'reminder';
  status: 'sending' | 'sent' | 'failed';
  at?: TimestampLike;
  /** Why it failed (SMTP code and kind of error; never an address). */
  reason?: string | null;
}

/** interviews/{id} as the recruiter reads it from Firestore. */
export interface InterviewDoc {
  id: string;
  /** The team the interview belongs to. */
  workspace_id?: string;
  /** The recruiter who created it ("mine"). */
  owner_uid?: string;
  candidate?: Partial<Candidate>;
  role?: string;
  job_description?: string;
  language?: string;
  duration_minutes?: number;
  skills?: Skill[];
  question_plan?: PlannedQuestion[];
  status?: InterviewStatus | string;
  invite?: { expires_at?: TimestampLike; uses?: number; max_uses?: number };
  room?: string;
  created_at?: TimestampLike;
  updated_at?: TimestampLike;
  started_at?: TimestampLike;
  ended_at?: TimestampLike;
  end_reason?: EndReason | string | null;
  /** What the candidate accepted before joining (functions/interview_core/domain/consent.py). */
  consent?: { version?: string; text_sha256?: string; language?: string; accepted_at?: TimestampLike } | null;
  evaluation?: { attempts?: number; last_error?: string | null };
  metrics?: Record<string, unknown>;
  model?: string | null;
  plan_version?: number;
  plan_hash?: string | null;
  cv?: CvInfo | null;
  /** The CV's extracted text, shown beside the transcript. */
  cv_text?: string | null;
  emails?: { invite?: EmailDelivery | null; reminder?: EmailDelivery | null; sends?: number };
  /** The interview's OpenTelemetry trace (null when traces are off). */
  trace_id?: string | null;
}

/** interviews/{id}/turns/{seq}. */
export interface TurnDoc {
  seq: number;
  role: 'agent' | 'candidate' | string;
  text: string;
  started_at?: TimestampLike;
  ended_at?: TimestampLike;
  interrupted?: boolean;
}

export interface SkillAssessment {
  name: string;
  /** 1-5, or null when the skill was not assessed. */
  score?: number | null;
  rationale?: string;
  evidence?: string[];
}

export interface CoverageItem {
  skill: string;
  probed: boolean;
}

/** reports/{id}. */
export interface ReportDoc {
  workspace_id?: string;
  owner_uid?: string;
  model?: string;
  prompt_version?: string;
  rubric_version?: string;
  /** The reviewed plan graded (its version and content hash). */
  plan_version?: number | null;
  plan_hash?: string | null;
  overall_score?: number;
  recommendation?: Recommendation | string | null;
  summary?: string;
  competencies?: SkillAssessment[];
  skills?: SkillAssessment[];
  strengths?: string[];
  weaknesses?: string[];
  red_flags?: string[];
  improvement_areas?: string[];
  coverage?: CoverageItem[];
  created_at?: TimestampLike;
  status_notes?: string[];
  /** Missing turns, an error or an early end (functions/interview_core/domain/integrity.py). */
  integrity?: ReportIntegrity | null;
  /** The recommendation while a report that needs a recruiter's review has not had it. */
  withheld_recommendation?: Recommendation | string | null;
}

export interface ReportIntegrity {
  turns_expected?: number;
  turns_stored?: number;
  missing_seqs?: number[];
  missing_count?: number;
  transcript_incomplete?: boolean;
  ended_by_error?: boolean;
  short_of_plan?: boolean;
  notes?: string[];
  review_required?: boolean;
  reviewed_by?: string | null;
  reviewed_at?: TimestampLike | null;
}

/** Body of POST /api/interviews/{id}/token (TokenRequest). */
export interface TokenRequest {
  invite: string;
  consent?: { version: string; language: string };
  /** A warm join (during the microphone check): the agent greets when the microphone is published. */
  warm?: boolean;
}

/** 200 answer of POST /api/interviews/{id}/token. */
export interface RoomToken {
  livekit_url: string;
  token: string;
  room: string;
  expires_at: string;
  duration_minutes: number;
  candidate_name: string;
  role: string;
  /** How long the agent waits for a candidate who left before it ends the interview. */
  rejoin_grace_seconds?: number;
  /** The interview's language (BCP-47 primary subtag), which the candidate's pages follow. */
  language?: string;
}

export type LatencyKind = 'connect' | 'first_audio' | 'agent_response' | 'round_trip';

export interface LatencySample {
  kind: LatencyKind;
  ms: number;
}

/** Body of POST /api/metrics/latency (LatencyReport). */
export interface LatencyReport {
  interview_id: string;
  invite: string;
  samples: LatencySample[];
}

// Teams and access (issue 18; /work/wt/shared-notes/teams-contract.md) -----------------------------

/** Roles in a workspace, strongest first. */
export const ROLES = ['owner', 'admin', 'recruiter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** One workspace the account belongs to, as GET /api/me lists it. */
export interface WorkspaceSummary {
  id: string;
  name: string;
  role: Role;
}

/** 200 answer of GET /api/me (the only route that answers an account without a workspace). */
export interface Me {
  uid: string;
  email: string;
  email_verified: boolean;
  workspaces: WorkspaceSummary[];
}

export interface Quotas {
  interviews_per_day: number;
  live_interviews: number;
  evaluations_per_day: number;
  model_minutes_per_month: number;
}

export type QuotaName = keyof Quotas;

export interface WorkspaceSettings {
  /** Lower-case domains, at most 20. */
  allowed_domains: string[];
  allow_domain_join: boolean;
  quotas: Quotas;
  /** Days an interview's data is kept after its invite window ends (1-730, the API's default 180). */
  retention_days?: number;
}

/** Body of PATCH /api/workspace/settings: only the parts that change. */
export type WorkspaceSettingsPatch = Partial<WorkspaceSettings>;

/** 200 answer of GET /api/workspace; `settings` only for admins and owners. */
export interface WorkspaceInfo {
  id: string;
  name: string;
  role: Role;
  settings?: WorkspaceSettings;
}

/** 200 answer of GET /api/workspace/usage (admin+). */
export interface WorkspaceUsage {
  limits: Quotas;
  used: {
    interviews_today: number;
    evaluations_today: number;
    live_interviews: number;
    model_minutes_this_month: number;
  };
  /** When the daily and monthly counters start again (ISO 8601). */
  resets: { day: string; month: string };
}

/** workspaces/{wid}/members/{uid}, as GET /api/workspace/members lists it. */
export interface Member {
  uid: string;
  email: string;
  role: Role;
  joined_at?: string | null;
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';
export type InvitableRole = Exclude<Role, 'owner'>;

/** One entry of GET /api/workspace/invitations. */
export interface Invitation {
  id: string;
  email: string;
  role: InvitableRole;
  status: InvitationStatus;
  expires_at: string;
}

/** Body of POST /api/workspace/invitations. */
export interface CreateInvitationRequest {
  email: string;
  role: InvitableRole;
}

/** 201 answer of POST /api/workspace/invitations: `accept_url` holds the secret (in its fragment) and is shown once. */
export interface CreatedInvitation {
  id: string;
  email: string;
  role: InvitableRole;
  expires_at: string;
  accept_url: string;
}

/** Body of POST /api/invitations/accept and of POST /api/invitations/lookup. */
export interface InvitationSecret {
  workspace_id: string;
  invitation_id: string;
  secret: string;
}

/** 200 answer of POST /api/invitations/lookup (contract "Changes", web app 1). */
export interface InvitationPreview {
  workspace: { id: string; name: string };
  email: string;
  role: InvitableRole;
  expires_at?: string;
}

/** 200 answer of POST /api/invitations/accept and of POST /api/workspaces/{wid}/join. */
export interface JoinedWorkspace {
  workspace: WorkspaceSummary;
}

/** The extra fields of a 429 `quota_exceeded` error body. */
export interface QuotaExceeded {
  limit?: QuotaName | string;
  /** The limit's value (contract "Changes", web app 2); absent from older APIs. */
  max?: number;
  resets_at?: string;
}

/** The events a webhook endpoint may subscribe to (domain/webhooks.py `EventType`, less the test event). */
export const WEBHOOK_EVENTS = [
  'interview.started',
  'interview.completed',
  'report.ready',
  'interview.cancelled',
  'interview.deleted',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** POST /api/workspace/webhooks. */
export interface CreateWebhookRequest {
  url: string;
  events: WebhookEvent[];
  description?: string;
}
