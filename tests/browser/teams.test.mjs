// Journey (issue 18, "Teams and access"): an owner invites a colleague as a viewer from the Members
// page; the colleague opens the invitation link, signs up with the invited address, verifies it by
// the link in the email (the Auth emulator's), and joins; the colleague sees the team's interviews and
// reads a report; the colleague cannot create an interview: no button, and the API refuses (403).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  api,
  checkAccessibility,
  clearScreenshots,
  createInterviewViaApi,
  createTeam,
  followVerificationLink,
  launchBrowser,
  newContext,
  pageIdToken,
  patchFirestoreDocument,
  poll,
  screenshot,
  signInThroughUi,
  SHORT_INTERVIEW,
  stack,
  step,
  uniqueEmail,
  writeFirestoreDocument,
} from './support.mjs';

const NAME = 'teams';
let browser;

before(async () => {
  clearScreenshots(NAME);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * Makes the interview evaluated, with a report of the stored shape (functions/interview_core/domain/
 * report.py), written in the Firestore emulator as the evaluator would: this journey is about who may
 * read it, not about the evaluation (interview.test.mjs runs a real one).
 */
async function giveReport(team, interviewId) {
  const skill = (name, score) => ({
    name,
    weight: 1 / 3,
    status: 'assessed',
    score,
    model_score: score,
    rationale: `Clear, specific answers about ${name}.`,
    evidence: [],
    evidence_turns: [],
    dropped_quotes: 0,
    status_note: null,
  });
  const skills = [skill('SQL', 4), skill('Python', 4), skill('Data pipelines', 3)];
  await writeFirestoreDocument(`reports/${interviewId}`, {
    interview_id: interviewId,
    workspace_id: team.id,
    owner_uid: team.owner.uid,
    generation: 1,
    model: 'browser-test',
    prompt_version: 'browser-test',
    rubric_version: 'browser-test',
    assessment: 'scored',
    overall_score: 72,
    recommendation: 'hire',
    weight_covered: 1,
    summary: 'A solid data engineer who explains pipelines clearly.',
    skills,
    competencies: [],
    strengths: ['Explains trade-offs'],
    weaknesses: ['Little streaming experience'],
    red_flags: [],
    improvement_areas: [],
    coverage: skills.map((s) => ({ skill: s.name, weight: s.weight, probed: true, status: 'assessed' })),
    evidence_check: { quotes_kept: 0, quotes_dropped: 0, unknown_items_dropped: 0, statements_removed: 0, fields_clipped: 0 },
    status_notes: [],
    model_suggestion: null,
    transcript: { turns: 0, candidate_turns: 0, candidate_words: 0 },
    end_reason: 'completed',
    created_at: new Date(),
  });
  await patchFirestoreDocument(
    `interviews/${interviewId}`,
    { status: { stringValue: 'evaluated' }, end_reason: { stringValue: 'completed' } },
    ['status', 'end_reason'],
  );
}

test('an owner invites a viewer, who signs up, verifies, joins, reads a report and cannot create an interview', { timeout: 150_000 }, async (t) => {
  const team = await createTeam(`Hiring ${Date.now().toString(36)}`);
  const candidate = { name: 'Grace Hopper', email: 'grace@example.com' };
  const created = await createInterviewViaApi(team.owner, { candidate });
  await giveReport(team, created.id);
  const colleagueEmail = uniqueEmail('viewer');

  const ownerContext = await newContext(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  const colleagueContext = await newContext(browser);
  const contexts = [ownerContext, colleagueContext];
  const owner = await ownerContext.newPage();
  const colleague = await colleagueContext.newPage();

  const acceptUrl = await step(t, NAME, 'owner-invites', contexts, async () => {
    await signInThroughUi(owner, team.owner);
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await owner.getByRole('heading', { level: 1, name: `Members of ${team.name}` }).waitFor();
    const members = owner.getByRole('region', { name: /^Members/ });
    await members.getByText(`${team.owner.email} (you)`).waitFor();

    const invite = owner.getByRole('region', { name: 'Invite a colleague' });
    await invite.getByLabel('Email').fill(colleagueEmail);
    await invite.getByLabel('Role').selectOption('viewer');
    await invite.getByRole('button', { name: 'Invite' }).click();
    const link = invite.getByRole('textbox', { name: 'Invitation link' });
    await link.waitFor();
    const url = await link.inputValue();
    assert.match(url, new RegExp(`^${stack.baseUrl.replace(/[.]/g, '\\.')}/join/${team.id}/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{20,}$`));
    await invite.getByRole('button', { name: 'Copy link' }).click();
    assert.equal(await owner.evaluate(() => navigator.clipboard.readText()), url, 'the clipboard holds the link');
    await owner.getByRole('region', { name: 'Pending invitations' }).getByText(colleagueEmail).waitFor();
    await checkAccessibility(owner, '01-owner-invites-viewer');
    await screenshot(owner, NAME, '01-owner-invites-viewer');
    return url;
  });

  await step(t, NAME, 'colleague-signs-up', contexts, async () => {
    await colleague.goto(acceptUrl);
    await colleague.getByRole('heading', { level: 1, name: 'Create your account to join' }).waitFor();
    // The secret left the address bar at once, as the candidate's page does with its own.
    assert.equal(new URL(colleague.url()).hash, '');
    assert.equal(new URL(colleague.url()).pathname, new URL(acceptUrl).pathname);
    const summary = await colleague.locator('.join-summary').textContent();
    assert.match(summary, new RegExp(`${team.name} invites ${colleagueEmail.replace(/[.+]/g, '\\$&')} to join as viewer`));
    assert.equal(await colleague.getByLabel('Email').inputValue(), colleagueEmail, 'the invited address is filled in');
    await colleague.getByLabel('Your name').fill('Vera Viewer');
    await colleague.getByLabel('Password').fill('browser-test-pw');
    await checkAccessibility(colleague, '02-colleague-join-page');
    await screenshot(colleague, NAME, '02-colleague-join-page');
    await colleague.getByRole('button', { name: 'Create account' }).click();
    await colleague.getByRole('heading', { name: 'Verify your email address' }).waitFor();
    assert.equal(await colleague.getByRole('button', { name: /^Join/ }).count(), 0, 'no joining before the email is verified');
    await checkAccessibility(colleague, '03-colleague-verify-email');
    await screenshot(colleague, NAME, '03-colleague-verify-email');
  });

  await step(t, NAME, 'colleague-verifies-and-joins', contexts, async () => {
    // The link of the verification email leads back to this invitation.
    const followed = await followVerificationLink(colleagueEmail);
    if (followed.status === 303) assert.equal(new URL(followed.location).pathname, new URL(acceptUrl).pathname);
    await colleague.getByRole('button', { name: 'I have verified' }).click();
    const join = colleague.getByRole('button', { name: `Join ${team.name} as viewer` });
    await join.waitFor();
    await checkAccessibility(colleague, '04-colleague-join-button');
    await screenshot(colleague, NAME, '04-colleague-join-button');
    await join.click();
    await colleague.getByRole('heading', { level: 1, name: 'Interviews' }).waitFor();
    assert.match(await colleague.getByRole('banner').textContent(), new RegExp(`${team.name}\\s*Viewer`));
  });

  await step(t, NAME, 'colleague-reads-report', contexts, async () => {
    const row = colleague.getByRole('row').filter({ has: colleague.getByRole('link', { name: candidate.name }) });
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(SHORT_INTERVIEW.role));
    assert.match(await row.textContent(), /Evaluated/);
    assert.equal(await row.getByRole('button').count(), 0, 'no cancel, re-evaluate or delete for a viewer');
    assert.equal(await colleague.getByRole('link', { name: 'New interview' }).count(), 0, 'no New interview for a viewer');
    assert.equal(await colleague.getByRole('link', { name: 'Members' }).count(), 0);
    await checkAccessibility(colleague, '05-viewer-dashboard');
    await screenshot(colleague, NAME, '05-viewer-dashboard');

    await row.getByRole('link', { name: candidate.name }).click();
    await colleague.getByRole('heading', { level: 1, name: candidate.name }).waitFor();
    await colleague.getByRole('heading', { name: 'Overall result' }).waitFor();
    await colleague.getByText('A solid data engineer who explains pipelines clearly.').waitFor();
    assert.equal((await colleague.getByTestId('overall-score').textContent()).trim(), '72');
    for (const name of ['Re-evaluate', 'Delete', 'Cancel']) {
      assert.equal(await colleague.getByRole('button', { name: new RegExp(`^${name}`) }).count(), 0, `no ${name}`);
    }
    await checkAccessibility(colleague, '06-viewer-reads-report');
    await screenshot(colleague, NAME, '06-viewer-reads-report');
    // The API lets the viewer read it too (and records that it was viewed).
    const token = await pageIdToken(colleague);
    const read = await api(`/api/reports/${created.id}`, { token, workspace: team.id });
    assert.equal(read.status, 200, JSON.stringify(read.body));
  });

  await step(t, NAME, 'colleague-cannot-create', contexts, async () => {
    await colleague.goto('/interviews/new');
    await colleague.getByRole('heading', { level: 1, name: 'Not available with your role' }).waitFor();
    assert.equal(await colleague.getByRole('button', { name: 'Create interview' }).count(), 0);
    // The API refuses too: called from the page, with the colleague's own token and team.
    const token = await pageIdToken(colleague);
    const refused = await colleague.evaluate(
      async ({ token: idToken, workspaceId, interview }) => {
        const response = await fetch('/api/interviews', {
          method: 'POST',
          headers: { Authorization: `Bearer ${idToken}`, 'X-Workspace-Id': workspaceId, 'Content-Type': 'application/json' },
          body: JSON.stringify(interview),
        });
        return { status: response.status, body: await response.json().catch(() => null) };
      },
      {
        token,
        workspaceId: team.id,
        interview: { candidate: { name: 'Not Allowed', email: 'no@example.com' }, ...SHORT_INTERVIEW },
      },
    );
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body?.error?.code, 'forbidden');
    await checkAccessibility(colleague, '07-viewer-cannot-create');
    await screenshot(colleague, NAME, '07-viewer-cannot-create');
  });

  await step(t, NAME, 'owner-sees-the-viewer', contexts, async () => {
    await owner.reload();
    const members = owner.getByRole('region', { name: /^Members/ });
    const role = members.getByRole('combobox', { name: `Role of ${colleagueEmail}` });
    await poll(async () => (await role.count()) === 1 && (await role.inputValue()) === 'viewer', {
      message: 'the colleague listed as a viewer',
    });
    const pending = owner.getByRole('region', { name: 'Pending invitations' });
    await pending.getByText('No invitation is waiting to be accepted.').waitFor();
    await checkAccessibility(owner, 'the Members page');
    await screenshot(owner, NAME, '08-owner-sees-viewer');
  });

  await step(t, NAME, 'owner-reads-the-audit-log', contexts, async () => {
    // Linked from the Members page; the newest entries are the colleague's report view and joining.
    await owner.getByRole('main').getByRole('link', { name: 'Audit log' }).click();
    await owner.getByRole('heading', { level: 1, name: `Audit log of ${team.name}` }).waitFor();
    const table = owner.getByRole('table', { name: 'Audit entries, newest first' });
    const joined = table.locator('tr[data-action="member.joined"]');
    await joined.first().waitFor();
    assert.match(await joined.first().textContent(), /Joined the team/);
    assert.match(await joined.first().textContent(), /role: viewer/);
    const invited = table.locator('tr[data-action="member.invited"]').filter({ hasText: colleagueEmail });
    assert.equal(await invited.count(), 1, 'the invitation is in the log');
    assert.match(await invited.textContent(), /\(you\)/, "the owner's own action is marked");
    assert.ok((await table.locator('tr[data-action="report.viewed"]').count()) >= 1, 'the report view is in the log');
    await checkAccessibility(owner, 'the audit log page');
    await screenshot(owner, NAME, '09-owner-reads-audit-log');
  });

  await step(t, NAME, 'owner-sets-the-retention-period', contexts, async () => {
    // Issue 20: how long the team's interview data is kept, bounded as the API bounds it.
    await owner.goto('/settings');
    await owner.getByRole('heading', { level: 1, name: `Settings of ${team.name}` }).waitFor();
    const retention = owner.getByRole('spinbutton', { name: 'Days to keep interview data' });
    assert.equal(await retention.inputValue(), '180', 'the default period');
    await retention.fill('0');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByText('Enter a whole number of days from 1 to 730.').waitFor();
    assert.equal(await retention.getAttribute('aria-invalid'), 'true');
    await checkAccessibility(owner, 'the settings page with a refused retention period');
    await retention.fill('365');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByText('The settings are saved.').waitFor();
    const stored = await api('/api/workspace', { token: await pageIdToken(owner), workspace: team.id });
    assert.equal(stored.body?.settings?.retention_days, 365, JSON.stringify(stored.body));
    await checkAccessibility(owner, 'the settings page');
    await screenshot(owner, NAME, '09b-owner-sets-retention');
  });

  await step(t, NAME, 'viewer-cannot-read-the-audit-log', contexts, async () => {
    assert.equal(await colleague.getByRole('link', { name: 'Audit log' }).count(), 0, 'no Audit log link for a viewer');
    await colleague.goto('/audit');
    await colleague.getByRole('heading', { level: 1, name: 'Not available with your role' }).waitFor();
    await colleague.getByText(/can read the audit log/).waitFor();
    assert.equal(await colleague.getByRole('table').count(), 0);
    const token = await pageIdToken(colleague);
    const refused = await api('/api/workspace/audit', { token, workspace: team.id });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body?.error?.code, 'forbidden');
    await checkAccessibility(colleague, '10-viewer-refused-audit-log');
    await screenshot(colleague, NAME, '10-viewer-refused-audit-log');
  });

  await ownerContext.close();
  await colleagueContext.close();
});
