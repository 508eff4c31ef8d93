import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeScan, describeViolations, launchBrowser, newContext, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let stage: { id: string; code: string };

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.call<{ id: string }>('POST', 'events', { name: 'E2E Verwaltungskongress', passcode: 'Amt2026' });
  eventId = event.id;
  stage = await rest.createStage(eventId, 'Saal Berlin');
  const poll = await rest.createPoll(stage.id, { kind: 'single', question: 'Geschlossene Frage?', options: ['Ja', 'Nein'] });
  await rest.command(stage.id, poll.poll.id, 'open');
});

afterAll(async () => {
  await browser?.close();
});

describe('a closed event (issue 12)', () => {
  it('asks a viewer for the passcode by keyboard, remembers it for reloads, and asks again after a change', async () => {
    const { context, foreignRequests } = await newContext(browser, PHONE, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(page, 'h1', /Zugangscode eingeben/);
    // nothing of the stage is shown before the passcode
    expect(await page.locator('body').textContent()).not.toContain('Saal Berlin');
    const field = page.locator('#passcode');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('passcode');

    const violations = await axeScan(page);
    if (violations.length) console.log(`axe viewer-passcode-phone:\n${describeViolations(violations)}`);
    expect(describeViolations(seriousOrCritical(violations))).toBe('');
    await screenshot(page, 'viewer-passcode-phone');

    // Wrong, by keyboard: the error is tied to the field and announced.
    await page.keyboard.type('falsch1');
    await page.keyboard.press('Enter');
    await waitForText(page, '#passcode-error', /stimmt nicht/);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const wrongViolations = await axeScan(page);
    expect(describeViolations(seriousOrCritical(wrongViolations))).toBe('');

    // Right: the stage appears.
    await field.fill('Amt2026');
    await field.press('Enter');
    await waitForText(page, 'h1.stage-name', /Saal Berlin/);
    await waitForText(page, '.poll-list', /Geschlossene Frage/);
    expect(await page.evaluate(() => sessionStorage.getItem('plenum.passcode'))).toBe('Amt2026');
    expect(await page.evaluate(() => localStorage.getItem('plenum.passcode'))).toBeNull();

    // A reload needs no retyping (the tab remembers it).
    await page.reload();
    await waitForText(page, 'h1.stage-name', /Saal Berlin/);

    // The organiser changes the passcode: the next join asks again, saying why.
    await rest.call('PATCH', `events/${eventId}`, { passcode: 'Neu-2026' });
    await page.reload();
    await waitForText(page, 'h1', /Zugangscode eingeben/);
    await waitForText(page, '#passcode-error', /stimmt nicht/);
    await page.locator('#passcode').fill('Neu-2026');
    await page.locator('#passcode').press('Enter');
    await waitForText(page, 'h1.stage-name', /Saal Berlin/);

    // English.
    await page.evaluate(() => sessionStorage.removeItem('plenum.passcode'));
    const english = await browser.newContext({ ...PHONE, locale: 'en-GB' });
    const en = await english.newPage();
    await en.goto(`${baseUrl}?stage=${stage.id}`);
    await waitForText(en, 'h1', /Enter the passcode/);
    expect(describeViolations(seriousOrCritical(await axeScan(en)))).toBe('');
    await english.close();

    expect(foreignRequests).toEqual([]);
    await context.close();
    await rest.call('PATCH', `events/${eventId}`, { passcode: null });
  });

  it('the event link asks for the passcode before it lists the stages', async () => {
    await rest.call('PATCH', `events/${eventId}`, { passcode: 'Amt2026' });
    const { context } = await newContext(browser, PHONE, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}?event=${eventId}`);
    await waitForText(page, 'h1', /Zugangscode eingeben/);
    await page.locator('#passcode').fill('Amt2026');
    await page.locator('#passcode').press('Enter');
    await waitForText(page, 'h1', /E2E Verwaltungskongress/);
    await page.locator('ul.stage-picks a.stage-pick').first().click();
    await waitForText(page, 'h1.stage-name', /Saal Berlin/);
    await context.close();
  });
});
