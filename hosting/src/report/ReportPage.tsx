import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { getReport, reevaluateInterview, reviewReport } from '../api';
import { Banner } from '../components/Banner';
import { Spinner } from '../components/Spinner';
import { StatusBadge } from '../components/StatusBadge';
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
  useDocumentTitle(interview.data?.candidate?.name ? `${interview.data.candidate.name} · Report` : 'Report');

  if (interview.loading) {
    return (
      <main className="page" id="main">
        <Spinner label="Loading the interview…" />
      </main>
    );
  }
  if (!interview.data) {
    return (
      <main className="page page--narrow" id="main">
        <div className="card">
          <h1>Interview not found</h1>
          <p>{interview.error === 'not_found' ? 'It may have been deleted, or it belongs to another team.' : interview.error}</p>
          <Link to="/">Back to your interviews</Link>
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
  return (
    <header className="report-header">
      <p className="report-header__back no-print">
        <Link to="/">← Interviews</Link>
      </p>
      <div className="report-header__title">
        <h1>{interview.candidate?.name || 'Unnamed candidate'}</h1>
        <StatusBadge status={interview.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>Role</dt>
          <dd>{interview.role || '—'}</dd>
        </div>
        {interview.candidate?.email && (
          <div>
            <dt>Email</dt>
            <dd>{interview.candidate.email}</dd>
          </div>
        )}
        <div>
          <dt>Language</dt>
          <dd>{LANGUAGE_LABEL(interview.language)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{interview.duration_minutes ? `${interview.duration_minutes} min` : '—'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(interview.created_at)}</dd>
        </div>
        {interview.started_at != null && (
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(interview.started_at)}</dd>
          </div>
        )}
        <div>
          <dt>Consent</dt>
          <dd data-testid="consent">
            {interview.consent?.version
              ? `${interview.consent.version} (${interview.consent.language ?? '?'}), ${formatDateTime(interview.consent.accepted_at)}, text SHA-256 ${(interview.consent.text_sha256 ?? '').slice(0, 12)}…`
              : 'not given yet'}
          </dd>
        </div>
        {interview.end_reason && (
          <div>
            <dt>Ended</dt>
            <dd>{END_REASON_LABELS[interview.end_reason] ?? interview.end_reason}</dd>
          </div>
        )}
      </dl>
      <ExperiencePanel interview={interview} />
      <div className="report-header__actions no-print">
        {hasReport && (
          <button type="button" className="button button--secondary" onClick={() => window.print()}>
            Print or save as PDF
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
  // The report is read live, so the released recommendation appears on its own after the review.
  const onReview = canManageInterviews(role)
    ? async () => {
        await reviewReport(interview.id, await credentials());
      }
    : undefined;
  const name = interview.candidate?.name || 'Candidate';
  const transcript = (title: string) => (
    <section className="card" aria-labelledby="live-transcript-heading">
      <h2 id="live-transcript-heading">{title}</h2>
      <Transcript turns={turns} startedAt={interview.started_at} candidateName={name} />
    </section>
  );

  if (status === 'evaluated' && report) return <ReportView report={report} interview={interview} turns={turns} onReview={onReview} />;
  if (status === 'evaluated' && reportLoading) return <Spinner label="Loading the report…" />;
  if (status === 'evaluated') {
    return (
      <>
        <Banner kind="warning">The interview is marked evaluated, but its report is not available. Try re-evaluating it.</Banner>
        {transcript('Transcript')}
      </>
    );
  }

  if (status === 'completed' || status === 'evaluating') {
    return (
      <>
        <EvaluationProgress status={status} attempts={interview.evaluation?.attempts} />
        {report && (
          <p className="muted small">The previous report is shown below until the new one is ready.</p>
        )}
        {report ? <ReportView report={report} interview={interview} turns={turns} /> : transcript('Transcript')}
      </>
    );
  }

  if (status === 'evaluation_failed') {
    return (
      <>
        <EvaluationFailed interview={interview} />
        {report ? <ReportView report={report} interview={interview} turns={turns} /> : transcript('Transcript')}
      </>
    );
  }

  if (status === 'invited') {
    return (
      <>
        <Banner kind="info">
          Waiting for {name} to open the invite link
          {interview.invite?.expires_at != null && <> (valid until {formatDateTime(interview.invite.expires_at)})</>}.
          This page updates by itself.
        </Banner>
      </>
    );
  }
  if (status === 'in_progress') {
    return (
      <>
        <Banner kind="info">
          <span className="live-dot" aria-hidden="true" /> The interview is running. The transcript below grows as it goes.
        </Banner>
        {transcript('Live transcript')}
      </>
    );
  }
  if (status === 'cancelled' || status === 'expired') {
    return (
      <>
        <Banner kind="warning">
          {status === 'cancelled' ? 'This interview was cancelled.' : 'The invite expired before the interview took place.'}
        </Banner>
        {turns.length > 0 && transcript('Transcript')}
      </>
    );
  }
  return transcript('Transcript');
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
  const [state, setState] = useState<'idle' | 'busy' | 'error'>('idle');
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="banner banner--error" role="alert">
      <div className="banner__body">
        <p>
          <strong>The evaluation failed</strong>
          {interview.evaluation?.attempts ? ` after ${interview.evaluation.attempts} attempts` : ''}.
        </p>
        {interview.evaluation?.last_error && (
          <p className="small">
            Reason: <code data-testid="last-error">{interview.evaluation.last_error}</code>
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
              setMessage(cause instanceof Error ? cause.message : 'Retrying failed.');
            }
          }}
        >
          {state === 'busy' ? 'Retrying…' : 'Retry evaluation'}
        </button>
      )}
    </div>
  );
}
