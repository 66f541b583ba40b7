import { collection, doc, onSnapshot, orderBy, query } from 'firebase/firestore';
import { useEffect, useState } from 'react';
import { firestore } from '../firebase';
import { recruiterI18n } from '../i18n/recruiter';
import type { InterviewDoc, ReportDoc, TurnDoc } from '../types';

export interface Loadable<T> {
  data: T;
  loading: boolean;
  /** 'not_found' covers both a missing document and one that is not ours (rules deny both). */
  error: 'not_found' | string | null;
}

/** State tagged with the key it was loaded for, so a new key reads as "loading" without a reset. */
interface Keyed<T> extends Loadable<T> {
  key: string;
}

export function useInterview(id: string): Loadable<InterviewDoc | null> {
  const [state, setState] = useState<Keyed<InterviewDoc | null> | null>(null);
  useEffect(
    () =>
      onSnapshot(
        doc(firestore(), 'interviews', id),
        (snapshot) =>
          setState(
            snapshot.exists()
              ? { key: id, data: { ...(snapshot.data() as Omit<InterviewDoc, 'id'>), id: snapshot.id }, loading: false, error: null }
              : { key: id, data: null, loading: false, error: 'not_found' },
          ),
        (error) =>
          setState({
            key: id,
            data: null,
            loading: false,
            error: error.code === 'permission-denied' ? 'not_found' : recruiterI18n.t('interview.loadFailed', { code: error.code }),
          }),
      ),
    [id],
  );
  return state && state.key === id ? state : { data: null, loading: true, error: null };
}

/** The turns, ordered by seq, live (they arrive one by one while the interview runs). */
export function useTurns(id: string, enabled: boolean): Loadable<TurnDoc[]> {
  const [state, setState] = useState<Keyed<TurnDoc[]> | null>(null);
  useEffect(() => {
    if (!enabled) return;
    return onSnapshot(
      query(collection(firestore(), 'interviews', id, 'turns'), orderBy('seq')),
      (snapshot) => setState({ key: id, data: snapshot.docs.map((d) => d.data() as TurnDoc), loading: false, error: null }),
      (error) => setState({ key: id, data: [], loading: false, error: recruiterI18n.t('interview.transcriptFailed', { code: error.code }) }),
    );
  }, [id, enabled]);
  return state && state.key === id ? state : { data: [], loading: enabled, error: null };
}

/** Statuses in which a report may exist. */
const MAY_HAVE_REPORT = new Set(['evaluated', 'evaluating', 'evaluation_failed']);

/**
 * reports/{id}, live. The rules deny reading a document that does not exist yet, so a denied read
 * means "no report yet"; the listener is re-opened whenever the interview's status changes.
 */
export function useReport(id: string, status: string | undefined): Loadable<ReportDoc | null> {
  const [state, setState] = useState<Keyed<ReportDoc | null> | null>(null);
  const listen = status !== undefined && MAY_HAVE_REPORT.has(status);
  useEffect(() => {
    if (!listen) return;
    return onSnapshot(
      doc(firestore(), 'reports', id),
      (snapshot) =>
        setState({ key: id, data: snapshot.exists() ? (snapshot.data() as ReportDoc) : null, loading: false, error: null }),
      (error) =>
        setState({
          key: id,
          data: null,
          loading: false,
          error: error.code === 'permission-denied' ? null : recruiterI18n.t('interview.reportFailed', { code: error.code }),
        }),
    );
  }, [id, listen, status]);
  if (!listen) return { data: null, loading: false, error: null };
  return state && state.key === id ? state : { data: null, loading: true, error: null };
}
