import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeScan, describeViolations, DESKTOP, FULL_HD, launchBrowser, newContext, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

/**
 * Issue 12, quiz: a viewer on a phone answers a quiz question (once), the moderator's dashboard
 * shows the live leaderboard, the moderator reveals the answer (the viewer sees the correct option
 * marked) and puts the leaderboard on the projector. axe-clean at phone and full-HD width.
 */
const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let stage: { id: string; code: string; name: string };

beforeAll(async () => {
  browser = await launchBrowser();
  eventId = (await rest.createEvent('E2E Quiz')).id;
  stage = await rest.createStage(eventId, 'Quizbühne');
});

afterAll(async () => {
  await browser?.close();
});

const card = (id: string) => `article[data-poll-id="${id}"]`;

describe('quiz', () => {
  it('a viewer answers once, the moderator sees the leaderboard, reveals, and the projector shows the leaderboard', async () => {
    const { poll } = await rest.createPoll(stage.id, { kind: 'quiz', question: 'Seit wann gilt das OZG?', options: ['2017', '2020', '2024'], correct: [0], open: true });
    const mod = await newContext(browser, DESKTOP, baseUrl);
    const moderator = await mod.context.newPage();
    await moderator.goto(`${baseUrl}moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`);
    await moderator.waitForSelector(card(poll.id));

    const phone = await newContext(browser, PHONE, baseUrl);
    const viewer = await phone.context.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (e) => errors.push(e.message));
    await viewer.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(viewer, 'h1', /Quizbühne/);
    await waitForText(viewer, `${card(poll.id)} .hint`, /nur einmal/);
    expect(await viewer.locator(`${card(poll.id)} .quiz-correct`).count(), 'no key before the reveal').toBe(0);
    await viewer.click(`${card(poll.id)} label:has-text("2017")`);
    await viewer.click(`${card(poll.id)} button[type=submit]`);
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /gezählt/);
    const phoneAxe = seriousOrCritical(await axeScan(viewer));
    expect(describeViolations(phoneAxe), 'axe viewer with a quiz question').toBe('');

    // the moderator's live leaderboard
    await waitForText(moderator, '#panel-leaderboard .leaderboard-points', /1\.?000 Punkte/);
    const modAxe = seriousOrCritical(await axeScan(moderator));
    expect(describeViolations(modAxe), 'axe moderator with the leaderboard').toBe('');

    // reveal: the viewer sees the correct option marked
    await rest.command(stage.id, poll.id, 'reveal');
    await waitForText(viewer, `${card(poll.id)} .quiz-correct`, /richtig/);

    // the leaderboard on the projector, chosen on the dashboard by keyboard
    const proj = await newContext(browser, FULL_HD, baseUrl);
    const projector = await proj.context.newPage();
    await projector.goto(`${baseUrl}projector.html?stage=${stage.id}`);
    await projector.waitForSelector('.projector-join .qr svg');
    await moderator.focus('#panel-present [data-present="leaderboard"]');
    await moderator.keyboard.press('Enter');
    await waitForText(projector, '.projector-leaderboard li', /1\.?000 Punkte/);
    const projAxe = seriousOrCritical(await axeScan(projector));
    expect(describeViolations(projAxe), 'axe projector leaderboard').toBe('');
    await screenshot(projector, 'quiz-projector-leaderboard');
    expect(errors).toEqual([]);
    for (const c of [mod, phone, proj]) {
      expect(c.foreignRequests).toEqual([]);
      await c.context.close();
    }
  });
});
