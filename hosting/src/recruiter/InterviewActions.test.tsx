import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cancelInterview, deleteInterview, reevaluateInterview } from '../api';
import { renderInWorkspace } from '../test/workspace';
import { allowedActions, InterviewActions } from './InterviewActions';

vi.mock('../api', () => ({
  cancelInterview: vi.fn(async () => ({})),
  deleteInterview: vi.fn(async () => ({})),
  reevaluateInterview: vi.fn(async () => ({})),
}));

describe('allowedActions', () => {
  it.each([
    ['invited', ['cancel', 'delete']],
    ['in_progress', ['cancel']],
    ['completed', ['delete']],
    ['evaluating', ['delete']],
    ['evaluated', ['reevaluate', 'delete']],
    ['evaluation_failed', ['reevaluate', 'delete']],
    ['cancelled', ['delete']],
    ['expired', ['delete']],
  ])('offers the right actions for %s', (status, expected) => {
    expect(allowedActions(status)).toEqual(expected);
  });
});

describe('InterviewActions', () => {
  const interview = { id: 'iv-1', status: 'evaluated', candidate: { name: 'Ada Lovelace' } };

  beforeEach(() => {
    vi.mocked(cancelInterview).mockClear();
    vi.mocked(deleteInterview).mockClear();
    vi.mocked(reevaluateInterview).mockClear();
  });

  it('deletes only after the confirmation, once', async () => {
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderInWorkspace(<InterviewActions interview={interview} onDone={onDone} />);
    await user.click(screen.getByRole('button', { name: 'Delete: Ada Lovelace' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this interview?' });
    expect(dialog).toHaveAccessibleDescription(/Ada Lovelace's interview, its transcript, report and stored files/);
    expect(screen.getByRole('button', { name: 'Keep it' })).toHaveFocus();
    expect(deleteInterview).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Delete for good' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(deleteInterview).toHaveBeenCalledExactlyOnceWith('iv-1', { idToken: 'id-token', workspaceId: 'team-1' });
    expect(onDone).toHaveBeenCalledExactlyOnceWith('delete');
  });

  it.each([
    ['Keep it', (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByRole('button', { name: 'Keep it' }))],
    ['Escape', (user: ReturnType<typeof userEvent.setup>) => user.keyboard('{Escape}')],
  ])('re-evaluates nothing when the recruiter answers %s', async (_, dismiss) => {
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderInWorkspace(<InterviewActions interview={interview} onDone={onDone} />);
    const opener = screen.getByRole('button', { name: 'Re-evaluate: Ada Lovelace' });
    await user.click(opener);
    expect(screen.getByRole('alertdialog', { name: 'Evaluate again?' })).toBeInTheDocument();
    await dismiss(user);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(opener).toHaveFocus();
    expect(reevaluateInterview).not.toHaveBeenCalled();
    expect(onDone).not.toHaveBeenCalled();
  });

  it.each(['viewer'] as const)('offers nothing to a %s', (role) => {
    renderInWorkspace(<InterviewActions interview={interview} />, { role });
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it.each(['recruiter', 'admin', 'owner'] as const)('offers re-evaluate and delete to a %s', (role) => {
    renderInWorkspace(<InterviewActions interview={interview} />, { role });
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Re-evaluate', 'Delete']);
  });
});
