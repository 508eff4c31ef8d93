import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeScan, castVotes, describeViolations, DESKTOP, FULL_HD, launchBrowser, newContext, participate, Rest, screenshot, seriousOrCritical } from './support';

/**
 * Issue 12, "present this": a moderator chooses what the hall screen shows, in one browser page;
 * the projector (role presenter) in another follows within a second; a second moderator's
 * dashboard marks the choice live; blank screen and back to automatic.
 */
const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let stage: { id: string; code: string; name: string };
let pollId: string;
let questionId: string;
const POLL = 'Welche Verwaltungsleistung soll zuerst digital werden?';
const OPEN_POLL = 'Wie gefällt Ihnen der Vortrag?';
const QUESTION = 'Wie wird die Barrierefreiheit der neuen Portale geprüft?';

beforeAll(async () => {
  browser = await launchBrowser();
  eventId = (await rest.createEvent('E2E Present this')).id;
  stage = await rest.createStage(eventId, 'Saal Berlin');
  // A closed poll whose results are hidden: automatic mode would never show its results.
  const poll = await rest.createPoll(stage.id, { kind: 'single', question: POLL, options: ['Kfz-Zulassung', 'Wohngeld', 'Elterngeld'], open: true, resultsVisible: false });
  pollId = poll.poll.id;
  const { context } = await newContext(browser, DESKTOP, baseUrl);
  const page = await context.newPage();
  await page.goto(`${baseUrl}accessibility.html`);
  await castVotes(page, stage.code, ['a', 'b', 'b', 'c', 'b'].map((c) => ({ pollId, choices: [c] })));
  await rest.command(stage.id, pollId, 'close');
  const answers = await participate(page, stage.code, [[{ type: 'post', kind: 'question', text: QUESTION }]]);
  questionId = String(answers[0][0].postId);
  const post = (await rest.posts(stage.id)).find((p) => p.id === questionId)!;
  if (post.state !== 'published') await rest.postCommand(stage.id, questionId, 'approve');
  // An open poll, opened last: what "automatic" shows.
  await rest.createPoll(stage.id, { kind: 'rating', question: OPEN_POLL, scale: 5, open: true, resultsVisible: false });
  await context.close();
});

afterAll(async () => {
  await browser?.close();
});

async function open(path: string, options = DESKTOP): Promise<{ page: Page; errors: string[]; foreign: string[] }> {
  const { context, foreignRequests } = await newContext(browser, options, baseUrl);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}${path}`);
  return { page, errors, foreign: foreignRequests };
}

const moderatorPath = () => `moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`;
const pollCard = (id: string) => `article[data-poll-id="${id}"]`;

/** Presses a button by keyboard: focus, then Enter (the dashboard must be keyboard-operable). */
async function press(page: Page, selector: string): Promise<void> {
  await page.focus(selector);
  await page.keyboard.press('Enter');
}

/** Waits until `predicate(arg)` holds in the page (polled every animation frame), or throws after `timeout`. */
async function within(page: Page, predicate: (arg: string) => boolean, arg: string, timeout: number): Promise<void> {
  await page.waitForFunction(predicate, arg, { timeout, polling: 'raf' });
}

describe('present this', () => {
  it('the moderator shows a poll’s results, a blank screen, a question, and goes back to automatic; the projector follows within a second', async () => {
    const mod = await open(moderatorPath());
    await mod.page.waitForSelector(`${pollCard(pollId)} [data-present="results"]`);
    const other = await open(moderatorPath());
    await other.page.waitForSelector(`${pollCard(pollId)} [data-present="results"]`);
    const projector = await open(`projector.html?stage=${stage.id}`, FULL_HD);
    await projector.page.waitForSelector('.projector-join .qr svg');
    // Automatic: the open poll, opened last.
    await projector.page.waitForFunction((q) => document.querySelector('#projector-q')?.textContent === q, OPEN_POLL);
    expect(await mod.page.getAttribute('#panel-present [data-present="auto"]', 'aria-pressed')).toBe('true');

    // "Show results on screen", by keyboard: the projector shows the closed poll's results.
    const resultsButton = `${pollCard(pollId)} [data-present="results"]`;
    await press(mod.page, resultsButton);
    await within(
      projector.page,
      (q) => document.querySelector('#projector-q')?.textContent === q && document.querySelectorAll('.projector-poll-view .bars li').length === 3 && !document.querySelector('.projector-poll-view .bars')?.closest('[hidden]'),
      POLL,
      1_000,
    );
    await mod.page.waitForSelector(`${resultsButton}[aria-pressed="true"]`);
    expect(await mod.page.getAttribute('#panel-present [data-present="auto"]', 'aria-pressed')).toBe('false');
    expect(await mod.page.isVisible(`${pollCard(pollId)} .badge-on-screen`)).toBe(true);
    expect(await mod.page.textContent('#panel-present .present-status')).toContain(POLL);
    // The other moderator's dashboard marks it too (from the push).
    await other.page.waitForSelector(`${resultsButton}[aria-pressed="true"]`, { timeout: 2_000 });
    expect(await other.page.textContent('#panel-present .present-status')).toContain(POLL);
    await screenshot(projector.page, 'present-projector-results');

    // "Blank screen": the stage name only.
    await press(mod.page, '#panel-present [data-present="nothing"]');
    await within(projector.page, () => !!document.querySelector('main.projector')?.classList.contains('is-blank') && (document.querySelector('.projector-join') as HTMLElement | null)?.hidden === true, '', 1_000);
    expect(await projector.page.isVisible('.projector-stage')).toBe(true);
    expect((await projector.page.textContent('.projector-stage'))?.trim()).toBe(stage.name);
    for (const hidden of ['.projector-poll-view', '.projector-cloud-view', '.projector-questions-view', '.projector-join']) expect(await projector.page.isVisible(hidden), hidden).toBe(false);
    await mod.page.waitForSelector('#panel-present [data-present="nothing"][aria-pressed="true"]');
    expect(await mod.page.isVisible(`${pollCard(pollId)} .badge-on-screen`)).toBe(false);
    const blankAxe = seriousOrCritical(await axeScan(projector.page));
    expect(describeViolations(blankAxe), 'axe projector blank').toBe('');
    await screenshot(projector.page, 'present-projector-blank');

    // The other moderator shows a question: the first sees it on its dashboard and the projector shows it.
    await press(other.page, `li[data-post-id="${questionId}"] [data-present="question"]`);
    await within(projector.page, (q) => document.querySelector('#projector-pinned')?.textContent === q && !(document.querySelector('.projector-questions-view') as HTMLElement).hidden, QUESTION, 1_000);
    await mod.page.waitForSelector(`li[data-post-id="${questionId}"] [data-present="question"][aria-pressed="true"]`, { timeout: 2_000 });

    // "Automatic": back to the open poll.
    await press(mod.page, '#panel-present [data-present="auto"]');
    await within(projector.page, (q) => document.querySelector('#projector-q')?.textContent === q && !document.querySelector('main.projector')?.classList.contains('is-blank'), OPEN_POLL, 1_000);
    await mod.page.waitForSelector('#panel-present [data-present="auto"][aria-pressed="true"]');
    expect(await projector.page.isVisible('.projector-join')).toBe(true);

    // Pressing the item that is on screen again goes back to automatic.
    await press(mod.page, `${pollCard(pollId)} [data-present="poll"]`);
    await mod.page.waitForSelector(`${pollCard(pollId)} [data-present="poll"][aria-pressed="true"]`);
    await press(mod.page, `${pollCard(pollId)} [data-present="poll"]`);
    await mod.page.waitForSelector('#panel-present [data-present="auto"][aria-pressed="true"]');

    // The overlay's look, chosen where its links are: every overlay link follows.
    await mod.page.selectOption(`#overlay-look-${stage.id}-layout`, 'lower-third');
    await mod.page.selectOption(`#overlay-look-${stage.id}-theme`, 'light');
    const overlayHrefs = await mod.page.$$eval('a[data-overlay-show]', (els) => els.map((a) => (a as HTMLAnchorElement).href));
    expect(overlayHrefs.length).toBe(4);
    for (const href of overlayHrefs) expect(Object.fromEntries(new URL(href).searchParams)).toMatchObject({ stage: stage.id, layout: 'lower-third', theme: 'light' });

    const modAxe = await axeScan(mod.page);
    expect(describeViolations(seriousOrCritical(modAxe)), 'axe moderator with present control').toBe('');
    await screenshot(mod.page, 'present-moderator');
    for (const p of [mod, other, projector]) {
      expect(p.errors).toEqual([]);
      expect(p.foreign).toEqual([]);
    }
    await Promise.all([mod, other, projector].map((p) => p.page.context().close()));
  });

  it('a refused choice is shown next to the button, and changes nothing', async () => {
    const { context } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The real connection, passed through, except that this dashboard misses the question's
    // rejection: as if another moderator rejected it a moment before this one pressed the button.
    let holdPosts = false;
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => {
        if (holdPosts && typeof m === 'string' && m.includes('"type":"post"')) return;
        ws.send(m);
      });
    });
    await page.goto(`${baseUrl}${moderatorPath()}`);
    const button = `li[data-post-id="${questionId}"] [data-present="question"]`;
    await page.waitForSelector(button);
    const before = await rest.call<{ kind: string; target: string | null }>('GET', `stages/${stage.id}/presentation`);
    expect(before.kind).not.toBe('question');
    holdPosts = true;
    await rest.postCommand(stage.id, questionId, 'reject');
    await press(page, button);
    const error = `li[data-post-id="${questionId}"] .present-error`;
    await page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').length > 0, error, { timeout: 5_000 });
    expect(await page.textContent(error)).toMatch(/eine Frage freigegeben sein/);
    expect(await page.isVisible(error)).toBe(true);
    expect(await page.getAttribute(button, 'aria-pressed')).toBe('false');
    expect(await rest.call('GET', `stages/${stage.id}/presentation`)).toEqual(before);
    expect(errors).toEqual([]);
    await context.close();
  });
});
