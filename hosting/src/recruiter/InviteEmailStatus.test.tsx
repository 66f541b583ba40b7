import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { resendInviteEmail } from '../api';
import { renderInWorkspace } from '../test/workspace';
import { deliveryText, InviteEmailStatus } from './InviteEmailStatus';

vi.mock('../api', () => ({
  resendInviteEmail: vi.fn(async () => ({ id: 'iv-1', invite_email: { kind: 'invite', status: 'sent' } })),
}));

describe('deliveryText', () => {
  it('says why a delivery failed', () => {
    expect(deliveryText({ kind: 'invite', status: 'failed', reason: 'recipient refused (550)' })).toBe(
      'Invite email failed: recipient refused (550)',
    );
    expect(deliveryText({ kind: 'reminder', status: 'sent' })).toBe('Reminder sent');
  });
});

describe('InviteEmailStatus', () => {
  const interview = {
    id: 'iv-1',
    status: 'invited',
    candidate: { name: 'Ada Lovelace' },
    emails: { invite: { kind: 'invite' as const, status: 'failed' as const, reason: 'mail server unreachable' } },
  };

  it('shows the failure and resends on request', async () => {
    const user = userEvent.setup();
    renderInWorkspace(<InviteEmailStatus interview={interview} />);
    expect(screen.getByText('Invite email failed: mail server unreachable')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resend invite: Ada Lovelace' }));
    expect(resendInviteEmail).toHaveBeenCalledExactlyOnceWith('iv-1', { idToken: 'id-token', workspaceId: 'team-1' });
    expect(await screen.findByRole('status')).toHaveTextContent('Invite sent again');
  });

  it('offers no resend once the interview has started', () => {
    renderInWorkspace(<InviteEmailStatus interview={{ ...interview, status: 'in_progress' }} />);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByText(/Invite email failed/)).toBeInTheDocument();
  });
});
