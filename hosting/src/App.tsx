import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Spinner } from './components/Spinner';

// Two lazy routes with separate chunks: the candidate's room (LiveKit, no Firebase) and the
// recruiter's pages (Firebase, no LiveKit). See vite.config.ts and scripts/report-size.mjs.
const CandidateApp = lazy(() => import('./candidate/CandidateApp'));
const RecruiterApp = lazy(() => import('./recruiter/RecruiterApp'));

export function App() {
  return (
    <ErrorBoundary>
      <Suspense fallback={<div className="page-loading"><Spinner /></div>}>
        <Routes>
          <Route path="/i/:id" element={<CandidateApp />} />
          <Route path="/*" element={<RecruiterApp />} />
        </Routes>
      </Suspense>
    </ErrorBoundary>
  );
}
