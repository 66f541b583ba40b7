import { Link } from 'react-router';
import { StatusBadge } from '../components/StatusBadge';
import { formatDateTime } from '../lib/time';
import type { InterviewDoc } from '../types';
import { InterviewActions } from './InterviewActions';
import { InviteEmailStatus } from './InviteEmailStatus';

interface InterviewListProps {
  interviews: InterviewDoc[];
  scores: Record<string, number | null | undefined>;
  onAction: (action: 'cancel' | 'reevaluate' | 'delete', candidateName: string) => void;
}

export function InterviewList({ interviews, scores, onAction }: InterviewListProps) {
  if (interviews.length === 0) return <p className="card muted">No interviews match your search.</p>;
  return (
    <table className="interview-table">
      <thead>
        <tr>
          <th scope="col">Candidate</th>
          <th scope="col">Role</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col" className="num">
            Score
          </th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {interviews.map((interview) => {
          const name = interview.candidate?.name || 'Unnamed candidate';
          const score = scores[interview.id];
          return (
            <tr key={interview.id}>
              <td data-label="Candidate">
                <Link to={`/reports/${encodeURIComponent(interview.id)}`} className="interview-table__name">
                  {name}
                </Link>
                {interview.candidate?.email && <div className="muted small">{interview.candidate.email}</div>}
              </td>
              <td data-label="Role">{interview.role || '—'}</td>
              <td data-label="Status">
                <StatusBadge status={interview.status} />
                <InviteEmailStatus interview={interview} />
              </td>
              <td data-label="Created">{formatDateTime(interview.created_at)}</td>
              <td data-label="Score" className="num">
                {typeof score === 'number' ? <strong>{Math.round(score)}</strong> : <span className="muted">—</span>}
              </td>
              <td className="interview-table__actions">
                <InterviewActions interview={interview} compact onDone={(action) => onAction(action, name)} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
