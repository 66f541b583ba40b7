import { recruiterI18n } from '../i18n/recruiter';

/**
 * Firebase Auth error codes in words a recruiter can act on: the catalogue's `authErrors.<code>`
 * (the code without its `auth/` prefix), `googleErrors.<code>` for Google sign-in.
 */
const MESSAGES = new Set([
  'invalid-credential',
  'wrong-password',
  'user-not-found',
  'invalid-email',
  'email-already-in-use',
  'weak-password',
  'missing-password',
  'too-many-requests',
  'network-request-failed',
  'popup-blocked',
  'operation-not-allowed',
  'user-disabled',
]);

const SILENT = new Set(['auth/popup-closed-by-user', 'auth/cancelled-popup-request']);

const GOOGLE_MESSAGES = new Set(['unauthorized-domain', 'auth-domain-config-required']);

/** The Firebase code without its `auth/` prefix, if it is one of `known`. */
function known(c: string, set: Set<string>): string | undefined {
  const bare = c.startsWith('auth/') ? c.slice('auth/'.length) : '';
  return set.has(bare) ? bare : undefined;
}

function code(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? '';
}

/** A message for the banner, or null when the user simply closed the popup. */
export function authErrorMessage(error: unknown): string | null {
  const c = code(error);
  if (SILENT.has(c)) return null;
  const key = known(c, MESSAGES);
  return recruiterI18n.t(key ? `authErrors.${key}` : 'authErrors.failed');
}

/**
 * Google sign-in loads Google's scripts (apis.google.com) and opens Google's pages: when they cannot
 * be loaded the SDK fails with `network-request-failed`, or `internal-error` carrying the script's
 * error event. Both mean "Google is out of reach", which is what the person needs to know.
 */
export function isNetworkFailure(error: unknown): boolean {
  const c = code(error);
  if (c === 'auth/network-request-failed' || c === 'auth/timeout') return true;
  if (c !== 'auth/internal-error') return false;
  const data = (error as { customData?: unknown }).customData;
  const event = (data as { type?: unknown } | null | undefined)?.type;
  const message = String((error as { message?: unknown }).message ?? '');
  return event === 'error' || /network|failed to fetch|failed to load/i.test(message);
}

export function googleErrorMessage(error: unknown): string | null {
  const c = code(error);
  if (SILENT.has(c)) return null;
  if (isNetworkFailure(error)) return recruiterI18n.t('googleErrors.unreachable');
  const key = known(c, GOOGLE_MESSAGES);
  return key ? recruiterI18n.t(`googleErrors.${key}`) : authErrorMessage(error);
}
