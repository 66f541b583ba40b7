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

/** A message for the banner, or null when the user simply closed the popup. */
export function authErrorMessage(error: unknown): string | null {
  const code = (error as { code?: string } | null)?.code ?? '';
  if (SILENT.has(code)) return null;
  return MESSAGES[code] ?? 'Sign-in failed. Please try again.';
}
