/**
 * The candidate's journey as a pure state machine:
 *
 *   welcome --consent--> micCheck --micReady--> joining --tokenOk--> inRoom --ended/agentLeft--> ended(agent)
 *                          \--micReady(warm)---------------------------^
 *                                                  |                    |  \--leave--> ended(candidate) --rejoin--> joining
 *                                                  |                    \--disconnected(lost)--> joining(attempt n, backoff)
 *                                                  \--tokenFailed--> error(kind) --retry--> joining
 *
 * With the warm start the room was joined during the microphone check (warmRoom.ts): Start goes
 * straight into it, already connected. A lost connection is rejoined with a fresh token, a limited number of times with exponential
 * backoff; a 409 while rejoining means the interview ended meanwhile. Events carry the room
 * session they belong to, so late callbacks of an old room cannot move a newer one.
 */
import type { RoomToken } from '../types';

export type ErrorKind =
  | 'missing_link'
  | 'invalid'
  | 'expired'
  | 'used_up'
  | 'cancelled'
  | 'finished'
  | 'rate_limited'
  | 'unreachable'
  | 'duplicate';

/** What the flow needs to know about a failed token request (an ApiError fits). */
export interface TokenFailure {
  status: number;
  code: string;
  message?: string;
  retryAfter?: number;
}

export type Phase =
  | { step: 'welcome' }
  | { step: 'micCheck' }
  /** attempt 0 is a first join (or a manual retry); lostConnection: we had been in the room. */
  | { step: 'joining'; attempt: number; delayMs: number; lostConnection?: boolean }
  /** warm: the room joined during the microphone check, handed over at Start. */
  | { step: 'inRoom'; token: RoomToken; session: number; connected: boolean; warm?: boolean }
  | { step: 'ended'; by: 'agent' | 'candidate' }
  | { step: 'error'; kind: ErrorKind; message?: string; retryAfter?: number };

export interface FlowState {
  phase: Phase;
  /** The microphone chosen in the mic check. */
  deviceId?: string;
  /** Room sessions started so far; each (re)join is a new one. */
  session: number;
  /** Rejoins after lost connections, over the whole visit. */
  rejoins: number;
}

export type DisconnectKind = 'client' | 'ended' | 'duplicate' | 'lost';

export type FlowEvent =
  | { type: 'consent' }
  /** warm: the token of the room joined during the microphone check, when it is still connected. */
  | { type: 'micReady'; deviceId?: string; warm?: RoomToken }
  | { type: 'tokenOk'; token: RoomToken }
  | { type: 'tokenFailed'; error: TokenFailure }
  /** The invite was checked on arrival (before consent) and the API refused it. */
  | { type: 'inviteRejected'; error: TokenFailure }
  | { type: 'connected'; session: number }
  | { type: 'disconnected'; session: number; kind: DisconnectKind }
  | { type: 'agentLeft'; session: number }
  | { type: 'leave' }
  | { type: 'retry' }
  | { type: 'back' };

/** Attempts to rejoin after one lost connection, and in all. */
export const MAX_REJOIN_ATTEMPTS = 5;
export const MAX_REJOINS_TOTAL = 12;

export function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 16_000);
}

export function initialFlow(secretPresent: boolean): FlowState {
  return {
    phase: secretPresent ? { step: 'welcome' } : { step: 'error', kind: 'missing_link' },
    session: 0,
    rejoins: 0,
  };
}

/** The page to show for a failed token request. */
export function errorKindFor(error: TokenFailure): ErrorKind {
  switch (error.status) {
    case 400:
    case 403:
    case 404:
    case 422:
      return 'invalid';
    case 409:
      return 'finished';
    case 410:
      if (error.code === 'invite_used_up') return 'used_up';
      if (error.code === 'invite_cancelled') return 'cancelled';
      return 'expired';
    case 429:
      return 'rate_limited';
    default:
      return 'unreachable';
  }
}

export function isRetryable(kind: ErrorKind): boolean {
  return kind === 'rate_limited' || kind === 'unreachable' || kind === 'duplicate';
}

function transientFailure(error: TokenFailure): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

export function flowReducer(state: FlowState, event: FlowEvent): FlowState {
  const { phase } = state;
  switch (event.type) {
    case 'consent':
      return phase.step === 'welcome' ? { ...state, phase: { step: 'micCheck' } } : state;

    case 'back':
      return phase.step === 'micCheck' ? { ...state, phase: { step: 'welcome' } } : state;

    case 'micReady':
      if (phase.step !== 'micCheck') return state;
      if (event.warm) {
        const session = state.session + 1;
        return {
          ...state,
          deviceId: event.deviceId,
          session,
          phase: { step: 'inRoom', token: event.warm, session, connected: true, warm: true },
        };
      }
      return { ...state, deviceId: event.deviceId, phase: { step: 'joining', attempt: 0, delayMs: 0 } };

    case 'tokenOk':
      if (phase.step !== 'joining') return state;
      return {
        ...state,
        session: state.session + 1,
        phase: { step: 'inRoom', token: event.token, session: state.session + 1, connected: false },
      };

    case 'inviteRejected':
      // Only a definite answer (invalid, expired, finished...) replaces the welcome page; a network
      // hiccup here is not worth blocking on: the token request will try again after consent.
      if (phase.step !== 'welcome' || transientFailure(event.error)) return state;
      return { ...state, phase: { step: 'error', kind: errorKindFor(event.error), message: event.error.message } };

    case 'tokenFailed': {
      if (phase.step !== 'joining') return state;
      const rejoining = phase.attempt > 0;
      if (rejoining && event.error.status === 409) {
        // The interview finished while we were away: the agent ended it.
        return { ...state, phase: { step: 'ended', by: 'agent' } };
      }
      if (rejoining && transientFailure(event.error) && phase.attempt < MAX_REJOIN_ATTEMPTS) {
        const attempt = phase.attempt + 1;
        const delayMs = Math.max(backoffMs(attempt), (event.error.retryAfter ?? 0) * 1000);
        return { ...state, phase: { step: 'joining', attempt, delayMs, lostConnection: phase.lostConnection } };
      }
      return {
        ...state,
        phase: {
          step: 'error',
          kind: errorKindFor(event.error),
          message: event.error.message,
          retryAfter: event.error.retryAfter,
        },
      };
    }

    case 'connected':
      if (phase.step !== 'inRoom' || phase.session !== event.session) return state;
      return { ...state, phase: { ...phase, connected: true } };

    case 'disconnected':
      if (phase.step !== 'inRoom' || phase.session !== event.session) return state;
      switch (event.kind) {
        case 'client':
          return state; // we disconnected on purpose; 'leave' moved us on already
        case 'ended':
          return { ...state, phase: { step: 'ended', by: 'agent' } };
        case 'duplicate':
          return { ...state, phase: { step: 'error', kind: 'duplicate' } };
        case 'lost':
          if (state.rejoins >= MAX_REJOINS_TOTAL) {
            return { ...state, phase: { step: 'error', kind: 'unreachable' } };
          }
          return {
            ...state,
            rejoins: state.rejoins + 1,
            phase: { step: 'joining', attempt: 1, delayMs: backoffMs(1), lostConnection: phase.connected },
          };
      }
      return state;

    case 'agentLeft':
      if (phase.step !== 'inRoom' || phase.session !== event.session) return state;
      return { ...state, phase: { step: 'ended', by: 'agent' } };

    case 'leave':
      return phase.step === 'inRoom' || phase.step === 'joining'
        ? { ...state, phase: { step: 'ended', by: 'candidate' } }
        : state;

    case 'retry':
      if (phase.step === 'error' && isRetryable(phase.kind)) {
        return { ...state, phase: { step: 'joining', attempt: 0, delayMs: 0 } };
      }
      if (phase.step === 'ended' && phase.by === 'candidate') {
        return { ...state, phase: { step: 'joining', attempt: 0, delayMs: 0 } };
      }
      return state;
  }
}
