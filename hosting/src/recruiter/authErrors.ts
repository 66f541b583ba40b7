/** Firebase Auth error codes in words a recruiter can act on. */
const MESSAGES: Record<string, string> = {
  'auth/invalid-credential': 'The email or password is wrong.',
  'auth/wrong-password': 'The email or password is wrong.',
  'auth/user-not-found': 'There is no account with this email. Create one instead?',
  'auth/invalid-email': 'This email address is not valid.',
  'auth/email-already-in-use': 'An account with this email exists already. Sign in instead?',
  'auth/weak-password': 'Choose a password of at least 6 characters.',
  'auth/missing-password': 'Enter your password.',
  'auth/too-many-requests': 'Too many attempts. Wait a moment and try again.',
  'auth/network-request-failed': "We can't reach the sign-in service. Check your connection.",
  'auth/popup-blocked': 'The browser blocked the sign-in window. Allow pop-ups for this site and try again.',
  'auth/operation-not-allowed': 'This sign-in method is not enabled for this project.',
  'auth/user-disabled': 'This account is disabled.',
};

const SILENT = new Set(['auth/popup-closed-by-user', 'auth/cancelled-popup-request']);

const GOOGLE_MESSAGES: Record<string, string> = {
  'auth/unauthorized-domain':
    'Google sign-in is not allowed from this address: the project must list this domain. Use your email and password instead.',
  'auth/auth-domain-config-required':
    'Google sign-in is not set up for this site (no auth domain configured). Use your email and password instead.',
};

const GOOGLE_UNREACHABLE =
  "Google sign-in could not reach Google's servers. Check your connection (or a blocker of Google's " +
  'scripts and pop-ups) and try again, or sign in with your email and password.';

function code(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? '';
}

/** A message for the banner, or null when the user simply closed the popup. */
export function authErrorMessage(error: unknown): string | null {
  const c = code(error);
  if (SILENT.has(c)) return null;
  return MESSAGES[c] ?? 'Sign-in failed. Please try again.';
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
  if (isNetworkFailure(error)) return GOOGLE_UNREACHABLE;
  return GOOGLE_MESSAGES[c] ?? authErrorMessage(error);
}
