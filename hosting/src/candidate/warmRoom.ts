/**
 * The warm start (issue 24): while the candidate is on the microphone check, the page asks for the
 * room token and joins the room, and once the check has the microphone working it publishes it
 * muted. The agent is dispatched on that join, loads the interview, opens its model session and
 * prepares its greeting; pressing Start unmutes the microphone (one signalling message, no new
 * track to negotiate), which is the agent's signal to greet, so the first word comes right after
 * Start.
 *
 * Nothing the microphone hears is sent before Start: the track is muted (disabled), so it carries
 * silence. The room is given to the interview room on Start (take); otherwise it is left when the
 * candidate leaves the microphone check. If the agent closes a warm session nobody started (after a
 * few minutes), the room is deleted and Start joins afresh, as without the warm start.
 */
import { ConnectionState, createLocalAudioTrack, Room, RoomEvent, Track, type RoomOptions } from 'livekit-client';
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

/** Each warm room's muted publication, while it may still be under way: Start waits for it, so that
 * it never publishes a second microphone beside it. */
const mutedPublications = new WeakMap<Room, Promise<void>>();

/** Resolves once the warm room's muted microphone is published, or failed, or was never begun. */
export function mutedMicrophone(room: Room): Promise<void> {
  return mutedPublications.get(room) ?? Promise.resolve();
}

/**
 * Publish the microphone muted: the agent sees it and waits; Start unmutes it. Fails quietly (Start
 * then publishes it the usual way).
 */
export function publishMutedMicrophone(room: Room, deviceId: string | undefined): Promise<void> {
  const publication = mutedPublications.get(room) ?? publishMuted(room, deviceId).catch(() => undefined);
  mutedPublications.set(room, publication);
  return publication;
}

async function publishMuted(room: Room, deviceId: string | undefined): Promise<void> {
  if (room.localParticipant.getTrackPublication(Track.Source.Microphone)) return;
  const track = await createLocalAudioTrack({ ...ROOM_OPTIONS.audioCaptureDefaults, ...(deviceId ? { deviceId } : {}) });
  await track.mute();
  if (room.state !== ConnectionState.Connected) {
    track.stop();
    return;
  }
  await room.localParticipant.publishTrack(track, { source: Track.Source.Microphone });
}

/**
 * Joins ahead while `enabled` (the microphone check is shown), and publishes the microphone muted
 * once `microphone` says the check has it working (undefined until then). A failed token request,
 * join or publication is not shown: Start then takes the usual path, which reports any error.
 */
export function useWarmRoom(
  enabled: boolean,
  fetchToken: (signal: AbortSignal) => Promise<RoomToken>,
  microphone?: { deviceId: string | undefined },
): WarmStart {
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

  const ready = microphone !== undefined;
  const deviceId = microphone?.deviceId;
  useEffect(() => {
    if (!warm || !ready) return;
    void publishMutedMicrophone(warm.room, deviceId);
    // Published once, with the device the check had then; Start switches to the one chosen last.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [warm, ready]);

  const take = useCallback(() => {
    const entry = current.current;
    if (!entry || entry.room.state !== ConnectionState.Connected) return null;
    taken.current = entry.room;
    return entry;
  }, []);

  return { warm, take };
}
