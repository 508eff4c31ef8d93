import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { leftovers } from './language-audit';
import { axeScan, describeViolations, DESKTOP, eventually, launchBrowser, newContext, participate, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

/**
 * Issue 12, "Viewer page": the phone page as WAI-ARIA tabs (keyboard only), the cue when a poll or
 * word cloud opens, the offline state from the browser's own events, no German left after
 * switching to English (and no English after switching back), axe-core at phone and desktop sizes;
 * and the moderator's cue for new waiting questions.
 */
const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

/** The phone of the issue (iPhone 12–15 size). */
const PHONE_390: BrowserContextOptions = { ...PHONE, viewport: { width: 390, height: 844 } };

/** Stage and content in plain ASCII English words, so that the language audit sees only the page's own texts. */
const STAGE_NAME = 'Main Hall';
const EVENT_NAME = 'Civic Tech Day';
const POLL_QUESTION = 'Which topic first';
const QUESTION_TEXT = 'When will the wallet ship';
const COMMENT_TEXT = 'Great talk thanks';
const CLOUD_PROMPT = 'One word for today';
const USER_TEXTS = [STAGE_NAME, EVENT_NAME, POLL_QUESTION, QUESTION_TEXT, COMMENT_TEXT, CLOUD_PROMPT, 'Alpha', 'Beta', 'Gamma', 'Data', 'Plenum', 'Anna'];

let browser: Browser;
let eventId: string;
let stage: { id: string; code: string };

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent(EVENT_NAME);
  eventId = event.id;
  stage = await rest.createStage(eventId, STAGE_NAME);
});

afterAll(async () => {
  await browser?.close();
});

async function expectAxeClean(page: Page, name: string): Promise<void> {
  const violations = await axeScan(page);
  if (violations.length) console.log(`axe ${name}:\n${describeViolations(violations)}`);
  expect(describeViolations(seriousOrCritical(violations)), `axe ${name}`).toBe('');
}

async function openViewer(options: BrowserContextOptions, query = '') {
  const { context, foreignRequests } = await newContext(browser, options, baseUrl);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}?code=${stage.code}${query}`);
  await page.waitForSelector('[role=tablist]');
  return { context, page, errors, foreignRequests };
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName ?? '');
const selectedTab = (page: Page) => page.getAttribute('[role=tab][aria-selected=true]', 'id');

describe('the viewer page on a phone', () => {
  it('is five tabs, operated by the keyboard alone (Tab, arrows, Home, End), and fits 360 px', async () => {
    const { context, page, errors } = await openViewer(PHONE);
    const tabs = await page.$$eval('[role=tablist] [role=tab]', (els) => els.map((el) => ({ id: el.id, controls: el.getAttribute('aria-controls'), text: el.querySelector('.tab-label')?.textContent })));
    expect(tabs.map((t) => t.id)).toEqual(['tab-polls', 'tab-clouds', 'tab-questions', 'tab-comments', 'tab-reactions']);
    expect(tabs.map((t) => t.text)).toEqual(['Abstimmungen', 'Wortwolke', 'Fragen', 'Kommentare', 'Reaktionen']);
    for (const tab of tabs) expect(await page.getAttribute(`#${tab.controls}`, 'role')).toBe('tabpanel');

    // From the top of the page with Tab only: the tab list is one stop (the selected tab).
    let stops = 0;
    while ((await page.evaluate(() => document.activeElement?.getAttribute('role'))) !== 'tab') {
      await page.keyboard.press('Tab');
      expect(++stops, 'Tab reaches the tab list').toBeLessThan(15);
    }
    expect(await activeId(page)).toBe('tab-polls');
    await page.keyboard.press('ArrowRight');
    expect(await activeId(page)).toBe('tab-clouds');
    expect(await selectedTab(page)).toBe('tab-clouds');
    expect(await page.isVisible('#clouds')).toBe(true);
    expect(await page.isVisible('#polls')).toBe(false);
    await page.keyboard.press('End');
    expect(await activeId(page)).toBe('tab-reactions');
    await page.keyboard.press('ArrowRight'); // wraps
    expect(await activeId(page)).toBe('tab-polls');
    await page.keyboard.press('ArrowLeft'); // wraps back
    expect(await activeId(page)).toBe('tab-reactions');
    expect(await page.isVisible('#reactions')).toBe(true);
    // Tab leaves the tab list into the panel, then to its first reaction button: Enter reacts.
    await page.keyboard.press('Tab');
    expect(await activeId(page)).toBe('reactions');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('reaction-button'))).toBe(true);
    await page.keyboard.press('Enter');
    await eventually(async () => Object.values((await rest.reactions(stage.id)).totals).reduce((a, b) => a + b, 0) >= 1, 10_000, 'the reaction to count');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await activeId(page)).toBe('tab-reactions');
    await page.keyboard.press('Home');
    expect(await activeId(page)).toBe('tab-polls');
    // The address follows the tab: a reload opens the same one.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(new URL(page.url()).hash).toBe('#questions');
    await page.reload();
    await page.waitForSelector('[role=tablist]');
    expect(await selectedTab(page)).toBe('tab-questions');

    // The sticky tab list never hides what gets the focus (WCAG 2.4.11): a field scrolled to stops below it.
    await page.setViewportSize({ width: 360, height: 400 });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.focus('#questions textarea');
    const field = (await page.locator('#questions textarea').boundingBox())!;
    const tablist = (await page.locator('[role=tablist]').boundingBox())!;
    expect(field.y).toBeGreaterThanOrEqual(tablist.y + tablist.height);
    await page.setViewportSize({ width: 360, height: 740 });

    // 360 px: nothing scrolls sideways, every tab is on screen and big enough to hit.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    for (const tab of tabs) {
      const box = (await page.locator(`#${tab.id}`).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      expect(box.height).toBeGreaterThanOrEqual(44);
    }
    await screenshot(page, 'viewer-tabs-phone-360');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('cues a new poll on its tab and in the live region without taking the focus; a new word cloud too', async () => {
    const { context, page, errors } = await openViewer(PHONE_390, '#questions');
    expect(await selectedTab(page)).toBe('tab-questions');
    await page.focus('#questions textarea');
    const { poll } = await rest.createPoll(stage.id, { kind: 'single', question: POLL_QUESTION, options: ['Alpha', 'Beta'], open: true, resultsVisible: true });
    await page.waitForSelector('#tab-polls .tab-badge:not([hidden])');
    expect(await page.getAttribute('#tab-polls', 'aria-selected')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA'); // focus untouched
    expect(await selectedTab(page)).toBe('tab-questions');
    expect(await page.locator('#tab-polls').innerText()).toMatch(/^Abstimmungen\s+Neu$/);
    await waitForText(page, 'body > [role=status][aria-live=polite]', /Neue Abstimmung: Which topic first Zu finden im Reiter „Abstimmungen“\./);
    // The tab list stays in view when the page is scrolled down.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const box = (await page.locator('#tab-polls').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(844);
    await screenshot(page, 'viewer-new-poll-cue-phone');
    await expectAxeClean(page, 'viewer-new-poll-cue-phone');

    await page.click('#tab-polls');
    expect(await page.isHidden('#tab-polls .tab-badge')).toBe(true);
    expect(await page.getAttribute(`article[data-poll-id="${poll.id}"]`, 'class')).toContain('is-new');

    // A word cloud opens while the polls tab is shown: its tab is cued.
    await rest.createCloud(stage.id, { prompt: CLOUD_PROMPT, maxEntries: 3, open: true, resultsVisible: true });
    await page.waitForSelector('#tab-clouds .tab-badge:not([hidden])');
    await waitForText(page, 'body > [role=status][aria-live=polite]', /Neue Wortwolke: One word for today Zu finden im Reiter „Wortwolke“/);
    // A poll opening on the tab that is shown: no badge, the card is highlighted and announced.
    const second = await rest.createPoll(stage.id, { kind: 'single', question: `${POLL_QUESTION} again`, options: ['Gamma', 'Data'], open: true, resultsVisible: false });
    await page.waitForSelector(`article[data-poll-id="${second.poll.id}"].is-new`);
    expect(await page.isHidden('#tab-polls .tab-badge')).toBe(true);
    await rest.command(stage.id, second.poll.id, 'close');
    await expectAxeClean(page, 'viewer-polls-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the offline state at once from the browser event; a vote given offline is sent after the reconnect, counted once', async () => {
    const { poll } = await rest.createPoll(stage.id, { kind: 'single', question: 'Offline test', options: ['Alpha', 'Beta'], open: true, resultsVisible: true });
    const { context, page, errors } = await openViewer(PHONE_390, '#polls');
    const card = `article[data-poll-id="${poll.id}"]`;
    await page.waitForSelector(card);
    await page.waitForTimeout(300);
    expect(await page.getAttribute('.connection-banner', 'data-state')).toBe('ok');

    // setOffline fires the offline event but leaves an open WebSocket alone: the page must not
    // wait for the 15 s ack timeout to notice.
    const before = Date.now();
    await context.setOffline(true);
    await waitForText(page, '.connection-banner [role=status]', /Ihr Gerät ist offline\./, 2000);
    expect(Date.now() - before).toBeLessThan(2000);
    expect(await page.getAttribute('.connection-banner', 'data-state')).toBe('offline');
    await screenshot(page, 'viewer-device-offline-phone');
    await expectAxeClean(page, 'viewer-device-offline-phone');

    await page.click(`${card} label:has-text("Beta")`);
    await page.click(`${card} button[type=submit]`);
    await waitForText(page, `${card} [role=status]`, /Keine Verbindung: Ihre Stimme ist gespeichert/);
    await waitForText(page, '.connection-banner [role=status]', /Ihre Eingaben sind gespeichert/);
    await page.waitForTimeout(1500); // reconnect attempts while offline fail: nothing reaches the server
    expect((await rest.results(stage.id, poll.id)).voters).toBe(0);

    await context.setOffline(false);
    await waitForText(page, `${card} [role=status]`, /Ihre Stimme wurde gezählt/, 10_000);
    await waitForText(page, '.connection-banner [role=status]', /Wieder verbunden/);
    const results = await rest.results(stage.id, poll.id);
    expect(results.voters).toBe(1);
    expect(results.counts).toMatchObject({ a: 0, b: 1 });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('language', () => {
  it('no German text or label is left on the viewer page after switching to English, and no English after switching back', async () => {
    await rest.settings(stage.id, { questionModeration: false });
    const { context: seedContext } = await newContext(browser, DESKTOP, baseUrl);
    const seeder = await seedContext.newPage();
    await seeder.goto(`${baseUrl}accessibility.html`);
    await participate(seeder, stage.code, [[{ type: 'post', kind: 'question', text: QUESTION_TEXT }], [{ type: 'post', kind: 'comment', text: COMMENT_TEXT }]]);
    await seedContext.close();

    for (const [options, size] of [[PHONE_390, 'phone'], [DESKTOP, 'desktop']] as const) {
      const { context, page, errors } = await openViewer(options);
      await waitForText(page, '#questions .post-list', new RegExp(QUESTION_TEXT));
      // The audit sees the German page as German (it is not vacuous).
      expect((await leftovers(page, 'en', USER_TEXTS)).length).toBeGreaterThan(20);
      await page.click('button.lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await leftovers(page, 'en', USER_TEXTS), `German left on the viewer page (${size})`).toEqual([]);
      for (const tab of ['polls', 'clouds', 'questions', 'comments', 'reactions']) {
        await page.click(`#tab-${tab}`);
        await expectAxeClean(page, `viewer-${tab}-en-${size}`);
      }
      await screenshot(page, `viewer-en-${size}`);
      await page.click('button.lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'de');
      expect(await leftovers(page, 'de', USER_TEXTS), `English left on the viewer page (${size})`).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('the join form and the moderator dashboard switch completely too', async () => {
    const { context } = await newContext(browser, PHONE_390, baseUrl);
    const page = await context.newPage();
    await page.goto(baseUrl);
    await page.waitForSelector('#join-code');
    await page.click('button.lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await leftovers(page, 'en', USER_TEXTS)).toEqual([]);
    await context.close();

    const { context: modContext } = await newContext(browser, DESKTOP, baseUrl);
    const mod = await modContext.newPage();
    await mod.goto(`${baseUrl}moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`);
    await waitForText(mod, '#panel-questions', new RegExp(QUESTION_TEXT));
    expect((await leftovers(mod, 'en', USER_TEXTS)).length).toBeGreaterThan(20);
    await mod.click('button.lang-switch');
    await mod.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await leftovers(mod, 'en', USER_TEXTS), 'German left on the moderator dashboard').toEqual([]);
    await mod.click('button.lang-switch');
    await mod.waitForFunction(() => document.documentElement.lang === 'de');
    expect(await leftovers(mod, 'de', USER_TEXTS), 'English left on the moderator dashboard').toEqual([]);
    await modContext.close();
  });
});

describe('the moderator dashboard', () => {
  it('highlights and announces a new waiting question wherever the moderator is, with an optional sound that is remembered', async () => {
    await rest.settings(stage.id, { questionModeration: true });
    const { context, foreignRequests } = await newContext(browser, DESKTOP, baseUrl);
    const mod = await context.newPage();
    const errors: string[] = [];
    mod.on('pageerror', (e) => errors.push(e.message));
    await mod.goto(`${baseUrl}moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`);
    await mod.waitForSelector('#panel-settings');
    // Sound on (a click, so the browser allows audio); the choice survives a reload.
    await mod.check('#pending-sound');
    await mod.reload();
    await mod.waitForSelector('#panel-settings');
    expect(await mod.isChecked('#pending-sound')).toBe(true);
    // The moderator works far down the page, in the stage settings.
    await mod.focus('#panel-settings input[type=checkbox]');
    const focused = await mod.evaluate(() => document.activeElement?.id);

    const { context: seedContext } = await newContext(browser, DESKTOP, baseUrl);
    const seeder = await seedContext.newPage();
    await seeder.goto(`${baseUrl}accessibility.html`);
    const [[ack]] = await participate(seeder, stage.code, [[{ type: 'post', kind: 'question', text: `${QUESTION_TEXT} soon` }]]);
    expect(ack.type).toBe('ack');
    const postId = String(ack.postId);
    await seedContext.close();

    await waitForText(mod, '.pending-cue:not([hidden]) .pending-cue-text', /Neu: 1 Beitrag wartet auf Freigabe \(Main Hall\)/);
    const cue = (await mod.locator('.pending-cue').boundingBox())!;
    expect(cue.y).toBeGreaterThanOrEqual(0);
    expect(cue.y).toBeLessThan(900); // in view, although the page is scrolled to the settings
    expect(await mod.evaluate(() => document.activeElement?.id)).toBe(focused);
    await waitForText(mod, 'body > [role=status][aria-live=polite]', /Main Hall: 1 Beitrag wartet auf Freigabe|Main Hall: \d+ Beiträge warten auf Freigabe/);
    await screenshot(mod, 'moderator-new-question-cue-desktop');
    await expectAxeClean(mod, 'moderator-new-question-cue-desktop');

    // "Show": the queue on "waiting" (it was on "published"), the focus on the new question, marked new.
    await mod.click('.pending-cue button[data-action="show-pending"]');
    const item = `#panel-questions li[data-post-id="${postId}"]`;
    expect(await mod.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-post-id'))).toBe(postId);
    expect(await mod.getAttribute(item, 'class')).toContain('is-new');
    expect(await mod.locator(`${item} .badge-new`).textContent()).toBe('Neu');
    expect(await mod.isHidden('.pending-cue')).toBe(true);
    await screenshot(mod, 'moderator-new-question-shown-desktop');
    await expectAxeClean(mod, 'moderator-new-question-shown-desktop');
    // Approving it ends the mark.
    await mod.focus(`${item} button[data-action="approve"]`);
    await mod.keyboard.press('Enter');
    await eventually(async () => (await rest.posts(stage.id, '?kind=question')).find((p) => p.id === postId)?.state === 'published', 10_000, 'the approval');
    await mod.check('#panel-questions input[value="published"]');
    await mod.waitForSelector(item);
    expect(await mod.locator(`${item}.is-new`).count()).toBe(0);
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
