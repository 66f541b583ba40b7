import type { AgentState } from '@livekit/components-react';
import { ParticipantEvent, type LocalParticipant } from 'livekit-client';
import { useEffect, useRef } from 'react';
import type { LatencyReporter } from './latency';

/** A reply more than this long after the candidate stopped is not a reply to it. */
const ROUND_TRIP_WINDOW_MS = 30_000;

/**
 * Latency as the candidate experiences it, measured in the browser:
 * - first_audio: room connected -> the agent first speaks (per room session);
 * - agent_response: the agent starts thinking -> it starts speaking;
 * - round_trip: the candidate stops speaking (LiveKit's speaker detection) -> the agent speaks.
 * `connect` is measured by the room itself (mount -> connected).
 */
export function useLatencyProbes(
  reporter: LatencyReporter,
  state: AgentState,
  localParticipant: LocalParticipant,
  connectedAt: number | null,
) {
  const previous = useRef<AgentState>(state);
  const thinkingSince = useRef<number | null>(null);
  const userStoppedAt = useRef<number | null>(null);
  const firstAudioSent = useRef(false);

  useEffect(() => {
    const onSpeaking = (speaking: boolean) => {
      userStoppedAt.current = speaking ? null : performance.now();
    };
    localParticipant.on(ParticipantEvent.IsSpeakingChanged, onSpeaking);
    return () => {
      localParticipant.off(ParticipantEvent.IsSpeakingChanged, onSpeaking);
    };
  }, [localParticipant]);

  useEffect(() => {
    const now = performance.now();
    const before = previous.current;
    previous.current = state;
    if (state === before) return;
    if (state === 'thinking') thinkingSince.current = now;
    if (state !== 'speaking') return;
    if (!firstAudioSent.current && connectedAt != null) {
      reporter.add('first_audio', now - connectedAt);
      firstAudioSent.current = true;
    }
    if (thinkingSince.current != null) reporter.add('agent_response', now - thinkingSince.current);
    const stopped = userStoppedAt.current;
    if (stopped != null && now - stopped <= ROUND_TRIP_WINDOW_MS) reporter.add('round_trip', now - stopped);
    thinkingSince.current = null;
    userStoppedAt.current = null;
  }, [state, reporter, connectedAt]);
}
