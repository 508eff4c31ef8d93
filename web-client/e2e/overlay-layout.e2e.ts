import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeScan, castVotes, describeViolations, DESKTOP, FULL_HD, launchBrowser, newContext, participate, Rest, screenshot, seriousOrCritical } from './support';

/**
 * Issue 12, overlay layout: at 1920×1080, in every layout and both themes, whatever a moderator
 * presents (a poll with ten long options and its results, a word cloud with many words, a long
 * question, the top questions), with the running talk above it, no block is cut off: every block
 * inside the picture, no element wider than its box, every word of the cloud inside the cloud.
 */
const baseUrl = inject('baseUrl');
const token = inject('organiserToken');
const rest = new Rest(baseUrl, token);

const LAYOUTS = ['corner-bl', 'corner-br', 'corner-tl', 'corner-tr', 'lower-third'] as const;
const THEMES = ['dark', 'light'] as const;
const LONG = 'Wie stellen Bund, Länder und Kommunen gemeinsam sicher, dass die Registermodernisierung und das Onlinezugangsgesetz';

let browser: Browser;
let stage: { id: string; code: string };
let pollId: string;
let cloudId: string;
let longQuestionId: string;
let kinds: Array<{ kind: string; target?: string; block: string }>;

beforeAll(async () => {
  browser = await launchBrowser();
  const event = await rest.createEvent('E2E Overlay-Layout');
  stage = await rest.createStage(event.id, 'Saal Hamburg');
  const now = Date.now();
  await rest.call('POST', `stages/${stage.id}/talks`, {
    title: 'Digitale Souveränität in der öffentlichen Verwaltung: Open Source, Cloud und offene Standards im föderalen Zusammenspiel',
    speakers: 'Dr. Maria Musterfrau-Beispielhausen, Prof. Dr. Hans Mustermann',
    startsAt: new Date(now - 600_000).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
  });
  const options = Array.from({ length: 10 }, (_, i) => `${LONG.slice(0, 90)} – Variante ${i + 1} mit einer ausführlichen Begründung`.slice(0, 120));
  const poll = await rest.createPoll(stage.id, { kind: 'single', question: `${LONG} bis 2030 für alle Bürgerinnen und Bürger umgesetzt werden?`, options, open: true, resultsVisible: true });
  pollId = poll.poll.id;
  const cloud = await rest.createCloud(stage.id, { prompt: 'Welche Begriffe verbinden Sie mit einer modernen, bürgernahen und digitalen Verwaltung?', maxEntries: 3, open: true, resultsVisible: true });
  cloudId = cloud.cloud.id;
  const { context } = await newContext(browser, DESKTOP, baseUrl);
  const page = await context.newPage();
  await page.goto(`${baseUrl}accessibility.html`);
  await castVotes(page, stage.code, Array.from({ length: 30 }, (_, i) => ({ pollId, choices: [String.fromCharCode(97 + (i % 10))] })));
  const words = ['Datenschutz', 'Open Source', 'Interoperabilität', 'Barrierefreiheit', 'Registermodernisierung', 'Ende-zu-Ende-Verschlüsselung', 'Once-Only', 'Bürgerfreundlichkeit', 'Digitalisierungsstrategie', 'Verwaltungsvereinfachung', 'Plattform', 'Souveränität', 'Kompetenzaufbau', 'Nutzerorientierung', 'Medienbruchfreiheit', 'Transparenz'];
  const participants = Array.from({ length: 40 }, (_, i) => [0, 1, 2].map((k) => ({ type: 'word', cloudId, text: k === 2 ? `Begriff Nummer ${i}` : words[(i * (k + 1) + k) % words.length] })));
  const longText = `${LONG} auch für Menschen mit Behinderungen, ohne Smartphone und ohne Online-Ausweis nutzbar bleiben, und wer prüft das regelmäßig und unabhängig, mit welchen Kriterien, welchen Fristen und welchen Folgen, wenn Portale die Anforderungen der BITV 2.0 und der EU-Richtlinie nicht erfüllen? Und wie werden die Ergebnisse veröffentlicht, damit Bürgerinnen und Bürger sie nachlesen können?`;
  const questions = [longText.slice(0, 500), ...Array.from({ length: 5 }, (_, i) => `${LONG} – Frage ${i + 1}: Welche Rolle spielen dabei offene Schnittstellen, gemeinsame Komponenten und die Kommunen vor Ort?`)];
  const answers = await participate(page, stage.code, [...participants, ...questions.map((text) => [{ type: 'post', kind: 'question', text }])]);
  const postIds = answers.slice(participants.length).map((a) => String(a[0].postId));
  for (const id of postIds) {
    const post = (await rest.posts(stage.id)).find((p) => p.id === id)!;
    if (post.state !== 'published') await rest.postCommand(stage.id, id, 'approve');
  }
  longQuestionId = postIds[0];
  await rest.postCommand(stage.id, postIds[1], 'pin');
  await context.close();
  kinds = [
    { kind: 'results', target: pollId, block: '.overlay-poll' },
    { kind: 'cloud', target: cloudId, block: '.overlay-cloud' },
    { kind: 'question', target: longQuestionId, block: '.overlay-question-block' },
    { kind: 'questions', block: '.overlay-questions-block' },
  ];
});

afterAll(async () => {
  await rest.call('PUT', `stages/${stage.id}/presentation`, { kind: 'auto' }).catch(() => undefined);
  await browser?.close();
});

/** Waits until the blocks stop changing size (fit done, word sizes settled), then lists what is cut off. */
async function clippedParts(page: Page): Promise<string[]> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const now = await page.evaluate(() => {
      const stack = document.querySelector<HTMLElement>('.overlay-stack')!;
      const rects = [stack, ...stack.querySelectorAll<HTMLElement>('.overlay-block, .wc-word')].map((el) => {
        const r = el.getBoundingClientRect();
        return `${r.x.toFixed(1)},${r.y.toFixed(1)},${r.width.toFixed(1)},${r.height.toFixed(1)}`;
      });
      return `${stack.dataset.fit ?? ''}|${rects.join(';')}`;
    });
    if (now === last && !now.startsWith('|')) break;
    last = now;
    await page.waitForTimeout(150);
  }
  return page.evaluate(() => {
    const problems: string[] = [];
    const vw = innerWidth;
    const vh = innerHeight;
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
    const blocks = [...document.querySelectorAll<HTMLElement>('.overlay-stack .overlay-block')].filter((b) => b.offsetParent !== null);
    if (blocks.length === 0) problems.push('no block shown');
    for (const block of blocks) {
      const r = block.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) problems.push(`${name(block)} outside the picture: ${JSON.stringify(r)}`);
      for (const el of [block, ...block.querySelectorAll<HTMLElement>('*')]) {
        if (el.offsetParent === null || el.closest('.sr-only')) continue;
        if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) problems.push(`${name(el)} scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
        const e = el.getBoundingClientRect();
        if (e.width > 0 && (e.left < r.left - 0.5 || e.right > r.right + 0.5 || e.top < r.top - 0.5 || e.bottom > r.bottom + 0.5)) problems.push(`${name(el)} sticks out of its block`);
      }
      const cloud = block.querySelector<HTMLElement>('.wordcloud-words');
      if (cloud && cloud.offsetParent !== null) {
        const c = cloud.getBoundingClientRect();
        for (const word of cloud.querySelectorAll<HTMLElement>('.wc-word')) {
          const w = word.getBoundingClientRect();
          if (w.left < c.left - 0.5 || w.right > c.right + 0.5 || w.top < c.top - 0.5 || w.bottom > c.bottom + 0.5) problems.push(`word “${word.textContent}” cut off by the cloud box`);
        }
      }
    }
    return problems;
  });
}

const fits: string[] = [];

describe('overlay layout at 1920×1080', () => {
  afterAll(() => console.log(`overlay fit factors: ${fits.join(', ')}`));
  for (const layout of LAYOUTS) {
    it(`${layout}: no block cut off, both themes, every presented kind; axe-clean`, async () => {
      for (const theme of THEMES) {
        const { context, foreignRequests } = await newContext(browser, FULL_HD, baseUrl);
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${baseUrl}overlay.html?stage=${stage.id}&show=talk,poll,cloud,question,reactions&layout=${layout}&theme=${theme}`);
        await page.waitForSelector('main[data-presenting]', { state: 'attached' });
        expect(await page.getAttribute('main', 'class')).toContain(`layout-${layout}`);
        for (const { kind, target, block } of kinds) {
          await rest.call('PUT', `stages/${stage.id}/presentation`, target ? { kind, target } : { kind });
          await page.waitForFunction(([k, sel]) => document.querySelector<HTMLElement>('main')?.dataset.presenting === k && !document.querySelector<HTMLElement>(sel)?.hidden, [kind, block] as const, { timeout: 5_000 });
          const problems = await clippedParts(page);
          fits.push(`${layout}/${theme}/${kind}: ${await page.getAttribute('.overlay-stack', 'data-fit')}`);
          expect(problems, `${layout} ${theme} ${kind}: ${problems.join(' / ')}`).toEqual([]);
          if (layout === 'lower-third') {
            const top = await page.evaluate(() => document.querySelector('.overlay-stack')!.getBoundingClientRect().top);
            expect(top, `a lower third stays in the lower part (${kind}, fit ${await page.getAttribute('.overlay-stack', 'data-fit')})`).toBeGreaterThan(1080 * 0.5);
          }
          const violations = seriousOrCritical(await axeScan(page));
          expect(describeViolations(violations), `axe ${layout} ${theme} ${kind}`).toBe('');
          if (theme === 'dark' || kind === 'results') await screenshot(page, `overlay-${layout}-${theme}-${kind}`, { transparent: true });
        }
        // Blank: nothing on the picture.
        await rest.call('PUT', `stages/${stage.id}/presentation`, { kind: 'nothing' });
        await page.waitForFunction(() => document.querySelector<HTMLElement>('main')?.dataset.presenting === 'blank');
        expect(await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.overlay-stack > *')].filter((el) => el.getBoundingClientRect().height > 0).length)).toBe(0);
        expect(errors).toEqual([]);
        expect(foreignRequests).toEqual([]);
        await context.close();
      }
    });
  }
});
