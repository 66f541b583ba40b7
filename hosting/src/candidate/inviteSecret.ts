/**
 * The invite secret lives in the URL fragment (#secret), which browsers never send to a server.
 * It is moved to sessionStorage (so a reload of this tab still works), taken off the address bar
 * (so it does not linger on screen or in screenshots), and only ever sent in the API's JSON bodies.
 */
import type { ConsentText } from './consent';

const secretKey = (id: string) => `ai-interviewer:invite:${id}`;
const infoKey = (id: string) => `ai-interviewer:info:${id}`;
const startKey = (id: string) => `ai-interviewer:started:${id}`;

function safe<T>(action: () => T, fallback: T): T {
  try {
    return action();
  } catch {
    return fallback; // storage disabled (private mode, policies): the fragment still works once
  }
}

export function takeInviteSecret(
  id: string,
  location: Pick<Location, 'hash' | 'pathname' | 'search'> = window.location,
  storage: Storage = window.sessionStorage,
  history: Pick<History, 'replaceState' | 'state'> = window.history,
): string | null {
  const raw = location.hash.replace(/^#/, '');
  if (raw) {
    const secret = safe(() => decodeURIComponent(raw), raw);
    safe(() => storage.setItem(secretKey(id), secret), undefined);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return secret;
  }
  return safe(() => storage.getItem(secretKey(id)), null) || null;
}

/** What the last invite or token answer told us (name, role, duration, language), to greet a reloading candidate in their language. */
export interface InterviewInfo {
  candidate_name?: string;
  role?: string;
  duration_minutes?: number;
  /** The consent text the invite route returned (shown on the welcome page). */
  consent?: ConsentText;
  rejoin_grace_seconds?: number;
  language?: string;
}

export function loadInfo(id: string, storage: Storage = window.sessionStorage): InterviewInfo | null {
  return safe(() => {
    const raw = storage.getItem(infoKey(id));
    return raw ? (JSON.parse(raw) as InterviewInfo) : null;
  }, null);
}

export function saveInfo(id: string, info: InterviewInfo, storage: Storage = window.sessionStorage): void {
  safe(() => storage.setItem(infoKey(id), JSON.stringify(info)), undefined);
}

/** When this candidate first connected (epoch ms), so the timer survives rejoins and reloads. */
export function startedAt(id: string, now: number, storage: Storage = window.sessionStorage): number {
  return safe(() => {
    const existing = Number(storage.getItem(startKey(id)));
    if (existing > 0 && existing <= now) return existing;
    storage.setItem(startKey(id), String(now));
    return now;
  }, now);
}
