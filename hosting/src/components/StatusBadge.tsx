import { statusLabel } from '../lib/labels';

export function StatusBadge({ status }: { status: string | undefined }) {
  return (
    <span className={`badge badge--${status ?? 'unknown'}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
