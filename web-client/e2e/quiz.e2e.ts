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

  it('a viewer names themself, sees their points and rank after the reveal and the top 10 while presented; the overlay shows the board unclipped', async () => {
    const quizStage = await rest.createStage(eventId, 'Quizbühne 2');
    const { poll } = await rest.createPoll(quizStage.id, { kind: 'quiz', question: 'Wie viele Länder hat Deutschland?', options: ['14', '16'], correct: [1], open: true });
    const phone = await newContext(browser, PHONE, baseUrl);
    const viewer = await phone.context.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (e) => errors.push(e.message));
    await viewer.goto(`${baseUrl}?code=${quizStage.code}`);
    await waitForText(viewer, 'h1', /Quizbühne 2/);
    // the generated nickname comes from the server's standing reply
    await viewer.waitForFunction(() => (document.querySelector<HTMLInputElement>('#quiz-nickname')?.value ?? '').length > 1);
    await waitForText(viewer, '.quiz-result', /Deine Punkte: 0 · Platz nach der Auflösung/);
    // a refused name is explained next to the field; a good one is saved, all by keyboard
    await viewer.fill('#quiz-nickname', 'x');
    await viewer.press('#quiz-nickname', 'Enter');
    await waitForText(viewer, '#quiz-nickname-error', /2–24 Zeichen/);
    expect(await viewer.getAttribute('#quiz-nickname', 'aria-invalid')).toBe('true');
    await viewer.fill('#quiz-nickname', 'Ada Lovelace');
    await viewer.press('#quiz-nickname', 'Enter');
    await waitForText(viewer, '.quiz-corner .settings-status', /Name gespeichert: Ada Lovelace/);
    expect(await viewer.textContent('#quiz-nickname-error')).toBe('');
    const cornerAxe = seriousOrCritical(await axeScan(viewer));
    expect(describeViolations(cornerAxe), 'axe viewer quiz corner at phone width').toBe('');

    await viewer.click(`${card(poll.id)} label:has-text("16")`);
    await viewer.click(`${card(poll.id)} button[type=submit]`);
    await waitForText(viewer, `${card(poll.id)} [role=status]`, /gezählt/);
    await rest.command(quizStage.id, poll.id, 'reveal');
    await waitForText(viewer, '.quiz-result', /Deine Punkte: 1\.?000 · Platz 1$/);

    // the leaderboard on the screens: the viewer sees the top 10, the overlay shows the board
    await rest.call('PUT', `stages/${quizStage.id}/presentation`, { kind: 'leaderboard' });
    await waitForText(viewer, '.quiz-board li', /Ada Lovelace: 1\.?000 Punkte/);
    const ov = await newContext(browser, FULL_HD, baseUrl);
    const overlay = await ov.context.newPage();
    await overlay.goto(`${baseUrl}overlay.html?stage=${quizStage.id}&show=poll`);
    await waitForText(overlay, '.overlay-leaderboard li', /Ada Lovelace.*1\.?000 Punkte/);
    await overlay.waitForTimeout(500); // the fit settles
    const problems = await overlay.evaluate(() => {
      const out: string[] = [];
      const block = document.querySelector<HTMLElement>('.overlay-leaderboard-block')!;
      const r = block.getBoundingClientRect();
      if (block.hidden || r.width === 0) out.push('board hidden');
      if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) out.push(`outside the picture: ${JSON.stringify(r)}`);
      for (const el of [block, ...block.querySelectorAll<HTMLElement>('*')]) if (el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) out.push(`${el.className} cut off`);
      if (!document.querySelector<HTMLElement>('.overlay-poll')!.hidden) out.push('the poll block stays under the leaderboard');
      return out;
    });
    expect(problems).toEqual([]);
    expect(describeViolations(seriousOrCritical(await axeScan(overlay))), 'axe overlay leaderboard').toBe('');
    await screenshot(overlay, 'quiz-overlay-leaderboard');

    // opting out by keyboard
    await viewer.focus('#quiz-unlisted');
    await viewer.keyboard.press('Space');
    await waitForText(viewer, '.quiz-corner .settings-status', /nicht in der Bestenliste/);
    expect(errors).toEqual([]);
    for (const c of [phone, ov]) {
      expect(c.foreignRequests).toEqual([]);
      await c.context.close();
    }
  });
});
