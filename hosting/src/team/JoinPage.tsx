import { signOut, type User } from 'firebase/auth';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { acceptInvitation, ApiError, joinWorkspaceByDomain, lookupInvitation } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { firebaseAuth } from '../firebase';
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
  useDocumentTitle(teamName ? `Join ${teamName}` : 'Join a team');

  let body: ReactNode;
  if (iid && !secret) {
    body = (
      <DeadEnd title="This invitation link is incomplete">
        The link must end with the secret after the <code>#</code>. Open the link from the invitation again, exactly as
        it was sent.
      </DeadEnd>
    );
  } else if (preview.status === 'failed' && preview.problem.final) {
    body = <DeadEnd title="This invitation cannot be used">{preview.problem.message}</DeadEnd>;
  } else if (loading || preview.status === 'loading') {
    body = <Spinner label="Opening the invitation…" />;
  } else if (!user) {
    const invitedEmail = preview.status === 'ready' ? preview.data.email : '';
    body = (
      <SignInCard
        initialMode="signup"
        initialEmail={invitedEmail}
        continuePath={window.location.pathname}
        titles={{ signup: 'Create your account to join', signin: 'Sign in to join' }}
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
  let text: ReactNode;
  if (domainJoin) {
    text = <>A team lets people with a verified address at its email domains join it. Sign in to join.</>;
  } else if (preview.status === 'ready') {
    const { workspace, email, role, expires_at: expiresAt } = preview.data;
    text = (
      <>
        <strong>{workspace.name}</strong> invites <strong>{email}</strong> to join as{' '}
        <strong>{roleLabel(role).toLowerCase()}</strong> ({ROLE_DESCRIPTIONS[role] ?? 'a member'}).
        {expiresAt && <> The invitation is valid until {formatDateTime(expiresAt)}.</>}
      </>
    );
  } else {
    text = <>You are invited to join a hiring team. Sign in, or create an account with the address the invitation was sent to.</>;
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
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<JoinProblem | null>(preview.status === 'failed' ? preview.problem : null);
  const data = preview.status === 'ready' ? preview.data : null;
  const name = data?.workspace.name ?? 'the team';
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

  const label = `Join ${name}${role ? ` as ${role}` : ''}`;
  return (
    <section className="card" aria-labelledby="join-heading">
      <h1 id="join-heading">{data ? `Join ${data.workspace.name}` : 'Join the team'}</h1>
      {data && (
        <p>
          You are invited as <strong>{role}</strong>: {ROLE_DESCRIPTIONS[data.role] ?? 'a member of the team'}.
        </p>
      )}
      <p className="muted small">
        Signed in as <strong>{user.email}</strong>.
      </p>
      {wrongAccount && data && (
        <Banner kind="warning">
          This invitation is for <strong>{data.email}</strong>. Sign out, then sign in or create an account with that address.
        </Banner>
      )}
      {problem && <Banner kind="error">{problem.message}</Banner>}
      <div className="form__actions">
        {!problem?.final && (
          <button type="button" className="button button--primary" onClick={() => void join()} disabled={busy || wrongAccount}>
            {busy ? 'Joining…' : label}
          </button>
        )}
        {problem?.final && (
          <Link to="/" className="button button--secondary">
            Go to your interviews
          </Link>
        )}
        <button type="button" className="button button--ghost" onClick={() => void signOut(firebaseAuth())}>
          Use another account
        </button>
      </div>
    </section>
  );
}

function DeadEnd({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby="dead-end-heading">
      <h1 id="dead-end-heading">{title}</h1>
      <p>{children}</p>
      <p>
        <Link to="/">Go to AI Interviewer</Link>
      </p>
    </section>
  );
}
