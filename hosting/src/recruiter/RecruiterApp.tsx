import { signOut } from 'firebase/auth';
import { lazy, Suspense } from 'react';
import { Link, NavLink, Route, Routes } from 'react-router';
import { Spinner } from '../components/Spinner';
import { firebaseAuth } from '../firebase';
import '../styles/recruiter.css';
import { AuthProvider, useAuth } from './AuthContext';
import { CreateInterviewPage } from './CreateInterviewPage';
import { DashboardPage } from './DashboardPage';
import { SignInPage } from './SignInPage';

const ReportPage = lazy(() => import('../report/ReportPage'));

/** The recruiter's area: everything behind Firebase Auth. */
export default function RecruiterApp() {
  return (
    <AuthProvider>
      <SignInGate />
    </AuthProvider>
  );
}

function SignInGate() {
  const { user, loading } = useAuth();
  if (loading) {
    return (
      <div className="page-loading">
        <Spinner label="Signing you in…" />
      </div>
    );
  }
  if (!user) return <SignInPage />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <RecruiterHeader email={user.email ?? user.displayName ?? ''} />
      <Suspense fallback={<div className="page-loading"><Spinner /></div>}>
        <Routes>
          <Route index element={<DashboardPage />} />
          <Route path="interviews/new" element={<CreateInterviewPage />} />
          <Route path="reports/:id" element={<ReportPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </>
  );
}

function RecruiterHeader({ email }: { email: string }) {
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        <span className="brand__mark" aria-hidden="true" /> AI Interviewer
      </Link>
      <nav aria-label="Main" className="app-header__nav">
        <NavLink to="/" end>
          Interviews
        </NavLink>
        <NavLink to="/interviews/new">New interview</NavLink>
      </nav>
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
