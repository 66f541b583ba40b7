import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getInterview } from '../api';
import { renderInWorkspace } from '../test/workspace';
import type { InterviewDoc } from '../types';
import { InterviewList } from './InterviewList';
import { ReviewDraftPage } from './ReviewDraftPage';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  getInterview: vi.fn(),
  editPlan: vi.fn(),
  sendInvite: vi.fn(),
  uploadCv: vi.fn(),
  deleteCv: vi.fn(),
}));

const DRAFT: InterviewDoc = {
  id: 'iv-7',
  status: 'draft',
  candidate: { name: 'Ada Lovelace', email: 'ada@example.com' },
  role: 'Data Engineer',
  duration_minutes: 5,
  plan_version: 2,
  plan_hash: 'abc123abc123',
  skills: [{ name: 'SQL', weight: 1, anchors: { low: 'l', mid: 'm', high: 'h' } }],
  question_plan: [{ skill: 'SQL', question: 'Tell me about a query you tuned.' }],
  cv: { filename: 'ada-cv.pdf', size_bytes: 1200, pages: 1 },
};

function renderReview(id = 'iv-7') {
  return renderInWorkspace(
    <Routes>
      <Route path="/interviews/:id/review" element={<ReviewDraftPage />} />
    </Routes>,
    { path: `/interviews/${id}/review` },
  );
}

describe('reopening a draft', () => {
  beforeEach(() => vi.mocked(getInterview).mockReset());

  it('shows the stored plan and CV of the draft, read through the API', async () => {
    vi.mocked(getInterview).mockResolvedValue(DRAFT);
    const { workspace } = renderReview();
    expect(await screen.findByTestId('plan-version')).toHaveTextContent('Plan version 2 (abc123abc123)');
    expect(screen.getByRole('heading', { level: 1, name: 'Review the interview' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Review the interview for Ada Lovelace' })).toBeInTheDocument();
    expect(screen.getByTestId('cv-attached')).toHaveTextContent('ada-cv.pdf');
    expect(screen.getAllByTestId('review-question')[0].querySelector('textarea')).toHaveValue('Tell me about a query you tuned.');
    expect(getInterview).toHaveBeenCalledWith('iv-7', { idToken: 'id-token', workspaceId: 'team-1' }, expect.anything());
    expect(workspace.credentials).toHaveBeenCalled();
  });

  it('says the plan is frozen once the invite is out, and links to the interview', async () => {
    vi.mocked(getInterview).mockResolvedValue({ ...DRAFT, status: 'invited' });
    renderReview();
    expect(await screen.findByText(/has been sent, so the plan is frozen/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the interview' })).toHaveAttribute('href', '/reports/iv-7');
    expect(screen.queryByTestId('plan-review')).not.toBeInTheDocument();
  });

});

describe('the dashboard list', () => {
  const rows: InterviewDoc[] = [DRAFT, { ...DRAFT, id: 'iv-8', status: 'invited', candidate: { name: 'Grace Hopper' } }];

  it("links a draft back to its review for those who may edit it", async () => {
    const user = userEvent.setup();
    renderInWorkspace(
      <Routes>
        <Route path="/" element={<InterviewList interviews={rows} scores={{}} onAction={vi.fn()} />} />
        <Route path="/interviews/:id/review" element={<p>review page</p>} />
      </Routes>,
    );
    expect(screen.getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/interviews/iv-7/review');
    expect(screen.getByRole('link', { name: 'Grace Hopper' })).toHaveAttribute('href', '/reports/iv-8');
    expect(screen.getAllByRole('link', { name: /^Review draft/ })).toHaveLength(1);
    await user.click(screen.getByRole('link', { name: 'Review draft: Ada Lovelace' }));
    expect(screen.getByText('review page')).toBeInTheDocument();
  });

  it("sends a viewer to the interview's page, with no review link", () => {
    renderInWorkspace(<InterviewList interviews={rows} scores={{}} onAction={vi.fn()} />, { role: 'viewer' });
    expect(screen.getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/reports/iv-7');
    expect(screen.queryByRole('link', { name: /^Review draft/ })).not.toBeInTheDocument();
  });
});
