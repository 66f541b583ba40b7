import { renderHook } from '@testing-library/react';
import { collection, limit, onSnapshot, orderBy, query, where } from 'firebase/firestore';
import { describe, expect, it, vi } from 'vitest';
import { useInterviews } from './useInterviews';

vi.mock('../firebase', () => ({ firestore: vi.fn(() => ({ db: true })) }));
vi.mock('firebase/firestore', () => ({
  collection: vi.fn((_db: unknown, path: string) => ({ path })),
  doc: vi.fn(),
  getDoc: vi.fn(),
  limit: vi.fn((n: number) => ({ limit: n })),
  orderBy: vi.fn((field: string, direction: string) => ({ orderBy: [field, direction] })),
  where: vi.fn((field: string, op: string, value: unknown) => ({ where: [field, op, value] })),
  query: vi.fn((ref: unknown, ...constraints: unknown[]) => ({ ref, constraints })),
  onSnapshot: vi.fn(() => () => undefined),
}));

describe('useInterviews', () => {
  it('listens to the workspace’s interviews, newest first (the rules need the workspace constraint)', () => {
    renderHook(() => useInterviews('team-1', null, 50));
    expect(collection).toHaveBeenCalledWith({ db: true }, 'interviews');
    expect(query).toHaveBeenLastCalledWith(
      { path: 'interviews' },
      { where: ['workspace_id', '==', 'team-1'] },
      { orderBy: ['created_at', 'desc'] },
      { limit: 50 },
    );
    expect(where).not.toHaveBeenCalledWith('owner_uid', '==', expect.anything());
    expect(onSnapshot).toHaveBeenCalledTimes(1);
  });

  it('adds owner_uid == uid for "mine", and listens again when the workspace changes', () => {
    const { rerender } = renderHook(({ wid, uid }) => useInterviews(wid, uid, 20), {
      initialProps: { wid: 'team-1', uid: 'me-1' as string | null },
    });
    expect(query).toHaveBeenLastCalledWith(
      { path: 'interviews' },
      { where: ['workspace_id', '==', 'team-1'] },
      { where: ['owner_uid', '==', 'me-1'] },
      { orderBy: ['created_at', 'desc'] },
      { limit: 20 },
    );
    rerender({ wid: 'team-2', uid: null });
    expect(query).toHaveBeenLastCalledWith(
      { path: 'interviews' },
      { where: ['workspace_id', '==', 'team-2'] },
      { orderBy: ['created_at', 'desc'] },
      { limit: 20 },
    );
    expect(orderBy).toHaveBeenCalledWith('created_at', 'desc');
    expect(limit).toHaveBeenCalledWith(20);
  });
});
