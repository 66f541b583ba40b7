import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { exportInterviewsCsv } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { canManageInterviews } from '../team/roles';
import { useWorkspace } from '../team/WorkspaceContext';
import { applyFilters, DEFAULT_FILTERS, type DashboardFilters } from './dashboardFilters';
import { FilterBar } from './FilterBar';
import { InterviewList } from './InterviewList';
import { useInterviews, useReportScores } from './useInterviews';

const PAGE_SIZE = 50;

/** The team's interviews (or, with ?mine=true, only the ones this account created), live. */
export function DashboardPage() {
  const { me, workspace, role, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  useDocumentTitle(t('dashboard.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const mine = searchParams.get('mine') === 'true';
  const [pageSize, setPageSize] = useState(PAGE_SIZE);
  const [filters, setFilters] = useState<DashboardFilters>(DEFAULT_FILTERS);
  const [notice, setNotice] = useState<string | null>(null);
  const { interviews, loading, error, hasMore } = useInterviews(workspace.id, mine ? me.uid : null, pageSize);
  const scores = useReportScores(interviews);
  const visible = useMemo(() => applyFilters(interviews, scores, filters), [interviews, scores, filters]);
  const canCreate = canManageInterviews(role);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  async function exportCsv() {
    setExporting(true);
    try {
      await exportInterviewsCsv(await credentials(), { ...filters, mine });
    } catch (cause) {
      setExportError(cause instanceof Error ? cause.message : t('dashboard.exportFailed'));
    } finally {
      setExporting(false);
    }
  }

  function setMine(value: boolean) {
    setPageSize(PAGE_SIZE);
    setSearchParams(
      (params) => {
        const next = new URLSearchParams(params);
        if (value) next.set('mine', 'true');
        else next.delete('mine');
        return next;
      },
      { replace: true },
    );
  }

  return (
    <main className="page" id="main">
      <div className="page__header">
        <h1>{t('dashboard.title')}</h1>
        {canCreate && (
          <Link to="/interviews/new" className="button button--primary">
            {t('nav.newInterview')}
          </Link>
        )}
      </div>
      <div className="segmented" role="group" aria-label={t('dashboard.whose')}>
        <button type="button" className="segmented__option" aria-pressed={!mine} onClick={() => setMine(false)}>
          {t('dashboard.allOf', { team: workspace.name })}
        </button>
        <button type="button" className="segmented__option" aria-pressed={mine} onClick={() => setMine(true)}>
          {t('dashboard.mine')}
        </button>
      </div>
      {error && <Banner kind="error">{error}</Banner>}
      {exportError && (
        <Banner kind="error" onDismiss={() => setExportError(null)}>
          {exportError}
        </Banner>
      )}
      {notice && (
        <Banner kind="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Banner>
      )}
      {loading ? (
        <Spinner label={t('dashboard.loading')} />
      ) : interviews.length === 0 && !error ? (
        <EmptyState mine={mine} canCreate={canCreate} />
      ) : (
        <>
          <FilterBar filters={filters} onChange={setFilters} />
          <div className="dashboard-count">
            <p className="muted small" role="status" aria-live="polite">
              {visible.length === interviews.length
                ? t('dashboard.count', { count: interviews.length })
                : t('dashboard.matching', { visible: visible.length, count: interviews.length })}
            </p>
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={exporting}
              onClick={() => void exportCsv()}
            >
              {exporting ? t('dashboard.exporting') : t('dashboard.exportCsv')}
            </button>
          </div>
          <InterviewList
            interviews={visible}
            scores={scores}
            onAction={(action, name) =>
              setNotice(t(`dashboard.done.${action}`, { name }))
            }
          />
          {hasMore && (
            <div className="center">
              <button type="button" className="button button--secondary" onClick={() => setPageSize((n) => n + PAGE_SIZE)}>
                {t('dashboard.showMore')}
              </button>
            </div>
          )}
        </>
      )}
    </main>
  );
}

function EmptyState({ mine, canCreate }: { mine: boolean; canCreate: boolean }) {
  const { t } = useRecruiterTranslation();
  return (
    <div className="card empty-state">
      <h2>{mine ? t('dashboard.emptyMine') : t('dashboard.empty')}</h2>
      {canCreate ? (
        <>
          <p>{t('dashboard.emptyCreate')}</p>
          <Link to="/interviews/new" className="button button--primary">
            {t('dashboard.createFirst')}
          </Link>
        </>
      ) : (
        <p>{t('dashboard.emptyViewer')}</p>
      )}
    </div>
  );
}
