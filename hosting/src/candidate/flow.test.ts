import { describe, expect, it } from 'vitest';
import type { RoomToken } from '../types';
import {
  backoffMs,
  errorKindFor,
  flowReducer,
  initialFlow,
  MAX_REJOIN_ATTEMPTS,
  MAX_REJOINS_TOTAL,
  type FlowEvent,
  type FlowState,
} from './flow';

const token: RoomToken = {
  livekit_url: 'ws://127.0.0.1:7880',
  token: 'jwt',
  room: 'interview-1',
  expires_at: '2030-01-01T00:00:00Z',
  duration_minutes: 20,
  candidate_name: 'Ada',
  role: 'Engineer',
};

function run(state: FlowState, ...events: FlowEvent[]): FlowState {
  return events.reduce(flowReducer, state);
}

const inRoom = () => run(initialFlow(true), { type: 'consent' }, { type: 'micReady', deviceId: 'mic-2' }, { type: 'tokenOk', token });

describe('candidate flow', () => {
  it('goes from the mic check straight into the room joined ahead (the warm start)', () => {
    const state = run(initialFlow(true), { type: 'consent' }, { type: 'micReady', deviceId: 'mic-2', warm: token });
    expect(state.phase).toEqual({ step: 'inRoom', token, session: 1, connected: true, warm: true });
    expect(state.deviceId).toBe('mic-2');
    // A lost warm room rejoins the usual way, with a fresh token.
    const lost = flowReducer(state, { type: 'disconnected', session: 1, kind: 'lost' });
    expect(lost.phase).toMatchObject({ step: 'joining', attempt: 1, lostConnection: true });
  });

  it('goes consent -> mic check -> joining -> in room', () => {
    let state = initialFlow(true);
    expect(state.phase.step).toBe('welcome');
    state = flowReducer(state, { type: 'consent' });
    expect(state.phase.step).toBe('micCheck');
    state = flowReducer(state, { type: 'micReady', deviceId: 'mic-2' });
    expect(state.phase).toEqual({ step: 'joining', attempt: 0, delayMs: 0 });
    expect(state.deviceId).toBe('mic-2');
    state = flowReducer(state, { type: 'tokenOk', token });
    expect(state.phase).toMatchObject({ step: 'inRoom', session: 1, connected: false });
    state = flowReducer(state, { type: 'connected', session: 1 });
    expect(state.phase).toMatchObject({ step: 'inRoom', connected: true });
  });

  it('starts on an error page without an invite secret', () => {
    expect(initialFlow(false).phase).toEqual({ step: 'error', kind: 'missing_link' });
  });

  it('ignores events that do not fit the current step', () => {
    const welcome = initialFlow(true);
    expect(flowReducer(welcome, { type: 'micReady' })).toBe(welcome);
    expect(flowReducer(welcome, { type: 'tokenOk', token })).toBe(welcome);
    expect(flowReducer(welcome, { type: 'leave' })).toBe(welcome);
  });

  it('shows a dead invite at once, but not a network hiccup, and only on the welcome page', () => {
    const welcome = initialFlow(true);
    const expired = flowReducer(welcome, { type: 'inviteRejected', error: { status: 410, code: 'invite_expired' } });
    expect(expired.phase).toMatchObject({ step: 'error', kind: 'expired' });
    const finished = flowReducer(welcome, { type: 'inviteRejected', error: { status: 409, code: 'interview_finished' } });
    expect(finished.phase).toMatchObject({ step: 'error', kind: 'finished' });
    expect(flowReducer(welcome, { type: 'inviteRejected', error: { status: 0, code: 'network_error' } })).toBe(welcome);
    expect(flowReducer(welcome, { type: 'inviteRejected', error: { status: 503, code: 'backend_unavailable' } })).toBe(welcome);
    const micCheck = run(welcome, { type: 'consent' });
    expect(flowReducer(micCheck, { type: 'inviteRejected', error: { status: 403, code: 'invalid_invite' } })).toBe(micCheck);
  });

  it('can go back from the mic check', () => {
    expect(run(initialFlow(true), { type: 'consent' }, { type: 'back' }).phase.step).toBe('welcome');
  });

  it.each([
    [403, 'invalid_invite', 'invalid'],
    [410, 'invite_expired', 'expired'],
    [410, 'invite_used_up', 'used_up'],
    [410, 'invite_cancelled', 'cancelled'],
    [409, 'interview_finished', 'finished'],
    [429, 'rate_limited', 'rate_limited'],
    [0, 'network_error', 'unreachable'],
    [503, 'unavailable', 'unreachable'],
    [500, 'internal', 'unreachable'],
  ])('maps a %i %s token failure to the %s page', (status, code, kind) => {
    const state = run(initialFlow(true), { type: 'consent' }, { type: 'micReady' }, { type: 'tokenFailed', error: { status, code, retryAfter: 3 } });
    expect(state.phase).toMatchObject({ step: 'error', kind });
    expect(errorKindFor({ status, code })).toBe(kind);
  });

  it('retries retryable errors only', () => {
    const unreachable = run(initialFlow(true), { type: 'consent' }, { type: 'micReady' }, { type: 'tokenFailed', error: { status: 0, code: 'network_error' } });
    expect(flowReducer(unreachable, { type: 'retry' }).phase).toEqual({ step: 'joining', attempt: 0, delayMs: 0 });
    const expired = run(initialFlow(true), { type: 'consent' }, { type: 'micReady' }, { type: 'tokenFailed', error: { status: 410, code: 'invite_expired' } });
    expect(flowReducer(expired, { type: 'retry' })).toBe(expired);
  });

  it('ends with a thank-you when the agent ends the room or leaves', () => {
    expect(flowReducer(inRoom(), { type: 'disconnected', session: 1, kind: 'ended' }).phase).toEqual({ step: 'ended', by: 'agent' });
    expect(flowReducer(inRoom(), { type: 'agentLeft', session: 1 }).phase).toEqual({ step: 'ended', by: 'agent' });
  });

  it('leaves on request, ignores our own disconnect, and can rejoin', () => {
    const left = run(inRoom(), { type: 'leave' }, { type: 'disconnected', session: 1, kind: 'client' });
    expect(left.phase).toEqual({ step: 'ended', by: 'candidate' });
    expect(flowReducer(left, { type: 'retry' }).phase).toEqual({ step: 'joining', attempt: 0, delayMs: 0 });
  });

  it('rejoins a lost connection with a fresh token and backoff', () => {
    let state = run(inRoom(), { type: 'connected', session: 1 }, { type: 'disconnected', session: 1, kind: 'lost' });
    expect(state.phase).toEqual({ step: 'joining', attempt: 1, delayMs: backoffMs(1), lostConnection: true });
    state = flowReducer(state, { type: 'tokenFailed', error: { status: 503, code: 'unavailable' } });
    expect(state.phase).toEqual({ step: 'joining', attempt: 2, delayMs: backoffMs(2), lostConnection: true });
    state = flowReducer(state, { type: 'tokenFailed', error: { status: 429, code: 'rate_limited', retryAfter: 30 } });
    expect(state.phase).toEqual({ step: 'joining', attempt: 3, delayMs: 30_000, lostConnection: true });
    state = flowReducer(state, { type: 'tokenOk', token });
    expect(state.phase).toMatchObject({ step: 'inRoom', session: 2 });
    expect(state.deviceId).toBe('mic-2');
  });

  it('retries a room that never connected without calling it a lost connection', () => {
    const state = flowReducer(inRoom(), { type: 'disconnected', session: 1, kind: 'lost' });
    expect(state.phase).toMatchObject({ step: 'joining', attempt: 1, lostConnection: false });
  });

  it('gives up after the limited number of attempts', () => {
    let state = flowReducer(inRoom(), { type: 'disconnected', session: 1, kind: 'lost' });
    for (let i = 1; i < MAX_REJOIN_ATTEMPTS; i += 1) {
      state = flowReducer(state, { type: 'tokenFailed', error: { status: 0, code: 'network_error' } });
      expect(state.phase.step).toBe('joining');
    }
    state = flowReducer(state, { type: 'tokenFailed', error: { status: 0, code: 'network_error' } });
    expect(state.phase).toMatchObject({ step: 'error', kind: 'unreachable' });
  });

  it('caps rejoins over the whole visit', () => {
    let state = inRoom();
    for (let i = 0; i < MAX_REJOINS_TOTAL; i += 1) {
      state = run(state, { type: 'disconnected', session: state.session, kind: 'lost' }, { type: 'tokenOk', token });
    }
    state = flowReducer(state, { type: 'disconnected', session: state.session, kind: 'lost' });
    expect(state.phase).toMatchObject({ step: 'error', kind: 'unreachable' });
  });

  it('treats a 409 while rejoining as the interview having ended', () => {
    const state = run(inRoom(), { type: 'disconnected', session: 1, kind: 'lost' }, { type: 'tokenFailed', error: { status: 409, code: 'interview_finished' } });
    expect(state.phase).toEqual({ step: 'ended', by: 'agent' });
  });

  it('does not rejoin after a terminal error while rejoining', () => {
    const state = run(inRoom(), { type: 'disconnected', session: 1, kind: 'lost' }, { type: 'tokenFailed', error: { status: 410, code: 'invite_cancelled' } });
    expect(state.phase).toMatchObject({ step: 'error', kind: 'cancelled' });
  });

  it('shows the duplicate page when the invite joins elsewhere', () => {
    const state = flowReducer(inRoom(), { type: 'disconnected', session: 1, kind: 'duplicate' });
    expect(state.phase).toEqual({ step: 'error', kind: 'duplicate' });
    expect(flowReducer(state, { type: 'retry' }).phase.step).toBe('joining');
  });

  it('ignores late events from an earlier room session', () => {
    const rejoined = run(inRoom(), { type: 'disconnected', session: 1, kind: 'lost' }, { type: 'tokenOk', token });
    expect(flowReducer(rejoined, { type: 'disconnected', session: 1, kind: 'ended' })).toBe(rejoined);
    expect(flowReducer(rejoined, { type: 'agentLeft', session: 1 })).toBe(rejoined);
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 16000, 16000]);
  });
});
