import { DisconnectReason } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import { classifyDisconnect } from './disconnect';

describe('classifyDisconnect', () => {
  it.each([
    [DisconnectReason.CLIENT_INITIATED, 'client'],
    [DisconnectReason.ROOM_DELETED, 'ended'],
    [DisconnectReason.PARTICIPANT_REMOVED, 'ended'],
    [DisconnectReason.ROOM_CLOSED, 'ended'],
    [DisconnectReason.DUPLICATE_IDENTITY, 'duplicate'],
    [DisconnectReason.SIGNAL_CLOSE, 'lost'],
    [DisconnectReason.JOIN_FAILURE, 'lost'],
    [DisconnectReason.SERVER_SHUTDOWN, 'lost'],
    [DisconnectReason.UNKNOWN_REASON, 'lost'],
    [undefined, 'lost'],
  ])('classifies %s as %s', (reason, kind) => {
    expect(classifyDisconnect(reason)).toBe(kind);
  });
});
