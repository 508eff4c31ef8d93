import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const webClientDir = resolve(here, '..');
export const targetDir = resolve(webClientDir, '..', 'target');
export const screenshotDir = resolve(targetDir, 'screenshots');

/** Debian's chromium; no browser is ever downloaded. */
export const CHROMIUM_PATH = process.env.PLENUM_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'de-DE',
};

export const DESKTOP: BrowserContextOptions = {
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
  locale: 'de-DE',
};

export const FULL_HD: BrowserContextOptions = {
  viewport: { width: 1920, height: 1080 },
  deviceScaleFactor: 1,
  locale: 'de-DE',
};

/** A context that fails the test on any request to another host (the client must make none). */
export async function newContext(browser: Browser, options: BrowserContextOptions, baseUrl: string): Promise<{ context: BrowserContext; foreignRequests: string[] }> {
  const context = await browser.newContext(options);
  const origin = new URL(baseUrl).origin;
  const foreignRequests: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  return { context, foreignRequests };
}

export async function screenshot(page: Page, name: string, options: { transparent?: boolean } = {}): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = resolve(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true, omitBackground: options.transparent ?? false });
  return path;
}

// ---- axe-core ----

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA plus best practices) in the page. */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  // evaluate, not an inline <script>: a Content-Security-Policy cannot block it.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

export function seriousOrCritical(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact}: ${v.id} – ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

// ---- REST, as an organiser ----

export class Rest {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const response = await fetch(new URL(`api/v1/${path}`, this.baseUrl), {
      method,
      headers: {
        ...(auth ? { Authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  createEvent(name: string) {
    return this.call<{ id: string; name: string }>('POST', 'events', { name });
  }

  createStage(eventId: string, name: string) {
    return this.call<{ id: string; code: string; name: string; eventId: string }>('POST', `events/${eventId}/stages`, { name });
  }

  createPoll(stageId: string, poll: Record<string, unknown>) {
    return this.call<{ poll: { id: string }; results: unknown }>('POST', `stages/${stageId}/polls`, poll);
  }

  command(stageId: string, pollId: string, command: 'open' | 'close' | 'reveal' | 'hide') {
    return this.call<{ poll: { id: string; state: string } }>('POST', `stages/${stageId}/polls/${pollId}/${command}`);
  }

  createCloud(stageId: string, cloud: Record<string, unknown>) {
    return this.call<{ cloud: { id: string; prompt: string }; results: unknown }>('POST', `stages/${stageId}/clouds`, cloud);
  }

  cloud(stageId: string, cloudId: string) {
    return this.call<{ cloud: { state: string }; results: { words: Array<{ key: string; text: string; count: number }>; hidden: Array<{ key: string }> } }>('GET', `stages/${stageId}/clouds/${cloudId}`);
  }

  settings(stageId: string, settings: Record<string, boolean>) {
    return this.call<{ settings: Record<string, boolean> }>('PATCH', `stages/${stageId}/settings`, settings);
  }

  blocklist(eventId: string, words: string[]) {
    return this.call<{ words: string[] }>('PUT', `events/${eventId}/blocklist`, { words });
  }

  posts(stageId: string, query = '') {
    return this.call<Array<{ id: string; kind: string; text: string; state: string; upvotes: number; pinned: boolean; answered: boolean }>>('GET', `stages/${stageId}/posts${query}`);
  }

  postCommand(stageId: string, postId: string, command: string, body?: unknown) {
    return this.call<{ id: string; state: string }>('POST', `stages/${stageId}/posts/${postId}/${command}`, body);
  }

  reactions(stageId: string) {
    return this.call<{ totals: Record<string, number> }>('GET', `stages/${stageId}/reactions`);
  }

  results(stageId: string, pollId: string) {
    return this.call<{ results: { voters: number; counts: Record<string, number>; version: number } }>('GET', `stages/${stageId}/polls/${pollId}`).then((r) => r.results);
  }
}

// ---- waiting on the page ----

/** Waits until the element's text matches; fails with what the text was instead. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeout = 15_000): Promise<string> {
  try {
    await page.waitForFunction(
      ([sel, source, flags]) => {
        const el = document.querySelector(sel);
        return !!el && new RegExp(source, flags).test((el.textContent ?? '').replace(/\s+/g, ' '));
      },
      [selector, pattern.source, pattern.flags] as const,
      { timeout },
    );
  } catch (e) {
    const actual = await page.evaluate((sel) => document.querySelector(sel)?.textContent ?? '(no such element)', selector);
    throw new Error(`"${selector}" never matched ${pattern}; its text is: ${actual.replace(/\s+/g, ' ').trim()}`, { cause: e });
  }
  return (await page.textContent(selector)) ?? '';
}

/** Polls `probe` until it returns a truthy value. */
export async function eventually<T>(probe: () => Promise<T> | T, timeout = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Votes through the real WebSocket protocol from inside a page (as `count` different new
 * participants), so pages have results to show without driving a form each time.
 */
export async function castVotes(page: Page, code: string, votes: Array<{ pollId: string; choices?: string[]; rating?: number }>): Promise<void> {
  await page.evaluate(
    async ({ code, votes }) => {
      const url = new URL('ws', location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      await Promise.all(
        votes.map(
          (vote, i) =>
            new Promise<void>((resolve, reject) => {
              const ws = new WebSocket(url);
              const timer = setTimeout(() => reject(new Error('castVotes timed out')), 10_000);
              ws.onopen = () => ws.send(JSON.stringify({ type: 'join', id: `cj${i}`, code }));
              ws.onmessage = (ev) => {
                const m = JSON.parse(String(ev.data));
                if (m.type === 'joined') ws.send(JSON.stringify({ type: 'vote', id: `cv${i}`, ...vote }));
                else if (m.type === 'ack' && m.id === `cv${i}`) {
                  clearTimeout(timer);
                  ws.close();
                  resolve();
                } else if (m.type === 'error') reject(new Error(JSON.stringify(m)));
              };
            }),
        ),
      );
    },
    { code, votes },
  );
}

/**
 * Several new participants act through the real WebSocket protocol from inside a page: each joins
 * and sends its actions (word, post, upvote, react …), one after the other, each waiting for its
 * answer. Returns every answer (ack or error) per participant, so seeds can check them.
 */
export async function participate(page: Page, code: string, participants: Array<Array<Record<string, unknown>>>): Promise<Array<Array<Record<string, unknown>>>> {
  return page.evaluate(
    async ({ code, participants }) => {
      const url = new URL('ws', location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      return Promise.all(
        participants.map(
          (actions, p) =>
            new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
              const ws = new WebSocket(url);
              const answers: Array<Record<string, unknown>> = [];
              const timer = setTimeout(() => reject(new Error(`participant ${p} timed out after ${answers.length} answers`)), 20_000);
              let next = 0;
              const sendNext = () => {
                if (next >= actions.length) {
                  clearTimeout(timer);
                  ws.close();
                  resolve(answers);
                  return;
                }
                ws.send(JSON.stringify({ ...actions[next], id: `p${p}a${next}` }));
                next++;
              };
              ws.onopen = () => ws.send(JSON.stringify({ type: 'join', id: `pj${p}`, code }));
              ws.onmessage = (ev) => {
                const m = JSON.parse(String(ev.data));
                if (m.type === 'joined') sendNext();
                else if ((m.type === 'ack' || m.type === 'error') && typeof m.id === 'string' && m.id.startsWith(`p${p}a`)) {
                  answers.push(m);
                  sendNext();
                } else if (m.type === 'error' && m.id === `pj${p}`) reject(new Error(JSON.stringify(m)));
              };
            }),
        ),
      );
    },
    { code, participants },
  );
}
