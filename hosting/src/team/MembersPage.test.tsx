import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  changeMemberRole,
  createInvitation,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
} from '../api';
import { renderInWorkspace } from '../test/workspace';
import MembersPage from './MembersPage';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  listMembers: vi.fn(),
  listInvitations: vi.fn(),
  createInvitation: vi.fn(),
  revokeInvitation: vi.fn(async () => undefined),
  changeMemberRole: vi.fn(async () => undefined),
  removeMember: vi.fn(async () => undefined),
}));

const AUTH = { idToken: 'id-token', workspaceId: 'team-1' };

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(listMembers).mockResolvedValue({
    members: [
      { uid: 'user-1', email: 'alex@example.com', role: 'admin', joined_at: '2026-01-02T10:00:00Z' },
      { uid: 'owner-1', email: 'olga@example.com', role: 'owner', joined_at: '2026-01-01T10:00:00Z' },
      { uid: 'rec-1', email: 'rita@example.com', role: 'recruiter', joined_at: '2026-01-03T10:00:00Z' },
    ],
  });
  vi.mocked(listInvitations).mockResolvedValue({
    invitations: [
      { id: 'inv-1', email: 'new@example.com', role: 'viewer', status: 'pending', expires_at: '2030-01-01T00:00:00Z' },
      { id: 'inv-0', email: 'old@example.com', role: 'viewer', status: 'accepted', expires_at: '2026-01-01T00:00:00Z' },
    ],
  });
});

function row(name: string) {
  return screen.getByRole('row', { name: new RegExp(name) });
}

describe('MembersPage', () => {
  it('lists members with role and join date, and only the pending invitations', async () => {
    renderInWorkspace(<MembersPage />, { role: 'admin', uid: 'user-1' });
    const members = within(await screen.findByRole('region', { name: /^Members/ }));
    expect(members.getAllByRole('row').slice(1).map((r) => (r as HTMLTableRowElement).cells[0].textContent)).toEqual([
      'alex@example.com (you)',
      'olga@example.com',
      'rita@example.com',
    ]);
    expect(members.getByRole('combobox', { name: 'Role of rita@example.com' })).toHaveValue('recruiter');
    // An admin cannot change or remove an owner.
    expect(members.queryByRole('combobox', { name: 'Role of olga@example.com' })).not.toBeInTheDocument();
    expect(members.queryByRole('button', { name: 'Remove olga@example.com' })).not.toBeInTheDocument();
    // Nor make anyone an owner.
    const options = within(members.getByRole('combobox', { name: 'Role of rita@example.com' })).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Admin', 'Recruiter', 'Viewer']);
    const invitations = within(screen.getByRole('region', { name: 'Pending invitations' }));
    expect(invitations.getByText('new@example.com')).toBeInTheDocument();
    expect(invitations.queryByText('old@example.com')).not.toBeInTheDocument();
  });

  it('lets an owner make someone an owner', async () => {
    renderInWorkspace(<MembersPage />, { role: 'owner', uid: 'owner-1' });
    const select = await screen.findByRole('combobox', { name: 'Role of rita@example.com' });
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Owner', 'Admin', 'Recruiter', 'Viewer']);
  });

  it('invites by email with a role and shows the link to copy', async () => {
    vi.mocked(createInvitation).mockResolvedValue({
      id: 'inv-2',
      email: 'vera@example.com',
      role: 'viewer',
      expires_at: '2030-01-08T00:00:00Z',
      accept_url: 'http://localhost:5173/join/team-1/inv-2#secret-secret',
    });
    const user = userEvent.setup();
    renderInWorkspace(<MembersPage />, { role: 'admin' });
    const form = within(await screen.findByRole('region', { name: 'Invite a colleague' }));
    await user.click(form.getByRole('button', { name: 'Invite' }));
    expect(form.getByRole('alert')).toHaveTextContent('Enter the email address');
    expect(createInvitation).not.toHaveBeenCalled();

    await user.type(form.getByLabelText('Email'), ' Vera@Example.com ');
    await user.selectOptions(form.getByLabelText('Role'), 'viewer');
    await user.click(form.getByRole('button', { name: 'Invite' }));
    expect(createInvitation).toHaveBeenCalledWith({ email: 'vera@example.com', role: 'viewer' }, AUTH);
    expect(await form.findByRole('textbox', { name: 'Invitation link' })).toHaveValue(
      'http://localhost:5173/join/team-1/inv-2#secret-secret',
    );
    expect(form.getByRole('button', { name: 'Copy link' })).toBeInTheDocument();
    expect(form.getByLabelText('Email')).toHaveValue('');
    await waitFor(() => expect(listInvitations).toHaveBeenCalledTimes(2));
  });

  it('shows an API refusal of an invitation next to the form', async () => {
    vi.mocked(createInvitation).mockRejectedValue(new ApiError(409, 'already_member', 'already a member'));
    const user = userEvent.setup();
    renderInWorkspace(<MembersPage />, { role: 'admin' });
    const form = within(await screen.findByRole('region', { name: 'Invite a colleague' }));
    await user.type(form.getByLabelText('Email'), 'rita@example.com');
    await user.click(form.getByRole('button', { name: 'Invite' }));
    expect(await form.findByRole('alert')).toHaveTextContent('This person is a member of the team already.');
  });

  it('revokes a pending invitation', async () => {
    const user = userEvent.setup();
    renderInWorkspace(<MembersPage />, { role: 'admin' });
    await user.click(await screen.findByRole('button', { name: 'Revoke the invitation of new@example.com' }));
    expect(revokeInvitation).toHaveBeenCalledWith('inv-1', AUTH);
    await waitFor(() => expect(listInvitations).toHaveBeenCalledTimes(2));
  });

  it('changes a role, and shows last_owner next to the select, putting the old role back', async () => {
    const user = userEvent.setup();
    renderInWorkspace(<MembersPage />, { role: 'owner', uid: 'owner-1' });
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Role of rita@example.com' }), 'viewer');
    expect(changeMemberRole).toHaveBeenCalledWith('rec-1', 'viewer', AUTH);

    vi.mocked(changeMemberRole).mockRejectedValueOnce(new ApiError(409, 'last_owner', 'the last owner cannot be demoted'));
    const mine = await screen.findByRole('combobox', { name: 'Role of olga@example.com' });
    await user.selectOptions(mine, 'admin');
    const error = await within(row('olga@example.com')).findByRole('alert');
    expect(error).toHaveTextContent('A team needs at least one owner');
    expect(mine).toHaveValue('owner');
    expect(mine).toHaveAccessibleDescription(/at least one owner/);
  });

  it('removes a member after a confirmation, and shows a refusal in the dialog', async () => {
    const user = userEvent.setup();
    renderInWorkspace(<MembersPage />, { role: 'admin', uid: 'user-1' });
    await user.click(await screen.findByRole('button', { name: 'Remove rita@example.com' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove rita@example.com?' });
    expect(removeMember).not.toHaveBeenCalled();

    vi.mocked(removeMember).mockRejectedValueOnce(new ApiError(403, 'forbidden', 'no'));
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Your role in the team does not allow this.');

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(removeMember).toHaveBeenLastCalledWith('rec-1', AUTH);
    await waitFor(() => expect(listMembers).toHaveBeenCalledTimes(2));
  });
});
