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
  if (authLoading) {
    return (
      <div className="page-loading">
        <Spinner label="Signing you in…" />
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
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <RecruiterHeader email={email} />
      <Suspense fallback={loading}>
        {/* A new workspace starts every page afresh (listeners, forms, notices). */}
        <Routes key={workspace.id}>
          <Route index element={<DashboardPage />} />
          <Route
            path="interviews/new"
            element={canManageInterviews(role) ? <CreateInterviewPage /> : <NotAllowed what="create interviews" needs="recruiter" />}
          />
          <Route path="reports/:id" element={<ReportPage />} />
          <Route path="members" element={canAdminister(role) ? <MembersPage /> : <NotAllowed what="manage members" needs="admin" />} />
          <Route path="settings" element={canAdminister(role) ? <SettingsPage /> : <NotAllowed what="change settings" needs="admin" />} />
          <Route path="audit" element={canAdminister(role) ? <AuditPage /> : <NotAllowed what="read the audit log" needs="admin" />} />
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
      <nav aria-label="Main" className="app-header__nav">
        <NavLink to="/" end>
          Interviews
        </NavLink>
        {canManageInterviews(role) && <NavLink to="/interviews/new">New interview</NavLink>}
        {canAdminister(role) && <NavLink to="/members">Members</NavLink>}
        {canAdminister(role) && <NavLink to="/settings">Settings</NavLink>}
        {canAdminister(role) && <NavLink to="/audit">{t('nav.auditLog')}</NavLink>}
      </nav>
      <TeamSwitcher />
      <div className="app-header__user">
        <span className="app-header__email" title={email}>
          {email}
        </span>
        <button type="button" className="button button--ghost button--small" onClick={() => void signOut(firebaseAuth())}>
          Sign out
        </button>
      </div>
    </header>
  );
}

/** The current team and the role in it; a menu to switch for people in several teams. */
export function TeamSwitcher() {
  const { workspace, workspaces, role, select } = useWorkspace();
  const navigate = useNavigate();
  const id = useId();
  return (
    <div className="team-switcher">
      {workspaces.length > 1 ? (
        <>
          <label htmlFor={id} className="team-switcher__label">
            Team
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
        <span className="team-switcher__name" title="Your team">
          {workspace.name}
        </span>
      )}
      <span className="role-badge" data-role={role}>
        {roleLabel(role)}
      </span>
    </div>
  );
}

function NotAllowed({ what, needs }: { what: string; needs: 'recruiter' | 'admin' }) {
  return (
    <main className="page page--narrow" id="main">
      <div className="card">
        <h1>Not available with your role</h1>
        <p>
          Only {needs === 'admin' ? 'admins and owners' : 'recruiters, admins and owners'} of the team can {what}. Ask an
          admin of your team if you need it.
        </p>
        <p>
          <Link to="/">Back to the interviews</Link>
        </p>
      </div>
    </main>
  );
}

function NotFound() {
  return (
    <main className="page page--narrow" id="main">
      <div className="card">
        <h1>Page not found</h1>
        <p>
          <Link to="/">Back to your interviews</Link>
        </p>
      </div>
    </main>
  );
}
