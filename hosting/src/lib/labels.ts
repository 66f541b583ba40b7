import { recruiterI18n } from '../i18n/recruiter';
import { INTERVIEW_STATUSES, RECOMMENDATIONS, type InterviewStatus, type Recommendation } from '../types';

/**
 * The recruiter's words for statuses, recommendations and end reasons, from the recruiter catalogue
 * (`status`, `recommendation`, `endReason`); the tables are built once, English being the only
 * recruiter language.
 */
function table<K extends string>(section: string, keys: readonly K[]): Record<K, string> {
  const word = (key: K): string => recruiterI18n.t(`${section}.${String(key)}` as string);
  return Object.fromEntries(keys.map((key) => [key, word(key)])) as Record<K, string>;
}

export const STATUS_LABELS: Record<InterviewStatus, string> = table('status', INTERVIEW_STATUSES);

export function statusLabel(status: string | undefined): string {
  if (!status) return recruiterI18n.t('status.unknown');
  return STATUS_LABELS[status as InterviewStatus] ?? status.replace(/_/g, ' ');
}

export const RECOMMENDATION_LABELS: Record<Recommendation, string> = table('recommendation', RECOMMENDATIONS);

export function recommendationLabel(value: string | undefined): string {
  if (!value) return recruiterI18n.t('recommendation.none');
  return RECOMMENDATION_LABELS[value as Recommendation] ?? value.replace(/_/g, ' ');
}

export const END_REASON_LABELS: Record<string, string> = table('endReason', [
  'completed',
  'candidate_ended',
  'time_limit',
  'candidate_left',
  'abandoned',
  'error',
] as const);

/** Interview states in which the recruiter can act. */
export const CANCELLABLE = new Set(['invited', 'in_progress']);
export const REEVALUATABLE = new Set(['evaluated', 'evaluation_failed']);
export const HAS_REPORT = new Set(['evaluated']);
