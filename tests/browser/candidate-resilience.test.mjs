// Journey: a candidate whose connection fails them. The interview service is unreachable when they
// join (every /api request aborted): they get a page they can act on, and its retry works once the
// service is back. Then they reload the page mid-interview: the room is rejoined with a fresh token
// and the interview continues where it was, without a second greeting, to its end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  clearScreenshots,
  NEEDS_EMULATOR,
  agentCaptions,
  CANDIDATE_ANSWERS,
  createInterviewViaApi,
  getInterview,
  launchBrowser,
  makeCandidateWav,
  newContext,
  newRecruiter,
  poll,
  recordRoom,
  removeDir,
  roomTimeline,
  screenshot,
  step,
  asksQuestion,
  WARM_START,
} from './support.mjs';

const NAME = 'resilience';
let wav;
let browser;

before(async () => {
  clearScreenshots(NAME);
  wav = await makeCandidateWav({ leadSeconds: 15, gapSeconds: 10 });
  browser = await launchBrowser({ fakeAudio: wav.path });
});

after(async () => {
  await browser?.close();
  removeDir(wav?.dir);
});

const isApi = (url) => new URL(url).pathname.startsWith('/api/');
const JOIN = /^Join (the interview|anyway)$/;

/** Welcome -> consent -> microphone ready -> join (the fake microphone need not have spoken yet). */
/** Consent, the microphone check, Start. `warm`: wait until the page has joined the room during the
 * check (the warm start), so that Start uses that room and its token, not a fresh one. */
async function consentAndJoin(page, { warm = false } = {}) {
  await page.getByLabel(/I understand that an AI conducts this interview/).check();
  await page.getByRole('button', { name: 'Continue to microphone check' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your microphone' }).waitFor();
  if (warm && WARM_START) await page.locator('[data-warm-start="ready"]').waitFor({ timeout: 20_000 });
  const join = page.getByRole('button', { name: JOIN });
  await poll(() => join.isEnabled(), { message: 'the microphone to be ready' });
  await join.click();
}

test('the candidate recovers from an unreachable service and from a reload mid-interview', { timeout: 200_000, skip: NEEDS_EMULATOR }, async (t) => {
  const recruiter = await newRecruiter();
  const created = await createInterviewViaApi(recruiter);
  const planned = created.question_plan.map((q) => q.question);
  const context = await newContext(browser);
  await recordRoom(context);
  const page = await context.newPage();
  const tokens = [];
  page.on('response', async (response) => {
    if (response.url().endsWith(`/api/interviews/${created.id}/token`) && response.status() === 200) {
      tokens.push((await response.json()).token);
    }
  });

  await step(t, NAME, 'service-unreachable', [context], async () => {
    const blocked = [];
    await page.route(isApi, (route) => {
      blocked.push(route.request().url());
      return route.abort('connectionrefused');
    });
    await page.goto(created.invite_url);
    // The invite check on arrival failed: the welcome page does not block on it.
    await page.getByRole('heading', { level: 1, name: 'Welcome to your interview' }).waitFor();
    await consentAndJoin(page);
    await page.getByRole('heading', { level: 1, name: "We can't reach the interview service" }).waitFor();
    await page.getByText('Check your internet connection.').waitFor();
    await screenshot(page, NAME, '01-service-unreachable');
    assert.ok(blocked.some((url) => url.endsWith('/token')), 'the token request was the one that failed');

    // Retrying while the service is still down lands on the same page.
    const before = blocked.length;
    await page.getByRole('button', { name: 'Try again' }).click();
    await poll(() => blocked.length > before, { message: 'the retry to ask again' });
    await page.getByRole('button', { name: 'Try again' }).waitFor();

    // Service back: the retry joins the room.
    await page.unroute(isApi);
    await page.getByRole('button', { name: 'Try again' }).click();
    await poll(async () => (await page.title()).startsWith('Interview in progress'), { message: 'the room' });
    await poll(() => tokens.length === 1, { message: 'a room token' });
  });

  await step(t, NAME, 'interview-starts', [context], async () => {
    // Greeting with the first question, then the first answer and the second question.
    await poll(
      async () => (await agentCaptions(page)).some((c) => /your interviewer/.test(c.text)),
      { timeout: 30_000, message: 'the greeting' },
    );
    await poll(
      async () => {
        const timeline = await roomTimeline(page);
        const asked = timeline.captions.some((c) => c.speaker === 'Interviewer' && asksQuestion(c.text, planned[1]));
        return asked && timeline.states.at(-1)?.text === 'Listening';
      },
      { timeout: 45_000, message: 'the second question, asked to its end' },
    );
    await screenshot(page, NAME, '02-room-before-reload');
  });

  await step(t, NAME, 'reload-and-rejoin', [context], async () => {
    const dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      // The page asks before leaving a running interview; the candidate confirms the reload.
      void (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss());
    });
    await page.reload();
    t.diagnostic(`dialogs on reload: ${dialogs.join(', ') || 'none'}`);
    // The secret survived in this tab's session storage; the page knows the candidate now.
    await page.getByRole('heading', { level: 1, name: 'Welcome, Ada Lovelace' }).waitFor();
    await screenshot(page, NAME, '03-welcome-after-reload');
    await consentAndJoin(page, { warm: true });
    await poll(async () => (await page.title()).startsWith('Interview in progress'), { message: 'the room again' });
    await poll(() => tokens.length === 2, { message: 'a fresh room token' });
    assert.notEqual(tokens[1], tokens[0], 'the rejoin used a new token');

    const back = await poll(
      async () => (await agentCaptions(page)).find((c) => asksQuestion(c.text, planned[1])),
      { timeout: 30_000, message: 'the agent to repeat the second question after the rejoin' },
    );
    assert.match(back.text, /^Welcome back Ada\./, 'a welcome back, not a greeting');
    await screenshot(page, NAME, '04-room-after-rejoin');
  });

  await step(t, NAME, 'interview-continues-to-the-end', [context], async () => {
    await page.getByRole('heading', { level: 1, name: 'Thank you, Ada Lovelace!' }).waitFor({ timeout: 90_000 });
    const said = (await agentCaptions(page)).map((c) => c.text);
    t.diagnostic(`agent captions after the reload: ${JSON.stringify(said)}`);
    assert.ok(!said.some((text) => /your interviewer|Hello again/.test(text)), 'no greeting after the rejoin');
    assert.match(said.at(-1), /that was my last question/);

    const interview = await poll(
      async () => {
        const current = await getInterview(recruiter, created.id);
        return current.end_reason ? current : false;
      },
      { timeout: 30_000, message: 'the interview to be finalised' },
    );
    t.diagnostic(`transcript: ${JSON.stringify(interview.turns.map((turn) => `${turn.role}: ${turn.text}`))}`);
    t.diagnostic(`agent metrics: ${JSON.stringify(interview.metrics?.agent ?? null)}`);
    assert.equal(interview.end_reason, 'completed');
    const agentTurns = interview.turns.filter((turn) => turn.role === 'agent').map((turn) => turn.text);
    assert.equal(agentTurns.filter((text) => /your interviewer/.test(text)).length, 1, 'greeted once');
    assert.equal(agentTurns.filter((text) => /Hello again/.test(text)).length, 0, 'not greeted again');
    const welcomeBack = agentTurns.findIndex((text) => /^Welcome back/.test(text));
    assert.ok(welcomeBack > 0, 'the agent welcomed the candidate back');
    const candidateTurns = interview.turns.filter((turn) => turn.role === 'candidate').length;
    // Before the reload: one answer; after it: the answers to the second and third questions.
    if (candidateTurns === 1 + CANDIDATE_ANSWERS.length - 1) {
      assert.ok(
        agentTurns.slice(welcomeBack + 1).some((text) => asksQuestion(text, planned[2])),
        'after the rejoin the interview moved on to the third question',
      );
    } else {
      t.diagnostic(`WARNING: ${candidateTurns} candidate turns: an answer was split by an audio stall`);
    }
    await screenshot(page, NAME, '05-thank-you');
  });

  await context.close();
});
