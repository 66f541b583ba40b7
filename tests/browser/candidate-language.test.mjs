// Journey: the candidate's pages speak the interview's language. A German interview's invite opens
// in German (welcome and consent, microphone check, the room with its captions, leaving and the
// page after it, the cancelled page on rejoining; and an invalid link in a German browser), `<html lang="de">`, each page held to WCAG 2.1 AA
// by axe-core; screenshots under test-artifacts/screenshots/candidate-language-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  CHROMIUM,
  api,
  CHROMIUM_ARGS,
  checkAccessibility,
  clearScreenshots,
  createInterviewViaApi,
  newContext,
  newRecruiter,
  poll,
  screenshot,
  step,
} from './support.mjs';

const NAME = 'candidate-language';
let browser;

before(async () => {
  clearScreenshots(NAME);
  // Chromium's own fake microphone (a beep): enough for the microphone check's meter.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    timeout: 30_000,
  });
});

after(async () => {
  await browser?.close();
});

/**
 * Presses a button from the keyboard: on the animated pages (the level meter, the agent's bars) a
 * loaded machine can keep playwright's click waiting for the button to be "stable".
 */
async function press(locator) {
  await locator.focus();
  await locator.press('Enter');
}

/** The invite URL with another secret of the same shape. */
function withWrongSecret(inviteUrl) {
  const url = new URL(inviteUrl);
  const secret = url.hash.slice(1);
  url.hash = secret.slice(0, -4) + (secret.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  return url.toString();
}

test("a German interview's candidate pages are in German", { timeout: 180_000 }, async (t) => {
  const recruiter = await newRecruiter();
  const created = await createInterviewViaApi(recruiter, {
    candidate: { name: 'Greta Berger', email: 'greta@example.com' },
    language: 'de',
  });
  const context = await newContext(browser);
  const page = await context.newPage();

  await step(t, NAME, '01-welcome', [context], async () => {
    await page.goto(created.invite_url);
    // The invite check answers first (slow on a loaded machine); the page then turns German.
    await page.getByRole('heading', { level: 1, name: 'Willkommen, Greta Berger' }).waitFor({ timeout: 45_000 });
    await page.getByText('Vorstellungsgespräch für Data Engineer').waitFor();
    await page.getByText('bis zu 5 Minuten.').waitFor();
    await page.getByText('Dieses Gespräch führt eine KI.').waitFor();
    await page.getByRole('heading', { name: 'Was aufgezeichnet wird' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    assert.equal(await page.title(), 'Ihr Vorstellungsgespräch · AI Interviewer');
    await checkAccessibility(page, 'the German welcome page');
    await screenshot(page, NAME, '01-welcome-de');
    await page.getByRole('button', { name: 'Weiter zum Mikrofontest' }).click();
    await page.getByRole('alert').filter({ hasText: 'Bitte setzen Sie das Häkchen, um fortzufahren.' }).waitFor();
    await checkAccessibility(page, 'the German welcome page with its consent error');
    await page.getByLabel(/Ich verstehe, dass eine KI dieses Gespräch führt/).check();
    await page.getByRole('button', { name: 'Weiter zum Mikrofontest' }).click();
  });

  await step(t, NAME, '02-mic-check', [context], async () => {
    await page.getByRole('heading', { level: 1, name: 'Prüfen Sie Ihr Mikrofon' }).waitFor();
    await page.getByRole('status').filter({ hasText: /Wir können Sie hören|Wir warten darauf, Sie zu hören/ }).waitFor();
    await page.getByRole('meter', { name: 'Mikrofonpegel' }).waitFor();
    await checkAccessibility(page, 'the German microphone check');
    await screenshot(page, NAME, '02-mic-check-de');
    await press(page.getByRole('button', { name: /^(Am Gespräch teilnehmen|Trotzdem teilnehmen)$/ }));
  });

  await step(t, NAME, '03-room', [context], async () => {
    await poll(async () => (await page.title()) === 'Gespräch läuft · AI Interviewer', { timeout: 30_000, message: 'the room' });
    await page.getByRole('heading', { name: 'Untertitel' }).waitFor();
    await page.getByRole('button', { name: /^(Stummschalten|Stummschaltung aufheben)$/ }).waitFor();
    await page.getByRole('button', { name: 'Verlassen' }).waitFor();
    await page.getByRole('region', { name: 'Interviewer' }).waitFor();
    await page.getByRole('timer', { name: /von 5 Minuten verbraucht/ }).waitFor();
    await checkAccessibility(page, 'the German interview room');
    await screenshot(page, NAME, '03-room-de');
  });

  await step(t, NAME, '04-leave', [context], async () => {
    await press(page.getByRole('button', { name: 'Verlassen' }));
    const dialog = page.getByRole('alertdialog', { name: 'Gespräch verlassen?' });
    await dialog.waitFor();
    await checkAccessibility(page, 'the German leave dialog');
    await screenshot(page, NAME, '04-leave-dialog-de');
    await press(dialog.getByRole('button', { name: 'Verlassen' }));
    await page.getByRole('heading', { level: 1, name: 'Sie haben das Gespräch verlassen' }).waitFor();
    await page.getByRole('button', { name: 'Wieder beitreten' }).waitFor();
    await checkAccessibility(page, 'the German page after leaving');
    await screenshot(page, NAME, '05-left-de');
  });

  await step(t, NAME, '06-cancelled', [context], async () => {
    // The recruiter cancels; rejoining then meets the error page, in the interview's language.
    const cancel = await api(`/api/interviews/${created.id}/cancel`, { method: 'POST', as: recruiter });
    assert.equal(cancel.status, 200);
    await page.getByRole('button', { name: 'Wieder beitreten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dieses Gespräch wurde abgesagt' }).waitFor();
    assert.equal(await page.title(), 'Gespräch nicht verfügbar · AI Interviewer');
    await checkAccessibility(page, 'the German cancelled page');
    await screenshot(page, NAME, '06-cancelled-de');
  });

  await step(t, NAME, '07-invalid-link', [context], async () => {
    // A wrong secret never tells the interview's language: a German browser gets German anyway.
    const german = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    try {
      const other = await german.newPage();
      await other.goto(withWrongSecret(created.invite_url));
      await other.getByRole('heading', { level: 1, name: 'Dieser Einladungslink ist ungültig' }).waitFor();
      assert.equal(await other.evaluate(() => document.documentElement.lang), 'de');
      await checkAccessibility(other, 'the German invalid-link page');
      await screenshot(other, NAME, '07-invalid-link-de');
    } finally {
      await german.close();
    }
  });
});
