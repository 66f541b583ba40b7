import { useTranslation } from 'react-i18next';
import { knownGrace } from './grace';

interface EndedPageProps {
  by: 'agent' | 'candidate';
  candidateName?: string;
  /** The rejoin grace the API returned with the last room token. */
  graceSeconds?: number;
  onRejoin?: () => void;
}

export function EndedPage({ by, candidateName, graceSeconds, onRejoin }: EndedPageProps) {
  const { t } = useTranslation();
  if (by === 'candidate') {
    return (
      <div className="card candidate-card">
        <h1>{t('ended.leftHeading')}</h1>
        <p>{knownGrace(graceSeconds) ? t('ended.leftBody', { seconds: Math.floor(graceSeconds ?? 0) }) : t('ended.leftBodySoon')}</p>
        {onRejoin && (
          <button type="button" className="button button--primary" onClick={onRejoin}>
            {t('ended.rejoin')}
          </button>
        )}
        <p className="muted small">{t('ended.closeOtherwise')}</p>
      </div>
    );
  }
  return (
    <div className="card candidate-card thank-you">
      <p className="thank-you__mark" aria-hidden="true">
        ✓
      </p>
      <h1>{candidateName ? t('ended.thanksNamed', { name: candidateName }) : t('ended.thanks')}</h1>
      <p>{t('ended.complete')}</p>
      <p className="muted small">{t('ended.closeNow')}</p>
    </div>
  );
}
