import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getWorkspace, getWorkspaceUsage, listWebhooks, updateWorkspaceSettings } from '../api';
import { renderInWorkspace } from '../test/workspace';
import type { WorkspaceSettings } from '../types';
import SettingsPage from './SettingsPage';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  getWorkspace: vi.fn(),
  getWorkspaceUsage: vi.fn(),
  updateWorkspaceSettings: vi.fn(),
  listWebhooks: vi.fn(),
}));

const SETTINGS: WorkspaceSettings = {
  allowed_domains: ['example.com'],
  allow_domain_join: false,
  quotas: { interviews_per_day: 50, live_interviews: 5, evaluations_per_day: 100, model_minutes_per_month: 3000 },
};

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(getWorkspace).mockResolvedValue({ id: 'team-1', name: 'Demo team', role: 'admin', settings: SETTINGS });
  vi.mocked(getWorkspaceUsage).mockResolvedValue({
    limits: SETTINGS.quotas,
    used: { interviews_today: 50, evaluations_today: 12, live_interviews: 1, model_minutes_this_month: 2700 },
    resets: { day: '2030-01-02T00:00:00Z', month: '2030-02-01T00:00:00Z' },
  });
  vi.mocked(listWebhooks).mockResolvedValue({ endpoints: [] });
  vi.mocked(updateWorkspaceSettings).mockImplementation(async (patch) => ({ ...SETTINGS, ...patch }) as WorkspaceSettings);
});

describe('SettingsPage', () => {
  it('shows the use against each limit, with the reset times', async () => {
    renderInWorkspace(<SettingsPage />, { role: 'admin' });
    const usage = within(await screen.findByRole('region', { name: 'Use against the limits' }));
    const interviews = await usage.findByRole('meter', { name: 'Interviews created per day' });
    expect(interviews).toHaveAttribute('aria-valuetext', '50 of 50');
    expect(interviews).toHaveClass('meter--full');
    expect(usage.getByRole('meter', { name: 'Interview minutes per month' })).toHaveClass('meter--high');
    expect(usage.getByText('50 of 50')).toBeInTheDocument();
    expect(usage.getByText('2,700 of 3,000')).toBeInTheDocument();
    expect(usage.getAllByText(/^Resets (at|on) /)).toHaveLength(3);
    expect(usage.getByText('Running now.')).toBeInTheDocument();
  });

  it('validates before saving, and saves the settings', async () => {
    const user = userEvent.setup();
    renderInWorkspace(<SettingsPage />, { role: 'admin' });
    const domains = await screen.findByLabelText('Allowed email domains');
    expect(domains).toHaveValue('example.com');

    await user.clear(domains);
    await user.type(domains, 'example.com{Enter}not a domain!');
    await user.click(screen.getByRole('checkbox', { name: /join as viewers/ }));
    await user.clear(screen.getByRole('spinbutton', { name: 'Interviews created per day' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Interviews created per day' }), '-3');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(updateWorkspaceSettings).not.toHaveBeenCalled();
    expect(domains).toHaveAttribute('aria-invalid', 'true');
    expect(domains).toHaveAccessibleDescription(/These are not domains: not, a, domain!/);
    expect(screen.getByRole('spinbutton', { name: 'Interviews created per day' })).toHaveAccessibleDescription(/whole number/);

    await user.clear(domains);
    await user.type(domains, 'Example.com{Enter}acme.io');
    await user.clear(screen.getByRole('spinbutton', { name: 'Interviews created per day' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Interviews created per day' }), '80');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(updateWorkspaceSettings).toHaveBeenCalledWith(
      {
        allowed_domains: ['example.com', 'acme.io'],
        allow_domain_join: true,
        quotas: { ...SETTINGS.quotas, interviews_per_day: 80 },
        retention_days: 180,
      },
      { idToken: 'id-token', workspaceId: 'team-1' },
    );
    expect(await screen.findByText('The settings are saved.')).toBeInTheDocument();
    expect(screen.getByLabelText('Allowed email domains')).toHaveValue('example.com\nacme.io');
    // Joining by domain is on: the link to send.
    expect(screen.getByRole('textbox', { name: 'Join link' })).toHaveValue(`${window.location.origin}/join/team-1`);
  });

  it('sets how long interview data is kept, within the bounds', async () => {
    const user = userEvent.setup();
    renderInWorkspace(<SettingsPage />, { role: 'admin' });
    const retention = await screen.findByRole('spinbutton', { name: 'Days to keep interview data' });
    expect(retention).toHaveValue(180);
    expect(retention).toHaveAccessibleDescription(/From 1 to 730 days; 180 unless you change it/);
    expect(screen.getByRole('group', { name: 'Data retention' })).toContainElement(retention);

    await user.clear(retention);
    await user.type(retention, '731');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(updateWorkspaceSettings).not.toHaveBeenCalled();
    expect(retention).toHaveAttribute('aria-invalid', 'true');
    expect(retention).toHaveAccessibleDescription(/Enter a whole number of days from 1 to 730\./);

    await user.clear(retention);
    await user.type(retention, '365');
    expect(retention).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(updateWorkspaceSettings).toHaveBeenCalledWith(
      expect.objectContaining({ retention_days: 365 }),
      { idToken: 'id-token', workspaceId: 'team-1' },
    );
    expect(await screen.findByText('The settings are saved.')).toBeInTheDocument();
    expect(screen.getByRole('spinbutton', { name: 'Days to keep interview data' })).toHaveValue(365);
  });

  it('shows an API refusal of the retention period at its field', async () => {
    vi.mocked(updateWorkspaceSettings).mockRejectedValue(
      new ApiError(422, 'validation_error', 'Input should be less than or equal to 730', 'retention_days'),
    );
    const user = userEvent.setup();
    renderInWorkspace(<SettingsPage />, { role: 'owner' });
    await user.click(await screen.findByRole('button', { name: 'Save settings' }));
    expect(await screen.findByRole('spinbutton', { name: 'Days to keep interview data' })).toHaveAccessibleDescription(
      /less than or equal to 730/,
    );
  });

  it('shows an API refusal at its field', async () => {
    vi.mocked(updateWorkspaceSettings).mockRejectedValue(
      new ApiError(422, 'validation_error', 'must be at most 500', 'quotas.live_interviews'),
    );
    const user = userEvent.setup();
    renderInWorkspace(<SettingsPage />, { role: 'owner' });
    await user.click(await screen.findByRole('button', { name: 'Save settings' }));
    expect(await screen.findByRole('spinbutton', { name: 'Interviews running at the same time' })).toHaveAccessibleDescription(/must be at most 500/);
  });
});
