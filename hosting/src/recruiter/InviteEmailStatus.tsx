import { useState } from 'react';
import { resendInviteEmail } from '../api';
import { recruiterI18n, useRecruiterTranslation } from '../i18n/recruiter';
import { formatDateTime } from '../lib/time';
import { canManageInterviews } from '../team/roles';
import { useWorkspace } from '../team/WorkspaceContext';
import type { EmailDelivery, InterviewDoc } from '../types';

/** "Invite email sent 4 Dec, 10:02" or "failed: recipient refused (550)", for one delivery. */
export function deliveryText(delivery: EmailDelivery): string {
  const t = (key: string, options?: Record<string, string>) => recruiterI18n.t(key, options ?? {});
  const what = t(delivery.kind === 'reminder' ? 'emails.reminder' : 'emails.invite');
  const state = t(`emails.state.${delivery.status}`, { defaultValue: delivery.status });
  if (delivery.status === 'failed') {
    return delivery.reason ? t('emails.failedBecause', { what, reason: delivery.reason }) : t('emails.failed', { what });
  }
  const when = formatDateTime(delivery.at, '');
  return when ? `${what} ${state} ${when}` : `${what} ${state}`;
}

/** The candidate emails' state on the dashboard, and "Resend invite" while the interview is invited. */
export function InviteEmailStatus({ interview }: { interview: InterviewDoc }) {
  const { role, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const deliveries = [interview.emails?.invite, interview.emails?.reminder].filter(
    (d): d is EmailDelivery => Boolean(d),
  );
  const canResend = canManageInterviews(role) && interview.status === 'invited';
  if (deliveries.length === 0 && !canResend) return null;

  async function resend() {
    setBusy(true);
    setMessage(null);
    try {
      const answer = await resendInviteEmail(interview.id, await credentials());
      setMessage(answer.invite_email.status === 'sent' ? t('emails.sentAgain') : deliveryText(answer.invite_email));
    } catch (error) {
      setMessage(error instanceof Error ? error.message : t('emails.resendFailed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="small invite-email">
      {deliveries.map((delivery) => (
        <div key={delivery.kind} className={delivery.status === 'failed' ? 'text-danger' : 'muted'}>
          {deliveryText(delivery)}
        </div>
      ))}
      {canResend && (
        <button
          type="button"
          className="button button--ghost button--small"
          disabled={busy}
          onClick={() => void resend()}
          aria-label={t('emails.resendLabel', { name: interview.candidate?.name ?? interview.id })}
        >
          {busy ? t('emails.sending') : t('emails.resend')}
        </button>
      )}
      {message && (
        <div role="status" className="muted">
          {message}
        </div>
      )}
    </div>
  );
}
