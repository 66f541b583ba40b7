import { useState } from 'react';
import { useRecruiterTranslation } from '../i18n/recruiter';
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
  const { t } = useRecruiterTranslation();
  if (!integrity?.review_required) return null;
  const reviewed = Boolean(integrity.reviewed_at);
  const missing = integrity.missing_seqs ?? [];
  return (
    <section className={`banner ${reviewed ? 'banner--success' : 'banner--warning'}`} role="alert" data-testid="integrity">
      <div className="banner__body">
        <p>
          <strong>{integrity.transcript_incomplete ? t('integrity.incomplete') : t('integrity.notAsPlanned')}</strong>
        </p>
        <ul className="small">
          {(integrity.notes ?? []).map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
        {missing.length > 0 && (
          <p className="small" data-testid="missing-turns">
            {t('integrity.missing', { turns: missing.join(', ') })}
            {(integrity.missing_count ?? missing.length) > missing.length ? ' …' : ''}
          </p>
        )}
        <p className="small">
          {reviewed
            ? t('integrity.reviewed', { when: integrity.reviewed_at ? formatDateTime(integrity.reviewed_at) : '' })
            : t('integrity.withheld')}
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
          {state === 'busy' ? t('integrity.saving') : state === 'error' ? t('integrity.failed') : t('integrity.markReviewed')}
        </button>
      )}
    </section>
  );
}
