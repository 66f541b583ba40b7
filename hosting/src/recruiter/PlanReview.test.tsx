import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteCv, editPlan, sendInvite } from '../api';
import { recruiterI18n } from '../i18n/recruiter';
import type { ReviewPlan } from '../types';
import { PlanReview } from './PlanReview';

vi.mock('../api', () => ({
  ApiError: class ApiError extends Error {},
  deleteCv: vi.fn(),
  editPlan: vi.fn(),
  sendInvite: vi.fn(),
  uploadCv: vi.fn(),
}));

const draft: ReviewPlan = {
  id: 'iv-1',
  status: 'draft',
  plan_version: 1,
  plan_hash: 'abc123abc123',
  skills: [
    { name: 'SQL', weight: 0.6, anchors: { low: 'l', mid: 'm', high: 'h' } },
    { name: 'Python', weight: 0.4, anchors: { low: 'l', mid: 'm', high: 'h' } },
  ],
  question_plan: [
    { skill: 'SQL', question: 'First question about SQL?' },
    { skill: 'Python', question: 'Second question about Python?' },
  ],
};

describe('PlanReview', () => {
  beforeEach(() => {
    vi.mocked(editPlan).mockReset();
    vi.mocked(sendInvite).mockReset();
    vi.mocked(deleteCv).mockReset();
  });

  it('saves the reordered, edited and extended plan before it sends the invite', async () => {
    const user = userEvent.setup();
    vi.mocked(editPlan).mockImplementation(async (_id, body) => ({ ...draft, ...body, plan_version: 2 }));
    vi.mocked(sendInvite).mockResolvedValue({
      id: 'iv-1',
      status: 'invited',
      invite_url: 'http://127.0.0.1/i/iv-1#secret',
      plan_version: 2,
    });
    const onSent = vi.fn();
    render(
      <PlanReview
        initial={draft}
        candidateName="Ada"
        credentials={async () => ({ idToken: 't', workspaceId: 'w' })}
        onSent={onSent}
      />,
    );
    expect(screen.getByTestId('plan-version')).toHaveTextContent('Plan version 1 (abc123abc123)');
    await user.click(screen.getAllByRole('button', { name: 'Move down' })[0]);
    const first = screen.getAllByTestId('review-question')[0].querySelector('textarea')!;
    expect(first).toHaveValue('Second question about Python?');
    await user.clear(first);
    await user.type(first, 'Reworded Python question?');
    await user.type(screen.getByTestId('must-ask-input'), 'Our own must-ask question?');
    await user.click(screen.getByRole('button', { name: 'Add must-ask question' }));
    await user.click(screen.getByRole('button', { name: 'Send invite' }));

    await waitFor(() => expect(onSent).toHaveBeenCalledOnce());
    const [, body] = vi.mocked(editPlan).mock.calls[0];
    expect(body.base_version).toBe(1);
    expect(body.question_plan.map((q) => q.question)).toEqual([
      'Reworded Python question?',
      'First question about SQL?',
      'Our own must-ask question?',
    ]);
    expect(body.question_plan[2]).toMatchObject({ skill: 'SQL', must_ask: true });
    expect(vi.mocked(sendInvite).mock.invocationCallOrder[0]).toBeGreaterThan(
      vi.mocked(editPlan).mock.invocationCallOrder[0],
    );
  }, 20_000);

  it('does not send the invite when saving the plan is refused', async () => {
    const user = userEvent.setup();
    vi.mocked(editPlan).mockRejectedValue(new Error('refused'));
    render(
      <PlanReview initial={draft} candidateName="Ada" credentials={async () => ({ idToken: 't' })} onSent={vi.fn()} />,
    );
    await user.click(screen.getAllByRole('button', { name: 'Delete' })[0]);
    await user.click(screen.getByRole('button', { name: 'Send invite' }));
    await screen.findByRole('alert');
    expect(sendInvite).not.toHaveBeenCalled();
  }, 20_000);

  it('removes the CV after a confirmation and keeps the plan', async () => {
    const user = userEvent.setup();
    vi.mocked(deleteCv).mockResolvedValue(undefined);
    const withCv: ReviewPlan = {
      ...draft,
      plan_version: 2,
      cv: { filename: 'ada-cv.pdf', size_bytes: 1200, pages: 1 },
    };
    render(
      <PlanReview initial={withCv} candidateName="Ada" credentials={async () => ({ idToken: 't', workspaceId: 'w' })} onSent={vi.fn()} />,
    );
    expect(screen.getByTestId('cv-attached')).toHaveTextContent('Attached: ada-cv.pdf (1 page).');
    await user.click(screen.getByRole('button', { name: 'Remove CV' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove the CV?' });
    expect(dialog).toHaveAccessibleDescription(/ada-cv.pdf and the text read from it are deleted for good/);
    expect(deleteCv).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Remove CV' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(deleteCv).toHaveBeenCalledExactlyOnceWith('iv-1', { idToken: 't', workspaceId: 'w' });
    expect(screen.queryByTestId('cv-attached')).not.toBeInTheDocument();
    expect(screen.getByText('Attach a CV (PDF)')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(/CV removed/);
    expect(screen.getByTestId('plan-version')).toHaveTextContent('Plan version 2');
  }, 20_000);

  it('keeps the CV and says why when removing it fails', async () => {
    const user = userEvent.setup();
    vi.mocked(deleteCv).mockRejectedValue(new Error('this interview has no CV'));
    const withCv: ReviewPlan = { ...draft, cv: { filename: 'ada-cv.pdf', size_bytes: 1200, pages: 3 } };
    render(<PlanReview initial={withCv} candidateName="Ada" credentials={async () => ({ idToken: 't' })} onSent={vi.fn()} />);
    expect(screen.getByTestId('cv-attached')).toHaveTextContent('(3 pages)');
    await user.click(screen.getByRole('button', { name: 'Remove CV' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Remove CV' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('this interview has no CV');
    expect(screen.getByTestId('cv-attached')).toBeInTheDocument();
  }, 20_000);

  it("takes its words from the recruiter catalogue", () => {
    recruiterI18n.addResource('en', 'recruiter', 'review.send', 'Invite now');
    try {
      render(<PlanReview initial={draft} candidateName="Ada" credentials={async () => ({ idToken: 't' })} onSent={vi.fn()} />);
      expect(screen.getByRole('button', { name: 'Invite now' })).toBeInTheDocument();
    } finally {
      recruiterI18n.addResource('en', 'recruiter', 'review.send', 'Send invite');
    }
  });
});
