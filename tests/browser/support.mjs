// Shared helpers of the browser tests (tests/browser/*.test.mjs): Debian's Chromium driven by
// playwright-core against the real local stack. Run inside the stack, from the repository root:
//
//   AI_STACK_PORT_OFFSET=100 .venv/bin/python -m devstack run -- node --test tests/browser/
//
// Everything is found through the stack's environment (PUBLIC_BASE_URL, API_URL,
// FIREBASE_AUTH_EMULATOR_HOST, FIRESTORE_EMULATOR_HOST), never through fixed ports.
import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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
/** Whether the web app under test joins the room during the microphone check (VITE_WARM_START, on
 * unless set to 0, false, no or off: the same default as hosting/src/config.ts). */
export const WARM_START = !['0', 'false', 'no', 'off'].includes((process.env.VITE_WARM_START ?? '').toLowerCase());

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

// -- accessibility --------------------------------------------------------------------------------
/** axe-core (root package.json) and the rules of WCAG 2.1 levels A and AA it checks. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core's WCAG 2.1 AA rules on the page as it is now and fails with every violation (rule,
 * impact, the first nodes' selectors) if there is any. axe is evaluated through the DevTools
 * protocol, so the page's content security policy does not stop it. Returns the number of rules
 * that passed, so a caller can tell the check ran.
 */
export async function checkAccessibility(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const { violations, passes } = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      passes: result.passes.length,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.length,
        targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1).join(' ').trim()})` : ''}`),
      })),
    };
  }, WCAG_21_AA);
  const report = violations.map((v) => `${v.id} [${v.impact}] x${v.nodes}: ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n  ');
  assert.equal(violations.length, 0, `axe-core WCAG 2.1 AA violations on ${where}:\n  ${report}`);
  return passes;
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

const identityToolkit = () => `http://${stack.authHost}/identitytoolkit.googleapis.com/v1`;

async function authEmulator(method, body, { admin = false } = {}) {
  const url = admin
    ? `${identityToolkit()}/projects/${stack.projectId}/${method}`
    : `${identityToolkit()}/${method}?key=any`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(admin ? { Authorization: 'Bearer owner' } : {}) },
    body: JSON.stringify(body),
  });
  const parsed = await response.json();
  if (!response.ok) throw new Error(`${method} failed: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

/**
 * Signs a user up through the Auth emulator's REST API: { email, password, idToken, uid }. The
 * account is unverified, as a password sign-up is in production: the API lets it into nothing but
 * GET /api/me (see `verifiedAccount`).
 */
export async function signUpViaRest(email = uniqueEmail('recruiter'), password = 'browser-test-pw') {
  const body = await authEmulator('accounts:signUp', { email, password, returnSecureToken: true });
  return { email, password, idToken: body.idToken, uid: body.localId };
}

/** A fresh ID token for the account (it carries the account's current email_verified). */
export async function signInViaRest(account) {
  const body = await authEmulator('accounts:signInWithPassword', {
    email: account.email,
    password: account.password,
    returnSecureToken: true,
  });
  return { ...account, idToken: body.idToken };
}

/** Marks the email verified with the emulator's admin update (`Bearer owner`), then signs in again. */
export async function markVerified(account) {
  await authEmulator('accounts:update', { localId: account.uid, emailVerified: true }, { admin: true });
  return signInViaRest(account);
}

/** A signed-up account whose email is verified, with a token that says so. */
export async function verifiedAccount(email = uniqueEmail('member'), password = 'browser-test-pw') {
  return markVerified(await signUpViaRest(email, password));
}

/**
 * Follows the newest email-verification link the Auth emulator holds for `email`
 * (GET /emulator/v1/projects/{p}/oobCodes), as a person clicking it in the email would: the
 * emulator verifies the address and redirects (303) to the app's continue URL, if the app gave one.
 * Returns { status, location, oobLink }.
 */
export async function followVerificationLink(email) {
  const codes = await poll(
    async () => {
      const response = await fetch(`http://${stack.authHost}/emulator/v1/projects/${stack.projectId}/oobCodes`);
      const { oobCodes = [] } = await response.json();
      const mine = oobCodes.filter((c) => c.email === email.toLowerCase() && c.requestType === 'VERIFY_EMAIL');
      return mine.length ? mine : false;
    },
    { message: `a verification email to ${email}` },
  );
  const { oobLink } = codes.at(-1);
  const response = await fetch(oobLink, { redirect: 'manual' });
  const text = await response.text();
  if (response.status !== 303 && response.status !== 200) {
    throw new Error(`following ${oobLink} failed: ${response.status} ${text}`);
  }
  return { status: response.status, location: response.headers.get('location'), oobLink };
}

// -- teams (workspaces) ---------------------------------------------------------------------------
/** The repository's Python, which runs the operator's commands (`python -m interview_core.admin`). */
const PYTHON = process.env.PYTHON || join(ROOT, '.venv', 'bin', 'python');

/**
 * A team of its own for a journey, so journeys never see each other's interviews: its owner is a
 * verified account made here, and the workspace is created the way an operator does it,
 * `python -m interview_core.admin create-workspace` (with the stack's environment, which names the
 * emulators). Returns { id, name, owner } where owner is a member (see `newMember`).
 */
export async function createTeam(name = `Team ${Date.now().toString(36)}-${process.pid}-${++counter}`, owner) {
  const account = owner ?? (await verifiedAccount(uniqueEmail('owner')));
  const { stdout } = await run(
    PYTHON,
    ['-m', 'interview_core.admin', 'create-workspace', '--name', name, '--owner-email', account.email],
    { cwd: ROOT, env: process.env, timeout: 60_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1));
  if (!result.workspace_id) throw new Error(`create-workspace printed no workspace_id: ${stdout}`);
  return { id: result.workspace_id, name, owner: { ...account, workspaceId: result.workspace_id, role: 'owner' } };
}

/** Invites `email` as `role` into the admin's workspace: the 201 body ({id, accept_url, ...}). */
export async function inviteViaApi(admin, email, role) {
  const { status, body } = await api('/api/workspace/invitations', {
    method: 'POST',
    as: admin,
    body: { email, role },
  });
  if (status !== 201) throw new Error(`inviting ${email} as ${role} failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** {workspace_id, invitation_id, secret} of an invitation link `<base>/join/<wid>/<iid>#<secret>`. */
export function invitationParts(acceptUrl) {
  const url = new URL(acceptUrl);
  const [, join, workspaceId, invitationId] = url.pathname.split('/');
  if (join !== 'join' || !workspaceId || !invitationId || !url.hash) throw new Error(`not an invitation link: ${acceptUrl}`);
  return { workspace_id: workspaceId, invitation_id: invitationId, secret: decodeURIComponent(url.hash.slice(1)) };
}

/**
 * A verified account that joined `team` as `role` by invitation, through the API as the join page
 * does: { email, password, uid, idToken, workspaceId, role }.
 */
export async function newMember(team, role = 'recruiter', email = uniqueEmail(role)) {
  const account = await verifiedAccount(email);
  const invitation = await inviteViaApi(team.owner, account.email, role);
  const { status, body } = await api('/api/invitations/accept', {
    method: 'POST',
    token: account.idToken,
    body: invitationParts(invitation.accept_url),
  });
  if (status !== 200) throw new Error(`accepting the invitation of ${email} failed: ${status} ${JSON.stringify(body)}`);
  return { ...account, workspaceId: team.id, role };
}

/** A recruiter in a team of its own (made by `createTeam`, joined by invitation): a member with `team`. */
export async function newRecruiter() {
  const team = await createTeam();
  return { ...(await newMember(team, 'recruiter')), team };
}

/**
 * Calls the API as the SPA would: { status, body }. `as` is a member ({ idToken, workspaceId }),
 * sent as `Authorization` and `X-Workspace-Id`; `token` alone sends only the former.
 */
export async function api(path, { method = 'GET', token, as, workspace, body } = {}) {
  const headers = {};
  const bearer = as?.idToken ?? token;
  const workspaceId = as?.workspaceId ?? workspace;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (workspaceId) headers['X-Workspace-Id'] = workspaceId;
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

/** Creates an interview through the API as `member` (recruiter and up): the 201 body ({id, invite_url, skills, ...}). */
export async function createInterviewViaApi(member, overrides = {}) {
  const { status, body } = await api('/api/interviews', {
    method: 'POST',
    as: member,
    body: { candidate: { name: 'Ada Lovelace', email: 'ada@example.com' }, ...SHORT_INTERVIEW, ...overrides },
  });
  if (status !== 201) throw new Error(`creating an interview failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** The interview as a member of its team reads it through the API, turns included. */
export async function getInterview(member, id) {
  const { status, body } = await api(`/api/interviews/${encodeURIComponent(id)}`, { as: member });
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

/** A JavaScript value in Firestore's typed JSON (REST `Value`). */
export function firestoreValue(value) {
  if (value === null || value === undefined) return { nullValue: null };
  if (value instanceof Date) return { timestampValue: value.toISOString() };
  if (typeof value === 'boolean') return { booleanValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { integerValue: String(value) } : { doubleValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(firestoreValue) } };
  return { mapValue: { fields: firestoreFields(value) } };
}

export function firestoreFields(object) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, firestoreValue(value)]));
}

/** Writes (creates or replaces) a Firestore document in the emulator as an admin (`Bearer owner`). */
export async function writeFirestoreDocument(documentPath, data) {
  const url = `http://${stack.firestoreHost}/v1/projects/${stack.projectId}/databases/(default)/documents/${documentPath}`;
  const response = await fetch(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer owner' },
    body: JSON.stringify({ fields: firestoreFields(data) }),
  });
  if (!response.ok) throw new Error(`writing ${documentPath} failed: ${response.status} ${await response.text()}`);
  return response.json();
}

// -- pages ----------------------------------------------------------------------------------------
/** Signs a member in through the SPA's form and waits for the dashboard of their team. */
export async function signInThroughUi(page, { email, password }) {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Interviews' }).waitFor();
}

/**
 * The Firebase ID token the signed-in page holds (the SDK keeps the user in IndexedDB,
 * `firebaseLocalStorageDb`), to call the API from the page exactly as that person.
 */
export async function pageIdToken(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('firebaseLocalStorageDb');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('firebaseLocalStorage', 'readonly').objectStore('firebaseLocalStorage').getAll();
          read.onerror = () => reject(read.error);
          read.onsuccess = () => {
            const user = read.result.map((entry) => entry.value).find((value) => value?.stsTokenManager);
            if (user) resolve(user.stsTokenManager.accessToken);
            else reject(new Error('no signed-in Firebase user in this page'));
          };
        };
      }),
  );
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

/**
 * Whether `spoken` asks the planned `question`, in whatever wording the model puts around it: the
 * local Gemini emulator's strict profile rephrases both ends of a planned question (as a real model
 * does) and keeps its core, so the core after the first letter is what can be found.
 */
export function asksQuestion(spoken, question, length = 40) {
  const core = question.trim().replace(/[?.!]+$/, '').slice(1, 1 + length).toLowerCase();
  return spoken.replace(/\s+/g, ' ').toLowerCase().includes(core);
}
