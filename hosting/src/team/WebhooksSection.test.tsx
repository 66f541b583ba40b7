import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  createWebhook,
  listWebhookDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  sendWebhookTest,
  type WebhookEndpoint,
} from '../api';
import { renderInWorkspace } from '../test/workspace';
import { WebhooksSection } from './WebhooksSection';

vi.mock('../api', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api')>()),
  listWebhooks: vi.fn(),
  createWebhook: vi.fn(),
  rotateWebhookSecret: vi.fn(),
  sendWebhookTest: vi.fn(),
  listWebhookDeliveries: vi.fn(),
  deleteWebhook: vi.fn(),
}));

const ENDPOINT: WebhookEndpoint = {
  id: 'ep-1',
  url: 'https://ats.example.com/hooks',
  events: ['interview.completed', 'report.ready'],
  description: '',
  enabled: true,
  created_at: '2026-12-04T10:00:00Z',
  updated_at: '2026-12-04T10:00:00Z',
  previous_secret_expires_at: null,
};
const AUTH = { idToken: 'id-token', workspaceId: 'team-1' };

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(listWebhooks).mockResolvedValue({ endpoints: [] });
  vi.mocked(listWebhookDeliveries).mockResolvedValue({
    deliveries: [
      {
        id: 'msg_abc',
        event_type: 'webhook.test',
        status: 'delivered',
        created_at: '2026-12-04T10:01:00Z',
        updated_at: '2026-12-04T10:01:02Z',
        last_status_code: 200,
        attempts: [
          { attempt: 1, at: '2026-12-04T10:01:00Z', status_code: 500, duration_ms: 12, error_kind: 'http_status' },
          { attempt: 2, at: '2026-12-04T10:01:02Z', status_code: 200, duration_ms: 8, error_kind: null },
        ],
        payload: { type: 'webhook.test' },
      },
    ],
    next_page_token: null,
  });
});

// Typing with user-event is slow on a loaded machine: the form tests get more than the default 5 s.
const TYPING_TIMEOUT = 20_000;

describe('WebhooksSection', () => {
  it('checks the form, adds an endpoint and shows its secret once', async () => {
    vi.mocked(createWebhook).mockResolvedValue({ ...ENDPOINT, secret: 'whsec_c2VjcmV0' });
    const user = userEvent.setup();
    renderInWorkspace(<WebhooksSection />, { role: 'admin' });
    expect(await screen.findByText('No webhook endpoint yet.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(createWebhook).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Endpoint URL')).toHaveAccessibleDescription(/starting with https/);
    expect(screen.getByText('Choose at least one event.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Endpoint URL'), 'https://ats.example.com/hooks');
    await user.click(screen.getByRole('checkbox', { name: /report\.ready/ }));
    vi.mocked(listWebhooks).mockResolvedValue({ endpoints: [ENDPOINT] });
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));

    expect(createWebhook).toHaveBeenCalledWith({ url: 'https://ats.example.com/hooks', events: ['report.ready'] }, AUTH);
    expect(await screen.findByRole('textbox', { name: 'Signing secret' })).toHaveValue('whsec_c2VjcmV0');
    expect(await screen.findByText('https://ats.example.com/hooks')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'I have saved the secret' }));
    expect(screen.queryByRole('textbox', { name: 'Signing secret' })).not.toBeInTheDocument();
  }, TYPING_TIMEOUT);

  it('shows a refused URL at the field', async () => {
    vi.mocked(createWebhook).mockRejectedValue(
      new ApiError(422, 'webhook_url_refused', 'the host resolves to a private address', 'url'),
    );
    const user = userEvent.setup();
    renderInWorkspace(<WebhooksSection />, { role: 'admin' });
    await user.type(await screen.findByLabelText('Endpoint URL'), 'http://10.0.0.1/');
    await user.click(screen.getByRole('checkbox', { name: /interview\.started/ }));
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByLabelText('Endpoint URL')).toHaveAccessibleDescription(/private address/);
  }, TYPING_TIMEOUT);

  it('sends a test event, shows the delivery log, and rotates the secret', async () => {
    vi.mocked(listWebhooks).mockResolvedValue({ endpoints: [ENDPOINT] });
    vi.mocked(sendWebhookTest).mockResolvedValue({ delivery_id: 'msg_abc' });
    vi.mocked(rotateWebhookSecret).mockResolvedValue({ ...ENDPOINT, secret: 'whsec_bmV3' });
    const user = userEvent.setup();
    renderInWorkspace(<WebhooksSection />, { role: 'owner' });

    await user.click(await screen.findByRole('button', { name: 'Send test event' }));
    expect(sendWebhookTest).toHaveBeenCalledWith('ep-1', AUTH);
    const log = await screen.findByRole('region', { name: 'Deliveries to https://ats.example.com/hooks' });
    const row = await within(log).findByRole('row', { name: /webhook\.test/ });
    expect(row).toHaveTextContent('Delivered');
    expect(row).toHaveTextContent('1: 500 (12 ms), 2: 200 (8 ms)');

    await user.click(screen.getByRole('button', { name: 'Rotate secret' }));
    expect(rotateWebhookSecret).toHaveBeenCalledWith('ep-1', AUTH);
    expect(await screen.findByRole('textbox', { name: 'Signing secret' })).toHaveValue('whsec_bmV3');
  });
});
