import { ApiError } from '../api';
import { recruiterI18n } from '../i18n/recruiter';

export interface JoinProblem {
  /** A dead end: the invitation cannot be used any more (the page offers no "Join" button). */
  final: boolean;
  message: string;
}

/** The API codes the join page words itself (the recruiter catalogue's `joinErrors.<code>`), and
 * whether each is a dead end. */
const KNOWN: Record<string, boolean> = {
  invitation_for_another_account: false,
  invitation_expired: true,
  invitation_revoked: true,
  invitation_used: true,
  invitation_gone: true,
  invitation_not_found: true,
  email_not_verified: false,
  domain_join_not_allowed: true,
};

/** What went wrong with an invitation (lookup, accept) or a domain join, in words to act on. */
export function joinProblem(error: unknown, email: string | null | undefined): JoinProblem {
  const say = (key: string, values: Record<string, string> = {}) => recruiterI18n.t(`joinErrors.${key}`, values);
  if (!(error instanceof ApiError)) {
    return { final: false, message: error instanceof Error ? error.message : say('failed') };
  }
  if (error.code === 'invitation_for_another_account') {
    return { final: false, message: email ? say('anotherAccountOf', { email }) : say(error.code) };
  }
  if (Object.hasOwn(KNOWN, error.code)) return { final: KNOWN[error.code], message: say(error.code) };
  if (error.status === 410) return { final: true, message: say('gone410') };
  if (error.status === 404) return { final: true, message: say('invitation_not_found') };
  return { final: false, message: error.message };
}

const NO_SUCH_ROUTE = new Set(['not_found', 'method_not_allowed', 'http_404', 'http_405']);

/**
 * An invitation lookup that tells nothing about the invitation: an API without that route (the
 * generic 404/405) or no answer at all. The page then carries on without the preview.
 */
export function lookupUnsupported(error: unknown): boolean {
  return error instanceof ApiError && (NO_SUCH_ROUTE.has(error.code) || error.status === 0);
}
