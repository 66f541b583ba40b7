import { signOut } from 'firebase/auth';
import { lazy, Suspense, useId } from 'react';
import { Link, NavLink, Route, Routes, useNavigate } from 'react-router';
import { Spinner } from '../components/Spinner';
import { firebaseAuth } from '../firebase';
import { useRecruiterTranslation } from '../i18n/recruiter';
import '../styles/recruiter.css';
import { needsEmailVerification } from '../team/accounts';
import { canAdminister, canManageInterviews, roleLabel } from '../team/roles';
import { VerifyEmailPage } from '../team/VerifyEmail';
import { useWorkspace } from '../team/WorkspaceContext';
import { WorkspaceGate } from '../team/WorkspaceGate';
import { AuthProvider, useAuth } from './AuthContext';
import { CreateInterviewPage } from './CreateInterviewPage';
import { DashboardPage } from './DashboardPage';
import { ReviewDraftPage } from './ReviewDraftPage';
import { SignInPage } from './SignInPage';

const ReportPage = lazy(() => import('../report/ReportPage'));
const JoinPage = lazy(() => import('../team/JoinPage'));
const MembersPage = lazy(() => import('../team/MembersPage'));
const SettingsPage = lazy(() => import('../team/SettingsPage'));
const AuditPage = lazy(() => import('../team/AuditPage'));

const loading = (
  <div className="page-loading">
    <Spinner />
  </div>
);

/**
 * The recruiter's area: everything behind Firebase Auth and a team (workspace) membership, plus
 * the invitation page, which people open before they are members (or even signed in).
 */
export default function RecruiterApp() {
  return (
    <AuthProvider>
      <Suspense fallback={loading}>
        <Routes>
          <Route path="join/:wid/:iid" element={<JoinPage />} />
          <Route path="join/:wid" element={<JoinPage />} />
          <Route path="*" element={<SignInGate />} />
        </Routes>
      </Suspense>
    </AuthProvider>
  );
}

/** Signed in, with a verified email (password accounts), in at least one workspace: the app. */
function SignInGate() {
  const { user, loading: authLoading } = useAuth();
  const { t } = useRecruiterTranslation();
  if (authLoading) {
    return (
      <div className="page-loading">
        <Spinner label={t('shell.signingIn')} />
      </div>
    );
  }
  if (!user) return <SignInPage />;
  if (needsEmailVerification(user)) return <VerifyEmailPage user={user} />;
  return (
    <WorkspaceGate user={user}>
      <RecruiterShell email={user.email ?? user.displayName ?? ''} />
    </WorkspaceGate>
  );
}

export function RecruiterShell({ email }: { email: string }) {
  const { workspace, role } = useWorkspace();
  const { t } = useRecruiterTranslation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <RecruiterHeader email={email} />
      <Suspense fallback={loading}>
        {/* A new workspace starts every page afresh (listeners, forms, notices). */}
        <Routes key={workspace.id}>
          <Route index element={<DashboardPage />} />
          <Route
            path="interviews/new"
            element={canManageInterviews(role) ? <CreateInterviewPage /> : <NotAllowed what="create" needs="recruiter" />}
          />
          <Route
            path="interviews/:id/review"
            element={canManageInterviews(role) ? <ReviewDraftPage /> : <NotAllowed what="review" needs="recruiter" />}
          />
          <Route path="reports/:id" element={<ReportPage />} />
          <Route path="members" element={canAdminister(role) ? <MembersPage /> : <NotAllowed what="members" needs="admin" />} />
          <Route path="settings" element={canAdminister(role) ? <SettingsPage /> : <NotAllowed what="settings" needs="admin" />} />
          <Route path="audit" element={canAdminister(role) ? <AuditPage /> : <NotAllowed what="audit" needs="admin" />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </>
  );
}

function RecruiterHeader({ email }: { email: string }) {
  const { role } = useWorkspace();
  const { t } = useRecruiterTranslation();
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        <span className="brand__mark" aria-hidden="true" /> AI Interviewer
      </Link>
      <nav aria-label={t('nav.main')} className="app-header__nav">
        <NavLink to="/" end>
          {t('nav.interviews')}
        </NavLink>
        {canManageInterviews(role) && <NavLink to="/interviews/new">{t('nav.newInterview')}</NavLink>}
        {canAdminister(role) && <NavLink to="/members">{t('nav.members')}</NavLink>}
        {canAdminister(role) && <NavLink to="/settings">{t('nav.settings')}</NavLink>}
        {canAdminister(role) && <NavLink to="/audit">{t('nav.auditLog')}</NavLink>}
      </nav>
      <TeamSwitcher />
      <div className="app-header__user">
        <span className="app-header__email" title={email}>
          {email}
        </span>
        <button type="button" className="button button--ghost button--small" onClick={() => void signOut(firebaseAuth())}>
          {t('nav.signOut')}
        </button>
      </div>
    </header>
  );
}

/** The current team and the role in it; a menu to switch for people in several teams. */
export function TeamSwitcher() {
  const { workspace, workspaces, role, select } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const navigate = useNavigate();
  const id = useId();
  return (
    <div className="team-switcher">
      {workspaces.length > 1 ? (
        <>
          <label htmlFor={id} className="team-switcher__label">
            {t('shell.team')}
          </label>
          <select
            id={id}
            value={workspace.id}
            onChange={(event) => {
              select(event.target.value);
              navigate('/');
            }}
          >
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </>
      ) : (
        <span className="team-switcher__name" title={t('shell.yourTeam')}>
          {workspace.name}
        </span>
      )}
      <span className="role-badge" data-role={role}>
        {roleLabel(role)}
      </span>
    </div>
  );
}

/** What a role may not do, as the sentence "Only … of the team can …" ends. */
type Restricted = 'create' | 'review' | 'members' | 'settings' | 'audit';

function NotAllowed({ what, needs }: { what: Restricted; needs: 'recruiter' | 'admin' }) {
  const { t } = useRecruiterTranslation();
  return (
    <main className="page page--narrow" id="main">
      <div className="card">
        <h1>{t('shell.notAllowedHeading')}</h1>
        <p>{t('shell.notAllowed', { who: t(`shell.who.${needs}`), what: t(`shell.what.${what}`) })}</p>
        <p>
          <Link to="/">{t('shell.backToInterviews')}</Link>
        </p>
      </div>
    </main>
  );
}

function NotFound() {
  const { t } = useRecruiterTranslation();
  return (
    <main className="page page--narrow" id="main">
      <div className="card">
        <h1>{t('shell.notFoundHeading')}</h1>
        <p>
          <Link to="/">{t('shell.backToYourInterviews')}</Link>
        </p>
      </div>
    </main>
  );
}
