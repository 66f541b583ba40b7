import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RecruiterShell } from '../recruiter/RecruiterApp';
import { useInterviews } from '../recruiter/useInterviews';
import { renderInWorkspace } from '../test/workspace';
import type { InterviewDoc } from '../types';

vi.mock('../firebase', () => ({ firebaseAuth: vi.fn(), idToken: vi.fn(async () => 'id-token'), firestore: vi.fn() }));
vi.mock('../recruiter/useInterviews', () => ({
  useInterviews: vi.fn(),
  useReportScores: vi.fn(() => ({})),
}));

const INTERVIEWS: InterviewDoc[] = [
  { id: 'iv-1', status: 'evaluated', candidate: { name: 'Ada Lovelace' }, role: 'Engineer', workspace_id: 'team-1' },
  { id: 'iv-2', status: 'invited', candidate: { name: 'Grace Hopper' }, role: 'Engineer', workspace_id: 'team-1' },
];

beforeEach(() => {
  vi.mocked(useInterviews).mockReturnValue({ interviews: INTERVIEWS, loading: false, error: null, hasMore: false });
});

function nav() {
  return within(screen.getByRole('navigation', { name: 'Main' }));
}

describe('role gating', () => {
  it('shows a viewer the team’s interviews, but no way to create, cancel, re-evaluate or delete', async () => {
    renderInWorkspace(<RecruiterShell email="vera@example.com" />, { role: 'viewer' });
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/reports/iv-1');
    expect(screen.getByRole('link', { name: 'Grace Hopper' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'New interview' })).not.toBeInTheDocument();
    expect(nav().queryByRole('link', { name: 'New interview' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^(Cancel|Re-evaluate|Delete):/ })).not.toBeInTheDocument();
    expect(nav().queryByRole('link', { name: 'Members' })).not.toBeInTheDocument();
    expect(nav().queryByRole('link', { name: 'Settings' })).not.toBeInTheDocument();
    expect(nav().queryByRole('link', { name: 'Audit log' })).not.toBeInTheDocument();
    expect(screen.getByText('Viewer')).toBeInTheDocument();
  });

  it('tells a viewer who opens /interviews/new that the role does not allow it', async () => {
    renderInWorkspace(<RecruiterShell email="vera@example.com" />, { role: 'viewer', path: '/interviews/new' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Not available with your role' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create interview' })).not.toBeInTheDocument();
  });

  it('gives a recruiter "New interview" and the actions, but not Members or Settings', async () => {
    renderInWorkspace(<RecruiterShell email="rita@example.com" />, { role: 'recruiter' });
    await screen.findByRole('link', { name: 'Ada Lovelace' });
    expect(nav().getByRole('link', { name: 'New interview' })).toHaveAttribute('href', '/interviews/new');
    expect(screen.getByRole('button', { name: 'Delete: Ada Lovelace' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel: Grace Hopper' })).toBeInTheDocument();
    expect(nav().queryByRole('link', { name: 'Members' })).not.toBeInTheDocument();
  });

  it.each(['admin', 'owner'] as const)('gives an %s Members and Settings', async (role) => {
    renderInWorkspace(<RecruiterShell email="alex@example.com" />, { role });
    await screen.findByRole('link', { name: 'Ada Lovelace' });
    expect(nav().getByRole('link', { name: 'Members' })).toHaveAttribute('href', '/members');
    expect(nav().getByRole('link', { name: 'Settings' })).toHaveAttribute('href', '/settings');
    expect(nav().getByRole('link', { name: 'Audit log' })).toHaveAttribute('href', '/audit');
    expect(nav().getByRole('link', { name: 'New interview' })).toBeInTheDocument();
  });

  it('tells a recruiter who opens /audit that the role does not allow it', async () => {
    renderInWorkspace(<RecruiterShell email="rita@example.com" />, { role: 'recruiter', path: '/audit' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Not available with your role' })).toBeInTheDocument();
    expect(screen.getByText(/can read the audit log/)).toBeInTheDocument();
    expect(nav().queryByRole('link', { name: 'Audit log' })).not.toBeInTheDocument();
  });

  it('lists the workspace’s interviews, and only mine with ?mine=true', async () => {
    const { workspace } = renderInWorkspace(<RecruiterShell email="rita@example.com" />, { role: 'recruiter', uid: 'me-1' });
    await screen.findByRole('link', { name: 'Ada Lovelace' });
    expect(useInterviews).toHaveBeenLastCalledWith('team-1', null, 50);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Created by me' }));
    await vi.waitFor(() => expect(useInterviews).toHaveBeenLastCalledWith('team-1', 'me-1', 50));
    expect(screen.getByRole('button', { name: 'Created by me' })).toHaveAttribute('aria-pressed', 'true');
    expect(workspace.workspace.id).toBe('team-1');
  });

  it('opens with only mine when the address says ?mine=true', async () => {
    renderInWorkspace(<RecruiterShell email="rita@example.com" />, { role: 'viewer', uid: 'me-1', path: '/?mine=true' });
    await screen.findByRole('link', { name: 'Ada Lovelace' });
    expect(useInterviews).toHaveBeenLastCalledWith('team-1', 'me-1', 50);
  });
});
