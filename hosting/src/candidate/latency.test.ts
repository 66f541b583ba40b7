import { describe, expect, it, vi } from 'vitest';
import { LatencyReporter, MAX_SAMPLES_PER_REQUEST } from './latency';

describe('LatencyReporter', () => {
  it('batches samples with the interview id and invite', async () => {
    const send = vi.fn(async () => undefined);
    const reporter = new LatencyReporter('int-1', 'secret-secret-1234', send);
    reporter.add('connect', 312.6);
    reporter.add('first_audio', 900);
    await reporter.flush();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith(
      { interview_id: 'int-1', invite: 'secret-secret-1234', samples: [{ kind: 'connect', ms: 313 }, { kind: 'first_audio', ms: 900 }] },
      false,
    );
    expect(reporter.pending).toBe(0);
  });

  it('never sends more than 100 samples a request', async () => {
    const sizes: number[] = [];
    const send = vi.fn(async (report: { samples: unknown[] }) => {
      sizes.push(report.samples.length);
    });
    const reporter = new LatencyReporter('int-1', 'secret-secret-1234', send);
    for (let i = 0; i < 250; i += 1) reporter.add('agent_response', i);
    await reporter.flush();
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_SAMPLES_PER_REQUEST);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(250);
  });

  it('drops invalid values, clamps long ones and swallows send failures', async () => {
    const send = vi.fn(async () => {
      throw new Error('offline');
    });
    const reporter = new LatencyReporter('int-1', 'secret-secret-1234', send);
    reporter.add('round_trip', -5);
    reporter.add('round_trip', Number.NaN);
    reporter.add('round_trip', 500_000);
    expect(reporter.pending).toBe(1);
    await expect(reporter.flush(true)).resolves.toBeUndefined();
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ samples: [{ kind: 'round_trip', ms: 120_000 }] }), true);
    expect(reporter.pending).toBe(0);
  });

  it('does not send an empty batch', async () => {
    const send = vi.fn(async () => undefined);
    await new LatencyReporter('int-1', 'secret-secret-1234', send).flush();
    expect(send).not.toHaveBeenCalled();
  });
});
