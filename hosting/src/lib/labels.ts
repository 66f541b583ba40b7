import type { InterviewStatus, Recommendation } from '../types';

export const STATUS_LABELS: Record<InterviewStatus, string> = {
  draft: 'Draft (invite not sent)',
  invited: 'Invited',
  in_progress: 'In progress',
  completed: 'Completed',
  evaluating: 'Evaluating',
  evaluated: 'Evaluated',
  evaluation_failed: 'Evaluation failed',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

export function statusLabel(status: string | undefined): string {
  if (!status) return 'Unknown';
  return STATUS_LABELS[status as InterviewStatus] ?? status.replace(/_/g, ' ');
}

export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  strong_hire: 'Strong hire',
  hire: 'Hire',
  lean_hire: 'Lean hire',
  lean_no_hire: 'Lean no hire',
  no_hire: 'No hire',
};

export function recommendationLabel(value: string | undefined): string {
  if (!value) return 'No recommendation';
  return RECOMMENDATION_LABELS[value as Recommendation] ?? value.replace(/_/g, ' ');
}

export const END_REASON_LABELS: Record<string, string> = {
  completed: 'The interviewer finished the plan',
  candidate_ended: 'The candidate ended the interview',
  time_limit: 'The time limit was reached',
  candidate_left: 'The candidate left',
  abandoned: 'Abandoned (finalised automatically)',
  error: 'Ended by an error',
};

/** Interview states in which the recruiter can act. */
export const CANCELLABLE = new Set(['invited', 'in_progress']);
export const REEVALUATABLE = new Set(['evaluated', 'evaluation_failed']);
export const HAS_REPORT = new Set(['evaluated']);
