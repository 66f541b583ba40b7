import { ApiError } from '../api';
import { recruiterI18n } from '../i18n/recruiter';

/** The API codes the Members page words itself (the catalogue's `memberErrors.<code>`). */
const KNOWN = new Set(['last_owner', 'already_member', 'forbidden', 'invitation_not_pending']);

/** An error of the Members page, in words next to the control that caused it. */
export function memberErrorMessage(error: unknown): string {
  if (error instanceof ApiError) return KNOWN.has(error.code) ? recruiterI18n.t(`memberErrors.${error.code}`) : error.message;
  return error instanceof Error ? error.message : recruiterI18n.t('memberErrors.failed');
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateInviteEmail(value: string): string | null {
  const email = value.trim();
  if (!email) return recruiterI18n.t('memberErrors.emailMissing');
  if (!EMAIL.test(email) || email.length > 254) return recruiterI18n.t('memberErrors.emailInvalid');
  return null;
}
