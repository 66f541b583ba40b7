// Journey: a recruiter signs up in the UI, verifies the email, is told to ask for an invitation,
// joins a team by the invitation link, creates an interview with the form, sees the extracted skills
// and copies the invite link; a recruiter of another team neither lists it nor can open its report.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  checkAccessibility,
  clearScreenshots,
  createTeam,
  followVerificationLink,
  inviteViaApi,
  NEEDS_EMULATOR,
  launchBrowser,
  newContext,
  newRecruiter,
  screenshot,
  signInThroughUi,
  SHORT_INTERVIEW,
  stack,
  step,
  uniqueEmail,
  waitForText,
} from './support.mjs';

const NAME = 'recruiter';
let browser;

before(async () => {
  clearScreenshots(NAME);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('a recruiter signs up, joins a team by invitation, creates an interview and copies its link; another team cannot see it', { timeout: 120_000, skip: NEEDS_EMULATOR }, async (t) => {
  const owner = await newContext(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  const other = await newContext(browser);
  const contexts = [owner, other];
  const page = await owner.newPage();
  const email = uniqueEmail('owner');
  const candidate = { name: 'Grace Hopper', email: 'grace@example.com' };

  await step(t, NAME, 'sign-up', contexts, async () => {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    // Locally the app talks to the Auth emulator, which cannot do Google sign-in: the page says so.
    await page.getByText("Google sign-in needs Google's servers; locally, use email and password.").waitFor();
    assert.equal(await page.getByRole('button', { name: /Google/ }).count(), 0);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create your recruiter account' }).waitFor();
    await page.getByLabel('Your name').fill('Rita Recruiter');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('browser-test-pw');
    await checkAccessibility(page, '01-sign-up-form');
    await screenshot(page, NAME, '01-sign-up-form');
    await page.getByRole('button', { name: 'Create account' }).click();
    // A password account sees nothing of any team until its email is verified.
    await page.getByRole('heading', { level: 1, name: 'Verify your email address' }).waitFor();
    await page.getByText(email).waitFor();
    await checkAccessibility(page, '02-verify-email');
    await screenshot(page, NAME, '02-verify-email');
  });

  await step(t, NAME, 'verify-email', contexts, async () => {
    // The verification email's link, as the Auth emulator holds it; it leads back to the app.
    const followed = await followVerificationLink(email);
    if (followed.status === 303) assert.equal(new URL(followed.location).origin, stack.baseUrl);
    await page.getByRole('button', { name: 'I have verified' }).click();
    // Verified, but a member of no team: nothing to see yet.
    await page.getByRole('heading', { level: 1, name: 'You are not a member of a hiring team yet' }).waitFor();
    await page.getByText('Ask an admin of your team to invite you').waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
    await checkAccessibility(page, '03-no-team-yet');
    await screenshot(page, NAME, '03-no-team-yet');
  });

  await step(t, NAME, 'join-team', contexts, async () => {
    const team = await createTeam();
    const invitation = await inviteViaApi(team.owner, email, 'recruiter');
    await page.goto(invitation.accept_url);
    const join = page.getByRole('button', { name: `Join ${team.name} as recruiter` });
    await join.waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the invitation secret left the address bar');
    await join.click();
    await page.getByRole('heading', { level: 1, name: 'Interviews' }).waitFor();
    await page.getByRole('heading', { name: 'No interviews yet' }).waitFor();
    const header = await page.getByRole('banner').textContent();
    assert.match(header, new RegExp(email.replace(/[.+]/g, '\\$&')));
    assert.match(header, new RegExp(`${team.name}\\s*Recruiter`));
    await checkAccessibility(page, '04-dashboard-empty');
    await screenshot(page, NAME, '04-dashboard-empty');
  });

  const inviteUrl = await step(t, NAME, 'create-interview', contexts, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New interview' }).click();
    await page.getByRole('heading', { level: 1, name: 'New interview' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(candidate.name);
    await page.getByLabel('Email', { exact: true }).fill(candidate.email);
    await page.getByLabel('Role', { exact: true }).fill(SHORT_INTERVIEW.role);
    await page.getByLabel('Job description').fill(SHORT_INTERVIEW.job_description);
    await page.getByLabel('Interview language').selectOption('en');
    await page.getByLabel('Duration (minutes)').fill(String(SHORT_INTERVIEW.duration_minutes));
    await checkAccessibility(page, '05-create-form');
    await screenshot(page, NAME, '05-create-form');
    await page.getByRole('button', { name: 'Create interview' }).click();
    // Review before invite: the plan is shown for editing; this journey sends it as generated
    // (tests/browser/review.test.mjs edits it and attaches a CV).
    await page.getByRole('heading', { level: 1, name: 'Review the interview' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Send invite' }).click();
    await page.getByRole('heading', { level: 1, name: 'Interview created' }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: `Invite link for ${candidate.name}` }).waitFor();

    // The skills the local model extracts from this job description, each with its weight.
    const skills = page.getByRole('region', { name: 'Skills the interview will assess' });
    const meters = skills.getByRole('meter');
    assert.equal(await meters.count(), 3, 'a 5-minute interview assesses 3 skills');
    const names = (await skills.locator('li').allTextContents()).join(' | ');
    for (const expected of ['SQL', 'Python', 'Data pipelines']) assert.match(names, new RegExp(expected));
    const weights = await meters.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('aria-valuenow'))));
    assert.ok(weights.every((w) => w > 0 && w <= 100), `weights ${weights}`);
    await page.getByText('The interviewer has planned 3 questions').waitFor();

    const shown = await page.getByRole('textbox', { name: 'Invite link' }).inputValue();
    assert.match(shown, new RegExp(`^${stack.baseUrl.replace(/[.]/g, '\\.')}/i/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{20,}$`));

    await page.getByRole('button', { name: 'Copy link' }).click();
    await waitForText(page.getByRole('status').filter({ hasText: 'Copied' }), /Copied to the clipboard/);
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, shown, 'the clipboard holds the invite link shown');
    await checkAccessibility(page, '06-interview-created');
    await screenshot(page, NAME, '06-interview-created');
    return shown;
  });
  const interviewId = new URL(inviteUrl).pathname.split('/').pop();

  await step(t, NAME, 'owner-dashboard', contexts, async () => {
    await page.getByRole('link', { name: 'Go to interviews' }).click();
    await page.getByRole('heading', { level: 1, name: 'Interviews' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: candidate.name });
    await row.waitFor();
    assert.match(await row.textContent(), /Invited/);
    assert.equal(
      await row.getByRole('link', { name: candidate.name }).getAttribute('href'),
      `/reports/${interviewId}`,
    );
    await checkAccessibility(page, '07-dashboard-with-interview');
    await screenshot(page, NAME, '07-dashboard-with-interview');
  });

  await step(t, NAME, 'other-team', contexts, async () => {
    const someoneElse = await newRecruiter();
    const otherPage = await other.newPage();
    await signInThroughUi(otherPage, someoneElse);
    await otherPage.getByRole('heading', { name: 'No interviews yet' }).waitFor();
    assert.equal(await otherPage.getByText(candidate.name).count(), 0);
    await checkAccessibility(otherPage, '08-other-team-dashboard');
    await screenshot(otherPage, NAME, '08-other-team-dashboard');

    await otherPage.goto(`/reports/${interviewId}`);
    await otherPage.getByRole('heading', { level: 1, name: 'Interview not found' }).waitFor();
    await otherPage.getByText('It may have been deleted, or it belongs to another team.').waitFor();
    assert.equal(await otherPage.getByText(candidate.name).count(), 0, "nothing of the interview is shown");
    await checkAccessibility(otherPage, '09-other-team-report-not-found');
    await screenshot(otherPage, NAME, '09-other-team-report-not-found');
    await otherPage.getByRole('link', { name: 'Back to your interviews' }).click();
    await otherPage.getByRole('heading', { name: 'No interviews yet' }).waitFor();
  });

  await owner.close();
  await other.close();
});
