import { describe, expect, it } from 'vitest';
import type { InterviewDoc } from '../types';
import { applyFilters, DEFAULT_FILTERS } from './dashboardFilters';

const interviews: InterviewDoc[] = [
  { id: 'a', candidate: { name: 'Ada Lovelace', email: 'ada@x.io' }, role: 'Backend engineer', status: 'evaluated', created_at: '2025-01-01T10:00:00Z' },
  { id: 'b', candidate: { name: 'Grace Hopper', email: 'grace@x.io' }, role: 'Compiler engineer', status: 'invited', created_at: '2025-01-03T10:00:00Z' },
  { id: 'c', candidate: { name: 'Alan Turing', email: 'alan@x.io' }, role: 'Data scientist', status: 'evaluated', created_at: { seconds: 1735812000, nanoseconds: 0 } },
];
const scores = { a: 62, c: 88 };

const ids = (list: InterviewDoc[]) => list.map((i) => i.id);

describe('applyFilters', () => {
  it('sorts newest first by default, with Firestore timestamps too', () => {
    expect(ids(applyFilters(interviews, scores, DEFAULT_FILTERS))).toEqual(['b', 'c', 'a']);
    expect(ids(applyFilters(interviews, scores, { ...DEFAULT_FILTERS, sort: 'oldest' }))).toEqual(['a', 'c', 'b']);
  });

  it('sorts by score, unscored last', () => {
    expect(ids(applyFilters(interviews, scores, { ...DEFAULT_FILTERS, sort: 'score' }))).toEqual(['c', 'a', 'b']);
  });

  it('searches candidate name, email and role, all words', () => {
    expect(ids(applyFilters(interviews, scores, { ...DEFAULT_FILTERS, search: 'engineer' }))).toEqual(['b', 'a']);
    expect(ids(applyFilters(interviews, scores, { ...DEFAULT_FILTERS, search: 'ada backend' }))).toEqual(['a']);
    expect(ids(applyFilters(interviews, scores, { ...DEFAULT_FILTERS, search: 'grace@' }))).toEqual(['b']);
  });

  it('filters by status', () => {
    expect(ids(applyFilters(interviews, scores, { ...DEFAULT_FILTERS, status: 'evaluated' }))).toEqual(['c', 'a']);
  });
});
