import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeScan, DESKTOP, launchBrowser, newContext, PHONE, Rest, waitForText } from './support';

// Issue 12, poll timers: a phone votes while the countdown runs and sees the poll close by itself.
const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let stage: { id: string; code: string };
let eventId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('E2E Countdown');
  eventId = event.id;
  stage = await rest.createStage(event.id, 'Timerbühne');
});

afterAll(async () => {
  await browser?.close();
});

describe('countdown', () => {
  it('a phone votes during the countdown and sees the poll close at the deadline', async () => {
    const { poll } = await rest.createPoll(stage.id, { kind: 'single', question: 'Kaffee oder Tee?', options: ['Kaffee', 'Tee'], open: true, resultsVisible: true, seconds: 20 });
    const card = `article[data-poll-id="${poll.id}"]`;
    const { context } = await newContext(browser, PHONE, baseUrl);
    const phone = await context.newPage();
    await phone.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(phone, 'h1', /Timerbühne/);
    await waitForText(phone, `${card} [role=timer]`, /^00:(0\d|1\d|20)$/);
    expect(await phone.getAttribute(`${card} [role=timer]`, 'aria-live')).toBe('off');
    const serious = (v: Awaited<ReturnType<typeof axeScan>>) => v.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => x.id);
    expect(serious(await axeScan(phone))).toEqual([]);

    // the moderator sees the same countdown, with +30 s and stop timer, axe-clean
    const mod = await newContext(browser, DESKTOP, baseUrl);
    const moderator = await mod.context.newPage();
    await moderator.goto(`${baseUrl}moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`);
    await moderator.waitForSelector('.stage-table tbody tr');
    await waitForText(moderator, `${card} [role=timer]`, /^00:\d\d$/);
    expect(await moderator.isVisible(`${card} button:has-text("+30 s")`)).toBe(true);
    expect(serious(await axeScan(moderator))).toEqual([]);
    await mod.context.close();
    await phone.click(`${card} label:has-text("Tee")`);
    await phone.click(`${card} button[type=submit]`);
    await waitForText(phone, `${card} [role=status]`, /Ihre Stimme wurde gezählt/);
    // the server closes the poll at the deadline and pushes it: the badge flips, the timer goes
    await phone.waitForSelector(`${card} .badge-closed`, { timeout: 25_000 });
    expect(await phone.isHidden(`${card} .countdown`)).toBe(true);
    expect((await rest.results(stage.id, poll.id)).voters).toBe(1);
    await context.close();
  }, 60_000);
});
