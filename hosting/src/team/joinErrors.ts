import { ApiError } from '../api';

export interface JoinProblem {
  /** A dead end: the invitation cannot be used any more (the page offers no "Join" button). */
  final: boolean;
  message: string;
}

/** What went wrong with an invitation (lookup, accept) or a domain join, in words to act on. */
export function joinProblem(error: unknown, email: string | null | undefined): JoinProblem {
  if (!(error instanceof ApiError)) {
    return { final: false, message: error instanceof Error ? error.message : 'Something went wrong. Try again.' };
  }
  switch (error.code) {
    case 'invitation_for_another_account':
      return {
        final: false,
        message:
          `This invitation is for another email address${email ? ` than ${email}` : ''}. Sign out, then sign in ` +
          'or create an account with the address the invitation was sent to.',
      };
    case 'invitation_expired':
      return { final: true, message: 'This invitation has expired. Ask the admin who invited you to send a new one.' };
    case 'invitation_revoked':
      return { final: true, message: 'This invitation was withdrawn by an admin of the team. Ask them for a new one if you need it.' };
    case 'invitation_used':
      return { final: true, message: 'This invitation has been used already. If you accepted it, your interviews are waiting for you.' };
    case 'invitation_gone':
      return { final: true, message: 'This invitation can no longer be used. Ask the admin who invited you for a new one.' };
    case 'invitation_not_found':
      return {
        final: true,
        message: 'This invitation link is not valid. Check that you opened the whole link, exactly as it was sent.',
      };
    case 'email_not_verified':
      return { final: false, message: 'Verify your email address first, then try again.' };
    case 'domain_join_not_allowed':
      return { final: true, message: 'Your email address cannot join this team by itself. Ask an admin of the team to invite you.' };
    default:
      break;
  }
  if (error.status === 410) return { final: true, message: 'This invitation is no longer valid. Ask the admin who invited you for a new one.' };
  if (error.status === 404) {
    return { final: true, message: 'This invitation link is not valid. Check that you opened the whole link, exactly as it was sent.' };
  }
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
