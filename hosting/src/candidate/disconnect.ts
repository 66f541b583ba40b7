import { DisconnectReason } from 'livekit-client';
import type { DisconnectKind } from './flow';

/**
 * What a room disconnect means for the candidate: we left ('client'), the interview was ended by
 * the server side, i.e. the agent deleted the room or removed us ('ended'), the same invite joined
 * elsewhere ('duplicate'), or the connection was lost and we should rejoin ('lost').
 */
export function classifyDisconnect(reason: DisconnectReason | undefined): DisconnectKind {
  switch (reason) {
    case DisconnectReason.CLIENT_INITIATED:
      return 'client';
    case DisconnectReason.ROOM_DELETED:
    case DisconnectReason.PARTICIPANT_REMOVED:
    case DisconnectReason.ROOM_CLOSED:
      return 'ended';
    case DisconnectReason.DUPLICATE_IDENTITY:
      return 'duplicate';
    default:
      return 'lost';
  }
}
