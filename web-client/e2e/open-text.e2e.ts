import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeScan, describeViolations, DESKTOP, FULL_HD, launchBrowser, newContext, PHONE, Rest, screenshot, seriousOrCritical, waitForText } from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let stage: { id: string; code: string };
let pollId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  eventId = (await rest.createEvent('E2E Offene Frage')).id;
  stage = await rest.createStage(eventId, 'Saal Berlin');
  await rest.settings(stage.id, { commentModeration: true });
  pollId = (await rest.createPoll(stage.id, { kind: 'text', question: 'Was nehmen Sie aus dem Vortrag mit?', open: true })).poll.id;
});

afterAll(async () => {
  await browser?.close();
});

async function scan(page: Page, name: string): Promise<void> {
  const violations = await axeScan(page);
  if (violations.length) console.log(`axe ${name}:\n${describeViolations(violations)}`);
  expect(describeViolations(seriousOrCritical(violations)), `axe ${name}`).toBe('');
}

describe('open-text question', () => {
  it('a viewer answers on a phone, the moderator approves by keyboard, the projector and overlay show the wall', async () => {
    const { context } = await newContext(browser, PHONE, baseUrl);
    const viewer = await context.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (e) => errors.push(e.message));
    await viewer.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(viewer, 'h1', /Saal Berlin/);
    const card = `article[data-poll-id="${pollId}"]`;
    await waitForText(viewer, `${card} .poll-question`, /Was nehmen Sie aus dem Vortrag mit\?/);
    const textarea = `#poll-${pollId}-answer`;
    await viewer.fill(textarea, 'Mehr Mut zu offenen Standards.');
    await waitForText(viewer, `${card} .char-count`, /30 von 500 Zeichen/);
    await viewer.click(`${card} .answer-form button[type=submit]`);
    await waitForText(viewer, `${card} [role=status]`, /nach der Freigabe/);
    await waitForText(viewer, `${card} .my-answers`, /Mehr Mut zu offenen Standards\..*wartet auf Freigabe/s);
    await screenshot(viewer, 'open-text-viewer-phone');
    await scan(viewer, 'open-text-viewer-phone');

    const answers = await rest.posts(stage.id, `?pollId=${pollId}`);
    expect(answers).toHaveLength(1);
    const postId = answers[0].id;

    const { context: modContext } = await newContext(browser, DESKTOP, baseUrl);
    const mod = await modContext.newPage();
    await mod.goto(`${baseUrl}moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`);
    const item = `#panel-answers li[data-post-id="${postId}"]`;
    await waitForText(mod, item, /Mehr Mut zu offenen Standards\./);
    await waitForText(mod, item, /Antwort auf: Was nehmen Sie aus dem Vortrag mit\?/);
    await scan(mod, 'open-text-moderator-desktop');
    await mod.focus(`${item} button[data-action="approve"]`);
    await mod.keyboard.press('Enter');
    await waitForText(mod, '#panel-answers .queue-tabs', /Wartend \(0\)/);

    await waitForText(viewer, `${card} .my-answers`, /freigegeben/);

    const { context: projContext } = await newContext(browser, FULL_HD, baseUrl);
    const projector = await projContext.newPage();
    await projector.goto(`${baseUrl}projector.html?stage=${stage.id}`);
    await waitForText(projector, '.answer-wall-list', /Mehr Mut zu offenen Standards\./);
    // a long answer from a second viewer stays inside the screen
    const { context: second } = await newContext(browser, PHONE, baseUrl);
    const other = await second.newPage();
    await other.goto(`${baseUrl}?code=${stage.code}`);
    await other.fill(textarea, `Verwaltung ${'digital und barrierefrei '.repeat(20)}`.slice(0, 500));
    await other.click(`${card} .answer-form button[type=submit]`);
    await waitForText(other, `${card} .my-answers`, /wartet auf Freigabe/);
    const second_ = (await rest.posts(stage.id, `?pollId=${pollId}`)).find((p) => p.id !== postId)!;
    await rest.postCommand(stage.id, second_.id, 'approve');
    await projector.waitForFunction(() => document.querySelectorAll('.answer-wall-item').length === 2);
    const box = await projector.locator('.projector-poll').boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(1080);
    expect(await projector.locator('.answer-wall-item').first().textContent()).toContain('Verwaltung'); // newest first
    await screenshot(projector, 'open-text-projector-fullhd');
    await scan(projector, 'open-text-projector-fullhd');

    const overlay = await projContext.newPage();
    await overlay.goto(`${baseUrl}overlay.html?stage=${stage.id}&show=poll`);
    await waitForText(overlay, '.answer-wall-overlay', /Mehr Mut zu offenen Standards\./);
    const block = await overlay.locator('.overlay-poll').boundingBox();
    expect(block!.x).toBeGreaterThanOrEqual(0);
    expect(block!.y + block!.height).toBeLessThanOrEqual(1080);
    expect(block!.x + block!.width).toBeLessThanOrEqual(1920);
    await scan(overlay, 'open-text-overlay-fullhd');

    // closed: the viewer's form goes, an answer is refused
    await rest.command(stage.id, pollId, 'close');
    await waitForText(viewer, `${card} [role=status]`, /Die Frage ist geschlossen|Antwort gesendet/);
    await viewer.waitForSelector(textarea, { state: 'detached' });
    expect(errors).toEqual([]);
  });
});
