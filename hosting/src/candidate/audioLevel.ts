/** Loudness of a block of samples in [-1, 1], as 0..1 for a meter: -60 dBFS and below is 0, 0 dBFS is 1. */
export function levelFromSamples(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

/** A level at which we are confident the microphone picks up a voice. */
export const HEARD_LEVEL = 0.35;

export type MicErrorKind = 'denied' | 'not_found' | 'busy' | 'unsupported' | 'unknown';

export function micErrorKind(error: unknown): MicErrorKind {
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'not_found';
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'busy';
  if (name === 'TypeError') return 'unsupported';
  return 'unknown';
}
