import {
  createUserWithEmailAndPassword,
  GoogleAuthProvider,
  signInWithEmailAndPassword,
  signInWithPopup,
  updateProfile,
} from 'firebase/auth';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Banner } from '../components/Banner';
import { config } from '../config';
import { firebaseAuth } from '../firebase';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { sendVerificationEmail } from '../team/accounts';
import { authErrorMessage, googleErrorMessage } from './authErrors';

type Mode = 'signin' | 'signup';

export function SignInPage() {
  const { t } = useRecruiterTranslation();
  return (
    <main className="page page--narrow auth-page" id="main">
      <div className="auth-page__intro">
        <p className="brand brand--large" aria-hidden="true">
          <span className="brand__mark" /> AI Interviewer
        </p>
        <p className="muted">{t('signIn.tagline')}</p>
      </div>
      <SignInCard />
    </main>
  );
}

interface SignInCardProps {
  initialMode?: Mode;
  initialEmail?: string;
  /** Shown above the form (e.g. which team's invitation this is). */
  intro?: ReactNode;
  /** Where the verification email's link leads back to after a sign-up. */
  continuePath?: string;
  /** Headings for the two modes (default: the catalogue's `signIn.title` and `signIn.signupTitle`). */
  titles?: Record<Mode, string>;
}

/**
 * Email and password (sign in, or sign up and get a verification email), and Google unless the app
 * talks to the local emulators: Google sign-in needs Google's servers, which the Auth emulator
 * cannot stand in for.
 */
export function SignInCard({
  initialMode = 'signin',
  initialEmail = '',
  intro,
  continuePath = '/',
  titles,
}: SignInCardProps) {
  const { t } = useRecruiterTranslation();
  const headings = titles ?? { signin: t('signIn.title'), signup: t('signIn.signupTitle') };
  const [mode, setMode] = useState<Mode>(initialMode);
  const [name, setName] = useState('');
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { name: useId(), email: useId(), password: useId(), passwordHint: useId() };
  const googleAvailable = !config.useEmulators;
  useDocumentTitle(mode === 'signin' ? t('signIn.title') : t('signIn.signupDocumentTitle'));

  async function run(action: () => Promise<unknown>, describe: (cause: unknown) => string | null = authErrorMessage) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (cause) {
      setError(describe(cause));
      setBusy(false);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const auth = firebaseAuth();
    void run(async () => {
      if (mode === 'signin') {
        await signInWithEmailAndPassword(auth, email.trim(), password);
      } else {
        const credential = await createUserWithEmailAndPassword(auth, email.trim(), password);
        if (name.trim()) await updateProfile(credential.user, { displayName: name.trim() });
        // The API lets a password account in once its email is verified; the link comes back here.
        await sendVerificationEmail(credential.user, continuePath).catch(() => undefined);
      }
    });
  }

  function onGoogle() {
    void run(() => signInWithPopup(firebaseAuth(), new GoogleAuthProvider()), googleErrorMessage);
  }

  const signingUp = mode === 'signup';
  return (
    <div className="card">
      <h1>{signingUp ? headings.signup : headings.signin}</h1>
      {intro}
      {error && <Banner kind="error">{error}</Banner>}
      <form onSubmit={onSubmit} className="form">
        {signingUp && (
          <div className="field">
            <label htmlFor={ids.name}>{t('signIn.name')}</label>
            <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.email}>{t('signIn.email')}</label>
          <input
            id={ids.email}
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="email"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>{t('signIn.password')}</label>
          <input
            id={ids.password}
            type="password"
            required
            minLength={6}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            aria-describedby={signingUp ? ids.passwordHint : undefined}
          />
          {signingUp && (
            <p className="field-hint" id={ids.passwordHint}>
              {t('signIn.passwordHint')}
            </p>
          )}
        </div>
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? t('signIn.wait') : signingUp ? t('signIn.createAccount') : t('signIn.signIn')}
        </button>
      </form>
      {googleAvailable ? (
        <>
          <div className="divider" role="separator">
            <span>{t('signIn.or')}</span>
          </div>
          <button type="button" className="button button--secondary button--block" onClick={onGoogle} disabled={busy}>
            <GoogleMark /> {t('signIn.google')}
          </button>
        </>
      ) : (
        <p className="muted small auth-page__note">{t('signIn.googleLocal')}</p>
      )}
      <p className="auth-page__switch">
        {signingUp ? t('signIn.haveAccount') : t('signIn.newHere')}{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setMode(signingUp ? 'signin' : 'signup');
            setError(null);
          }}
        >
          {signingUp ? t('signIn.signIn') : t('signIn.createAnAccount')}
        </button>
      </p>
    </div>
  );
}

function GoogleMark() {
  return (
    <svg width="18" height="18" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <path fill="#EA4335" d="M24 9.5c3.5 0 6.6 1.2 9.1 3.6l6.8-6.8C35.8 2.4 30.3 0 24 0 14.6 0 6.6 5.4 2.7 13.2l7.9 6.1C12.5 13.6 17.8 9.5 24 9.5z" />
      <path fill="#4285F4" d="M46.1 24.6c0-1.6-.1-3.1-.4-4.6H24v8.7h12.4c-.5 2.9-2.1 5.3-4.6 6.9l7.4 5.7c4.3-4 6.9-9.9 6.9-16.7z" />
      <path fill="#FBBC05" d="M10.6 28.7c-.5-1.4-.8-3-.8-4.7s.3-3.2.8-4.7l-7.9-6.1C1 16.5 0 20.1 0 24s1 7.5 2.7 10.8l7.9-6.1z" />
      <path fill="#34A853" d="M24 48c6.5 0 11.9-2.1 15.9-5.8l-7.4-5.7c-2.1 1.4-4.8 2.2-8.5 2.2-6.2 0-11.5-4.1-13.4-9.8l-7.9 6.1C6.6 42.6 14.6 48 24 48z" />
    </svg>
  );
}
