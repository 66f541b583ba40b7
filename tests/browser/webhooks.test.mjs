// Journey (issue 23, item 2, "Outbound webhooks"): an owner adds a webhook endpoint on the Settings
// page, sees its signing secret once, sends a test event and watches it arrive at a real receiver
// (an HTTP server of this test on 127.0.0.1, allowed because the stack runs with ENVIRONMENT=local)
// and show as delivered in the endpoint's delivery log.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import {
  checkAccessibility,
  clearScreenshots,
  createTeam,
  launchBrowser,
  newContext,
  poll,
  screenshot,
  signInThroughUi,
  step,
} from './support.mjs';

const NAME = 'webhooks';
let browser;
let receiver;
const received = [];

before(async () => {
  clearScreenshots(NAME);
  browser = await launchBrowser();
  receiver = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

test('an owner adds a webhook, keeps its secret, sends a test event and sees it delivered', { timeout: 120_000 }, async (t) => {
  const team = await createTeam(`Webhooks ${Date.now().toString(36)}`);
  const context = await newContext(browser);
  const owner = await context.newPage();
  const url = `http://127.0.0.1:${receiver.address().port}/ats/hooks`;

  const secret = await step(t, NAME, 'owner-adds-an-endpoint', [context], async () => {
    await signInThroughUi(owner, team.owner);
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const section = owner.getByRole('region', { name: 'Webhooks' });
    await section.getByText('No webhook endpoint yet.').waitFor();
    await section.getByLabel('Endpoint URL').fill(url);
    await section.getByRole('checkbox', { name: /report\.ready/ }).check();
    await section.getByRole('checkbox', { name: /interview\.completed/ }).check();
    await section.getByRole('button', { name: 'Add endpoint' }).click();
    const shown = section.getByRole('textbox', { name: 'Signing secret' });
    await shown.waitFor();
    const value = await shown.inputValue();
    assert.match(value, /^whsec_[A-Za-z0-9+/]{43}=$/);
    await section.getByRole('table', { name: 'Webhook endpoints' }).getByText(url).waitFor();
    await checkAccessibility(owner, '01-owner-adds-webhook');
    await screenshot(owner, NAME, '01-owner-adds-webhook');
    await section.getByRole('button', { name: 'I have saved the secret' }).click();
    assert.equal(await section.getByRole('textbox', { name: 'Signing secret' }).count(), 0, 'the secret is gone');
    return value;
  });

  await step(t, NAME, 'owner-sends-a-test-event', [context], async () => {
    const section = owner.getByRole('region', { name: 'Webhooks' });
    await section.getByRole('button', { name: 'Send test event' }).click();
    await poll(async () => received.length >= 1, { timeout: 30_000, message: 'the receiver got the test event' });
    const [delivery] = received;
    assert.match(delivery.headers['webhook-id'], /^msg_[0-9a-f]{32}$/);
    assert.match(delivery.headers['webhook-signature'], /^v1,[A-Za-z0-9+/=]+$/);
    assert.equal(JSON.parse(delivery.body).type, 'webhook.test');
    assert.ok(!delivery.body.includes(secret), 'the secret never travels');

    const log = owner.getByRole('region', { name: `Deliveries to ${url}` });
    await poll(
      async () => {
        await log.getByRole('button', { name: 'Refresh' }).click();
        return (await log.locator('tr[data-status="delivered"]').count()) === 1;
      },
      { timeout: 30_000, message: 'the delivery log shows it delivered' },
    );
    assert.match(await log.locator('tr[data-status="delivered"]').textContent(), /1: 204/);
    await checkAccessibility(owner, '02-owner-sees-delivery-log');
    await screenshot(owner, NAME, '02-owner-sees-delivery-log');
  });

  await context.close();
});
