import type { ReactNode } from 'react';

interface BannerProps {
  kind?: 'error' | 'info' | 'success' | 'warning';
  children: ReactNode;
  onDismiss?: () => void;
}

/** A message strip; errors are announced to assistive technology at once. */
export function Banner({ kind = 'info', children, onDismiss }: BannerProps) {
  return (
    <div className={`banner banner--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="banner__body">{children}</div>
      {onDismiss && (
        <button type="button" className="button button--ghost button--small" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}
