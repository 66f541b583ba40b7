import { signOut, type User } from 'firebase/auth';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, getMe } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { firebaseAuth, idToken } from '../firebase';
import { recruiterI18n, useRecruiterTranslation } from '../i18n/recruiter';
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
          cause instanceof ApiError
            ? cause.message
            : cause instanceof Error
              ? cause.message
              : recruiterI18n.t('gate.failed');
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
        <Spinner label={recruiterI18n.t('gate.loading')} />
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
  const { t } = useRecruiterTranslation();
  useDocumentTitle(t('gate.errorTitle'));
  return (
    <main className="page page--narrow auth-page" id="main">
      <div className="card">
        <h1>{t('gate.errorHeading')}</h1>
        <Banner kind="error">{message}</Banner>
        <div className="form__actions">
          <button type="button" className="button button--primary" onClick={onRetry}>
            {t('gate.tryAgain')}
          </button>
          <button type="button" className="button button--ghost" onClick={() => void signOut(firebaseAuth())}>
            {t('nav.signOut')}
          </button>
        </div>
      </div>
    </main>
  );
}

/** Signed in, but in no workspace: nothing of any team is shown. */
export function NoWorkspacePage({ email, onCheckAgain }: { email: string; onCheckAgain: () => void }) {
  const { t } = useRecruiterTranslation();
  useDocumentTitle(t('gate.noTeamTitle'));
  return (
    <main className="page page--narrow auth-page" id="main">
      <div className="card">
        <h1>{t('gate.noTeamHeading')}</h1>
        <p>{t('gate.noTeamAsk')}</p>
        <p className="muted small">
          {t('gate.signedInAs')} <strong>{email}</strong>. {t('gate.mustBeFor')}
        </p>
        <div className="form__actions">
          <button type="button" className="button button--secondary" onClick={onCheckAgain}>
            {t('gate.checkAgain')}
          </button>
          <button type="button" className="button button--ghost" onClick={() => void signOut(firebaseAuth())}>
            {t('nav.signOut')}
          </button>
        </div>
      </div>
    </main>
  );
}
