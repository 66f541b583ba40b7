import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock } from '../lib/time';

/** Elapsed time against the interview's budget. */
export function RoomTimer({ startedAt, budgetMinutes }: { startedAt: number | null; budgetMinutes: number }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const budgetMs = Math.max(1, budgetMinutes) * 60_000;
  const elapsed = startedAt == null ? 0 : Math.max(0, now - startedAt);
  const fraction = Math.min(1, elapsed / budgetMs);
  const remaining = budgetMs - elapsed;
  const tone = remaining <= 60_000 ? 'danger' : remaining <= 3 * 60_000 ? 'warning' : 'ok';
  return (
    <div className={`room-timer room-timer--${tone}`}>
      <span className="room-timer__text" role="timer" aria-label={t('room.timerLabel', { elapsed: formatClock(elapsed), minutes: budgetMinutes })}>
        {formatClock(elapsed)} <span className="muted">/ {formatClock(budgetMs)}</span>
      </span>
      <span className="room-timer__bar" aria-hidden="true">
        <span className="room-timer__fill" style={{ width: `${fraction * 100}%` }} />
      </span>
    </div>
  );
}
