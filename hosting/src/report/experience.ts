/**
 * What the candidate experienced, from the interview's metrics: the agent's own figures
 * (metrics.agent, sent with the completion webhook) and the candidate page's (metrics.client).
 */
import type { InterviewDoc } from '../types';

export interface Figure {
  label: string;
  value: string;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function number(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const ms = (value: number) => `${Math.round(value)} ms`;

/** The figures that exist for this interview, in reading order; none before it has run. */
export function experienceFigures(interview: InterviewDoc): Figure[] {
  const metrics = record(interview.metrics);
  const agent = record(metrics.agent);
  const firstAudio = record(record(metrics.client).first_audio);
  const figures: Figure[] = [];
  const count = number(firstAudio.count);
  const sum = number(firstAudio.sum_ms);
  if (count && sum !== null) figures.push({ label: 'First audio (candidate page)', value: ms(sum / count) });
  const p95 = number(agent.latency_p95_ms);
  if (p95 !== null) figures.push({ label: 'Turn latency p95', value: ms(p95) });
  const rejoins = number(agent.rejoins);
  const reconnects = number(agent.live_reconnects);
  if (rejoins !== null || reconnects !== null) {
    figures.push({ label: 'Drops / model reconnects', value: `${rejoins ?? 0} / ${reconnects ?? 0}` });
  }
  const seconds = number(agent.duration_s);
  if (seconds !== null) figures.push({ label: 'Model minutes', value: (seconds / 60).toFixed(1) });
  return figures;
}

/** The trace viewer's page for this interview, when a viewer is configured ({trace_id} replaced). */
export function traceLink(template: string, traceId: string | null | undefined): string | null {
  if (!template || !traceId || !/^[0-9a-f]{32}$/.test(traceId)) return null;
  return template.includes('{trace_id}') ? template.replace('{trace_id}', traceId) : template;
}
