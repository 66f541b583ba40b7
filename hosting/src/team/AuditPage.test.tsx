import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, listAudit, type AuditEntry } from '../api';
import { renderInWorkspace } from '../test/workspace';
import AuditPage, { AUDIT_PAGE_SIZE } from './AuditPage';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  listAudit: vi.fn(),
}));

const entry = (id: string, action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2030-01-02T10:00:00Z',
  actor_uid: 'user-1',
  action,
  target: 'uid-vera',
  detail: {},
  ...extra,
});

beforeEach(() => {
  vi.clearAllMocks();
});

describe('AuditPage', () => {
  it('lists the entries newest first, and pages on to older ones', async () => {
    vi.mocked(listAudit)
      .mockResolvedValueOnce({
        entries: [entry('a2', 'member.role_changed', { detail: { from: 'viewer', to: 'recruiter' } }), entry('a1', 'member.invited', { actor_uid: 'uid-olga', target: 'vera@example.com' })],
        next_page_token: 'cursor-1',
      })
      .mockResolvedValueOnce({ entries: [entry('a0', 'workspace.created', { target: 'team-1' })], next_page_token: null });
    const user = userEvent.setup();
    renderInWorkspace(<AuditPage />, { role: 'admin', uid: 'user-1' });
    const table = await screen.findByRole('table', { name: 'Audit entries, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-action'))).toEqual(['member.role_changed', 'member.invited']);
    expect(within(rows[0]).getByText('Changed a role')).toBeInTheDocument();
    expect(within(rows[0]).getByText('from: viewer, to: recruiter')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('user-1 (you)');
    expect(rows[1]).toHaveTextContent('uid-olga');
    expect(rows[1]).not.toHaveTextContent('(you)');
    expect(vi.mocked(listAudit).mock.calls[0][1]).toEqual({ pageSize: AUDIT_PAGE_SIZE });

    await user.click(screen.getByRole('button', { name: 'Show older entries' }));
    expect(await screen.findByText('Created the team')).toBeInTheDocument();
    expect(vi.mocked(listAudit).mock.calls[1][1]).toEqual({ pageSize: AUDIT_PAGE_SIZE, pageToken: 'cursor-1' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(screen.queryByRole('button', { name: 'Show older entries' })).not.toBeInTheDocument();
  });

  it('says so when the API refuses', async () => {
    vi.mocked(listAudit).mockRejectedValue(new ApiError(403, 'forbidden', 'Your role in this workspace does not allow this.'));
    renderInWorkspace(<AuditPage />, { role: 'admin' });
    expect(await screen.findByText('Your role in this workspace does not allow this.')).toBeInTheDocument();
  });
});
