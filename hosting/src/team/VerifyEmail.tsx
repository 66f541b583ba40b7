import { signOut, type User } from 'firebase/auth';
import { useState } from 'react';
import { Banner } from '../components/Banner';
import { firebaseAuth } from '../firebase';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useAuth } from '../recruiter/AuthContext';
import { authErrorMessage } from '../recruiter/authErrors';
import { sendVerificationEmail } from './accounts';

interface VerifyEmailProps {
  user: User;
  /** Where the email's link leads back to (the join page passes itself). */
  continuePath?: string;
  /** h1 on its own page, h2 inside another page. */
  headingLevel?: 1 | 2;
}

/**
 * A password account whose email is not verified yet: the API lets it in only once it is. Resend
 * the email, or confirm it was opened (reloads the user and takes a fresh token, whose
 * email_verified claim the API reads).
 */
export function VerifyEmail({ user, continuePath = '/', headingLevel = 1 }: VerifyEmailProps) {
  const { refreshUser } = useAuth();
  const { t } = useRecruiterTranslation();
  const [busy, setBusy] = useState<'resend' | 'check' | null>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';

  async function resend() {
    setBusy('resend');
    setNotice(null);
    try {
      await sendVerificationEmail(user, continuePath);
      setNotice({ kind: 'success', text: t('verify.sentAgain', { email: user.email }) });
    } catch (cause) {
      setNotice({ kind: 'error', text: authErrorMessage(cause) ?? t('verify.sendFailed') });
    } finally {
      setBusy(null);
    }
  }

  async function check() {
    setBusy('check');
    setNotice(null);
    try {
      const fresh = await refreshUser();
      if (fresh && !fresh.emailVerified) {
        setNotice({ kind: 'info', text: t('verify.notYet') });
      }
    } catch (cause) {
      setNotice({ kind: 'error', text: authErrorMessage(cause) ?? t('verify.checkFailed') });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card" aria-labelledby="verify-heading">
      <Heading id="verify-heading">{t('verify.heading')}</Heading>
      <p>
        {t('verify.sentTo')} <strong>{user.email}</strong>. {t('verify.openIt')}
      </p>
      {notice && <Banner kind={notice.kind}>{notice.text}</Banner>}
      <div className="form__actions">
        <button type="button" className="button button--primary" onClick={() => void check()} disabled={busy !== null}>
          {busy === 'check' ? t('verify.checking') : t('verify.verified')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void resend()} disabled={busy !== null}>
          {busy === 'resend' ? t('verify.sending') : t('verify.resend')}
        </button>
        <button type="button" className="button button--ghost" onClick={() => void signOut(firebaseAuth())}>
          {t('nav.signOut')}
        </button>
      </div>
    </section>
  );
}

export function VerifyEmailPage({ user }: { user: User }) {
  const { t } = useRecruiterTranslation();
  useDocumentTitle(t('verify.documentTitle'));
  return (
    <main className="page page--narrow auth-page" id="main">
      <VerifyEmail user={user} />
    </main>
  );
}
