import {
  BarVisualizer,
  LiveKitRoom,
  RoomAudioRenderer,
  StartAudio,
  useLocalParticipant,
  useRoomContext,
  useVoiceAssistant,
} from '@livekit/components-react';
import '@livekit/components-styles/components/participant';
import { ParticipantKind, RoomEvent, type DisconnectReason, type RemoteParticipant } from 'livekit-client';
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import type { RoomToken } from '../types';
import { Captions } from './Captions';
import { classifyDisconnect } from './disconnect';
import type { FlowEvent } from './flow';
import { rejoinSentence } from './grace';
import { startedAt } from './inviteSecret';
import type { LatencyReporter } from './latency';
import { MicSettings } from './MicSettings';
import { RoomTimer } from './RoomTimer';
import { useLatencyProbes } from './useLatencyProbes';

interface InterviewRoomProps {
  interviewId: string;
  token: RoomToken;
  session: number;
  connected: boolean;
  deviceId?: string;
  reporter: LatencyReporter;
  dispatch: (event: FlowEvent) => void;
}

/** After the agent leaves, wait this long for the room to close or another agent to join. */
const AGENT_GONE_GRACE_MS = 2500;

export function InterviewRoom({ interviewId, token, session, connected, deviceId, reporter, dispatch }: InterviewRoomProps) {
  const mountedAt = useRef<number | null>(null);
  const [connectedAt, setConnectedAt] = useState<number | null>(null);
  const [timerStart, setTimerStart] = useState<number | null>(null);
  useEffect(() => {
    mountedAt.current = performance.now();
  }, []);
  const [micProblem, setMicProblem] = useState(false);

  return (
    <LiveKitRoom
      serverUrl={token.livekit_url}
      token={token.token}
      connect
      audio={deviceId ? { deviceId } : true}
      video={false}
      options={{
        adaptiveStream: false,
        dynacast: false,
        disconnectOnPageLeave: true,
        audioCaptureDefaults: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      }}
      onConnected={() => {
        const now = performance.now();
        if (mountedAt.current != null) reporter.add('connect', now - mountedAt.current);
        setConnectedAt(now);
        // The timer counts from the first connection, across rejoins and reloads.
        setTimerStart(startedAt(interviewId, Date.now()));
        dispatch({ type: 'connected', session });
      }}
      onDisconnected={(reason?: DisconnectReason) =>
        dispatch({ type: 'disconnected', session, kind: classifyDisconnect(reason) })
      }
      onMediaDeviceFailure={() => setMicProblem(true)}
      className="room"
    >
      <RoomAudioRenderer />
      <RoomStage
        token={token}
        session={session}
        connected={connected}
        connectedAt={connectedAt}
        timerStart={timerStart}
        reporter={reporter}
        dispatch={dispatch}
        micProblem={micProblem}
        onMicProblemSolved={() => setMicProblem(false)}
      />
    </LiveKitRoom>
  );
}

const AGENT_STATE_TEXT: Record<string, string> = {
  disconnected: 'Waiting for the interviewer to join…',
  connecting: 'The interviewer is joining…',
  'pre-connect-buffering': 'The interviewer is joining…',
  initializing: 'The interviewer is getting ready…',
  idle: 'Your turn',
  listening: 'Listening',
  thinking: 'Thinking…',
  speaking: 'Speaking',
  failed: 'The interviewer could not join.',
};

interface RoomStageProps {
  token: RoomToken;
  session: number;
  connected: boolean;
  connectedAt: number | null;
  timerStart: number | null;
  reporter: LatencyReporter;
  dispatch: (event: FlowEvent) => void;
  micProblem: boolean;
  onMicProblemSolved: () => void;
}

function RoomStage({
  token,
  session,
  connected,
  connectedAt,
  timerStart,
  reporter,
  dispatch,
  micProblem,
  onMicProblemSolved,
}: RoomStageProps) {
  const room = useRoomContext();
  const { state, audioTrack, agent } = useVoiceAssistant();
  const { localParticipant, isMicrophoneEnabled } = useLocalParticipant();
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [slowAgent, setSlowAgent] = useState(false);

  useLatencyProbes(reporter, state, localParticipant, connectedAt);

  // Say so when the interviewer takes long to appear.
  useEffect(() => {
    if (!connected || agent) return;
    const timer = window.setTimeout(() => setSlowAgent(true), 20_000);
    return () => {
      window.clearTimeout(timer);
      setSlowAgent(false);
    };
  }, [connected, agent]);

  // The agent leaving (after its goodbye) ends the interview, unless another agent takes over.
  useEffect(() => {
    let timer: number | undefined;
    const onLeft = (participant: RemoteParticipant) => {
      if (participant.kind !== ParticipantKind.AGENT) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const agents = [...room.remoteParticipants.values()].filter((p) => p.kind === ParticipantKind.AGENT);
        if (agents.length === 0) dispatch({ type: 'agentLeft', session });
      }, AGENT_GONE_GRACE_MS);
    };
    room.on(RoomEvent.ParticipantDisconnected, onLeft);
    return () => {
      window.clearTimeout(timer);
      room.off(RoomEvent.ParticipantDisconnected, onLeft);
    };
  }, [room, dispatch, session]);

  // Warn before closing the tab mid-interview.
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  const statusText = !connected ? 'Connecting…' : AGENT_STATE_TEXT[state] ?? state;
  return (
    <div className="room__layout">
      <header className="room__header">
        <div>
          <p className="room__role">{token.role}</p>
          <p className="muted small">AI interview{token.candidate_name ? ` with ${token.candidate_name}` : ''}</p>
        </div>
        <RoomTimer startedAt={timerStart} budgetMinutes={token.duration_minutes} />
      </header>

      <section className="room__agent" aria-label="Interviewer">
        <div className={`agent-visual agent-visual--${state}`}>
          <BarVisualizer state={state} track={audioTrack} barCount={5} options={{ minHeight: 12 }} />
        </div>
        <p className="agent-state" role="status" aria-live="polite">
          {statusText}
        </p>
        {slowAgent && !agent && (
          <p className="muted small">The interviewer is taking longer than usual. Please stay on this page.</p>
        )}
      </section>

      <StartAudio label="Tap to turn on the interviewer's sound" className="button button--primary start-audio" />

      {micProblem && (
        <div className="banner banner--warning" role="alert">
          <div className="banner__body">The microphone stopped working. Choose another one below, or check its cable.</div>
          <button type="button" className="button button--ghost button--small" onClick={onMicProblemSolved}>
            Dismiss
          </button>
        </div>
      )}

      <Captions />

      <footer className="room__controls">
        <button
          type="button"
          className={`button button--large ${isMicrophoneEnabled ? 'button--secondary' : 'button--warning'}`}
          aria-pressed={!isMicrophoneEnabled}
          onClick={() => void localParticipant.setMicrophoneEnabled(!isMicrophoneEnabled)}
          disabled={!connected}
        >
          {isMicrophoneEnabled ? 'Mute' : 'Unmute'}
        </button>
        <MicSettings />
        <button type="button" className="button button--danger button--large" onClick={() => setConfirmLeave(true)}>
          Leave
        </button>
        {!isMicrophoneEnabled && (
          <p className="room__muted-note" role="status">
            You are muted. The interviewer cannot hear you.
          </p>
        )}
      </footer>

      {confirmLeave && (
        <ConfirmDialog
          title="Leave the interview?"
          confirmLabel="Leave"
          cancelLabel="Stay"
          danger
          onCancel={() => setConfirmLeave(false)}
          onConfirm={async () => {
            await room.disconnect();
            dispatch({ type: 'leave' });
          }}
        >
          <p>If you leave now, the interview may end and be evaluated as it is. {rejoinSentence(token.rejoin_grace_seconds)}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
