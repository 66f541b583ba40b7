/** Timestamps arrive as Firestore Timestamps, Dates, ISO strings or epoch numbers. */
export function toDate(value: unknown): Date | null {
  if (value == null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  if (typeof value === 'object') {
    const candidate = value as { toDate?: () => Date; seconds?: number; nanoseconds?: number };
    if (typeof candidate.toDate === 'function') return toDate(candidate.toDate());
    if (typeof candidate.seconds === 'number') {
      return new Date(candidate.seconds * 1000 + Math.floor((candidate.nanoseconds ?? 0) / 1e6));
    }
  }
  return null;
}

export function toMillis(value: unknown): number | null {
  return toDate(value)?.getTime() ?? null;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function formatDateTime(value: unknown, fallback = '—'): string {
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : fallback;
}

export function formatTime(value: unknown, fallback = ''): string {
  const date = toDate(value);
  return date ? timeFormat.format(date) : fallback;
}

/** 75_000 ms -> "1:15"; 3_725_000 -> "1:02:05". Negative values count as zero. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}
