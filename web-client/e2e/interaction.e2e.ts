import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  axeScan,
  describeViolations,
  DESKTOP,
  eventually,
  FULL_HD,
  launchBrowser,
  newContext,
  participate,
  PHONE,
  Rest,
  screenshot,
  screenshotDir,
  seriousOrCritical,
  waitForText,
  type AxeViolation,
} from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId: string;
let stage: { id: string; code: string };
let cloudId: string;
const report: Record<string, Array<Pick<AxeViolation, 'id' | 'impact' | 'help'> & { nodes: number }>> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('E2E Fachtag Q&A');
  eventId = event.id;
  stage = await rest.createStage(eventId, 'Saal Europa');
  await rest.settings(stage.id, { questionModeration: true });
  await rest.blocklist(eventId, ['Bürokratiemonster']);
  const cloud = await rest.createCloud(stage.id, { prompt: 'Was bedeutet digitale Souveränität für Sie?', maxEntries: 3, open: true, resultsVisible: true });
  cloudId = cloud.cloud.id;
});

afterAll(async () => {
  await browser?.close();
  mkdirSync(screenshotDir, { recursive: true });
  writeFileSync(resolve(screenshotDir, 'axe-report-interaction.json'), `${JSON.stringify(report, null, 2)}\n`);
});

/** axe-core on the page as it is now; fails on serious or critical violations. */
async function scan(page: Page, name: string): Promise<void> {
  const violations = await axeScan(page);
  report[name] = violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  if (violations.length) console.log(`axe ${name}:\n${describeViolations(violations)}`);
  expect(describeViolations(seriousOrCritical(violations)), `axe ${name}`).toBe('');
}

async function openModerator(): Promise<{ page: Page; foreign: string[] }> {
  const { context, foreignRequests } = await newContext(browser, DESKTOP, baseUrl);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors).toEqual([]));
  await page.goto(`${baseUrl}moderator.html?event=${eventId}#token=${encodeURIComponent(token)}`);
  await page.waitForSelector(`#panel-clouds article[data-cloud-id="${cloudId}"]`);
  return { page, foreign: foreignRequests };
}

const cloudCard = () => `article[data-cloud-id="${cloudId}"]`;

describe('word cloud and Q&A', () => {
  it('a viewer on a phone submits a word and asks a question; the moderator sees both, approves the question; the viewer sees it approved', async () => {
    const moderator = await openModerator();
    const mod = moderator.page;

    const { context, foreignRequests } = await newContext(browser, PHONE, baseUrl);
    const viewer = await context.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (e) => errors.push(e.message));
    await viewer.goto(`${baseUrl}?code=${stage.code}`);
    await waitForText(viewer, 'h1', /Saal Europa/);

    // ---- the word cloud (only a cloud is open, no poll: the page opens on its tab) ----
    expect(await viewer.getAttribute('#tab-clouds', 'aria-selected')).toBe('true');
    const card = cloudCard();
    await waitForText(viewer, `${card} .entries-used`, /0 von 3 Begriffen/);
    await viewer.fill(`#cloud-${cloudId}-input`, '  #Datenschutz! ');
    await viewer.click(`${card} .word-form button[type=submit]`);
    await waitForText(viewer, `${card} [role=status]`, /„Datenschutz“ ist angekommen/);
    await waitForText(viewer, `${card} .entries-used`, /1 von 3 Begriffen/);
    expect(await viewer.textContent(`${card} .my-words`)).toContain('Datenschutz');

    // Plain-language errors: a blocked word, the same word again (checked here first), too many words.
    await viewer.fill(`#cloud-${cloudId}-input`, 'Bürokratiemonster');
    await viewer.click(`${card} .word-form button[type=submit]`);
    await waitForText(viewer, `${card} [role=status]`, /nicht erlaubt/);
    expect(await viewer.inputValue(`#cloud-${cloudId}-input`)).toBe('Bürokratiemonster');
    await viewer.fill(`#cloud-${cloudId}-input`, 'DATENSCHUTZ');
    await viewer.click(`${card} .word-form button[type=submit]`);
    await waitForText(viewer, `${card} [role=status]`, /schon eingereicht/);
    await viewer.fill(`#cloud-${cloudId}-input`, 'eins zwei drei vier');
    await viewer.click(`${card} .word-form button[type=submit]`);
    await waitForText(viewer, `${card} [role=status]`, /höchstens 3 Wörter/);
    await waitForText(viewer, `${card} .entries-used`, /1 von 3 Begriffen/);
    // The cloud is visible: the viewer's word shows in it (and in the list alternative).
    await waitForText(viewer, `${card} .word-list`, /Datenschutz/);

    // The moderator sees the word live, with its count.
    await waitForText(mod, `${card} tr[data-key="datenschutz"]`, /Datenschutz\s*1/);

    // ---- a question, pre-moderated ----
    await viewer.click('#tab-questions');
    await viewer.fill('#questions textarea', 'Wann kommt die EUDI-Wallet für alle?');
    await viewer.click('#questions .post-form button[type=submit]');
    await waitForText(viewer, '#questions .post-form [role=status]', /wartet auf die Freigabe/);
    const own = viewer.locator('#questions li.post-item', { hasText: 'Wann kommt die EUDI-Wallet für alle?' });
    await own.waitFor();
    expect(await own.getAttribute('data-state')).toBe('pending');
    expect(await own.locator('.badge').allTextContents()).toEqual(expect.arrayContaining(['Ihre Frage', 'Wartet auf Freigabe']));
    await screenshot(viewer, 'interaction-viewer-pending-phone');
    await scan(viewer, 'interaction-viewer-pending-phone');

    // Nobody else sees a pending question.
    const [{ context: otherContext }] = [await newContext(browser, PHONE, baseUrl)];
    const other = await otherContext.newPage();
    await other.goto(`${baseUrl}?code=${stage.code}#questions`);
    await waitForText(other, '#questions .empty-state', /Noch keine Fragen/);
    expect(await other.getAttribute('#tab-questions', 'aria-selected')).toBe('true');

    // The moderator's queue shows it as waiting; approving moves it to "published".
    const postId = (await own.getAttribute('data-post-id'))!;
    const modItem = `#panel-questions li[data-post-id="${postId}"]`;
    await waitForText(mod, '#panel-questions .queue-tabs', /Wartend \(1\)/);
    await waitForText(mod, modItem, /Wann kommt die EUDI-Wallet für alle\?/);
    await screenshot(mod, 'interaction-moderator-pending-desktop');
    await scan(mod, 'interaction-moderator-pending-desktop');
    await mod.focus(`${modItem} button[data-action="approve"]`);
    await mod.keyboard.press('Enter'); // keyboard only
    await waitForText(mod, '#panel-questions .queue-tabs', /Wartend \(0\).*Veröffentlicht \(1\)/);

    // The viewer sees it approved (and is told so); the other viewer sees it appear.
    await eventually(async () => (await own.getAttribute('data-state')) === 'published', 15_000, 'the question to be published for its author');
    expect(await own.locator('.badge').allTextContents()).not.toContain('Wartet auf Freigabe');
    await waitForText(viewer, 'body > [role=status][aria-live=polite]', /Ihre Frage wurde freigegeben/);
    const seen = other.locator('#questions li.post-item', { hasText: 'Wann kommt die EUDI-Wallet für alle?' });
    await seen.waitFor();

    // The other viewer upvotes; both see the count; the moderator too.
    await seen.locator('button.upvote').click();
    expect(await seen.locator('button.upvote').getAttribute('aria-pressed')).toBe('true');
    await waitForText(viewer, `#questions li[data-post-id="${postId}"] .upvote-count`, /^1$/);
    await mod.check('#panel-questions input[value="published"]');
    await waitForText(mod, modItem, /1 Stimme/);
    expect((await rest.posts(stage.id, '?kind=question')).find((p) => p.id === postId)).toMatchObject({ state: 'published', upvotes: 1 });

    // Pin ("now answering") and reply from the dashboard; the viewer sees both.
    await mod.click(`${modItem} button[data-action="pin"]`);
    await waitForText(viewer, `#questions li[data-post-id="${postId}"] .post-meta`, /Wird gerade beantwortet/);
    await mod.click(`${modItem} button[data-action="reply"]`);
    await mod.fill(`${modItem} textarea`, 'Wir kommen gleich darauf zurück.');
    await mod.keyboard.press('Tab');
    await mod.click(`${modItem} .post-edit-form button[type=submit]`);
    await waitForText(viewer, `#questions li[data-post-id="${postId}"] .post-reply`, /Wir kommen gleich darauf zurück/);

    // ---- reactions ----
    await viewer.click('#tab-reactions');
    await viewer.click('#reactions button[data-emoji="👏"]');
    await viewer.click('#reactions button[data-emoji="👏"]');
    await viewer.click('#reactions button[data-emoji="❤️"]');
    await waitForText(mod, '#panel-reactions tr[data-emoji="👏"]', /Applaus\s*2\s*2/);
    await waitForText(viewer, '#reactions button[data-emoji="👏"] .reaction-count', /^2$/);

    // ---- a comment (not pre-moderated) ----
    await new Promise((r) => setTimeout(r, 10_500)); // one post per 10 s per participant
    await viewer.click('#tab-comments');
    await viewer.fill('#comments textarea', 'Sehr verständlich erklärt, danke!');
    await viewer.click('#comments .post-form button[type=submit]');
    await waitForText(viewer, '#comments .post-form [role=status]', /veröffentlicht/);
    await mod.check('#panel-comments input[value="published"]');
    await waitForText(mod, '#panel-comments .post-list', /Sehr verständlich erklärt/);
    await waitForText(viewer, '#comments .post-list', /Sehr verständlich erklärt/);

    await screenshot(viewer, 'interaction-viewer-phone');
    await scan(viewer, 'interaction-viewer-phone');
    await screenshot(mod, 'interaction-moderator-desktop');
    await scan(mod, 'interaction-moderator-desktop');
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(moderator.foreign).toEqual([]);
    await otherContext.close();
    await context.close();
    await mod.context().close();
  });

  it('the moderator hides and merges words; hidden words leave every screen', async () => {
    const { context } = await newContext(browser, DESKTOP, baseUrl);
    const seeder = await context.newPage();
    await seeder.goto(`${baseUrl}accessibility.html`);
    const answers = await participate(seeder, stage.code, [
      [{ type: 'word', cloudId, text: 'Open Source' }, { type: 'word', cloudId, text: 'Datenschutz' }],
      [{ type: 'word', cloudId, text: 'open source' }],
      [{ type: 'word', cloudId, text: 'OpenSource' }],
      [{ type: 'word', cloudId, text: 'Straße' }],
      [{ type: 'word', cloudId, text: 'STRASSE' }],
    ]);
    expect(answers.flat().every((a) => a.type === 'ack')).toBe(true);
    await context.close();

    const { page: mod } = await openModerator();
    const card = cloudCard();
    await waitForText(mod, `${card} tr[data-key="open source"]`, /Open Source\s*2/);
    await waitForText(mod, `${card} tr[data-key="strasse"]`, /2/);
    // Merge "OpenSource" into "Open Source" (keyboard: the form takes the focus, Enter submits).
    await mod.click(`${card} tr[data-key="opensource"] button:has-text("Zusammenführen")`);
    expect(await mod.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await mod.selectOption(`${card} .merge-form select`, 'open source');
    await mod.click(`${card} .merge-form button[type=submit]`);
    await waitForText(mod, `${card} tr[data-key="open source"]`, /Open Source\s*3/);
    expect(await mod.locator(`${card} tr[data-key="opensource"]`).count()).toBe(0);
    // Hide "Straße": it moves to the hidden table; REST (organiser) lists it as hidden.
    await mod.click(`${card} tr[data-key="strasse"] button:has-text("Ausblenden")`);
    await eventually(async () => (await rest.cloud(stage.id, cloudId)).results.hidden.some((w) => w.key === 'strasse'), 10_000, 'strasse hidden');
    await mod.click(`${card} .hidden-words summary`);
    await mod.locator(`${card} .hidden-words tr[data-key="strasse"]`).waitFor();

    // The projector shows the cloud (opened last), without the hidden word.
    const { context: hall } = await newContext(browser, FULL_HD, baseUrl);
    const projector = await hall.newPage();
    await projector.goto(`${baseUrl}projector.html?stage=${stage.id}&show=cloud`);
    await projector.waitForSelector('.projector-cloud-view .wc-word[data-key="open source"]');
    expect(await projector.locator('.wc-word[data-key="strasse"]').count()).toBe(0);
    await projector.waitForTimeout(600);
    await screenshot(projector, 'interaction-projector-cloud-fullhd');
    await scan(projector, 'interaction-projector-cloud-fullhd');
    await hall.close();
    await screenshot(mod, 'interaction-moderator-cloud-desktop');
    await mod.context().close();
  });

  it('projector and overlay show the pinned question; the overlay bursts reactions, or tallies them with reduced motion', async () => {
    const { context: hall } = await newContext(browser, FULL_HD, baseUrl);
    const projector = await hall.newPage();
    await projector.goto(`${baseUrl}projector.html?stage=${stage.id}&show=questions`);
    await waitForText(projector, '.projector-pinned', /EUDI-Wallet/);
    await projector.waitForTimeout(400);
    await screenshot(projector, 'interaction-projector-questions-fullhd');
    await scan(projector, 'interaction-projector-questions-fullhd');

    const overlay = await hall.newPage();
    await overlay.goto(`${baseUrl}overlay.html?stage=${stage.id}&show=question,cloud,reactions`);
    await waitForText(overlay, '.overlay-question-block:not([hidden]) .overlay-pinned', /EUDI-Wallet/);
    await overlay.waitForSelector('.overlay-cloud:not([hidden]) .wc-word');
    const backgrounds = await overlay.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).backgroundColor]);
    expect(backgrounds).toEqual(['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)']);

    const { context: calm } = await newContext(browser, { ...FULL_HD, reducedMotion: 'reduce' }, baseUrl);
    const calmOverlay = await calm.newPage();
    await calmOverlay.goto(`${baseUrl}overlay.html?stage=${stage.id}&show=reactions`);
    await calmOverlay.waitForSelector('main');
    await calmOverlay.waitForTimeout(800); // joined

    const seeder = await hall.newPage();
    await seeder.goto(`${baseUrl}accessibility.html`);
    await participate(seeder, stage.code, [Array.from({ length: 8 }, (_, i) => ({ type: 'react', emoji: i % 3 ? '👏' : '❤️' })), Array.from({ length: 6 }, () => ({ type: 'react', emoji: '😂' }))]);
    await overlay.waitForSelector('.overlay-bursts .burst', { timeout: 10_000 });
    await overlay.waitForTimeout(500);
    await screenshot(overlay, 'interaction-overlay-fullhd', { transparent: true });
    await scan(overlay, 'interaction-overlay-fullhd');
    // Reduced motion: no particles, a still tally instead.
    await waitForText(calmOverlay, '.overlay-tally:not([hidden])', /×/);
    expect(await calmOverlay.locator('.burst').count()).toBe(0);
    await screenshot(calmOverlay, 'interaction-overlay-reduced-motion-fullhd', { transparent: true });
    expect((await rest.reactions(stage.id)).totals['😂']).toBeGreaterThanOrEqual(6);
    await calm.close();
    await hall.close();
  });

  it('the organiser plans a word cloud, edits the blocklist and switches pre-moderation off', async () => {
    const { context } = await newContext(browser, DESKTOP, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}organiser.html?event=${eventId}#token=${encodeURIComponent(token)}`);
    const stageCard = page.locator('section.stage-card', { hasText: 'Saal Europa' });
    await stageCard.locator('.cloud-summary li', { hasText: 'digitale Souveränität' }).waitFor();
    await stageCard.locator('summary', { hasText: 'Wortwolke vorbereiten' }).click();
    await stageCard.locator('.cloud-form textarea').fill('Welches Thema soll morgen vertieft werden?');
    await stageCard.locator('.cloud-form input[type=number]').fill('2');
    await stageCard.locator('.cloud-form button[type=submit]').click();
    await stageCard.locator('.cloud-summary li', { hasText: 'Welches Thema soll morgen vertieft werden?' }).waitFor();
    expect(await stageCard.locator('.cloud-summary li', { hasText: 'Welches Thema' }).textContent()).toMatch(/Entwurf.*2 Begriffe pro Person/);

    const blocklist = page.locator('.blocklist-form textarea');
    await eventually(async () => (await blocklist.inputValue()).includes('Bürokratiemonster'), 10_000, 'the blocklist to load');
    await blocklist.fill('Bürokratiemonster\nAmtsschimmel\namtsschimmel\n');
    await page.click('.blocklist-form button[type=submit]');
    await waitForText(page, '.blocklist-form [role=status]', /Eigene Begriffe: 2/);

    const moderation = stageCard.locator('input[type=checkbox][id$="-questionModeration"]');
    expect(await moderation.isChecked()).toBe(true);
    await moderation.uncheck();
    await waitForText(page, 'section.stage-card .settings-status', /Gespeichert/);
    const stageNow = await rest.call<{ settings: Record<string, boolean> }>('GET', `stages/${stage.id}`);
    expect(stageNow.settings).toMatchObject({ questionModeration: false, anonymousQuestions: true });
    await page.waitForTimeout(300);
    await screenshot(page, 'interaction-organiser-desktop');
    await scan(page, 'interaction-organiser-desktop');
    await context.close();
  });
});
