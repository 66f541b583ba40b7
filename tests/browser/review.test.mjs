// Journey (issue 21): the recruiter shapes the interview; the candidate's language. A recruiter
// creates a German interview, attaches the candidate's CV (a PDF; the plan is regenerated from it),
// leaves the draft and reopens it from the dashboard, edits a question, adds a must-ask question and
// sends the invite; the candidate's invite, consent and microphone check are in German (screenshots
// `review-06-candidate-*-de.png`, each page held to WCAG 2.1 AA); the interview is then held (its
// transcript written as the agent would) and evaluated by the real pipeline, and the report names
// the plan version it graded and shows the CV beside the transcript.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  checkAccessibility,
  CHROMIUM,
  CHROMIUM_ARGS,
  clearScreenshots,
  getInterview,
  NEEDS_EMULATOR,
  newContext,
  newRecruiter,
  patchFirestoreDocument,
  screenshot,
  SHORT_INTERVIEW,
  signInThroughUi,
  stack,
  step,
  writeFirestoreDocument,
} from './support.mjs';

const NAME = 'review';
const EDITED = 'Tell me about the SQL query you are proudest of, and what it changed for the team.';
const MUST_ASK = 'How would you hand over a failing nightly pipeline to a colleague at short notice?';
const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET || 'local-webhook-secret';

/** The interview language of this journey: the candidate's pages must be in German. */
const CANDIDATE_LANGUAGE = 'de';

const CV_LINES = [
  'Ada Lovelace - Data Engineer',
  '2021-2024 Analytical Engines Ltd: built the Kafka ingestion pipeline for the billing team,',
  'rewrote the nightly SQL reports on BigQuery and cut their cost by 40 percent.',
  'Skills: SQL, Python, Airflow, dbt.',
];

/** A one-page PDF with a text layer (the same builder as tests/cv_pdfs.py). */
function cvPdf(lines = CV_LINES) {
  const escape = (text) => text.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');
  const stream = `BT /F1 11 Tf 50 780 Td 14 TL ${lines.map((line) => `(${escape(line)}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, index) => {
    offsets.push(out.length);
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The interview held: in progress, its turns stored as the agent stores them, then the agent's
 * signed completion webhook, which queues the real evaluation. */
async function holdInterview(interview) {
  const start = Date.now() - 10 * 60_000;
  const answer =
    'At Analytical Engines I rewrote the nightly SQL reports on BigQuery myself: I read the query plans, ' +
    'added partitioning and clustering, and the cost fell by forty percent while the reports got faster.';
  const turns = [];
  interview.question_plan.forEach((q, index) => {
    turns.push({ role: 'agent', text: q.question });
    turns.push({ role: 'candidate', text: `${answer} That was question ${index + 1}.` });
  });
  turns.push({ role: 'agent', text: 'Thank you Ada, that was my last question. Goodbye.' });
  await patchFirestoreDocument(
    `interviews/${interview.id}`,
    { status: { stringValue: 'in_progress' }, started_at: { timestampValue: new Date(start).toISOString() } },
    ['status', 'started_at'],
  );
  for (const [seq, turn] of turns.entries()) {
    await writeFirestoreDocument(`interviews/${interview.id}/turns/${String(seq).padStart(6, '0')}`, {
      seq,
      role: turn.role,
      text: turn.text,
      started_at: new Date(start + seq * 20_000),
      ended_at: new Date(start + seq * 20_000 + 15_000),
      interrupted: false,
    });
  }
  const body = JSON.stringify({ interview_id: interview.id, end_reason: 'completed', turn_count: turns.length });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest('hex');
  const response = await fetch(`${stack.apiUrl}/api/webhooks/interview-complete`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Interviewer-Timestamp': String(timestamp),
      'X-Interviewer-Signature': `v1=${signature}`,
    },
    body,
  });
  assert.equal(response.status, 200, await response.text());
}

let browser;

before(async () => {
  clearScreenshots(NAME);
  // Chromium's own fake microphone (a beep): enough for the candidate's microphone check.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    timeout: 30_000,
  });
});

/**
 * Presses a button from the keyboard: on the animated microphone check a loaded machine can keep
 * playwright's click waiting for the button to be "stable".
 */
async function press(locator) {
  await locator.focus();
  await locator.press('Enter');
}

/**
 * The candidate opens the invite in a browser of their own (a fresh context, English browser
 * locale): the welcome page, its consent and the microphone check are in the interview's language,
 * German, and pass axe-core's WCAG 2.1 AA rules. They stop before joining: the journey holds the
 * interview itself.
 */
async function candidatePagesInGerman(context, inviteUrl) {
  const candidate = await context.newPage();
  await candidate.goto(inviteUrl);
  await candidate.getByRole('heading', { level: 1, name: 'Willkommen, Ada Lovelace' }).waitFor({ timeout: 45_000 });
  await candidate.getByText(`Vorstellungsgespräch für ${SHORT_INTERVIEW.role}`).waitFor();
  await candidate.getByText('Dieses Gespräch führt eine KI.').waitFor();
  await candidate.getByRole('heading', { name: 'Was aufgezeichnet wird' }).waitFor();
  assert.equal(await candidate.evaluate(() => document.documentElement.lang), 'de');
  assert.equal(await candidate.title(), 'Ihr Vorstellungsgespräch · AI Interviewer');
  await checkAccessibility(candidate, 'the German invite and consent page');
  await screenshot(candidate, NAME, '06-candidate-invite-de');
  await candidate.getByRole('button', { name: 'Weiter zum Mikrofontest' }).click();
  await candidate.getByRole('alert').filter({ hasText: 'Bitte setzen Sie das Häkchen, um fortzufahren.' }).waitFor();
  await candidate.getByLabel(/Ich verstehe, dass eine KI dieses Gespräch führt/).check();
  await screenshot(candidate, NAME, '07-candidate-consent-de');
  await press(candidate.getByRole('button', { name: 'Weiter zum Mikrofontest' }));
  await candidate.getByRole('heading', { level: 1, name: 'Prüfen Sie Ihr Mikrofon' }).waitFor();
  await candidate.getByRole('meter', { name: 'Mikrofonpegel' }).waitFor();
  await candidate.getByRole('status').filter({ hasText: /Wir können Sie hören|Wir warten darauf, Sie zu hören/ }).waitFor();
  await candidate.getByRole('button', { name: /^(Am Gespräch teilnehmen|Trotzdem teilnehmen)$/ }).waitFor();
  assert.equal(await candidate.evaluate(() => document.documentElement.lang), 'de');
  await checkAccessibility(candidate, 'the German microphone check');
  await screenshot(candidate, NAME, '08-candidate-mic-check-de');
  await candidate.close();
}

after(async () => {
  await browser?.close();
});

test('a recruiter shapes a German interview (CV, reopened draft, edits, must-ask), the candidate meets it in German, the report names the plan version', { timeout: 240_000, skip: NEEDS_EMULATOR }, async (t) => {
  const member = await newRecruiter();
  const context = await newContext(browser);
  const contexts = [context];
  const page = await context.newPage();

  await step(t, NAME, 'create-draft', contexts, async () => {
    await signInThroughUi(page, member);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New interview' }).click();
    await page.getByRole('heading', { level: 1, name: 'New interview' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
    await page.getByLabel('Email', { exact: true }).fill('ada@example.com');
    await page.getByLabel('Role', { exact: true }).fill(SHORT_INTERVIEW.role);
    await page.getByLabel('Job description').fill(SHORT_INTERVIEW.job_description);
    await page.getByLabel('Interview language').selectOption(CANDIDATE_LANGUAGE);
    await page.getByLabel('Duration (minutes)').fill(String(SHORT_INTERVIEW.duration_minutes));
    await page.getByRole('button', { name: 'Create interview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review the interview' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('plan-version').getByText('Plan version 1', { exact: false }).waitFor();
    await screenshot(page, NAME, '01-review-draft');
  });

  await step(t, NAME, 'attach-cv', contexts, async () => {
    await page.getByTestId('cv-input').setInputFiles({ name: 'ada-cv.pdf', mimeType: 'application/pdf', buffer: cvPdf() });
    await page.getByTestId('cv-attached').getByText('ada-cv.pdf', { exact: false }).waitFor({ timeout: 30_000 });
    await page.getByTestId('plan-version').getByText('Plan version 2', { exact: false }).waitFor();
    await checkAccessibility(page, 'the plan review with a CV');
    await screenshot(page, NAME, '02-cv-attached');
  });

  await step(t, NAME, 'reopen-draft', contexts, async () => {
    // The recruiter leaves the draft and comes back to it from the dashboard.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Interviews' }).click();
    await page.getByRole('heading', { level: 1, name: 'Interviews' }).waitFor();
    await page.getByRole('link', { name: 'Review draft: Ada Lovelace' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review the interview' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('plan-version').getByText('Plan version 2', { exact: false }).waitFor();
    await page.getByTestId('cv-attached').getByText('ada-cv.pdf', { exact: false }).waitFor();
  });

  await step(t, NAME, 'edit-and-add-must-ask', contexts, async () => {
    await page.getByTestId('review-question').first().getByRole('textbox').fill(EDITED);
    await page.getByTestId('must-ask-input').fill(MUST_ASK);
    await page.getByRole('button', { name: 'Add must-ask question' }).click();
    const questions = page.getByTestId('review-question');
    await questions.last().getByText('must ask', { exact: false }).waitFor();
    assert.equal(await questions.last().getByRole('textbox').inputValue(), MUST_ASK);
    await screenshot(page, NAME, '03-plan-edited');
  });

  const invite = await step(t, NAME, 'send-invite', contexts, async () => {
    await page.getByRole('button', { name: 'Send invite' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invite sent' }).waitFor({ timeout: 30_000 });
    const link = await page.getByRole('textbox', { name: 'Invite link' }).inputValue();
    assert.match(link, /\/i\/[A-Za-z0-9_-]+#[A-Za-z0-9_-]{20,}$/);
    const id = new URL(link).pathname.split('/').pop();
    const stored = await getInterview(member, id);
    assert.equal(stored.status, 'invited');
    assert.equal(stored.plan_version, 3, 'created (1), replanned from the CV (2), edited (3)');
    assert.equal(stored.question_plan[0].question, EDITED);
    const last = stored.question_plan.at(-1);
    assert.equal(last.question, MUST_ASK);
    assert.equal(last.must_ask, true);
    assert.match(stored.cv_text, /Kafka ingestion pipeline/);
    assert.equal(stored.language, CANDIDATE_LANGUAGE);
    await screenshot(page, NAME, '04-invite-sent');
    return { id, link };
  });

  await step(t, NAME, 'candidate-pages-in-german', contexts, async () => {
    // A failure leaves the candidate's context open, so the step's report shows its page too.
    const candidateContext = await newContext(browser);
    contexts.push(candidateContext);
    await candidatePagesInGerman(candidateContext, invite.link);
    contexts.pop();
    await candidateContext.close();
  });

  await step(t, NAME, 'report-names-plan-version', contexts, async () => {
    const interview = await getInterview(member, invite.id);
    await holdInterview(interview);
    await page.goto(`/reports/${invite.id}`);
    const version = page.getByTestId('report-plan-version');
    await version.waitFor({ timeout: 120_000 });
    assert.match(await version.textContent(), new RegExp(`version 3 \\(${interview.plan_hash}\\)`));
    const cv = page.getByTestId('report-cv');
    await cv.getByText('Kafka ingestion pipeline', { exact: false }).waitFor();
    await checkAccessibility(page, 'the report with its plan version and CV');
    await screenshot(page, NAME, '09-report-with-plan-version-and-cv');
  });
});
