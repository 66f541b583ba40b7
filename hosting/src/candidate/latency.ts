/**
 * Best-effort latency telemetry for POST /api/metrics/latency: samples are batched (at most 100 a
 * request, as the API allows), flushed on a timer and when the page is hidden, and dropped on
 * failure rather than retried forever. The queue is bounded.
 */
import type { LatencyKind, LatencyReport, LatencySample } from '../types';

export const MAX_SAMPLES_PER_REQUEST = 100;
const MAX_QUEUE = 300;
const MAX_MS = 120_000;

export type SendLatency = (report: LatencyReport, keepalive: boolean) => Promise<unknown>;

export class LatencyReporter {
  private queue: LatencySample[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly interviewId: string;
  private readonly invite: string;
  private readonly send: SendLatency;

  constructor(interviewId: string, invite: string, send: SendLatency) {
    this.interviewId = interviewId;
    this.invite = invite;
    this.send = send;
  }

  /** Record a sample; ignores nonsense values (negative, not finite) and clamps long ones. */
  add(kind: LatencyKind, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.queue.push({ kind, ms: Math.min(MAX_MS, Math.round(ms)) });
    if (this.queue.length > MAX_QUEUE) this.queue.splice(0, this.queue.length - MAX_QUEUE);
    if (this.queue.length >= MAX_SAMPLES_PER_REQUEST) void this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Send everything queued, in requests of at most 100 samples. Never throws. */
  async flush(keepalive = false): Promise<void> {
    while (this.queue.length > 0) {
      const samples = this.queue.splice(0, MAX_SAMPLES_PER_REQUEST);
      try {
        await this.send({ interview_id: this.interviewId, invite: this.invite, samples }, keepalive);
      } catch {
        // Best effort: telemetry must never disturb the interview.
      }
    }
  }

  start(intervalMs = 15_000): void {
    this.stop();
    this.timer = setInterval(() => void this.flush(), intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
