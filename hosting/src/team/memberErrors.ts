import { ApiError } from '../api';

const MESSAGES: Record<string, string> = {
  last_owner: 'A team needs at least one owner: make someone else an owner first.',
  already_member: 'This person is a member of the team already.',
  forbidden: 'Your role in the team does not allow this.',
  invitation_not_pending: 'This invitation was accepted already: the person is a member (remove them instead).',
};

/** An error of the Members page, in words next to the control that caused it. */
export function memberErrorMessage(error: unknown): string {
  if (error instanceof ApiError) return MESSAGES[error.code] ?? error.message;
  return error instanceof Error ? error.message : 'Something went wrong. Try again.';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateInviteEmail(value: string): string | null {
  const email = value.trim();
  if (!email) return 'Enter the email address of the person to invite.';
  if (!EMAIL.test(email) || email.length > 254) return 'Enter a valid email address, like name@example.com.';
  return null;
}
