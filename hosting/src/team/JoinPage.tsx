import { signOut, type User } from 'firebase/auth';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { acceptInvitation, ApiError, joinWorkspaceByDomain, lookupInvitation } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { firebaseAuth } from '../firebase';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { formatDateTime } from '../lib/time';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useAuth } from '../recruiter/AuthContext';
import { SignInCard } from '../recruiter/SignInPage';
import type { InvitationPreview, WorkspaceSummary } from '../types';
import { needsEmailVerification } from './accounts';
import { joinProblem, lookupUnsupported, type JoinProblem } from './joinErrors';
import { forgetJoinSecret, takeJoinSecret } from './joinSecret';
import { roleLabel, ROLE_DESCRIPTIONS } from './roles';
import { VerifyEmail } from './VerifyEmail';
import { saveWorkspaceChoice } from './workspaceStore';

type Preview =
  | { status: 'loading' }
  | { status: 'ready'; data: InvitationPreview }
  /** The API could not tell (no such route, no answer): carry on without names. */
  | { status: 'unknown' }
  | { status: 'failed'; problem: JoinProblem };

/**
 * /join/:wid/:iid#secret (an invitation) and /join/:wid (joining by an allowed email domain):
 * sign in or sign up, verify the email if needed, then "Join <team> as <role>".
 */
export default function JoinPage() {
  const { wid = '', iid } = useParams();
  // Read (and taken off the address bar) before anything else renders; see joinSecret.ts.
  const [secret] = useState(() => (iid ? takeJoinSecret(wid, iid) : null));
  const { user, loading } = useAuth();
  const preview = useInvitationPreview(wid, iid, secret);
  const teamName = preview.status === 'ready' ? preview.data.workspace.name : null;
  const { t } = useRecruiterTranslation();
  useDocumentTitle(teamName ? t('join.joinTeam', { team: teamName }) : t('join.documentTitle'));

  let body: ReactNode;
  if (iid && !secret) {
    body = (
      <DeadEnd title={t('join.incompleteTitle')}>
        {t('join.incompleteBefore')} <code>#</code>. {t('join.incompleteAfter')}
      </DeadEnd>
    );
  } else if (preview.status === 'failed' && preview.problem.final) {
    body = <DeadEnd title={t('join.unusableTitle')}>{preview.problem.message}</DeadEnd>;
  } else if (loading || preview.status === 'loading') {
    body = <Spinner label={t('join.opening')} />;
  } else if (!user) {
    const invitedEmail = preview.status === 'ready' ? preview.data.email : '';
    body = (
      <SignInCard
        initialMode="signup"
        initialEmail={invitedEmail}
        continuePath={window.location.pathname}
        titles={{ signup: t('join.signupTitle'), signin: t('join.signinTitle') }}
        intro={<InvitationSummary preview={preview} domainJoin={!iid} />}
      />
    );
  } else if (needsEmailVerification(user)) {
    body = (
      <>
        <InvitationSummary preview={preview} domainJoin={!iid} card />
        <VerifyEmail user={user} continuePath={window.location.pathname} />
      </>
    );
  } else {
    body = <JoinCard user={user} workspaceId={wid} invitationId={iid} secret={secret} preview={preview} />;
  }

  return (
    <>
      <header className="app-header">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true" /> AI Interviewer
        </Link>
      </header>
      <main className="page page--narrow auth-page" id="main">
        {body}
      </main>
    </>
  );
}

function useInvitationPreview(workspaceId: string, invitationId: string | undefined, secret: string | null): Preview {
  const needed = Boolean(invitationId && secret);
  const [state, setState] = useState<Preview>(needed ? { status: 'loading' } : { status: 'unknown' });
  useEffect(() => {
    if (!invitationId || !secret) return;
    const controller = new AbortController();
    lookupInvitation({ workspace_id: workspaceId, invitation_id: invitationId, secret }, controller.signal).then(
      (data) => setState({ status: 'ready', data }),
      (cause) => {
        if (controller.signal.aborted) return;
        if (lookupUnsupported(cause)) setState({ status: 'unknown' });
        else {
          const problem = joinProblem(cause, null);
          if (problem.final) forgetJoinSecret(workspaceId, invitationId);
          setState({ status: 'failed', problem });
        }
      },
    );
    return () => controller.abort();
  }, [workspaceId, invitationId, secret]);
  return state;
}

function InvitationSummary({ preview, domainJoin, card = false }: { preview: Preview; domainJoin: boolean; card?: boolean }) {
  const { t } = useRecruiterTranslation();
  let text: ReactNode;
  if (domainJoin) {
    text = <>{t('join.domainSummary')}</>;
  } else if (preview.status === 'ready') {
    const { workspace, email, role, expires_at: expiresAt } = preview.data;
    text = (
      <>
        <strong>{workspace.name}</strong> {t('join.invites')} <strong>{email}</strong> {t('join.toJoinAs')}{' '}
        <strong>{roleLabel(role).toLowerCase()}</strong> ({ROLE_DESCRIPTIONS[role] ?? t('join.aMember')}).
        {expiresAt && <> {t('join.validUntil', { when: formatDateTime(expiresAt) })}</>}
      </>
    );
  } else {
    text = <>{t('join.invitedSummary')}</>;
  }
  return card ? (
    <div className="card">
      <p className="join-summary">{text}</p>
    </div>
  ) : (
    <p className="join-summary">{text}</p>
  );
}

interface JoinCardProps {
  user: User;
  workspaceId: string;
  invitationId: string | undefined;
  secret: string | null;
  preview: Preview;
}

function JoinCard({ user, workspaceId, invitationId, secret, preview }: JoinCardProps) {
  const navigate = useNavigate();
  const { t } = useRecruiterTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<JoinProblem | null>(preview.status === 'failed' ? preview.problem : null);
  const data = preview.status === 'ready' ? preview.data : null;
  const name = data?.workspace.name ?? t('join.theTeam');
  const role = data ? roleLabel(data.role).toLowerCase() : invitationId ? null : 'viewer';
  const wrongAccount = Boolean(data && user.email && data.email.toLowerCase() !== user.email.toLowerCase());

  function joined(workspace: WorkspaceSummary) {
    if (invitationId) forgetJoinSecret(workspaceId, invitationId);
    saveWorkspaceChoice(user.uid, workspace.id);
    navigate('/', { replace: true });
  }

  async function join() {
    setBusy(true);
    setProblem(null);
    try {
      const token = await user.getIdToken();
      const answer =
        invitationId && secret
          ? await acceptInvitation({ workspace_id: workspaceId, invitation_id: invitationId, secret }, token)
          : await joinWorkspaceByDomain(workspaceId, token);
      joined(answer.workspace);
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'already_member') {
        joined({ id: workspaceId, name, role: data?.role ?? 'viewer' });
        return;
      }
      const found = joinProblem(cause, user.email);
      if (found.final && invitationId) forgetJoinSecret(workspaceId, invitationId);
      setProblem(found);
      setBusy(false);
    }
  }

  const label = role ? t('join.joinAs', { team: name, role }) : t('join.joinTeam', { team: name });
  return (
    <section className="card" aria-labelledby="join-heading">
      <h1 id="join-heading">{data ? t('join.joinTeam', { team: data.workspace.name }) : t('join.joinTheTeam')}</h1>
      {data && (
        <p>
          {t('join.invitedAs')} <strong>{role}</strong>: {ROLE_DESCRIPTIONS[data.role] ?? t('join.aMemberOfTheTeam')}.
        </p>
      )}
      <p className="muted small">
        {t('join.signedInAs')} <strong>{user.email}</strong>.
      </p>
      {wrongAccount && data && (
        <Banner kind="warning">
          {t('join.wrongAccountBefore')} <strong>{data.email}</strong>. {t('join.wrongAccountAfter')}
        </Banner>
      )}
      {problem && <Banner kind="error">{problem.message}</Banner>}
      <div className="form__actions">
        {!problem?.final && (
          <button type="button" className="button button--primary" onClick={() => void join()} disabled={busy || wrongAccount}>
            {busy ? t('join.joining') : label}
          </button>
        )}
        {problem?.final && (
          <Link to="/" className="button button--secondary">
            {t('join.goToInterviews')}
          </Link>
        )}
        <button type="button" className="button button--ghost" onClick={() => void signOut(firebaseAuth())}>
          {t('join.anotherAccount')}
        </button>
      </div>
    </section>
  );
}

function DeadEnd({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useRecruiterTranslation();
  return (
    <section className="card" aria-labelledby="dead-end-heading">
      <h1 id="dead-end-heading">{title}</h1>
      <p>{children}</p>
      <p>
        <Link to="/">{t('join.goHome')}</Link>
      </p>
    </section>
  );
}
