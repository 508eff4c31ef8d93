import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import {
  axeScan,
  castVotes,
  describeViolations,
  DESKTOP,
  FULL_HD,
  launchBrowser,
  newContext,
  participate,
  PHONE,
  Rest,
  screenshot,
  screenshotDir,
  seriousOrCritical,
  type AxeViolation,
} from './support';

const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

let browser: Browser;
let eventId = '';
let stage = { id: '', code: '' };
const report: Record<string, Array<Pick<AxeViolation, 'id' | 'impact' | 'help'> & { nodes: number }>> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('Digitalkongress 2026');
  eventId = event.id;
  stage = await rest.createStage(eventId, 'Hauptbühne');
  await rest.createStage(eventId, 'Forum Verwaltung');
  await rest.createStage(eventId, 'Werkstatt');
  const rating = await rest.createPoll(stage.id, { kind: 'rating', question: 'Wie gefällt Ihnen der Kongress bisher?', scale: 5, open: true, resultsVisible: true });
  await rest.createPoll(stage.id, { kind: 'multiple', question: 'Welche Themen sollen morgen vertieft werden?', options: ['Künstliche Intelligenz', 'Cloud', 'Onlinezugangsgesetz', 'Registermodernisierung'], maxSelections: 2 });
  const single = await rest.createPoll(stage.id, { kind: 'single', question: 'Nutzen Sie die eID-Funktion Ihres Personalausweises?', options: ['Ja, regelmäßig', 'Ja, selten', 'Nein', 'Weiß nicht'], open: true, resultsVisible: true });
  const { context } = await newContext(browser, DESKTOP, baseUrl);
  const page = await context.newPage();
  await page.goto(`${baseUrl}accessibility.html`);
  const choices = ['a', 'a', 'a', 'b', 'b', 'c', 'a', 'd', 'b', 'a', 'c', 'a'];
  await castVotes(page, stage.code, [
    ...choices.map((c) => ({ pollId: single.poll.id, choices: [c] })),
    ...[5, 4, 4, 3, 5, 4, 2, 4].map((value) => ({ pollId: rating.poll.id, rating: value })),
  ]);
  // Issue 3: a word cloud with words, questions with upvotes (one pinned), comments and reactions.
  const { cloud } = await rest.createCloud(stage.id, { prompt: 'Was bedeutet digitale Souveränität für Sie?', open: true, resultsVisible: true });
  const words = [
    ['Datenschutz', 'Open Source', 'Kontrolle'],
    ['Datenschutz', 'Unabhängigkeit', 'Open Source'],
    ['datenschutz', 'Cloud', 'Selbstbestimmung'],
    ['Open Source', 'Datenschutz', 'Interoperabilität'],
    ['Unabhängigkeit', 'Kompetenz', 'Datenschutz'],
    ['Offene Standards', 'Open Source', 'Vertrauen'],
    ['Kontrolle', 'Datenschutz', '🇪🇺'],
    ['Vertrauen', 'Wahlfreiheit', 'Open Source'],
    ['Datenschutz', 'Souveräne Cloud', 'Kompetenz'],
    ['Unabhängigkeit', 'Open Source', 'Transparenz'],
  ];
  const questions = [
    'Wann kommt die EUDI-Wallet für alle Bürgerinnen und Bürger?',
    'Wie sichern Kommunen den Betrieb ihrer Fachverfahren ohne einzelne Anbieter?',
    'Welche Rolle spielt openCode für die Verwaltung?',
    'Gibt es Förderprogramme für kleine Gemeinden?',
  ];
  const first = await participate(
    page,
    stage.code,
    words.map((list, i) => [
      ...list.map((text) => ({ type: 'word', cloudId: cloud.id, text })),
      ...(i < questions.length ? [{ type: 'post', kind: 'question', text: questions[i], ...(i === 1 ? { name: 'Jana aus Kiel' } : {}) }] : []),
      ...(i === 5 ? [{ type: 'post', kind: 'comment', text: 'Sehr anschaulicher Vortrag, danke!' }] : []),
      ...(i === 6 ? [{ type: 'post', kind: 'feedback', text: 'Bitte die Folien im Anschluss teilen.', name: 'Tom' }] : []),
    ]),
  );
  const postIds = first.flat().filter((a) => typeof a.postId === 'string').map((a) => a.postId as string);
  await participate(
    page,
    stage.code,
    Array.from({ length: 8 }, (_, i) => [
      ...postIds.slice(0, 4).filter((_, q) => (q === 0 ? i < 7 : q === 1 ? i < 5 : q === 2 ? i < 2 : false)).map((postId) => ({ type: 'upvote', postId })),
      ...Array.from({ length: 3 }, (_, r) => ({ type: 'react', emoji: ['👏', '❤️', '👍', '😂'][(i + r) % 4] })),
    ]),
  );
  await rest.postCommand(stage.id, postIds[1], 'pin');
  await rest.postCommand(stage.id, postIds[3], 'reply', { text: 'Ja – Details folgen nach der Pause am Stand der Landesregierung.' });
  await context.close();
});

afterAll(async () => {
  await browser?.close();
  mkdirSync(screenshotDir, { recursive: true });
  writeFileSync(resolve(screenshotDir, 'axe-report.json'), `${JSON.stringify(report, null, 2)}\n`);
});

interface PageSpec {
  name: string;
  path: () => string;
  ready: string;
  /** Signs in first by visiting with #token=… */
  signedIn?: boolean;
  sizes?: Array<'phone' | 'desktop' | 'fullhd'>;
}

const pages: PageSpec[] = [
  { name: 'viewer-join', path: () => '', ready: '#join-code' },
  { name: 'viewer-stage', path: () => `?code=${stage.code}`, ready: '.poll-card .bars li' },
  { name: 'viewer-stage-en', path: () => `?code=${stage.code}&lang=en`, ready: '.poll-card .bars li' },
  { name: 'moderator-login', path: () => `moderator.html?event=${eventId}`, ready: '#login-token' },
  { name: 'moderator', path: () => `moderator.html?event=${eventId}`, ready: '.moderator-poll .bars li', signedIn: true },
  { name: 'moderator-en', path: () => `moderator.html?event=${eventId}&lang=en`, ready: '.moderator-poll .bars li', signedIn: true },
  { name: 'projector', path: () => `projector.html?stage=${stage.id}&show=poll`, ready: '.projector-join .qr svg' },
  { name: 'projector-cloud', path: () => `projector.html?stage=${stage.id}`, ready: '.projector-cloud-view:not([hidden]) .wc-word', sizes: ['desktop', 'fullhd'] },
  { name: 'projector-questions', path: () => `projector.html?stage=${stage.id}&show=questions`, ready: '.projector-top li', sizes: ['desktop', 'fullhd'] },
  { name: 'overlay', path: () => `overlay.html?stage=${stage.id}&show=poll`, ready: '.overlay-poll:not([hidden]) .bars li', sizes: ['phone', 'desktop', 'fullhd'] },
  { name: 'overlay-cloud', path: () => `overlay.html?stage=${stage.id}&show=cloud,question,reactions`, ready: '.overlay-cloud:not([hidden]) .wc-word', sizes: ['fullhd'] },
  { name: 'organiser-login', path: () => 'organiser.html', ready: '#login-token' },
  { name: 'organiser-events', path: () => 'organiser.html', ready: '.event-list li', signedIn: true },
  { name: 'organiser-event', path: () => `organiser.html?event=${eventId}`, ready: '.stage-card .qr svg', signedIn: true },
  { name: 'accessibility', path: () => 'accessibility.html', ready: 'h1' },
  { name: 'accessibility-en', path: () => 'accessibility.html?lang=en', ready: 'h1' },
];

const SIZES: Record<string, BrowserContextOptions> = { phone: PHONE, desktop: DESKTOP, fullhd: FULL_HD };

async function open(spec: PageSpec, size: string): Promise<{ page: Page; foreign: string[] }> {
  const { context, foreignRequests } = await newContext(browser, SIZES[size], baseUrl);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = `${baseUrl}${spec.path()}`;
  if (spec.signedIn) {
    await page.goto(`${url}#token=${encodeURIComponent(token)}`);
  } else {
    await page.goto(url);
  }
  await page.waitForSelector(spec.ready, { state: 'attached' });
  // Let live pushes settle (and bars finish their transition) before the picture.
  await page.waitForTimeout(700);
  expect(errors, 'errors thrown in the page').toEqual([]);
  return { page, foreign: foreignRequests };
}

describe('every page, on a phone and on a desktop', () => {
  for (const spec of pages) {
    for (const size of spec.sizes ?? ['phone', 'desktop']) {
      it(`${spec.name} (${size}): screenshot, axe-core without serious or critical violations, no third-party requests`, async () => {
        const { page, foreign } = await open(spec, size);
        await screenshot(page, `${spec.name}-${size}`, { transparent: spec.name.startsWith('overlay') });
        if (spec.name.startsWith('overlay')) {
          // OBS/vMix composite the page over video: nothing but the panel may be painted.
          const backgrounds = await page.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).backgroundColor]);
          expect(backgrounds).toEqual(['rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)']);
        }
        const violations = await axeScan(page);
        report[`${spec.name}-${size}`] = violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
        if (violations.length) console.log(`axe ${spec.name}-${size}:\n${describeViolations(violations)}`);
        expect(describeViolations(seriousOrCritical(violations))).toBe('');
        expect(foreign).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(spec.name.endsWith('-en') ? 'en' : 'de');
        await page.context().close();
      });
    }
  }
});

describe('language', () => {
  it('switches between German and English without reloading, and remembers the choice', async () => {
    const { page } = await open(pages[1], 'phone');
    const stageHeading = await page.textContent('h1');
    await page.click('button.lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('#polls-h')).toBe('Polls');
    expect(await page.textContent('.poll-card button[type=submit]')).toBe('Vote');
    expect(await page.textContent('h1')).toBe(stageHeading);
    expect(await page.textContent('button.lang-switch')).toBe('Deutsch');
    await page.reload();
    await page.waitForSelector('.poll-card');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.click('button.lang-switch');
    expect(await page.textContent('#polls-h')).toBe('Abstimmungen');
    await page.context().close();
  });

  it('speaks English to a browser that prefers it', async () => {
    const { context } = await newContext(browser, { ...PHONE, locale: 'en-GB' }, baseUrl);
    const page = await context.newPage();
    await page.goto(baseUrl);
    await page.waitForSelector('#join-code');
    expect(await page.textContent('h1')).toBe('Join an event');
    await context.close();
  });
});

describe('reduced motion', () => {
  it('drops the bar animation when the person asks for less motion', async () => {
    const { context } = await newContext(browser, { ...DESKTOP, reducedMotion: 'reduce' }, baseUrl);
    const page = await context.newPage();
    await page.goto(`${baseUrl}?code=${stage.code}`);
    await page.waitForSelector('.bar-fill');
    const duration = await page.evaluate(() => getComputedStyle(document.querySelector('.bar-fill')!).transitionDuration);
    expect(duration).toBe('0s');
    await context.close();
  });
});
