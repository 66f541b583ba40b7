// Journey: the candidate's invite arrives by email (read from the stack's SMTP catcher, devstack/
// mail_catcher.py), the candidate follows the link in the mail's HTML and reaches the consent screen;
// the recruiter's dashboard shows the delivery, and "Resend invite" sends a second mail whose link
// works too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  clearScreenshots,
  createInterviewViaApi,
  launchBrowser,
  newContext,
  newRecruiter,
  poll,
  screenshot,
  signInThroughUi,
  step,
  uniqueEmail,
} from './support.mjs';

const NAME = 'invite-email';
const MAIL = (process.env.MAIL_CATCHER_URL || '').replace(/\/+$/, '');
let browser;

before(async () => {
  assert.ok(MAIL, 'MAIL_CATCHER_URL is not set: run inside the local stack');
  clearScreenshots(NAME);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The messages caught for `address`, newest first, once there are `count`. */
async function mailTo(address, count = 1) {
  let messages = [];
  await poll(
    async () => {
      const response = await fetch(`${MAIL}/api/messages?to=${encodeURIComponent(address)}`);
      messages = (await response.json()).messages;
      return messages.length >= count;
    },
    { message: `${count} mail(s) to the candidate` },
  );
  return messages;
}

test('the candidate follows the emailed link to the consent screen; the recruiter resends', { timeout: 120_000 }, async (t) => {
  const recruiter = await newRecruiter();
  const address = uniqueEmail('candidate');
  const created = await createInterviewViaApi(recruiter, { candidate: { name: 'Mary Mailed', email: address } });
  assert.equal(created.invite_email.status, 'sent');
  const candidateContext = await newContext(browser);
  const recruiterContext = await newContext(browser);
  const contexts = [candidateContext, recruiterContext];
  const candidate = await candidateContext.newPage();

  await step(t, NAME, 'candidate-opens-the-mail', contexts, async () => {
    const [mail] = await mailTo(address);
    assert.equal(mail.subject, 'Your interview for Data Engineer');
    await candidate.setContent(mail.html);
    await screenshot(candidate, NAME, '01-invite-mail');
    await candidate.getByRole('link', { name: 'Start the interview' }).click();
    await candidate.getByRole('heading', { level: 1, name: 'Welcome, Mary Mailed' }).waitFor();
    await candidate.getByLabel(/I understand that an AI conducts this interview/).waitFor();
    await candidate.getByRole('button', { name: 'Continue to microphone check' }).waitFor();
    assert.equal(new URL(candidate.url()).pathname, `/i/${created.id}`);
    await screenshot(candidate, NAME, '02-consent');
  });

  await step(t, NAME, 'recruiter-resends', contexts, async () => {
    const page = await recruiterContext.newPage();
    await signInThroughUi(page, recruiter);
    await page.getByText(/^Invite email sent/).waitFor();
    await page.getByRole('button', { name: 'Resend invite: Mary Mailed' }).click();
    await page.getByRole('status').filter({ hasText: 'Invite sent again' }).waitFor();
    await screenshot(page, NAME, '03-dashboard-resent');
    const [newest] = await mailTo(address, 2);
    const again = await candidateContext.newPage();
    await again.setContent(newest.html);
    await again.getByRole('link', { name: 'Start the interview' }).click();
    await again.getByRole('heading', { level: 1, name: 'Welcome, Mary Mailed' }).waitFor();
  });
});
