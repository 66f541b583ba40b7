// Shared helpers of the browser tests (tests/browser/*.test.mjs): Debian's Chromium driven by
// playwright-core against the real local stack. Run inside the stack, from the repository root:
//
//   AI_STACK_PORT_OFFSET=100 .venv/bin/python -m devstack run -- node --test tests/browser/
//
// Everything is found through the stack's environment (PUBLIC_BASE_URL, API_URL,
// FIREBASE_AUTH_EMULATOR_HOST, FIRESTORE_EMULATOR_HOST), never through fixed ports.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');

// -- the stack ------------------------------------------------------------------------------------
function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the browser tests inside the local stack, e.g. ` +
        '`.venv/bin/python -m devstack run -- node --test tests/browser/`',
    );
  }
  return value.replace(/\/+$/, '');
}

export const stack = {
  /** The SPA's origin (the Vite dev server); invite links point here. */
  baseUrl: required('PUBLIC_BASE_URL'),
  apiUrl: required('API_URL'),
  authHost: required('FIREBASE_AUTH_EMULATOR_HOST'),
  firestoreHost: required('FIRESTORE_EMULATOR_HOST'),
  projectId: process.env.GOOGLE_CLOUD_PROJECT || 'demo-interviewer',
};

/**
 * The journeys that assert what the local Gemini emulator says (its skill extraction, its
 * deterministic interviewer) are skipped, with this reason, when the stack talks to the real Gemini.
 */
export const NEEDS_EMULATOR = process.env.GEMINI_API_KEY
  ? 'GEMINI_API_KEY is set, so the stack uses the real Gemini; this journey asserts what the local emulator says'
  : false;

// -- the browser ----------------------------------------------------------------------------------
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Offline-friendly switches: without the first three Chromium floods the closed network. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/**
 * A Chromium of its own. playwright-core gives every launched browser a fresh temporary
 * user-data-dir and removes it on close. `fakeAudio` (a WAV path) makes it a candidate's browser:
 * the permission prompt is accepted and the microphone plays the file, in a loop.
 */
export async function launchBrowser({ fakeAudio } = {}) {
  const args = [...CHROMIUM_ARGS];
  if (fakeAudio) {
    args.push(
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${fakeAudio}`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args, timeout: 30_000 });
}

/**
 * A fresh context (its own cookies, storage and IndexedDB, so its own Firebase session) on the SPA's
 * origin. Console errors and failed requests are kept on `context.problems` for failure reports.
 */
export async function newContext(browser, { permissions = [] } = {}) {
  const context = await browser.newContext({
    baseURL: stack.baseUrl,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  if (permissions.length) await context.grantPermissions(permissions, { origin: stack.baseUrl });
  context.problems = [];
  context.on('page', (page) => watchPage(context, page));
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

function watchPage(context, page) {
  const keep = (line) => {
    context.problems.push(`${new Date().toISOString()} ${line}`);
    if (context.problems.length > 60) context.problems.shift();
  };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') keep(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => keep(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => keep(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
}

/** Removes the screenshots a journey left in an earlier run (`<test>-*.png`), so none is stale. */
export function clearScreenshots(test) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const file of readdirSync(SCREENSHOTS)) {
    if (file.startsWith(`${test}-`) && file.endsWith('.png')) rmSync(join(SCREENSHOTS, file), { force: true });
  }
}

/** Saves test-artifacts/screenshots/<test>-<step>.png (full page) and returns its path. */
export async function screenshot(page, test, step) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${test}-${step}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', timeout: 10_000 });
  return path;
}

/**
 * Runs one step of a journey: logs it with its duration, and on failure saves a screenshot of every
 * open page (`<test>-FAILED-<step>-<n>.png`) and prints the pages' recent console errors.
 */
export async function step(t, test, name, contexts, fn) {
  const started = Date.now();
  try {
    const value = await fn();
    t.diagnostic(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return value;
  } catch (error) {
    t.diagnostic(`${name}: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    let n = 0;
    for (const context of contexts.filter(Boolean)) {
      for (const page of context.pages()) {
        n += 1;
        await screenshot(page, test, `FAILED-${name}-${n}`).catch(() => undefined);
        t.diagnostic(`page ${n}: ${page.url()}`);
      }
      for (const line of context.problems ?? []) t.diagnostic(line);
    }
    throw error;
  }
}

// -- waiting --------------------------------------------------------------------------------------
/**
 * Calls `probe` until it returns a truthy value (returned) or the deadline passes (throws with
 * `message` and the last value or error). No fixed sleeps: every wait in the suite is a condition.
 */
export async function poll(probe, { timeout = 15_000, interval = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${message} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Waits until the locator's text matches `pattern` (a RegExp) and returns the text. */
export async function waitForText(locator, pattern, { timeout = 15_000, message } = {}) {
  return poll(
    async () => {
      const text = (await locator.textContent({ timeout: 1_000 }).catch(() => null)) ?? '';
      return pattern.test(text) ? text : false;
    },
    { timeout, message: message ?? `text matching ${pattern}` },
  );
}

// -- Firebase Auth emulator, the API, the Firestore emulator --------------------------------------
let counter = 0;
/** A unique address per call and run, so reruns against a long-lived stack do not collide. */
export function uniqueEmail(prefix) {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}@example.com`;
}

/** Signs a user up through the Auth emulator's REST API: { email, password, idToken, uid }. */
export async function signUpViaRest(email = uniqueEmail('recruiter'), password = 'browser-test-pw') {
  const response = await fetch(
    `http://${stack.authHost}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=any`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    },
  );
  const body = await response.json();
  if (!response.ok) throw new Error(`sign-up of ${email} failed: ${response.status} ${JSON.stringify(body)}`);
  return { email, password, idToken: body.idToken, uid: body.localId };
}

/** Calls the API as the SPA would: { status, body }. */
export async function api(path, { method = 'GET', token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

/** A short interview: the minimum duration, so the emulator plans the fewest questions (3). */
export const SHORT_INTERVIEW = {
  role: 'Data Engineer',
  job_description:
    'We need a data engineer. Strong SQL and Python required; you build pipelines with Airflow on Google Cloud.',
  language: 'en',
  duration_minutes: 5,
};

/** Creates an interview through the API: the 201 body ({id, invite_url, skills, ...}). */
export async function createInterviewViaApi(token, overrides = {}) {
  const { status, body } = await api('/api/interviews', {
    method: 'POST',
    token,
    body: { candidate: { name: 'Ada Lovelace', email: 'ada@example.com' }, ...SHORT_INTERVIEW, ...overrides },
  });
  if (status !== 201) throw new Error(`creating an interview failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** The interview as its owner reads it through the API, turns included. */
export async function getInterview(token, id) {
  const { status, body } = await api(`/api/interviews/${encodeURIComponent(id)}`, { token });
  if (status !== 200) throw new Error(`reading interview ${id} failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * Overwrites fields of a Firestore document in the emulator through its REST API, as an admin
 * (the emulator's `Bearer owner` skips the security rules). `fields` uses Firestore's typed JSON;
 * `mask` lists the dotted field paths to change, leaving the rest of the document as it is.
 */
export async function patchFirestoreDocument(documentPath, fields, mask) {
  const params = new URLSearchParams();
  for (const path of mask) params.append('updateMask.fieldPaths', path);
  params.append('currentDocument.exists', 'true');
  const url =
    `http://${stack.firestoreHost}/v1/projects/${stack.projectId}/databases/(default)/documents/` +
    `${documentPath}?${params}`;
  const response = await fetch(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer owner' },
    body: JSON.stringify({ fields }),
  });
  if (!response.ok) throw new Error(`patching ${documentPath} failed: ${response.status} ${await response.text()}`);
  return response.json();
}

// -- pages ----------------------------------------------------------------------------------------
/** Signs in through the SPA's form and waits for the dashboard. */
export async function signInThroughUi(page, { email, password }) {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Interviews' }).waitFor();
}

// -- the candidate's room -------------------------------------------------------------------------
/**
 * Installs, in every page of the context, a recorder of what the candidate sees and hears in the
 * room, sampled every 100 ms: the agent state indicator's text (`states`), the captions (`captions`,
 * one entry per caption line and text, with the speaker), and the remote <audio> elements that
 * LiveKit's RoomAudioRenderer attaches (`audio`: when one first played a live track, and how far).
 * Read it with `roomTimeline(page)`; a reload starts a new recording.
 */
export async function recordRoom(context) {
  await context.addInitScript(() => {
    const started = Date.now();
    const timeline = { started, states: [], captions: [], audio: { firstPlayingAt: null, maxCurrentTime: 0, live: 0 } };
    window.__roomTimeline = timeline;
    setInterval(() => {
      const now = Date.now() - started;
      const state = document.querySelector('section[aria-label="Interviewer"] [role="status"]')?.textContent?.trim();
      if (state && timeline.states.at(-1)?.text !== state) timeline.states.push({ t: now, text: state });
      // Captions grow word by word: a line whose text extends a known line of the same speaker
      // updates it; anything else is a new line.
      for (const item of document.querySelectorAll('[role="log"] > li')) {
        const speaker = item.children[0]?.textContent?.trim() ?? '';
        const text = item.children[1]?.textContent?.trim() ?? '';
        if (!text) continue;
        const known = timeline.captions.find(
          (c) => c.speaker === speaker && (text.startsWith(c.text) || c.text.startsWith(text)),
        );
        if (!known) timeline.captions.push({ t: now, speaker, text });
        else if (text.length > known.text.length) known.text = text;
      }
      let live = 0;
      for (const audio of document.querySelectorAll('audio')) {
        const tracks = audio.srcObject?.getAudioTracks?.() ?? [];
        if (!audio.paused && tracks.some((track) => track.readyState === 'live')) {
          live += 1;
          timeline.audio.maxCurrentTime = Math.max(timeline.audio.maxCurrentTime, audio.currentTime);
          if (timeline.audio.firstPlayingAt == null && audio.currentTime > 0) timeline.audio.firstPlayingAt = now;
        }
      }
      timeline.audio.live = live;
    }, 100);
  });
}

/** The recording of `recordRoom` in this page (since its last load). */
export function roomTimeline(page) {
  return page.evaluate(() => window.__roomTimeline);
}

/** Agent caption lines (speaker "Interviewer") seen so far, texts merged per line. */
export async function agentCaptions(page) {
  const timeline = await roomTimeline(page);
  return (timeline?.captions ?? []).filter((c) => c.speaker === 'Interviewer');
}

// -- the candidate's voice ------------------------------------------------------------------------
/**
 * What the fake microphone says: one answer per planned question, about 5 s each (the interviewer
 * follows up on answers under 2 s), without pauses that the end-of-turn detector (600 ms) would
 * take for the end of a turn.
 */
export const CANDIDATE_ANSWERS = [
  'I have built data pipelines in Python and SQL on Google Cloud for six years.',
  'Last year I moved our nightly batch jobs to Airflow and cut the failures by half.',
  'I mentor junior engineers and I always write tests and documentation for my code.',
];

/**
 * Makes the candidate's microphone input with espeak-ng and sox: `leadSeconds` of silence (the
 * agent joins and greets), then each answer followed by `gapSeconds` of silence (the agent asks the
 * next question), as a 48 kHz mono 16-bit WAV. Chromium loops it. Returns { path, dir, seconds }.
 */
export async function makeCandidateWav({ leadSeconds = 12, gapSeconds = 10, answers = CANDIDATE_ANSWERS } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'browser-candidate-'));
  const parts = [join(dir, 'lead.wav')];
  // espeak-ng writes 22.05 kHz mono 16-bit; the silences match it so sox can concatenate.
  await run('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', parts[0], 'trim', '0', String(leadSeconds)]);
  const gap = join(dir, 'gap.wav');
  await run('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', gap, 'trim', '0', String(gapSeconds)]);
  for (const [index, text] of answers.entries()) {
    const speech = join(dir, `answer-${index + 1}.wav`);
    await run('espeak-ng', ['-v', 'en-us', '-s', '165', '-w', speech, '--', text]);
    parts.push(speech, gap);
  }
  const path = join(dir, 'candidate.wav');
  await run('sox', [...parts, '-r', '48000', '-c', '1', '-b', '16', path]);
  const { stdout } = await run('soxi', ['-D', path]);
  return { path, dir, seconds: Number(stdout.trim()) };
}

export function removeDir(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
