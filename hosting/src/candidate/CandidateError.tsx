import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorKind } from './flow';

interface CandidateErrorProps {
  kind: ErrorKind;
  retryAfter?: number;
  onRetry?: () => void;
}

export function CandidateError({ kind, retryAfter, onRetry }: CandidateErrorProps) {
  const { t } = useTranslation();
  const [seconds, setSeconds] = useState(kind === 'rate_limited' ? Math.max(1, Math.ceil(retryAfter ?? 10)) : 0);

  // A rate limit clears by itself: count down, then retry.
  useEffect(() => {
    if (kind !== 'rate_limited' || !onRetry) return;
    if (seconds <= 0) {
      onRetry();
      return;
    }
    const timer = window.setTimeout(() => setSeconds((s) => s - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [kind, seconds, onRetry]);

  return (
    <div className="card candidate-card" data-testid={`candidate-error-${kind}`}>
      <h1>{t(`errors.${kind}.title`)}</h1>
      <p>{t(`errors.${kind}.body`)}</p>
      {kind === 'rate_limited' && seconds > 0 && (
        <p role="status">{t('errors.retryIn', { seconds })}</p>
      )}
      {onRetry && (
        <button type="button" className="button button--primary" onClick={onRetry}>
          {kind === 'duplicate' ? t('errors.useThisTab') : t('errors.tryAgain')}
        </button>
      )}
    </div>
  );
}
