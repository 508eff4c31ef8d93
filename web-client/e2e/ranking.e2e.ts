import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeScan, describeViolations, DESKTOP, eventually, FULL_HD, launchBrowser, newContext, participate, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

// Issue 12: a ranking poll ordered by keyboard and by touch drag on phones, Borda bars for the
// moderator and the projector, and the moderator removing a participant's votes.
const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let stage: { id: string; code: string };

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('E2E Rangfolge');
  eventId = event.id;
  stage = await rest.createStage(event.id, 'Prioritätenbühne');
});

afterAll(async () => {
  await browser?.close();
});

const card = (pollId: string) => `article[data-poll-id="${pollId}"]`;

async function expectAxeClean(page: Page): Promise<void> {
  const serious = seriousOrCritical(await axeScan(page));
  expect(serious, describeViolations(serious)).toEqual([]);
}

async function openModerator(): Promise<Page> {
  const { context } = await newContext(browser, DESKTOP, baseUrl);
  const page = await context.newPage();
  await page.goto(`${baseUrl}moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`);
  await page.waitForSelector('.stage-table tbody tr');
  return page;
}

/** A real touch drag (CDP touch events, as a phone's finger sends them) from one element's centre to another's top. */
async function touchDrag(page: Page, from: string, to: string): Promise<void> {
  const a = (await page.locator(from).boundingBox())!;
  const b = (await page.locator(to).boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const x = a.x + a.width / 2;
  const y0 = a.y + a.height / 2;
  const y1 = b.y + 2;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: y0 }] });
  for (let i = 1; i <= 8; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y0 + ((y1 - y0) * i) / 8 }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

describe('ranking poll', () => {
  it('a phone ranks by keyboard, another by touch drag; the moderator and the projector show Borda points', async () => {
    const { poll } = await rest.createPoll(stage.id, { kind: 'ranking', question: 'Was zuerst digitalisieren?', options: ['OZG', 'KI', 'Cloud'], open: true, resultsVisible: true });
    const c = card(poll.id);

    // keyboard only: OZG down twice with its "down" button, then submit
    const one = await newContext(browser, PHONE, baseUrl);
    const phone = await one.context.newPage();
    await phone.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(phone, 'h1', /Prioritätenbühne/);
    await waitForText(phone, `${c} .hint`, /Reihenfolge/);
    await phone.focus(`${c} li[data-option-id="a"] .ranking-down`);
    await phone.keyboard.press('Enter');
    await waitForText(phone, `${c} .ranking [aria-live=polite]`, /„OZG“ ist jetzt auf Platz 2 von 3\./);
    await phone.keyboard.press('Space');
    await waitForText(phone, `${c} .ranking [aria-live=polite]`, /Platz 3 von 3/);
    expect(await phone.evaluate(() => (document.activeElement as HTMLElement).getAttribute('aria-label'))).toBe('„OZG“ nach oben');
    expect(await phone.locator(`${c} .ranking-item`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.optionId))).toEqual(['b', 'c', 'a']);
    await expectAxeClean(phone);
    await phone.focus(`${c} button[type=submit]`);
    await phone.keyboard.press('Enter');
    await waitForText(phone, `${c} [role=status]`, /Ihre Stimme wurde gezählt/);
    expect((await rest.results(stage.id, poll.id)).counts).toMatchObject({ a: 0, b: 2, c: 1 });

    // touch: Cloud dragged by its handle to the top, then a changed order re-submits
    const two = await newContext(browser, PHONE, baseUrl);
    const other = await two.context.newPage();
    await other.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(other, 'h1', /Prioritätenbühne/);
    await touchDrag(other, `${c} li[data-option-id="c"] .ranking-handle`, `${c} li[data-option-id="a"]`);
    await eventually(async () => (await other.locator(`${c} .ranking-item`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.optionId))).join() === 'c,a,b', 10_000, 'Cloud dragged to the top');
    await waitForText(other, `${c} .ranking [aria-live=polite]`, /„Cloud“ ist jetzt auf Platz 1 von 3\./);
    await other.click(`${c} button[type=submit]`);
    await waitForText(other, `${c} [role=status]`, /Ihre Stimme wurde gezählt/);
    expect((await rest.results(stage.id, poll.id)).counts).toMatchObject({ a: 1, b: 2, c: 3 });
    await other.click(`${c} li[data-option-id="b"] .ranking-up`);
    await other.click(`${c} button[type=submit]:has-text("Reihenfolge ändern")`);
    await eventually(async () => JSON.stringify((await rest.results(stage.id, poll.id)).counts) === JSON.stringify({ a: 0, b: 3, c: 3 }), 10_000, 'the changed order replacing the first');
    expect((await rest.results(stage.id, poll.id)).voters).toBe(2);

    // the moderator: Borda bars with mean rank and the distribution, axe-clean
    const moderator = await openModerator();
    await waitForText(moderator, `${c} li[data-key="b"]`, /3 Punkte.*Ø Platz 1,5.*1\.: 1 · 2\.: 1 · 3\.: 0/);
    await expectAxeClean(moderator);

    // the projector at 1920×1080: every bar inside the screen
    const proj = await newContext(browser, FULL_HD, baseUrl);
    const projector = await proj.context.newPage();
    await projector.goto(`${baseUrl}projector.html?stage=${stage.id}`);
    await waitForText(projector, '.bar-row[data-key="b"]', /3 Punkte/);
    for (const box of await projector.locator('.bar-row').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
      expect(box.right).toBeLessThanOrEqual(1920);
      expect(box.bottom).toBeLessThanOrEqual(1080);
    }
    await expectAxeClean(projector);

    // the stream overlay at 1920×1080 too
    const overlay = await proj.context.newPage();
    await overlay.goto(`${baseUrl}overlay.html?stage=${stage.id}&show=poll`);
    await waitForText(overlay, '.bar-row[data-key="b"]', /3 Punkte/);
    for (const box of await overlay.locator('.bar-row').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(1920);
      expect(box.bottom).toBeLessThanOrEqual(1080);
    }
    for (const ctx of [one.context, two.context, moderator.context(), proj.context]) await ctx.close();
  }, 90_000);

  it('the moderator creates a ranking poll from the dashboard and a phone gets the order list', async () => {
    const moderator = await openModerator();
    const { context } = await newContext(browser, PHONE, baseUrl);
    const phone = await context.newPage();
    await phone.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(phone, 'h1', /Prioritätenbühne/);
    await moderator.click('details.create-poll > summary');
    const prefix = `#new-poll-${stage.id}`;
    await moderator.selectOption(`${prefix}-kind`, 'ranking');
    expect(await moderator.isHidden(`${prefix}-max`)).toBe(true);
    await moderator.fill(`${prefix}-question`, 'Welche Reihenfolge für 2027?');
    await moderator.fill(`${prefix}-options`, 'Registermodernisierung\nEUDI-Wallet\nCloud-Strategie\nOpen Source');
    await moderator.click('.poll-form button[type=submit]');
    const pollCard = phone.locator('article.poll-card', { hasText: 'Welche Reihenfolge für 2027?' });
    await pollCard.waitFor({ state: 'attached' });
    // the page may be on another tab: the polls tab carries the "new" cue; open it
    if ((await phone.getAttribute('#tab-polls', 'aria-selected')) !== 'true') await phone.click('#tab-polls');
    await pollCard.waitFor();
    expect(await pollCard.locator('.ranking-item').count()).toBe(4);
    expect(await pollCard.locator('.poll-kind').textContent()).toBe('Rangfolge');
    await screenshot(phone, 'ranking-phone-new-poll');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing wider than the phone').toBe(true);
    await pollCard.locator('li[data-option-id="d"] .ranking-up').click();
    await pollCard.locator('button[type=submit]').click();
    await waitForText(phone, `${card((await pollCard.getAttribute('data-poll-id'))!)} [role=status]`, /Ihre Stimme wurde gezählt/);
    const modCard = moderator.locator('article', { hasText: 'Welche Reihenfolge für 2027?' }).first();
    await eventually(async () => /Registermodernisierung\s*3 Punkte/.test((await modCard.textContent()) ?? ''), 10_000, 'Borda points on the dashboard');
    await context.close();
    await moderator.context().close();
  }, 60_000);

  it('the moderator removes a participant’s votes from the dashboard after confirming', async () => {
    const { poll } = await rest.createPoll(stage.id, { kind: 'single', question: 'Ja oder nein?', options: ['Ja', 'Nein'], open: true, resultsVisible: true });
    const moderator = await openModerator();
    const answers = await participate(moderator, stage.code, [
      [{ type: 'vote', pollId: poll.id, choices: ['b'] }, { type: 'post', kind: 'question', text: 'Werbung für mein Produkt' }],
      [{ type: 'vote', pollId: poll.id, choices: ['a'] }],
    ]);
    const postId = String(answers[0][1].postId);
    await eventually(async () => (await rest.results(stage.id, poll.id)).voters === 2, 10_000, 'two voters');
    const item = `#panel-questions li[data-post-id="${postId}"]`;
    await moderator.waitForSelector(`${item} button[data-action="removeVotes"]`);
    await moderator.click(`${item} button[data-action="removeVotes"]`);
    const dialog = moderator.locator('dialog.confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Werbung für mein Produkt');
    await expectAxeClean(moderator);
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await waitForText(moderator, `${card(poll.id)} li[data-key="b"]`, /0\s?%/);
    const results = await rest.results(stage.id, poll.id);
    expect(results.voters).toBe(1);
    expect(results.counts).toMatchObject({ a: 1, b: 0 });
    await moderator.context().close();
  }, 60_000);

  it('the moderator opens a poll with a custom timer duration typed in minutes and seconds', async () => {
    const { poll } = await rest.createPoll(stage.id, { kind: 'single', question: 'Zeitfrage?', options: ['A', 'B'], resultsVisible: true });
    const moderator = await openModerator();
    const c = card(poll.id);
    await moderator.waitForSelector(`${c} select.timer-picker`);
    await moderator.selectOption(`${c} select.timer-picker`, 'custom');
    await moderator.fill(`${c} .timer-seconds`, '5');
    await moderator.click(`${c} .poll-controls button:has-text("Öffnen")`);
    await waitForText(moderator, `${c} .timer-custom .field-error`, /10 Sekunden bis 24 Stunden/);
    expect((await rest.call<{ poll: { state: string } }>('GET', `stages/${stage.id}/polls/${poll.id}`)).poll.state).toBe('draft');
    await expectAxeClean(moderator);
    await moderator.fill(`${c} .timer-minutes`, '2');
    await moderator.fill(`${c} .timer-seconds`, '30');
    await moderator.click(`${c} .poll-controls button:has-text("Öffnen")`);
    await waitForText(moderator, `${c} [role=timer]`, /^02:(2\d|30)$/);
    const opened = (await rest.call<{ poll: { state: string; closesAt: string; openedAt: string } }>('GET', `stages/${stage.id}/polls/${poll.id}`)).poll;
    expect(opened.state).toBe('open');
    expect(Date.parse(opened.closesAt) - Date.parse(opened.openedAt)).toBe(150_000);
    await moderator.context().close();
  }, 60_000);
});
