import { useCallback, useEffect, useRef, useState } from 'react';
import { HEARD_LEVEL, levelFromSamples, micErrorKind, type MicErrorKind } from './audioLevel';

interface MicrophoneState {
  status: 'starting' | 'ready' | 'error';
  error?: MicErrorKind;
  devices: MediaDeviceInfo[];
  /** The device actually in use (from the track's settings). */
  deviceId?: string;
  /** The voice was loud enough at least once. */
  heard: boolean;
}

/**
 * Opens the chosen microphone, lists the inputs and measures the level with a Web Audio
 * AnalyserNode. The level goes to `onLevel` on every animation frame without re-rendering.
 */
export function useMicrophone(requestedDeviceId: string | undefined, onLevel: (level: number) => void) {
  const [state, setState] = useState<MicrophoneState>({ status: 'starting', devices: [], heard: false });
  const [attempt, setAttempt] = useState(0);
  const onLevelRef = useRef(onLevel);
  useEffect(() => {
    onLevelRef.current = onLevel;
  }, [onLevel]);

  useEffect(() => {
    if (!navigator.mediaDevices?.getUserMedia) {
      setState((s) => ({ ...s, status: 'error', error: 'unsupported' }));
      return;
    }
    let stopped = false;
    let stream: MediaStream | undefined;
    let context: AudioContext | undefined;
    let frame = 0;

    async function listDevices() {
      const all = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
      return all.filter((d) => d.kind === 'audioinput' && d.deviceId);
    }

    async function start() {
      setState((s) => ({ ...s, status: 'starting', error: undefined, heard: false }));
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          audio: {
            ...(requestedDeviceId ? { deviceId: { exact: requestedDeviceId } } : {}),
            echoCancellation: true,
            noiseSuppression: true,
            autoGainControl: true,
          },
          video: false,
        });
      } catch (error) {
        if (!stopped) setState((s) => ({ ...s, status: 'error', error: micErrorKind(error) }));
        return;
      }
      if (stopped) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const track = stream.getAudioTracks()[0];
      const devices = await listDevices();
      if (stopped) return;
      setState({ status: 'ready', devices, deviceId: track?.getSettings().deviceId, heard: false });

      const AudioContextClass =
        window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
      if (!AudioContextClass) return;
      context = new AudioContextClass();
      void context.resume().catch(() => undefined);
      const analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      context.createMediaStreamSource(stream).connect(analyser);
      const buffer = new Float32Array(analyser.fftSize);
      let heard = false;
      const tick = () => {
        analyser.getFloatTimeDomainData(buffer);
        const level = levelFromSamples(buffer);
        onLevelRef.current(level);
        if (!heard && level >= HEARD_LEVEL) {
          heard = true;
          setState((s) => ({ ...s, heard: true }));
        }
        frame = requestAnimationFrame(tick);
      };
      frame = requestAnimationFrame(tick);
    }

    const onDeviceChange = () =>
      void listDevices().then((devices) => !stopped && setState((s) => ({ ...s, devices })));
    navigator.mediaDevices.addEventListener?.('devicechange', onDeviceChange);
    void start();

    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      navigator.mediaDevices.removeEventListener?.('devicechange', onDeviceChange);
      stream?.getTracks().forEach((t) => t.stop());
      void context?.close().catch(() => undefined);
      onLevelRef.current(0);
    };
  }, [requestedDeviceId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
