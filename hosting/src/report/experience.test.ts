import { describe, expect, it } from 'vitest';
import { experienceFigures, traceLink } from './experience';

describe('experienceFigures', () => {
  it('shows nothing before the interview has run', () => {
    expect(experienceFigures({ id: 'a' })).toEqual([]);
  });

  it('reads the candidate page and the agent figures', () => {
    const figures = experienceFigures({
      id: 'a',
      metrics: {
        client: { first_audio: { count: 2, sum_ms: 1500, max_ms: 900 } },
        agent: { latency_p95_ms: 1939.2, rejoins: 1, live_reconnects: 0, duration_s: 90 },
      },
    });
    expect(figures).toEqual([
      { label: 'First audio (candidate page)', value: '750 ms' },
      { label: 'Turn latency p95', value: '1939 ms' },
      { label: 'Drops / model reconnects', value: '1 / 0' },
      { label: 'Model minutes', value: '1.5' },
    ]);
  });
});

describe('traceLink', () => {
  const id = '290f7d63fc615b1109644a0a1dee7658';
  it('needs a viewer and a well-formed trace id', () => {
    expect(traceLink('', id)).toBeNull();
    expect(traceLink('http://127.0.0.1:6006', null)).toBeNull();
    expect(traceLink('http://127.0.0.1:6006', 'javascript:alert(1)')).toBeNull();
  });
  it('fills the template', () => {
    expect(traceLink('https://console.cloud.google.com/traces/list?tid={trace_id}', id)).toBe(
      `https://console.cloud.google.com/traces/list?tid=${id}`,
    );
  });
});
