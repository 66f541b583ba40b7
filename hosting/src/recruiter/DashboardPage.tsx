import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { useUser } from './AuthContext';
import { applyFilters, DEFAULT_FILTERS, type DashboardFilters } from './dashboardFilters';
import { FilterBar } from './FilterBar';
import { InterviewList } from './InterviewList';
import { useInterviews, useReportScores } from './useInterviews';

const PAGE_SIZE = 50;

export function DashboardPage() {
  const user = useUser();
  useDocumentTitle('Interviews');
  const [pageSize, setPageSize] = useState(PAGE_SIZE);
  const [filters, setFilters] = useState<DashboardFilters>(DEFAULT_FILTERS);
  const [notice, setNotice] = useState<string | null>(null);
  const { interviews, loading, error, hasMore } = useInterviews(user.uid, pageSize);
  const scores = useReportScores(interviews);
  const visible = useMemo(() => applyFilters(interviews, scores, filters), [interviews, scores, filters]);

  return (
    <main className="page" id="main">
      <div className="page__header">
        <h1>Interviews</h1>
        <Link to="/interviews/new" className="button button--primary">
          New interview
        </Link>
      </div>
      {error && <Banner kind="error">{error}</Banner>}
      {notice && (
        <Banner kind="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      )}
      {loading ? (
        <Spinner label="Loading your interviews…" />
      ) : interviews.length === 0 && !error ? (
        <EmptyState />
      ) : (
        <>
          <FilterBar filters={filters} onChange={setFilters} />
          <p className="muted small" role="status" aria-live="polite">
            {visible.length === interviews.length
              ? `${interviews.length} interview${interviews.length === 1 ? '' : 's'}`
              : `${visible.length} of ${interviews.length} interviews match`}
          </p>
          <InterviewList
            interviews={visible}
            scores={scores}
            onAction={(action, name) =>
              setNotice(
                action === 'delete'
                  ? `${name}'s interview was deleted.`
                  : action === 'cancel'
                    ? `${name}'s interview was cancelled.`
                    : `${name}'s interview is being evaluated again.`,
              )
            }
          />
          {hasMore && (
            <div className="center">
              <button type="button" className="button button--secondary" onClick={() => setPageSize((n) => n + PAGE_SIZE)}>
                Show more
              </button>
            </div>
          )}
        </>
      )}
    </main>
  );
}

function EmptyState() {
  return (
    <div className="card empty-state">
      <h2>No interviews yet</h2>
      <p>Create an interview from a job description. You get an invite link to send to the candidate.</p>
      <Link to="/interviews/new" className="button button--primary">
        Create your first interview
      </Link>
    </div>
  );
}
