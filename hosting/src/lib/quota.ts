/**
 * The words for a 429 `quota_exceeded` (teams contract, "Quotas"): which of the team's limits is
 * reached, its value when the API sends it (`max`) and when it resets (`resets_at`, else Retry-After).
 */

const LIMIT_WORDS: Record<string, { period: 'day' | 'month' | null; unit: string }> = {
  interviews_per_day: { period: 'day', unit: 'interviews' },
  evaluations_per_day: { period: 'day', unit: 'evaluations' },
  model_minutes_per_month: { period: 'month', unit: 'minutes of interviews' },
  live_interviews: { period: null, unit: 'interviews running at the same time' },
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "at 14:00" within the next day, "on 1 Jul 2026, 00:00" beyond. */
export function resetPhrase(resetsAt: Date, now: Date = new Date()): string {
  const within = resetsAt.getTime() - now.getTime() < 24 * 3600 * 1000;
  return within ? `at ${timeFormat.format(resetsAt)}` : `on ${dateTimeFormat.format(resetsAt)}`;
}

function resetDate(details: Record<string, unknown>, retryAfter: number | undefined, now: Date): Date | null {
  if (typeof details.resets_at === 'string') {
    const date = new Date(details.resets_at);
    if (!Number.isNaN(date.getTime())) return date;
  }
  if (retryAfter !== undefined) return new Date(now.getTime() + retryAfter * 1000);
  return null;
}

/**
 * "The team's daily limit of 50 interviews is reached; it resets at 00:00." Unknown limits keep the
 * server's message and add the reset time.
 */
export function quotaMessage(
  details: Record<string, unknown>,
  serverMessage: string,
  retryAfter?: number,
  now: Date = new Date(),
): string {
  const words = typeof details.limit === 'string' ? LIMIT_WORDS[details.limit] : undefined;
  const max = typeof details.max === 'number' && Number.isFinite(details.max) ? details.max : null;
  const resets = resetDate(details, retryAfter, now);
  const when = resets ? resetPhrase(resets, now) : null;
  if (!words) {
    return when ? `${serverMessage.replace(/\.$/, '')}; it resets ${when}.` : serverMessage;
  }
  const amount = max !== null ? `${max.toLocaleString()} ${words.unit}` : words.unit;
  if (words.period === null) {
    return `The team's limit of ${amount} is reached; try again when one of them has ended.`;
  }
  const period = words.period === 'day' ? 'daily' : 'monthly';
  return `The team's ${period} limit of ${amount} is reached${when ? `; it resets ${when}` : ''}.`;
}
