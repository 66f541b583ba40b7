/**
 * The warm start (issue 24): while the candidate is on the microphone check, the page asks for the
 * room token and joins the room without publishing the microphone. The agent is dispatched on that
 * join, loads the interview and opens its model session; pressing Start publishes the microphone in
 * the same room, which is the agent's signal to greet, so the first word comes right after Start.
 *
 * Nothing is sent before Start: no microphone track exists until then. The room is given to the
 * interview room on Start (take); otherwise it is left when the candidate leaves the microphone
 * check. If the agent closes a warm session nobody started (after a few minutes), the room is
 * deleted and Start joins afresh, as without the warm start.
 */
import { ConnectionState, Room, RoomEvent, type RoomOptions } from 'livekit-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RoomToken } from '../types';

/** The room options of the candidate's every join, warm or not. */
export const ROOM_OPTIONS: RoomOptions = {
  adaptiveStream: false,
  dynacast: false,
  disconnectOnPageLeave: true,
  audioCaptureDefaults: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
};

export interface WarmRoom {
  room: Room;
  token: RoomToken;
}

export interface WarmStart {
  /** The connected warm room, or null (not yet, failed, closed, or off). */
  warm: WarmRoom | null;
  /** Hand the warm room over to the interview (Start): it stays connected; null when there is none. */
  take: () => WarmRoom | null;
}

/**
 * Joins ahead while `enabled` (the microphone check is shown). A failed token request or join is
 * not shown: Start then takes the usual path, which reports the error.
 */
export function useWarmRoom(enabled: boolean, fetchToken: (signal: AbortSignal) => Promise<RoomToken>): WarmStart {
  const [warm, setWarm] = useState<WarmRoom | null>(null);
  const current = useRef<WarmRoom | null>(null);
  const taken = useRef<Room | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let room: Room | undefined;
    void (async () => {
      try {
        const token = await fetchToken(controller.signal);
        if (controller.signal.aborted) return;
        room = new Room(ROOM_OPTIONS);
        const entry: WarmRoom = { room, token };
        room.on(RoomEvent.Disconnected, () => {
          if (current.current !== entry) return;
          current.current = null;
          setWarm(null);
        });
        await room.connect(token.livekit_url, token.token);
        if (controller.signal.aborted) return;
        current.current = entry;
        setWarm(entry);
      } catch {
        // No warm start this time: Start joins the usual way.
      }
    })();
    return () => {
      controller.abort();
      current.current = null;
      setWarm(null);
      if (room && taken.current !== room) void room.disconnect();
    };
  }, [enabled, fetchToken]);

  const take = useCallback(() => {
    const entry = current.current;
    if (!entry || entry.room.state !== ConnectionState.Connected) return null;
    taken.current = entry.room;
    return entry;
  }, []);

  return { warm, take };
}
