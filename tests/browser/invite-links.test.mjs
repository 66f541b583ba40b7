// Journey: a candidate opens invite links that cannot work (a wrong or missing secret, an expired,
// used-up, cancelled or finished interview) and gets the page that says what happened, at once,
// before any consent or microphone step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  checkAccessibility,
  clearScreenshots,
  api,
  createInterviewViaApi,
  launchBrowser,
  newContext,
  newRecruiter,
  patchFirestoreDocument,
  screenshot,
  step,
} from './support.mjs';

const NAME = 'invite-links';
let browser;

before(async () => {
  clearScreenshots(NAME);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The invite URL with another secret of the same shape. */
function withWrongSecret(inviteUrl) {
  const url = new URL(inviteUrl);
  const secret = url.hash.slice(1);
  url.hash = secret.slice(0, -4) + (secret.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  return url.toString();
}

function withoutSecret(inviteUrl) {
  const url = new URL(inviteUrl);
  url.hash = '';
  return url.toString();
}

test('dead invite links show their own pages', { timeout: 60_000 }, async (t) => {
  const recruiter = await newRecruiter();
  const create = (name) => createInterviewViaApi(recruiter, { candidate: { name, email: 'candidate@example.com' } });
  const [valid, expired, usedUp, cancelled, finished] = await Promise.all(
    ['Valid Link', 'Expired Link', 'Used Link', 'Cancelled Link', 'Finished Link'].map(create),
  );

  // Expired: the invite's expires_at moved into the past, in the Firestore emulator.
  await patchFirestoreDocument(
    `interviews/${expired.id}`,
    { invite: { mapValue: { fields: { expires_at: { timestampValue: new Date(Date.now() - 60_000).toISOString() } } } } },
    ['invite.expires_at'],
  );
  // Used up: as many uses as the invite allows.
  await patchFirestoreDocument(
    `interviews/${usedUp.id}`,
    { invite: { mapValue: { fields: { uses: { integerValue: '1000' } } } } },
    ['invite.uses'],
  );
  // Cancelled by the recruiter, through the API.
  const cancel = await api(`/api/interviews/${cancelled.id}/cancel`, { method: 'POST', as: recruiter });
  assert.equal(cancel.status, 200);
  // Finished: the interview took place already.
  await patchFirestoreDocument(`interviews/${finished.id}`, { status: { stringValue: 'completed' } }, ['status']);

  const context = await newContext(browser);
  const cases = [
    { step: '01-wrong-secret', url: withWrongSecret(valid.invite_url), kind: 'invalid', title: "This invite link isn't valid", status: 403 },
    { step: '02-missing-secret', url: withoutSecret(valid.invite_url), kind: 'missing_link', title: 'This link is incomplete', status: null },
    { step: '03-expired', url: expired.invite_url, kind: 'expired', title: 'This invite has expired', status: 410 },
    { step: '04-used-up', url: usedUp.invite_url, kind: 'used_up', title: 'This invite link has been used up', status: 410 },
    { step: '05-cancelled', url: cancelled.invite_url, kind: 'cancelled', title: 'This interview was cancelled', status: 410 },
    { step: '06-finished', url: finished.invite_url, kind: 'finished', title: 'This interview has already finished', status: 409 },
  ];
  for (const item of cases) {
    await step(t, NAME, item.step, [context], async () => {
      const page = await context.newPage();
      const answers = [];
      page.on('response', (response) => {
        if (new URL(response.url()).pathname.startsWith('/api/')) answers.push(response.status());
      });
      await page.goto(item.url);
      await page.getByRole('heading', { level: 1, name: item.title }).waitFor();
      await page.getByTestId(`candidate-error-${item.kind}`).waitFor();
      assert.equal(await page.title(), 'Interview unavailable · AI Interviewer');
      // Nothing to consent to, no microphone, no way to retry a link that cannot work.
      assert.equal(await page.getByRole('checkbox').count(), 0);
      assert.equal(await page.getByRole('button').count(), 0);
      if (item.status) assert.ok(answers.includes(item.status), `the API answered ${item.status} (saw ${answers})`);
      else assert.deepEqual(answers, [], 'a link without a secret asks the API nothing');
      await checkAccessibility(page, item.step);
      await screenshot(page, NAME, item.step);
      await page.close();
    });
  }
  await context.close();

  // None of these visits used the invite of the valid interview: it still works.
  const info = await api(`/api/interviews/${valid.id}/invite`, { method: 'POST', body: { invite: new URL(valid.invite_url).hash.slice(1) } });
  assert.equal(info.status, 200);
  assert.equal(info.body.status, 'invited');
});
