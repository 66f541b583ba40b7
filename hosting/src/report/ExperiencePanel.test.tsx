import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderInWorkspace } from '../test/workspace';
import type { InterviewDoc, Role } from '../types';
import ExperiencePanel from './ExperiencePanel';

const TRACE_ID = '290f7d63fc615b1109644a0a1dee7658';
const VIEWER = 'http://127.0.0.1:6006/traces/{trace_id}';
const interview: InterviewDoc = {
  id: 'iv-1',
  trace_id: TRACE_ID,
  metrics: { agent: { latency_p95_ms: 1200 } },
};

describe('ExperiencePanel', () => {
  it.each<Role>(['admin', 'owner'])('links the trace for an %s', (role) => {
    renderInWorkspace(<ExperiencePanel interview={interview} traceViewerUrl={VIEWER} />, { role });
    expect(screen.getByRole('link', { name: 'Open the trace' })).toHaveAttribute(
      'href',
      `http://127.0.0.1:6006/traces/${TRACE_ID}`,
    );
  });

  it.each<Role>(['recruiter', 'viewer'])('shows a %s the figures but not the trace', (role) => {
    renderInWorkspace(<ExperiencePanel interview={interview} traceViewerUrl={VIEWER} />, { role });
    expect(screen.getByText('Turn latency p95')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Open the trace' })).not.toBeInTheDocument();
  });

  it('shows no trace outside a workspace (no role known)', () => {
    render(<ExperiencePanel interview={interview} traceViewerUrl={VIEWER} />);
    expect(screen.queryByRole('link', { name: 'Open the trace' })).not.toBeInTheDocument();
  });
});
