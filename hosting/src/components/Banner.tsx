import type { ReactNode } from 'react';
import { useRecruiterTranslation } from '../i18n/recruiter';

interface BannerProps {
  kind?: 'error' | 'info' | 'success' | 'warning';
  children: ReactNode;
  onDismiss?: () => void;
}

/** A message strip of the recruiter's pages; errors are announced to assistive technology at once. */
export function Banner({ kind = 'info', children, onDismiss }: BannerProps) {
  const { t } = useRecruiterTranslation();
  return (
    <div className={`banner banner--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="banner__body">{children}</div>
      {onDismiss && (
        <button type="button" className="button button--ghost button--small" onClick={onDismiss} aria-label={t('banner.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}
