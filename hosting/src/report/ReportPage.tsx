import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { getReport, reevaluateInterview, reviewReport } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { StatusBadge } from '../components/StatusBadge';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { END_REASON_LABELS, LANGUAGE_LABEL } from './reportLabels';
import { formatDateTime } from '../lib/time';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { InterviewActions } from '../recruiter/InterviewActions';
import { canManageInterviews } from '../team/roles';
import { useWorkspace } from '../team/WorkspaceContext';
import '../styles/report.css';
import type { InterviewDoc, ReportDoc, TurnDoc } from '../types';
import { EvaluationProgress } from './EvaluationProgress';
import { ReportDownloads } from './ReportDownloads';
import ExperiencePanel from './ExperiencePanel';
import { ReportView } from './ReportView';
import { Transcript } from './Transcript';
import { useInterview, useReport, useTurns } from './useReportData';

/** /reports/:id: the interview, its live transcript and, once evaluated, its report. */
export default function ReportPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const interview = useInterview(id);
  const status = interview.data?.status;
  const turns = useTurns(id, interview.data != null);
  const report = useReport(id, status);
  useAuditReportView(id, report.data != null);
  const { t } = useRecruiterTranslation();
  const name = interview.data?.candidate?.name;
  useDocumentTitle(name ? t('interview.documentTitleOf', { name }) : t('interview.documentTitle'));

  if (interview.loading) {
    return (
      <main className="page" id="main">
        <Spinner label={t('interview.loading')} />
      </main>
    );
  }
  if (!interview.data) {
    return (
      <main className="page page--narrow" id="main">
        <div className="card">
          <h1>{t('interview.notFound')}</h1>
          <p>{interview.error === 'not_found' ? t('interview.notFoundWhy') : interview.error}</p>
          <Link to="/">{t('shell.backToYourInterviews')}</Link>
        </div>
      </main>
    );
  }

  const data = interview.data;
  return (
    <main className="page report-page" id="main">
      <InterviewHeader interview={data} onDeleted={() => navigate('/', { replace: true })} hasReport={report.data != null} />
      {turns.error && <Banner kind="error">{turns.error}</Banner>}
      {report.error && <Banner kind="error">{report.error}</Banner>}
      <StatusSection interview={data} report={report.data} reportLoading={report.loading} turns={turns.data} />
    </main>
  );
}

function InterviewHeader({
  interview,
  onDeleted,
  hasReport,
}: {
  interview: InterviewDoc;
  onDeleted: () => void;
  hasReport: boolean;
}) {
  const { t } = useRecruiterTranslation();
  return (
    <header className="report-header">
      <p className="report-header__back no-print">
        <Link to="/">← {t('nav.interviews')}</Link>
      </p>
      <div className="report-header__title">
        <h1>{interview.candidate?.name || t('dashboard.unnamed')}</h1>
        <StatusBadge status={interview.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>{t('interview.role')}</dt>
          <dd>{interview.role || '—'}</dd>
        </div>
        {interview.candidate?.email && (
          <div>
            <dt>{t('interview.email')}</dt>
            <dd>{interview.candidate.email}</dd>
          </div>
        )}
        <div>
          <dt>{t('interview.language')}</dt>
          <dd>{LANGUAGE_LABEL(interview.language)}</dd>
        </div>
        <div>
          <dt>{t('interview.duration')}</dt>
          <dd>{interview.duration_minutes ? t('interview.minutes', { minutes: interview.duration_minutes }) : '—'}</dd>
        </div>
        <div>
          <dt>{t('interview.created')}</dt>
          <dd>{formatDateTime(interview.created_at)}</dd>
        </div>
        {interview.started_at != null && (
          <div>
            <dt>{t('interview.started')}</dt>
            <dd>{formatDateTime(interview.started_at)}</dd>
          </div>
        )}
        <div>
          <dt>{t('interview.consent')}</dt>
          <dd data-testid="consent">
            {interview.consent?.version
              ? t('interview.consentGiven', {
                  version: interview.consent.version,
                  language: interview.consent.language ?? '?',
                  when: formatDateTime(interview.consent.accepted_at),
                  sha: (interview.consent.text_sha256 ?? '').slice(0, 12),
                })
              : t('interview.noConsent')}
          </dd>
        </div>
        {interview.end_reason && (
          <div>
            <dt>{t('interview.ended')}</dt>
            <dd>{END_REASON_LABELS[interview.end_reason] ?? interview.end_reason}</dd>
          </div>
        )}
      </dl>
      <ExperiencePanel interview={interview} />
      <div className="report-header__actions no-print">
        {hasReport && (
          <button type="button" className="button button--secondary" onClick={() => window.print()}>
            {t('interview.print')}
          </button>
        )}
        {hasReport && <ReportDownloads id={interview.id} />}
        <InterviewActions interview={interview} onDone={(action) => action === 'delete' && onDeleted()} />
      </div>
    </header>
  );
}

interface StatusSectionProps {
  interview: InterviewDoc;
  report: ReportDoc | null;
  reportLoading: boolean;
  turns: TurnDoc[];
}

function StatusSection({ interview, report, reportLoading, turns }: StatusSectionProps) {
  const status = interview.status;
  const { role, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  // The report is read live, so the released recommendation appears on its own after the review.
  const onReview = canManageInterviews(role)
    ? async () => {
        await reviewReport(interview.id, await credentials());
      }
    : undefined;
  const name = interview.candidate?.name || t('report.candidate');
  const transcript = (title: string) => (
    <section className="card" aria-labelledby="live-transcript-heading">
      <h2 id="live-transcript-heading">{title}</h2>
      <Transcript turns={turns} startedAt={interview.started_at} candidateName={name} />
    </section>
  );

  if (status === 'evaluated' && report) return <ReportView report={report} interview={interview} turns={turns} onReview={onReview} />;
  if (status === 'evaluated' && reportLoading) return <Spinner label={t('interview.loadingReport')} />;
  if (status === 'evaluated') {
    return (
      <>
        <Banner kind="warning">{t('interview.reportMissing')}</Banner>
        {transcript(t('report.transcript'))}
      </>
    );
  }

  if (status === 'completed' || status === 'evaluating') {
    return (
      <>
        <EvaluationProgress status={status} attempts={interview.evaluation?.attempts} />
        {report && (
          <p className="muted small">{t('interview.previousReport')}</p>
        )}
        {report ? <ReportView report={report} interview={interview} turns={turns} /> : transcript(t('report.transcript'))}
      </>
    );
  }

  if (status === 'evaluation_failed') {
    return (
      <>
        <EvaluationFailed interview={interview} />
        {report ? <ReportView report={report} interview={interview} turns={turns} /> : transcript(t('report.transcript'))}
      </>
    );
  }

  if (status === 'invited') {
    return (
      <>
        <Banner kind="info">
          {t('interview.waiting', { name })}
          {interview.invite?.expires_at != null && (
            <> ({t('interview.validUntil', { when: formatDateTime(interview.invite.expires_at) })})</>
          )}
          . {t('interview.updatesItself')}
        </Banner>
      </>
    );
  }
  if (status === 'in_progress') {
    return (
      <>
        <Banner kind="info">
          <span className="live-dot" aria-hidden="true" /> {t('interview.running')}
        </Banner>
        {transcript(t('interview.liveTranscript'))}
      </>
    );
  }
  if (status === 'cancelled' || status === 'expired') {
    return (
      <>
        <Banner kind="warning">
          {status === 'cancelled' ? t('interview.cancelled') : t('interview.expired')}
        </Banner>
        {turns.length > 0 && transcript(t('report.transcript'))}
      </>
    );
  }
  return transcript(t('report.transcript'));
}

/**
 * The page reads the report live from Firestore; one GET /api/reports/{id} per opened report makes
 * the API write the team's `report.viewed` audit entry (its answer is not needed).
 */
function useAuditReportView(id: string, shown: boolean) {
  const { credentials } = useWorkspace();
  const recorded = useRef<string | null>(null);
  useEffect(() => {
    if (!shown || recorded.current === id) return;
    recorded.current = id;
    void credentials()
      .then((auth) => getReport(id, auth))
      .catch(() => undefined);
  }, [id, shown, credentials]);
}

function EvaluationFailed({ interview }: { interview: InterviewDoc }) {
  const { role, credentials } = useWorkspace();
  const { t } = useRecruiterTranslation();
  const [state, setState] = useState<'idle' | 'busy' | 'error'>('idle');
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="banner banner--error" role="alert">
      <div className="banner__body">
        <p>
          <strong>{t('interview.evaluationFailed')}</strong>
          {interview.evaluation?.attempts ? ` ${t('interview.afterAttempts', { count: interview.evaluation.attempts })}` : ''}.
        </p>
        {interview.evaluation?.last_error && (
          <p className="small">
            {t('interview.reason')} <code data-testid="last-error">{interview.evaluation.last_error}</code>
          </p>
        )}
        {message && <p className="small">{message}</p>}
      </div>
      {canManageInterviews(role) && (
        <button
          type="button"
          className="button button--primary no-print"
          disabled={state === 'busy'}
          onClick={async () => {
            setState('busy');
            setMessage(null);
            try {
              await reevaluateInterview(interview.id, await credentials());
              setState('idle');
            } catch (cause) {
              setState('error');
              setMessage(cause instanceof Error ? cause.message : t('interview.retryFailed'));
            }
          }}
        >
          {state === 'busy' ? t('interview.retrying') : t('interview.retry')}
        </button>
      )}
    </div>
  );
}
