// Journey: the candidate opens the invite link with a fake microphone (espeak-ng answers), consents,
// passes the microphone check (during which the page joins the room and the agent gets ready: the
// warm start, issue 24), hears the greeting right after Start, talks with the agent until it ends the
// interview; meanwhile the recruiter's dashboard and report page update live until the report is there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  checkAccessibility,
  clearScreenshots,
  NEEDS_EMULATOR,
  agentCaptions,
  api,
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
  signInThroughUi,
  step,
  waitForText,
  asksQuestion,
  WARM_START,
} from './support.mjs';

const NAME = 'interview';
const RECOMMENDATIONS = ['Strong hire', 'Hire', 'Lean hire', 'Lean no hire', 'No hire'];
const RECOMMENDATION_CODES = ['strong_hire', 'hire', 'lean_hire', 'lean_no_hire', 'no_hire'];
/** Start -> the agent speaking, on this shared machine; bench/agent.py measures the figure (~0.5 s). */
const START_TO_GREETING_BOUND_MS = 3000;
let wav;
let recruiterBrowser;
let candidateBrowser;

before(async () => {
  clearScreenshots(NAME);
  // 15 s of silence first: the agent joins and greets (about 14 s) before the first answer.
  wav = await makeCandidateWav({ leadSeconds: 15, gapSeconds: 10 });
  [recruiterBrowser, candidateBrowser] = await Promise.all([launchBrowser(), launchBrowser({ fakeAudio: wav.path })]);
});

after(async () => {
  await Promise.all([recruiterBrowser?.close(), candidateBrowser?.close()]);
  removeDir(wav?.dir);
});

/** How the SPA shows a report's overall score. */
function scoreText(stored) {
  return typeof stored.overall_score === 'number' ? String(Math.round(stored.overall_score)) : '—';
}

/** The dashboard row of a candidate. */
function dashboardRow(page, candidateName) {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name: candidateName }) });
}

test('a candidate takes the interview by voice; the recruiter sees it evaluated live and reads the report', { timeout: 240_000, skip: NEEDS_EMULATOR }, async (t) => {
  const recruiter = await newRecruiter();
  const candidateName = 'Ada Lovelace';
  const created = await createInterviewViaApi(recruiter, {
    candidate: { name: candidateName, email: 'ada@example.com' },
  });
  const planned = created.question_plan.map((q) => q.question);
  assert.equal(planned.length, 3);

  const recruiterContext = await newContext(recruiterBrowser);
  const candidateContext = await newContext(candidateBrowser);
  await recordRoom(candidateContext);
  const contexts = [recruiterContext, candidateContext];
  const dashboard = await recruiterContext.newPage();
  const candidate = await candidateContext.newPage();

  await step(t, NAME, 'recruiter-dashboard', contexts, async () => {
    await signInThroughUi(dashboard, recruiter);
    const row = dashboardRow(dashboard, candidateName);
    await waitForText(row, /Invited/);
    // Marks this document: if the page reloaded, the mark is gone. And records every status the
    // row shows, so the live updates can be checked afterwards.
    await dashboard.evaluate((name) => {
      window.__notReloaded = true;
      window.__statuses = [];
      setInterval(() => {
        const row = [...document.querySelectorAll('tbody tr')].find((r) => r.textContent.includes(name));
        const status = row?.querySelector('[data-status]')?.textContent?.trim();
        if (status && window.__statuses.at(-1) !== status) window.__statuses.push(status);
      }, 100);
    }, candidateName);
  });

  await step(t, NAME, 'candidate-welcome', contexts, async () => {
    await candidate.goto(created.invite_url);
    await candidate.getByRole('heading', { level: 1, name: `Welcome, ${candidateName}` }).waitFor();
    await candidate.getByText('Interview for Data Engineer').waitFor();
    await candidate.getByText('up to 5 minutes.').waitFor();
    assert.equal(new URL(candidate.url()).hash, '', 'the invite secret is taken off the address bar');
    await candidate.getByText('An AI conducts this interview.').waitFor();
    await checkAccessibility(candidate, '01-candidate-welcome');
    await screenshot(candidate, NAME, '01-candidate-welcome');
    // Consent is required.
    await candidate.getByRole('button', { name: 'Continue to microphone check' }).click();
    await candidate.getByRole('alert').filter({ hasText: 'Please tick the box to continue.' }).waitFor();
    await candidate.getByLabel(/I understand that an AI conducts this interview/).check();
    await candidate.getByRole('button', { name: 'Continue to microphone check' }).click();
  });

  let startedAt = 0;
  await step(t, NAME, 'candidate-mic-check', contexts, async () => {
    await candidate.getByRole('heading', { level: 1, name: 'Check your microphone' }).waitFor();
    // The warm start (VITE_WARM_START): the page joins the room during the check; its microphone is muted.
    if (WARM_START) await candidate.locator('[data-warm-start="ready"]').waitFor({ timeout: 20_000 });
    // The fake microphone's first words come after the file's lead silence.
    await candidate.getByRole('status').filter({ hasText: 'We can hear you.' }).waitFor({ timeout: 30_000 });
    await checkAccessibility(candidate, '02-candidate-mic-check');
    await screenshot(candidate, NAME, '02-candidate-mic-check');
    assert.equal((await getInterview(recruiter, created.id)).status, 'invited', 'a warm join does not start the interview');
    startedAt = await candidate.evaluate(() => Date.now() - window.__roomTimeline.started);
    await candidate.getByRole('button', { name: 'Join the interview' }).click();
  });

  await step(t, NAME, 'agent-greets', contexts, async () => {
    await poll(async () => (await candidate.title()).startsWith('Interview in progress'), { message: 'the room' });
    const greeting = await poll(
      async () => (await agentCaptions(candidate)).find((c) => /your interviewer/.test(c.text) && asksQuestion(c.text, planned[0], 30)),
      { timeout: 30_000, message: "the agent's greeting and first question in the captions" },
    );
    assert.match(greeting.text, /^Hello Ada, I'm \w+, your interviewer for the Data Engineer role\./);
    // Captions run a little ahead of the voice (AGENT_SYNC_TRANSCRIPTION=false), so the greeting's
    // text can be on screen just before its first audio plays and the state turns to Speaking.
    let states = [];
    await poll(
      async () => {
        const timeline = await roomTimeline(candidate);
        states = timeline.states.map((s) => s.text);
        return states.includes('Speaking') && timeline.audio.firstPlayingAt != null;
      },
      { timeout: 10_000, message: "the agent state Speaking and the agent's audio playing" },
    ).catch((error) => {
      assert.fail(`the agent state shows Speaking and its audio plays (${states.join(' > ')}): ${error.message}`);
    });
    await candidate.getByRole('log').getByText(/your interviewer/).waitFor();
    // The greeting is heard right after Start: the agent was ready in the room before it.
    const timeline = await roomTimeline(candidate);
    const speaking = timeline.states.find((s) => s.text === 'Speaking' && s.t >= startedAt);
    const caption = timeline.captions.find((c) => /your interviewer/.test(c.text) && c.t >= startedAt);
    t.diagnostic(`Start -> agent speaking ${speaking ? speaking.t - startedAt : 'never'} ms, -> greeting caption ${caption ? caption.t - startedAt : 'never'} ms`);
    assert.ok(speaking, 'the agent state shows Speaking after Start');
    // The warm greeting is prepared before Start and held, its words with its voice.
    const early = timeline.captions.filter((c) => c.speaker === 'Interviewer' && c.t < startedAt);
    assert.deepEqual(early, [], 'no caption of the agent before Start');
    assert.ok(
      !WARM_START || speaking.t - startedAt <= START_TO_GREETING_BOUND_MS,
      `the greeting is heard within ${START_TO_GREETING_BOUND_MS} ms of Start (${speaking.t - startedAt} ms)`,
    );
    await screenshot(candidate, NAME, '03-candidate-room-greeting');
  });

  const report = await recruiterContext.newPage();
  await step(t, NAME, 'recruiter-live-transcript', contexts, async () => {
    await waitForText(dashboardRow(dashboard, candidateName).locator('[data-status]'), /In progress/, { timeout: 20_000 });
    await report.goto(`/reports/${created.id}`);
    await report.getByRole('heading', { level: 1, name: candidateName }).waitFor();
    await report.getByText('The interview is running.').waitFor();
    await report.getByRole('heading', { name: 'Live transcript' }).waitFor();
    await report.getByText(/your interviewer for the Data Engineer role/).waitFor({ timeout: 30_000 });
    await report.evaluate(() => {
      window.__notReloaded = true;
    });
    await screenshot(report, NAME, '04-report-live-transcript');
  });

  await step(t, NAME, 'interview-runs-to-the-end', contexts, async () => {
    await candidate.getByRole('heading', { level: 1, name: `Thank you, ${candidateName}!` }).waitFor({ timeout: 150_000 });
    await screenshot(candidate, NAME, '05-candidate-thank-you');
    const timeline = await roomTimeline(candidate);
    const said = (await agentCaptions(candidate)).map((c) => c.text);
    t.diagnostic(`agent states: ${timeline.states.map((s) => `${(s.t / 1000).toFixed(1)}s ${s.text}`).join(', ')}`);
    t.diagnostic(`agent captions: ${JSON.stringify(said)}`);
    const speaking = timeline.states.filter((s) => s.text === 'Speaking').length;
    const listening = timeline.states.filter((s) => s.text === 'Listening').length;
    assert.ok(speaking >= 3 && listening >= 3, `the state indicator alternated (${speaking} speaking, ${listening} listening)`);
    assert.ok(timeline.audio.maxCurrentTime > 20, `the agent's audio played for ${timeline.audio.maxCurrentTime} s`);
    assert.match(said.at(-1), /that was my last question/, 'the last caption is the goodbye');

    const interview = await poll(
      async () => {
        const current = await getInterview(recruiter, created.id);
        return current.end_reason ? current : false;
      },
      { timeout: 30_000, message: 'the interview to be finalised' },
    );
    assert.equal(interview.end_reason, 'completed', 'the agent ended the interview through end_interview');
    const roles = interview.turns.map((turn) => turn.role);
    t.diagnostic(`transcript: ${JSON.stringify(interview.turns.map((turn) => `${turn.role}: ${turn.text}`))}`);
    const candidateTurns = roles.filter((role) => role === 'candidate').length;
    if (candidateTurns === CANDIDATE_ANSWERS.length) {
      // Each planned question asked in turn (one per answer), then the goodbye.
      let from = 0;
      for (const question of planned) {
        const index = said.findIndex((text, i) => i >= from && asksQuestion(text, question));
        assert.ok(index >= 0, `the agent asked "${question}" after the previous one (captions: ${JSON.stringify(said)})`);
        from = index + 1;
      }
      assert.deepEqual(roles, ['agent', 'candidate', 'agent', 'candidate', 'agent', 'candidate', 'agent']);
    } else {
      // A stall in the audio path (a loaded machine) made a gap of more than 600 ms inside an answer,
      // so the emulator took it for two turns and moved on early. The product behaved as designed;
      // only the weaker form can be asserted.
      t.diagnostic(`WARNING: ${candidateTurns} candidate turns for ${CANDIDATE_ANSWERS.length} answers: an answer was split by an audio stall`);
      assert.ok(asksQuestion(said[0], planned[0]));
      assert.equal(roles[0], 'agent');
      assert.equal(roles.at(-1), 'agent');
    }
    assert.equal(interview.turns.filter((turn) => /your interviewer/.test(turn.text)).length, 1, 'one greeting');
  });

  await step(t, NAME, 'dashboard-shows-evaluated', contexts, async () => {
    const row = dashboardRow(dashboard, candidateName);
    await waitForText(row.locator('[data-status]'), /^Evaluated$/, { timeout: 60_000 });
    // The recorder samples every 100 ms: let it see what the row now shows before reading it.
    await dashboard.waitForFunction(() => window.__statuses.includes('Evaluated'), null, { timeout: 5_000 });
    const statuses = await dashboard.evaluate(() => window.__statuses);
    t.diagnostic(`dashboard statuses: ${statuses.join(' > ')}`);
    assert.ok(await dashboard.evaluate(() => window.__notReloaded === true), 'the dashboard was not reloaded');
    assert.equal(statuses[0], 'Invited');
    assert.ok(statuses.includes('In progress'));
    assert.equal(statuses.at(-1), 'Evaluated');
    // The score column shows the report's overall score, or a dash when the report has none.
    const stored = await api(`/api/reports/${created.id}`, { as: recruiter });
    assert.equal(stored.status, 200);
    await waitForText(row.getByRole('cell').nth(4), new RegExp(`^${scoreText(stored.body)}$`), { message: 'the score in the row' });
    await screenshot(dashboard, NAME, '06-dashboard-evaluated');
  });

  await step(t, NAME, 'report', contexts, async () => {
    // The page opened during the interview turns into the report by itself.
    await report.getByRole('heading', { name: 'Overall result' }).waitFor({ timeout: 30_000 });
    assert.ok(await report.evaluate(() => window.__notReloaded === true), 'the report page was not reloaded');
    const stored = (await api(`/api/reports/${created.id}`, { as: recruiter })).body;
    t.diagnostic(`report: assessment ${stored.assessment}, score ${stored.overall_score}, recommendation ${stored.recommendation}, model ${stored.model}`);
    assert.equal((await report.getByTestId('overall-score').textContent()).trim(), scoreText(stored));
    const recommendation = (await report.getByTestId('recommendation').textContent()).trim();
    assert.equal(
      recommendation,
      stored.recommendation ? RECOMMENDATIONS[RECOMMENDATION_CODES.indexOf(stored.recommendation)] : 'No recommendation',
    );
    await report.getByText(stored.summary).waitFor();
    const modelLabel = stored.model === 'none' ? 'the rules alone (no model was called)' : stored.model;
    assert.equal((await report.getByTestId('report-model').textContent())?.trim(), modelLabel);
    const skills = report.getByTestId('skill-score');
    assert.equal(await skills.count(), stored.skills.length);
    const skillText = (await skills.allTextContents()).join(' | ');
    for (const skill of created.skills) assert.ok(skillText.includes(skill.name), `skill ${skill.name} in the report`);
    for (const skill of stored.skills) {
      const shown = await skills.filter({ has: report.getByRole('heading', { name: skill.name, exact: true }) }).textContent();
      assert.ok(
        typeof skill.score === 'number' ? shown.includes(`${skill.score}/5`) : shown.includes('Not assessed'),
        `skill ${skill.name}: "${shown}" shows score ${skill.score}`,
      );
    }

    const interview = await getInterview(recruiter, created.id);
    assert.equal(interview.status, 'evaluated');
    assert.equal(interview.end_reason, 'completed');
    const transcript = report.getByRole('region', { name: 'Transcript' }).getByRole('listitem');
    assert.equal(await transcript.count(), interview.turns.length);
    assert.match(await transcript.first().textContent(), /Interviewer \(AI\).*Hello Ada, I'm \w+, your interviewer/);
    await screenshot(report, NAME, '07-report');
  });

  await recruiterContext.close();
  await candidateContext.close();
});
