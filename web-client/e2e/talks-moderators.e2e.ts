import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeScan, DESKTOP, describeViolations, launchBrowser, newContext, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

/**
 * Issue 4, "sessions (talks with times)" and "moderator access" (contract: talks-moderators).
 * Everything runs against the real server's talk and moderator endpoints.
 */
const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('Probe');
  const stage = await rest.createStage(event.id, 'Probe');
  const probe = await fetch(new URL(`api/v1/stages/${stage.id}/talks`, baseUrl));
  expect(probe.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
});

/** A `datetime-local` value `minutes` from now, in the browser's time zone. */
function localInput(page: Page, minutes: number): Promise<string> {
  return page.evaluate((m) => {
    const d = new Date(Date.now() + m * 60_000);
    const p = (x: number) => String(x).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }, minutes);
}

async function expectNoSeriousAxe(page: Page, name: string): Promise<void> {
  const violations = await axeScan(page);
  if (violations.length) console.log(`axe ${name}:\n${describeViolations(violations)}`);
  expect(seriousOrCritical(violations), describeViolations(seriousOrCritical(violations))).toEqual([]);
}

/** The organiser plans a running talk on "Saal 1" and creates a moderator access; returns its link. */
async function planTalkAndAccess(page: Page, eventId: string): Promise<string> {
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${baseUrl}organiser.html?event=${eventId}#token=${encodeURIComponent(token)}`);
  const stageCard = page.locator('section.stage-card', { hasText: 'Saal 1' });
  await waitForText(page, 'section.stage-card .talk-editor', /Noch keine Vorträge/);

  // Validation first: the end before the start.
  await stageCard.locator('summary', { hasText: 'Vortrag hinzufügen' }).click();
  await stageCard.locator('input[id$="-title"]').fill('Die EUDI-Wallet');
  await stageCard.locator('input[id$="-speakers"]').fill('Dr. A. Beispiel, B. Muster');
  await stageCard.locator('input[id$="-startsAt"]').fill(await localInput(page, -10));
  await stageCard.locator('input[id$="-endsAt"]').fill(await localInput(page, -20));
  await stageCard.locator('.talk-form button[type=submit]').click();
  await waitForText(page, 'section.stage-card [id$="-endsAt-error"]', /nach dem Beginn/);
  await stageCard.locator('input[id$="-endsAt"]').fill(await localInput(page, 35));
  await stageCard.locator('.talk-form button[type=submit]').click();
  await stageCard.locator('.talk-item.is-current', { hasText: 'Die EUDI-Wallet' }).waitFor();
  // A later talk, then edited.
  await stageCard.locator('input[id$="-title"]').fill('Digitale Souveränität');
  await stageCard.locator('input[id$="-startsAt"]').fill(await localInput(page, 60));
  await stageCard.locator('input[id$="-endsAt"]').fill(await localInput(page, 90));
  await stageCard.locator('.talk-form button[type=submit]').click();
  const later = stageCard.locator('.talk-item', { hasText: 'Digitale Souveränität' });
  await later.waitFor();
  await later.locator('[data-action=edit]').click();
  await stageCard.locator('input[id$="-title"]').fill('Digitale Souveränität in der Verwaltung');
  await stageCard.locator('.talk-form button[type=submit]').click();
  await stageCard.locator('.talk-item', { hasText: 'in der Verwaltung' }).waitFor();
  expect(await stageCard.locator('.talk-item .talk-title').allTextContents()).toEqual(['Die EUDI-Wallet', 'Digitale Souveränität in der Verwaltung']);

  // A third one, deleted again.
  await stageCard.locator('summary', { hasText: 'Vortrag hinzufügen' }).click();
  await stageCard.locator('input[id$="-title"]').fill('Wird gestrichen');
  await stageCard.locator('input[id$="-startsAt"]').fill(await localInput(page, 120));
  await stageCard.locator('input[id$="-endsAt"]').fill(await localInput(page, 150));
  await stageCard.locator('.talk-form button[type=submit]').click();
  const doomed = stageCard.locator('.talk-item', { hasText: 'Wird gestrichen' });
  await doomed.waitFor();
  await doomed.locator('[data-action=delete]').click();
  // The console's own confirmation dialog (modal), not the browser's: axe-clean, the focus on "cancel".
  const confirm = page.locator('dialog.confirm-dialog', { hasText: 'Wird gestrichen' });
  await confirm.waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Abbrechen');
  await expectNoSeriousAxe(page, 'organiser-confirm-dialog');
  await confirm.locator('button[type=submit]').click();
  await doomed.waitFor({ state: 'detached' });

  // Moderator access: the link is shown once, with a QR code.
  const access = page.locator('section.access-section');
  await access.locator('input[id$="-label"]').fill('Moderation Saal 1');
  await access.locator('button[data-i18n="access.create"]').click();
  const once = access.locator('.access-once-card');
  await once.locator('.qr svg').waitFor();
  const link = await once.locator('input.input-url').inputValue();
  expect(link).toMatch(new RegExp(`^${baseUrl.replace(/[.?]/g, '\\$&')}moderator\\.html\\?event=${eventId}#token=pm_[A-Za-z0-9_-]{43}$`));
  expect(await once.locator('.qr').getAttribute('aria-label')).toContain(link);
  await access.locator('.access-item', { hasText: 'Moderation Saal 1' }).waitFor();
  await screenshot(page, 'organiser-talks-access-desktop');
  await expectNoSeriousAxe(page, 'organiser-talks-access');
  return link;
}

describe('talks and moderator access', () => {
  it('organiser plans talks and a moderator access; the moderator sees the programme and a clear 403 message', async () => {
    const event = await rest.createEvent('Fachtag Programm');
    const stage = await rest.createStage(event.id, 'Saal 1');
    const { context, foreignRequests } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    await planTalkAndAccess(page, event.id);

    // The dashboard with the organiser's token; an organiser-only refusal (403) is shown plainly.
    await context.route(/\/api\/v1\/stages\/[^/]+\/polls$/, (route) =>
      route.request().method() === 'POST' ? route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: 'forbidden' } }) }) : route.fallback(),
    );
    const mod = await context.newPage();
    await mod.goto(`${baseUrl}moderator.html?event=${event.id}#token=${encodeURIComponent(token)}`);
    await waitForText(mod, 'h1', /Fachtag Programm/);
    const current = mod.locator('#panel-programme .talk-item[aria-current=time]');
    await current.waitFor();
    expect(await current.locator('.talk-title').textContent()).toBe('Die EUDI-Wallet');
    expect(await mod.locator('#panel-programme .talk-item').count()).toBe(2);
    await mod.locator('#panel-polls summary', { hasText: 'Neue Abstimmung' }).click();
    await mod.locator('#panel-polls textarea[id$="-question"]').fill('Verboten?');
    await mod.locator('#panel-polls textarea[id$="-options"]').fill('Ja\nNein');
    await mod.locator('#panel-polls .poll-form button[type=submit]').click();
    await waitForText(mod, '.forbidden-notice', /Das dürfen nur Organisatorinnen und Organisatoren/);
    await screenshot(mod, 'moderator-programme-forbidden-desktop');
    await expectNoSeriousAxe(mod, 'moderator-programme');
    expect(stage.id).toBeTruthy();
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('viewer and projector show the running talk from `joined.talks` and its pushes', async () => {
    const event = await rest.createEvent('Fachtag Bühne');
    const stage = await rest.createStage(event.id, 'Saal 1');
    const now = Date.now();
    const running = { id: 'tk1', stageId: stage.id, title: 'Die EUDI-Wallet', speakers: 'Dr. A. Beispiel', startsAt: new Date(now - 600_000).toISOString(), endsAt: new Date(now + 1_800_000).toISOString() };
    const later = { ...running, id: 'tk2', title: 'Später', startsAt: new Date(now + 3_600_000).toISOString(), endsAt: new Date(now + 5_400_000).toISOString() };
    for (const t of [running, later]) await rest.call('POST', `stages/${stage.id}/talks`, { title: t.title, speakers: t.speakers, startsAt: t.startsAt, endsAt: t.endsAt });
    for (const [options, size] of [[PHONE, 'phone'], [DESKTOP, 'desktop']] as const) {
      const { context } = await newContext(browser, options, baseUrl);
      const viewer = await context.newPage();
      await viewer.goto(`${baseUrl}?code=${stage.code}`);
      await waitForText(viewer, '.viewer-talk', /Aktueller Vortrag: Die EUDI-Wallet – Dr. A. Beispiel/);
      await screenshot(viewer, `viewer-talk-${size}`);
      await expectNoSeriousAxe(viewer, `viewer-talk-${size}`);
      const projector = await context.newPage();
      await projector.goto(`${baseUrl}projector.html?stage=${stage.id}`);
      await waitForText(projector, '.projector-talk', /Die EUDI-Wallet/);
      await screenshot(projector, `projector-talk-${size}`);
      await expectNoSeriousAxe(projector, `projector-talk-${size}`);
      if (size === 'desktop') {
        const overlay = await context.newPage();
        await overlay.setViewportSize({ width: 1920, height: 1080 });
        await overlay.goto(`${baseUrl}overlay.html?stage=${stage.id}&show=talk,poll`);
        await waitForText(overlay, '.overlay-talk', /Die EUDI-Wallet/);
        await screenshot(overlay, 'overlay-talk', { transparent: true });
        await expectNoSeriousAxe(overlay, 'overlay-talk');
      }
      await context.close();
    }
  });

  it('the moderator link signs a moderator in, who sees the programme; organiser-only actions answer 403', async () => {
    const event = await rest.createEvent('Fachtag Moderation');
    await rest.createStage(event.id, 'Saal 1');
    const { context } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    const link = await planTalkAndAccess(page, event.id);
    const moderatorToken = decodeURIComponent(link.split('#token=')[1]);
    const { context: modContext } = await newContext(browser, PHONE, baseUrl);
    const mod = await modContext.newPage();
    await mod.goto(link);
    await waitForText(mod, 'h1', /Fachtag Moderation/);
    expect(mod.url()).not.toContain('token=');
    await mod.locator('#panel-programme .talk-item[aria-current=time]', { hasText: 'Die EUDI-Wallet' }).waitFor();
    const asModerator = new Rest(baseUrl, moderatorToken);
    await expect(asModerator.call('POST', 'events', { name: 'nicht erlaubt' })).rejects.toThrow(/403/);
    await modContext.close();
    await context.close();
  });
});
