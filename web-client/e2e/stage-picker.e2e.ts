import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeScan, describeViolations, launchBrowser, newContext, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let first: { id: string; code: string };
let second: { id: string; code: string };

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('E2E Bühnenwahl');
  eventId = event.id;
  first = await rest.createStage(eventId, 'Saal Berlin');
  second = await rest.createStage(eventId, 'Saal Bonn');
});

afterAll(async () => {
  await browser?.close();
});

describe('picking a stage', () => {
  it('a viewer on a phone opens an event link, picks a stage, changes stage and picks another', async () => {
    const { context, foreignRequests } = await newContext(browser, PHONE, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}?event=${eventId}`);
    await waitForText(page, 'h1', /E2E Bühnenwahl/);
    const picks = page.locator('ul.stage-picks a.stage-pick');
    await picks.nth(1).waitFor();
    expect(await picks.count()).toBe(2);
    expect(await picks.nth(0).textContent()).toMatch(new RegExp(`Saal Berlin.*Code ${first.code}`));
    expect(await picks.nth(1).textContent()).toMatch(new RegExp(`Saal Bonn.*Code ${second.code}`));
    // Large touch targets on a phone.
    const box = await picks.nth(0).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);

    const violations = await axeScan(page);
    if (violations.length) console.log(`axe viewer-pick-stage-phone:\n${describeViolations(violations)}`);
    expect(describeViolations(seriousOrCritical(violations))).toBe('');
    await screenshot(page, 'viewer-pick-stage-phone');

    // Keyboard: focus the second stage and press Enter.
    await picks.nth(1).focus();
    await page.keyboard.press('Enter');
    await waitForText(page, 'h1.stage-name', /Saal Bonn/);
    expect(new URL(page.url()).searchParams.get('stage')).toBe(second.id);
    const change = page.locator('.change-stage a');
    await change.waitFor();
    expect(await change.textContent()).toBe('Bühne wechseln');

    // A reload stays on the stage.
    await page.reload();
    await waitForText(page, 'h1.stage-name', /Saal Bonn/);

    await page.locator('.change-stage a').click();
    await waitForText(page, 'h1', /E2E Bühnenwahl/);
    expect(new URL(page.url()).searchParams.get('event')).toBe(eventId);
    await page.locator('a.stage-pick', { hasText: 'Saal Berlin' }).click();
    await waitForText(page, 'h1.stage-name', /Saal Berlin/);
    expect(new URL(page.url()).searchParams.get('stage')).toBe(first.id);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it('a stage alone in its event offers no "change stage"', async () => {
    const solo = await rest.createEvent('E2E Einzelbühne');
    const stage = await rest.createStage(solo.id, 'Nur hier');
    const { context } = await newContext(browser, PHONE, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}?stage=${stage.id}`);
    await waitForText(page, 'h1.stage-name', /Nur hier/);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.change-stage').isHidden()).toBe(true);
    await context.close();
  });

  it('an unknown event says so and offers the code form', async () => {
    const { context } = await newContext(browser, { ...PHONE, locale: 'en-GB' }, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}?event=evDoesNotExist`);
    await waitForText(page, '[role=alert].join-notice', /There is no such event/);
    await page.locator('#join-code').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('join-code');
    await page.fill('#join-code', second.code.toLowerCase());
    await page.keyboard.press('Enter');
    await waitForText(page, 'h1.stage-name', /Saal Bonn/);
    await context.close();
  });
});
