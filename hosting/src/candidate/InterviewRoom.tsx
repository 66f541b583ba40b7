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
import { ConnectionState, ParticipantKind, RoomEvent, Track, type DisconnectReason, type RemoteParticipant, type Room } from 'livekit-client';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../components/ConfirmDialog';
import type { RoomToken } from '../types';
import { Captions } from './Captions';
import { classifyDisconnect } from './disconnect';
import type { FlowEvent } from './flow';
import { knownGrace } from './grace';
import { startedAt } from './inviteSecret';
import type { LatencyReporter } from './latency';
import { MicSettings } from './MicSettings';
import { RoomTimer } from './RoomTimer';
import { useLatencyProbes } from './useLatencyProbes';
import { mutedMicrophone, ROOM_OPTIONS } from './warmRoom';

interface InterviewRoomProps {
  interviewId: string;
  token: RoomToken;
  session: number;
  connected: boolean;
  /** The room joined during the microphone check (the warm start), already connected. */
  room?: Room;
  deviceId?: string;
  reporter: LatencyReporter;
  dispatch: (event: FlowEvent) => void;
}

/** After the agent leaves, wait this long for the room to close or another agent to join. */
const AGENT_GONE_GRACE_MS = 2500;

export function InterviewRoom({ interviewId, token, session, connected, room, deviceId, reporter, dispatch }: InterviewRoomProps) {
  const mountedAt = useRef<number | null>(null);
  const [connectedAt, setConnectedAt] = useState<number | null>(null);
  const [timerStart, setTimerStart] = useState<number | null>(null);
  useEffect(() => {
    mountedAt.current = performance.now();
  }, []);
  const [micProblem, setMicProblem] = useState(false);

  // Start on a warm room: it is connected already (LiveKitRoom publishes the microphone only on a
  // connection it makes), so unmuting the microphone published muted during the check (or
  // publishing it, if that did not happen) is what tells the agent to greet.
  useEffect(() => {
    if (!room || room.state !== ConnectionState.Connected) return;
    const pressed = performance.now();
    startMicrophone(room, deviceId)
      .catch(() => setMicProblem(true))
      .finally(() => {
        setConnectedAt(pressed);
        // The timer counts from the first connection, across rejoins and reloads.
        setTimerStart(startedAt(interviewId, Date.now()));
      });
  }, [room, deviceId, interviewId]);

  return (
    <LiveKitRoom
      room={room}
      serverUrl={token.livekit_url}
      token={token.token}
      connect
      audio={deviceId ? { deviceId } : true}
      video={false}
      options={room ? undefined : ROOM_OPTIONS}
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

/** The agent's states with words in the catalogue (room.agentState.*); others show as they are. */
const AGENT_STATES = new Set(['disconnected', 'connecting', 'initializing', 'idle', 'listening', 'thinking', 'speaking', 'failed']);

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
  const { t } = useTranslation();
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

  const agentState = state === 'pre-connect-buffering' ? 'connecting' : state;
  const statusText = !connected ? t('room.connecting') : AGENT_STATES.has(agentState) ? t(`room.agentState.${agentState}`) : state;
  return (
    <div className="room__layout">
      <header className="room__header">
        <div>
          <p className="room__role">{token.role}</p>
          <p className="muted small">
            {token.candidate_name ? t('room.aiInterviewWith', { name: token.candidate_name }) : t('room.aiInterview')}
          </p>
        </div>
        <RoomTimer startedAt={timerStart} budgetMinutes={token.duration_minutes} />
      </header>

      <section className="room__agent" aria-label={t('room.interviewer')}>
        <div className={`agent-visual agent-visual--${state}`}>
          <BarVisualizer state={state} track={audioTrack} barCount={5} options={{ minHeight: 12 }} />
        </div>
        <p className="agent-state" role="status" aria-live="polite">
          {statusText}
        </p>
        {slowAgent && !agent && (
          <p className="muted small">{t('room.slowAgent')}</p>
        )}
      </section>

      <StartAudio label={t('room.startAudio')} className="button button--primary start-audio" />

      {micProblem && (
        <div className="banner banner--warning" role="alert">
          <div className="banner__body">{t('room.micStopped')}</div>
          <button type="button" className="button button--ghost button--small" onClick={onMicProblemSolved}>
            {t('room.dismiss')}
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
          {isMicrophoneEnabled ? t('room.mute') : t('room.unmute')}
        </button>
        <MicSettings />
        <button type="button" className="button button--danger button--large" onClick={() => setConfirmLeave(true)}>
          {t('room.leave')}
        </button>
        {!isMicrophoneEnabled && (
          <p className="room__muted-note" role="status">
            {t('room.muted')}
          </p>
        )}
      </footer>

      {confirmLeave && (
        <ConfirmDialog
          title={t('room.leaveTitle')}
          confirmLabel={t('room.leave')}
          cancelLabel={t('room.stay')}
          busyLabel={t('room.working')}
          failedLabel={t('room.failed')}
          danger
          onCancel={() => setConfirmLeave(false)}
          onConfirm={async () => {
            await room.disconnect();
            dispatch({ type: 'leave' });
          }}
        >
          <p>{knownGrace(token.rejoin_grace_seconds) ? t('room.leaveBody', { seconds: Math.floor(token.rejoin_grace_seconds ?? 0) }) : t('room.leaveBodySoon')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** Start on a warm room: the microphone goes live at once, then moves to the device the check chose
 * last if the muted one was another. */
async function startMicrophone(room: Room, deviceId: string | undefined): Promise<void> {
  await mutedMicrophone(room);
  await room.localParticipant.setMicrophoneEnabled(true, deviceId ? { deviceId } : undefined);
  const microphone = room.localParticipant.getTrackPublication(Track.Source.Microphone)?.track;
  if (deviceId && microphone && (await microphone.getDeviceId(false)) !== deviceId) {
    await room.switchActiveDevice('audioinput', deviceId);
  }
}
