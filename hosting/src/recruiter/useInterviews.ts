import {
  collection,
  doc,
  getDoc,
  limit,
  onSnapshot,
  orderBy,
  query,
  where,
} from 'firebase/firestore';
import { useEffect, useRef, useState } from 'react';
import { firestore } from '../firebase';
import { recruiterI18n } from '../i18n/recruiter';
import { toMillis } from '../lib/time';
import type { InterviewDoc } from '../types';

interface InterviewsState {
  interviews: InterviewDoc[];
  loading: boolean;
  error: string | null;
  /** True when the listener returned a full page, so there may be more. */
  hasMore: boolean;
}

/**
 * The workspace's interviews, newest first, updated live; with `ownerUid` only those that account
 * created ("mine"). The rules let members read their workspace's interviews, and a query must be
 * constrained to one workspace to pass them. Indexes: (workspace_id, created_at desc) and
 * (workspace_id, owner_uid, created_at desc).
 */
export function useInterviews(workspaceId: string, ownerUid: string | null, pageSize: number): InterviewsState {
  const [state, setState] = useState<InterviewsState>({ interviews: [], loading: true, error: null, hasMore: false });
  useEffect(() => {
    const constraints = [
      where('workspace_id', '==', workspaceId),
      ...(ownerUid ? [where('owner_uid', '==', ownerUid)] : []),
      orderBy('created_at', 'desc'),
      limit(pageSize),
    ];
    return onSnapshot(
      query(collection(firestore(), 'interviews'), ...constraints),
      (snapshot) =>
        setState({
          interviews: snapshot.docs.map((d) => ({ ...(d.data() as Omit<InterviewDoc, 'id'>), id: d.id })),
          loading: false,
          error: null,
          hasMore: snapshot.size >= pageSize,
        }),
      (error) =>
        setState((s) => ({ ...s, loading: false, error: recruiterI18n.t('dashboard.loadFailed', { code: error.code }) })),
    );
  }, [workspaceId, ownerUid, pageSize]);
  return state;
}

/**
 * overall_score of each evaluated interview, read once per evaluation (re-read when the
 * interview's updated_at changes, e.g. after a re-evaluation).
 */
export function useReportScores(interviews: InterviewDoc[]): Record<string, number | null> {
  const [scores, setScores] = useState<Record<string, number | null>>({});
  const fetched = useRef(new Map<string, string>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    for (const interview of interviews) {
      if (interview.status !== 'evaluated') continue;
      const version = String(toMillis(interview.updated_at) ?? '');
      if (fetched.current.get(interview.id) === version) continue;
      fetched.current.set(interview.id, version);
      getDoc(doc(firestore(), 'reports', interview.id))
        .then((snapshot) => {
          const score = snapshot.exists() ? (snapshot.data() as { overall_score?: unknown }).overall_score : undefined;
          if (mounted.current) {
            setScores((s) => ({ ...s, [interview.id]: typeof score === 'number' ? score : null }));
          }
        })
        .catch(() => {
          // Not fatal: the row shows no score; try again on the next change.
          fetched.current.delete(interview.id);
        });
    }
  }, [interviews]);
  return scores;
}
