import { signOut, type User } from 'firebase/auth';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, getMe } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { firebaseAuth, idToken } from '../firebase';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import type { Me } from '../types';
import { WorkspaceContext, type WorkspaceContextValue } from './WorkspaceContext';
import { loadWorkspaceChoice, pickWorkspace, saveWorkspaceChoice } from './workspaceStore';

type MeState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; me: Me };

/**
 * After sign-in: asks the API who the account is (GET /api/me) and which workspaces it belongs to.
 * No workspace: the "not a member of a hiring team yet" page. Otherwise the children get the
 * current workspace (the stored choice, else the first) through WorkspaceContext.
 */
export function WorkspaceGate({ user, children }: { user: User; children: ReactNode }) {
  const [state, setState] = useState<MeState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [choice, setChoice] = useState<string | null>(() => loadWorkspaceChoice(user.uid));
  const uid = user.uid;

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const me = await getMe(await user.getIdToken(), controller.signal);
        if (!controller.signal.aborted) setState({ status: 'ready', me });
      } catch (cause) {
        if (controller.signal.aborted) return;
        const message =
          cause instanceof ApiError ? cause.message : cause instanceof Error ? cause.message : 'Something went wrong.';
        setState({ status: 'error', message });
      }
    })();
    return () => controller.abort();
  }, [user, attempt]);

  /** Asks again in the background: the current pages stay until the answer arrives. */
  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);
  /** Asks again from a gate page (error, no workspace), showing the spinner meanwhile. */
  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  const select = useCallback(
    (workspaceId: string) => {
      saveWorkspaceChoice(uid, workspaceId);
      setChoice(workspaceId);
    },
    [uid],
  );

  const me = state.status === 'ready' ? state.me : null;
  const current = me ? pickWorkspace(me.workspaces, choice) : null;
  const value = useMemo<WorkspaceContextValue | null>(() => {
    if (!me || !current) return null;
    return {
      me,
      workspaces: me.workspaces,
      workspace: current,
      role: current.role,
      select,
      reload,
      credentials: async () => ({ idToken: await idToken(), workspaceId: current.id }),
    };
  }, [me, current, select, reload]);

  if (state.status === 'loading') {
    return (
      <div className="page-loading">
        <Spinner label="Loading your team…" />
      </div>
    );
  }
  if (state.status === 'error') {
    return <GateError message={state.message} onRetry={retry} />;
  }
  if (!value) return <NoWorkspacePage email={state.me.email || user.email || ''} onCheckAgain={retry} />;
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

function GateError({ message, onRetry }: { message: string; onRetry: () => void }) {
  useDocumentTitle('Something went wrong');
  return (
    <main className="page page--narrow auth-page" id="main">
      <div className="card">
        <h1>Your team could not be loaded</h1>
        <Banner kind="error">{message}</Banner>
        <div className="form__actions">
          <button type="button" className="button button--primary" onClick={onRetry}>
            Try again
          </button>
          <button type="button" className="button button--ghost" onClick={() => void signOut(firebaseAuth())}>
            Sign out
          </button>
        </div>
      </div>
    </main>
  );
}

/** Signed in, but in no workspace: nothing of any team is shown. */
export function NoWorkspacePage({ email, onCheckAgain }: { email: string; onCheckAgain: () => void }) {
  useDocumentTitle('No team yet');
  return (
    <main className="page page--narrow auth-page" id="main">
      <div className="card">
        <h1>You are not a member of a hiring team yet</h1>
        <p>Ask an admin of your team to invite you. The invitation is a link: open it and you join the team.</p>
        <p className="muted small">
          You are signed in as <strong>{email}</strong>. The invitation must be for this address.
        </p>
        <div className="form__actions">
          <button type="button" className="button button--secondary" onClick={onCheckAgain}>
            Check again
          </button>
          <button type="button" className="button button--ghost" onClick={() => void signOut(firebaseAuth())}>
            Sign out
          </button>
        </div>
      </div>
    </main>
  );
}
