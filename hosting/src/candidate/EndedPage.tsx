import { rejoinSentence } from './grace';

interface EndedPageProps {
  by: 'agent' | 'candidate';
  candidateName?: string;
  /** The rejoin grace the API returned with the last room token. */
  graceSeconds?: number;
  onRejoin?: () => void;
}

export function EndedPage({ by, candidateName, graceSeconds, onRejoin }: EndedPageProps) {
  if (by === 'candidate') {
    return (
      <div className="card candidate-card">
        <h1>You left the interview</h1>
        <p>If you left by mistake: {rejoinSentence(graceSeconds)}</p>
        {onRejoin && (
          <button type="button" className="button button--primary" onClick={onRejoin}>
            Rejoin the interview
          </button>
        )}
        <p className="muted small">Otherwise you can close this tab.</p>
      </div>
    );
  }
  return (
    <div className="card candidate-card thank-you">
      <p className="thank-you__mark" aria-hidden="true">
        ✓
      </p>
      <h1>Thank you{candidateName ? `, ${candidateName}` : ''}!</h1>
      <p>The interview is complete. The recruiter receives a report based on the transcript and will be in touch about next steps.</p>
      <p className="muted small">You can close this tab now.</p>
    </div>
  );
}
