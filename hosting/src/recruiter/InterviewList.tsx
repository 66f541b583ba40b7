import { Link } from 'react-router';
import { StatusBadge } from '../components/StatusBadge';
import { useRecruiterTranslation } from '../i18n/recruiter';
import { formatDateTime } from '../lib/time';
import { canManageInterviews } from '../team/roles';
import { useRole } from '../team/WorkspaceContext';
import type { InterviewDoc } from '../types';
import { InterviewActions } from './InterviewActions';
import { InviteEmailStatus } from './InviteEmailStatus';

interface InterviewListProps {
  interviews: InterviewDoc[];
  scores: Record<string, number | null | undefined>;
  onAction: (action: 'cancel' | 'reevaluate' | 'delete', candidateName: string) => void;
}

/**
 * Where a row's name leads: a draft goes back to its plan review for those who may edit it (the
 * review can be left and finished later), everything else to the interview's page.
 */
export function interviewHref(interview: InterviewDoc, canEdit: boolean): string {
  const id = encodeURIComponent(interview.id);
  return canEdit && interview.status === 'draft' ? `/interviews/${id}/review` : `/reports/${id}`;
}

export function InterviewList({ interviews, scores, onAction }: InterviewListProps) {
  const { t } = useRecruiterTranslation();
  const role = useRole();
  const canEdit = role !== undefined && canManageInterviews(role);
  if (interviews.length === 0) return <p className="card muted">{t('dashboard.noMatch')}</p>;
  return (
    <table className="interview-table">
      <thead>
        <tr>
          <th scope="col">{t('dashboard.columns.candidate')}</th>
          <th scope="col">{t('dashboard.columns.role')}</th>
          <th scope="col">{t('dashboard.columns.status')}</th>
          <th scope="col">{t('dashboard.columns.created')}</th>
          <th scope="col" className="num">
            {t('dashboard.columns.score')}
          </th>
          <th scope="col">
            <span className="visually-hidden">{t('dashboard.columns.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {interviews.map((interview) => {
          const name = interview.candidate?.name || t('dashboard.unnamed');
          const score = scores[interview.id];
          const draft = canEdit && interview.status === 'draft';
          return (
            <tr key={interview.id}>
              <td data-label={t('dashboard.columns.candidate')}>
                <Link to={interviewHref(interview, canEdit)} className="interview-table__name">
                  {name}
                </Link>
                {interview.candidate?.email && <div className="muted small">{interview.candidate.email}</div>}
              </td>
              <td data-label={t('dashboard.columns.role')}>{interview.role || '—'}</td>
              <td data-label={t('dashboard.columns.status')}>
                <StatusBadge status={interview.status} />
                <InviteEmailStatus interview={interview} />
              </td>
              <td data-label={t('dashboard.columns.created')}>{formatDateTime(interview.created_at)}</td>
              <td data-label={t('dashboard.columns.score')} className="num">
                {typeof score === 'number' ? <strong>{Math.round(score)}</strong> : <span className="muted">—</span>}
              </td>
              <td className="interview-table__actions">
                <div className="actions">
                  {draft && (
                    <Link
                      to={interviewHref(interview, canEdit)}
                      className="button button--secondary button--small"
                      aria-label={t('dashboard.reviewDraftLabel', { name })}
                      data-testid="review-draft"
                    >
                      {t('dashboard.reviewDraft')}
                    </Link>
                  )}
                  <InterviewActions interview={interview} compact onDone={(action) => onAction(action, name)} />
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
