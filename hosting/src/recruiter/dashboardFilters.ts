import { toMillis } from '../lib/time';
import type { InterviewDoc } from '../types';

export type SortKey = 'newest' | 'oldest' | 'score';

export interface DashboardFilters {
  search: string;
  status: string; // 'all' or an InterviewStatus
  sort: SortKey;
}

export const DEFAULT_FILTERS: DashboardFilters = { search: '', status: 'all', sort: 'newest' };

function matches(interview: InterviewDoc, needle: string): boolean {
  if (!needle) return true;
  const haystack = [interview.candidate?.name, interview.candidate?.email, interview.role]
    .filter(Boolean)
    .join(' ')
    .toLocaleLowerCase();
  return needle
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** Search by candidate or role, filter by status, sort by date or score (unscored last). */
export function applyFilters(
  interviews: InterviewDoc[],
  scores: Record<string, number | null | undefined>,
  filters: DashboardFilters,
): InterviewDoc[] {
  const needle = filters.search.trim();
  const selected = interviews.filter(
    (i) => (filters.status === 'all' || i.status === filters.status) && matches(i, needle),
  );
  const created = (i: InterviewDoc) => toMillis(i.created_at) ?? 0;
  const sorted = [...selected];
  if (filters.sort === 'oldest') sorted.sort((a, b) => created(a) - created(b));
  else if (filters.sort === 'newest') sorted.sort((a, b) => created(b) - created(a));
  else {
    sorted.sort((a, b) => {
      const sa = scores[a.id];
      const sb = scores[b.id];
      const hasA = typeof sa === 'number';
      const hasB = typeof sb === 'number';
      if (hasA && hasB) return sb - sa || created(b) - created(a);
      if (hasA !== hasB) return hasA ? -1 : 1;
      return created(b) - created(a);
    });
  }
  return sorted;
}
