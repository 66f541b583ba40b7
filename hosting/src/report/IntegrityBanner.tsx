import { useState } from 'react';
import { formatDateTime } from '../lib/time';
import type { ReportDoc } from '../types';

interface IntegrityBannerProps {
  report: ReportDoc;
  /** Marks the report reviewed; absent for members who may not (viewers). */
  onReview?: () => Promise<void>;
}

/**
 * What the report could not see, at its top: missing turns (with their sequence numbers), an interview
 * that ended by error or far short of its plan. The recommendation of such a report is withheld until
 * a recruiter marks it reviewed.
 */
export function IntegrityBanner({ report, onReview }: IntegrityBannerProps) {
  const integrity = report.integrity;
  const [state, setState] = useState<'idle' | 'busy' | 'error'>('idle');
  if (!integrity?.review_required) return null;
  const reviewed = Boolean(integrity.reviewed_at);
  const missing = integrity.missing_seqs ?? [];
  return (
    <section className={`banner ${reviewed ? 'banner--success' : 'banner--warning'}`} role="alert" data-testid="integrity">
      <div className="banner__body">
        <p>
          <strong>{integrity.transcript_incomplete ? 'Transcript incomplete' : 'This interview did not run as planned'}</strong>
        </p>
        <ul className="small">
          {(integrity.notes ?? []).map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
        {missing.length > 0 && (
          <p className="small" data-testid="missing-turns">
            Missing turns: {missing.join(', ')}
            {(integrity.missing_count ?? missing.length) > missing.length ? ' …' : ''}
          </p>
        )}
        <p className="small">
          {reviewed
            ? `Reviewed ${integrity.reviewed_at ? formatDateTime(integrity.reviewed_at) : ''}.`
            : 'The recommendation is withheld until a recruiter has reviewed this report.'}
        </p>
      </div>
      {!reviewed && onReview && (
        <button
          type="button"
          className="button button--primary no-print"
          disabled={state === 'busy'}
          onClick={async () => {
            setState('busy');
            try {
              await onReview();
              setState('idle');
            } catch {
              setState('error');
            }
          }}
        >
          {state === 'busy' ? 'Saving…' : state === 'error' ? 'Failed: try again' : 'Mark reviewed'}
        </button>
      )}
    </section>
  );
}
