import { sendEmailVerification, type User } from 'firebase/auth';

/**
 * A password account must verify its email before the API lets it in (teams contract, "Who may
 * enter"); Google accounts arrive verified.
 */
export function needsEmailVerification(user: Pick<User, 'emailVerified' | 'providerData'>): boolean {
  return !user.emailVerified && user.providerData.some((p) => p.providerId === 'password');
}

const CONTINUE_URL_REFUSED = new Set(['auth/unauthorized-continue-uri', 'auth/invalid-continue-uri', 'auth/missing-continue-uri']);

/**
 * Sends the verification email; its link leads back to `continuePath` on this site. When the project
 * does not allow this site as a continue URL, the email is sent without one.
 */
export async function sendVerificationEmail(user: User, continuePath = '/'): Promise<void> {
  try {
    await sendEmailVerification(user, { url: `${window.location.origin}${continuePath}` });
  } catch (error) {
    if (!CONTINUE_URL_REFUSED.has((error as { code?: string }).code ?? '')) throw error;
    await sendEmailVerification(user);
  }
}
